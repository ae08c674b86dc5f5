import { describe, expect, it } from 'vitest';
import {
  hasForbiddenControlChars,
  isKana,
  personSearchKeys,
  queryKeys,
  SUBSTRING_KEY_LENGTH,
  substringKeyRange,
  substringSearchKeys,
  toKanaKey,
  toNameKey,
} from './searchKeys.ts';

describe('toKanaKey', () => {
  it('widens half-width kana, including voiced marks', () => {
    expect(toKanaKey('ｻｲﾄｳ')).toBe('サイトウ');
    expect(toKanaKey('ｶﾞｸ ﾊﾟﾝ')).toBe('ガクパン');
  });

  it('converts hiragana to katakana', () => {
    expect(toKanaKey('さいとう はなこ')).toBe('サイトウハナコ');
    expect(toKanaKey('ゔぁ')).toBe('ヴア');
  });

  it('removes ASCII, ideographic and other whitespace', () => {
    expect(toKanaKey(' サイトウ\u3000ハナコ\t')).toBe('サイトウハナコ');
  });

  it('removes middle dots and hyphen-like separators', () => {
    expect(toKanaKey('ジョン・スミス')).toBe('ジヨンスミス');
    expect(toKanaKey('ｼﾞｮﾝ･ｽﾐｽ')).toBe('ジヨンスミス');
    expect(toKanaKey('ジョン‐スミス')).toBe('ジヨンスミス');
    expect(toKanaKey('ジョン=スミス')).toBe('ジヨンスミス');
    expect(toKanaKey('ジョン゠スミス')).toBe('ジヨンスミス');
  });

  it('folds small kana to large', () => {
    expect(toKanaKey('ァィゥェォッャュョヮヵヶ')).toBe('アイウエオツヤユヨワカケ');
    expect(toKanaKey('きょうこ')).toBe('キヨウコ');
    expect(toKanaKey('ㇰ')).toBe('ク');
  });

  it('removes the long vowel mark (full and half width)', () => {
    expect(toKanaKey('ルーシー')).toBe('ルシ');
    expect(toKanaKey('ﾙｰｼｰ')).toBe('ルシ');
  });

  it('keeps ヴ (documented: not folded to ブ)', () => {
    expect(toKanaKey('ヴィクトル')).toBe('ヴイクトル');
  });

  it('composes spacing voiced marks typed separately', () => {
    expect(toKanaKey('カ゛ク')).toBe('ガク');
    expect(toKanaKey('ハ゜ン')).toBe('パン');
  });

  it('returns katakana only', () => {
    expect(toKanaKey('山田 タロウ abc 123')).toBe('タロウ');
  });
});

describe('toNameKey', () => {
  it('normalizes width, spacing and variants', () => {
    expect(toNameKey('齋藤　花子')).toBe('斎藤花子');
    expect(toNameKey('髙橋 一郎')).toBe('高橋一郎');
  });

  it('katakana-izes kana queries so they match kana names', () => {
    expect(toNameKey('さくら')).toBe('サクラ');
    expect(toNameKey('ｻｸﾗ')).toBe('サクラ');
  });

  it('katakana-izes hiragana inside mixed names too', () => {
    expect(toNameKey('山田 さくら')).toBe('山田サクラ');
    expect(toNameKey('山田さくら').includes(toNameKey('さくら'))).toBe(true);
  });

  it('lower-cases and widens Latin names', () => {
    expect(toNameKey('ＳＭＩＴＨ John')).toBe('smithjohn');
  });

  it('removes middle dots', () => {
    expect(toNameKey('ジョン・スミス')).toBe('ジョンスミス');
  });
});

describe('isKana', () => {
  it.each(['さいとう', 'サイトウ', 'ｻｲﾄｳ', 'サイトウ　ハナコ', 'ルーシー', 'ジョン・スミス', 'ヴィ'])('accepts %s', (s) => {
    expect(isKana(s)).toBe(true);
  });

  it.each(['', ' ', '\u3000', 'ー', '斎藤', 'さいとう花子', 'saito', 'サイトウ1', 'サイ\nトウ'])('rejects %j', (s) => {
    expect(isKana(s)).toBe(false);
  });
});

