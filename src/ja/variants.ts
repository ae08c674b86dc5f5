/**
 * 異体字 / 旧字体 folding table for NAME SEARCH KEYS ONLY.
 *
 * Names are always stored exactly as entered (a resident's 戸籍 spelling is
 * part of their identity); this table only decides which spellings a search
 * should treat as "the same character". It is repo-owned, hand-curated and
 * deliberately small: over-folding would merge genuinely different names.
 *
 * Sources consulted (2026-11-28):
 * - 法務省「戸籍統一文字」 correspondences between 正字 and 俗字/誤字
 * - 人名用漢字表 (戸籍法施行規則 別表第二) 異体字 pairs (二) 欄
 * - JIS X 0213 / Unicode CJK Compatibility Ideographs (e.g. U+FA11 﨑, which
 *   has no Unicode decomposition, so NFKC alone does not fold it)
 * - Municipal practice: 斉藤 / 斎藤 / 齋藤 / 齊藤 are searched together even
 *   though 斉 and 斎 are distinct characters, because residents and staff
 *   mix them up constantly.
 *
 * Characters that differ only by glyph shape inside one code point (e.g. 辻
 * with one-dot vs two-dot しんにょう, 葛 variants) are distinguished in data
 * only by Ideographic Variation Sequences, so we fold them by stripping
 * variation selectors instead of by table entries.
 */

/** Canonical search character → variants folded onto it. */
const GROUPS: ReadonlyArray<readonly [canonical: string, variants: string]> = [
  ['斎', '齋齊斉'],
  ['高', '髙'],
  ['辺', '邊邉'],
  ['崎', '\u{FA11}嵜碕'], // 﨑 is a compatibility ideograph without decomposition
  ['桑', '桒'],
  ['浜', '濵濱'],
  ['国', '國圀'],
  ['徳', '德'],
  ['吉', '\u{20BB7}'], // 𠮷 (つちよし), outside the BMP
  ['沢', '澤'],
  ['広', '廣'],
  ['村', '邨'],
  ['島', '嶋嶌'],
  ['桜', '櫻'],
  ['真', '眞'],
  ['実', '實'],
  ['恵', '惠'],
  ['栄', '榮'],
  ['蔵', '藏'],
  ['竜', '龍'],
  ['寿', '壽'],
  ['曽', '曾'],
  ['凛', '凜'],
  ['弥', '彌'],
  ['富', '冨'],
  ['柳', '栁'],
  ['万', '萬'],
  ['瀬', '瀨'],
  ['野', '埜'],
  ['渋', '澁'],
  ['渕', '淵'],
  ['条', '條'],
  ['槙', '槇'],
  ['豊', '豐'],
  ['礼', '禮'],
  ['会', '會'],
  ['与', '與'],
  ['来', '來'],
  ['静', '靜'],
  ['清', '淸'],
  ['学', '學'],
  ['館', '舘'],
  ['峰', '峯'],
  ['鴎', '鷗'],
  ['晋', '晉'],
  ['伝', '傳'],
  ['恒', '恆'],
  ['穂', '穗'],
  ['荘', '莊'],
  ['巌', '巖'],
  ['円', '圓'],
  ['園', '薗'],
  ['禄', '祿'],
  ['亀', '龜'],
  ['芦', '蘆'],
  ['騨', '驒'],
  ['岳', '嶽'],
  ['瑶', '瑤'],
  ['遥', '遙'],
  ['聡', '聰'],
  ['青', '靑'],
  ['浅', '淺'],
  ['関', '關'],
  ['黒', '黑'],
  ['滝', '瀧'],
  ['児', '兒'],
  ['桧', '檜'],
  ['薮', '藪'],
  ['増', '增'],
  ['昇', '曻'],
  ['寛', '寬'],
  ['郷', '鄕鄉'],
  ['顕', '顯'],
  ['応', '應'],
  ['絵', '繪'],
  ['船', '舩'],
];

/** Flattened variant → canonical map, keyed by single code point strings. */
const VARIANT_MAP: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const [canonical, variants] of GROUPS) {
    // Iterate by code point so non-BMP variants stay whole.
    for (const v of variants) m.set(v, canonical);
  }
  return m;
})();

/**
 * Variation selectors (VS1–VS16 and the IVS range VS17–VS256). Stripping them
 * folds IVS-distinguished glyphs such as 辻󠄀/辻 onto the base character.
 */
const VARIATION_SELECTORS = /[\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]/gu;

/**
 * Fold 異体字/旧字体 to one canonical character for name search keys.
 *
 * Applies NFC first (so CJK compatibility ideographs that do have a
 * decomposition, e.g. U+FA19 神, become their unified form), strips variation
 * selectors, then maps each code point through the repo-owned table.
 * Never use the result for display or storage.
 */
export function foldVariants(s: string): string {
  const base = s.normalize('NFC').replace(VARIATION_SELECTORS, '');
  let out = '';
  for (const ch of base) out += VARIANT_MAP.get(ch) ?? ch;
  return out;
}

/** Read-only view of the folding table (variant → canonical), for tests and admin UIs. */
export function variantTable(): ReadonlyMap<string, string> {
  return VARIANT_MAP;
}
