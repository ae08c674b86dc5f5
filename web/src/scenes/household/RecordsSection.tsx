import { type FormEvent, useState } from 'react';
import { type ApiError, api, seg } from '../../api/client.ts';
import type { CaseDetail, CaseMember, CaseRecord } from '../../api/types.ts';
import { ErrorSummary, RadioGroup, SelectField, TextAreaField } from '../../components/form.tsx';
import { ApiErrorNotice, Badge, classificationTone, Loading, Section } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { warekiDateTime } from '../../lib/dates.ts';
import { fullName } from './common.ts';

export function RecordsSection({
  kase,
  members,
  records,
  error,
  loading,
  names,
  onChanged,
}: {
  kase: CaseDetail;
  members: CaseMember[];
  records: CaseRecord[] | undefined;
  error: ApiError | undefined;
  loading: boolean;
  names: Map<string, string>;
  onChanged: (message: string) => void;
}) {
  const codes = useCodeLists();
  const canAdd = Boolean(kase.abilities?.addRecord);
  const [adding, setAdding] = useState(false);
  const sorted = [...(records ?? [])].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));

  return (
    <Section
      id="records"
      title="支援記録"
      actions={
        canAdd && !adding ? (
          <button type="button" className="btn btn-primary btn-sm" onClick={() => setAdding(true)} data-testid="record-add-open">
            記録を追加
          </button>
        ) : undefined
      }
    >
      <p className="mb-4 text-sm text-solid-gray-700">
        表示されるのは、あなたの機関が閲覧できる記録だけです（自機関の記録、本人同意の範囲の記録など）。新しい順に並んでいます。
      </p>
      {canAdd && adding && (
        <RecordForm
          kase={kase}
          members={members}
          onCancel={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            onChanged('支援記録を追加しました。');
          }}
        />
      )}
      {loading && !records && <Loading />}
      {error && <ApiErrorNotice error={error} />}
      {records && sorted.length === 0 && <p className="rounded-8 bg-solid-gray-50 p-4">表示できる支援記録はありません。</p>}
      {sorted.length > 0 && (
        <ol className="relative ml-3 border-l-4 border-blue-200" data-testid="records-timeline">
          {sorted.map((r) => (
            <li key={r.id} className="mb-6 ml-6" data-testid="record-item" data-classification={r.classification}>
              <span aria-hidden="true" className="absolute -left-[11px] mt-2 block h-4 w-4 rounded-full border-4 border-white bg-blue-900" />
              <article className="card p-4" aria-label={`${warekiDateTime(r.createdAt)}の記録`}>
                <header className="mb-2 flex flex-wrap items-center gap-x-3 gap-y-1">
                  <time dateTime={r.createdAt} className="font-bold">
                    {warekiDateTime(r.createdAt)}
                  </time>
                  <Badge tone={classificationTone(r.classification)} testId="record-classification">
                    {labelOf(codes.recordClassifications, r.classification)}
                  </Badge>
                  <span className="text-sm text-solid-gray-800">
                    {r.authorOrganization?.name}
                    {r.authorName ? `・${r.authorName}` : ''}
                  </span>
                  {r.personId && <span className="text-sm text-solid-gray-800">対象：{names.get(r.personId) ?? '（世帯員）'}</span>}
                </header>
                <p className="whitespace-pre-wrap">{r.body}</p>
              </article>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}

function RecordForm({ kase, members, onCancel, onDone }: { kase: CaseDetail; members: CaseMember[]; onCancel: () => void; onDone: () => void }) {
  const codes = useCodeLists();
  const s = useSubmit();
  const [personId, setPersonId] = useState('');
  const [classification, setClassification] = useState('normal');
  const [body, setBody] = useState('');
  const ids: Record<string, string> = { personId: 'record-person', classification: 'record-classification', body: 'record-body' };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!body.trim()) local.body = '本文を入力してください。';
    if ((classification === 'sensitive' || classification === 'tax') && !personId) local.personId = '機微・税情報の記録には対象者の指定が必要です。';
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const ok = await s.run(async () => {
      await api.post(`/cases/${seg(kase.id)}/records`, { ...(personId ? { personId } : {}), body, classification });
      return true;
    });
    if (ok) onDone();
  }

  return (
    <form onSubmit={submit} noValidate className="card mb-6 bg-blue-50" aria-labelledby="record-form-heading" data-testid="record-form">
      <h3 id="record-form-heading" className="mb-3 text-std-20B-150">
        支援記録を追加
      </h3>
      <ErrorSummary
        detail={s.detail}
        errors={s.errors}
        fieldIdOf={(k) => ids[k]}
        labelOf={(k) => ({ personId: '対象者', classification: '区分', body: '本文' })[k]}
      />
      <SelectField
        id={ids.personId}
        label="対象者"
        required={classification !== 'normal'}
        value={personId}
        onChange={(e) => setPersonId(e.target.value)}
        placeholder="世帯全体（対象者を指定しない）"
        options={members.map((m) => ({ value: m.personId, label: fullName(m) }))}
        hint="機微・税情報の記録では必須です。"
        error={s.errors.personId}
      />
      <div id={ids.classification} tabIndex={-1}>
        <RadioGroup
          legend="区分"
          name="record-classification"
          required
          value={classification}
          onChange={setClassification}
          options={codes.recordClassifications.map((c) => ({ value: c.code, label: c.ja }))}
          error={s.errors.classification}
        />
      </div>
      <p className="-mt-3 mb-5 text-sm text-solid-gray-700">
        機微：健康・障害・虐待などの情報。税情報：税務部門の情報（税務分野の機関の記録は常に税情報として扱われます）。
      </p>
      <TextAreaField id={ids.body} label="本文" required rows={6} value={body} onChange={(e) => setBody(e.target.value)} error={s.errors.body} />
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="record-submit">
          記録を登録する
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          キャンセル
        </button>
      </div>
    </form>
  );
}
