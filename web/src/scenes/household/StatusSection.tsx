import { type FormEvent, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { CaseDetail, StatusChange } from '../../api/types.ts';
import { ErrorSummary, SelectField, TextAreaField } from '../../components/form.tsx';
import { Section } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { warekiDateTime } from '../../lib/dates.ts';

function changedByText(c: StatusChange): string {
  const by = c.changedBy;
  if (!by) return '—';
  if (typeof by === 'string') return by;
  return by.displayName ?? by.name ?? by.id ?? '—';
}

export function StatusSection({ kase, onChanged }: { kase: CaseDetail; onChanged: (message: string) => void }) {
  const codes = useCodeLists();
  const steps = codes.caseStatuses;
  const currentIndex = steps.findIndex((s) => s.code === kase.status);
  const history = [...(kase.statusHistory ?? [])].sort((a, b) => (a.changedAt < b.changedAt ? 1 : -1));
  return (
    <Section id="status" title="状態">
      <ol className="mb-6 flex flex-wrap gap-2" aria-label="支援の段階" data-testid="status-steps">
        {steps.map((s, i) => {
          const current = s.code === kase.status;
          const done = currentIndex >= 0 && i < currentIndex;
          return (
            <li
              key={s.code}
              aria-current={current ? 'step' : undefined}
              className={`rounded-full border-2 px-4 py-1 font-bold ${
                current
                  ? 'border-blue-900 bg-blue-900 text-white'
                  : done
                    ? 'border-blue-300 bg-blue-50 text-blue-1000'
                    : 'border-solid-gray-300 text-solid-gray-700'
              }`}
            >
              {s.ja}
              {current && <span className="sr-only">（現在）</span>}
            </li>
          );
        })}
      </ol>
      {kase.status === 'closed' && kase.closingReason && (
        <p className="mb-4">
          <span className="font-bold">終結理由：</span>
          {labelOf(codes.closingReasons, kase.closingReason)}
        </p>
      )}
      {history.length > 0 && (
        <div className="mb-6 overflow-x-auto">
          <table className="data-table" data-testid="status-history">
            <caption className="mb-2 text-left font-bold">状態の履歴</caption>
            <thead>
              <tr>
                <th scope="col">日時</th>
                <th scope="col">変更</th>
                <th scope="col">理由・メモ</th>
                <th scope="col">変更者</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={`${h.changedAt}-${h.from ?? ''}-${h.to}`}>
                  <td className="whitespace-nowrap">{warekiDateTime(h.changedAt)}</td>
                  <td>
                    {h.from ? `${labelOf(codes.caseStatuses, h.from)} → ` : ''}
                    {labelOf(codes.caseStatuses, h.to)}
                  </td>
                  <td>
                    {h.reason ? labelOf(codes.closingReasons, h.reason) : ''}
                    {h.reason && h.note ? '：' : ''}
                    {h.note}
                  </td>
                  <td className="whitespace-nowrap">{changedByText(h)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {kase.abilities?.changeStatus && <StatusForm kase={kase} onChanged={onChanged} />}
    </Section>
  );
}

function StatusForm({ kase, onChanged }: { kase: CaseDetail; onChanged: (message: string) => void }) {
  const codes = useCodeLists();
  const s = useSubmit();
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const ids: Record<string, string> = { to: 'status-to', reason: 'status-reason', note: 'status-note' };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!to) local.to = '変更後の状態を選んでください。';
    if (to === 'closed' && !reason) local.reason = '終結するには終結理由を選んでください。';
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const body = { to, ...(to === 'closed' ? { reason } : {}), ...(note.trim() ? { note: note.trim() } : {}) };
    const ok = await s.run(async () => {
      await api.post(`/cases/${seg(kase.id)}/status`, body);
      return true;
    });
    if (ok) {
      onChanged(`状態を「${labelOf(codes.caseStatuses, to)}」に変更しました。`);
      setTo('');
      setReason('');
      setNote('');
    }
  }

  return (
    <form onSubmit={submit} noValidate className="card bg-solid-gray-50" aria-labelledby="status-form-heading" data-testid="status-form">
      <h3 id="status-form-heading" className="mb-3 text-std-20B-150">
        状態を変更
      </h3>
      <ErrorSummary
        detail={s.detail}
        errors={s.errors}
        fieldIdOf={(k) => ids[k]}
        labelOf={(k) => ({ to: '変更後の状態', reason: '終結理由', note: 'メモ' })[k]}
      />
      <div className="grid gap-x-6 md:grid-cols-2">
        <SelectField
          id={ids.to}
          label="変更後の状態"
          required
          value={to}
          onChange={(e) => setTo(e.target.value)}
          placeholder="選択してください"
          options={codes.caseStatuses
            .filter((c) => c.code !== kase.status)
            .map((c) => ({ value: c.code, label: kase.status === 'closed' && c.code !== 'closed' ? `${c.ja}（再開）` : c.ja }))}
          error={s.errors.to}
        />
        {to === 'closed' && (
          <SelectField
            id={ids.reason}
            label="終結理由"
            required
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="選択してください"
            options={codes.closingReasons.map((c) => ({ value: c.code, label: c.ja }))}
            error={s.errors.reason}
            hint="支援プランのあるケースは、「終結」で目標ごとの評価を記録して終結します。"
          />
        )}
      </div>
      <TextAreaField id={ids.note} label="メモ" rows={3} value={note} onChange={(e) => setNote(e.target.value)} error={s.errors.note} />
      <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="status-submit">
        状態を変更する
      </button>
    </form>
  );
}
