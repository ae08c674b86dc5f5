/**
 * 和暦 (Japanese era) formatting/parsing and Japan-calendar date helpers.
 *
 * Two kinds of input are distinguished on purpose:
 * - 'YYYY-MM-DD' is a calendar date in Japan (birth dates, 受付日). It is never
 *   shifted by any timezone.
 * - A Date or an ISO timestamp is an instant; it is shown as the Asia/Tokyo
 *   wall-clock date/time, regardless of the server's TZ.
 */

const TOKYO = 'Asia/Tokyo';
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO-ish timestamp; also accepts a space separator and ±HH / ±HHMM offsets (PostgreSQL text output). */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const ERA_FORMAT = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
  era: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  timeZone: TOKYO,
});

const GREGORIAN_FORMAT = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: TOKYO,
});

/** Modern eras with their first day (Gregorian) and the Latin initial used in short forms. */
const ERAS = [
  { name: '令和', initial: 'R', start: '2019-05-01' },
  { name: '平成', initial: 'H', start: '1989-01-08' },
  { name: '昭和', initial: 'S', start: '1926-12-25' },
  { name: '大正', initial: 'T', start: '1912-07-30' },
  { name: '明治', initial: 'M', start: '1868-10-23' },
] as const;

/**
 * Japan switched to the Gregorian calendar on 明治6年1月1日. Earlier 明治 dates
 * were lunisolar, so a naive conversion would be silently wrong; we refuse them.
 */
const GREGORIAN_ADOPTION = '1873-01-01';

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function isValidYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  // Date.UTC maps years 0–99 to 1900+; only 4-digit years reach here, all >= 1000.
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Parse a strict 'YYYY-MM-DD' calendar date, or null. */
function parseDateOnly(s: string): { y: number; m: number; d: number } | null {
  const match = DATE_ONLY.exec(s);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  return isValidYmd(y, m, d) ? { y, m, d } : null;
}

/**
 * Turn the accepted inputs into an instant. A date-only string becomes
 * midnight in Tokyo so that formatting in Tokyo yields the same calendar day.
 * A timestamp without an offset is read as Tokyo wall-clock time rather than
 * server-local time, which would make output depend on TZ.
 */
function toInstant(input: string | Date): Date {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) throw new RangeError('Invalid Date');
    return new Date(input.getTime());
  }
  if (DATE_ONLY.test(input)) {
    if (!parseDateOnly(input)) throw new RangeError(`Invalid date: ${input}`);
    return new Date(`${input}T00:00:00+09:00`);
  }
  const ts = TIMESTAMP.exec(input);
  if (ts) {
    const [, date, time, rawOffset] = ts;
    let offset = rawOffset ?? '+09:00';
    if (/^[+-]\d{2}$/.test(offset)) offset += ':00';
    else if (/^[+-]\d{4}$/.test(offset)) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
    const d = new Date(`${date}T${time}${offset.toUpperCase()}`);
    if (!Number.isNaN(d.getTime()) && date && parseDateOnly(date)) return d;
  }
  throw new RangeError(`Invalid date or timestamp: ${input}`);
}

interface TokyoParts {
  y: number;
  m: number;
  d: number;
  hh: string;
  mm: string;
}

function tokyoParts(instant: Date): TokyoParts {
  const parts = GREGORIAN_FORMAT.formatToParts(instant);
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
  return { y: Number(get('year')), m: Number(get('month')), d: Number(get('day')), hh: get('hour'), mm: get('minute') };
}

/**
 * The Tokyo calendar date ('YYYY-MM-DD') for a date-only string (returned
 * unchanged after validation), an ISO timestamp, or a Date.
 */
