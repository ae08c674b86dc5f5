/**
 * fast-check arbitraries for the input fuzzer (T3): a small zod → fast-check converter for
 * the schema types the API uses, realistic Japanese text, and hostile values and mutations.
 *
 * Our string refinements (text(), kana, pastDate in src/domain/schemas.ts) are opaque
 * superRefine functions, so the converter *probes* a refined string schema with a few
 * safeParse calls to learn what it is (a date, kana only, free text with or without
 * newlines, its maximum length). A new field built from the same helpers is understood
 * without touching this file.
 *
 * Values that must be real ids (a person, a case …) are generated as {@link Ref} markers and
 * resolved against the fixture world when the request is sent, so that pools can grow with
 * what earlier runs created.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { todayInTokyo } from '../../../src/ja/index.ts';

// ---------------------------------------------------------------------------------------
// References to real rows

/** A pool of the world (person, case …) or a route's own pool (e.g. "ownOrg"). */
export type RefKind = string;

/** A placeholder for a real id of `kind`, resolved at send time (`n` picks one). */
export class Ref {
  readonly kind: RefKind;
  readonly n: number;
  constructor(kind: RefKind, n: number) {
    this.kind = kind;
    this.n = n;
  }
  toString() {
    return `Ref(${this.kind}#${this.n})`;
  }
}

/** Which pool an id-shaped field draws from, by its key (and the key of its array parent). */
export function refKindOfKey(key: string | undefined): RefKind | undefined {
  switch (key) {
    case 'personId':
      return 'person';
    case 'householdId':
      return 'household';
    case 'caseId':
      return 'case';
    case 'organizationId':
    case 'leadOrganizationId':
    case 'organizationIds':
      return 'organization';
    case 'userId':
      return 'user';
    case 'consentId':
      return 'consent';
    default:
      return undefined;
  }
}

/** An object key standing for a real id of a pool (record keys such as purposes' case ids). */
const REF_KEY = '\u0001REF\u0001';
export const refKey = (r: Ref) => `${REF_KEY}${r.kind}\u0001${r.n}`;
/** The Ref behind a key made by {@link refKey}, or undefined. */
export function refOfKey(key: string): Ref | undefined {
  if (!key.startsWith(REF_KEY)) return undefined;
  const [kind, n] = key.slice(REF_KEY.length).split('\u0001');
  return new Ref(kind!, Number(n));
}

/** A well-formed id that names nothing (rule 10: unknown ids are refused, never 500). */
export const unknownId = fc.oneof(
  fc.stringMatching(/^[0-9A-Za-z_-]{1,64}$/),
  fc.constantFrom('0', '-', '_', 'null', 'undefined', 'admin', 'SELECT', 'a'.repeat(64), '01J00000000000000000000000'),
);

// ---------------------------------------------------------------------------------------
// Realistic Japanese text

/** Pieces of real-world Japanese input: 異体字, surrogate pairs, 半角カナ, 全角英数, IVS … */
// biome-ignore format: a packed list reads better than one item per line
const NAME_PIECES = [
  '山田', '佐藤', '鈴木', '髙橋', '高橋', '齋藤', '斎藤', '斉藤', '𠮷田', '吉田', '渡邊', '渡辺', '﨑', '山﨑', '德永', '濵田', '邉', '辻', '葛\u{E0100}', '龍', '太郎', '花子', 'さくら', 'ゆうと',
  'ひなた', 'ハナ', 'ジョン', 'スミス', 'ﾊﾝｶｸ', 'ﾔﾏﾀﾞ', 'ﾀﾛｳ', '々', '〆', 'ヶ', 'ヴィ', 'ゐ', 'ゑ', 'Ａｂｃ', 'abc', "Ｏ'Ｎｅｉｌ", "O'Neil", 'マリア・ガルシア', 'キム', '李', '王', 'Nguyễn',
  'か\u3099', '①', '㈱', '№', '〒100-0001', '１２３', '123', '丁目', '番地', '号', '大字', '字', '東京都', '千代田区', '霞が関1-2-3', '市内', '—', '〜', '～', '、', '。', '「', '」', '（',
  '）', '・', '👨‍👩‍👧', '🙂', '😀', '\u3000', ' ',
];
// biome-ignore format: a packed list reads better than one item per line
const TEXT_PIECES = [
  ...NAME_PIECES, '本人', '長男', '母', '世帯', '相談', '支援', 'ひきこもり', '8050問題', '生活困窮', '介護', 'ヤングケアラー', '家賃滞納', 'DV', 'ケアマネ', '民生委員', '地域包括支援センター', '社会福祉協議会',
  '電話で相談あり。', '訪問予定。', '本人同意あり', '"引用"', "'", '<b>', '&amp;', '\\', '%', '_', '*', '{}', '[]',
];
// biome-ignore format: a packed list reads better than one item per line
const KANA_PIECES = [
  'ヤマダ', 'タロウ', 'さとう', 'はなこ', 'ﾊﾝｶｸ', 'ﾀﾛｳ', 'ｻｲﾄｳ', 'ジョン', 'スミス', 'ー', 'ヴ', 'ッ', 'ャ', 'ゃ', 'ヶ', 'ゐ', 'ヰ', 'ヱ', 'ヲ', 'ン', ' ', '\u3000', '・', 'ｰ', 'ﾞ', 'ㇰ',
];
const KANA_LETTERS = ['ア', 'イ', 'か', 'さ', 'ﾀ', 'ナ', 'ヤ', 'ヴ', 'ん'];

