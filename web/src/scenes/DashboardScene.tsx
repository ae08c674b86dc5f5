import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { seg } from '../api/client.ts';
import type { Dashboard } from '../api/types.ts';
import { ApiErrorNotice, Badge, Loading, PageTitle, statusTone } from '../components/ui.tsx';
import { useCodeLists } from '../hooks/codeLists.tsx';
import { useApiGet } from '../hooks/useApiGet.ts';
import { wareki, warekiDateTime } from '../lib/dates.ts';
import { TASK_STATUS_LABELS } from './meetings/common.ts';

const caseLink = (caseId: string, tab?: string) => `/cases/${seg(caseId)}${tab ? `?tab=${tab}` : ''}`;

/** The coordinator's dashboard (相談支援包括化推進員): what needs attention across the municipality's cases. */
export function DashboardScene() {
  const codes = useCodeLists();
  const { data, error, loading } = useApiGet<Dashboard>('/dashboard');
  return (
    <>
      <PageTitle title="ダッシュボード">ダッシュボード</PageTitle>
      <p className="mb-6 text-solid-gray-800">
        見直し期限を過ぎた支援、停滞している支援、期限の近い役割分担、承認待ちのプランなど、対応が必要なケースをまとめて表示します。
      </p>
      {loading && !data && <Loading />}
      {error && <ApiErrorNotice error={error} />}
      {data && (
        <>
          <section aria-labelledby="dash-status-heading" className="mb-10" data-testid="dash-status">
            <h2 id="dash-status-heading" className="mb-3 text-std-24B-150">
              状態別のケース数
            </h2>
            <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
              {codes.caseStatuses.map((s) => (
                <li key={s.code} className="card p-4 text-center" data-testid="dash-status-count" data-status={s.code}>
                  <Link to={`/cases?status=${s.code}`} className="block no-underline">
                    <span className="block">
                      <Badge tone={statusTone(s.code)}>{s.ja}</Badge>
                    </span>
                    <span className="mt-2 block text-std-32B-150 text-solid-gray-900">
                      {data.casesByStatus[s.code as keyof Dashboard['casesByStatus']] ?? 0}
                    </span>
                    <span className="sr-only">件</span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>

          <DashTable
            id="overdue"
            title="見直し期限を過ぎた支援"
            empty="見直し期限を過ぎた支援はありません。"
            head={['世帯', '主担当', '担当機関', '見直し日', '件数']}
            rows={data.overdueReviews.map((r) => ({
              key: `${r.caseId}-${r.organizationName ?? ''}-${r.reviewOn}`,
              cells: [
                <Link key="h" to={caseLink(r.caseId, 'plan')}>
                  {r.householdName ?? '（世帯名なし）'}
                </Link>,
                r.leadOrganizationName ?? '—',
                r.organizationName ?? '—',
                <span key="d" className="whitespace-nowrap">
                  {wareki(r.reviewOn)} <Badge tone="red">期限超過</Badge>
                </span>,
                r.actions ?? '—',
              ],
            }))}
          />
          <DashTable
            id="stalled"
            title="停滞している支援"
            empty="停滞している支援はありません。"
            head={['世帯', '件数', '最後の記録']}
            rows={data.stalledActions.map((r) => ({
              key: r.caseId,
              cells: [
                <Link key="h" to={caseLink(r.caseId, 'monitoring')}>
                  {r.householdName ?? '（世帯名なし）'}
                </Link>,
                `${r.count}件`,
                r.lastAt ? warekiDateTime(r.lastAt) : '—',
              ],
            }))}
          />
          <DashTable
            id="tasks"
            title="期限の近い役割分担"
            empty="期限の近い役割分担はありません。"
            head={['世帯', '担当機関', '内容', '期限', '状況']}
            rows={data.tasksDue.map((r) => ({
              key: r.taskId,
              cells: [
                <Link key="h" to={caseLink(r.caseId)}>
                  {r.householdName ?? '（世帯名なし）'}
                </Link>,
                r.organizationName ?? '—',
                r.task ?? (
                  <span key="t" className="text-solid-gray-700">
                    （内容は担当機関のみ）
                  </span>
                ),
                r.dueOn ? wareki(r.dueOn) : '—',
                TASK_STATUS_LABELS[r.status] ?? r.status,
              ],
            }))}
          />
          <DashTable
            id="awaiting-meeting"
            title="本人同意がなく支援会議を待つケース"
            empty="該当するケースはありません。"
            head={['世帯', '同意のない世帯員', '次の支援会議']}
            rows={data.awaitingSupportMeeting.map((r) => ({
              key: r.caseId,
              cells: [
                <Link key="h" to={caseLink(r.caseId)}>
                  {r.householdName ?? '（世帯名なし）'}
                </Link>,
                Array.isArray(r.withoutConsent) ? `${r.withoutConsent.length}人` : typeof r.withoutConsent === 'number' ? `${r.withoutConsent}人` : 'あり',
                r.nextSupportMeetingAt ? (
                  warekiDateTime(r.nextSupportMeetingAt)
                ) : (
                  <Badge key="n" tone="orange">
                    未定
                  </Badge>
                ),
              ],
            }))}
          />
          <DashTable
            id="awaiting-approval"
            title="承認待ちの支援プラン"
            empty="承認待ちの支援プランはありません。"
            head={['世帯', '版', '承認依頼日']}
            rows={data.plansAwaitingApproval.map((r) => ({
              key: `${r.caseId}-${r.version}`,
              cells: [
                <Link key="h" to={caseLink(r.caseId, 'plan')}>
                  {r.householdName ?? '（世帯名なし）'}
                </Link>,
                `第${r.version}版`,
                r.submittedAt ? warekiDateTime(r.submittedAt) : '—',
              ],
            }))}
          />
        </>
      )}
    </>
  );
}

function DashTable({
  id,
  title,
  empty,
  head,
  rows,
}: {
  id: string;
  title: string;
  empty: string;
  head: string[];
  rows: { key: string; cells: ReactNode[] }[];
}) {
  return (
    <section aria-labelledby={`dash-${id}-heading`} className="mb-10" data-testid={`dash-${id}`}>
      <h2 id={`dash-${id}-heading`} className="mb-3 border-b-2 border-blue-900 pb-1 text-std-24B-150">
        {title}
        <span className="ml-2 text-base font-normal">（{rows.length}件）</span>
      </h2>
      {rows.length === 0 ? (
        <p className="text-solid-gray-700">{empty}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="data-table">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                {head.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} data-testid={`dash-${id}-row`}>
                  {r.cells.map((c, i) =>
                    i === 0 ? (
                      // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
                      <th key={i} scope="row" className="font-bold">
                        {c}
                      </th>
                    ) : (
                      // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
                      <td key={i}>{c}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
