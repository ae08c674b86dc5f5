import { type FormEvent, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { ListResponse, MonitoringEntry, PlanAction, PlanList } from '../../api/types.ts';
import { ErrorSummary, RadioGroup, SelectField, TextAreaField, TextField } from '../../components/form.tsx';
import { Badge, Loading, Section } from '../../components/ui.tsx';
import { useMe } from '../../hooks/session.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { wareki, warekiDateTime } from '../../lib/dates.ts';
import { authorText, MONITORING_LABELS, MONITORING_STATUSES, monitoringTone } from '../../lib/lifecycle.ts';
import { type LifecycleProps, PartError, PrintButton } from './lifecycleCommon.tsx';

/** モニタリング: entries against the plan's actions, with the person's own view (本人の思い). */
export function MonitoringSection({ kase, onChanged }: LifecycleProps) {
  const entries = useApiGet<ListResponse<MonitoringEntry>>(`/cases/${seg(kase.id)}/monitoring`);
  const plans = useApiGet<PlanList>(`/cases/${seg(kase.id)}/plans`);
  const me = useMe();
  const isLead = Boolean(kase.abilities?.changeStatus);
  const all = plans.data?.current?.actions ?? [];
  // Another organization records the actions it holds; the lead any of them. A meeting's role
  // assignment is followed on its task (タスク), not here.
  const ofPlan = all.filter((a) => a.source !== 'meeting');
  const actions = isLead ? ofPlan : ofPlan.filter((a) => a.organizationId === me.organizationId);
  const canWrite = Boolean(kase.abilities?.monitor ?? kase.abilities?.addRecord) && kase.status !== 'closed';
  const [adding, setAdding] = useState(false);
  const sorted = [...(entries.data?.items ?? [])].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  const actionText = (key: string | null) => (key ? (all.find((a) => a.key === key)?.text ?? null) : null);

  return (
    <Section
      id="monitoring"
      title="モニタリング"
      actions={
        <div className="flex flex-wrap gap-2 print:hidden">
          <PrintButton />
          {canWrite && !adding && (
            <button type="button" className="btn btn-primary btn-sm" onClick={() => setAdding(true)} data-testid="monitoring-new">
              モニタリングを記録
            </button>
          )}
        </div>
      }
    >
      {adding && (
        <MonitoringForm
          caseId={kase.id}
          actions={actions}
          onCancel={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            entries.reload();
            plans.reload();
            onChanged('モニタリングを記録しました。');
          }}
        />
      )}
      {entries.loading && !entries.data && <Loading />}
      {entries.error && <PartError error={entries.error} what="モニタリング" />}
      {entries.data && sorted.length === 0 && <p className="text-solid-gray-700">まだモニタリングの記録はありません。</p>}
      {sorted.length > 0 && (
        <div className="overflow-x-auto">
          <table className="data-table" data-testid="monitoring-table">
            <caption className="sr-only">モニタリングの記録（新しい順）</caption>
            <thead>
              <tr>
                <th scope="col">記録日時</th>
                <th scope="col">支援内容</th>
                <th scope="col">状況</th>
                <th scope="col">経過</th>
                <th scope="col">本人の思い</th>
                <th scope="col">次回見直し日</th>
                <th scope="col">記録者</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((m) => (
                <tr key={m.id} data-testid="monitoring-row" data-status={m.status}>
                  <td className="whitespace-nowrap">{warekiDateTime(m.createdAt)}</td>
                  <td>{m.actionText ?? actionText(m.actionKey) ?? (m.actionKey ? '（表示できない支援内容）' : '世帯全体')}</td>
                  <td>
                    <Badge tone={monitoringTone(m.status)}>{MONITORING_LABELS[m.status] ?? m.status}</Badge>
                  </td>
                  <td className="whitespace-pre-wrap">{m.note}</td>
                  <td className="whitespace-pre-wrap">{m.personView || '—'}</td>
                  <td className="whitespace-nowrap">{m.nextReviewOn ? wareki(m.nextReviewOn) : '—'}</td>
                  <td>{authorText(m.author)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function MonitoringForm({ caseId, actions, onCancel, onDone }: { caseId: string; actions: PlanAction[]; onCancel: () => void; onDone: () => void }) {
  const s = useSubmit();
  const [actionKey, setActionKey] = useState('');
  const [status, setStatus] = useState('');
  const [note, setNote] = useState('');
  const [personView, setPersonView] = useState('');
  const [nextReviewOn, setNextReviewOn] = useState('');
  const ids: Record<string, string> = {
    actionKey: 'mon-action',
    status: 'mon-status',
    note: 'mon-note',
    personView: 'mon-person-view',
    nextReviewOn: 'mon-next',
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!status) local.status = '状況を選んでください。';
    if (!note.trim()) local.note = '経過を入力してください。';
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const body = {
      ...(actionKey ? { actionKey } : {}),
      status,
      note: note.trim(),
      ...(personView.trim() ? { personView: personView.trim() } : {}),
      ...(nextReviewOn ? { nextReviewOn } : {}),
    };
    const ok = await s.run(async () => {
      await api.post(`/cases/${seg(caseId)}/monitoring`, body);
      return true;
    });
    if (ok) onDone();
  }

  return (
    <form onSubmit={submit} noValidate className="card mb-6 bg-blue-50" aria-labelledby="monitoring-form-heading" data-testid="monitoring-form">
      <h3 id="monitoring-form-heading" className="mb-3 text-std-20B-150">
        モニタリングを記録
      </h3>
      <ErrorSummary
        detail={s.detail}
        errors={s.errors}
        fieldIdOf={(k) => ids[k]}
        labelOf={(k) => ({ actionKey: '支援内容', status: '状況', note: '経過', personView: '本人の思い', nextReviewOn: '次回見直し日' })[k]}
        testId="monitoring-errors"
      />
      <SelectField
        id={ids.actionKey}
        label="支援内容"
        value={actionKey}
        onChange={(e) => setActionKey(e.target.value)}
        placeholder="世帯全体について（支援内容を選ばない）"
        options={actions.map((a) => ({ value: a.key, label: `${a.text}（${a.organizationName ?? ''}）` }))}
        error={s.errors.actionKey}
        hint={actions.length === 0 ? '現在の支援プランに支援内容がありません。' : undefined}
      />
      <div id={ids.status} tabIndex={-1}>
        <RadioGroup
          legend="状況"
          name="monitoring-status"
          required
          value={status}
          onChange={setStatus}
          options={MONITORING_STATUSES.map((m) => ({ value: m.code, label: m.ja }))}
          error={s.errors.status}
        />
      </div>
      <TextAreaField id={ids.note} label="経過" required rows={3} value={note} onChange={(e) => setNote(e.target.value)} error={s.errors.note} />
      <TextAreaField
        id={ids.personView}
        label="本人の思い"
        hint="本人が今の支援をどう感じているか、本人の言葉で。"
        rows={2}
        value={personView}
        onChange={(e) => setPersonView(e.target.value)}
        error={s.errors.personView}
      />
      <TextField
        id={ids.nextReviewOn}
        type="date"
        label="次回見直し日"
        value={nextReviewOn}
        onChange={(e) => setNextReviewOn(e.target.value)}
        error={s.errors.nextReviewOn}
        inputClassName="max-w-xs"
      />
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="monitoring-submit">
          記録する
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          キャンセル
        </button>
      </div>
    </form>
  );
}
