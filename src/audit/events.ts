/**
 * The closed list of audit event types (ENTITY_VERB_PAST). Every read, write, search and
 * denial of personal data writes one of these (product rule 6).
 *
 * Stored payloads are permanent: a type or payload field, once written, must stay readable.
 * Payloads carry ids and field names only — never names, addresses or record text.
 */
export const AUDIT_EVENT_TYPES = {
  USER_SIGNED_IN: 'ログインしました',
  USER_SIGN_IN_FAILED: 'ログインに失敗しました',
  USER_SIGNED_OUT: 'ログアウトしました',
  API_TOKEN_ISSUED: 'APIトークンを発行しました',
  USER_SECOND_FACTOR_ENABLED: '二要素認証を有効にしました',
  USER_SECOND_FACTOR_RESET: '二要素認証をリセットしました',
  SETTINGS_CHANGED: '自治体の設定を変更しました',
  ORGANIZATION_CREATED: '関係機関を登録しました',
  USER_CREATED: '利用者を登録しました',
  USER_DISABLED: '利用者を無効にしました',
  USER_ROLES_CHANGED: '利用者の役割を変更しました',
  PERSON_CREATED: '本人・世帯員を登録しました',
  PERSON_VIEWED: '本人・世帯員を閲覧しました',
  PERSONS_SEARCHED: '本人・世帯員を検索しました',
  HOUSEHOLD_CREATED: '世帯を登録しました',
  HOUSEHOLD_VIEWED: '世帯を閲覧しました',
  CASE_OPENED: 'ケースを受け付けました',
  CASE_VIEWED: 'ケースを閲覧しました',
  CASES_LISTED: 'ケース一覧を閲覧しました',
  CASE_TEAM_MEMBER_ADDED: '支援チームに関係機関を加えました',
  CASE_TEAM_MEMBER_REMOVED: '支援チームから関係機関を外しました',
  CASE_STATUS_CHANGED: 'ケースの状態を変更しました',
  CASE_BREAK_GLASS_OPENED: '緊急時の閲覧（ブレイクグラス）を開始しました',
  CONSENT_RECORDED: '本人同意を記録しました',
  CONSENT_WITHDRAWN: '本人同意の撤回を記録しました',
  CONSENTS_VIEWED: '本人同意を閲覧しました',
  RECORD_ADDED: '支援記録を追加しました',
  RECORDS_VIEWED: '支援記録を閲覧しました',
  CONVENING_REQUESTED: '会議の開催を依頼しました（受付表）',
  CONVENING_REQUEST_FORWARDED: '会議の開催依頼を総括者に送りました',
  CONVENING_REQUESTS_VIEWED: '会議の開催依頼を閲覧しました',
  MEETING_CONVENED: '会議を招集しました',
  MEETINGS_LISTED: '会議の一覧を閲覧しました',
  MEETING_VIEWED: '会議の概要を閲覧しました',
  MEETING_MEMBER_ADDED: '会議の構成員を追加しました',
  MEETING_MEMBER_REMOVED: '会議の構成員を外しました',
  MEETING_CASE_ADDED: '会議の議題にケースを加えました',
  MEETING_CASE_EXCLUSION_ADDED: '構成員を議題のケースから除外しました',
  MEETING_CASE_EXCLUSION_REMOVED: '議題のケースからの除外を解除しました',
  MEETING_ACKNOWLEDGED: '守秘義務を確認しました',
  MEETING_MATERIALS_TABLED: '会議に資料を提出しました',
  MEETING_MATERIALS_OPENED: '会議資料を閲覧しました',
  MEETING_MINUTES_RECORDED: '会議記録を作成しました',
  MEETING_MINUTES_SIGNED: '会議記録を確定しました',
  MEETING_MINUTES_VIEWED: '会議記録を閲覧しました',
  TASK_ASSIGNED: '役割分担（タスク）を割り当てました',
  TASK_STATUS_CHANGED: 'タスクの状況を更新しました',
  TASKS_VIEWED: 'タスクを閲覧しました',
  FORM_EXPORTED: '帳票を出力しました',
  INFORMATION_REQUESTED: '情報提供を求めました（支援会議）',
  INFORMATION_REQUESTS_VIEWED: '情報提供の求めを閲覧しました',
  INFORMATION_REQUEST_ANSWERED: '情報提供の求めに回答しました',
  HONORARIUM_RECORDED: '謝金を記録しました',
  ASSESSMENT_RECORDED: 'アセスメントを記録しました',
  ASSESSMENT_VIEWED: 'アセスメントを閲覧しました',
  PLAN_DRAFTED: '支援プランを作成しました',
  PLAN_VIEWED: '支援プランを閲覧しました',
  PLAN_SUBMITTED: '支援プランの承認を依頼しました',
  PLAN_APPROVED: '支援プランを承認しました（重層的支援会議）',
  MONITORING_RECORDED: 'モニタリングを記録しました',
  MONITORING_VIEWED: 'モニタリングを閲覧しました',
  ADVISOR_PROFILE_SAVED: 'アドバイザー名簿を更新しました',
  ADVICE_REQUESTED: 'アドバイザーに相談しました',
  ADVICE_REQUESTS_VIEWED: 'アドバイザーへの相談を閲覧しました',
  ADVICE_ANSWERED: 'アドバイザーが回答しました',
  CASE_TERMINATED: '終結評価を記録し、ケースを終結しました',
  TERMINATION_VIEWED: '終結評価を閲覧しました',
  CASE_REOPENED: 'ケースを再開しました',
  CASE_DIAGRAM_VIEWED: '家族構成図・エコマップを閲覧しました',
  DASHBOARD_VIEWED: 'ダッシュボードを閲覧しました',
  ACCESS_DENIED: 'アクセスが拒否されました',
  BULK_IMPORTED: 'データを一括で取り込みました',
  AUDIT_LOG_VIEWED: 'アクセス履歴を閲覧しました',
  AUDIT_CHAIN_VERIFIED: '監査ログの完全性を検証しました',
} as const;

