import { describe, expect, it } from 'vitest';
import { ageOn, fiscalYear, formatWareki, formatWarekiDateTime, parseWareki, todayInTokyo, toTokyoDate } from './wareki.ts';

describe('formatWareki', () => {
  it.each([
    ['2019-05-01', '令和元年5月1日'],
    ['2019-04-30', '平成31年4月30日'],
    ['1989-01-07', '昭和64年1月7日'],
    ['1989-01-08', '平成元年1月8日'],
    ['1926-12-25', '昭和元年12月25日'],
    ['1912-07-30', '大正元年7月30日'],
    ['2025-04-01', '令和7年4月1日'],
    ['2025-12-31', '令和7年12月31日'],
    ['2026-01-01', '令和8年1月1日'],
  ])('%s → %s', (iso, expected) => {
    expect(formatWareki(iso)).toBe(expected);
  });

  it('appends the western year', () => {
    expect(formatWareki('2025-04-01', { withWestern: true })).toBe('令和7年4月1日（2025年）');
    expect(formatWareki('2019-05-01', { withWestern: true })).toBe('令和元年5月1日（2019年）');
  });

  it('supports a short style with Latin initials', () => {
    expect(formatWareki('2025-04-01', { style: 'short' })).toBe('R7.4.1');
    expect(formatWareki('2019-05-01', { style: 'short' })).toBe('R1.5.1');
    expect(formatWareki('1989-01-07', { style: 'short' })).toBe('S64.1.7');
    expect(formatWareki('2019-04-30', { style: 'short', withWestern: true })).toBe('H31.4.30（2019年）');
  });

  it('does not shift a date-only string by timezone', () => {
    // Late-evening and early-morning edges would move if parsed as UTC midnight and shown elsewhere.
    expect(formatWareki('2025-01-01')).toBe('令和7年1月1日');
    expect(formatWareki('2024-12-31')).toBe('令和6年12月31日');
  });

  it('formats instants in Asia/Tokyo regardless of machine TZ', () => {
    expect(formatWareki('2025-03-31T15:30:00Z')).toBe('令和7年4月1日');
    expect(formatWareki(new Date('2025-03-31T15:30:00Z'))).toBe('令和7年4月1日');
    expect(formatWareki('2025-03-31T14:59:59Z')).toBe('令和7年3月31日');
    expect(formatWareki('2019-04-30T15:00:00.000Z')).toBe('令和元年5月1日');
    expect(formatWareki('2025-04-01T00:30:00+09:00')).toBe('令和7年4月1日');
  });

  it('reads offset-less timestamps as Tokyo wall-clock time', () => {
    expect(formatWareki('2025-04-01T00:30:00')).toBe('令和7年4月1日');
    expect(formatWareki('2025-04-01 00:30:00+09')).toBe('令和7年4月1日');
  });

  it('rejects invalid input', () => {
    expect(() => formatWareki('2025-02-30')).toThrow(RangeError);
    expect(() => formatWareki('2025/04/01')).toThrow(RangeError);
    expect(() => formatWareki('not a date')).toThrow(RangeError);
    expect(() => formatWareki(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('formatWarekiDateTime', () => {
  it('formats date and 24-hour Tokyo time', () => {
    expect(formatWarekiDateTime('2025-04-01T05:05:00Z')).toBe('令和7年4月1日 14:05');
    expect(formatWarekiDateTime(new Date('2025-03-31T15:30:00Z'))).toBe('令和7年4月1日 00:30');
    expect(formatWarekiDateTime('2019-05-01T00:00:00+09:00')).toBe('令和元年5月1日 00:00');
  });
});

describe('todayInTokyo / toTokyoDate', () => {
  it('uses the Tokyo calendar day', () => {
    expect(todayInTokyo(new Date('2025-03-31T15:30:00Z'))).toBe('2025-04-01');
    expect(todayInTokyo(new Date('2025-03-31T14:59:59Z'))).toBe('2025-03-31');
    expect(todayInTokyo()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('returns date-only strings unchanged', () => {
    expect(toTokyoDate('2024-02-29')).toBe('2024-02-29');
  });
});

describe('ageOn', () => {
  it('counts completed years, increasing on the birthday', () => {
    expect(ageOn('1980-04-01', '2025-03-31')).toBe(44);
    expect(ageOn('1980-04-01', '2025-04-01')).toBe(45);
    expect(ageOn('1980-04-01', '1980-04-01')).toBe(0);
    expect(ageOn('1980-12-31', '2025-01-01')).toBe(44);
  });

  it('handles 2月29日 birthdays', () => {
    expect(ageOn('2000-02-29', '2025-02-28')).toBe(24);
    expect(ageOn('2000-02-29', '2025-03-01')).toBe(25);
    expect(ageOn('2000-02-29', '2024-02-29')).toBe(24);
  });

  it('rejects invalid or reversed dates', () => {
    expect(() => ageOn('2000-02-30', '2025-01-01')).toThrow(RangeError);
    expect(() => ageOn('2025-01-02', '2025-01-01')).toThrow(RangeError);
  });
});

describe('fiscalYear', () => {
  it('starts 年度 on April 1', () => {
    expect(fiscalYear('2025-03-31')).toBe(2024);
    expect(fiscalYear('2025-04-01')).toBe(2025);
    expect(fiscalYear('2025-12-31')).toBe(2025);
    expect(fiscalYear('2026-01-01')).toBe(2025);
  });

  it('uses the Tokyo date of instants', () => {
    expect(fiscalYear('2025-03-31T15:30:00Z')).toBe(2025);
    expect(fiscalYear(new Date('2025-03-31T14:00:00Z'))).toBe(2024);
  });
});

describe('parseWareki', () => {
  it.each([
    ['R7.4.1', '2025-04-01'],
    ['令和7年4月1日', '2025-04-01'],
    ['令和元年5月1日', '2019-05-01'],
    ['R1.5.1', '2019-05-01'],
    ['H31.4.30', '2019-04-30'],
    ['S64.1.7', '1989-01-07'],
    ['H1.1.8', '1989-01-08'],
    ['平成元年1月8日', '1989-01-08'],
    ['r07/04/01', '2025-04-01'],
    ['令7.4.1', '2025-04-01'],
    ['Ｒ７．４．１', '2025-04-01'],
    ['令和 7年 4月 1日', '2025-04-01'],
    ['㋿7年4月1日', '2025-04-01'],
    ['㍻31年4月30日', '2019-04-30'],
    ['S20.8.15', '1945-08-15'],
    ['T1.7.30', '1912-07-30'],
    ['M6.1.1', '1873-01-01'],
    ['H12.2.29', '2000-02-29'],
  ])('%s → %s', (input, expected) => {
    expect(parseWareki(input)).toBe(expected);
  });

  it.each([
    'H31.5.1', // 令和 already
    'S64.1.8', // 平成 already
    'R1.4.30', // before 令和
    'H1.1.7', // before 平成
    'R7.2.29', // not a leap year
    'R7.13.1',
    'R0.1.1',
    'M5.12.31', // lunisolar era
    'X7.4.1',
    '2025-04-01',
    '',
    '令和7年4月',
  ])('rejects %s', (input) => {
    expect(parseWareki(input)).toBeNull();
  });

  it('round-trips with formatWareki', () => {
    for (const iso of ['2019-05-01', '2019-04-30', '1989-01-07', '1989-01-08', '2025-04-01', '1950-06-15']) {
      expect(parseWareki(formatWareki(iso))).toBe(iso);
      expect(parseWareki(formatWareki(iso, { style: 'short' }))).toBe(iso);
    }
  });
});
