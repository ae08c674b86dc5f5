import { type FormEvent, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { CaseDetail, CaseMember, Consent, Organization } from '../../api/types.ts';
import { CheckboxField, ErrorSummary, RadioGroup, SelectField, TextAreaField, TextField } from '../../components/form.tsx';
import { Badge, Section } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { todayInTokyo, wareki } from '../../lib/dates.ts';
import { fullName } from './common.ts';

const STATE_LABEL: Record<string, { text: string; tone: 'green' | 'gray' | 'orange' }> = {
  active: { text: '同意あり', tone: 'green' },
  none: { text: '同意なし', tone: 'gray' },
  withdrawn: { text: '撤回済み', tone: 'orange' },
};

export function ConsentSection({
  kase,
  members,
  organizations,
  onChanged,
}: {
  kase: CaseDetail;
  members: CaseMember[];
  organizations: Organization[];
  onChanged: (message: string) => void;
}) {
  const canRecord = Boolean(kase.abilities?.recordConsent);
  const [openFor, setOpenFor] = useState<string | null>(null);
  const orgNames = new Map<string, string>([
    ...organizations.map((o) => [o.id, o.name] as [string, string]),
    ...kase.team.map((t) => [t.organizationId, t.organizationName] as [string, string]),
  ]);

  return (
    <Section id="consent" title="本人同意">
      <p className="mb-4 text-solid-gray-800">
        機関間の情報共有は本人同意が原則です。同意で名前が挙がった機関だけが、その人の課題と記録を見られます。税情報は「税情報を含む」同意があるときだけ共有されます。
      </p>
      {members.length === 0 && <p className="text-solid-gray-700">表示できる世帯員はいません。</p>}
      <ul className="grid gap-4">
        {members.map((m) => {
          const state = m.consent?.state;
          const st = state ? STATE_LABEL[state] : undefined;
          return (
            <li key={m.personId} className="card" data-testid="consent-member" data-person-id={m.personId}>
              <div className="flex flex-wrap items-center justify-between gap-3">
                <h3 className="text-std-20B-150">
                  {fullName(m)}
                  <span className="ml-3 align-middle">
                    {st ? (
                      <Badge tone={st.tone} testId="consent-state">
                        {st.text}
                      </Badge>
                    ) : (
                      <Badge tone="gray" testId="consent-state">
                        同意の状況は表示できません
                      </Badge>
                    )}
                  </span>
                </h3>
                {canRecord && openFor !== m.personId && (
                  <button
                    type="button"
                    className="btn btn-secondary btn-sm"
                    onClick={() => setOpenFor(m.personId)}
                    aria-label={`${fullName(m)}の同意を記録`}
                    data-testid="consent-open"
                  >
                    同意を記録
                  </button>
                )}
              </div>
              {m.consent && m.consent.consents.length > 0 && (
                <ul className="mt-3 grid gap-3">
                  {m.consent.consents.map((c) => (
                    <ConsentItem key={c.id} consent={c} orgNames={orgNames} canWithdraw={canRecord} onChanged={onChanged} personName={fullName(m)} />
                  ))}
                </ul>
              )}
              {canRecord && openFor === m.personId && (
                <ConsentForm
                  member={m}
                  kase={kase}
                  organizations={organizations}
                  onCancel={() => setOpenFor(null)}
                  onDone={() => {
                    setOpenFor(null);
                    onChanged(`${fullName(m)}の同意を記録しました。`);
                  }}
                />
              )}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function ConsentItem({
  consent: c,
  orgNames,
  canWithdraw,
  onChanged,
  personName,
}: {
  consent: Consent;
  orgNames: Map<string, string>;
  canWithdraw: boolean;
  onChanged: (m: string) => void;
  personName: string;
}) {
  const codes = useCodeLists();
  const names = c.organizationNames?.length ? c.organizationNames : c.organizationIds.map((id) => orgNames.get(id) ?? id);
  const withdrawn = Boolean(c.withdrawnOn);
  return (
    <li className={`rounded-8 border p-3 ${withdrawn ? 'border-solid-gray-300 bg-solid-gray-50' : 'border-green-300 bg-green-50'}`} data-testid="consent-item">
      <dl className="grid gap-x-4 gap-y-1 text-sm md:grid-cols-[8rem_1fr]">
        <dt className="font-bold">取得日</dt>
        <dd>
          {wareki(c.obtainedOn)}（{labelOf(codes.consentMethods, c.method)}）
          {c.givenBy && (
            <>
              ・同意者：{labelOf(codes.givenByRelations, c.givenBy.relation)}
              {c.givenBy.name ? `（${c.givenBy.name}）` : ''}
            </>
          )}
        </dd>
        <dt className="font-bold">共有先の機関</dt>
        <dd>{names.length ? names.join('、') : '—'}</dd>
        <dt className="font-bold">税情報</dt>
        <dd>{c.includesTaxInfo ? <Badge tone="red">税情報を含む</Badge> : '含まない'}</dd>
        {c.purposes && c.purposes.length > 0 && (
          <>
            <dt className="font-bold">利用目的</dt>
            <dd>
              <ul className="list-disc pl-5">
                {c.purposes.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {withdrawn && (
          <>
            <dt className="font-bold">撤回日</dt>
            <dd>
              <Badge tone="orange">撤回済み</Badge> {wareki(c.withdrawnOn)}
            </dd>
          </>
        )}
      </dl>
      {canWithdraw && !withdrawn && <WithdrawControl consentId={c.id} personName={personName} onChanged={onChanged} />}
    </li>
  );
}

function WithdrawControl({ consentId, personName, onChanged }: { consentId: string; personName: string; onChanged: (m: string) => void }) {
  const s = useSubmit();
  const [open, setOpen] = useState(false);
  const [withdrawnOn, setWithdrawnOn] = useState(todayInTokyo());
  const fid = `withdraw-${consentId}`;
  if (!open)
    return (
      <button
        type="button"
        className="btn btn-danger btn-sm mt-2"
        onClick={() => setOpen(true)}
        data-testid="consent-withdraw-open"
        aria-label={`${personName}の同意を撤回`}
      >
        撤回
      </button>
    );
  return (
    <form
      className="mt-3 rounded-8 border border-red-300 bg-white p-3"
      noValidate
      aria-label="同意の撤回"
      onSubmit={async (e) => {
        e.preventDefault();
        const ok = await s.run(async () => {
          await api.post(`/consents/${seg(consentId)}/withdraw`, { withdrawnOn });
          return true;
        });
        if (ok) onChanged(`${personName}の同意の撤回を記録しました。この同意に基づく共有は直ちに停止されます。`);
      }}
    >
      <p className="mb-2 text-sm">撤回すると、この同意に基づく情報共有はすぐに停止します（すでに共有された事実は監査記録に残ります）。</p>
      <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={(k) => (k === 'withdrawnOn' ? fid : undefined)} />
      <TextField
        id={fid}
        label="撤回日"
        type="date"
        required
        max={todayInTokyo()}
        value={withdrawnOn}
        onChange={(e) => setWithdrawnOn(e.target.value)}
        error={s.errors.withdrawnOn}
        className="mb-3 max-w-xs"
      />
      <div className="flex gap-2">
        <button type="submit" className="btn btn-danger btn-sm" disabled={s.busy} data-testid="consent-withdraw-submit">
          撤回を記録する
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => setOpen(false)}>
          やめる
        </button>
      </div>
    </form>
  );
}

/** Map API error paths (e.g. "organizationIds.0", "givenBy.relation") to this form's keys. */
function consentKey(path: string): string {
  if (path.startsWith('organizationIds')) return 'organizationIds';
  if (path.startsWith('purposes')) return 'purposes';
  if (path === 'givenBy') return 'givenBy.relation';
  return path;
}

function ConsentForm({
  member,
  kase,
  organizations,
  onCancel,
  onDone,
}: {
  member: CaseMember;
  kase: CaseDetail;
  organizations: Organization[];
  onCancel: () => void;
  onDone: () => void;
}) {
  const codes = useCodeLists();
  const s = useSubmit(consentKey);
  const today = todayInTokyo();
  const p = `consent-${member.personId}`;
  const [obtainedOn, setObtainedOn] = useState(today);
  const [method, setMethod] = useState('written');
  const [relation, setRelation] = useState('self');
  const [givenByName, setGivenByName] = useState('');
  const [orgIds, setOrgIds] = useState<string[]>(kase.team.map((t) => t.organizationId));
  const [purposes, setPurposes] = useState('');
  const [includesTaxInfo, setIncludesTaxInfo] = useState(false);

  const teamIds = new Set(kase.team.map((t) => t.organizationId));
  const others = organizations.filter((o) => !teamIds.has(o.id));
  const toggle = (id: string, on: boolean) => setOrgIds((cur) => (on ? [...new Set([...cur, id])] : cur.filter((x) => x !== id)));

  const ids: Record<string, string> = {
    obtainedOn: `${p}-obtainedOn`,
    method: `${p}-method`,
    'givenBy.relation': `${p}-relation`,
    'givenBy.name': `${p}-givenByName`,
    organizationIds: `${p}-orgs`,
    purposes: `${p}-purposes`,
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!obtainedOn) local.obtainedOn = '取得日を入力してください。';
    else if (obtainedOn > today) local.obtainedOn = '取得日に未来の日付は指定できません。';
    if (orgIds.length === 0) local.organizationIds = '共有先の機関を1つ以上選んでください。';
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const body = {
      obtainedOn,
      method,
      givenBy: { relation, ...(givenByName.trim() ? { name: givenByName.trim() } : {}) },
      organizationIds: orgIds,
      purposes: purposes
        .split(/\r?\n/)
        .map((x) => x.trim())
        .filter(Boolean),
      includesTaxInfo,
    };
    const ok = await s.run(async () => {
      await api.post(`/persons/${seg(member.personId)}/consents`, body);
      return true;
    });
    if (ok) onDone();
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      className="mt-4 rounded-8 border border-blue-300 bg-blue-50 p-4"
      aria-labelledby={`${p}-heading`}
      data-testid="consent-form"
    >
      <h4 id={`${p}-heading`} className="mb-3 text-std-18B-160">
        {fullName(member)}の同意を記録
      </h4>
      <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={(k) => ids[k]} />
      <div className="grid gap-x-6 md:grid-cols-2">
        <TextField
          id={ids.obtainedOn}
          label="取得日"
          type="date"
          required
          max={today}
          value={obtainedOn}
          onChange={(e) => setObtainedOn(e.target.value)}
          error={s.errors.obtainedOn}
          hint={obtainedOn ? `和暦：${wareki(obtainedOn)}` : undefined}
        />
        <RadioGroup
          legend="取得方法"
          name={`${p}-method`}
          required
          value={method}
          onChange={setMethod}
          options={codes.consentMethods.map((c) => ({ value: c.code, label: c.ja }))}
          error={s.errors.method}
        />
        <SelectField
          id={ids['givenBy.relation']}
          label="同意した人"
          required
          value={relation}
          onChange={(e) => setRelation(e.target.value)}
          options={codes.givenByRelations.map((c) => ({ value: c.code, label: c.ja }))}
          error={s.errors['givenBy.relation']}
          hint="本人または法定代理人（親権者・成年後見人）"
        />
        <TextField
          id={ids['givenBy.name']}
          label="同意した人の氏名"
          value={givenByName}
          onChange={(e) => setGivenByName(e.target.value)}
          error={s.errors['givenBy.name']}
          hint="本人以外が同意した場合に記入"
        />
      </div>
      <fieldset id={ids.organizationIds} tabIndex={-1} className="mb-5" aria-describedby={s.errors.organizationIds ? `${p}-orgs-error` : undefined}>
        <legend className="mb-1 font-bold">
          共有先の機関 <span className="ml-2 rounded-4 bg-red-900 px-1.5 py-0.5 text-xs font-bold text-white">必須</span>
        </legend>
        <p className="mb-2 text-sm text-solid-gray-700">同意で名前を挙げた機関だけに共有されます。</p>
        <div className="grid gap-1 md:grid-cols-2">
          {kase.team.map((t) => (
            <CheckboxField
              key={t.organizationId}
              className="mb-1"
              label={`${t.organizationName}（支援チーム）`}
              checked={orgIds.includes(t.organizationId)}
              onChange={(e) => toggle(t.organizationId, e.target.checked)}
            />
          ))}
          {others.map((o) => (
            <CheckboxField key={o.id} className="mb-1" label={o.name} checked={orgIds.includes(o.id)} onChange={(e) => toggle(o.id, e.target.checked)} />
          ))}
        </div>
        {s.errors.organizationIds && (
          <p id={`${p}-orgs-error`} className="mt-1 font-bold text-red-900">
            {s.errors.organizationIds}
          </p>
        )}
      </fieldset>
      <TextAreaField
        id={ids.purposes}
        label="利用目的"
        hint="1行に1つ。例：支援方針の検討のため"
        rows={3}
        value={purposes}
        onChange={(e) => setPurposes(e.target.value)}
        error={s.errors.purposes}
      />
      <CheckboxField
        label="税情報を含む（税務担当の情報を共有先に開示することに同意）"
        checked={includesTaxInfo}
        onChange={(e) => setIncludesTaxInfo(e.target.checked)}
        error={s.errors.includesTaxInfo}
        className="mb-5"
      />
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="consent-submit">
          同意を登録する
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          キャンセル
        </button>
      </div>
    </form>
  );
}
