import { Link, useSearchParams } from 'react-router';
import { qs } from '../api/client.ts';
import type { CaseListItem, ListResponse } from '../api/types.ts';
import { SelectField } from '../components/form.tsx';
import { ApiErrorNotice, Badge, Loading, PageTitle, statusTone, urgencyTone } from '../components/ui.tsx';
import { labelOf, useCodeLists } from '../hooks/codeLists.tsx';
import { useApiGet } from '../hooks/useApiGet.ts';
import { wareki } from '../lib/dates.ts';

export function CasesScene() {
  const codes = useCodeLists();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const { data, error, loading } = useApiGet<ListResponse<CaseListItem>>(`/cases${qs({ status })}`);
  const items = data?.items ?? [];

  return (
    <>
      <PageTitle title="ケース一覧">ケース一覧</PageTitle>
      <p className="mb-6 text-solid-gray-800">
        あなたの機関が支援チームに入っているケース（相談支援包括化推進員は全体の索引）です。世帯名を選ぶと世帯の画面を開きます。
      </p>
      <form aria-label="ケースの絞り込み" className="mb-6 flex flex-wrap items-end gap-4" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="cases-status"
          label="状態で絞り込み"
          bare
          className="w-64"
          value={status}
          onChange={(e) => {
            const next = new URLSearchParams(params);
            if (e.target.value) next.set('status', e.target.value);
            else next.delete('status');
            setParams(next, { replace: true });
          }}
          placeholder="すべて"
          options={codes.caseStatuses.map((s) => ({ value: s.code, label: s.ja }))}
          data-testid="cases-status-filter"
        />
      </form>
      <div aria-live="polite" className="mb-2 text-solid-gray-700" data-testid="cases-count">
        {!loading && !error && `${items.length}件`}
      </div>
      {loading && !data && <Loading />}
      {error && <ApiErrorNotice error={error} />}
      {data && items.length === 0 && <p className="rounded-8 bg-solid-gray-50 p-4">該当するケースはありません。</p>}
      {items.length > 0 && (
        <div className="overflow-x-auto">
          <table className="data-table" data-testid="cases-table">
            <caption className="sr-only">ケース一覧（{items.length}件）</caption>
            <thead>
              <tr>
                <th scope="col">世帯</th>
                <th scope="col">状態</th>
                <th scope="col">緊急度</th>
                <th scope="col">主担当</th>
                <th scope="col">支援チーム</th>
                <th scope="col">受付日</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} data-testid="case-row" data-case-id={c.id}>
                  <th scope="row" className="font-bold">
                    <Link to={`/households/${encodeURIComponent(c.householdId)}?case=${encodeURIComponent(c.id)}`}>{c.householdName || '（世帯名なし）'}</Link>
                    {c.view === 'index' && (
                      <div className="mt-1">
                        <Badge tone="gray" title="支援チーム外のため、索引（世帯名・状態・担当）だけを表示しています">
                          索引のみ
                        </Badge>
                      </div>
                    )}
                  </th>
                  <td>
                    <Badge tone={statusTone(c.status)}>{labelOf(codes.caseStatuses, c.status)}</Badge>
                  </td>
                  <td>
                    <Badge tone={urgencyTone(c.urgency)}>{labelOf(codes.urgencies, c.urgency)}</Badge>
                  </td>
                  <td>{c.leadOrganization?.name}</td>
                  <td>
                    <ul className="text-sm">
                      {c.team.map((t) => (
                        <li key={t.organizationId}>{t.organizationName}</li>
                      ))}
                    </ul>
                  </td>
                  <td className="whitespace-nowrap">
                    <time dateTime={c.openedAt}>{wareki(c.openedAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
