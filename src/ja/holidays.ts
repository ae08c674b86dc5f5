/**
 * Japanese public holidays (国民の祝日, 振替休日 included) from the @holiday-jp/holiday_jp
 * table, keyed by the Japan calendar date — no time zone arithmetic, so the machine's TZ
 * cannot shift a holiday by a day.
 */
// A CommonJS package: Node's ESM loader offers only its default export (no named ones).
import holidayJp from '@holiday-jp/holiday_jp';

const TABLE = holidayJp.holidays as Readonly<Record<string, { name: string; name_en: string }>>;

/** The holiday's name on a YYYY-MM-DD Japan date, or null on an ordinary day. */
export function holidayName(date: string, lang: 'ja' | 'en' = 'ja'): string | null {
  const h = TABLE[date];
  return h ? (lang === 'en' ? h.name_en : h.name) : null;
}
