/**
 * Labels of the support lifecycle (issue 5), copied from src/domain/lifecycle.ts: the web
 * bundle does not import the server's zod schemas. The codes are the API's stable values.
 */

/** アセスメントの領域 (after the national assessment sheets). */
export const ASSESSMENT_DOMAINS = [
  { code: 'health', ja: '健康・医療' },
  { code: 'care', ja: '介護・日常生活動作' },
  { code: 'disability', ja: '障害' },
  { code: 'mentalHealth', ja: '精神保健・こころの状態' },
  { code: 'money', ja: '家計・収入・債務' },
  { code: 'housing', ja: '住まい' },
  { code: 'work', ja: '就労' },
  { code: 'school', ja: '就学・学校' },
  { code: 'socialTies', ja: '社会とのつながり・孤立' },
  { code: 'safety', ja: '安全・虐待のサイン' },
  { code: 'wishes', ja: '本人の思い・希望' },
] as const;

export const PLAN_STATUS_LABELS: Record<string, string> = {
  draft: '作成中',
  submitted: '承認待ち',
  approved: '承認済み',
  superseded: '改訂済み',
};

export function planStatusTone(status: string): 'yellow' | 'orange' | 'green' | 'gray' {
  return status === 'draft' ? 'yellow' : status === 'submitted' ? 'orange' : status === 'approved' ? 'green' : 'gray';
}

export const MONITORING_STATUSES = [
  { code: 'done', ja: '完了' },
  { code: 'in_progress', ja: '実施中' },
  { code: 'stalled', ja: '停滞' },
  { code: 'new_problem', ja: '新たな課題' },
] as const;

export const MONITORING_LABELS: Record<string, string> = Object.fromEntries(MONITORING_STATUSES.map((s) => [s.code, s.ja]));

export function monitoringTone(status: string): 'green' | 'blue' | 'red' | 'orange' | 'gray' {
  return status === 'done' ? 'green' : status === 'in_progress' ? 'blue' : status === 'stalled' ? 'red' : status === 'new_problem' ? 'orange' : 'gray';
}

export const GOAL_OUTCOMES = [
  { code: 'achieved', ja: '達成' },
  { code: 'partly', ja: '一部達成' },
  { code: 'not_achieved', ja: '未達成' },
] as const;

export const OUTCOME_LABELS: Record<string, string> = Object.fromEntries(GOAL_OUTCOMES.map((s) => [s.code, s.ja]));

/** Reasons for which nobody can keep watching the household (no 見守り required). */
export const REASONS_WITHOUT_WATCH = ['deceased', 'moved_out'];

/** 複合課題解決アドバイザーの分野. */
export const ADVISOR_FIELDS = ['医療', '高齢者福祉', '障害福祉', '保健', '精神保健', '生活保護', '児童福祉', '生活困窮', '法律', '就労', '住まい'] as const;

export const ADVICE_PARTS = [
  { code: 'core', ja: 'ケースの概要（世帯・課題・関係機関）' },
  { code: 'assessment', ja: '最新のアセスメント' },
  { code: 'plan', ja: '現在の支援プラン' },
] as const;

export const ADVICE_PART_LABELS: Record<string, string> = { core: 'ケースの概要', assessment: 'アセスメント', plan: '支援プラン' };

export const ADVICE_STATUS_LABELS: Record<string, string> = { open: '回答待ち', answered: '回答済み' };

export const DIFF_CHANGE_LABELS: Record<string, string> = { added: '追加', removed: '削除', changed: '変更' };
export const DIFF_KIND_LABELS: Record<string, string> = { member: '見立て', goal: '目標', action: '支援内容' };

/** A short random key for a new goal or action (kept from version to version). */
export function newKey(prefix: string): string {
  const rand = Math.random().toString(36).slice(2, 8);
  return `${prefix}-${rand}`;
}

/** An author as text: 相沢 遥（デモ市 福祉総合相談課）. */
export function authorText(a: { displayName?: string; organizationName?: string } | string | null | undefined): string {
  if (!a) return '—';
  if (typeof a === 'string') return a;
  return a.organizationName ? `${a.displayName ?? ''}（${a.organizationName}）` : (a.displayName ?? '—');
}
