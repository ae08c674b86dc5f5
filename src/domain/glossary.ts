/**
 * One English name per domain term (docs/ARCHITECTURE.md has the full table).
 *
 * Organization = 関係機関, User = 利用者, Person = 本人・世帯員, Household = 世帯,
 * HouseholdMember = 世帯員 (with Relationship = 続柄, KeyPerson = キーパーソン),
 * Case = 相談・ケース, Problem = 課題, CaseTeam = 支援チーム (lead = 主担当),
 * ReferralRoute = 相談経路, Consent = 本人同意, Record = 支援記録
 * (classification: normal = 通常, sensitive = 機微, tax = 税情報),
 * BreakGlass = 緊急時の閲覧 (緊急性がある事案), AuditEvent = 監査ログ,
 * SupportMeeting = 支援会議 (社会福祉法106条の6), MultilayerMeeting = 重層的支援会議,
 * CaseConference = 複合課題ケース検討会, SupportPlan = 支援プラン.
 */
export const CASE_STATUSES = ['intake', 'assessment', 'planning', 'in_support', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const URGENCIES = ['normal', 'high', 'urgent'] as const;
export const SEXES = ['male', 'female', 'other', 'unknown'] as const;
export const CONSENT_METHODS = ['written', 'oral', 'electronic'] as const;
export const GIVEN_BY_RELATIONS = ['self', 'parent', 'guardian', 'other'] as const;
export const RECORD_CLASSIFICATIONS = ['normal', 'sensitive', 'tax'] as const;
export const TEAM_BASES = ['referral', 'consent', 'meeting'] as const;