const cp = (s: string) => [...s];
const truncate = (s: string, max: number) => cp(s).slice(0, max).join('');

function pieced(pieces: readonly string[], min: number, max: number, extra: fc.Arbitrary<string>[] = []): fc.Arbitrary<string> {
  const piece = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...pieces) }, ...extra.map((a) => ({ weight: 1, arbitrary: a })));
  return fc.array(piece, { minLength: 1, maxLength: 8 }).map((ps) => {
    let s = truncate(ps.join(''), max);
    // Never whitespace only, never below the minimum.
    if (s.trim().length === 0) s = truncate(`山${s}`, max);
    while (cp(s).length < min) s += 'あ';
    return s;
  });
}

/** Free text of min–max characters as text() accepts it (newlines only when multiline). */
export function jaText(min: number, max: number, multiline = false): fc.Arbitrary<string> {
  const extra = multiline ? [fc.constantFrom('\n', '\r\n', '\t', '\n\n', '。\n')] : [];
  const body = pieced(TEXT_PIECES, min, max, extra);
  // Now and then exactly at the limit, counted in code points (𠮷 is one character).
  const atLimit = fc.constantFrom('𠮷', '髙', 'あ', 'ﾊ', 'a').map((c) => c.repeat(Math.max(min, max)));
  return max <= 4000 ? fc.oneof({ weight: 19, arbitrary: body }, { weight: 1, arbitrary: atLimit }) : body;
}

/** Kana as the kana fields accept it: hiragana, katakana, 半角カナ, ー, spaces. */
export function kanaText(max: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...KANA_LETTERS), fc.array(fc.constantFrom(...KANA_PIECES), { maxLength: 6 }))
    .map(([l, ps]) => truncate(l + ps.join(''), max));
}

/** A real date, not in the future (Asia/Tokyo). */
/** Instants with an offset (api.md: 2026-12-03T14:00:00+09:00), between 2020 and 2035. */
export function instantText(): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }),
      fc.constantFrom('Z', '+09:00', '+00:00', '-05:00'),
      fc.boolean(),
    )
    .map(([d, off, ms]) => {
      const shift = off === 'Z' ? 0 : (off[0] === '-' ? -1 : 1) * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4))) * 60_000;
      const local = new Date(d.getTime() + shift).toISOString().slice(0, ms ? 23 : 19);
      return `${local}${off}`;
    });
}

