/**
 * Kysely table types. Columns are snake_case in SQL and camelCase here (CamelCasePlugin).
 * Common subset of SQLite and PostgreSQL: text ids, ISO-8601 UTC timestamps as text,
 * dates as YYYY-MM-DD text, JSON as text (validated on read), booleans as 0/1 integers.
 */
import type { Generated } from 'kysely';

export interface MunicipalityTable {
  id: string;
  name: string;
  isDemo: number;
  /** JSON array of roles that must use a second factor. */
  mfaRequiredRoles: Generated<string>;
  createdAt: string;
}

export interface OrganizationTable {
  id: string;
  name: string;
  kind: string;
  /** JSON array of 分野 (fields). An organization whose fields include 税務 writes only 税情報. */
  fields: string;
  area: string | null;
  createdAt: string;
}

export interface UserTable {
  id: string;
  loginId: string;
  displayName: string;
  organizationId: string;
  /** JSON array of role codes. */
  roles: string;
  passwordHash: string;
  /** Base32 TOTP secret once the second factor is enabled; the pending one until confirmed. */
  totpSecret: Generated<string | null>;
  totpPendingSecret: Generated<string | null>;
  totpEnabledAt: Generated<string | null>;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AuthSessionTable {
  /** SHA-256 of the secret the client holds; the secret itself is never stored. */
  tokenHash: string;
  userId: string;
  kind: 'session' | 'api';
  csrfTokenHash: string | null;
  createdAt: string;
  /** Browser sessions end after 30 idle minutes; this moves with each request. */
  lastSeenAt: string;
  expiresAt: string;
}

export interface LoginThrottleTable {
  /** "login:<loginId>" or "ip:<address>". */
  throttleKey: string;
  failures: number;
  lockedUntil: string | null;
  updatedAt: string;
}

export interface PersonTable {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  birthDate: string | null;
  sex: string | null;
  address: string | null;
  /** Drawn crossed in the genogram. */
  deceasedOn?: string | null;
  /** Search keys (NFKC, variant-folded, katakana): names stay exactly as entered. */
  nameKey: string;
  kanaKey: string;
  registeredByOrganizationId: string;
  createdByUserId: string;
  createdAt: string;
}

/** The substring index of person names: see substringSearchKeys in src/ja/searchKeys.ts. */
export interface PersonSearchKeyTable {
  key: string;
  personId: string;
}

export interface HouseholdTable {
  id: string;
  name: string | null;
  address: string | null;
  createdByOrganizationId: string;
  createdByUserId: string;
  createdAt: string;
}

export interface HouseholdMemberTable {
  householdId: string;
  personId: string;
  relationship: string;
  livesTogether: number;
  keyPerson: number;
  position: number;
}

export interface CaseTable {
  id: string;
  householdId: string;
  leadOrganizationId: string;
  referralRoute: string;
  summary: string;
  urgency: string;
  status: string;
  closingReason: string | null;
  openedAt: string;
  openedByUserId: string;
  updatedAt: string;
}

export interface CaseProblemTable {
  id: string;
  caseId: string;
  personId: string;
  type: string;
  note: string | null;
  position: number;
}

export interface CaseTeamTable {
  caseId: string;
  organizationId: string;
  /** lead | referral | consent | meeting */
  basis: string;
  joinedAt: string;
  addedByUserId: string;
}

export interface CaseStatusChangeTable {
  id: string;
  caseId: string;
  fromStatus: string | null;
  toStatus: string;
  reason: string | null;
  note: string | null;
  changedAt: string;
  changedByUserId: string;
}

export interface ConsentTable {
  id: string;
  personId: string;
  obtainedOn: string;
  method: string;
  givenByRelation: string;
  givenByName: string | null;
  /** JSON array of purposes: recorded and shown, never used to decide access. */
  purposes: string;
  includesTaxInfo: number;
  recordedByUserId: string;
  recordedByOrganizationId: string;
  createdAt: string;
  withdrawnOn: string | null;
  withdrawnAt: string | null;
  withdrawnByUserId: string | null;
}

export interface ConsentOrganizationTable {
  consentId: string;
  organizationId: string;
}

export interface RecordTable {
  id: string;
  caseId: string;
  personId: string | null;
  body: string;
  classification: string;
  authorOrganizationId: string;
  authorUserId: string;
  createdAt: string;
}

export interface BreakGlassGrantTable {
  id: string;
  caseId: string;
  userId: string;
  organizationId: string;
  reason: string;
  grantedAt: string;
  expiresAt: string;
}

export interface NotificationTable {
  id: string;
  /** Addressed to one user, or to every user of an organization, or to every user with a role. */
  userId: string | null;
  organizationId: string | null;
  role: string | null;
  kind: string;
  title: string;
  body: string;
  subjectType: string | null;
  subjectId: string | null;
  createdAt: string;
}

export interface AuditEventTable {
  seq: number;
  id: string;
  at: string;
  type: string;
  outcome: string;
  actorUserId: string | null;
  /** JSON: {loginId, displayName, organizationId, organizationName, roles} at the time. */
  actor: string;
  requestId: string | null;
  ip: string | null;
  personId: string | null;
  caseId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  /** JSON array of legal bases (rule 9). */
  basis: string;
  /** JSON: ids and field names only, never sensitive values. */
  payload: string;
  prevHash: string;
  hash: string;
  /** HMAC-SHA256 of `hash` under the anchor key; null when no key is configured. */
  mac: string | null;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface MeetingTable {
  id: string;
  /** support (支援会議) | multilayer (重層的支援会議) | case_conference (複合課題ケース検討会) */
  kind: string;
  /** art106-6 | consent | designated:<body>: decides the sharing rules and the clause. */
  legalBasis: string;
  title: string;
  startsAt: string;
  place: string | null;
  online: number;
  chairUserId: string;
  convenedByUserId: string;
  convenedAt: string;
  materialsCloseDays: number;
  seriesId: string | null;
  minutesBody: string | null;
  /** JSON array of decisions. */
  decisions: string | null;
  /** JSON array of user ids. */
  attendeeUserIds: string | null;
  minutesRecordedAt: string | null;
  minutesSignedAt: string | null;
  createdAt: string;
}

export interface MeetingMemberTable {
  meetingId: string;
  userId: string;
  addedAt: string;
  addedByUserId: string;
  acknowledgedAt: string | null;
}

export interface MeetingCaseTable {
  meetingId: string;
  caseId: string;
  purpose: string;
  addedAt: string;
  addedByUserId: string;
}

/** Membership per agenda item: this member reads nothing of this case at this meeting. */
export interface MeetingCaseExclusionTable {
  meetingId: string;
  caseId: string;
  userId: string;
  excludedAt: string;
  excludedByUserId: string;
}

export interface MeetingMaterialTable {
  id: string;
  meetingId: string;
  caseId: string;
  /** case_core | record */
  kind: string;
  recordId: string | null;
  personId: string | null;
  classification: string | null;
  snapshot: string;
  tabledByUserId: string;
  tabledByOrganizationId: string;
  tabledAt: string;
}

export interface TaskTable {
  id: string;
  meetingId: string;
  caseId: string;
  organizationId: string;
  task: string;
  dueOn: string | null;
  /** open | in_progress | done */
  status: string;
  assignedByUserId: string;
  createdAt: string;
  updatedAt: string;
}

export interface InformationRequestTable {
  id: string;
  meetingId: string;
  caseId: string;
  personId: string | null;
  /** The agency asked (情報提供の求め). */
  organizationId: string;
  request: string;
  dueOn: string | null;
  /** open | answered */
  status: string;
  requestedByUserId: string;
  createdAt: string;
  answeredByUserId: string | null;
  answeredAt: string | null;
}

export interface HonorariumTable {
  id: string;
  meetingId: string;
  userId: string;
  amountYen: number;
  paidOn: string | null;
  recordedByUserId: string;
  createdAt: string;
}

export interface ConveningRequestTable {
  id: string;
  caseId: string;
  /** 相談内容: what was consulted. */
  consulted: string;
  /** JSON arrays of organization ids: already involved, likely needed. */
  involvedOrganizationIds: string;
  neededOrganizationIds: string;
  urgency: string;
  /** submitted | forwarded | convened */
  status: string;
  requestedByUserId: string;
  requestedByOrganizationId: string;
  createdAt: string;
  forwardedToUserId: string | null;
  forwardedByUserId: string | null;
  forwardedAt: string | null;
  meetingId: string | null;
}

/** アセスメント: one version per row; content is AssessmentContent JSON (src/domain/lifecycle.ts). */
export interface AssessmentTable {
  id: string;
  caseId: string;
  version: number;
  content: string;
  authoredByUserId: string;
  authoredByOrganizationId: string;
  authoredAt: string;
}

/** 支援プラン: one version per row. */
export interface PlanTable {
  id: string;
  caseId: string;
  version: number;
  /** draft | submitted | approved | superseded */
  status: string;
  /** JSON [{personId, view}] (支援の見立て). */
  memberViews: string;
  /** JSON [{key, personId, text}]. */
  goals: string;
  changeNote: string | null;
  authoredByUserId: string;
  authoredByOrganizationId: string;
  authoredAt: string;
  submittedAt: string | null;
  /** The 重層的支援会議 whose decision approved this version. */
  approvedMeetingId: string | null;
  approvedAt: string | null;
  approvedByUserId: string | null;
  approvalNote: string | null;
}

/** An action of one plan version, held by one team organization; the key stays across versions. */
export interface PlanActionTable {
  planId: string;
  actionKey: string;
  caseId: string;
  goalKey: string | null;
  personId: string | null;
  text: string;
  organizationId: string;
  startOn: string;
  reviewOn: string;
  position: number;
}

export interface MonitoringEntryTable {
  id: string;
  caseId: string;
  planId: string | null;
  actionKey: string | null;
  /** The person the action is about (copied from the action), for the consent scope. */
  personId: string | null;
  /** done | in_progress | stalled | new_problem */
  status: string;
  note: string;
  /** 本人の思い */
  personView: string | null;
  nextReviewOn: string | null;
  authorUserId: string;
  authorOrganizationId: string;
  createdAt: string;
}

export interface AdvisorProfileTable {
  userId: string;
  /** JSON array of fields (医療, 高齢者福祉, …). */
  fields: string;
  affiliation: string | null;
  note: string | null;
  updatedAt: string;
  updatedByUserId: string;
}

export interface AdviceRequestTable {
  id: string;
  caseId: string;
  advisorUserId: string;
  question: string;
  /** consent | meeting: the ground on which the advisor reads the snapshot. */
  basisKind: string;
  meetingId: string | null;
  /** JSON array of parts: core, assessment, plan. */
  include: string;
  /** JSON: what was tabled for the advisor, at the time of the request (never 税情報). */
  snapshot: string;
  dueOn: string | null;
  /** open | answered */
  status: string;
  requestedByUserId: string;
  requestedByOrganizationId: string;
  createdAt: string;
  answer: string | null;
  answeredAt: string | null;
}

/** 終結評価 */
export interface TerminationTable {
  id: string;
  caseId: string;
  planId: string | null;
  reason: string;
  /** JSON [{goalKey, outcome, why}] */
  evaluations: string;
  /** JSON [{organizationId, how}] (見守り) */
  watchers: string;
  recheckOn: string | null;
  note: string | null;
  authorUserId: string;
  authorOrganizationId: string;
  createdAt: string;
}

export interface DB {
  municipality: MunicipalityTable;
  organizations: OrganizationTable;
  users: UserTable;
  authSessions: AuthSessionTable;
  loginThrottle: LoginThrottleTable;
  persons: PersonTable;
  personSearchKeys: PersonSearchKeyTable;
  households: HouseholdTable;
  householdMembers: HouseholdMemberTable;
  cases: CaseTable;
  caseProblems: CaseProblemTable;
  caseTeam: CaseTeamTable;
  caseStatusChanges: CaseStatusChangeTable;
  consents: ConsentTable;
  consentOrganizations: ConsentOrganizationTable;
  records: RecordTable;
  breakGlassGrants: BreakGlassGrantTable;
  notifications: NotificationTable;
  auditEvents: AuditEventTable;
  auditHead: AuditHeadTable;
  meetings: MeetingTable;
  meetingMembers: MeetingMemberTable;
  meetingCases: MeetingCaseTable;
  meetingMaterials: MeetingMaterialTable;
  meetingCaseExclusions: MeetingCaseExclusionTable;
  tasks: TaskTable;
  informationRequests: InformationRequestTable;
  honoraria: HonorariumTable;
  conveningRequests: ConveningRequestTable;
  assessments: AssessmentTable;
  plans: PlanTable;
  planActions: PlanActionTable;
  monitoringEntries: MonitoringEntryTable;
  advisorProfiles: AdvisorProfileTable;
  adviceRequests: AdviceRequestTable;
  terminations: TerminationTable;
}

export type AuditEventRow = AuditEventTable;
export type Generatedless<T> = T extends Generated<infer U> ? U : T;
