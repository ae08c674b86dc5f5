import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { API_BASE, ApiError, api, seg } from '../../api/client.ts';
import type { PlanAction, PlanDiff, PlanList, PlanView } from '../../api/types.ts';
import { ErrorSummary, SelectField, TextAreaField } from '../../components/form.tsx';
import { ApiErrorNotice, Badge, Loading, Section } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { wareki, warekiDateTime } from '../../lib/dates.ts';
import {
  authorText,
  DIFF_CHANGE_LABELS,
  DIFF_KIND_LABELS,
  MONITORING_LABELS,
  monitoringTone,
  PLAN_STATUS_LABELS,
  planStatusTone,
} from '../../lib/lifecycle.ts';
import { meetingPath } from '../meetings/common.ts';
import { ExportLinks, type LifecycleProps, PartError, PrintButton, personLabel, WithheldPersons } from './lifecycleCommon.tsx';
import { PlanEditor } from './PlanEditor.tsx';

/** 支援プラン: the current version, its approval in a 重層的支援会議, the versions and their differences. */
export function PlanSection({ kase, members, names, onChanged }: LifecycleProps) {
  const base = `/cases/${seg(kase.id)}/plans`;
  const list = useApiGet<PlanList>(base);
  const [selected, setSelected] = useState<number | null>(null);
  const current = list.data?.current ?? null;
  const picked = useApiGet<PlanView>(selected !== null && selected !== current?.version ? `${base}/${selected}` : null);
  const shown = selected !== null && selected !== current?.version ? picked.data : current;
  const [editing, setEditing] = useState(false);
  const [diffOf, setDiffOf] = useState<number | null>(null);
  // Only once the versions are known: a new version is prefilled from the current one.
  const canCreate = Boolean(list.data) && (current ? Boolean(current.abilities?.edit) : Boolean(kase.abilities?.editPlan ?? kase.abilities?.changeStatus));
  const closed = kase.status === 'closed';

  const changed = (msg: string) => {
    setSelected(null);
    list.reload();
    onChanged(msg);
  };

  return (
    <Section
      id="plan"
      title="支援プラン"
      actions={
        <div className="flex flex-wrap gap-2 print:hidden">
          <PrintButton />
          {canCreate && !closed && !editing && (
            <button type="button" className="btn btn-primary btn-sm" onClick={() => setEditing(true)} data-testid="plan-edit">
              {current ? 'プランを改訂（新しい版を作成）' : '支援プランを作成'}
            </button>
          )}
        </div>
      }
    >
      {list.loading && !list.data && <Loading />}
      {list.error && <PartError error={list.error} what="支援プラン" />}
      {editing && (
        <PlanEditor
          kase={kase}
          members={members}
          names={names}
          previous={current}
          onCancel={() => setEditing(false)}
          onDone={(v) => {
            setEditing(false);
            changed(`支援プラン（第${v.version}版・作成中）を保存しました。`);
          }}
        />
      )}
      {list.data && !current && !editing && <p className="text-solid-gray-700">まだ支援プランはありません。</p>}
      {picked.error && <PartError error={picked.error} what="この版の支援プラン" />}
      {shown && <PlanBody plan={shown} caseId={kase.id} names={names} isCurrent={shown.version === current?.version} closed={closed} onChanged={changed} />}
      {list.data && list.data.items.length > 0 && (
        <div className="mt-8 print:hidden">
          <div className="overflow-x-auto">
            <table className="data-table" data-testid="plan-versions">
              <caption className="mb-2 text-left font-bold">版の一覧</caption>
              <thead>
                <tr>
                  <th scope="col">版</th>
                  <th scope="col">状態</th>
                  <th scope="col">作成日時</th>
                  <th scope="col">作成者</th>
                  <th scope="col">承認</th>
                  <th scope="col">
                    <span className="sr-only">操作</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...list.data.items]
                  .sort((a, b) => b.version - a.version)
                  .map((it) => (
                    <tr key={it.version} data-testid="plan-version-row" data-version={it.version}>
                      <th scope="row">第{it.version}版</th>
                      <td>
                        <Badge tone={planStatusTone(it.status)}>{PLAN_STATUS_LABELS[it.status] ?? it.status}</Badge>
                      </td>
                      <td className="whitespace-nowrap">{warekiDateTime(it.authoredAt)}</td>
                      <td>{authorText(it.authoredBy)}</td>
                      <td>{it.approvedAt ? wareki(it.approvedAt) : it.submittedAt ? `${wareki(it.submittedAt)}に依頼` : '—'}</td>
                      <td>
                        <div className="flex flex-wrap gap-2">
                          {(shown?.version ?? -1) !== it.version && (
                            <button
                              type="button"
                              className="btn btn-secondary btn-sm"
                              onClick={() => setSelected(it.version)}
                              aria-label={`第${it.version}版を表示`}
                            >
                              表示
                            </button>
                          )}
                          {it.version > 1 && (
                            <button
                              type="button"
                              className="btn btn-secondary btn-sm"
                              onClick={() => setDiffOf(diffOf === it.version ? null : it.version)}
                              aria-expanded={diffOf === it.version}
                              aria-label={`第${it.version - 1}版からの変更を${diffOf === it.version ? '閉じる' : '見る'}`}
                              data-testid="plan-diff-open"
                            >
                              変更点
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
          {diffOf !== null && <PlanDiffView caseId={kase.id} version={diffOf} />}
        </div>
      )}
    </Section>
  );
}

function PlanBody({
  plan,
  caseId,
  names,
  isCurrent,
  closed,
  onChanged,
}: {
  plan: PlanView;
  caseId: string;
  names: Map<string, string>;
  isCurrent: boolean;
  closed: boolean;
  onChanged: (msg: string) => void;
}) {
  const codes = useCodeLists();
  // The server lets only the chair of a 重層的支援会議 listing the case approve; others never see the form.
  const mayApprove = Boolean(plan.abilities?.approve);
  const nameOf = (id: string | null) => (id ? (plan.members.find((m) => m.personId === id)?.name ?? personLabel(id, names)) : '世帯全体');
  const goalText = (key: string | null) => (key ? (plan.goals.find((g) => g.key === key)?.text ?? '—') : '—');
  const overdue = plan.actions.filter((a) => a.overdue).length;
  return (
    <article aria-labelledby="plan-view-heading" data-testid="plan-view" data-version={plan.version} data-status={plan.status}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <h3 id="plan-view-heading" className="text-std-20B-150">
          第{plan.version}版{isCurrent ? '' : '（過去の版）'}
          <span className="ml-3 align-middle">
            <Badge tone={planStatusTone(plan.status)} testId="plan-status">
              {PLAN_STATUS_LABELS[plan.status] ?? plan.status}
            </Badge>
          </span>
        </h3>
        <ExportLinks base={`${API_BASE}/cases/${seg(caseId)}/plans/${plan.version}`} stem="plan" label="支援プラン" testId="plan-export" />
      </div>
      <p className="mb-3 text-sm text-solid-gray-800">
        作成：{warekiDateTime(plan.authoredAt)}・{authorText(plan.authoredBy)}
        {plan.changeNote && <span className="ml-2">／改訂の理由：{plan.changeNote}</span>}
      </p>
      {plan.approval && (
        <p className="mb-4 rounded-8 border border-green-800 bg-green-50 p-3" data-testid="plan-approval">
          <span className="font-bold">承認：</span>
          {wareki(plan.approval.approvedAt)}、<Link to={meetingPath(plan.approval.meetingId)}>{plan.approval.meetingTitle ?? '重層的支援会議'}</Link>
          {plan.approval.meetingStartsAt && `（${warekiDateTime(plan.approval.meetingStartsAt)}開催）`}で承認
          {plan.approval.approvedBy ? `（${authorText(plan.approval.approvedBy)}）` : ''}
        </p>
      )}
      <WithheldPersons items={plan.withheld} />

      <h4 className="mb-2 mt-6 text-std-18B-160 font-bold">支援の見立て</h4>
      {plan.members.length === 0 ? (
        <p className="text-solid-gray-700">表示できる見立てはありません。</p>
      ) : (
        <dl className="mb-6 grid gap-x-6 gap-y-2 md:grid-cols-[14rem_1fr]" data-testid="plan-views">
          {plan.members.map((m) => (
            <div key={m.personId} className="contents">
              <dt className="font-bold">
                {m.name}
                {m.relationship && <span className="font-normal text-solid-gray-700">（{labelOf(codes.relationships, m.relationship)}）</span>}
              </dt>
              <dd className="whitespace-pre-wrap">{m.view || '—'}</dd>
            </div>
          ))}
        </dl>
      )}

      <h4 className="mb-2 text-std-18B-160 font-bold">目標</h4>
      <ol className="mb-6 list-decimal pl-8" data-testid="plan-goals">
        {plan.goals.map((g) => (
          <li key={g.key} data-goal-key={g.key}>
            <span className="mr-2 text-sm text-solid-gray-700">［{nameOf(g.personId)}］</span>
            {g.text}
          </li>
        ))}
      </ol>

      <h4 className="mb-2 text-std-18B-160 font-bold">
        支援内容と役割分担
        {overdue > 0 && (
          <span className="ml-3 align-middle">
            <Badge tone="red">見直し期限超過 {overdue}件</Badge>
          </span>
        )}
      </h4>
      {plan.actions.length === 0 ? (
        <p className="text-solid-gray-700">支援内容はまだありません。</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="data-table" data-testid="plan-actions">
            <caption className="sr-only">支援内容、担当機関、開始日と見直し日</caption>
            <thead>
              <tr>
                <th scope="col">支援内容</th>
                <th scope="col">対象</th>
                <th scope="col">目標</th>
                <th scope="col">担当機関</th>
                <th scope="col">開始日</th>
                <th scope="col">見直し日</th>
                <th scope="col">直近のモニタリング</th>
              </tr>
            </thead>
            <tbody>
              {plan.actions.map((a) => (
                <ActionRow key={a.key} action={a} who={nameOf(a.personId)} goal={goalText(a.goalKey)} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {isCurrent && !closed && (plan.abilities?.submit || mayApprove) && (
        <div className="mt-6 grid gap-4 print:hidden">
          {plan.abilities?.submit && plan.status === 'draft' && <SubmitPlan caseId={caseId} version={plan.version} onChanged={onChanged} />}
          {mayApprove && plan.status === 'submitted' && <ApprovePlan caseId={caseId} version={plan.version} onChanged={onChanged} />}
        </div>
      )}
      {isCurrent && !closed && plan.status === 'submitted' && !mayApprove && (
        <p className="mt-4 text-sm text-solid-gray-800" data-testid="plan-awaiting">
          このプランは承認待ちです。承認は、このケースを議題とする重層的支援会議の総括者が行います。
        </p>
      )}
    </article>
  );
}

function ActionRow({ action: a, who, goal }: { action: PlanAction; who: string; goal: string }) {
  return (
    <tr data-testid="plan-action-row" data-action-key={a.key} data-overdue={a.overdue ? 'true' : undefined}>
      <td>
        {a.text}
        {a.source === 'meeting' && (
          <span className="ml-2">
            <Badge tone="purple" title="会議の役割分担から">
              会議で決定
            </Badge>
          </span>
        )}
      </td>
      <td className="whitespace-nowrap">{who}</td>
      <td className="text-sm">{goal}</td>
      <td className="font-bold">{a.organizationName ?? a.organizationId}</td>
      <td className="whitespace-nowrap">
        <time dateTime={a.startOn}>{wareki(a.startOn)}</time>
      </td>
      <td className="whitespace-nowrap">
        {a.reviewOn ? <time dateTime={a.reviewOn}>{wareki(a.reviewOn)}</time> : '—'}
        {a.nextReviewOn && a.nextReviewOn !== a.reviewOn && <span className="block text-sm">次回：{wareki(a.nextReviewOn)}</span>}
        {a.overdue && (
          <span className="ml-1 block">
            <Badge tone="red" testId="action-overdue">
              期限超過
            </Badge>
          </span>
        )}
      </td>
      <td>
        {a.lastMonitoring ? (
          <>
            <Badge tone={monitoringTone(a.lastMonitoring.status)}>{MONITORING_LABELS[a.lastMonitoring.status] ?? a.lastMonitoring.status}</Badge>
            <span className="block text-sm">{wareki(a.lastMonitoring.createdAt)}</span>
          </>
        ) : (
          <span className="text-sm text-solid-gray-700">未記録</span>
        )}
      </td>
    </tr>
  );
}

function SubmitPlan({ caseId, version, onChanged }: { caseId: string; version: number; onChanged: (m: string) => void }) {
  const s = useSubmit();
  return (
    <div className="card bg-solid-gray-50" data-testid="plan-submit-box">
      <p className="mb-3">内容が整ったら、重層的支援会議での承認を依頼します。依頼後は、承認されるか新しい版を作るまで、この版は変わりません。</p>
      <ErrorSummary detail={s.detail} errors={s.errors} testId="plan-submit-errors" />
      <button
        type="button"
        className="btn btn-primary"
        disabled={s.busy}
        data-testid="plan-submit"
        onClick={async () => {
          const ok = await s.run(() => api.post<PlanView>(`/cases/${seg(caseId)}/plans/${version}/submit`, {}));
          if (ok) onChanged(`支援プラン（第${version}版）の承認を依頼しました。`);
        }}
      >
        承認を依頼する
      </button>
    </div>
  );
}

/** The 重層的支援会議 at which the viewer may approve now: the server names them (chaired, consent-based, listing the case, started). */
function useApprovableMeetings(caseId: string) {
  type Approvable = { id: string; title: string; startsAt: string };
  const [state, setState] = useState<{ loading: boolean; meetings: Approvable[]; error?: ApiError }>({ loading: true, meetings: [] });
  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ approvableMeetings?: Approvable[] }>(`/cases/${seg(caseId)}/plans`, { signal: ctrl.signal })
      .then((r) => {
        if (!ctrl.signal.aborted) setState({ loading: false, meetings: r.approvableMeetings ?? [] });
      })
      .catch((e) => {
        if (ctrl.signal.aborted) return;
        setState({ loading: false, meetings: [], error: e instanceof ApiError ? e : new ApiError({ status: 0, detail: String(e) }) });
      });
    return () => ctrl.abort();
  }, [caseId]);
  return state;
}

function ApprovePlan({ caseId, version, onChanged }: { caseId: string; version: number; onChanged: (m: string) => void }) {
  const s = useSubmit();
  const meetings = useApprovableMeetings(caseId);
  const [meetingId, setMeetingId] = useState('');
  const [note, setNote] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!meetingId) {
      s.setLocalErrors({ meetingId: '承認した重層的支援会議を選んでください。' });
      return;
    }
    const ok = await s.run(() =>
      api.post<PlanView>(`/cases/${seg(caseId)}/plans/${version}/approve`, { meetingId, ...(note.trim() ? { note: note.trim() } : {}) }),
    );
    if (ok) onChanged(`支援プラン（第${version}版）を承認しました。`);
  }

  return (
    <form onSubmit={submit} noValidate className="card bg-green-50" aria-labelledby="plan-approve-heading" data-testid="plan-approve-form">
      <h4 id="plan-approve-heading" className="mb-2 text-std-18B-160 font-bold">
        重層的支援会議の決定として承認
      </h4>
      <p className="mb-3 text-sm">承認は、このケースを議題とした重層的支援会議の決定として記録されます（総括者のみ・開催済みの会議）。</p>
      <ErrorSummary
        detail={s.detail}
        errors={s.errors}
        fieldIdOf={(k) => ({ meetingId: 'plan-approve-meeting', note: 'plan-approve-note' })[k]}
        testId="plan-approve-errors"
      />
      {meetings.loading && <Loading label="会議を読み込み中…" />}
      {meetings.error && <ApiErrorNotice error={meetings.error} />}
      {!meetings.loading && meetings.meetings.length === 0 && (
        <p className="mb-3 font-bold" data-testid="plan-approve-no-meeting">
          このケースを議題とする、あなたが総括者で開催済みの重層的支援会議がありません。
        </p>
      )}
      <SelectField
        id="plan-approve-meeting"
        label="承認した会議"
        required
        value={meetingId}
        onChange={(e) => setMeetingId(e.target.value)}
        placeholder="選択してください"
        options={meetings.meetings.map((m) => ({ value: m.id, label: `${m.title}（${warekiDateTime(m.startsAt)}）` }))}
        error={s.errors.meetingId}
      />
      <TextAreaField id="plan-approve-note" label="決定事項のメモ" rows={2} value={note} onChange={(e) => setNote(e.target.value)} error={s.errors.note} />
      <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="plan-approve-submit">
        承認する
      </button>
    </form>
  );
}

/** The server's sentences carry ISO dates (2026-11-28); the screen shows them as 和暦. */
function warekiInText(text: string): string {
  return text.replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (d) => wareki(d));
}

function PlanDiffView({ caseId, version }: { caseId: string; version: number }) {
  const diff = useApiGet<PlanDiff>(`/cases/${seg(caseId)}/plans/${version}/diff?against=${version - 1}`);
  return (
    <section aria-labelledby="plan-diff-heading" className="card mt-4" data-testid="plan-diff">
      <h4 id="plan-diff-heading" className="mb-2 text-std-18B-160 font-bold">
        第{version - 1}版から第{version}版への変更点
      </h4>
      {diff.loading && !diff.data && <Loading />}
      {diff.error && <ApiErrorNotice error={diff.error} />}
      {diff.data && diff.data.changes.length === 0 && <p>変更はありません。</p>}
      {diff.data && diff.data.changes.length > 0 && (
        <ul className="grid gap-2">
          {diff.data.changes.map((c) => (
            <li key={`${c.kind}-${c.key}-${c.change}`} className="flex flex-wrap items-baseline gap-2" data-testid="plan-diff-item" data-change={c.change}>
              <Badge tone={c.change === 'added' ? 'green' : c.change === 'removed' ? 'red' : 'yellow'}>
                {DIFF_KIND_LABELS[c.kind] ?? c.kind}の{DIFF_CHANGE_LABELS[c.change] ?? c.change}
              </Badge>
              <span>{warekiInText(c.summary)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
