import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clean, japaneseFont, kindLabel, meetingDateTime, placeLabel, warekiWithWeekday } from './pdf.ts';

describe('meetingDateTime', () => {
  it('prints 和暦 with the Japanese weekday and Tokyo time', () => {
    expect(meetingDateTime('2026-12-03T05:00:00Z')).toBe('令和8年12月3日（木）14:00');
    expect(meetingDateTime('2026-12-03T14:00:00+09:00', '2026-12-03T15:30:00+09:00')).toBe('令和8年12月3日（木）14:00〜15:30');
  });

  it('uses the Tokyo calendar day, not UTC', () => {
    expect(meetingDateTime('2026-12-02T15:30:00Z')).toBe('令和8年12月3日（木）00:30');
    expect(warekiWithWeekday('2019-05-01T00:00:00+09:00')).toBe('令和元年5月1日（水）');
  });

  it('prints the end date when the meeting runs past midnight', () => {
    expect(meetingDateTime('2026-12-03T22:00:00+09:00', '2026-12-04T01:00:00+09:00')).toBe('令和8年12月3日（木）22:00〜令和8年12月4日（金）01:00');
  });

  it('refuses an invalid timestamp', () => {
    expect(() => meetingDateTime('2026-02-30T10:00:00Z')).toThrow(RangeError);
  });
});

describe('placeLabel', () => {
  it('prints the place, オンライン, both, or 未定', () => {
    expect(placeLabel('第1会議室', false)).toBe('第1会議室');
    expect(placeLabel(null, true)).toBe('オンライン');
    expect(placeLabel('第1会議室', true)).toBe('第1会議室（オンライン併用）');
    expect(placeLabel('  ', undefined)).toBe('未定');
  });
});

describe('kindLabel', () => {
  it('names each kind and, for a case conference, the basis it declared', () => {
    expect(kindLabel('support', 'art106-6')).toBe('支援会議');
    expect(kindLabel('multilayer', 'consent')).toBe('重層的支援会議');
    expect(kindLabel('case_conference', 'art106-6')).toBe('複合課題ケース検討会（支援会議として開催）');
    expect(kindLabel('case_conference', 'consent')).toBe('複合課題ケース検討会（本人同意に基づき開催）');
  });

  it('names a designated body by its own name, or by its statutory name', () => {
    expect(kindLabel('support', 'designated:community-care', '髙島市地域ケア会議')).toBe('髙島市地域ケア会議（支援会議として開催）');
    expect(kindLabel('support', 'designated:support-coordination')).toBe('支援調整会議（支援会議として開催）');
  });

  it('refuses contradictions between kind and basis', () => {
    expect(() => kindLabel('multilayer', 'art106-6')).toThrow(RangeError);
    expect(() => kindLabel('multilayer', 'designated:child-protection')).toThrow(RangeError);
    expect(() => kindLabel('support', 'consent')).toThrow(RangeError);
    expect(() => kindLabel('nonsense' as never, 'consent')).toThrow(/Unknown meeting kind/);
  });
});

describe('clean', () => {
  it('keeps text and newlines, drops controls and bidi overrides', () => {
    expect(clean('髙橋\r\n齋藤\t𠮷田\u0000\u202E\u2066x')).toBe('髙橋\n齋藤 𠮷田x');
    expect(clean(null)).toBe('');
  });
});

describe('japaneseFont', () => {
  it('is Noto Sans JP from the runtime dependency, with its OFL licence in the repository', () => {
    const font = japaneseFont();
    // A TrueType font: its first four bytes are the version 1.0 tag.
    expect(font.subarray(0, 4).equals(Buffer.from([0, 1, 0, 0]))).toBe(true);
    expect(font.length).toBeGreaterThan(1_000_000);
    const ofl = readFileSync(fileURLToPath(new URL('../fonts/OFL.txt', import.meta.url)), 'utf8');
    expect(ofl).toContain('SIL OPEN FONT LICENSE Version 1.1');
  });
});
