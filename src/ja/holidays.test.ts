import { describe, expect, it } from 'vitest';
import { holidayName } from './holidays.ts';

describe('holidayName', () => {
  it('names holidays by the Japan date, whatever the machine time zone', () => {
    expect(holidayName('2026-01-12')).toBe('成人の日');
    expect(holidayName('2019-05-01')).toBe('休日（祝日扱い）');
    expect(holidayName('2026-11-03', 'en')).toBe('National Culture Day');
    expect(holidayName('2026-11-04')).toBeNull();
  });
});
