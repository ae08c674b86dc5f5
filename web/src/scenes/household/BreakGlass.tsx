import { type FormEvent, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import { ErrorSummary, TextAreaField, TextField } from '../../components/form.tsx';
import { useSubmit } from '../../hooks/useSubmit.ts';

/** Rule 8: the coordinator may open an urgent case read-only for at most 24 hours, with a stated reason. */
export function BreakGlass({ caseId, onChanged }: { caseId: string; onChanged: (m: string) => void }) {
  const s = useSubmit();
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState('4');
  const ids: Record<string, string> = { reason: 'bg-reason', hours: 'bg-hours' };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const h = Number(hours);
    const local: Record<string, string> = {};
    if (!reason.trim()) local.reason = '緊急閲覧の理由を入力してください。';
    if (!Number.isInteger(h) || h < 1 || h > 24) local.hours = '時間は1〜24の整数で入力してください。';
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const ok = await s.run(async () => {
      await api.post(`/cases/${seg(caseId)}/break-glass`, { reason: reason.trim(), hours: h });
      return true;
    });
    if (ok) onChanged(`緊急閲覧を開始しました（${h}時間・閲覧のみ）。主担当機関と監査担当に通知されました。`);
  }

  return (
    <details className="mb-10 rounded-8 border-2 border-red-900 p-4" data-testid="break-glass">
      <summary className="cursor-pointer font-bold text-red-900">緊急時の閲覧（ブレークグラス）</summary>
      <form onSubmit={submit} noValidate className="mt-4" aria-label="緊急閲覧の開始">
        <p className="mb-4">
          生命・身体の危険など緊急性がある事案に限り、理由を記録して最長24時間、閲覧のみできます。税情報は開示されません。主担当機関と監査担当に通知され、監査記録に目立つ形で残ります。
        </p>
        <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={(k) => ids[k]} />
        <TextAreaField
          id={ids.reason}
          label="緊急閲覧の理由"
          required
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={s.errors.reason}
        />
        <TextField
          id={ids.hours}
          label="閲覧時間（時間）"
          type="number"
          min={1}
          max={24}
          required
          className="mb-5 max-w-xs"
          value={hours}
          onChange={(e) => setHours(e.target.value)}
          error={s.errors.hours}
        />
        <button type="submit" className="btn btn-danger" disabled={s.busy}>
          緊急閲覧を開始する
        </button>
      </form>
    </details>
  );
}