export function toTokyoDate(input: string | Date): string {
  const { y, m, d } = tokyoParts(toInstant(input));
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Today's date in Asia/Tokyo as 'YYYY-MM-DD'. `now` is injectable for tests. */
export function todayInTokyo(now: Date = new Date()): string {
  return toTokyoDate(now);
}

/** Options for {@link formatWareki}. */
export interface WarekiOptions {
  /** Append the Gregorian year: 令和7年4月1日（2025年）. */
  withWestern?: boolean;
  /** 'long' (default): 令和7年4月1日 / 令和元年5月1日. 'short': R7.4.1 / R1.5.1. */
  style?: 'long' | 'short';
}

/**
 * Format as 和暦. 'YYYY-MM-DD' is a Japan calendar date; timestamps and Dates
 * are instants shown in Asia/Tokyo. The first year of an era is always 元年
 * in the long style (ICU versions differ on "1年" vs "元年").
 * Throws RangeError on invalid input.
 */
export function formatWareki(isoDateOrDate: string | Date, opts: WarekiOptions = {}): string {
  const instant = toInstant(isoDateOrDate);
  const parts = ERA_FORMAT.formatToParts(instant);
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
  const era = get('era');
  const rawYear = get('year');
  const eraYear = rawYear === '元' ? 1 : Number(rawYear);
  const month = Number(get('month').replace(/月$/, ''));
  const day = Number(get('day').replace(/日$/, ''));

  let out: string;
  if (opts.style === 'short') {
    const initial = ERAS.find((e) => e.name === era)?.initial ?? era;
    out = `${initial}${eraYear}.${month}.${day}`;
  } else {
    out = `${era}${eraYear === 1 ? '元' : eraYear}年${month}月${day}日`;
  }
  if (opts.withWestern) out += `（${tokyoParts(instant).y}年）`;
  return out;
}

/** Format an instant as 和暦 date plus Tokyo 24-hour time: 令和7年4月1日 14:05. */
export function formatWarekiDateTime(instant: string | Date): string {
  const at = toInstant(instant);
  const { hh, mm } = tokyoParts(at);
  return `${formatWareki(at)} ${hh}:${mm}`;
}

/**
 * Age in completed years on date `on` (both 'YYYY-MM-DD'). The age goes up on
 * the birthday; a 2月29日 birthday counts from 3月1日 in common years.
 * Throws RangeError on invalid dates or when `on` is before `birthDate`.
 */
export function ageOn(birthDate: string, on: string): number {
  const b = parseDateOnly(birthDate);
  const o = parseDateOnly(on);
  if (!b || !o) throw new RangeError(`Invalid date: ${!b ? birthDate : on}`);
  if (on < birthDate) throw new RangeError(`${on} is before birth date ${birthDate}`);
  const hadBirthday = o.m > b.m || (o.m === b.m && o.d >= b.d);
  return o.y - b.y - (hadBirthday ? 0 : 1);
}

/**
 * 年度 (fiscal year, April–March) containing `date`. Accepts 'YYYY-MM-DD' or
 * a timestamp (taken as its Tokyo date). 2025-03-31 → 2024, 2025-04-01 → 2025.
 */
export function fiscalYear(date: string | Date): number {
  const ymd = toTokyoDate(date);
  const y = Number(ymd.slice(0, 4));
  const m = Number(ymd.slice(5, 7));
  return m >= 4 ? y : y - 1;
}

const ERA_TOKENS: Readonly<Record<string, (typeof ERAS)[number]>> = Object.fromEntries(
  ERAS.flatMap((e) => [
    [e.name, e],
    [e.name.charAt(0), e],
    [e.initial, e],
  ]),
);

const WAREKI_PATTERN = /^(令和|平成|昭和|大正|明治|令|平|昭|大|明|R|H|S|T|M)\.?(元|\d{1,2})[年./-](\d{1,2})[月./-](\d{1,2})日?$/;

/**
 * Parse a 和暦 date into 'YYYY-MM-DD', or null when it is malformed, not a
 * real calendar day, or outside its era (e.g. H31.5.1, S64.1.8).
 *
 * Accepts 令和7年4月1日, 令和元年5月1日, R7.4.1, r07/04/01, 令7.4.1, H31.4.30,
 * full-width digits and ㋿/㍻-style ligatures (via NFKC). 明治 dates before
 * 明治6年 are rejected because Japan used the lunisolar calendar then.
 */
export function parseWareki(s: string): string | null {
  const normalized = s.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
  const match = WAREKI_PATTERN.exec(normalized);
  if (!match) return null;
  const [, token, rawYear, rawMonth, rawDay] = match;
  const era = token ? ERA_TOKENS[token] : undefined;
  if (!era || !rawYear || !rawMonth || !rawDay) return null;

  const eraYear = rawYear === '元' ? 1 : Number(rawYear);
  if (eraYear < 1) return null;
  const y = Number(era.start.slice(0, 4)) + eraYear - 1;
  const m = Number(rawMonth);
  const d = Number(rawDay);
  if (!isValidYmd(y, m, d)) return null;

  const iso = `${y}-${pad2(m)}-${pad2(d)}`;
  const idx = ERAS.indexOf(era);
  const next = idx > 0 ? ERAS[idx - 1] : undefined;
  if (iso < era.start || (next && iso >= next.start)) return null;
  if (iso < GREGORIAN_ADOPTION) return null;
  return iso;
}
