/**
 * Search-key derivation for person names.
 *
 * Stored keys and query keys go through the same functions so a substring
 * match on keys (e.g. SQL `LIKE '%' || key || '%'`) finds a person however the
 * name was typed: 旧字体 vs 新字体, hiragana vs katakana, half-width kana,
 * with or without spaces.
 */
import { foldVariants } from './variants.ts';

/** Hiragana letters that have a katakana twin exactly 0x60 above (ぁ–ゖ, ゝ, ゞ). */
const HIRAGANA_SHIFTABLE = /[\u3041-\u3096\u309D\u309E]/g;

/**
 * Standalone (spacing) voiced/semi-voiced marks. NFKC turns them into
 * "space + combining mark", and the space would block composition (カ゛ would
 * not become ガ), so we swap in the combining forms before normalizing.
 */
const SPACING_SOUND_MARKS = /[\u309B\u309C]/g;

/** Any Unicode whitespace, including U+3000 IDEOGRAPHIC SPACE. */
const WHITESPACE = /\s+/gu;

/**
 * Middle dots and hyphen-like separators people type between name parts
 * (ジョン・スミス, ｼﾞｮﾝ-ｽﾐｽ). ー is handled separately because it is a kana.
 */
const SEPARATORS = /[\u00B7\u2027\u30FB\u30A0\u002D\u2010-\u2015\u2212\u003D]/gu;

/** Small kana → large kana, applied after katakana conversion. */
const SMALL_TO_LARGE: Readonly<Record<string, string>> = {
  ァ: 'ア',
  ィ: 'イ',
  ゥ: 'ウ',
  ェ: 'エ',
  ォ: 'オ',
  ッ: 'ツ',
  ャ: 'ヤ',
  ュ: 'ユ',
  ョ: 'ヨ',
  ヮ: 'ワ',
  ヵ: 'カ',
  ヶ: 'ケ',
  // Katakana Phonetic Extensions (Ainu small kana), U+31F0–U+31FF.
  ㇰ: 'ク',
  ㇱ: 'シ',
  ㇲ: 'ス',
  ㇳ: 'ト',
  ㇴ: 'ヌ',
  ㇵ: 'ハ',
  ㇶ: 'ヒ',
  ㇷ: 'フ',
  ㇸ: 'ヘ',
  ㇹ: 'ホ',
  ㇺ: 'ム',
  ㇻ: 'ラ',
  ㇼ: 'リ',
  ㇽ: 'ル',
  ㇾ: 'レ',
  ㇿ: 'ロ',
};
const SMALL_KANA = new RegExp(`[${Object.keys(SMALL_TO_LARGE).join('')}]`, 'gu');

/** Characters accepted by {@link isKana} (checked after normalization). */
const KANA_CHARS = /^[\u3041-\u3096\u3099-\u309A\u309D-\u309E\u30A1-\u30FA\u30FB\u30FC\u30FD-\u30FE\u31F0-\u31FF ]+$/u;
/** At least one actual kana letter, so "ー" or "  " alone is not a kana name. */
const KANA_LETTER = /[\u3041-\u3096\u30A1-\u30FA\u31F0-\u31FF]/u;

/** NFKC with the spacing sound-mark fix-up described above. */
function normalizeKana(s: string): string {
  return s.replace(SPACING_SOUND_MARKS, (m) => (m === '\u309B' ? '\u3099' : '\u309A')).normalize('NFKC');
}

