import { type FormEvent, useState } from 'react';
import { api, qs, seg } from '../../api/client.ts';
import type { AdviceRequestItem, Advisor, ListResponse, MeetingListItem } from '../../api/types.ts';
import { CheckboxField, ErrorSummary, RadioGroup, SelectField, TextAreaField, TextField } from '../../components/form.tsx';
import { Badge, Loading, Section } from '../../components/ui.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { wareki, warekiDateTime } from '../../lib/dates.ts';
import { ADVICE_PART_LABELS, ADVICE_PARTS, ADVICE_STATUS_LABELS, ADVISOR_FIELDS, authorText } from '../../lib/lifecycle.ts';
import { itemsOf, kindLabel } from '../meetings/common.ts';
import { type LifecycleProps, PartError } from './lifecycleCommon.tsx';

/** 複合課題解決アドバイザーへの相談: requests on this case and the advisors' answers (visible to the team). */
export function AdviceSection({ kase, onChanged }: LifecycleProps) {
  const list = useApiGet<ListResponse<AdviceRequestItem>>(`/cases/${seg(kase.id)}/advice-requests`);
  const canRequest = Boolean(kase.abilities?.requestAdvice ?? kase.abilities?.addRecord) && kase.status !== 'closed';
  const [adding, setAdding] = useState(false);
  const sorted = [...(list.data?.items ?? [])].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  return (
    <Section
      id="advice"
      title="アドバイザー相談"
      actions={
        canRequest && !adding ? (
          <button type="button" className="btn btn-primary btn-sm print:hidden" onClick={() => setAdding(true)} data-testid="advice-new">
            助言を依頼
          </button>
        ) : undefined
      }
    >
      <p className="mb-4 text-sm text-solid-gray-700">
        複合課題解決アドバイザーは、依頼を受けたケースについて、依頼で示した範囲（本人同意または支援会議の決定に基づく資料）だけを閲覧できます。
      </p>
      {adding && (
        <AdviceForm
          caseId={kase.id}
          onCancel={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            list.reload();
            onChanged('アドバイザーに助言を依頼しました。');
          }}
        />
      )}
      {list.loading && !list.data && <Loading />}
      {list.error && <PartError error={list.error} what="アドバイザー相談" />}
      {list.data && sorted.length === 0 && <p className="text-solid-gray-700">まだ助言の依頼はありません。</p>}
      <ul className="grid gap-4" data-testid="advice-list">
        {sorted.map((r) => (
          <li key={r.id} className="card" data-testid="advice-item" data-status={r.status}>
            <div className="mb-2 flex flex-wrap items-center gap-3">
              <Badge tone={r.status === 'answered' ? 'green' : 'orange'}>{ADVICE_STATUS_LABELS[r.status] ?? r.status}</Badge>
              <span className="font-bold">
                {r.advisor.displayName}
                {r.advisor.fields && r.advisor.fields.length > 0 && <span className="ml-1 font-normal">（{r.advisor.fields.join('・')}）</span>}
              </span>
              <span className="text-sm text-solid-gray-700">
                依頼：{warekiDateTime(r.createdAt)}
                {r.requestedBy ? `・${authorText(r.requestedBy)}` : ''}
                {r.dueOn ? `・回答期限 ${wareki(r.dueOn)}` : ''}
              </span>
            </div>
            <dl className="grid gap-x-6 gap-y-2 md:grid-cols-[8rem_1fr]">
              <dt className="font-bold">相談内容</dt>
              <dd className="whitespace-pre-wrap">{r.question}</dd>
              <dt className="font-bold">閲覧の根拠</dt>
              <dd>
                {r.basis.kind === 'consent'
                  ? '本人同意'
                  : `会議の決定${'meetingTitle' in r.basis && r.basis.meetingTitle ? `（${r.basis.meetingTitle}）` : ''}`}
              </dd>
              <dt className="font-bold">示す資料</dt>
              <dd>{r.include.map((p) => ADVICE_PART_LABELS[p] ?? p).join('、')}</dd>
              {r.answer && (
                <>
                  <dt className="font-bold">回答</dt>
                  <dd className="whitespace-pre-wrap rounded-8 bg-green-50 p-2" data-testid="advice-answer">
                    {r.answer}
                    {r.answeredAt && <span className="mt-1 block text-sm text-solid-gray-700">{warekiDateTime(r.answeredAt)}</span>}
                  </dd>
                </>
              )}
            </dl>
          </li>
        ))}
      </ul>
    </Section>
  );
}