describe('personSearchKeys / queryKeys', () => {
  const stored = personSearchKeys({
    familyName: '齋藤',
    givenName: '花子',
    familyNameKana: 'サイトウ',
    givenNameKana: 'ハナコ',
  });

  it('derives stored keys', () => {
    expect(stored).toEqual({ nameKey: '斎藤花子', kanaKey: 'サイトウハナコ' });
  });

  it('treats missing parts as empty', () => {
    expect(personSearchKeys({ familyName: '山田', givenName: null })).toEqual({ nameKey: '山田', kanaKey: '' });
  });

  /** A query hits when any of its non-null keys is a substring of the matching stored key. */
  const hits = (q: string): boolean => {
    const k = queryKeys(q);
    return (k.nameKey !== '' && stored.nameKey.includes(k.nameKey)) || (k.kanaKey !== null && stored.kanaKey.includes(k.kanaKey));
  };

  it.each(['斉藤 花子', '斎藤花子', '齋藤花子', '齊藤　花子', 'さいとう はなこ', 'ｻｲﾄｳﾊﾅｺ', 'サイトウ ハナコ', '斉藤', 'はなこ', 'ｻｲﾄｳ'])(
    '%s finds 齋藤 花子',
    (q) => {
      expect(hits(q)).toBe(true);
    },
  );

  it.each(['佐藤花子', 'さとう', '斉藤 太郎'])('%s does not find 齋藤 花子', (q) => {
    expect(hits(q)).toBe(false);
  });

  it('produces a kana key only for kana-only queries', () => {
    expect(queryKeys('さいとう はなこ')).toEqual({ nameKey: 'サイトウハナコ', kanaKey: 'サイトウハナコ' });
    expect(queryKeys('ｻｲﾄｳﾊﾅｺ')).toEqual({ nameKey: 'サイトウハナコ', kanaKey: 'サイトウハナコ' });
    expect(queryKeys('斉藤 花子')).toEqual({ nameKey: '斎藤花子', kanaKey: null });
    expect(queryKeys('齋藤花子').kanaKey).toBeNull();
    expect(queryKeys('斉藤 はなこ').kanaKey).toBeNull();
  });

  it('returns an empty name key and null kana key for a blank query', () => {
    expect(queryKeys(' \u3000 ')).toEqual({ nameKey: '', kanaKey: null });
  });
});

describe('hasForbiddenControlChars', () => {
  it('accepts ordinary names including non-BMP characters', () => {
    expect(hasForbiddenControlChars('齋藤 花子')).toBe(false);
    expect(hasForbiddenControlChars(`${String.fromCodePoint(0x20bb7)}田`)).toBe(false);
    expect(hasForbiddenControlChars('辻\u{E0100}')).toBe(false);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['newline', 'a\nb'],
    ['CR', 'a\rb'],
    ['tab', 'a\tb'],
    ['ESC', '\u001b[31m'],
    ['DEL', 'a\u007fb'],
    ['C1 NEL', 'a\u0085b'],
    ['C1 CSI', 'a\u009bb'],
    ['LRE', 'a\u202Ab'],
    ['RLO', 'a\u202Eb'],
    ['LRI', 'a\u2066b'],
    ['PDI', 'a\u2069b'],
    ['line separator', 'a\u2028b'],
    ['lone high surrogate', 'a\uD842b'],
    ['lone high surrogate at end', 'a\uD842'],
    ['lone low surrogate', '\uDFB7b'],
    ['reversed pair', '\uDFB7\uD842'],
  ])('rejects %s in names', (_name, s) => {
    expect(hasForbiddenControlChars(s)).toBe(true);
  });

  it('allows newlines and tabs in free text with allowNewlines', () => {
    expect(hasForbiddenControlChars('一行目\r\n二行目\t続き\u2028', { allowNewlines: true })).toBe(false);
  });

  it('still rejects other controls, bidi and lone surrogates with allowNewlines', () => {
    const opts = { allowNewlines: true };
    expect(hasForbiddenControlChars('a\nb\u0000', opts)).toBe(true);
    expect(hasForbiddenControlChars('a\u0085b', opts)).toBe(true);
    expect(hasForbiddenControlChars('a\n\u202Eb', opts)).toBe(true);
    expect(hasForbiddenControlChars('a\n\uDC00', opts)).toBe(true);
  });
});

describe('substring index (person_search_keys)', () => {
  const keys = personSearchKeys({ familyName: '齋藤', givenName: '花子', familyNameKana: 'さいとう', givenNameKana: 'はなこ' });
  const inRange = (tag: 'N' | 'K', term: string) => {
    const { low, high } = substringKeyRange(tag, term);
    return substringSearchKeys(keys).some((k) => k >= low && k < high);
  };

  it('holds every suffix of both keys, tagged', () => {
    expect(substringSearchKeys(keys)).toEqual([
      'N斎藤花子',
      'N藤花子',
      'N花子',
      'N子',
      'Kサイトウハナコ',
      'Kイトウハナコ',
      'Kトウハナコ',
      'Kウハナコ',
      'Kハナコ',
      'Kナコ',
      'Kコ',
    ]);
  });

  it('finds any substring, of one character or more, in its own key only', () => {
    for (const t of ['斎', '藤', '藤花', '花子', '斎藤花子']) expect(inRange('N', t)).toBe(true);
    for (const t of ['サ', 'トウ', 'ハナコ', 'サイトウハナコ']) expect(inRange('K', t)).toBe(true);
    expect(inRange('N', 'サイ')).toBe(false);
    expect(inRange('K', '花')).toBe(false);
    expect(inRange('N', '子花')).toBe(false);
  });

  it('cuts entries and ranges to the same length, counting code points', () => {
    const long = personSearchKeys({ familyName: '𩸽木', givenName: 'あいうえおかきくけこ', familyNameKana: 'ほっけぎ', givenNameKana: 'あいうえおかきくけこ' });
    const entries = substringSearchKeys(long);
    expect(Math.max(...entries.map((e) => Array.from(e).length))).toBe(SUBSTRING_KEY_LENGTH + 1);
    expect(entries[0]).toBe('N𩸽木アイウエオカ');
    const { low, high } = substringKeyRange('N', '𩸽木アイウエオカキクケコ');
    expect(low).toBe('N𩸽木アイウエオカ');
    expect(entries.some((e) => e >= low && e < high)).toBe(true);
  });
});
