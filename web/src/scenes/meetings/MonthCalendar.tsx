import { Link } from 'react-router';
import { holidayName } from '../../../../src/ja/holidays.ts';
import { formatWareki } from '../../../../src/ja/wareki.ts';
import type { MeetingListItem } from '../../api/types.ts';
import { warekiDateTime } from '../../lib/dates.ts';
import { kindLabel, meetingPath, tokyoDateOf } from './common.ts';

const WEEKDAYS = [
  { short: '日', long: '日曜日' },
  { short: '月', long: '月曜日' },
  { short: '火', long: '火曜日' },
  { short: '水', long: '水曜日' },
  { short: '木', long: '木曜日' },
  { short: '金', long: '金曜日' },
  { short: '土', long: '土曜日' },
];

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM' shifted by `delta` months. */
export function shiftMonth(ym: string, delta: number): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}`;
}

/** 令和8年6月 for '2026-06'. */
export function warekiMonth(ym: string): string {
  try {
    return formatWareki(`${ym}-01`).replace(/1日$/, '');
  } catch {
    return ym;
  }
}

/**
 * A small month calendar (Sunday first, as Japanese calendars are) with the meetings of each
 * Tokyo day linked; Japanese public holidays are marked red with their name, as on the
 * calendars municipal staff use.
 */
export function MonthCalendar({
  month,
  today,
  meetings,
  onMonthChange,
}: {
  month: string;
  today: string;
  meetings: MeetingListItem[];
  onMonthChange: (month: string) => void;
}) {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const firstWeekday = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const byDay = new Map<string, MeetingListItem[]>();
  for (const mt of meetings) {
    const d = tokyoDateOf(mt.startsAt);
    if (d.startsWith(`${month}-`)) byDay.set(d, [...(byDay.get(d) ?? []), mt]);
  }
  const cells: (number | null)[] = [...Array.from({ length: firstWeekday }, () => null), ...Array.from({ length: days }, (_, i) => i + 1)];
  while (cells.length % 7 !== 0) cells.push(null);
  const pads = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const label = warekiMonth(month);

  return (
    <div className="card p-4" data-testid="meeting-calendar">
      <div className="mb-2 flex items-center justify-between gap-2">
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => onMonthChange(shiftMonth(month, -1))}
          aria-label={`前の月（${warekiMonth(shiftMonth(month, -1))}）`}
        >
          <span aria-hidden="true">‹ 前の月</span>
        </button>
        <p className="text-std-20B-150" aria-live="polite" data-testid="calendar-month">
          {label}
        </p>
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => onMonthChange(shiftMonth(month, 1))}
          aria-label={`次の月（${warekiMonth(shiftMonth(month, 1))}）`}
        >
          <span aria-hidden="true">次の月 ›</span>
        </button>
      </div>
      <table className="w-full table-fixed text-center text-sm">
        <caption className="sr-only">{label}の会議カレンダー</caption>
        <thead>
          <tr>
            {WEEKDAYS.map((w, i) => (
              <th
                key={w.short}
                scope="col"
                abbr={w.long}
                className={`py-1 font-bold ${i === 0 ? 'text-red-900' : i === 6 ? 'text-blue-900' : 'text-solid-gray-800'}`}
              >
                {w.short}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week.map((d) => d ?? '-').join(',')}>
              {week.map((d, i) => {
                if (d === null) return <td key={`empty-${pads[i]}`} className="h-16 border border-solid-gray-200 bg-solid-gray-50" />;
                const date = `${month}-${pad2(d)}`;
                const list = byDay.get(date) ?? [];
                const isToday = date === today;
                const holiday = holidayName(date);
                return (
                  <td
                    key={date}
                    className={`h-16 border border-solid-gray-200 align-top ${list.length ? 'bg-blue-50' : ''}`}
                    data-testid={list.length ? 'calendar-meeting-day' : undefined}
                  >
                    <span
                      aria-current={isToday ? 'date' : undefined}
                      className={`mx-auto mt-1 block w-7 rounded-full font-bold ${isToday ? 'bg-blue-900 text-white' : i === 0 || holiday ? 'text-red-900' : i === 6 ? 'text-blue-900' : ''}`}
                    >
                      {d}
                      {isToday && <span className="sr-only">（今日）</span>}
                    </span>
                    {holiday && (
                      <span className="block truncate px-1 text-xs text-red-900" data-testid="calendar-holiday">
                        {holiday}
                      </span>
                    )}
                    {list.map((mt) => (
                      <Link
                        key={mt.id}
                        to={meetingPath(mt.id)}
                        className="mt-1 block truncate px-1 text-xs"
                        title={`${warekiDateTime(mt.startsAt)} ${mt.title}`}
                        aria-label={`${warekiDateTime(mt.startsAt)} ${kindLabel(mt.kind)}：${mt.title}`}
                      >
                        {kindLabel(mt.kind)}
                      </Link>
                    ))}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
