import { type FormEvent, useEffect, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { CaseDetail, Honorarium, ListResponse, MeetingHeader, Organization } from '../../api/types.ts';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/form.tsx';
import { ApiErrorNotice, Section } from '../../components/ui.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { todayInTokyo, wareki } from '../../lib/dates.ts';
import { itemsOf } from './common.ts';

/** 支援会議 (社会福祉法106条の6) or a body designated to be held as one. */
export function isStatutoryBasis(basis: string): boolean {
  return basis === 'art106-6' || basis.startsWith('designated:');
}

/** GET /cases/:id for each id; a case the user may not see stays null (shown by its id). */
function useCaseDetails(ids: string[]): Map<string, CaseDetail | null> {
  const key = ids.join(',');
  const [details, setDetails] = useState<Map<string, CaseDetail | null>>(new Map());
  useEffect(() => {
    const list = key ? key.split(',') : [];
    const ctrl = new AbortController();
    Promise.all(
      list.map((id) =>
        api
          .get<CaseDetail>(`/cases/${seg(id)}`, { signal: ctrl.signal })
          .then((c): [string, CaseDetail | null] => [id, c])
          .catch((): [string, CaseDetail | null] => [id, null]),
      ),
    ).then((entries) => {
      if (!ctrl.signal.aborted) setDetails(new Map(entries));
    });
    return () => ctrl.abort();
  }, [key]);
  return details;
}

/** The row POST /meetings/:id/information-requests returns. */
interface CreatedRequest {
  id: string;
  caseId: string;
  organizationId: string;
  request: string;
  dueOn: string | null;
}

const personName = (p: { familyName?: string; givenName?: string }) => [p.familyName, p.givenName].filter(Boolean).join(' ') || '（氏名なし）';

/** 情報提供の求め (社会福祉法106条の6第3項): the chair of a 支援会議 asks an agency about a case on the agenda. */
export function InformationRequestSection({ meeting, onChanged }: { meeting: MeetingHeader; onChanged: (msg: string) => void }) {
  const caseIds = meeting.agendaCaseIds ?? [];
  const details = useCaseDetails(caseIds);
  const orgs = useApiGet<ListResponse<Organization> | Organization[]>('/organizations');
  const [caseId, setCaseId] = useState('');
  const [personId, setPersonId] = useState('');
  const [organizationId, setOrganizationId] = useState('');
  const [requestText, setRequestText] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [created, setCreated] = useState<CreatedRequest[]>([]);
  const s = useSubmit();
  const effectiveCaseId = caseId || (caseIds.length === 1 ? (caseIds[0] ?? '') : '');
  const caseLabel = (id: string) => details.get(id)?.householdName || id;
  const members = details.get(effectiveCaseId)?.members ?? [];
  const orgName = (id: string) => itemsOf(orgs.data).find((o) => o.id === id)?.name ?? '';
  const ids: Record<string, string> = {
    caseId: 'info-req-case',
    personId: 'info-req-person',
    organizationId: 'info-req-org',
    request: 'info-req-text',
    dueOn: 'info-req-due',
  };
  const labels: Record<string, string> = { caseId: 'ケース', personId: '対象者', organizationId: '求める先の機関', request: '求める内容', dueOn: '回答期限' };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!effectiveCaseId) local.caseId = 'ケースを選んでください。';
    if (!organizationId) local.organizationId = '情報提供を求める機関を選んでください。';
    if (!requestText.trim()) local.request = '求める内容を入力してください。';
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const r = await s.run(() =>
      api.post<CreatedRequest>(`/meetings/${seg(meeting.id)}/information-requests`, {
        caseId: effectiveCaseId,
        ...(personId ? { personId } : {}),
        organizationId,
        request: requestText.trim(),
        ...(dueOn ? { dueOn } : {}),
      }),
    );
    if (r) {
      setCreated((list) => [...list, r]);
      setRequestText('');
      setDueOn('');
      setPersonId('');
      onChanged(`${orgName(organizationId) || '機関'}に情報提供を求めました。回答はこの会議の資料として提出されます。`);
    }
  }

  return (
    <Section id="information-requests" title="情報提供を求める（総括者）" testId="information-requests">
      <p className="mb-4 text-sm text-solid-gray-700">
        支援会議は、支援に必要があるときは関係機関に情報の提供・意見の開陳その他の協力を求めることができます（社会福祉法第106条の6第3項）。回答はこの会議の資料としてだけ提出され、この会議の構成員だけが閲覧できます。
      </p>
      {caseIds.length === 0 ? (
        <p className="rounded-8 bg-solid-gray-50 p-4">議題のケースがありません。先にケースを議題に加えてください。</p>
      ) : (
        <form onSubmit={submit} noValidate aria-label="情報提供の求め" className="card mb-6 bg-blue-50" data-testid="information-request-form">
          <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={(k) => ids[k]} labelOf={(k) => labels[k]} testId="information-request-errors" />
          {orgs.error && <ApiErrorNotice error={orgs.error} />}
          <div className="grid gap-x-6 sm:grid-cols-2">
            <SelectField
              id={ids.caseId}
              label="ケース"
              required
              value={effectiveCaseId}
              onChange={(e) => {
                setCaseId(e.target.value);
                setPersonId('');
              }}
              placeholder="ケースを選んでください"
              options={caseIds.map((id) => ({ value: id, label: caseLabel(id) }))}
              error={s.errors.caseId}
            />
            <SelectField
              id={ids.personId}
              label="対象者"
              value={personId}
              onChange={(e) => setPersonId(e.target.value)}
              placeholder={members.length ? '世帯全体（特定しない）' : '世帯員を表示できません'}
              options={members.map((m) => ({ value: m.personId, label: personName(m) }))}
              error={s.errors.personId}
            />
            <SelectField
              id={ids.organizationId}
              label="求める先の機関"
              required
              value={organizationId}
              onChange={(e) => setOrganizationId(e.target.value)}
              placeholder="機関を選んでください"
              options={itemsOf(orgs.data).map((o) => ({ value: o.id, label: o.name }))}
              error={s.errors.organizationId}
            />
            <TextField
              id={ids.dueOn}
              label="回答期限"
              type="date"
              className="mb-5 w-56"
              value={dueOn}
              onChange={(e) => setDueOn(e.target.value)}
              error={s.errors.dueOn}
            />
          </div>
          <TextAreaField
            id={ids.request}
            label="求める内容"
            required
            rows={3}
            hint="資料・情報・意見のうち、支援のために必要なものを具体的に書いてください。"
            value={requestText}
            onChange={(e) => setRequestText(e.target.value)}
            error={s.errors.request}
          />
          <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="information-request-submit">
            情報提供を求める
          </button>
        </form>
      )}
      {created.length > 0 && (
        <>
          <h3 className="mb-2 text-std-20B-150">この画面で求めた情報提供</h3>
          <ul data-testid="information-requests-created">
            {created.map((r) => (
              <li key={r.id} className="mb-2">
                {caseLabel(r.caseId)} → {orgName(r.organizationId)}：<span className="whitespace-pre-wrap">{r.request}</span>
                {r.dueOn && <span className="ml-2 text-sm text-solid-gray-700">（期限 {wareki(r.dueOn)}）</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}

/** 謝金: the chair records a member's honorarium (exported for the subsidy claim). */
export function HonorariumSection({ meeting, onChanged }: { meeting: MeetingHeader; onChanged: (msg: string) => void }) {
  const [userId, setUserId] = useState('');
  const [amount, setAmount] = useState('');
  const [paidOn, setPaidOn] = useState('');
  const s = useSubmit();
  const ids: Record<string, string> = { userId: 'honorarium-user', amountYen: 'honorarium-amount', paidOn: 'honorarium-paid' };
  const labels: Record<string, string> = { userId: '構成員', amountYen: '金額', paidOn: '支払日' };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    const yen = Number(amount);
    if (!userId) local.userId = '構成員を選んでください。';
    if (!/^\d+$/.test(amount.trim()) || !Number.isSafeInteger(yen)) local.amountYen = '金額を円単位の整数で入力してください。';
    if (paidOn && paidOn > todayInTokyo()) local.paidOn = '支払日に未来の日付は入力できません。';
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const h = await s.run(() => api.post<Honorarium>(`/meetings/${seg(meeting.id)}/honoraria`, { userId, amountYen: yen, ...(paidOn ? { paidOn } : {}) }));
    if (h) {
      const name = meeting.members.find((m) => m.userId === userId)?.displayName ?? '';
      setAmount('');
      setPaidOn('');
      onChanged(`${name}さんの謝金 ${h.amountYen.toLocaleString('ja-JP')}円を記録しました。`);
    }
  }

  return (
    <Section id="honoraria" title="謝金の記録（総括者）" testId="honoraria">
      <p className="mb-4 text-sm text-solid-gray-700">外部委員などの謝金を記録します。記録は会議一覧から謝金一覧（CSV・Excel）として出力できます。</p>
      <form onSubmit={submit} noValidate aria-label="謝金の記録" className="card bg-blue-50" data-testid="honorarium-form">
        <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={(k) => ids[k]} labelOf={(k) => labels[k]} testId="honorarium-errors" />
        <div className="grid gap-x-6 sm:grid-cols-3">
          <SelectField
            id={ids.userId}
            label="構成員"
            required
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
            placeholder="構成員を選んでください"
            options={meeting.members.map((m) => ({ value: m.userId, label: `${m.displayName}（${m.organizationName}）` }))}
            error={s.errors.userId}
          />
          <TextField
            id={ids.amountYen}
            label="金額（円）"
            required
            inputMode="numeric"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            error={s.errors.amountYen}
          />
          <TextField
            id={ids.paidOn}
            label="支払日"
            type="date"
            max={todayInTokyo()}
            value={paidOn}
            onChange={(e) => setPaidOn(e.target.value)}
            error={s.errors.paidOn}
          />
        </div>
        <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="honorarium-submit">
          謝金を記録する
        </button>
      </form>
    </Section>
  );
}