export function pastDateText(): fc.Arbitrary<string> {
  const today = todayInTokyo();
  return fc.oneof(
    {
      weight: 9,
      arbitrary: fc
        .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${today}T00:00:00Z`), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
    },
    { weight: 1, arbitrary: fc.constantFrom(today, '2000-02-29', '1989-01-08', '2019-05-01', '1900-01-01') },
  );
}

// ---------------------------------------------------------------------------------------
// Hostile values

const FULLWIDTH_DIGITS = '０１２３４５６７８９';
export const toFullWidthDigits = (s: string) => s.replace(/[0-9]/g, (d) => FULLWIDTH_DIGITS[Number(d)]!);

/** Strings that have broken other systems: control, bidi, surrogates, injection payloads. */
// biome-ignore format: a packed list reads better than one item per line
export const HOSTILE_STRINGS: readonly string[] = [
  '', ' ', '\u3000', '\u3000\u3000', '\t', '\n', '\r\n', '\u0000', 'a\u0000b', '山田\u0000', '\u0007', '\u001b[31m赤\u001b[0m', '\u007f', '\u0085', '\u2028',
  '\u2029', '\u202E', '\u202Eｄｌｒｏｗ', '山田\u202E太郎', '\u202A', '\u2066x\u2069', '\u200B', '\u200D', '\uFEFF', '\uFFFD', '\uFFFF', '\uD800', '\uDC00',
  'a\uD800b', '\uDBFF\uDBFF', '\uDFFF\uD800', '２０２４-０１-０１', '２０２４－０１－０１', '１２', '５０', '－１', '１e３', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'ﾊﾝｶｸｶﾅ', 'ｶﾞ', 'ﾞ', 'ｰ', '𠮷', '髙', '﨑',
  "' OR '1'='1", "' OR 1=1 --", "'; DROP TABLE persons; --", '" OR ""="', '1; SELECT * FROM users', "') UNION SELECT password_hash FROM users --", '%', '%%',
  '_', '\\', "\\'", '`', '$1', '?', ':id', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', 'javascript:alert(1)',
  '{{7*7}}', '#{7*7}', '<%= 7*7 %>', '{"$ne":null}', '{"__proto__":{"admin":true}}', '[]', '{}', 'null', 'undefined', 'NaN', 'Infinity', '-0', '0x10',
  '1e309', 'true', 'false', '../../etc/passwd', '..\\..\\windows', '%2e%2e%2f', '%00', '%ZZ', '%E0%A4%A', '/', '//', '?a=b', '#frag', 'a&b=c', '=',
  'a\r\nX-Injected: 1', '2024-01-01\n{"level":"error"}', '\r\n\r\n<html>', 'ＳＥＬＥＣＴ', '𝐒𝐄𝐋𝐄𝐂𝐓', 'İ', 'ß', 'ﬃ', 'Å', 'Å', '2024-02-30', '2023-02-29',
  '2099-01-01', '0000-00-00', '2024-1-1', '2024/01/01', '令和6年1月1日', 'R6.1.1', '1990-01-01T00:00:00Z', '+002024-01-01', ' 2024-01-01', '2024-01-01 ',
  '20240101', '9999-12-31', '-001000-01-01', 'admin', 'coordinator', 'ADMIN', 'closed', 'tax', 'normal ', 'ｎｏｒｍａｌ',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, not a template
  '${7*7}',
];

/** JSON values of the wrong type for almost every field. */
// biome-ignore format: a packed list reads better than one item per line
const WRONG_TYPES: readonly unknown[] = [
  null, true, false, 0, -1, 1, 1.5, -0, 1e21, 2 ** 53 + 1, -(2 ** 31), [], {}, [null], [''], [1, 2, 3], { a: 1 }, { length: 1 }, ['山田'], [[]],
  { toString: 'x' },
];

/** A marker replaced by deeply nested raw JSON text when the body is serialized. */
export class Deep {
  readonly depth: number;
  readonly shape: 'array' | 'object';
  constructor(depth: number, shape: 'array' | 'object') {
    this.depth = depth;
    this.shape = shape;
  }
  text(): string {
    return this.shape === 'array' ? `${'['.repeat(this.depth)}${']'.repeat(this.depth)}` : `${'{"a":'.repeat(this.depth)}1${'}'.repeat(this.depth)}`;
  }
}

/** An object with an *own* key such as "__proto__" (JSON.stringify keeps it). */
export function withOwnKey(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

export const HUGE = 100_000;
export const hugeString = fc.constantFrom('あ', 'a', '𠮷', 'ﾊ', '\u0000', '<', "'").map((c) => c.repeat(HUGE + 1));

/** One hostile value: a bad string, a wrong type, a huge string, or deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('山田', 'ヤマダ', '2020-01-01', 'normal'), fc.constantFrom(...HOSTILE_STRINGS)).map(([a, b]) => a + b) },
  { weight: 6, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.constantFrom(new Deep(1000, 'array'), new Deep(1000, 'object'), new Deep(10_000, 'array')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: unknownId },
);

/** Keys a client should never be able to smuggle in. */
// biome-ignore format: a packed list reads better than one item per line
export const HOSTILE_KEYS = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'id', 'createdAt', 'authorOrganizationId', 'roles', 'isAdmin', '$where', '', 'ＩＤ',
  'a.b', 'a[0]', '\u0000', '\u202E',
];

// ---------------------------------------------------------------------------------------
// zod → fast-check

type AnyZod = z.ZodType & { _zod: { def: any } };
const defOf = (s: AnyZod) => s._zod.def as { type: string; checks?: { _zod: { def: any } }[]; [k: string]: any };
const checksOf = (s: AnyZod) => (defOf(s).checks ?? []).map((c) => c._zod.def as { check: string; [k: string]: any });

export interface StringSpec {
  kind: 'plain' | 'text' | 'kana' | 'date' | 'instant' | 'id' | 'regex';
  min: number;
  max: number;
  multiline: boolean;
  pattern?: RegExp;
}

const ID_PATTERN = '/^[0-9A-Za-z_-]+$/';
const probeCache = new WeakMap<object, StringSpec>();

/** What a string schema accepts, from its checks and, for custom refinements, by probing. */
export function stringSpec(schema: AnyZod): StringSpec {
  const cached = probeCache.get(schema);
  if (cached) return cached;
  const checks = checksOf(schema);
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  let pattern: RegExp | undefined;
  for (const c of checks) {
    if (c.check === 'min_length') min = c.minimum;
    if (c.check === 'max_length') max = c.maximum;
    if (c.check === 'string_format' && c.format === 'regex') pattern = c.pattern;
  }
  let spec: StringSpec;
  const ok = (v: string) => schema.safeParse(v).success;
  if (!checks.some((c) => c.check === 'custom')) {
    if (pattern && String(pattern) === ID_PATTERN) spec = { kind: 'id', min, max, multiline: false, pattern };
    else if (pattern) spec = { kind: 'regex', min, max, multiline: false, pattern };
    else spec = { kind: 'plain', min, max, multiline: false };
  } else if (ok('2000-01-01') && !ok('2000-02-30') && !ok('あ')) {
    spec = { kind: 'date', min: 10, max: 10, multiline: false };
  } else if (ok('2026-12-03T14:00:00+09:00') && !ok('2026-12-03') && !ok('あ')) {
    spec = { kind: 'instant', min: 16, max: 29, multiline: false };
  } else {
    const kana = ok('ア') && !ok('山');
    const unit = kana ? 'ア' : '山';
    let lo = 1;
    let hi = 200_000;
    if (!ok(unit)) lo = 0;
    // Largest accepted length (the acceptance of unit×n is monotone below the maximum).
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (ok(unit.repeat(mid))) lo = mid;
      else hi = mid - 1;
    }
    spec = { kind: kana ? 'kana' : 'text', min: 1, max: lo, multiline: ok(`${unit}\n${unit}`) };
  }
  probeCache.set(schema, spec);
  return spec;
}

export interface ConvertOptions {
  /** The pool an id field draws from (by key), or undefined for "any well-formed id". */
  refKind?: (path: readonly (string | number)[]) => RefKind | undefined;
}

const cap = (n: number, c: number) => (Number.isFinite(n) ? Math.min(n, c) : c);

/** Valid-ish values of `schema` (valid by construction wherever the types allow it). */
export function fromZod(schema: z.ZodType, opts: ConvertOptions = {}, path: (string | number)[] = []): fc.Arbitrary<unknown> {
  const s = schema as AnyZod;
  const def = defOf(s);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, AnyZod>;
      const required: string[] = [];
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(shape)) {
        const optional = defOf(value).type === 'optional';
        model[key] = fromZod(optional ? defOf(value).innerType : value, opts, [...path, key]);
        if (!optional) required.push(key);
      }
      return fc.record(model, { requiredKeys: required });
    }
    case 'optional':
      return fc.option(fromZod(def.innerType, opts, path), { nil: undefined });
    case 'array': {
      let minLength = 0;
      let maxLength = Number.POSITIVE_INFINITY;
      for (const c of checksOf(s)) {
        if (c.check === 'min_length') minLength = c.minimum;
        if (c.check === 'max_length') maxLength = c.maximum;
      }
      const elem = fromZod(def.element, opts, [...path, 0]);
      const small = fc.array(elem, { minLength, maxLength: Math.max(minLength, cap(maxLength, 4)) });
      if (!Number.isFinite(maxLength) || maxLength <= 4) return small;
      // Now and then exactly at the limit.
      return fc.oneof({ weight: 19, arbitrary: small }, { weight: 1, arbitrary: fc.array(elem, { minLength: maxLength, maxLength }) });
    }
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'union':
      return fc.oneof(...(def.options as AnyZod[]).map((o) => fromZod(o, opts, path)));
    case 'record': {
      // Keys that are ids come as key markers ({@link refKey}), resolved to real ids at send time.
      const key = fromZod(def.keyType, opts, [...path, '*']).map((k) => (k instanceof Ref ? refKey(k) : String(k)));
      return fc.array(fc.tuple(key, fromZod(def.valueType, opts, [...path, '*'])), { maxLength: 3 }).map((entries) => {
        let out: Record<string, unknown> = {};
        for (const [k, v] of entries) out = withOwnKey(out, k, v);
        return out;
      });
    }
    case 'boolean':
      return fc.boolean();
    case 'number': {
      let min = -1000;
      let max = 1000;
      let integer = false;
      for (const c of checksOf(s)) {
        if (c.check === 'greater_than') min = c.inclusive ? c.value : c.value + 1;
        if (c.check === 'less_than') max = c.inclusive ? c.value : c.value - 1;
        if (c.check === 'number_format' && /int/.test(c.format)) integer = true;
      }
      const n = integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
      // Query strings carry numbers as text (z.coerce).
      return def.coerce ? n.map(String) : n;
    }
    case 'string': {
      const spec = stringSpec(s);
      switch (spec.kind) {
        case 'date':
          return pastDateText();
        case 'instant':
          return instantText();
        case 'kana':
          return kanaText(spec.max);
        case 'text':
          return jaText(spec.min, spec.max, spec.multiline);
        case 'id': {
          const key = [...path].reverse().find((p): p is string => typeof p === 'string');
          const kind = opts.refKind?.(path) ?? refKindOfKey(key);
          if (!kind) return unknownId;
          // Mostly real ids, so valid-ish requests reach the handler; unknown ids also come as mutations.
          return fc.oneof({ weight: 29, arbitrary: fc.nat().map((n) => new Ref(kind, n)) }, { weight: 1, arbitrary: unknownId });
        }
        case 'regex':
          return fc.stringMatching(spec.pattern!).filter((v) => v.length >= spec.min && v.length <= spec.max);
        default: {
          const max = cap(spec.max, 40);
          return fc.oneof(
            { weight: 3, arbitrary: fc.string({ minLength: Math.min(spec.min, max), maxLength: max, unit: 'grapheme' }) },
            { weight: 2, arbitrary: pieced(TEXT_PIECES, Math.max(1, spec.min), max) },
          );
        }
      }
    }
    default:
      throw new Error(`fuzz converter: zod type "${def.type}" at ${path.join('.') || '(root)'} is not supported yet — teach test/safety/fuzz/arbitraries.ts`);
  }
}

