import { Link } from 'react-router';
import { seg } from '../../api/client.ts';
import type { AdviceInboxItem, ListResponse } from '../../api/types.ts';
import { ApiErrorNotice, Badge, Loading, PageTitle } from '../../components/ui.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { wareki, warekiDateTime } from '../../lib/dates.ts';
import { ADVICE_STATUS_LABELS } from '../../lib/lifecycle.ts';

/** The advisor's inbox (複合課題解決アドバイザー): the requests addressed to them, open ones first. */
export function AdviceInboxScene() {
  const { data, error, loading } = useApiGet<ListResponse<AdviceInboxItem>>('/advice-requests');
  const items = [...(data?.items ?? [])].sort((a, b) => (a.status === b.status ? (a.createdAt < b.createdAt ? 1 : -1) : a.status === 'open' ? -1 : 1));
  return (
    <>
      <PageTitle title="アドバイス依頼">アドバイス依頼</PageTitle>
      <p className="mb-6 text-solid-gray-800">あなたに助言を求めている依頼です。閲覧できるのは、依頼を受けたケースについて依頼で示された資料だけです。</p>
      {loading && !data && <Loading />}
      {error && <ApiErrorNotice error={error} />}
      {data && items.length === 0 && <p className="rounded-8 bg-solid-gray-50 p-4">依頼はありません。</p>}
      {items.length > 0 && (
        <div className="overflow-x-auto">
          <table className="data-table" data-testid="advice-inbox">
            <caption className="sr-only">アドバイス依頼の一覧（{items.length}件）</caption>
            <thead>
              <tr>
                <th scope="col">世帯</th>
                <th scope="col">相談内容</th>
                <th scope="col">状況</th>
                <th scope="col">回答期限</th>
                <th scope="col">依頼日時</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} data-testid="advice-inbox-row" data-status={r.status}>
                  <th scope="row" className="font-bold">
                    <Link to={`/advice/${seg(r.id)}`}>{r.householdName ?? '（表示しません）'}</Link>
                  </th>
                  <td className="max-w-md">
                    {r.question == null ? '（根拠がなくなったため表示しません）' : r.question.length > 80 ? `${r.question.slice(0, 80)}…` : r.question}
                  </td>
                  <td>
                    <Badge tone={r.status === 'answered' ? 'green' : 'orange'}>{ADVICE_STATUS_LABELS[r.status] ?? r.status}</Badge>
                  </td>
                  <td className="whitespace-nowrap">{r.dueOn ? wareki(r.dueOn) : '—'}</td>
                  <td className="whitespace-nowrap">{warekiDateTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
