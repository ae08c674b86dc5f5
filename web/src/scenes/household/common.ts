import type { CaseDetail, CaseMember, HouseholdMember, Withheld } from '../../api/types.ts';

export function fullName(m: { familyName?: string; givenName?: string } | undefined): string {
  if (!m) return '（不明）';
  return [m.familyName, m.givenName].filter(Boolean).join(' ') || '（氏名なし）';
}

export function kanaName(m: { familyNameKana?: string; givenNameKana?: string }): string {
  return [m.familyNameKana, m.givenNameKana].filter(Boolean).join(' ');
}

/** Members of the selected case (with consent) merged over the household's members. */
export function mergeMembers(householdMembers: HouseholdMember[] | undefined, kase: CaseDetail | undefined): CaseMember[] {
  const fromCase = kase?.members ?? [];
  const byId = new Map<string, CaseMember>();
  for (const m of householdMembers ?? []) byId.set(m.personId, { ...m });
  for (const m of fromCase) byId.set(m.personId, { ...byId.get(m.personId), ...m });
  // Keep the household's order, then any case-only members.
  const order = [...(householdMembers ?? []).map((m) => m.personId), ...fromCase.map((m) => m.personId)];
  return [...new Set(order)].map((id) => byId.get(id)).filter((m): m is CaseMember => Boolean(m));
}

export function withheldOf(kase: CaseDetail | undefined, part: string): Withheld[] {
  return (kase?.withheld ?? []).filter((w) => w.part === part);
}

export const KNOWN_PARTS = ['summary', 'problems', 'composition', 'header'];

export const GROUND_LABELS: Record<string, string> = {
  own_work: '自機関の登録・記録',
  ownWork: '自機関の登録・記録',
  team: '支援チーム',
  lead: '主担当機関',
  referral: '支援チーム（紹介）',
  consent: '本人同意',
  meeting: '支援会議・会議決定',
  request: '依頼（助言・アウトリーチ）',
  coordinator: '相談支援包括化推進員（索引）',
  coordinator_index: '相談支援包括化推進員（索引）',
  index: '相談支援包括化推進員（索引）',
  break_glass: '緊急閲覧（ブレークグラス）',
  breakGlass: '緊急閲覧（ブレークグラス）',
};