// ---------------------------------------------------------------------------------------
// Mutations of a JSON value

/** Characters a string field must refuse or survive; PostgreSQL cannot even compare a NUL. */
// biome-ignore format: a packed list reads better than one item per line
export const DANGEROUS_CHARS = [
  '\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\u009f', '\u2028', '\u202E', '\u2066', '\uD800', '\uDFFF', '\uFEFF', '\u200B', '\r\n', '\t', '\uFFFF',
  '\u001b[2J',
];

export type Mutation =
  | { op: 'inject'; at: number; pos: number; char: string }
  | { op: 'fullwidth'; at: number }
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'extraKey'; at: number; key: string; value: unknown }
  | { op: 'root'; value: unknown };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('inject' as const),
      at: fc.nat(),
      pos: fc.nat(),
      // NUL first among equals: PostgreSQL refuses it anywhere in a text parameter.
      char: fc.oneof({ weight: 1, arbitrary: fc.constant('\u0000') }, { weight: 2, arbitrary: fc.constantFrom(...DANGEROUS_CHARS) }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('fullwidth' as const), at: fc.nat() }) },
  { weight: 10, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('extraKey' as const),
      at: fc.nat(),
      key: fc.constantFrom(...HOSTILE_KEYS),
      value: fc.oneof(hostileValue, fc.constant({ isAdmin: true })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('root' as const), value: hostileValue }) },
);

