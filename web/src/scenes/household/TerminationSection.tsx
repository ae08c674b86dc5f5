import { type FormEvent, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { CaseMember, ListResponse, Organization, PlanGoal, PlanList, Termination } from '../../api/types.ts';
import { ErrorSummary, RadioGroup, SelectField, TextAreaField, TextField } from '../../components/form.tsx';
import { Badge, Loading, Section } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { wareki, warekiDateTime } from '../../lib/dates.ts';
import { authorText, GOAL_OUTCOMES, OUTCOME_LABELS, REASONS_WITHOUT_WATCH } from '../../lib/lifecycle.ts';
import { itemsOf } from '../meetings/common.ts';
import { fullName } from './common.ts';
import { type LifecycleProps, PartError, PrintButton, personLabel } from './lifecycleCommon.tsx';

/**
 * 終結: the termination evaluation per goal, the reason, the agencies that keep watching (見守り)
 * and when to check again. Closing is refused by the server while required items are empty;
 * a closed case can be reopened when a new problem arises.
 */
export function TerminationSection({ kase, members, names, onChanged }: LifecycleProps) {
  const list = useApiGet<ListResponse<Termination>>(`/cases/${seg(kase.id)}/termination`);
  const closed = kase.status === 'closed';
  const plans = useApiGet<PlanList>(!closed ? `/cases/${seg(kase.id)}/plans` : null);
  const canClose = Boolean(kase.abilities?.terminate ?? kase.abilities?.changeStatus) && !closed;
  const canReopen = Boolean(kase.abilities?.reopen ?? kase.abilities?.changeStatus) && closed;
  const sorted = [...(list.data?.items ?? [])].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  const [closing, setClosing] = useState(false);
  const changed = (msg: string) => {
    setClosing(false);
    list.reload();
    plans.reload();
    onChanged(msg);
  };

  return (
    <Section id="closing" title="終結" actions={<PrintButton />}>
      {list.loading && !list.data && <Loading />}
      {list.error && <PartError error={list.error} what="終結の評価" />}
      {closed && (
        <p className="mb-4 rounded-8 border border-solid-gray-536 bg-solid-gray-50 p-3 font-bold" data-testid="case-closed">
          このケースは終結しています。
        </p>
      )}
      {sorted.map((t, i) => (
        <TerminationView key={t.id} termination={t} latest={closed && i === 0} />
      ))}
      {list.data && sorted.length === 0 && !canClose && <p className="text-solid-gray-700">終結の評価はまだありません。</p>}
      {canClose && !closing && (
        <button type="button" className="btn btn-primary print:hidden" onClick={() => setClosing(true)} data-testid="termination-open">
          終結の評価を記録する
        </button>
      )}
      {canClose && closing && plans.data && <TerminationForm kase={kase} goals={plans.data.current?.goals ?? []} names={names} onDone={changed} />}
      {canClose && closing && plans.loading && !plans.data && <Loading />}
      {canClose && plans.error && <PartError error={plans.error} what="支援プランの目標" />}
      {canReopen && <ReopenForm kase={kase} members={members} onDone={changed} />}
    </Section>
  );
}

function TerminationView({ termination: t, latest }: { termination: Termination; latest: boolean }) {
  const codes = useCodeLists();
  return (
    <article className="card mb-6 break-inside-avoid" aria-label={`終結の評価（${wareki(t.createdAt)}）`} data-testid="termination-view">
      <h3 className="mb-2 text-std-20B-150">
        終結の評価{latest ? '' : '（以前の終結）'}
        <span className="ml-3 text-base font-normal text-solid-gray-700">
          {warekiDateTime(t.createdAt)}
          {t.author ? `・${authorText(t.author)}` : ''}
        </span>
      </h3>
      <dl className="mb-4 grid gap-x-6 gap-y-2 md:grid-cols-[10rem_1fr]">
        <dt className="font-bold">終結理由</dt>
        <dd data-testid="termination-reason">{labelOf(codes.closingReasons, t.reason)}</dd>
        <dt className="font-bold">再確認の時期</dt>
        <dd>{t.recheckOn ? wareki(t.recheckOn) : '—'}</dd>
        {t.note && (
          <>
            <dt className="font-bold">メモ</dt>
            <dd className="whitespace-pre-wrap">{t.note}</dd>
          </>
        )}
      </dl>
      <div className="mb-4 overflow-x-auto">
        <table className="data-table" data-testid="termination-evaluations">
          <caption className="mb-2 text-left font-bold">目標ごとの評価</caption>
          <thead>
            <tr>
              <th scope="col">目標</th>
              <th scope="col">評価</th>
              <th scope="col">理由</th>
            </tr>
          </thead>
          <tbody>
            {t.evaluations.map((e) => (
              <tr key={e.goalKey}>
                <td>{e.goalText ?? e.goalKey}</td>
                <td>
                  <Badge tone={e.outcome === 'achieved' ? 'green' : e.outcome === 'partly' ? 'yellow' : 'red'}>{OUTCOME_LABELS[e.outcome] ?? e.outcome}</Badge>
                </td>
                <td className="whitespace-pre-wrap">{e.why}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4 className="mb-1 font-bold">見守りを続ける機関</h4>
      {t.watchers.length === 0 ? (
        <p>なし</p>
      ) : (
        <ul className="list-disc pl-6" data-testid="termination-watchers">
          {t.watchers.map((w) => (
            <li key={w.organizationId}>
              <span className="font-bold">{w.organizationName ?? w.organizationId}</span>：{w.how}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

interface WatcherRow {
  id: number;
  organizationId: string;
  how: string;
}

function TerminationForm({
  kase,
  goals,
  names,
  onDone,
}: {
  kase: LifecycleProps['kase'];
  goals: PlanGoal[];
  names: Map<string, string>;
  onDone: (msg: string) => void;
}) {
  const codes = useCodeLists();
  const s = useSubmit();
  const orgs = useApiGet<ListResponse<Organization> | Organization[]>('/organizations');
  const orgOptions = (() => {
    const all = Array.isArray(orgs.data) ? orgs.data : itemsOf(orgs.data);
    const list =
      all.length > 0 ? all.map((o) => ({ value: o.id, label: o.name })) : kase.team.map((t) => ({ value: t.organizationId, label: t.organizationName }));
    return list;
  })();
  const [reason, setReason] = useState('');
  const [evals, setEvals] = useState<Record<string, { outcome: string; why: string }>>({});
  const [watchers, setWatchers] = useState<WatcherRow[]>([{ id: 0, organizationId: '', how: '' }]);
  const [nextId, setNextId] = useState(1);
  const [recheckOn, setRecheckOn] = useState('');
  const [note, setNote] = useState('');
  const noWatchNeeded = REASONS_WITHOUT_WATCH.includes(reason);

  async function submit(e: FormEvent) {
    e.preventDefault();
    // The server is the judge of completeness (it answers with field errors); only the reason is checked here.
    if (!reason) {
      s.setLocalErrors({ reason: '終結理由を選んでください。' });
      return;
    }
    const body = {
      reason,
      evaluations: goals.flatMap((g) => {
        const ev = evals[g.key];
        return ev?.outcome ? [{ goalKey: g.key, outcome: ev.outcome, why: ev.why.trim() }] : [];
      }),
      watchers: watchers.filter((w) => w.organizationId || w.how.trim()).map((w) => ({ organizationId: w.organizationId, how: w.how.trim() })),
      ...(recheckOn ? { recheckOn } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    const ok = await s.run(async () => {
      await api.post(`/cases/${seg(kase.id)}/termination`, body);
      return true;
    });
    if (ok) onDone('終結の評価を記録し、ケースを終結しました。');
  }

  const fieldId = (path: string): string | undefined => {
    if (path === 'reason') return 'term-reason';
    if (path === 'recheckOn') return 'term-recheck';
    if (path === 'note') return 'term-note';
    if (path.startsWith('evaluations')) {
      const m = /^evaluations\.(\d+)/.exec(path);
      const g = m ? goals[Number(m[1])] : goals[0];
      return g ? `term-goal-${g.key}` : 'term-evaluations';
    }
    if (path.startsWith('watchers')) return 'term-watchers';
    return undefined;
  };
  const evaluationErrors = Object.entries(s.errors)
    .filter(([k]) => k.startsWith('evaluations'))
    .map(([, v]) => v);
  const watcherErrors = Object.entries(s.errors)
    .filter(([k]) => k.startsWith('watchers'))
    .map(([, v]) => v);

  return (
    <form onSubmit={submit} noValidate className="card bg-blue-50" aria-labelledby="termination-form-heading" data-testid="termination-form">
      <h3 id="termination-form-heading" className="mb-2 text-std-20B-150">
        終結の評価を記録して終結する
      </h3>
      <p className="mb-4 text-sm text-solid-gray-800">
        支援プランの目標ごとに評価と理由を記録します。見守りを続ける機関と再確認の時期も記録してください（死亡・転出を除く）。
      </p>
      <ErrorSummary
        detail={s.detail}
        errors={s.errors}
        fieldIdOf={fieldId}
        labelOf={(k) =>
          k === 'reason'
            ? '終結理由'
            : k.startsWith('evaluations')
              ? '目標の評価'
              : k.startsWith('watchers')
                ? '見守りを続ける機関'
                : k === 'recheckOn'
                  ? '再確認の時期'
                  : undefined
        }
        testId="termination-errors"
      />
      <SelectField
        id="term-reason"
        label="終結理由"
        required
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder="選択してください"
        options={codes.closingReasons.map((c) => ({ value: c.code, label: c.ja }))}
        error={s.errors.reason}
        className="mb-5 max-w-md"
      />
      <fieldset
        id="term-evaluations"
        tabIndex={-1}
        className="mb-6 rounded-8 border border-solid-gray-420 bg-white p-4"
        data-testid="termination-goals"
        aria-describedby={evaluationErrors.length ? 'term-evaluations-error' : undefined}
      >
        <legend className="px-1 text-std-18B-160 font-bold">目標ごとの評価</legend>
        {evaluationErrors.length > 0 && (
          <p id="term-evaluations-error" className="mb-2 font-bold text-red-900" data-testid="termination-evaluations-error">
            <span aria-hidden="true">！ </span>
            {evaluationErrors.join(' ')}
          </p>
        )}
        {goals.length === 0 && <p>支援プランに目標がありません。</p>}
        <ol className="grid gap-4">
          {goals.map((g, i) => (
            <li key={g.key} className="rounded-8 border border-solid-gray-200 p-3" data-testid="termination-goal" data-goal-key={g.key}>
              <p className="mb-2">
                <span className="font-bold">目標{i + 1}</span>
                <span className="ml-2 text-sm text-solid-gray-700">［{personLabel(g.personId, names)}］</span>
                <span className="block">{g.text}</span>
              </p>
              <div id={`term-goal-${g.key}`} tabIndex={-1}>
                <RadioGroup
                  legend={`目標${i + 1}の評価`}
                  name={`term-outcome-${g.key}`}
                  required
                  value={evals[g.key]?.outcome ?? ''}
                  onChange={(v) => setEvals((cur) => ({ ...cur, [g.key]: { outcome: v, why: cur[g.key]?.why ?? '' } }))}
                  options={GOAL_OUTCOMES.map((o) => ({ value: o.code, label: o.ja }))}
                  error={s.errors[`evaluations.${i}.outcome`]}
                />
              </div>
              <TextAreaField
                id={`term-why-${g.key}`}
                label={`目標${i + 1}の評価の理由`}
                required
                rows={2}
                value={evals[g.key]?.why ?? ''}
                onChange={(e) => setEvals((cur) => ({ ...cur, [g.key]: { outcome: cur[g.key]?.outcome ?? '', why: e.target.value } }))}
                error={s.errors[`evaluations.${i}.why`]}
              />
            </li>
          ))}
        </ol>
      </fieldset>
      <fieldset
        id="term-watchers"
        tabIndex={-1}
        className="mb-6 rounded-8 border border-solid-gray-420 bg-white p-4"
        data-testid="termination-watchers-form"
        aria-describedby={watcherErrors.length ? 'term-watchers-error' : undefined}
      >
        <legend className="px-1 text-std-18B-160 font-bold">見守りを続ける機関{noWatchNeeded ? '（この理由では任意）' : ''}</legend>
        {watcherErrors.length > 0 && (
          <p id="term-watchers-error" className="mb-2 font-bold text-red-900" data-testid="termination-watchers-error">
            <span aria-hidden="true">！ </span>
            {watcherErrors.join(' ')}
          </p>
        )}
        <ul className="grid gap-3">
          {watchers.map((w, i) => (
            <li key={w.id} className="grid items-end gap-x-4 rounded-8 border border-solid-gray-200 p-3 md:grid-cols-[1fr_2fr_auto]" data-testid="watcher-row">
              <SelectField
                id={`term-watcher-${w.id}-org`}
                label={`機関（${i + 1}行目）`}
                bare
                className="mb-2"
                value={w.organizationId}
                onChange={(e) => setWatchers((rows) => rows.map((x) => (x.id === w.id ? { ...x, organizationId: e.target.value } : x)))}
                placeholder="選択してください"
                options={orgOptions}
              />
              <TextAreaField
                id={`term-watcher-${w.id}-how`}
                label={`見守りの方法（${i + 1}行目）`}
                bare
                className="mb-2"
                rows={1}
                value={w.how}
                onChange={(e) => setWatchers((rows) => rows.map((x) => (x.id === w.id ? { ...x, how: e.target.value } : x)))}
              />
              <button
                type="button"
                className="btn btn-danger btn-sm mb-2"
                onClick={() => setWatchers((rows) => rows.filter((x) => x.id !== w.id))}
                aria-label={`見守り機関の${i + 1}行目を削除`}
              >
                削除
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="btn btn-secondary btn-sm mt-3"
          data-testid="watcher-add"
          onClick={() => {
            setWatchers((rows) => [...rows, { id: nextId, organizationId: '', how: '' }]);
            setNextId((n) => n + 1);
          }}
        >
          機関を追加
        </button>
      </fieldset>
      <TextField
        id="term-recheck"
        type="date"
        label="再確認の時期"
        required={!noWatchNeeded}
        value={recheckOn}
        onChange={(e) => setRecheckOn(e.target.value)}
        error={s.errors.recheckOn}
        inputClassName="max-w-xs"
      />
      <TextAreaField id="term-note" label="メモ" rows={2} value={note} onChange={(e) => setNote(e.target.value)} error={s.errors.note} />
      <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="termination-submit">
        終結する
      </button>
    </form>
  );
}

interface ProblemRow {
  id: number;
  personId: string;
  type: string;
  note: string;
}

function ReopenForm({ kase, members, onDone }: { kase: LifecycleProps['kase']; members: CaseMember[]; onDone: (msg: string) => void }) {
  const codes = useCodeLists();
  const s = useSubmit();
  const [open, setOpen] = useState(false);
  const [rows, setRows] = useState<ProblemRow[]>([{ id: 0, personId: '', type: '', note: '' }]);
  const [nextId, setNextId] = useState(1);
  const [note, setNote] = useState('');

  if (!open)
    return (
      <button type="button" className="btn btn-secondary print:hidden" onClick={() => setOpen(true)} data-testid="reopen-open">
        新たな課題でケースを再開
      </button>
    );

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    rows.forEach((r, i) => {
      if (!r.personId || !r.type) local[`problems.${i}`] = '世帯員と課題の種類を選んでください。';
    });
    if (!note.trim()) local.note = '再開の理由を入力してください。';
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const body = {
      problems: rows.map((r) => ({ personId: r.personId, type: r.type, ...(r.note.trim() ? { note: r.note.trim() } : {}) })),
      note: note.trim(),
    };
    const ok = await s.run(async () => {
      await api.post(`/cases/${seg(kase.id)}/reopen`, body);
      return true;
    });
    if (ok) onDone('ケースを再開しました。');
  }

  return (
    <form onSubmit={submit} noValidate className="card bg-orange-50" aria-labelledby="reopen-heading" data-testid="reopen-form">
      <h3 id="reopen-heading" className="mb-2 text-std-20B-150">
        ケースを再開
      </h3>
      <ErrorSummary
        detail={s.detail}
        errors={s.errors}
        fieldIdOf={(k) => {
          const m = /^problems\.(\d+)/.exec(k);
          if (m) return `reopen-${rows[Number(m[1])]?.id}-person`;
          return k === 'note' ? 'reopen-note' : undefined;
        }}
        testId="reopen-errors"
      />
      <fieldset className="mb-5">
        <legend className="mb-1 font-bold">新たな課題</legend>
        <ul className="grid gap-3">
          {rows.map((r, i) => (
            <li
              key={r.id}
              className="grid items-end gap-x-4 rounded-8 border border-solid-gray-200 bg-white p-3 md:grid-cols-[1fr_1fr_2fr_auto]"
              data-testid="reopen-problem"
            >
              <SelectField
                id={`reopen-${r.id}-person`}
                label={`世帯員（${i + 1}行目）`}
                bare
                className="mb-2"
                value={r.personId}
                onChange={(e) => setRows((xs) => xs.map((x) => (x.id === r.id ? { ...x, personId: e.target.value } : x)))}
                placeholder="選択してください"
                options={members.map((m) => ({ value: m.personId, label: fullName(m) }))}
                error={s.errors[`problems.${i}`] ?? s.errors[`problems.${i}.personId`]}
              />
              <SelectField
                id={`reopen-${r.id}-type`}
                label={`課題の種類（${i + 1}行目）`}
                bare
                className="mb-2"
                value={r.type}
                onChange={(e) => setRows((xs) => xs.map((x) => (x.id === r.id ? { ...x, type: e.target.value } : x)))}
                placeholder="選択してください"
                options={codes.problemTypes.map((p) => ({ value: p.code, label: p.ja }))}
                error={s.errors[`problems.${i}.type`]}
              />
              <TextAreaField
                id={`reopen-${r.id}-note`}
                label={`内容（${i + 1}行目）`}
                bare
                className="mb-2"
                rows={1}
                value={r.note}
                onChange={(e) => setRows((xs) => xs.map((x) => (x.id === r.id ? { ...x, note: e.target.value } : x)))}
              />
              <button
                type="button"
                className="btn btn-danger btn-sm mb-2"
                onClick={() => setRows((xs) => xs.filter((x) => x.id !== r.id))}
                aria-label={`課題の${i + 1}行目を削除`}
                disabled={rows.length === 1}
              >
                削除
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="btn btn-secondary btn-sm mt-3"
          onClick={() => {
            setRows((xs) => [...xs, { id: nextId, personId: '', type: '', note: '' }]);
            setNextId((n) => n + 1);
          }}
        >
          課題を追加
        </button>
      </fieldset>
      <TextAreaField id="reopen-note" label="再開の理由" required rows={2} value={note} onChange={(e) => setNote(e.target.value)} error={s.errors.note} />
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="reopen-submit">
          再開する
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => setOpen(false)}>
          キャンセル
        </button>
      </div>
    </form>
  );
}
