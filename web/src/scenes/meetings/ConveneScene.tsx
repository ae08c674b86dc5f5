import { type FormEvent, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import type { CaseListItem, DirectoryUser, ListResponse, MeetingHeader } from '../../api/types.ts';
import { CheckboxField, ErrorSummary, type FieldErrors, RadioGroup, SelectField, TextAreaField, TextField } from '../../components/form.tsx';
import { ApiErrorNotice, Badge, Loading, Notice, PageTitle } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { useMe } from '../../hooks/session.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { todayInTokyo } from '../../lib/dates.ts';
import { basisLabel, DESIGNATED_BASES, itemsOf, KIND_HINTS, KIND_LABELS, meetingPath } from './common.ts';

const FIELD_IDS: Record<string, string> = {
  kind: 'meeting-kind',
  title: 'meeting-title',
  startsAt: 'meeting-date',
  legalBasis: 'meeting-basis',
  chairUserId: 'meeting-chair',
  materialsCloseDays: 'meeting-close-days',
  place: 'meeting-place',
  online: 'meeting-online',
  recurrence: 'meeting-recurrence-count',
  members: 'meeting-member-filter',
};

const FIELD_LABELS: Record<string, string> = {
  kind: '会議の種類',
  title: '会議名',
  startsAt: '日時',
  legalBasis: '根拠',
  chairUserId: '総括者',
  materialsCloseDays: '資料の閲覧期間',
  place: '場所',
  recurrence: '定例の回数',
  members: '構成員',
  cases: '議題のケース',
};

function tomorrowInTokyo(): string {
  const d = new Date(`${todayInTokyo()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function isStatutory(basis: string): boolean {
  return basis === 'art106-6' || basis.startsWith('designated:');
}

/** 会議の招集 (chair): kind, time and place, legal basis, members, the cases with their purposes. */
export function ConveneScene() {
  const me = useMe();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const codes = useCodeLists();
  const isChair = me.roles.includes('chair');
  const directory = useApiGet<ListResponse<DirectoryUser>>(isChair ? '/directory/users' : null);
  const casesList = useApiGet<ListResponse<CaseListItem>>(isChair ? '/cases' : null);

  const [kind, setKind] = useState('support');
  const [title, setTitle] = useState('');
  const [date, setDate] = useState(tomorrowInTokyo());
  const [time, setTime] = useState('14:00');
  const [place, setPlace] = useState('');
  const [online, setOnline] = useState(false);
  const [supportBasis, setSupportBasis] = useState('art106-6');
  const [conferenceBasis, setConferenceBasis] = useState('');
  const [chairUserId, setChairUserId] = useState(me.id);
  const [memberIds, setMemberIds] = useState<string[]>([]);
  const [filter, setFilter] = useState('');
  // ?case=<id> (from a 開催依頼): that case starts on the agenda.
  const [caseIds, setCaseIds] = useState<string[]>(() => params.getAll('case').filter(Boolean));
  const [purposes, setPurposes] = useState<Record<string, string>>({});
  const [closeDays, setCloseDays] = useState('7');
  const [recurring, setRecurring] = useState(false);
  const [frequency, setFrequency] = useState('monthly');
  const [count, setCount] = useState('3');

  const basis = kind === 'multilayer' ? 'consent' : kind === 'support' ? supportBasis : conferenceBasis;
  const purposeRequired = basis !== '' && isStatutory(basis);

  const users = itemsOf(directory.data);
  const userById = useMemo(() => new Map(users.map((u) => [u.id, u])), [users]);
  const cases = itemsOf(casesList.data);
  const caseById = useMemo(() => new Map(cases.map((c) => [c.id, c])), [cases]);

  // The API's paths → the form's keys: caseIds.0 → case:<id>, purposes.<id> → purpose:<id>, memberUserIds.0 → member:<id>.
  const rename = (path: string): string => {
    const [head, rest] = [path.split('.')[0] ?? '', path.split('.').slice(1).join('.')];
    if (head === 'caseIds') return `case:${caseIds[Number(rest)] ?? rest}`;
    if (head === 'purposes') return `purpose:${rest}`;
    if (head === 'memberUserIds') return `member:${memberIds[Number(rest)] ?? rest}`;
    if (head === 'recurrence') return 'recurrence';
    return head;
  };
  const s = useSubmit(rename);

  const fieldIdOf = (key: string): string | undefined => {
    if (key.startsWith('case:')) return `meeting-case-${key.slice(5)}`;
    if (key.startsWith('purpose:')) return `meeting-purpose-${key.slice(8)}`;
    if (key.startsWith('member:')) return `meeting-member-${key.slice(7)}`;
    return FIELD_IDS[key];
  };
  const fieldLabelOf = (key: string): string | undefined => {
    if (key.startsWith('case:')) return `議題のケース（${caseById.get(key.slice(5))?.householdName ?? '不明なケース'}）`;
    if (key.startsWith('purpose:')) return `目的（${caseById.get(key.slice(8))?.householdName ?? '不明なケース'}）`;
    if (key.startsWith('member:')) return `構成員（${userById.get(key.slice(7))?.displayName ?? '不明な職員'}）`;
    return FIELD_LABELS[key];
  };

  if (!isChair) {
    return (
      <>
        <PageTitle title="会議の招集">会議の招集</PageTitle>
        <Notice tone="warning" role="note" title="会議の招集は総括者が行います">
          招集が必要なケースは、相談支援包括化推進員を通じて総括者に依頼してください。
        </Notice>
        <Link to="/meetings">会議一覧へ戻る</Link>
      </>
    );
  }

  const q = filter.trim();
  const candidates = users.filter((u) => u.id !== chairUserId && (!q || u.displayName.includes(q) || u.organizationName.includes(q)));
  const byOrg = new Map<string, DirectoryUser[]>();
  for (const u of candidates) byOrg.set(u.organizationName, [...(byOrg.get(u.organizationName) ?? []), u]);
  const chairs = users.filter((u) => u.roles.includes('chair'));

  function toggle<T>(list: T[], v: T, on: boolean): T[] {
    return on ? (list.includes(v) ? list : [...list, v]) : list.filter((x) => x !== v);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: FieldErrors = {};
    if (!title.trim()) local.title = '会議名を入力してください。';
    if (!date || !time) local.startsAt = '日付と開始時刻を入力してください。';
    if (kind === 'case_conference' && !conferenceBasis)
      local.legalBasis = '支援会議（社会福祉法第106条の6）として開くか、本人同意に基づいて開くかを選んでください。';
    if (purposeRequired) for (const id of caseIds) if (!purposes[id]?.trim()) local[`purpose:${id}`] = '支援会議では、ケースごとに議題とする目的が必要です。';
    const days = Number(closeDays);
    if (!Number.isInteger(days) || days < 0 || days > 90) local.materialsCloseDays = '0から90までの日数を入力してください。';
    if (recurring && !(Number.isInteger(Number(count)) && Number(count) >= 2 && Number(count) <= 24)) local.recurrence = '回数は2から24までです。';
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const body = {
      kind,
      title: title.trim(),
      startsAt: `${date}T${time}:00+09:00`,
      chairUserId,
      memberUserIds: memberIds,
      caseIds,
      ...(kind === 'multilayer' ? {} : { legalBasis: basis }),
      purposes: Object.fromEntries(caseIds.filter((id) => purposes[id]?.trim()).map((id) => [id, (purposes[id] ?? '').trim()])),
      materialsCloseDays: days,
      ...(place.trim() ? { place: place.trim() } : {}),
      online,
      ...(recurring ? { recurrence: { frequency, count: Number(count) } } : {}),
    };
    const created = await s.run(() => api.post<MeetingHeader>('/meetings', body));
    if (created) {
      const n = created.seriesMeetingIds?.length;
      navigate(meetingPath(created.id), {
        state: { message: n ? `定例の会議を${n}回分招集しました。開催通知を構成員に送りました。` : '会議を招集しました。開催通知を構成員に送りました。' },
      });
    }
  }

  return (
    <>
      <nav aria-label="パンくずリスト" className="mb-4 text-sm">
        <ol className="flex flex-wrap gap-2">
          <li>
            <Link to="/meetings">会議一覧</Link>
            <span aria-hidden="true" className="ml-2">
              ›
            </span>
          </li>
          <li aria-current="page">会議の招集</li>
        </ol>
      </nav>
      <PageTitle title="会議の招集">会議の招集</PageTitle>
      <form onSubmit={submit} noValidate aria-label="会議の招集" data-testid="convene-form" className="max-w-4xl">
        <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={fieldIdOf} labelOf={fieldLabelOf} testId="convene-errors" />

        <div id={FIELD_IDS.kind} tabIndex={-1}>
          <RadioGroup
            legend="会議の種類"
            name="meeting-kind"
            required
            value={kind}
            onChange={setKind}
            options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
            error={s.errors.kind}
          />
        </div>
        <p className="-mt-3 mb-6 text-sm text-solid-gray-700" data-testid="kind-hint">
          {KIND_HINTS[kind]}
        </p>

        {kind === 'support' && (
          <SelectField
            id={FIELD_IDS.legalBasis}
            label="根拠（支援会議として開く会議体）"
            required
            value={supportBasis}
            onChange={(e) => setSupportBasis(e.target.value)}
            options={['art106-6', ...DESIGNATED_BASES].map((c) => ({ value: c, label: basisLabel(c) }))}
            hint="既存の会議体を支援会議として位置づける場合は、その会議体の根拠法を選びます。"
            error={s.errors.legalBasis}
            data-testid="meeting-basis-support"
          />
        )}
        {kind === 'multilayer' && (
          <div className="mb-5" data-testid="meeting-basis-fixed">
            <p className="font-bold">根拠</p>
            <p>{basisLabel('consent')}（固定）。本人同意のないケースは議題にできません（支援会議を使ってください）。</p>
            {s.errors.legalBasis && <p className="mt-1 font-bold text-red-900">{s.errors.legalBasis}</p>}
          </div>
        )}
        {kind === 'case_conference' && (
          <div id={FIELD_IDS.legalBasis} tabIndex={-1}>
            <RadioGroup
              legend="根拠（どちらかを選んでください）"
              name="meeting-basis"
              required
              inline={false}
              value={conferenceBasis}
              onChange={setConferenceBasis}
              options={[
                { value: 'art106-6', label: '支援会議として開く（社会福祉法第106条の6・本人同意がなくても共有可）' },
                { value: 'consent', label: '本人同意に基づいて開く（同意の範囲でのみ共有）' },
              ]}
              error={s.errors.legalBasis}
            />
          </div>
        )}

        <TextField
          id={FIELD_IDS.title}
          label="会議名"
          required
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={s.errors.title}
          data-testid="meeting-title"
        />

        <fieldset className="mb-5">
          <legend className="mb-1 font-bold">日時（日本時間）</legend>
          <div className="flex flex-wrap gap-4">
            <TextField
              id={FIELD_IDS.startsAt}
              label="開催日"
              required
              type="date"
              className="w-56"
              value={date}
              onChange={(e) => setDate(e.target.value)}
              error={s.errors.startsAt}
              data-testid="meeting-date"
            />
            <TextField
              id="meeting-time"
              label="開始時刻"
              required
              type="time"
              className="w-40"
              value={time}
              onChange={(e) => setTime(e.target.value)}
              data-testid="meeting-time"
            />
          </div>
        </fieldset>

        <div className="flex flex-wrap items-end gap-6">
          <TextField
            id={FIELD_IDS.place}
            label="場所"
            className="mb-5 min-w-72 flex-1"
            value={place}
            onChange={(e) => setPlace(e.target.value)}
            error={s.errors.place}
            data-testid="meeting-place"
          />
          <CheckboxField id={FIELD_IDS.online} label="オンラインで開催" className="mb-8" checked={online} onChange={(e) => setOnline(e.target.checked)} />
        </div>

        <SelectField
          id={FIELD_IDS.chairUserId}
          label="総括者"
          required
          value={chairUserId}
          onChange={(e) => {
            setChairUserId(e.target.value);
            setMemberIds((ids) => ids.filter((id) => id !== e.target.value));
          }}
          options={(chairs.some((u) => u.id === me.id)
            ? chairs
            : [{ id: me.id, displayName: me.displayName, organizationName: me.organizationName ?? '' }, ...chairs]
          ).map((u) => ({
            value: u.id,
            label: `${u.displayName}（${u.organizationName}）`,
          }))}
          error={s.errors.chairUserId}
        />

        <fieldset className="mb-8" aria-describedby="members-hint" data-testid="member-picker">
          <legend className="mb-1 text-std-20B-150">構成員</legend>
          <p id="members-hint" className="mb-2 text-sm text-solid-gray-700">
            招集する職員を選びます（総括者は自動的に構成員になります）。選んだ {memberIds.length} 人に開催通知が届きます。
          </p>
          {directory.loading && !directory.data && <Loading label="職員名簿を読み込み中…" />}
          {directory.error &&
            (directory.error.status === 404 ? (
              <Notice tone="warning" role="alert" testId="directory-missing" title="職員名簿を読み込めません">
                構成員を選ぶための職員名簿（/api/v1/directory/users）がこのサーバーにありません。管理者に連絡してください。
              </Notice>
            ) : (
              <ApiErrorNotice error={directory.error} />
            ))}
          {directory.data && (
            <>
              <TextField
                id={FIELD_IDS.members}
                label="氏名・機関名で絞り込み"
                bare
                className="mb-3 max-w-md"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                data-testid="member-filter"
              />
              <div className="max-h-96 overflow-y-auto rounded-8 border border-solid-gray-420 p-3">
                {byOrg.size === 0 && <p>該当する職員はいません。</p>}
                {[...byOrg.entries()].map(([org, list]) => (
                  <div key={org} className="mb-3">
                    <p className="text-sm font-bold text-solid-gray-800">{org}</p>
                    <ul className="ml-2">
                      {list.map((u) => (
                        <li key={u.id}>
                          <CheckboxField
                            id={`meeting-member-${u.id}`}
                            className="my-1"
                            label={
                              <>
                                {u.displayName}
                                <span className="text-sm text-solid-gray-700">
                                  （{org}・{u.roles.map((r) => labelOf(codes.roles, r)).join('・')}）
                                </span>
                              </>
                            }
                            checked={memberIds.includes(u.id)}
                            onChange={(e) => setMemberIds((ids) => toggle(ids, u.id, e.target.checked))}
                            error={s.errors[`member:${u.id}`]}
                          />
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </div>
              {memberIds.length > 0 && (
                <p className="mt-2 text-sm" data-testid="selected-members">
                  選択中：{memberIds.map((id) => userById.get(id)?.displayName ?? id).join('、')}
                </p>
              )}
            </>
          )}
        </fieldset>

        <fieldset className="mb-8" data-testid="case-picker">
          <legend className="mb-1 text-std-20B-150">議題のケース</legend>
          <p className="mb-2 text-sm text-solid-gray-700">
            ケースを議題にすると、主担当機関に代わってケースの概要（要旨・世帯構成・課題・関係機関）が資料として提出されます。
            {purposeRequired ? '支援会議では、ケースごとに議題とする目的（支援のために何を話し合うか）が必要です。' : ''}
          </p>
          {casesList.loading && !casesList.data && <Loading label="ケースを読み込み中…" />}
          {casesList.error && <ApiErrorNotice error={casesList.error} />}
          {casesList.data && cases.length === 0 && <p>議題にできるケースはありません。</p>}
          <ul>
            {cases.map((c) => {
              const on = caseIds.includes(c.id);
              return (
                <li key={c.id} className={`mb-2 rounded-8 border p-3 ${on ? 'border-blue-900 bg-blue-50' : 'border-solid-gray-420'}`} data-testid="case-option">
                  <CheckboxField
                    id={`meeting-case-${c.id}`}
                    className="mb-0"
                    label={
                      <>
                        <span className="font-bold">{c.householdName || '（世帯名なし）'}</span>
                        <span className="ml-2 text-sm text-solid-gray-700">
                          {labelOf(codes.caseStatuses, c.status)}・主担当 {c.leadOrganization?.name}
                        </span>
                      </>
                    }
                    checked={on}
                    onChange={(e) => setCaseIds((ids) => toggle(ids, c.id, e.target.checked))}
                    error={s.errors[`case:${c.id}`]}
                  />
                  {on && (
                    <TextAreaField
                      id={`meeting-purpose-${c.id}`}
                      className="mt-3"
                      label={`議題とする目的（${c.householdName || 'このケース'}）`}
                      required={purposeRequired}
                      rows={3}
                      value={purposes[c.id] ?? ''}
                      onChange={(e) => setPurposes((p) => ({ ...p, [c.id]: e.target.value }))}
                      hint="機関の事務の効率化ではなく、本人・世帯への支援のために必要な理由を書きます。"
                      error={s.errors[`purpose:${c.id}`]}
                      data-testid="meeting-purpose"
                    />
                  )}
                </li>
              );
            })}
          </ul>
        </fieldset>

        <TextField
          id={FIELD_IDS.materialsCloseDays}
          label="資料の閲覧期間（開催日から何日後に閉じるか）"
          required
          type="number"
          min={0}
          max={90}
          inputMode="numeric"
          className="mb-5 max-w-xl"
          inputClassName="w-40"
          value={closeDays}
          onChange={(e) => setCloseDays(e.target.value)}
          hint="既定は7日です。期間後は総括者・事務局が会議記録を、担当機関がタスクの文面を保持します。"
          error={s.errors.materialsCloseDays}
        />

        <fieldset className="mb-8">
          <legend className="mb-1 font-bold">定例開催</legend>
          <CheckboxField label="定例の会議として、同じ時刻で続けて招集する" checked={recurring} onChange={(e) => setRecurring(e.target.checked)} />
          {recurring && (
            <div className="flex flex-wrap gap-4">
              <SelectField
                id="meeting-recurrence-frequency"
                label="間隔"
                required
                className="w-48"
                value={frequency}
                onChange={(e) => setFrequency(e.target.value)}
                options={[
                  { value: 'monthly', label: '毎月' },
                  { value: 'weekly', label: '毎週' },
                ]}
              />
              <TextField
                id={FIELD_IDS.recurrence}
                label="回数（今回を含む）"
                required
                type="number"
                min={2}
                max={24}
                className="w-48"
                value={count}
                onChange={(e) => setCount(e.target.value)}
                error={s.errors.recurrence}
              />
            </div>
          )}
          {recurring && <p className="text-sm text-solid-gray-700">議題のケースは初回の会議に載ります。2回目以降の議題は各回の画面で追加します。</p>}
        </fieldset>

        <div className="flex flex-wrap gap-3">
          <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="convene-submit">
            招集して開催通知を送る
          </button>
          <Link to="/meetings" className="btn btn-secondary">
            キャンセル
          </Link>
        </div>
        {caseIds.length > 0 && (
          <p className="mt-3 text-sm text-solid-gray-700">
            議題：
            {caseIds.map((id) => (
              <Badge key={id} tone="blue">
                {caseById.get(id)?.householdName ?? id}
              </Badge>
            ))}
          </p>
        )}
      </form>
    </>
  );
}
