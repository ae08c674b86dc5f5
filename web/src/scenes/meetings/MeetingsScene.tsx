import { useState } from 'react';
import { Link } from 'react-router';
import { API_BASE, qs } from '../../api/client.ts';
import type { ListResponse, MeetingListItem } from '../../api/types.ts';
import { TextField } from '../../components/form.tsx';
import { ApiErrorNotice, Badge, Loading, PageTitle, Section } from '../../components/ui.tsx';
import { useMe } from '../../hooks/session.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { todayInTokyo, warekiDateTime } from '../../lib/dates.ts';
import { basisLabel, itemsOf, kindLabel, kindTone, meetingPath } from './common.ts';
import { MonthCalendar } from './MonthCalendar.tsx';

function MeetingTable({ items, caption, testId }: { items: MeetingListItem[]; caption: string; testId: string }) {
  if (items.length === 0) return <p className="rounded-8 bg-solid-gray-50 p-4">該当する会議はありません。</p>;
  return (
    <div className="overflow-x-auto">
      <table className="data-table" data-testid={testId}>
        <caption className="sr-only">
          {caption}（{items.length}件）
        </caption>
        <thead>
          <tr>
            <th scope="col">日時</th>
            <th scope="col">会議</th>
            <th scope="col">種類・根拠</th>
            <th scope="col">場所</th>
          </tr>
        </thead>
        <tbody>
          {items.map((m) => (
            <tr key={m.id} data-testid="meeting-row" data-meeting-id={m.id}>
              <td className="whitespace-nowrap">
                <time dateTime={m.startsAt}>{warekiDateTime(m.startsAt)}</time>
              </td>
              <th scope="row" className="font-bold">
                <Link to={meetingPath(m.id)}>{m.title}</Link>
                <div className="mt-1 flex flex-wrap gap-1">
                  {m.isChair && <Badge tone="yellow">総括者</Badge>}
                  {m.seriesId && <Badge tone="gray">定例</Badge>}
                </div>
              </th>
              <td>
                <Badge tone={kindTone(m.kind)}>{kindLabel(m.kind)}</Badge>
                <p className="mt-1 text-sm text-solid-gray-800">{basisLabel(m.legalBasis)}</p>
              </td>
              <td>{[m.place, m.online ? 'オンライン' : null].filter(Boolean).join('・') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** 謝金一覧 for the subsidy claim (chairs and coordinators): CSV (UTF-8 BOM) or Excel, optionally by period. */
function HonorariaExport() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const query = qs({ from, to });
  return (
    <Section id="honoraria-export" title="謝金一覧の出力" testId="honoraria-export">
      <p className="mb-3 text-sm text-solid-gray-700">
        会議で記録した謝金を、国庫補助の申請用に出力します（開催日で絞り込み。空欄なら全期間）。出力者と日時が印字され、監査記録に残ります。
      </p>
      <div className="flex flex-wrap items-end gap-4">
        <TextField id="honoraria-from" label="開催日（から）" type="date" className="mb-0 w-56" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField id="honoraria-to" label="開催日（まで）" type="date" className="mb-0 w-56" value={to} onChange={(e) => setTo(e.target.value)} />
        <a href={`${API_BASE}/honoraria.csv${query}`} download className="btn btn-secondary" data-testid="honoraria-csv">
          CSVをダウンロード
        </a>
        <a href={`${API_BASE}/honoraria.xlsx${query}`} download className="btn btn-secondary" data-testid="honoraria-xlsx">
          Excelをダウンロード
        </a>
      </div>
    </Section>
  );
}

export function MeetingsScene() {
  const me = useMe();
  const { data, error, loading } = useApiGet<ListResponse<MeetingListItem>>('/meetings');
  const today = todayInTokyo();
  const [month, setMonth] = useState(today.slice(0, 7));
  const items = itemsOf(data);
  const now = Date.now();
  const upcoming = items.filter((m) => Date.parse(m.startsAt) >= now);
  const past = items.filter((m) => Date.parse(m.startsAt) < now).reverse();

  return (
    <>
      <PageTitle title="会議一覧">会議一覧</PageTitle>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <p className="max-w-3xl text-solid-gray-800">
          あなたが総括者または構成員として招集された会議です。会議の資料は、会議ごとに守秘義務を確認（誓約）してから開けます。
        </p>
        {me.roles.includes('chair') && (
          <Link to="/meetings/new" className="btn btn-primary" style={{ color: '#fff' }} data-testid="meeting-new">
            会議を招集する
          </Link>
        )}
      </div>
      {loading && !data && <Loading />}
      {error && <ApiErrorNotice error={error} />}
      {data && (
        <div className="grid gap-8 lg:grid-cols-[1fr_22rem]">
          <div>
            <section aria-labelledby="upcoming-heading" className="mb-10">
              <h2 id="upcoming-heading" className="mb-3 border-b-2 border-blue-900 pb-1 text-std-24B-150">
                これからの会議
              </h2>
              <MeetingTable items={upcoming} caption="これからの会議" testId="meetings-upcoming" />
            </section>
            <section aria-labelledby="past-heading">
              <h2 id="past-heading" className="mb-3 border-b-2 border-blue-900 pb-1 text-std-24B-150">
                過去の会議
              </h2>
              <MeetingTable items={past} caption="過去の会議" testId="meetings-past" />
            </section>
          </div>
          <aside aria-label="会議カレンダー">
            <MonthCalendar month={month} today={today} meetings={items} onMonthChange={setMonth} />
          </aside>
        </div>
      )}
      {me.roles.some((r) => r === 'chair' || r === 'coordinator') && (
        <div className="mt-10">
          <HonorariaExport />
        </div>
      )}
    </>
  );
}
