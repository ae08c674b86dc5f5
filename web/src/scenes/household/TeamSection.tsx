import { type FormEvent, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { CaseDetail, Organization } from '../../api/types.ts';
import { ErrorSummary, SelectField } from '../../components/form.tsx';
import { Badge, Section } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { wareki } from '../../lib/dates.ts';

export function TeamSection({ kase, organizations, onChanged }: { kase: CaseDetail; organizations: Organization[]; onChanged: (message: string) => void }) {
  const codes = useCodeLists();
  const canManage = Boolean(kase.abilities?.manageTeam);
  const [adding, setAdding] = useState(false);

  return (
    <Section
      id="team"
      title="支援チーム"
      actions={
        canManage && !adding ? (
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => setAdding(true)} data-testid="team-add-open">
            チームに追加
          </button>
        ) : undefined
      }
    >
      <div className="overflow-x-auto">
        <table className="data-table" data-testid="team-table">
          <caption className="sr-only">支援チームの機関と参加の根拠</caption>
          <thead>
            <tr>
              <th scope="col">機関</th>
              <th scope="col">参加の根拠</th>
              <th scope="col">参加日</th>
              {canManage && (
                <th scope="col">
                  <span className="sr-only">操作</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {kase.team.map((t) => (
              <tr key={t.organizationId} data-testid="team-row" data-organization-id={t.organizationId}>
                <th scope="row" className="font-bold">
                  {t.organizationName}
                  {t.addedLater && (
                    <span className="ml-2">
                      <Badge tone="orange" title="推進員が新たに加えた機関" testId="team-new">
                        新
                      </Badge>
                      <span className="sr-only">（新たに加わった機関）</span>
                    </span>
                  )}
                </th>
                <td>
                  <Badge tone={t.basis === 'lead' ? 'blue' : 'gray'}>{labelOf(codes.teamBases, t.basis)}</Badge>
                </td>
                <td className="whitespace-nowrap">{t.joinedAt ? wareki(t.joinedAt) : '—'}</td>
                {canManage && (
                  <td>
                    {t.basis !== 'lead' && <RemoveButton caseId={kase.id} organizationId={t.organizationId} name={t.organizationName} onChanged={onChanged} />}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canManage && adding && (
        <AddTeamForm
          kase={kase}
          organizations={organizations}
          onCancel={() => setAdding(false)}
          onDone={(name) => {
            setAdding(false);
            onChanged(`${name}を支援チームに追加しました。`);
          }}
        />
      )}
    </Section>
  );
}

function RemoveButton({ caseId, organizationId, name, onChanged }: { caseId: string; organizationId: string; name: string; onChanged: (m: string) => void }) {
  const s = useSubmit();
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <button type="button" className="btn btn-danger btn-sm" onClick={() => setConfirming(true)} aria-label={`${name}をチームから外す`}>
        外す
      </button>
    );
  return (
    <div className="grid gap-2">
      <p className="text-sm">外すと、この機関の閲覧はすぐに終了します。</p>
      {s.detail && (
        <p role="alert" className="text-sm font-bold text-red-900">
          {s.detail}
        </p>
      )}
      <div className="flex gap-2">
        <button
          type="button"
          className="btn btn-danger btn-sm"
          disabled={s.busy}
          onClick={async () => {
            const ok = await s.run(async () => {
              await api.delete(`/cases/${seg(caseId)}/team/${seg(organizationId)}`);
              return true;
            });
            if (ok) onChanged(`${name}を支援チームから外しました。`);
          }}
        >
          外す（確定）
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => setConfirming(false)}>
          やめる
        </button>
      </div>
    </div>
  );
}

function AddTeamForm({
  kase,
  organizations,
  onCancel,
  onDone,
}: {
  kase: CaseDetail;
  organizations: Organization[];
  onCancel: () => void;
  onDone: (name: string) => void;
}) {
  const codes = useCodeLists();
  const s = useSubmit();
  const [organizationId, setOrganizationId] = useState('');
  const [basis, setBasis] = useState('referral');
  const onTeam = new Set(kase.team.map((t) => t.organizationId));
  const candidates = organizations.filter((o) => !onTeam.has(o.id));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!organizationId) {
      s.setLocalErrors({ organizationId: '追加する機関を選んでください。' });
      return;
    }
    const ok = await s.run(async () => {
      await api.post(`/cases/${seg(kase.id)}/team`, { organizationId, basis });
      return true;
    });
    if (ok) onDone(organizations.find((o) => o.id === organizationId)?.name ?? '機関');
  }

  return (
    <form onSubmit={submit} noValidate className="card mt-4 bg-blue-50" aria-labelledby="team-add-heading" data-testid="team-add-form">
      <h3 id="team-add-heading" className="mb-3 text-std-20B-150">
        支援チームに機関を追加
      </h3>
      <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={(k) => (k === 'organizationId' ? 'team-org' : k === 'basis' ? 'team-basis' : undefined)} />
      {candidates.length === 0 && <p className="mb-3">追加できる機関の一覧を取得できませんでした。</p>}
      <SelectField
        id="team-org"
        label="機関"
        required
        value={organizationId}
        onChange={(e) => setOrganizationId(e.target.value)}
        placeholder="選択してください"
        options={candidates.map((o) => ({ value: o.id, label: o.name }))}
        error={s.errors.organizationId}
      />
      <SelectField
        id="team-basis"
        label="参加の根拠"
        required
        value={basis}
        onChange={(e) => setBasis(e.target.value)}
        options={codes.teamBases.filter((b) => b.code !== 'lead').map((b) => ({ value: b.code, label: b.ja }))}
        hint="紹介：主担当からの紹介／本人同意：本人の同意に基づく／会議決定：支援会議等での決定"
        error={s.errors.basis}
      />
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="team-add-submit">
          チームに追加する
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          キャンセル
        </button>
      </div>
    </form>
  );
}
