import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api, seg } from '../../api/client.ts';
import type { ConveningRequest, DirectoryUser, ListResponse, Organization } from '../../api/types.ts';
import { ErrorSummary, SelectField } from '../../components/form.tsx';
import { ApiErrorNotice, Badge, Loading, PageTitle, StatusMessage, urgencyTone } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { useMe } from '../../hooks/session.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { warekiDateTime } from '../../lib/dates.ts';
import { itemsOf } from './common.ts';

export const CONVENING_STATUS_LABELS: Record<string, string> = { submitted: '推進員の確認待ち', forwarded: '総括者へ送付済み', convened: '招集済み' };

function ForwardForm({ item, chairs, onForwarded }: { item: ConveningRequest; chairs: DirectoryUser[]; onForwarded: (msg: string) => void }) {
  const [chairUserId, setChairUserId] = useState('');
  const s = useSubmit();
  const id = `forward-chair-${item.id}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!chairUserId) {
      s.setLocalErrors({ chairUserId: '送り先の総括者を選んでください。' });
      return;
    }
    const ok = await s.run(() => api.post(`/convening-requests/${seg(item.id)}/forward`, { chairUserId }));
    if (ok) {
      const name = chairs.find((u) => u.id === chairUserId)?.displayName ?? '';
      onForwarded(`開催依頼を${name}さん（総括者）へ送りました。`);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="総括者へ送る" className="mt-3 flex flex-wrap items-end gap-3" data-testid="forward-form">
      <div className="w-full">
        <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={() => id} labelOf={() => '総括者'} testId="forward-errors" />
      </div>
      <SelectField
        id={id}
        label="送り先の総括者"
        bare
        className="min-w-72 flex-1"
        value={chairUserId}
        onChange={(e) => setChairUserId(e.target.value)}
        placeholder="総括者を選んでください"
        options={chairs.map((u) => ({ value: u.id, label: `${u.displayName}（${u.organizationName}）` }))}
        error={s.errors.chairUserId}
      />
      <button type="submit" className="btn btn-secondary mb-5" disabled={s.busy} data-testid="forward-submit">
        総括者へ送る
      </button>
    </form>
  );
}

/** 会議の開催依頼（受付表）: the coordinator forwards to a chair; the chair convenes. */
export function ConveningRequestsScene() {
  const me = useMe();
  const codes = useCodeLists();
  const isCoordinator = me.roles.includes('coordinator');
  const isChair = me.roles.includes('chair');
  const { data, error, loading, reload } = useApiGet<ListResponse<ConveningRequest>>('/convening-requests');
  const orgs = useApiGet<ListResponse<Organization> | Organization[]>('/organizations');
  const directory = useApiGet<ListResponse<DirectoryUser>>(isCoordinator ? '/directory/users' : null);
  const [message, setMessage] = useState<string | null>(null);
  const items = itemsOf(data);
  const chairs = itemsOf(directory.data).filter((u) => u.roles.includes('chair'));
  const orgNames = new Map(itemsOf(orgs.data).map((o) => [o.id, o.name]));
  const names = (ids: string[]) => (ids.length ? ids.map((id) => orgNames.get(id) ?? id).join('、') : '—');

  return (
    <>
      <PageTitle title="会議の開催依頼">会議の開催依頼（受付表）</PageTitle>
      <p className="mb-6 text-solid-gray-800">
        {isCoordinator
          ? '各機関から届いた会議の開催依頼です。内容を確認し、総括者へ送ってください。'
          : '自機関が出した開催依頼と、あなたに送られた招集依頼です。'}
      </p>
      <StatusMessage message={message} />
      {loading && !data && <Loading />}
      {error && <ApiErrorNotice error={error} />}
      {orgs.error && <ApiErrorNotice error={orgs.error} />}
      {directory.error && <ApiErrorNotice error={directory.error} />}
      {data && items.length === 0 && <p className="rounded-8 bg-solid-gray-50 p-4">開催依頼はありません。</p>}
      {items.length > 0 && (
        <ul data-testid="convening-requests-list">
          {items.map((x) => (
            <li key={x.id} className="card mb-4 p-4" data-testid="convening-request-item" data-request-id={x.id}>
              <div className="mb-2 flex flex-wrap items-center gap-2">
                <Badge tone={x.status === 'submitted' ? 'orange' : 'blue'} testId="convening-status">
                  {CONVENING_STATUS_LABELS[x.status] ?? x.status}
                </Badge>
                <Badge tone={urgencyTone(x.urgency)}>緊急度：{labelOf(codes.urgencies, x.urgency)}</Badge>
                <span className="text-sm text-solid-gray-700">
                  <time dateTime={x.createdAt}>{warekiDateTime(x.createdAt)}</time> 受付（{orgNames.get(x.requestedByOrganizationId) ?? '依頼機関'}）
                </span>
              </div>
              <h2 className="text-std-18B-160 font-bold">{x.householdName || '（世帯名なし）'}</h2>
              <dl className="mt-2 grid gap-x-8 gap-y-2 sm:grid-cols-2">
                <div className="sm:col-span-2">
                  <dt className="text-sm text-solid-gray-700">相談内容</dt>
                  <dd className="whitespace-pre-wrap">{x.consulted}</dd>
                </div>
                <div>
                  <dt className="text-sm text-solid-gray-700">すでに関わっている機関</dt>
                  <dd>{names(x.involvedOrganizationIds)}</dd>
                </div>
                <div>
                  <dt className="text-sm text-solid-gray-700">必要と思われる機関</dt>
                  <dd>{names(x.neededOrganizationIds)}</dd>
                </div>
                {x.forwardedAt && (
                  <div>
                    <dt className="text-sm text-solid-gray-700">総括者へ送付</dt>
                    <dd>
                      <time dateTime={x.forwardedAt}>{warekiDateTime(x.forwardedAt)}</time>
                    </dd>
                  </div>
                )}
              </dl>
              {isCoordinator && x.status === 'submitted' && (
                <ForwardForm
                  item={x}
                  chairs={chairs}
                  onForwarded={(msg) => {
                    setMessage(msg);
                    reload();
                  }}
                />
              )}
              {isChair && x.forwardedToUserId === me.id && (
                <p className="mt-3">
                  <Link to={`/meetings/new?case=${seg(x.caseId)}`} className="btn btn-primary" style={{ color: '#fff' }} data-testid="convene-from-request">
                    この依頼で会議を招集する
                  </Link>
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
