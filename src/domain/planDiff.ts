/**
 * A readable difference between two versions of a household plan: what a meeting chair asks
 * when a revised plan comes back ("what changed since we approved it?"). Goals and actions
 * keep their keys from version to version, so a change is told as a change, not as a removal
 * and an addition. Dates read in 和暦, as the staff write them.
 */
import { formatWareki } from '../ja/wareki.ts';

export interface DiffablePlan {
  members: { personId: string; name: string; view: string }[];
  goals: { key: string; personId: string | null; personName: string | null; text: string }[];
  actions: {
    key: string;
    goalKey: string | null;
    personName: string | null;
    text: string;
    organizationName: string;
    startOn: string;
    reviewOn: string;
  }[];
}

export interface PlanChange {
  kind: 'member' | 'goal' | 'action';
  change: 'added' | 'removed' | 'changed';
  key: string;
  /** One Japanese sentence for the reader. */
  summary: string;
  fields?: string[];
  before?: unknown;
  after?: unknown;
}

const ACTION_FIELD_LABELS: Record<string, string> = {
  text: '内容',
  organizationName: '担当機関',
  startOn: '開始日',
  reviewOn: '見直し日',
  goalKey: '目標',
  personName: '対象者',
};

function changedFields<T extends Record<string, unknown>>(a: T, b: T, fields: (keyof T & string)[]): string[] {
  return fields.filter((f) => a[f] !== b[f]);
}

const short = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

export function diffPlans(before: DiffablePlan, after: DiffablePlan): PlanChange[] {
  const changes: PlanChange[] = [];

  const membersBefore = new Map(before.members.map((m) => [m.personId, m]));
  const membersAfter = new Map(after.members.map((m) => [m.personId, m]));
  for (const [personId, m] of membersAfter) {
    const old = membersBefore.get(personId);
    if (!old) changes.push({ kind: 'member', change: 'added', key: personId, summary: `${m.name}さんの見立てを追加`, after: m });
    else if (old.view !== m.view)
      changes.push({ kind: 'member', change: 'changed', key: personId, summary: `${m.name}さんの見立てを変更`, fields: ['view'], before: old, after: m });
  }
  for (const [personId, m] of membersBefore) {
    if (!membersAfter.has(personId)) changes.push({ kind: 'member', change: 'removed', key: personId, summary: `${m.name}さんの見立てを削除`, before: m });
  }

  const goalsBefore = new Map(before.goals.map((g) => [g.key, g]));
  const goalsAfter = new Map(after.goals.map((g) => [g.key, g]));
  const whose = (g: { personName: string | null }) => (g.personName ? `${g.personName}さんの` : '世帯の');
  for (const [key, g] of goalsAfter) {
    const old = goalsBefore.get(key);
    if (!old) changes.push({ kind: 'goal', change: 'added', key, summary: `${whose(g)}目標を追加：「${short(g.text)}」`, after: g });
    else if (old.text !== g.text || old.personId !== g.personId)
      changes.push({
        kind: 'goal',
        change: 'changed',
        key,
        summary: `${whose(g)}目標を変更：「${short(old.text)}」→「${short(g.text)}」`,
        fields: changedFields(old, g, ['text', 'personId']),
        before: old,
        after: g,
      });
  }
  for (const [key, g] of goalsBefore) {
    if (!goalsAfter.has(key)) changes.push({ kind: 'goal', change: 'removed', key, summary: `${whose(g)}目標を削除：「${short(g.text)}」`, before: g });
  }

  const actionsBefore = new Map(before.actions.map((a) => [a.key, a]));
  const actionsAfter = new Map(after.actions.map((a) => [a.key, a]));
  for (const [key, a] of actionsAfter) {
    const old = actionsBefore.get(key);
    if (!old) {
      changes.push({ kind: 'action', change: 'added', key, summary: `支援を追加：「${short(a.text)}」（${a.organizationName}）`, after: a });
      continue;
    }
    const fields = changedFields(old, a, ['text', 'organizationName', 'startOn', 'reviewOn', 'goalKey', 'personName']);
    if (fields.length === 0) continue;
    const parts = fields.map((f) => {
      const label = ACTION_FIELD_LABELS[f] ?? f;
      if (f === 'text' || f === 'goalKey') return `${label}を変更`;
      const show = (v: string | null) => (!v ? '—' : f === 'startOn' || f === 'reviewOn' ? formatWareki(v) : v);
      return `${label}：${show(old[f as 'organizationName'])} → ${show(a[f as 'organizationName'])}`;
    });
    changes.push({ kind: 'action', change: 'changed', key, summary: `支援「${short(a.text)}」：${parts.join('、')}`, fields, before: old, after: a });
  }
  for (const [key, a] of actionsBefore) {
    if (!actionsAfter.has(key))
      changes.push({ kind: 'action', change: 'removed', key, summary: `支援を削除：「${short(a.text)}」（${a.organizationName}）`, before: a });
  }
  return changes;
}
