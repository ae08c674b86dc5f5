import { type FormEvent, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { InformationRequest, ListResponse } from '../../api/types.ts';
import { ErrorSummary, TextAreaField } from '../../components/form.tsx';
import { ApiErrorNotice, Badge, Loading, Notice, PageTitle, StatusMessage } from '../../components/ui.tsx';
import { useMe } from '../../hooks/session.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { todayInTokyo, wareki, warekiDateTime } from '../../lib/dates.ts';
import { basisLabel, itemsOf } from './common.ts';

export const INFORMATION_REQUEST_STATUS_LABELS: Record<string, string> = { open: '未回答', answered: '回答済み' };

function AnswerForm({ item, onAnswered }: { item: InformationRequest; onAnswered: (msg: string) => void }) {
  const [answer, setAnswer] = useState('');
  const s = useSubmit();
  const id = `answer-${item.id}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!answer.trim()) {
      s.setLocalErrors({ answer: '回答を入力してください。' });
      return;
    }
    const ok = await s.run(() => api.post(`/information-requests/${seg(item.id)}/answer`, { answer: answer.trim() }));
    if (ok) {
      setAnswer('');
      onAnswered(`「${item.meetingTitle}」に回答しました。回答はこの会議の資料として、会議の構成員だけに表示されます。`);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`回答（${item.meetingTitle}）`} className="mt-3" data-testid="answer-form">
      <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={() => id} labelOf={() => '回答'} testId="answer-errors" />
      <TextAreaField id={id} label="回答" required rows={4} value={answer} onChange={(e) => setAnswer(e.target.value)} error={s.errors.answer} />
      <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="answer-submit">
        回答を提出する
      </button>
    </form>
  );
}

/** 情報提供の求め: requests from 支援会議 to the caller's organization, with the answer form. */
export function RequestsScene() {
  const me = useMe();
  const { data, error, loading, reload } = useApiGet<ListResponse<InformationRequest>>('/information-requests');
  const [message, setMessage] = useState<string | null>(null);
  const items = itemsOf(data);
  const today = todayInTokyo();
  const open = items.filter((x) => x.status !== 'answered').length;

  return (
    <>
      <PageTitle title="情報提供の求め">情報提供の求め</PageTitle>
      <p className="mb-4 text-solid-gray-800">
        支援会議から{me.organizationName ? `「${me.organizationName}」` : '貴機関'}に届いた情報提供の求めです。期限は和暦で表示しています。
      </p>
      <Notice tone="info" role="note" title="回答はその会議の構成員だけに表示されます" testId="requests-legal-note">
        支援会議は、支援に必要があるときは関係機関に情報の提供・意見の開陳その他の協力を求めることができます（社会福祉法第106条の6第3項）。回答はその会議の資料としてだけ提出され、守秘義務（同条第6項）を負うその会議の構成員だけが閲覧できます。ほかの会議や機関には共有されません。
      </Notice>
      <StatusMessage message={message} />
      {loading && !data && <Loading />}
      {error && <ApiErrorNotice error={error} />}
      <div aria-live="polite" className="mb-2 text-solid-gray-700" data-testid="requests-count">
        {data && `${items.length}件（未回答 ${open}件）`}
      </div>
      {data && items.length === 0 && <p className="rounded-8 bg-solid-gray-50 p-4">情報提供の求めはありません。</p>}
      {items.length > 0 && (
        <ul data-testid="requests-list">
          {items.map((x) => {
            const overdue = x.dueOn && x.status !== 'answered' && x.dueOn < today;
            return (
              <li key={x.id} className="card mb-4 p-4" data-testid="request-item" data-request-id={x.id}>
                <div className="mb-2 flex flex-wrap items-center gap-2">
                  <Badge tone={x.status === 'answered' ? 'green' : 'orange'} testId="request-status">
                    {INFORMATION_REQUEST_STATUS_LABELS[x.status] ?? x.status}
                  </Badge>
                  {overdue && <Badge tone="red">期限超過</Badge>}
                  <span className="text-sm text-solid-gray-700">
                    <time dateTime={x.createdAt}>{warekiDateTime(x.createdAt)}</time> 受付
                  </span>
                </div>
                <h2 className="text-std-18B-160 font-bold">{x.meetingTitle}</h2>
                <p className="mb-2 text-sm text-solid-gray-700">{basisLabel(x.legalBasis)}</p>
                <dl className="grid gap-x-8 gap-y-2 sm:grid-cols-2">
                  <div>
                    <dt className="text-sm text-solid-gray-700">対象者</dt>
                    <dd data-testid="request-person">{x.person ? [x.person.familyName, x.person.givenName].filter(Boolean).join(' ') : '（世帯）'}</dd>
                  </div>
                  <div>
                    <dt className="text-sm text-solid-gray-700">回答期限</dt>
                    <dd data-testid="request-due">{x.dueOn ? <time dateTime={x.dueOn}>{wareki(x.dueOn)}</time> : '—'}</dd>
                  </div>
                  <div className="sm:col-span-2">
                    <dt className="text-sm text-solid-gray-700">求める内容</dt>
                    <dd className="whitespace-pre-wrap">{x.request}</dd>
                  </div>
                  {x.answeredAt && (
                    <div>
                      <dt className="text-sm text-solid-gray-700">回答日時</dt>
                      <dd>
                        <time dateTime={x.answeredAt}>{warekiDateTime(x.answeredAt)}</time>
                      </dd>
                    </div>
                  )}
                </dl>
                {x.status !== 'answered' && (
                  <AnswerForm
                    item={x}
                    onAnswered={(msg) => {
                      setMessage(msg);
                      reload();
                    }}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