type Path = (string | number)[];

function nodes(v: unknown, path: Path = [], out: { path: Path; value: unknown }[] = []) {
  out.push({ path, value: v });
  if (Array.isArray(v)) for (const [i, x] of v.entries()) nodes(x, [...path, i], out);
  else if (v && typeof v === 'object' && !(v instanceof Ref) && !(v instanceof Deep)) for (const [k, x] of Object.entries(v)) nodes(x, [...path, k], out);
  return out;
}

function setAt(root: unknown, path: Path, fn: (parent: any, key: string | number) => void): unknown {
  if (path.length === 0) return root;
  const copy = structuredCloneRefs(root);
  let parent: any = copy;
  for (const p of path.slice(0, -1)) parent = parent[p];
  fn(parent, path[path.length - 1]!);
  return copy;
}

/** A deep copy that keeps Ref/Deep markers and own "__proto__" keys. */
export function structuredCloneRefs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(structuredCloneRefs);
  if (v && typeof v === 'object' && !(v instanceof Ref) && !(v instanceof Deep)) {
    let out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out = withOwnKey(out, k, structuredCloneRefs(x));
    return out;
  }
  return v;
}

/** Applies one mutation; returns the mutated value and a short description of it. */
export function applyMutation(value: unknown, m: Mutation): { value: unknown; label: string } {
  if (m.op === 'root') return { value: m.value, label: `root ← ${describe(m.value)}` };
  const all = nodes(value);
  if (m.op === 'extraKey') {
    const objects = all.filter(
      (n) => n.value && typeof n.value === 'object' && !Array.isArray(n.value) && !(n.value instanceof Ref) && !(n.value instanceof Deep),
    );
    if (objects.length === 0) return { value: m.value, label: `root ← ${describe(m.value)}` };
    const target = objects[m.at % objects.length]!;
    const replaced = withOwnKey(target.value as Record<string, unknown>, m.key, m.value);
    const out = target.path.length === 0 ? replaced : setAt(value, target.path, (parent, key) => (parent[key] = replaced));
    return { value: out, label: `extra key ${JSON.stringify(m.key)} at ${target.path.join('.') || '(root)'} = ${describe(m.value)}` };
  }
  if (m.op === 'inject') {
    // One dangerous character inside an otherwise valid string (the string fields of the body).
    const strings = all.filter((n) => typeof n.value === 'string' && n.path.length > 0);
    if (strings.length === 0) return applyMutation(value, { op: 'replace', at: m.at, value: m.char });
    const target = strings[m.at % strings.length]!;
    const chars = [...(target.value as string)];
    const pos = m.pos % (chars.length + 1);
    const injected = [...chars.slice(0, pos), m.char, ...chars.slice(pos)].join('');
    return {
      value: setAt(value, target.path, (parent, key) => (parent[key] = injected)),
      label: `${target.path.join('.')} ← ${JSON.stringify(injected).slice(0, 80)}`,
    };
  }
  if (m.op === 'fullwidth') {
    // Full-width digits where digits belong: ２０２４-01-01, limit=５０, hours: "１２".
    const digits = all.filter((n) => n.path.length > 0 && (typeof n.value === 'number' || (typeof n.value === 'string' && /[0-9]/.test(n.value))));
    if (digits.length === 0) return applyMutation(value, { op: 'replace', at: m.at, value: '２０２４－０１－０１' });
    const target = digits[m.at % digits.length]!;
    const wide = toFullWidthDigits(String(target.value));
    return {
      value: setAt(value, target.path, (parent, key) => (parent[key] = wide)),
      label: `${target.path.join('.')} ← ${JSON.stringify(wide).slice(0, 80)}`,
    };
  }
  const inner = all.filter((n) => n.path.length > 0);
  if (inner.length === 0) return { value: m.op === 'replace' ? m.value : undefined, label: `root ← ${m.op === 'replace' ? describe(m.value) : 'nothing'}` };
  const target = inner[m.at % inner.length]!;
  if (m.op === 'delete') {
    return {
      value: setAt(value, target.path, (parent, key) => (Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key])),
      label: `delete ${target.path.join('.')}`,
    };
  }
  return { value: setAt(value, target.path, (parent, key) => (parent[key] = m.value)), label: `${target.path.join('.')} ← ${describe(m.value)}` };
}