/** Hiragana → katakana by code point shift; leaves everything else as-is. */
function hiraganaToKatakana(s: string): string {
  return s.replace(HIRAGANA_SHIFTABLE, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

/**
 * Kana search key: NFKC (half-width ｻｲﾄｳ → サイトウ), hiragana → katakana,
 * whitespace / middle dots / hyphen-like separators removed, small kana folded
 * to large (ッ→ツ, ャ→ヤ, ァ→ア …), long-vowel mark ー removed, and any
 * remaining non-katakana characters dropped.
 *
 * ヴ is deliberately kept (not folded to ブ): registries record ヴ and バ行
 * spellings as different names, and folding would hide that distinction in
 * duplicate checks. Search for either spelling separately if needed.
 */
export function toKanaKey(s: string): string {
  return hiraganaToKatakana(normalizeKana(s))
    .replace(WHITESPACE, '')
    .replace(SEPARATORS, '')
    .replace(SMALL_KANA, (c) => SMALL_TO_LARGE[c] ?? c)
    .replace(/\u30FC/g, '')
    .replace(/[^\u30A1-\u30FA\u30FD\u30FE]/gu, '');
}

/**
 * Name search key: NFKC, whitespace and middle dots removed, 異体字 folded
 * via {@link foldVariants}, hiragana → katakana, Latin lower-cased.
 *
 * Hiragana is converted everywhere (not only for all-kana strings) so that
 * mixed names such as 山田さくら match a query "さくら" or "山田サクラ".
 */
export function toNameKey(s: string): string {
  const base = normalizeKana(s)
    .replace(WHITESPACE, '')
    .replace(/[\u00B7\u30FB]/gu, '');
  return hiraganaToKatakana(foldVariants(base)).toLowerCase();
}

/**
 * True when `s` (after NFKC) consists only of hiragana, katakana, ー, the
 * middle dot ・ (foreign names: ジョン・スミス) and spaces, and contains at
 * least one kana letter. Used to validate furigana fields.
 */
export function isKana(s: string): boolean {
  // NFKC already turns U+3000 and other Zs spaces into U+0020; tabs/newlines stay and fail.
  const n = normalizeKana(s);
  return KANA_CHARS.test(n) && KANA_LETTER.test(n);
}

/** Name parts as entered on a person record. Missing parts count as empty. */
export interface PersonNameParts {
  familyName?: string | null;
  givenName?: string | null;
  familyNameKana?: string | null;
  givenNameKana?: string | null;
}

/** Keys stored alongside a person record for search. */
export interface PersonSearchKeys {
  nameKey: string;
  kanaKey: string;
}

/** Derive the stored search keys for a person (family + given, no separator). */
export function personSearchKeys(p: PersonNameParts): PersonSearchKeys {
  return {
    nameKey: toNameKey(`${p.familyName ?? ''}${p.givenName ?? ''}`),
    kanaKey: toKanaKey(`${p.familyNameKana ?? ''}${p.givenNameKana ?? ''}`),
  };
}

/** Keys derived from a free-text search box. */
export interface QueryKeys {
  /** Match against stored nameKey. May be '' for a blank query; callers should skip the search then. */
  nameKey: string;
  /** Match against stored kanaKey; null unless the query is kana-only (and non-empty after folding). */
  kanaKey: string | null;
}

/**
 * Derive search keys from a query. The kana key is only produced for
 * kana-only queries, because a kana key from mixed input (kanji dropped)
 * would match far too broadly.
 */
export function queryKeys(q: string): QueryKeys {
  const nameKey = toNameKey(q);
  const kanaKey = isKana(q) ? toKanaKey(q) : '';
  return { nameKey, kanaKey: kanaKey === '' ? null : kanaKey };
}

/** Options for {@link hasForbiddenControlChars}. */
export interface ControlCharOptions {
  /**
   * Allow \n, \r, \t and U+2028/U+2029 (free-text bodies such as case notes,
   * where pasted spreadsheet cells bring tabs). Names never allow them.
   */
  allowNewlines?: boolean;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const C0_C1 = /[\u0000-\u001F\u007F-\u009F]/g;
const LINE_SEPARATORS = /[\u2028\u2029]/;
/** Bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they can visually disguise text. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
/** High surrogate not followed by a low one, or low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when `s` contains characters we refuse to store: C0/C1 control
 * characters (newlines/tabs allowed only with `allowNewlines`), bidi
 * override/embedding/isolate characters, or lone surrogates.
 */
export function hasForbiddenControlChars(s: string, opts: ControlCharOptions = {}): boolean {
  const allowNewlines = opts.allowNewlines === true;
  for (const m of s.matchAll(C0_C1)) {
    const c = m[0];
    if (!(allowNewlines && (c === '\n' || c === '\r' || c === '\t'))) return true;
  }
  if (!allowNewlines && LINE_SEPARATORS.test(s)) return true;
  return BIDI_CONTROLS.test(s) || LONE_SURROGATE.test(s);
}

/**
 * Length (in code points) of the substring-index entries. Longer terms are found by their
 * first SUBSTRING_KEY_LENGTH characters and then checked against the whole key.
 */
export const SUBSTRING_KEY_LENGTH = 8;

/** Which stored key an index entry or a query range belongs to: N = name key, K = kana key. */
export type SubstringKeyTag = 'N' | 'K';

/**
 * The substring index of a person (table person_search_keys): every suffix of the name key
 * and of the kana key, cut to SUBSTRING_KEY_LENGTH code points and tagged with its key. A
 * term occurs in a key exactly when it is a prefix of one of the key's suffixes, so one
 * indexed range scan finds 1- and 2-character terms too (a trigram index cannot).
 */
export function substringSearchKeys(keys: PersonSearchKeys): string[] {
  const out = new Set<string>();
  const tagged: [SubstringKeyTag, string][] = [
    ['N', keys.nameKey],
    ['K', keys.kanaKey],
  ];
  for (const [tag, key] of tagged) {
    const chars = Array.from(key);
    for (let i = 0; i < chars.length; i += 1) out.add(tag + chars.slice(i, i + SUBSTRING_KEY_LENGTH).join(''));
  }
  return [...out];
}

/**
 * The range [low, high) of index entries whose suffix starts with `term` (its first
 * SUBSTRING_KEY_LENGTH characters). Compared as code points: SQLite's BINARY collation and
 * PostgreSQL's "C" collation both order UTF-8 that way, and U+10FFFF sorts after every
 * character.
 */
export function substringKeyRange(tag: SubstringKeyTag, term: string): { low: string; high: string } {
  const low = tag + Array.from(term).slice(0, SUBSTRING_KEY_LENGTH).join('');
  return { low, high: `${low}\u{10FFFF}` };
}