export type AuditEventType = keyof typeof AUDIT_EVENT_TYPES;
export type AuditOutcome = 'success' | 'denied' | 'failure';

/** A legal basis of a disclosure (rule 9): why this organization was allowed to see this. */
export type LegalBasis =
  | { ground: 'own_work' }
  | { ground: 'team'; caseId: string; teamBasis: string }
  | { ground: 'lead'; caseId: string }
  | { ground: 'consent'; consentId: string }
  | { ground: 'coordinator_index' }
  | { ground: 'break_glass'; grantId: string }
  /** An acknowledged member of a meeting, under the meeting's legal basis (e.g. art106-6). */
  | { ground: 'meeting'; meetingId: string; legalBasis: string }
  /** An agency asked by a 支援会議 for information about a person (情報提供の求め). */
  | { ground: 'request'; requestId: string; meetingId: string }
  /** An organization assigned a task by a meeting (役割分担). */
  | { ground: 'task'; taskId: string }
  /** An advisor reading what an advice request tabled for them (on consent, or a 支援会議 decision). */
  | { ground: 'advice_request'; requestId: string; meetingId: string | null }
  | { ground: 'role'; role: string };

export interface ActorSnapshot {
  userId: string | null;
  loginId: string | null;
  displayName: string | null;
  organizationId: string | null;
  organizationName: string | null;
  roles: string[];
}

export interface AuditEventInput {
  type: AuditEventType;
  outcome?: AuditOutcome;
  personId?: string | null;
  caseId?: string | null;
  subjectType?: string | null;
  subjectId?: string | null;
  basis?: LegalBasis[];
  payload?: Record<string, unknown>;
}

/** Where an event happened: the actor and the request, filled in by the HTTP layer. */
export interface AuditContext {
  actor: ActorSnapshot;
  requestId: string | null;
  ip: string | null;
}

export const SYSTEM_CONTEXT: AuditContext = {
  actor: { userId: null, loginId: 'system', displayName: 'システム', organizationId: null, organizationName: null, roles: [] },
  requestId: null,
  ip: null,
};
