/** Date display for the UI: 和暦, always in Asia/Tokyo (the pure helpers live in src/ja). */
import { ageOn, formatWareki, formatWarekiDateTime, todayInTokyo } from '../../../src/ja/wareki.ts';

export { todayInTokyo };

/** 令和7年4月1日 for a 'YYYY-MM-DD' date or an instant (shown as its Tokyo date). */
export function wareki(value: string | null | undefined, withWestern = false): string {
  if (!value) return '—';
  try {
    return formatWareki(value, { withWestern });
  } catch {
    return value;
  }
}

/** 令和7年4月1日 14:05 (Tokyo wall clock). */
export function warekiDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  try {
    return formatWarekiDateTime(value);
  } catch {
    return value;
  }
}

/** Age today (Tokyo) in completed years, or null. */
export function ageToday(birthDate: string | null | undefined): number | null {
  if (!birthDate) return null;
  try {
    return ageOn(birthDate, todayInTokyo());
  } catch {
    return null;
  }
}

/** 生年月日 as 和暦 with age: 昭和15年3月2日（85歳）. */
export function birthWithAge(birthDate: string | null | undefined): string {
  if (!birthDate) return '不明';
  const age = ageToday(birthDate);
  return age === null ? wareki(birthDate) : `${wareki(birthDate)}（${age}歳）`;
}

/** A machine-readable date for <time dateTime>. */
export function isoDate(value: string | null | undefined): string | undefined {
  return value ?? undefined;
}