export function describe(v: unknown): string {
  if (v instanceof Deep) return `nesting ${v.depth} deep (${v.shape})`;
  if (v instanceof Ref) return String(v);
  if (typeof v === 'string' && v.length > 60) return `string of ${v.length} × ${JSON.stringify(v.slice(0, 2))}`;
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

// ---------------------------------------------------------------------------------------
// Envelope: what goes on the wire around a body

export type Envelope =
  | { kind: 'json' }
  | { kind: 'contentType'; contentType: string | null }
  | { kind: 'rawText'; text: string }
  | { kind: 'duplicateKey' }
  | { kind: 'oversize' };

// biome-ignore format: a packed list reads better than one item per line
export const INVALID_JSON_TEXTS = [
  '', '{', '}', '{"a":', '{"a":1,}', "{'a':1}", '{a:1}', 'NaN', '{"a":1}garbage', '\uFEFF{}', '{"a":01}', '{"a":1e999}', '[', '{"a":"\\x"}',
  '{"a":"\\ud800"}', '{"a":"\u0000"}', '"just a string"', 'null', 'true', '123', '[]', '[{}]', '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}', '{"a":{"__proto__":[]}}', '<?xml version="1.0"?><a/>', 'a=1&b=2', '\u0000\u0000\u0000\u0000',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
];

// biome-ignore format: a packed list reads better than one item per line
export const CONTENT_TYPES: readonly (string | null)[] = [
  null, 'text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/xml',
  'application/json; charset=shift_jis', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/json;charset=UTF-8',
  'application/vnd.api+json', 'application/problem+json', 'application/json, text/plain', 'json', '*/*', '',
];

export const envelopeArb: fc.Arbitrary<Envelope> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('contentType' as const), contentType: fc.constantFrom(...CONTENT_TYPES) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('rawText' as const), text: fc.constantFrom(...INVALID_JSON_TEXTS) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'duplicateKey' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'oversize' as const }) },
);

