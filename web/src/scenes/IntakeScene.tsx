import { type FormEvent, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api, seg } from '../api/client.ts';
import type { CreatedPerson, PossibleDuplicate } from '../api/types.ts';
import { CheckboxField, ErrorSummary, type FieldErrors, fieldErrorsOf, RadioGroup, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { Notice, PageTitle } from '../components/ui.tsx';
import { labelOf, useCodeLists } from '../hooks/codeLists.tsx';
import { useMe } from '../hooks/session.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';
import { birthWithAge, todayInTokyo, wareki } from '../lib/dates.ts';

type Step = 'members' | 'household' | 'case';

interface MemberDraft {
  key: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  birthDate: string;
  sex: string;
  relationship: string;
  livesTogether: boolean;
  keyPerson: boolean;
  /** The person id used for the household (new or an existing match). */
  personId?: string;
  /** Display name of the chosen person. */
  chosenName?: string;
  /** Set when an existing person was chosen instead of the new record. */
  usedExisting?: boolean;
  duplicates?: PossibleDuplicate[];
  errors: FieldErrors;
  detail?: string;
  busy?: boolean;
}

const PERSON_FIELDS = ['familyName', 'givenName', 'familyNameKana', 'givenNameKana', 'birthDate', 'sex', 'address'] as const;
const FIELD_LABELS: Record<string, string> = {
  familyName: '氏',
  givenName: '名',
  familyNameKana: '氏（カナ）',
  givenNameKana: '名（カナ）',
  birthDate: '生年月日',
  sex: '性別',
  relationship: '続柄',
  livesTogether: '同居',
  keyPerson: 'キーパーソン',
  personId: '世帯員',
};

let seq = 0;
function newMember(first: boolean): MemberDraft {
  seq += 1;
  return {
    key: `m${seq}`,
    familyName: '',
    givenName: '',
    familyNameKana: '',
    givenNameKana: '',
    birthDate: '',
    sex: '',
    relationship: first ? '本人' : '',
    livesTogether: true,
    keyPerson: first,
    errors: {},
  };
}

const STEPS: { id: Step; label: string }[] = [
  { id: 'members', label: '世帯員の登録' },
  { id: 'household', label: '世帯の登録' },
  { id: 'case', label: '相談内容の登録' },
];

export function IntakeScene() {
  const me = useMe();
  const navigate = useNavigate();
  const [step, setStep] = useState<Step>('members');
  const [members, setMembers] = useState<MemberDraft[]>(() => [newMember(true)]);
  const [householdId, setHouseholdId] = useState<string | null>(null);
  const [householdName, setHouseholdName] = useState('');
  const stepHeading = useRef<HTMLHeadingElement>(null);

  const goto = (s: Step) => {
    setStep(s);
    window.scrollTo({ top: 0 });
    requestAnimationFrame(() => stepHeading.current?.focus());
  };

  const update = (key: string, patch: Partial<MemberDraft>) => setMembers((ms) => ms.map((m) => (m.key === key ? { ...m, ...patch } : m)));

  const current = STEPS.findIndex((s) => s.id === step);

  return (
    <>
      <PageTitle title="新規相談">新規相談</PageTitle>
      <ol className="mb-8 grid gap-2 sm:grid-cols-3" aria-label="入力の手順" data-testid="intake-steps">
        {STEPS.map((s, i) => (
          <li
            key={s.id}
            aria-current={s.id === step ? 'step' : undefined}
            className={`rounded-8 border-2 px-4 py-2 font-bold ${
              s.id === step
                ? 'border-blue-900 bg-blue-900 text-white'
                : i < current
                  ? 'border-blue-300 bg-blue-50 text-blue-1000'
                  : 'border-solid-gray-300 text-solid-gray-700'
            }`}
          >
            <span className="mr-2">{i + 1}.</span>
            {s.label}
            {i < current && <span className="ml-2 text-sm">（完了）</span>}
          </li>
        ))}
      </ol>
      <h2 ref={stepHeading} tabIndex={-1} className="mb-4 text-std-24B-150 focus:outline-none">
        {current + 1}. {STEPS[current]?.label}
      </h2>
      {step === 'members' && (
        <MembersStep
          members={members}
          update={update}
          add={() => setMembers((ms) => [...ms, newMember(false)])}
          remove={(key) => setMembers((ms) => ms.filter((m) => m.key !== key))}
          onNext={() => goto('household')}
        />
      )}
      {step === 'household' && (
        <HouseholdStep
          members={members}
          setMembers={setMembers}
          householdId={householdId}
          onBack={() => goto('members')}
          onCreated={(id, name) => {
            setHouseholdId(id);
            setHouseholdName(name);
            goto('case');
          }}
        />
      )}
      {step === 'case' && householdId && (
        <CaseStep
          members={members}
          householdId={householdId}
          householdName={householdName}
          leadOrganizationId={me.organizationId}
          leadOrganizationName={me.organizationName}
          onCreated={(caseId) => navigate(`/households/${seg(householdId)}?case=${seg(caseId)}`)}
        />
      )}
    </>
  );
}

/* ───────────── Step 1: members ───────────── */

function MembersStep({
  members,
  update,
  add,
  remove,
  onNext,
}: {
  members: MemberDraft[];
  update: (key: string, patch: Partial<MemberDraft>) => void;
  add: () => void;
  remove: (key: string) => void;
  onNext: () => void;
}) {
  const [stepError, setStepError] = useState<string | undefined>();
  const pending = members.filter((m) => !m.personId);
  return (
    <div data-testid="intake-members-step">
      <p className="mb-6 text-solid-gray-800">
        相談を受けた世帯の人を1人ずつ登録します。登録すると、ほかの窓口で登録済みの同一人物の可能性がある人が表示されます（名寄せ）。
      </p>
      <ErrorSummary detail={stepError} testId="intake-step-error" />
      <div className="grid gap-6">
        {members.map((m, i) => (
          <MemberCard key={m.key} index={i} member={m} update={(p) => update(m.key, p)} onRemove={members.length > 1 ? () => remove(m.key) : undefined} />
        ))}
      </div>
      <div className="mt-6 flex flex-wrap gap-3">
        <button type="button" className="btn btn-secondary" onClick={add} data-testid="intake-add-member">
          ＋ 世帯員を追加
        </button>
      </div>
      <div className="mt-8 flex flex-wrap items-center gap-4 border-t border-solid-gray-420 pt-6">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="intake-next-household"
          onClick={() => {
            if (pending.length > 0) {
              setStepError(`まだ登録されていない世帯員がいます（${pending.length}人）。「世帯員を登録する」を押してから進んでください。`);
              return;
            }
            setStepError(undefined);
            onNext();
          }}
        >
          次へ（世帯の登録）
        </button>
      </div>
    </div>
  );
}

function MemberCard({
  index,
  member: m,
  update,
  onRemove,
}: {
  index: number;
  member: MemberDraft;
  update: (p: Partial<MemberDraft>) => void;
  onRemove?: () => void;
}) {
  const codes = useCodeLists();
  const p = `intake-m${index}`;
  const id = (f: string) => `${p}-${f}`;
  const registered = Boolean(m.personId);
  const today = todayInTokyo();

  async function register(e: FormEvent) {
    e.preventDefault();
    const local: FieldErrors = {};
    if (!m.familyName.trim()) local.familyName = '氏を入力してください。';
    if (!m.givenName.trim()) local.givenName = '名を入力してください。';
    if (!m.familyNameKana.trim()) local.familyNameKana = '氏（カナ）を入力してください。';
    if (!m.givenNameKana.trim()) local.givenNameKana = '名（カナ）を入力してください。';
    if (m.birthDate && m.birthDate > today) local.birthDate = '生年月日に未来の日付は指定できません。';
    if (Object.keys(local).length) {
      update({ errors: local, detail: undefined });
      return;
    }
    update({ busy: true, errors: {}, detail: undefined });
    try {
      const body: Record<string, string> = {
        familyName: m.familyName.trim(),
        givenName: m.givenName.trim(),
        familyNameKana: m.familyNameKana.trim(),
        givenNameKana: m.givenNameKana.trim(),
      };
      if (m.birthDate) body.birthDate = m.birthDate;
      if (m.sex) body.sex = m.sex;
      const created = await api.post<CreatedPerson>('/persons', body);
      update({
        busy: false,
        personId: created.id,
        chosenName: `${created.familyName ?? body.familyName} ${created.givenName ?? body.givenName}`,
        usedExisting: false,
        duplicates: created.possibleDuplicates ?? [],
      });
    } catch (err) {
      if (err instanceof ApiError) update({ busy: false, errors: fieldErrorsOf(err), detail: err.problem.detail || err.problem.title });
      else update({ busy: false, detail: String(err) });
    }
  }

  const set = (f: keyof MemberDraft) => (e: { target: { value: string } }) =>
    update({ [f]: e.target.value, errors: { ...m.errors, [f]: '' } } as Partial<MemberDraft>);
  const errs = Object.fromEntries(Object.entries(m.errors).filter(([, v]) => v));
  const visibleDups = (m.duplicates ?? []).filter((d): d is Extract<PossibleDuplicate, { id: string }> => !d.heldElsewhere && 'id' in d);
  const heldElsewhere = (m.duplicates ?? []).some((d) => d.heldElsewhere);

  return (
    <form
      onSubmit={register}
      noValidate
      className={`card ${registered ? 'border-green-800' : ''}`}
      aria-labelledby={`${p}-legend`}
      data-testid={`intake-member-${index}`}
    >
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h3 id={`${p}-legend`} className="text-std-20B-150">
          世帯員 {index + 1}
          {m.familyName || m.givenName ? `：${m.familyName} ${m.givenName}` : ''}
        </h3>
        {onRemove && !registered && (
          <button type="button" className="btn btn-danger btn-sm" onClick={onRemove} aria-label={`世帯員 ${index + 1} を削除`}>
            削除
          </button>
        )}
      </div>
      <ErrorSummary
        detail={m.detail}
        errors={errs}
        fieldIdOf={(k) => (PERSON_FIELDS.includes(k as never) || k === 'relationship' ? id(k) : undefined)}
        labelOf={(k) => FIELD_LABELS[k]}
        testId={`intake-member-${index}-errors`}
      />
      <div className="grid gap-x-6 md:grid-cols-2">
        <TextField
          id={id('familyName')}
          label="氏"
          name="familyName"
          required
          readOnly={registered}
          value={m.familyName}
          onChange={set('familyName')}
          error={errs.familyName}
          autoComplete="off"
          data-testid={id('familyName')}
        />
        <TextField
          id={id('givenName')}
          label="名"
          name="givenName"
          required
          readOnly={registered}
          value={m.givenName}
          onChange={set('givenName')}
          error={errs.givenName}
          autoComplete="off"
          data-testid={id('givenName')}
        />
        <TextField
          id={id('familyNameKana')}
          label="氏（カナ）"
          name="familyNameKana"
          required
          readOnly={registered}
          value={m.familyNameKana}
          onChange={set('familyNameKana')}
          error={errs.familyNameKana}
          hint="カタカナまたはひらがな"
          autoComplete="off"
          data-testid={id('familyNameKana')}
        />
        <TextField
          id={id('givenNameKana')}
          label="名（カナ）"
          name="givenNameKana"
          required
          readOnly={registered}
          value={m.givenNameKana}
          onChange={set('givenNameKana')}
          error={errs.givenNameKana}
          hint="カタカナまたはひらがな"
          autoComplete="off"
          data-testid={id('givenNameKana')}
        />
        <TextField
          id={id('birthDate')}
          label="生年月日"
          name="birthDate"
          type="date"
          max={today}
          readOnly={registered}
          value={m.birthDate}
          onChange={set('birthDate')}
          error={errs.birthDate}
          hint={m.birthDate ? `和暦：${wareki(m.birthDate)}` : '不明な場合は空欄'}
          data-testid={id('birthDate')}
        />
        <SelectField
          id={id('sex')}
          label="性別"
          name="sex"
          disabled={registered}
          value={m.sex}
          onChange={set('sex')}
          placeholder="選択しない"
          options={codes.sexes.map((s) => ({ value: s.code, label: s.ja }))}
          error={errs.sex}
          data-testid={id('sex')}
        />
        <SelectField
          id={id('relationship')}
          label="続柄"
          name="relationship"
          required
          value={m.relationship}
          onChange={set('relationship')}
          placeholder="選択してください"
          options={codes.relationships.map((r) => ({ value: r.code, label: r.ja }))}
          error={errs.relationship}
          hint="相談の中心となる人から見た続柄"
          data-testid={id('relationship')}
        />
        <div className="pt-7">
          <CheckboxField
            id={id('livesTogether')}
            label="同居"
            checked={m.livesTogether}
            onChange={(e) => update({ livesTogether: e.target.checked })}
            error={errs.livesTogether}
            data-testid={id('livesTogether')}
          />
          <CheckboxField
            id={id('keyPerson')}
            label="キーパーソン"
            checked={m.keyPerson}
            onChange={(e) => update({ keyPerson: e.target.checked })}
            error={errs.keyPerson}
            data-testid={id('keyPerson')}
          />
        </div>
      </div>

      {!registered ? (
        <button type="submit" className="btn btn-primary" disabled={m.busy} data-testid={`intake-register-person-${index}`}>
          {m.busy ? '登録中…' : '世帯員を登録する'}
        </button>
      ) : (
        <div aria-live="polite">
          <p className="mb-3 font-bold text-green-900" data-testid={`intake-member-${index}-registered`}>
            <span aria-hidden="true">✓ </span>
            {m.usedExisting ? `登録済みの「${m.chosenName}」さんを使います。` : `「${m.chosenName}」さんを登録しました。`}
          </p>
        </div>
      )}

      {registered && (visibleDups.length > 0 || heldElsewhere) && (
        <div role="alert" className="mt-4 rounded-8 border-2 border-orange-800 bg-orange-50 p-4" data-testid="duplicate-warning">
          <p className="text-std-18B-160">同一人物の可能性があります</p>
          {visibleDups.length > 0 && (
            <>
              <p className="mb-3">次の人がすでに登録されています。同じ人であれば「この人を使う」を選んでください。</p>
              <ul className="grid gap-2">
                {visibleDups.map((d) => {
                  const name = `${d.familyName} ${d.givenName}`;
                  const chosen = m.usedExisting && m.personId === d.id;
                  return (
                    <li
                      key={d.id}
                      className="flex flex-wrap items-center justify-between gap-3 rounded-8 border border-orange-300 bg-white p-3"
                      data-testid="duplicate-candidate"
                    >
                      <div>
                        <p className="font-bold">{name}</p>
                        <p className="text-sm">
                          {[d.familyNameKana, d.givenNameKana].filter(Boolean).join(' ')} 生年月日：{birthWithAge(d.birthDate)}
                        </p>
                      </div>
                      {chosen ? (
                        <span className="font-bold text-green-900">この人を使います</span>
                      ) : (
                        <button
                          type="button"
                          className="btn btn-secondary btn-sm"
                          onClick={() => update({ personId: d.id, chosenName: name, usedExisting: true })}
                          aria-label={`この人を使う：${name}`}
                          data-testid="duplicate-use"
                        >
                          この人を使う
                        </button>
                      )}
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          {heldElsewhere && (
            <p className="mt-3 font-bold" data-testid="duplicate-held-elsewhere">
              他の機関が登録している可能性があります。相談支援包括化推進員に確認してください
            </p>
          )}
        </div>
      )}
    </form>
  );
}

/* ───────────── Step 2: household ───────────── */

function HouseholdStep({
  members,
  setMembers,
  householdId,
  onBack,
  onCreated,
}: {
  members: MemberDraft[];
  setMembers: (f: (ms: MemberDraft[]) => MemberDraft[]) => void;
  householdId: string | null;
  onBack: () => void;
  onCreated: (id: string, name: string) => void;
}) {
  const codes = useCodeLists();
  const first = members[0];
  const [name, setName] = useState(() => {
    const family = first?.chosenName?.split(' ')[0] || first?.familyName;
    return family ? `${family}家` : '';
  });
  const [address, setAddress] = useState('');
  const s = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: FieldErrors = {};
    members.forEach((m, i) => {
      if (!m.relationship) local[`members.${i}.relationship`] = `世帯員 ${i + 1} の続柄を選んでください。`;
    });
    if (Object.keys(local).length) {
      s.setLocalErrors(local, '世帯員の続柄を確認してください（「戻る」で修正できます）。');
      return;
    }
    const body = {
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(address.trim() ? { address: address.trim() } : {}),
      members: members.map((m) => ({ personId: m.personId, relationship: m.relationship, livesTogether: m.livesTogether, keyPerson: m.keyPerson })),
    };
    const created = await s.run(async () => {
      try {
        return await api.post<{ id: string; name?: string }>('/households', body);
      } catch (err) {
        // Copy "members.N.field" errors onto the member cards too (shown when going back to step 1).
        if (err instanceof ApiError) {
          const byIndex = new Map<number, FieldErrors>();
          for (const item of err.errors) {
            const mm = /^members\.(\d+)\.?(\w+)?/.exec(item.path ?? '');
            if (!mm) continue;
            const i = Number(mm[1]);
            byIndex.set(i, { ...(byIndex.get(i) ?? {}), [mm[2] ?? 'personId']: item.message });
          }
          if (byIndex.size > 0) setMembers((ms) => ms.map((m, i) => (byIndex.has(i) ? { ...m, errors: { ...m.errors, ...byIndex.get(i) } } : m)));
        }
        throw err;
      }
    });
    if (created) onCreated(created.id, created.name ?? name);
  }

  const fieldIdOf = (k: string) => {
    if (k === 'name') return 'intake-household-name';
    if (k === 'address') return 'intake-household-address';
    const mm = /^members\.(\d+)/.exec(k);
    return mm ? `intake-hm-${mm[1]}` : undefined;
  };
  const labelOfKey = (k: string) => {
    if (k === 'name') return '世帯名';
    if (k === 'address') return '住所';
    const mm = /^members\.(\d+)\.?(\w+)?/.exec(k);
    if (mm) return `世帯員 ${Number(mm[1]) + 1}${mm[2] ? `（${FIELD_LABELS[mm[2]] ?? mm[2]}）` : ''}`;
    return undefined;
  };

  return (
    <form onSubmit={submit} noValidate data-testid="intake-household-step" aria-label="世帯の登録">
      <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={fieldIdOf} labelOf={labelOfKey} testId="intake-household-errors" />
      <div className="card mb-6">
        <h3 className="mb-3 text-std-20B-150">世帯員</h3>
        <table className="data-table">
          <caption className="sr-only">この世帯に登録する世帯員</caption>
          <thead>
            <tr>
              <th scope="col">氏名</th>
              <th scope="col">生年月日</th>
              <th scope="col">続柄</th>
              <th scope="col">同居</th>
              <th scope="col">キーパーソン</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m, i) => (
              <tr key={m.key} id={`intake-hm-${i}`} tabIndex={-1}>
                <th scope="row">
                  {m.chosenName ?? `${m.familyName} ${m.givenName}`}
                  {m.usedExisting && <span className="ml-2 text-sm text-solid-gray-700">（登録済みの人）</span>}
                </th>
                <td>{m.birthDate ? birthWithAge(m.birthDate) : '—'}</td>
                <td>{m.relationship ? labelOf(codes.relationships, m.relationship) : '未選択'}</td>
                <td>{m.livesTogether ? '同居' : '別居'}</td>
                <td>{m.keyPerson ? '★ キーパーソン' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="grid gap-x-6 md:grid-cols-2">
        <TextField
          id="intake-household-name"
          label="世帯名"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={s.errors.name}
          hint="例：山田家"
          data-testid="intake-household-name"
          readOnly={Boolean(householdId)}
        />
        <TextField
          id="intake-household-address"
          label="住所"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          error={s.errors.address}
          autoComplete="off"
          data-testid="intake-household-address"
          readOnly={Boolean(householdId)}
        />
      </div>
      <div className="mt-4 flex flex-wrap gap-3 border-t border-solid-gray-420 pt-6">
        <button type="button" className="btn btn-secondary" onClick={onBack} disabled={Boolean(householdId)}>
          戻る（世帯員の修正）
        </button>
        <button type="submit" className="btn btn-primary" disabled={s.busy || Boolean(householdId)} data-testid="intake-submit-household">
          {s.busy ? '登録中…' : '世帯を登録する'}
        </button>
      </div>
    </form>
  );
}

/* ───────────── Step 3: case ───────────── */

interface ProblemDraft {
  types: string[];
  note: string;
}

function CaseStep({
  members,
  householdId,
  householdName,
  leadOrganizationId,
  leadOrganizationName,
  onCreated,
}: {
  members: MemberDraft[];
  householdId: string;
  householdName: string;
  leadOrganizationId: string;
  leadOrganizationName?: string;
  onCreated: (caseId: string) => void;
}) {
  const codes = useCodeLists();
  const [route, setRoute] = useState('');
  const [routeFree, setRouteFree] = useState('');
  const [summary, setSummary] = useState('');
  const [urgency, setUrgency] = useState('normal');
  const [problems, setProblems] = useState<Record<string, ProblemDraft>>({});
  const s = useSubmit();

  const problemList: { personId: string; type: string; note?: string; memberIndex: number }[] = [];
  members.forEach((m, i) => {
    const d = m.personId ? problems[m.personId] : undefined;
    if (!m.personId || !d) return;
    for (const t of d.types) problemList.push({ personId: m.personId, type: t, ...(d.note.trim() ? { note: d.note.trim() } : {}), memberIndex: i });
  });

  const toggle = (personId: string, type: string, on: boolean) =>
    setProblems((ps) => {
      const cur = ps[personId] ?? { types: [], note: '' };
      return { ...ps, [personId]: { ...cur, types: on ? [...new Set([...cur.types, type])] : cur.types.filter((t) => t !== type) } };
    });

  const referralRoute = route === 'その他' && routeFree.trim() ? routeFree.trim() : route;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: FieldErrors = {};
    if (!referralRoute) local.referralRoute = '相談経路を選んでください。';
    if (!summary.trim()) local.summary = '相談概要を入力してください。';
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const body = {
      householdId,
      leadOrganizationId,
      referralRoute,
      summary: summary.trim(),
      urgency,
      problems: problemList.map(({ personId, type, note }) => ({ personId, type, ...(note ? { note } : {}) })),
    };
    const created = await s.run(() => api.post<{ id: string }>('/cases', body));
    if (created) onCreated(created.id);
  }

  const fieldIdOf = (k: string) => {
    if (k === 'referralRoute') return 'intake-referralRoute';
    if (k === 'summary') return 'intake-summary';
    if (k === 'urgency') return 'intake-urgency';
    const mm = /^problems\.(\d+)/.exec(k);
    if (mm) {
      const pr = problemList[Number(mm[1])];
      return pr ? `intake-problems-${pr.memberIndex}` : 'intake-problems';
    }
    return undefined;
  };
  const labelOfKey = (k: string) => {
    const mm = /^problems\.(\d+)/.exec(k);
    if (mm) {
      const pr = problemList[Number(mm[1])];
      const m = pr ? members[pr.memberIndex] : undefined;
      return m ? `${m.chosenName ?? m.familyName}の課題（${pr?.type}）` : '課題';
    }
    return (
      { referralRoute: '相談経路', summary: '相談概要', urgency: '緊急度', householdId: '世帯', leadOrganizationId: '主担当機関' } as Record<string, string>
    )[k];
  };

  return (
    <form onSubmit={submit} noValidate data-testid="intake-case-step" aria-label="相談内容の登録">
      <Notice tone="success" role="status">
        世帯「{householdName}」を登録しました。続けて相談の内容を登録してください。
      </Notice>
      <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={fieldIdOf} labelOf={labelOfKey} testId="intake-case-errors" />
      <p className="mb-4">
        <span className="font-bold">主担当機関：</span>
        {leadOrganizationName ?? '（あなたの機関）'}
      </p>
      <div className="grid gap-x-6 md:grid-cols-2">
        <SelectField
          id="intake-referralRoute"
          label="相談経路"
          required
          value={route}
          onChange={(e) => setRoute(e.target.value)}
          placeholder="選択してください"
          options={codes.referralRoutes.map((r) => ({ value: r.code, label: r.ja }))}
          error={s.errors.referralRoute}
          hint="だれから・どこからつながった相談か"
          data-testid="intake-referralRoute"
        />
        {route === 'その他' && (
          <TextField
            id="intake-referralRoute-free"
            label="相談経路（自由記入）"
            value={routeFree}
            onChange={(e) => setRouteFree(e.target.value)}
            hint="例：スクールソーシャルワーカー"
            data-testid="intake-referralRoute-free"
          />
        )}
      </div>
      <TextAreaField
        id="intake-summary"
        label="相談概要"
        required
        rows={6}
        value={summary}
        onChange={(e) => setSummary(e.target.value)}
        error={s.errors.summary}
        hint="世帯の状況、主訴、これまでの経過など"
        data-testid="intake-summary"
      />
      <div id="intake-urgency" tabIndex={-1}>
        <RadioGroup
          legend="緊急度"
          name="urgency"
          required
          value={urgency}
          onChange={setUrgency}
          options={codes.urgencies.map((u) => ({ value: u.code, label: u.ja }))}
          error={s.errors.urgency}
        />
      </div>
      <h3 className="mb-2 text-std-20B-150" id="intake-problems" tabIndex={-1}>
        世帯員ごとの課題
      </h3>
      <p className="mb-4 text-sm text-solid-gray-700">
        該当する課題をすべて選んでください。課題のある人の情報は、本人同意または支援会議の範囲でのみ他機関と共有されます。
      </p>
      <div className="grid gap-4">
        {members.map((m, i) => {
          if (!m.personId) return null;
          const d = problems[m.personId] ?? { types: [], note: '' };
          const personErrors = Object.entries(s.errors).filter(([k]) => {
            const mm = /^problems\.(\d+)/.exec(k);
            return mm && problemList[Number(mm[1])]?.memberIndex === i;
          });
          const errId = `intake-problems-${i}-error`;
          return (
            <fieldset
              key={m.key}
              id={`intake-problems-${i}`}
              tabIndex={-1}
              className="card"
              data-testid={`intake-problems-${i}`}
              aria-describedby={personErrors.length ? errId : undefined}
            >
              <legend className="px-1 text-std-18B-160">
                {m.chosenName ?? `${m.familyName} ${m.givenName}`}（{labelOf(codes.relationships, m.relationship)}）の課題
              </legend>
              <div className="grid grid-cols-2 gap-x-4 sm:grid-cols-3 lg:grid-cols-4">
                {codes.problemTypes.map((t) => (
                  <CheckboxField
                    key={t.code}
                    id={`intake-problem-${i}-${t.code}`}
                    className="mb-2"
                    label={t.ja}
                    checked={d.types.includes(t.code)}
                    onChange={(e) => toggle(m.personId as string, t.code, e.target.checked)}
                  />
                ))}
              </div>
              {personErrors.length > 0 && (
                <p id={errId} className="mb-2 font-bold text-red-900">
                  {personErrors.map(([, v]) => v).join(' ')}
                </p>
              )}
              <TextField
                id={`intake-problem-note-${i}`}
                label="課題のメモ"
                className="mb-0 mt-2"
                value={d.note}
                onChange={(e) => setProblems((ps) => ({ ...ps, [m.personId as string]: { ...d, note: e.target.value } }))}
                hint="選んだ課題について補足があれば（選んだ課題すべてに付きます）"
              />
            </fieldset>
          );
        })}
      </div>
      <div className="mt-8 border-t border-solid-gray-420 pt-6">
        <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="intake-submit-case">
          {s.busy ? '登録中…' : 'ケースを登録する'}
        </button>
      </div>
    </form>
  );
}
