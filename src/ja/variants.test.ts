import { describe, expect, it } from 'vitest';
import { foldVariants, variantTable } from './variants.ts';

describe('foldVariants', () => {
  it('folds all four さいとう characters to one key', () => {
    const keys = new Set(['齋藤', '齊藤', '斎藤', '斉藤'].map(foldVariants));
    expect(keys.size).toBe(1);
  });

  it.each([
    ['髙橋', '高橋'],
    ['渡邊', '渡辺'],
    ['渡邉', '渡辺'],
    ['山\u{FA11}', '山崎'],
    ['山嵜', '山崎'],
    ['桒原', '桑原'],
    ['濵田', '浜田'],
    ['濱田', '浜田'],
    ['國分', '国分'],
    ['德川', '徳川'],
    ['澤田', '沢田'],
    ['廣瀬', '広瀬'],
    ['中邨', '中村'],
    ['小嶋', '小島'],
    ['小嶌', '小島'],
    ['櫻井', '桜井'],
    ['眞理', '真理'],
    ['實', '実'],
    ['惠子', '恵子'],
    ['榮一', '栄一'],
    ['藏之介', '蔵之介'],
    ['龍之介', '竜之介'],
    ['壽子', '寿子'],
    ['曾根', '曽根'],
    ['凜', '凛'],
    ['彌生', '弥生'],
    ['冨田', '富田'],
    ['栁田', '柳田'],
    ['萬田', '万田'],
  ])('%s → %s', (input, expected) => {
    expect(foldVariants(input)).toBe(expected);
  });

  it('handles the non-BMP 𠮷 (U+20BB7) as one code point', () => {
    const tsuchiyoshi = String.fromCodePoint(0x20bb7);
    expect(tsuchiyoshi.length).toBe(2);
    expect(foldVariants(`${tsuchiyoshi}田`)).toBe('吉田');
    expect(foldVariants(`山${tsuchiyoshi}`)).toBe('山吉');
  });

  it('leaves unrelated non-BMP characters intact', () => {
    const hokke = String.fromCodePoint(0x29e3d); // 𩸽
    expect(foldVariants(`${hokke}太郎`)).toBe(`${hokke}太郎`);
  });

  it('folds IVS-distinguished glyphs (both forms of 辻) by stripping variation selectors', () => {
    expect(foldVariants('辻\u{E0100}本')).toBe('辻本');
    expect(foldVariants('辻\u{E0101}本')).toBe('辻本');
    expect(foldVariants('葛\u{E0100}西')).toBe('葛西');
  });

  it('applies NFC so decomposable compatibility ideographs fold too', () => {
    expect(foldVariants('\u{FA19}田')).toBe('神田'); // 神 → 神
  });

  it('leaves kana, Latin and already-canonical text unchanged', () => {
    expect(foldVariants('さいとう サイトウ Saito 斎藤')).toBe('さいとう サイトウ Saito 斎藤');
  });

  it('has a table of a few dozen single-code-point entries that is idempotent', () => {
    const table = variantTable();
    expect(table.size).toBeGreaterThanOrEqual(40);
    for (const [variant, canonical] of table) {
      expect([...variant]).toHaveLength(1);
      expect([...canonical]).toHaveLength(1);
      // Canonical characters must not themselves be folded further.
      expect(table.has(canonical)).toBe(false);
      expect(foldVariants(foldVariants(variant))).toBe(foldVariants(variant));
      // Keys must survive NFC/NFKC, or toNameKey (which normalizes first) would never hit them.
      expect(variant.normalize('NFKC')).toBe(variant);
    }
  });
});
