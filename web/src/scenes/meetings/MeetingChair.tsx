import { type FormEvent, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { Assignment, CaseListItem, DirectoryUser, ListResponse, MeetingHeader, MeetingMaterials, Organization } from '../../api/types.ts';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/form.tsx';
import { ApiErrorNotice, Badge, Section } from '../../components/ui.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { wareki, warekiDateTime } from '../../lib/dates.ts';
import { itemsOf, TASK_STATUS_LABELS } from './common.ts';

/** Members with their acknowledgment; the chair adds and removes members (access ends at once). */
export function MembersSection({ meeting, onChanged }: { meeting: MeetingHeader; onChanged: (msg: string) => void }) {
  const isChair = meeting.me.isChair;
  const directory = useApiGet<ListResponse<DirectoryUser>>(isChair ? '/directory/users' : null);
  const [userId, setUserId] = useState('');
  const [removing, setRemoving] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const s = useSubmit();
  const memberIds = new Set(meeting.members.map((mm) => mm.userId));
  const candidates = itemsOf(directory.data).filter((u) => !memberIds.has(u.id));
  const acknowledged = meeting.members.filter((mm) => mm.acknowledgedAt).length;

  async function add(e: FormEvent) {
    e.preventDefault();
    if (!userId) {
      s.setLocalErrors({ userId: '追加する職員を選んでください。' });
      return;
    }
    const name = candidates.find((u) => u.id === userId)?.displayName ?? '';
    const ok = await s.run(() => api.post(`/meetings/${seg(meeting.id)}/members`, { userId }));
    if (ok) {
      setUserId('');
      onChanged(`${name}さんを構成員に加え、開催通知を送りました。`);
    }
  }

  async function remove(id: string, name: string) {
    if (!window.confirm(`${name}さんを構成員から外しますか？会議資料の閲覧は直ちに終わります。`)) return;
    setRemoving(id);
    setRemoveError(null);
    try {
      await api.delete(`/meetings/${seg(meeting.id)}/members/${seg(id)}`);
      onChanged(`${name}さんを構成員から外しました。会議資料は閲覧できなくなりました。`);
    } catch (err) {
      setRemoveError(err instanceof Error ? err.message : String(err));
    } finally {
      setRemoving(null);
    }
  }

  return (
    <Section id="members" title="構成員と守秘義務の確認" testId="meeting-members">
      <p className="mb-3 text-sm text-solid-gray-700" aria-live="polite">
        {meeting.members.length}人中 {acknowledged}人が守秘義務を確認済みです。
      </p>
      {removeError && (
        <p role="alert" className="mb-3 font-bold text-red-900">
          {removeError}
        </p>
      )}
      <div className="overflow-x-auto">
        <table className="data-table" data-testid="members-table">
          <caption className="sr-only">構成員（{meeting.members.length}人）</caption>
          <thead>
            <tr>
              <th scope="col">氏名</th>
              <th scope="col">機関</th>
              <th scope="col">守秘義務の確認</th>
              {isChair && <th scope="col">操作</th>}
            </tr>
          </thead>
          <tbody>
            {meeting.members.map((mm) => (
              <tr key={mm.userId} data-testid="member-row" data-user-id={mm.userId}>
                <th scope="row" className="font-bold">
                  {mm.displayName}
                  {mm.userId === meeting.chair.userId && (
                    <span className="ml-2">
                      <Badge tone="yellow">総括者</Badge>
                    </span>
                  )}
                </th>
                <td>{mm.organizationName}</td>
                <td data-testid="member-ack">
                  {mm.acknowledgedAt ? (
                    <>
                      <Badge tone="green">確認済み</Badge> <time dateTime={mm.acknowledgedAt}>{warekiDateTime(mm.acknowledgedAt)}</time>
                    </>
                  ) : (
                    <Badge tone="orange">未確認</Badge>
                  )}
                </td>
                {isChair && (
                  <td>
                    {mm.userId !== meeting.chair.userId && (
                      <button
                        type="button"
                        className="btn btn-danger btn-sm"
                        disabled={removing === mm.userId}
                        onClick={() => remove(mm.userId, mm.displayName)}
                        aria-label={`${mm.displayName}さんを構成員から外す`}
                        data-testid="member-remove"
                      >
                        外す
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {isChair && (
        <form onSubmit={add} noValidate aria-label="構成員の追加" className="mt-4 flex flex-wrap items-end gap-3" data-testid="member-add-form">
          <div className="w-full">
            <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={() => 'member-add-user'} labelOf={() => '追加する職員'} testId="member-add-errors" />
          </div>
          {directory.error ? (
            directory.error.status === 404 ? (
              <p role="note">職員名簿（/api/v1/directory/users）がこのサーバーにないため、構成員を追加できません。</p>
            ) : (
              <ApiErrorNotice error={directory.error} />
            )
          ) : (
            <>
              <SelectField
                id="member-add-user"
                label="構成員を追加"
                bare
                className="min-w-80 flex-1"
                value={userId}
                onChange={(e) => setUserId(e.target.value)}
                placeholder="職員を選んでください"
                options={candidates.map((u) => ({ value: u.id, label: `${u.displayName}（${u.organizationName}）` }))}
                error={s.errors.userId}
              />
              <button type="submit" className="btn btn-secondary mb-5" disabled={s.busy}>
                追加して通知する
              </button>
            </>
          )}
        </form>
      )}
    </Section>
  );
}

/** The chair puts another case on the agenda, with its purpose (its case core is tabled). */
export function AddCaseForm({ meetingId, agendaCaseIds, onChanged }: { meetingId: string; agendaCaseIds?: string[]; onChanged: (msg: string) => void }) {
  const [open, setOpen] = useState(false);
  const cases = useApiGet<ListResponse<CaseListItem>>(open ? '/cases' : null);
  const [caseId, setCaseId] = useState('');
  const [purpose, setPurpose] = useState('');
  const s = useSubmit();
  const options = itemsOf(cases.data).filter((c) => !agendaCaseIds?.includes(c.id));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!caseId) local.caseId = 'ケースを選んでください。';
    if (!purpose.trim()) local.purpose = '議題とする目的を入力してください。';
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const ok = await s.run(() => api.post(`/meetings/${seg(meetingId)}/cases`, { caseId, purpose: purpose.trim() }));
    if (ok) {
      const name = options.find((c) => c.id === caseId)?.householdName ?? '';
      setCaseId('');
      setPurpose('');
      setOpen(false);
      onChanged(`${name}を議題に加え、ケースの概要を資料として提出しました。`);
    }
  }

  return (
    <Section
      id="add-case"
      title="議題の追加（総括者）"
      actions={
        !open ? (
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => setOpen(true)} data-testid="add-case-open">
            ケースを議題に加える
          </button>
        ) : undefined
      }
    >
      {!open && <p className="text-sm text-solid-gray-700">議題に加えたケースは、その概要が主担当機関に代わって資料として提出されます。</p>}
      {open && (
        <form onSubmit={submit} noValidate aria-label="議題の追加" className="card bg-blue-50" data-testid="add-case-form">
          <ErrorSummary
            detail={s.detail}
            errors={s.errors}
            fieldIdOf={(k) => (k === 'caseId' ? 'add-case-case' : 'add-case-purpose')}
            labelOf={(k) => (k === 'caseId' ? 'ケース' : '目的')}
            testId="add-case-errors"
          />
          {cases.error && <ApiErrorNotice error={cases.error} />}
          <SelectField
            id="add-case-case"
            label="ケース"
            required
            value={caseId}
            onChange={(e) => setCaseId(e.target.value)}
            placeholder="ケースを選んでください"
            options={options.map((c) => ({ value: c.id, label: `${c.householdName || '（世帯名なし）'}（主担当 ${c.leadOrganization?.name ?? ''}）` }))}
            error={s.errors.caseId}
          />
          <TextAreaField
            id="add-case-purpose"
            label="議題とする目的"
            required
            rows={3}
            value={purpose}
            onChange={(e) => setPurpose(e.target.value)}
            error={s.errors.purpose}
          />
          <div className="flex flex-wrap gap-3">
            <button type="submit" className="btn btn-primary" disabled={s.busy}>
              議題に加える
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

/** 役割分担: a task for an organization (not team membership), with a due date. */
export function AssignmentsSection({
  meetingId,
  agenda,
  onChanged,
}: {
  meetingId: string;
  agenda?: MeetingMaterials['cases'];
  onChanged: (msg: string) => void;
}) {
  const orgs = useApiGet<ListResponse<Organization> | Organization[]>('/organizations');
  // Before the chair's own pledge the agenda is not readable: offer the cases the chair can see.
  const cases = useApiGet<ListResponse<CaseListItem>>(agenda ? null : '/cases');
  const caseOptions = agenda
    ? agenda.map((c) => ({ value: c.caseId, label: c.householdName || '（世帯名なし）' }))
    : itemsOf(cases.data).map((c) => ({ value: c.id, label: c.householdName || '（世帯名なし）' }));
  const [caseId, setCaseId] = useState('');
  const [organizationId, setOrganizationId] = useState('');
  const [task, setTask] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [created, setCreated] = useState<Assignment[]>([]);
  const s = useSubmit();
  const effectiveCaseId = caseId || (caseOptions.length === 1 ? (caseOptions[0]?.value ?? '') : '');
  const ids: Record<string, string> = { caseId: 'assign-case', organizationId: 'assign-org', task: 'assign-task', dueOn: 'assign-due' };
  const caseLabel = (id: string) => caseOptions.find((o) => o.value === id)?.label ?? '';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!effectiveCaseId) local.caseId = 'ケースを選んでください。';
    if (!organizationId) local.organizationId = '担当する機関を選んでください。';
    if (!task.trim()) local.task = '役割の内容を入力してください。';
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const a = await s.run(() =>
      api.post<Assignment>(`/meetings/${seg(meetingId)}/assignments`, {
        caseId: effectiveCaseId,
        organizationId,
        task: task.trim(),
        ...(dueOn ? { dueOn } : {}),
      }),
    );
    if (a) {
      setCreated((list) => [...list, a]);
      setTask('');
      setDueOn('');
      onChanged(`${a.organizationName ?? '機関'}に役割を割り当てました。担当機関の「自機関のタスク」と通知に届きます。`);
    }
  }

  return (
    <Section id="assignments" title="役割分担（総括者）" testId="assignments">
      <p className="mb-4 text-sm text-solid-gray-700">
        役割は機関へのタスクとして割り当てられます（支援チームへの追加ではありません）。担当機関は会議資料の閲覧期間後もタスクの文面を保持します。
      </p>
      <form onSubmit={submit} noValidate aria-label="役割分担の登録" className="card mb-6 bg-blue-50" data-testid="assignment-form">
        <ErrorSummary
          detail={s.detail}
          errors={s.errors}
          fieldIdOf={(k) => ids[k]}
          labelOf={(k) => ({ caseId: 'ケース', organizationId: '担当機関', task: '役割の内容', dueOn: '期限' })[k]}
          testId="assignment-errors"
        />
        {orgs.error && <ApiErrorNotice error={orgs.error} />}
        <div className="grid gap-x-6 sm:grid-cols-2">
          <SelectField
            id={ids.caseId}
            label="ケース"
            required
            value={effectiveCaseId}
            onChange={(e) => setCaseId(e.target.value)}
            placeholder="ケースを選んでください"
            options={caseOptions}
            hint={agenda ? undefined : '議題にないケースは登録できません。'}
            error={s.errors.caseId}
          />
          <SelectField
            id={ids.organizationId}
            label="担当機関"
            required
            value={organizationId}
            onChange={(e) => setOrganizationId(e.target.value)}
            placeholder="機関を選んでください"
            options={itemsOf(orgs.data).map((o) => ({ value: o.id, label: o.name }))}
            error={s.errors.organizationId}
            data-testid="assign-org"
          />
        </div>
        <TextAreaField
          id={ids.task}
          label="役割の内容"
          required
          rows={3}
          value={task}
          onChange={(e) => setTask(e.target.value)}
          error={s.errors.task}
          data-testid="assign-task"
        />
        <TextField
          id={ids.dueOn}
          label="期限"
          type="date"
          className="mb-5 w-56"
          value={dueOn}
          onChange={(e) => setDueOn(e.target.value)}
          error={s.errors.dueOn}
          data-testid="assign-due"
        />
        <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="assignment-submit">
          役割を割り当てる
        </button>
      </form>
      <h3 className="mb-2 text-std-20B-150">この画面で割り当てた役割</h3>
      {created.length === 0 ? (
        <p className="text-solid-gray-800">まだありません。</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="data-table" data-testid="assignments-table">
            <caption className="sr-only">割り当てた役割（{created.length}件）</caption>
            <thead>
              <tr>
                <th scope="col">担当機関</th>
                <th scope="col">ケース</th>
                <th scope="col">役割</th>
                <th scope="col">期限</th>
                <th scope="col">状況</th>
              </tr>
            </thead>
            <tbody>
              {created.map((a) => (
                <tr key={a.id} data-testid="assignment-row">
                  <th scope="row">{a.organizationName}</th>
                  <td>{caseLabel(a.caseId)}</td>
                  <td className="whitespace-pre-wrap">{a.task}</td>
                  <td className="whitespace-nowrap">{a.dueOn ? <time dateTime={a.dueOn}>{wareki(a.dueOn)}</time> : '—'}</td>
                  <td>{TASK_STATUS_LABELS[a.status] ?? a.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