// ---------------------------------------------------------------------------------------
// Query strings and path segments

/** Percent-encodes like encodeURIComponent, but lone surrogates become invalid UTF-8 bytes instead of throwing. */
export function encodeLoose(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff)
      out += `%${(0xe0 | (c >> 12)).toString(16).toUpperCase()}%${(0x80 | ((c >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (c & 0x3f)).toString(16).toUpperCase()}`;
    else out += encodeURIComponent(ch);
  }
  return out;
}

/** Path segments that a router or a parser might mishandle (sent verbatim, not encoded). */
// biome-ignore format: a packed list reads better than one item per line
export const RAW_SEGMENTS = [
  '%ZZ', '%E0%A4%A', '%00', '%2F', '%2e%2e', '..', '.', '%C0%AF', '%ED%A0%80', '%FF', 'a%20b', '%F0%A0%AE%B7', '%EF%BD%B1', 'x'.repeat(101),
  'x'.repeat(5000), ';', 'a;b=c', '%25', '~', "!$&'()*+,;=:@",
];

/** Raw query strings: repeated keys, array syntax, broken escapes, full-width digits. */
// biome-ignore format: a packed list reads better than one item per line
export const RAW_QUERIES = [
  'limit=1&limit=2', 'limit[]=1', 'limit[a]=1', 'limit=%ZZ', 'limit=', 'limit', '=', '&&&', 'q=%ZZ', 'q=%00', 'q=%ED%A0%80', 'q=%E0%A4%A',
  'limit=%EF%BC%95%EF%BC%90', 'limit=5%00', 'limit=0x10', 'limit=1e2', 'limit=-0', 'limit=%20%2050', 'limit=Infinity', 'limit=NaN', 'limit=9007199254740993',
  'status=closed&status=intake', 'status[]=closed', 'personId[]=a', '__proto__[x]=1', 'constructor[prototype][x]=1', 'q=+', 'q=%2B',
  'birthDate=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%94-01-01', 'birthDate=2024-02-30',
  `q=${'a'.repeat(8000)}`,
  `q=${'%E3%81%82'.repeat(2000)}`,
];

/** Encodes a flat query object, values as text. */
export function queryString(q: unknown): string {
  if (!q || typeof q !== 'object' || Array.isArray(q)) return `v=${encodeLoose(typeof q === 'string' ? q : (JSON.stringify(q) ?? ''))}`;
  return Object.entries(q as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const text = typeof v === 'string' ? v : v instanceof Deep ? v.text().slice(0, 2000) : (JSON.stringify(v) ?? String(v));
      return `${encodeLoose(k)}=${encodeLoose(text)}`;
    })
    .join('&');
}
