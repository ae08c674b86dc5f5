/** The readable plan diff: changes told as changes, by key, dates in 和暦. */
import { describe, expect, it } from 'vitest';
import { type DiffablePlan, diffPlans } from './planDiff.ts';

const base: DiffablePlan = {
  members: [{ personId: 'p1', name: '髙橋 誠', view: '関係づくりから' }],
  goals: [
    { key: 'g1', personId: 'p1', personName: '髙橋 誠', text: '週1回外出する' },
    { key: 'g2', personId: null, personName: null, text: '家計を立て直す' },
  ],
  actions: [{ key: 'a1', goalKey: 'g1', personName: '髙橋 誠', text: '訪問', organizationName: '包括', startOn: '2026-04-01', reviewOn: '2026-05-01' }],
};

describe('diffPlans', () => {
  it('nothing changed: no changes', () => {
    expect(diffPlans(base, base)).toEqual([]);
  });

  it('a changed goal, a moved review date and a new organization read as changes of the same keys', () => {
    const after: DiffablePlan = {
      ...base,
      goals: [{ ...base.goals[0]!, text: '週2回外出する' }, base.goals[1]!],
      actions: [{ ...base.actions[0]!, reviewOn: '2026-06-01', organizationName: 'NPO' }],
    };
    const changes = diffPlans(base, after);
    expect(changes.map((c) => [c.kind, c.change, c.key])).toEqual([
      ['goal', 'changed', 'g1'],
      ['action', 'changed', 'a1'],
    ]);
    expect(changes[0]!.summary).toBe('髙橋 誠さんの目標を変更：「週1回外出する」→「週2回外出する」');
    expect(changes[1]!.summary).toContain('見直し日：令和8年5月1日 → 令和8年6月1日');
    expect(changes[1]!.summary).toContain('担当機関：包括 → NPO');
  });

  it('added and removed members, goals and actions', () => {
    const after: DiffablePlan = {
      members: [{ personId: 'p2', name: '髙橋 正雄', view: '退院支援' }],
      goals: [{ key: 'g3', personId: null, personName: null, text: '地域とつながる' }],
      actions: [{ key: 'a2', goalKey: 'g3', personName: null, text: 'サロンの紹介', organizationName: '社協', startOn: '2026-04-01', reviewOn: '2026-05-01' }],
    };
    const changes = diffPlans(base, after);
    expect(changes.map((c) => `${c.kind}:${c.change}:${c.key}`).sort()).toEqual(
      ['member:added:p2', 'member:removed:p1', 'goal:added:g3', 'goal:removed:g1', 'goal:removed:g2', 'action:added:a2', 'action:removed:a1'].sort(),
    );
    expect(changes.find((c) => c.key === 'g3')!.summary).toBe('世帯の目標を追加：「地域とつながる」');
  });
});