function AdviceForm({ caseId, onCancel, onDone }: { caseId: string; onCancel: () => void; onDone: () => void }) {
  const s = useSubmit();
  const [field, setField] = useState('');
  const advisors = useApiGet<ListResponse<Advisor>>(`/advisors${qs({ field })}`);
  const meetings = useApiGet<ListResponse<MeetingListItem>>('/meetings');
  const [advisorUserId, setAdvisorUserId] = useState('');
  const [question, setQuestion] = useState('');
  const [basisKind, setBasisKind] = useState<'consent' | 'meeting'>('consent');
  const [meetingId, setMeetingId] = useState('');
  const [include, setInclude] = useState<string[]>(['core']);
  const [dueOn, setDueOn] = useState('');
  const statutory = itemsOf(meetings.data).filter((m) => m.kind === 'support' || m.kind === 'case_conference');
  const ids: Record<string, string> = {
    advisorUserId: 'advice-advisor',
    question: 'advice-question',
    basis: 'advice-basis',
    'basis.meetingId': 'advice-meeting',
    include: 'advice-include',
    dueOn: 'advice-due',
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!advisorUserId) local.advisorUserId = 'アドバイザーを選んでください。';
    if (!question.trim()) local.question = '相談内容を入力してください。';
    if (basisKind === 'meeting' && !meetingId) local['basis.meetingId'] = '会議を選んでください。';
    if (include.length === 0) local.include = '示す資料を1つ以上選んでください。';
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const body = {
      advisorUserId,
      question: question.trim(),
      basis: basisKind === 'consent' ? { kind: 'consent' } : { kind: 'meeting', meetingId },
      include,
      ...(dueOn ? { dueOn } : {}),
    };
    const ok = await s.run(async () => {
      await api.post(`/cases/${seg(caseId)}/advice-requests`, body);
      return true;
    });
    if (ok) onDone();
  }

  return (
    <form onSubmit={submit} noValidate className="card mb-6 bg-blue-50" aria-labelledby="advice-form-heading" data-testid="advice-form">
      <h3 id="advice-form-heading" className="mb-3 text-std-20B-150">
        アドバイザーに助言を依頼
      </h3>
      <ErrorSummary
        detail={s.detail}
        errors={s.errors}
        fieldIdOf={(k) => ids[k]}
        labelOf={(k) =>
          ({ advisorUserId: 'アドバイザー', question: '相談内容', basis: '閲覧の根拠', 'basis.meetingId': '会議', include: '示す資料', dueOn: '回答期限' })[k]
        }
        testId="advice-errors"
      />
      <div className="grid gap-x-6 md:grid-cols-2">
        <SelectField
          id="advice-field"
          label="分野で絞り込む"
          value={field}
          onChange={(e) => {
            setField(e.target.value);
            setAdvisorUserId('');
          }}
          placeholder="すべての分野"
          options={ADVISOR_FIELDS.map((f) => ({ value: f, label: f }))}
        />
        <SelectField
          id={ids.advisorUserId}
          label="アドバイザー"
          required
          value={advisorUserId}
          onChange={(e) => setAdvisorUserId(e.target.value)}
          placeholder={advisors.loading ? '読み込み中…' : '選択してください'}
          options={itemsOf(advisors.data).map((a) => ({
            value: a.userId,
            label: `${a.displayName}（${a.fields.join('・')}${a.affiliation ? `／${a.affiliation}` : a.organizationName ? `／${a.organizationName}` : ''}）`,
          }))}
          error={s.errors.advisorUserId}
          hint={advisors.data && itemsOf(advisors.data).length === 0 ? 'この分野のアドバイザーは登録されていません。' : undefined}
        />
      </div>
      <TextAreaField
        id={ids.question}
        label="相談内容"
        required
        rows={4}
        value={question}
        onChange={(e) => setQuestion(e.target.value)}
        error={s.errors.question}
      />
      <div id={ids.basis} tabIndex={-1}>
        <RadioGroup
          legend="アドバイザーが資料を閲覧する根拠"
          name="advice-basis"
          required
          value={basisKind}
          onChange={(v) => setBasisKind(v as 'consent' | 'meeting')}
          options={[
            { value: 'consent', label: '本人同意（課題のある全員の同意がアドバイザーの機関を含む）' },
            { value: 'meeting', label: '支援会議・複合課題ケース検討会の決定' },
          ]}
          error={s.errors.basis}
        />
      </div>
      {basisKind === 'meeting' && (
        <SelectField
          id={ids['basis.meetingId']}
          label="会議"
          required
          value={meetingId}
          onChange={(e) => setMeetingId(e.target.value)}
          placeholder="選択してください"
          options={statutory.map((m) => ({ value: m.id, label: `${kindLabel(m.kind)}：${m.title}（${warekiDateTime(m.startsAt)}）` }))}
          error={s.errors['basis.meetingId']}
          hint="アドバイザーが構成員である会議を選んでください。"
        />
      )}
      <fieldset id={ids.include} tabIndex={-1} className="mb-5">
        <legend className="mb-1 font-bold">アドバイザーに示す資料</legend>
        {ADVICE_PARTS.map((p) => (
          <CheckboxField
            key={p.code}
            label={p.ja}
            checked={include.includes(p.code)}
            onChange={(e) => setInclude((cur) => (e.target.checked ? [...cur, p.code] : cur.filter((c) => c !== p.code)))}
          />
        ))}
        {s.errors.include && <p className="font-bold text-red-900">{s.errors.include}</p>}
      </fieldset>
      <TextField
        id={ids.dueOn}
        type="date"
        label="回答期限"
        value={dueOn}
        onChange={(e) => setDueOn(e.target.value)}
        error={s.errors.dueOn}
        inputClassName="max-w-xs"
      />
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="advice-submit">
          依頼する
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          キャンセル
        </button>
      </div>
    </form>
  );
}
