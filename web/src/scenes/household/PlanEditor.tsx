import { type FormEvent, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { CaseDetail, CaseMember, PlanView } from '../../api/types.ts';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/form.tsx';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { todayInTokyo } from '../../lib/dates.ts';
import { newKey } from '../../lib/lifecycle.ts';
import { fullName } from './common.ts';
import { teamOptions } from './lifecycleCommon.tsx';

interface GoalRow {
  key: string;
  personId: string;
  text: string;
}

interface ActionRowState {
  key: string;
  goalKey: string;
  personId: string;
  text: string;
  organizationId: string;
  startOn: string;
  reviewOn: string;
}

function plusMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/**
 * A new version of the household plan, prefilled from the current one. Goals and actions keep
 * their keys from version to version, so the diff can say what changed rather than "all new".
 */
export function PlanEditor({
  kase,
  members,
  previous,
  onCancel,
  onDone,
}: {
  kase: CaseDetail;
  members: CaseMember[];
  names: Map<string, string>;
  previous: PlanView | null;
  onCancel: () => void;
  onDone: (v: PlanView) => void;
}) {
  const s = useSubmit();
  const today = todayInTokyo();
  const [views, setViews] = useState<Record<string, string>>(() =>
    Object.fromEntries(members.map((m) => [m.personId, previous?.members.find((p) => p.personId === m.personId)?.view ?? ''])),
  );
  const [goals, setGoals] = useState<GoalRow[]>(() =>
    previous && previous.goals.length > 0
      ? previous.goals.map((g) => ({ key: g.key, personId: g.personId ?? '', text: g.text }))
      : [{ key: newKey('g'), personId: '', text: '' }],
  );
  const [actions, setActions] = useState<ActionRowState[]>(() =>
    (previous?.actions ?? [])
      .filter((a) => a.source !== 'meeting')
      .map((a) => ({
        key: a.key,
        goalKey: a.goalKey ?? '',
        personId: a.personId ?? '',
        text: a.text,
        organizationId: a.organizationId,
        startOn: a.startOn,
        reviewOn: a.reviewOn ?? '',
      })),
  );
  const [changeNote, setChangeNote] = useState('');
  const memberOptions = [{ value: '', label: '世帯全体' }, ...members.map((m) => ({ value: m.personId, label: fullName(m) }))];
  const orgOptions = teamOptions(kase);
  const goalOptions = goals.map((g, i) => ({ value: g.key, label: `目標${i + 1}${g.text ? `：${g.text.slice(0, 30)}` : ''}` }));

  const setGoal = (key: string, patch: Partial<GoalRow>) => setGoals((rows) => rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const setAction = (key: string, patch: Partial<ActionRowState>) => setActions((rows) => rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    goals.forEach((g, i) => {
      if (!g.text.trim()) local[`goals.${i}.text`] = '目標を入力してください。';
    });
    if (goals.length === 0) local.goals = '目標を1つ以上入力してください。';
    actions.forEach((a, i) => {
      if (!a.text.trim()) local[`actions.${i}.text`] = '支援内容を入力してください。';
      if (!a.organizationId) local[`actions.${i}.organizationId`] = '担当機関を選んでください。';
      if (!a.startOn) local[`actions.${i}.startOn`] = '開始日を入力してください。';
      if (!a.reviewOn) local[`actions.${i}.reviewOn`] = '見直し日を入力してください。';
      else if (a.startOn && a.reviewOn < a.startOn) local[`actions.${i}.reviewOn`] = '見直し日は開始日以降にしてください。';
    });
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const body = {
      members: members.flatMap((m) => (views[m.personId]?.trim() ? [{ personId: m.personId, view: views[m.personId]!.trim() }] : [])),
      goals: goals.map((g) => ({ key: g.key, ...(g.personId ? { personId: g.personId } : {}), text: g.text.trim() })),
      actions: actions.map((a) => ({
        key: a.key,
        ...(a.goalKey ? { goalKey: a.goalKey } : {}),
        ...(a.personId ? { personId: a.personId } : {}),
        text: a.text.trim(),
        organizationId: a.organizationId,
        startOn: a.startOn,
        reviewOn: a.reviewOn,
      })),
      ...(changeNote.trim() ? { changeNote: changeNote.trim() } : {}),
    };
    const created = await s.run(() => api.post<PlanView>(`/cases/${seg(kase.id)}/plans`, body));
    if (created) onDone(created);
  }

  const fieldId = (path: string): string | undefined => {
    const g = /^goals\.(\d+)\.(\w+)/.exec(path);
    if (g) return `plan-goal-${goals[Number(g[1])]?.key}-${g[2] === 'personId' ? 'person' : 'text'}`;
    const a = /^actions\.(\d+)\.(\w+)/.exec(path);
    if (a) return `plan-action-${actions[Number(a[1])]?.key}-${a[2]}`;
    const m = /^members\.(\d+)/.exec(path);
    if (m) return `plan-view-${members[Number(m[1])]?.personId}`;
    return path === 'changeNote' ? 'plan-change-note' : undefined;
  };
  const err = (path: string) => s.errors[path];

  return (
    <form onSubmit={submit} noValidate className="card mb-6 bg-blue-50" aria-labelledby="plan-form-heading" data-testid="plan-form">
      <h3 id="plan-form-heading" className="mb-2 text-std-20B-150">
        支援プラン{previous ? `（第${previous.version + 1}版・第${previous.version}版から改訂）` : '（第1版）'}
      </h3>
      <p className="mb-4 text-sm text-solid-gray-800">
        保存すると「作成中」の新しい版になります。承認の依頼は保存の後に行います。会議の役割分担から入った支援内容はそのまま引き継がれます。
      </p>
      <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={fieldId} testId="plan-errors" />

      <fieldset className="mb-6 rounded-8 border border-solid-gray-420 bg-white p-4">
        <legend className="px-1 text-std-18B-160 font-bold">支援の見立て（世帯員ごと）</legend>
        {members.map((m) => (
          <TextAreaField
            key={m.personId}
            id={`plan-view-${m.personId}`}
            label={`${fullName(m)}の見立て`}
            rows={2}
            value={views[m.personId] ?? ''}
            onChange={(e) => setViews((v) => ({ ...v, [m.personId]: e.target.value }))}
            error={err(`members.${members.indexOf(m)}.view`)}
          />
        ))}
      </fieldset>

      <fieldset className="mb-6 rounded-8 border border-solid-gray-420 bg-white p-4" data-testid="plan-form-goals">
        <legend className="px-1 text-std-18B-160 font-bold">目標</legend>
        {err('goals') && <p className="mb-2 font-bold text-red-900">{err('goals')}</p>}
        <ol className="grid gap-3">
          {goals.map((g, i) => (
            <li
              key={g.key}
              className="grid items-start gap-x-4 rounded-8 border border-solid-gray-200 p-3 md:grid-cols-[12rem_1fr_auto]"
              data-testid="plan-goal-row"
            >
              <SelectField
                id={`plan-goal-${g.key}-person`}
                label={`目標${i + 1}の対象`}
                bare
                className="mb-2"
                value={g.personId}
                onChange={(e) => setGoal(g.key, { personId: e.target.value })}
                options={memberOptions}
                error={err(`goals.${i}.personId`)}
              />
              <TextAreaField
                id={`plan-goal-${g.key}-text`}
                label={`目標${i + 1}`}
                required
                className="mb-2"
                rows={2}
                value={g.text}
                onChange={(e) => setGoal(g.key, { text: e.target.value })}
                error={err(`goals.${i}.text`)}
              />
              <button
                type="button"
                className="btn btn-danger btn-sm mt-8"
                onClick={() => {
                  setGoals((rows) => rows.filter((r) => r.key !== g.key));
                  setActions((rows) => rows.map((a) => (a.goalKey === g.key ? { ...a, goalKey: '' } : a)));
                }}
                aria-label={`目標${i + 1}を削除`}
              >
                削除
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="btn btn-secondary btn-sm mt-3"
          data-testid="plan-goal-add"
          onClick={() => setGoals((rows) => [...rows, { key: newKey('g'), personId: '', text: '' }])}
        >
          目標を追加
        </button>
      </fieldset>

      <fieldset className="mb-6 rounded-8 border border-solid-gray-420 bg-white p-4" data-testid="plan-form-actions">
        <legend className="px-1 text-std-18B-160 font-bold">支援内容と役割分担</legend>
        <p className="mb-3 text-sm text-solid-gray-700">担当機関は支援チームの機関から選びます。</p>
        <ol className="grid gap-4">
          {actions.map((a, i) => (
            <li key={a.key} className="rounded-8 border border-solid-gray-200 p-3" data-testid="plan-action-form-row">
              <p className="mb-2 font-bold">支援内容{i + 1}</p>
              <TextAreaField
                id={`plan-action-${a.key}-text`}
                label={`支援内容${i + 1}の内容`}
                required
                rows={2}
                value={a.text}
                onChange={(e) => setAction(a.key, { text: e.target.value })}
                error={err(`actions.${i}.text`)}
              />
              <div className="grid gap-x-4 md:grid-cols-3">
                <SelectField
                  id={`plan-action-${a.key}-organizationId`}
                  label={`支援内容${i + 1}の担当機関`}
                  required
                  value={a.organizationId}
                  onChange={(e) => setAction(a.key, { organizationId: e.target.value })}
                  placeholder="選択してください"
                  options={orgOptions}
                  error={err(`actions.${i}.organizationId`)}
                />
                <SelectField
                  id={`plan-action-${a.key}-personId`}
                  label={`支援内容${i + 1}の対象`}
                  value={a.personId}
                  onChange={(e) => setAction(a.key, { personId: e.target.value })}
                  options={memberOptions}
                  error={err(`actions.${i}.personId`)}
                />
                <SelectField
                  id={`plan-action-${a.key}-goalKey`}
                  label={`支援内容${i + 1}の目標`}
                  value={a.goalKey}
                  onChange={(e) => setAction(a.key, { goalKey: e.target.value })}
                  placeholder="目標に結びつけない"
                  options={goalOptions}
                  error={err(`actions.${i}.goalKey`)}
                />
                <TextField
                  id={`plan-action-${a.key}-startOn`}
                  type="date"
                  label={`支援内容${i + 1}の開始日`}
                  required
                  value={a.startOn}
                  onChange={(e) => setAction(a.key, { startOn: e.target.value })}
                  error={err(`actions.${i}.startOn`)}
                />
                <TextField
                  id={`plan-action-${a.key}-reviewOn`}
                  type="date"
                  label={`支援内容${i + 1}の見直し日`}
                  required
                  value={a.reviewOn}
                  onChange={(e) => setAction(a.key, { reviewOn: e.target.value })}
                  error={err(`actions.${i}.reviewOn`)}
                />
                <div className="flex items-end pb-5">
                  <button
                    type="button"
                    className="btn btn-danger btn-sm"
                    onClick={() => setActions((rows) => rows.filter((r) => r.key !== a.key))}
                    aria-label={`支援内容${i + 1}を削除`}
                  >
                    削除
                  </button>
                </div>
              </div>
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="btn btn-secondary btn-sm mt-3"
          data-testid="plan-action-add"
          onClick={() =>
            setActions((rows) => [
              ...rows,
              {
                key: newKey('a'),
                goalKey: goals[goals.length - 1]?.key ?? '',
                personId: '',
                text: '',
                organizationId: '',
                startOn: today,
                reviewOn: plusMonths(today, 3),
              },
            ])
          }
        >
          支援内容を追加
        </button>
      </fieldset>

      {previous && (
        <TextAreaField
          id="plan-change-note"
          label="改訂の理由"
          rows={2}
          value={changeNote}
          onChange={(e) => setChangeNote(e.target.value)}
          error={err('changeNote')}
        />
      )}
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="plan-save">
          新しい版として保存する
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          キャンセル
        </button>
      </div>
    </form>
  );
}
