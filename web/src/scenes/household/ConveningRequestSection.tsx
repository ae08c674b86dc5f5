import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import type { CaseDetail, ConveningRequest, Organization } from '../../api/types.ts';
import { CheckboxField, ErrorSummary, RadioGroup, TextAreaField } from '../../components/form.tsx';
import { Section } from '../../components/ui.tsx';
import { useCodeLists } from '../../hooks/codeLists.tsx';
import { useSubmit } from '../../hooks/useSubmit.ts';

const toggle = (ids: string[], id: string, on: boolean) => (on ? [...ids, id] : ids.filter((x) => x !== id));

/** 会議の開催依頼（受付表）: a team member asks the coordinator for a meeting on this case. */
export function ConveningRequestSection({
  kase,
  organizations,
  onChanged,
}: {
  kase: CaseDetail;
  organizations: Organization[];
  onChanged: (msg: string) => void;
}) {
  const codes = useCodeLists();
  const [open, setOpen] = useState(false);
  const [consulted, setConsulted] = useState('');
  const [involved, setInvolved] = useState<string[]>(() => kase.team.map((t) => t.organizationId));
  const [needed, setNeeded] = useState<string[]>([]);
  const [urgency, setUrgency] = useState('normal');
  const s = useSubmit((path) => (path.startsWith('involvedOrganizationIds') ? 'involved' : path.startsWith('neededOrganizationIds') ? 'needed' : path));
  const ids: Record<string, string> = {
    consulted: 'convening-consulted',
    involved: 'convening-involved',
    needed: 'convening-needed',
    urgency: 'convening-urgency',
  };
  const labels: Record<string, string> = { consulted: '相談内容', involved: 'すでに関わっている機関', needed: '必要と思われる機関', urgency: '緊急度' };

  // The team first, then the other organizations (a team member's organization may be missing from the list).
  const teamIds = new Set(kase.team.map((t) => t.organizationId));
  const involvedOptions = [
    ...kase.team.map((t) => ({ id: t.organizationId, name: t.organizationName, team: true })),
    ...organizations.filter((o) => !teamIds.has(o.id)).map((o) => ({ id: o.id, name: o.name, team: false })),
  ];
  const urgencyOptions = codes.urgencies.length
    ? codes.urgencies.map((u) => ({ value: u.code, label: u.ja }))
    : [
        { value: 'normal', label: '通常' },
        { value: 'high', label: '高' },
        { value: 'urgent', label: '緊急' },
      ];

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!consulted.trim()) {
      s.setLocalErrors({ consulted: '相談内容を入力してください。' });
      return;
    }
    const r = await s.run(() =>
      api.post<ConveningRequest>('/convening-requests', {
        caseId: kase.id,
        consulted: consulted.trim(),
        involvedOrganizationIds: involved,
        neededOrganizationIds: needed,
        urgency,
      }),
    );
    if (r) {
      setConsulted('');
      setNeeded([]);
      setOpen(false);
      onChanged('会議の開催依頼（受付表）を相談支援包括化推進員へ送りました。');
    }
  }

  return (
    <Section
      id="convening-request"
      title="会議の開催依頼"
      testId="convening-request"
      actions={
        !open ? (
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => setOpen(true)} data-testid="convening-request-open">
            会議の開催を依頼する（受付表）
          </button>
        ) : undefined
      }
    >
      {!open && (
        <p className="text-sm text-solid-gray-700">
          複数の機関で話し合う必要があるときは、受付表で相談支援包括化推進員に会議の開催を依頼できます。推進員が総括者へ送り、総括者が会議を招集します。
        </p>
      )}
      {open && (
        <form onSubmit={submit} noValidate aria-label="会議の開催を依頼する（受付表）" className="card bg-blue-50" data-testid="convening-request-form">
          <h3 className="mb-3 text-std-20B-150">会議の開催を依頼する（受付表）</h3>
          <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={(k) => ids[k]} labelOf={(k) => labels[k]} testId="convening-request-errors" />
          <TextAreaField
            id={ids.consulted}
            label="相談内容"
            required
            rows={4}
            value={consulted}
            onChange={(e) => setConsulted(e.target.value)}
            error={s.errors.consulted}
          />
          <div className="grid gap-x-6 sm:grid-cols-2">
            <fieldset id={ids.involved} tabIndex={-1} className="mb-5" data-testid="convening-involved">
              <legend className="mb-1 font-bold">すでに関わっている機関</legend>
              {involvedOptions.map((o) => (
                <CheckboxField
                  key={o.id}
                  id={`convening-involved-${o.id}`}
                  className="mb-1"
                  label={o.team ? `${o.name}（支援チーム）` : o.name}
                  checked={involved.includes(o.id)}
                  onChange={(e) => setInvolved((list) => toggle(list, o.id, e.target.checked))}
                />
              ))}
              {s.errors.involved && <p className="mt-1 font-bold text-red-900">{s.errors.involved}</p>}
            </fieldset>
            <fieldset id={ids.needed} tabIndex={-1} className="mb-5" data-testid="convening-needed">
              <legend className="mb-1 font-bold">必要と思われる機関</legend>
              {organizations.length === 0 && <p className="text-sm text-solid-gray-700">機関の一覧を読み込めません。</p>}
              {organizations.map((o) => (
                <CheckboxField
                  key={o.id}
                  id={`convening-needed-${o.id}`}
                  className="mb-1"
                  label={o.name}
                  checked={needed.includes(o.id)}
                  onChange={(e) => setNeeded((list) => toggle(list, o.id, e.target.checked))}
                />
              ))}
              {s.errors.needed && <p className="mt-1 font-bold text-red-900">{s.errors.needed}</p>}
            </fieldset>
          </div>
          <RadioGroup legend="緊急度" name="convening-urgency" value={urgency} onChange={setUrgency} options={urgencyOptions} error={s.errors.urgency} />
          <div className="flex flex-wrap gap-3">
            <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="convening-request-submit">
              推進員へ依頼を送る
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => setOpen(false)}>
              キャンセル
            </button>
          </div>
        </form>
      )}
    </Section>
  );
}
