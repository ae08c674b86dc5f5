/** Shapes of the Kasane HTTP API (/api/v1) as the web UI uses them. */

export interface CodeEntry {
  code: string;
  ja: string;
  en: string;
}

export interface CodeLists {
  organizationKinds: CodeEntry[];
  organizationFields: CodeEntry[];
  problemTypes: CodeEntry[];
  relationships: CodeEntry[];
  referralRoutes: CodeEntry[];
  closingReasons: CodeEntry[];
  caseStatuses: CodeEntry[];
  urgencies: CodeEntry[];
  consentMethods: CodeEntry[];
  givenByRelations: CodeEntry[];
  recordClassifications: CodeEntry[];
  roles: CodeEntry[];
  teamBases: CodeEntry[];
  sexes: CodeEntry[];
}

export interface Me {
  id: string;
  loginId: string;
  displayName: string;
  organizationId: string;
  organizationName?: string;
  roles: string[];
  municipality?: { name: string; isDemo: boolean };
}

export interface LoginResponse {
  csrfToken: string;
  expiresAt?: string;
  user: Me;
}

export interface ErrorItem {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: ErrorItem[];
}

export interface OrgRef {
  id: string;
  name: string;
}

export interface Organization extends OrgRef {
  kind?: string;
  fields?: string[];
  area?: string | null;
}

export type CaseStatus = 'intake' | 'assessment' | 'planning' | 'in_support' | 'closed';
export type Urgency = 'normal' | 'high' | 'urgent';
export type CaseView = 'header' | 'index';

export interface CaseListItem {
  id: string;
  householdId: string;
  householdName: string;
  status: CaseStatus | string;
  urgency: Urgency | string;
  leadOrganization: OrgRef;
  team: { organizationId: string; organizationName: string }[];
  openedAt: string;
  view?: CaseView;
}

export interface HouseholdMember {
  personId: string;
  familyName: string;
  givenName: string;
  familyNameKana?: string;
  givenNameKana?: string;
  birthDate?: string | null;
  relationship?: string;
  livesTogether?: boolean;
  keyPerson?: boolean;
}

export interface Household {
  id: string;
  name: string | null;
  address?: string | null;
  members: HouseholdMember[];
  cases: { id: string; status: string; openedAt: string }[];
}

export interface Consent {
  id: string;
  obtainedOn: string;
  method: string;
  givenBy?: { relation: string; name?: string | null } | null;
  organizationIds: string[];
  organizationNames?: string[];
  includesTaxInfo: boolean;
  purposes?: string[];
  withdrawnOn?: string | null;
}

export interface CaseMember extends HouseholdMember {
  consent?: { state: 'none' | 'active' | 'withdrawn'; consents: Consent[] };
}

export interface TeamEntry {
  organizationId: string;
  organizationName: string;
  basis: 'lead' | 'referral' | 'consent' | 'meeting' | string;
  joinedAt?: string;
  addedLater?: boolean;
}

export interface CaseProblem {
  id: string;
  personId: string;
  type: string;
  note?: string | null;
}

export interface StatusChange {
  from: string | null;
  to: string;
  reason?: string | null;
  note?: string | null;
  changedAt: string;
  changedBy?: string | { id?: string; name?: string; displayName?: string } | null;
}

export interface Withheld {
  part: 'summary' | 'problems' | 'composition' | 'header' | string;
  reason: 'consent_missing' | 'not_lead' | 'index_only' | string;
  personIds?: string[];
  message: string;
}

export interface Abilities {
  addRecord?: boolean;
  changeStatus?: boolean;
  manageTeam?: boolean;
  recordConsent?: boolean;
  breakGlass?: boolean;
  /** Lifecycle (issue 5); when absent the UI falls back to changeStatus (lead) / addRecord (team). */
  editAssessment?: boolean;
  editPlan?: boolean;
  monitor?: boolean;
  requestAdvice?: boolean;
  terminate?: boolean;
  reopen?: boolean;
}

export interface CaseDetail {
  id: string;
  householdId: string;
  householdName: string;
  status: CaseStatus | string;
  urgency: Urgency | string;
  openedAt: string;
  closingReason?: string | null;
  view?: CaseView;
  leadOrganization: OrgRef;
  team: TeamEntry[];
  members?: CaseMember[];
  summary?: string | null;
  referralRoute?: string | null;
  problems?: CaseProblem[];
  statusHistory?: StatusChange[];
  withheld?: Withheld[];
  basis?: Array<{ ground: string; [k: string]: unknown }>;
  abilities?: Abilities;
}

export interface CaseRecord {
  id: string;
  personId?: string | null;
  body: string;
  classification: 'normal' | 'sensitive' | 'tax' | string;
  authorOrganization?: OrgRef;
  authorName?: string;
  createdAt: string;
}

export interface PersonSearchItem {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana?: string;
  givenNameKana?: string;
  birthDate?: string | null;
  households?: { id: string; name: string | null }[];
}

export type PossibleDuplicate =
  | { id: string; familyName: string; givenName: string; familyNameKana?: string; givenNameKana?: string; birthDate?: string | null; heldElsewhere?: false }
  | { heldElsewhere: true };

export interface CreatedPerson {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana?: string;
  givenNameKana?: string;
  birthDate?: string | null;
  possibleDuplicates?: PossibleDuplicate[];
}

export interface ListResponse<T> {
  items: T[];
  nextCursor?: string | null;
}

// ---- Meetings (api.md meeting rows) ----

export type MeetingKind = 'support' | 'multilayer' | 'case_conference';

export interface MeetingListItem {
  id: string;
  kind: MeetingKind | string;
  legalBasis: string;
  title: string;
  startsAt: string;
  place: string | null;
  online: boolean;
  seriesId: string | null;
  isChair: boolean;
}

export interface MeetingMember {
  userId: string;
  displayName: string;
  organizationId?: string;
  organizationName: string;
  acknowledgedAt: string | null;
  addedAt?: string;
}

export interface MeetingHeader {
  id: string;
  kind: MeetingKind | string;
  legalBasis: string;
  statutoryConfidentiality: boolean;
  title: string;
  startsAt: string;
  place: string | null;
  online: boolean;
  seriesId?: string | null;
  convenedAt?: string;
  materialsCloseAt: string;
  materialsOpen: boolean;
  chair: { userId: string; displayName: string; organizationName: string };
  members: MeetingMember[];
  caseCount: number;
  me: { isChair: boolean; isMember: boolean; acknowledgedAt: string | null };
  seriesMeetingIds?: string[];
  /** The chair only: the agenda's case ids (no content), also before the chair's pledge. */
  agendaCaseIds?: string[];
}

export interface CaseCoreSnapshot {
  householdName: string | null;
  summary: string;
  referralRoute: string;
  members: { personId: string; name: string | null; relationship: string; age: number | null }[];
  problems: { personId: string; personName: string; type: string; note: string | null }[];
  organizations: string[];
}

export interface TabledRecordSnapshot {
  body: string;
  classification: string;
  writtenAt: string;
  personId: string | null;
}

export type MeetingMaterial =
  | { id: string; kind: 'case_core'; classification: null; personId: null; organizationName: string; tabledAt: string; content: CaseCoreSnapshot }
  | { id: string; kind: 'record'; classification: string; personId: string | null; organizationName: string; tabledAt: string; content: TabledRecordSnapshot };

export interface MeetingMaterials {
  meetingId: string;
  legalBasis: string;
  label: '支援会議限り' | null;
  materialsCloseAt: string;
  cases: { caseId: string; householdName: string | null; purpose: string; materials: MeetingMaterial[] }[];
  dropped: { caseId: string; reason: string }[];
}

export interface MeetingMinutes {
  meetingId: string;
  body: string | null;
  decisions: string[];
  attendeeUserIds: string[];
  recordedAt: string | null;
  signedAt: string | null;
}

export interface Assignment {
  id: string;
  meetingId: string;
  caseId: string;
  organizationId: string;
  organizationName?: string;
  task: string;
  dueOn: string | null;
  status: string;
  createdAt: string;
}

export type TaskStatus = 'open' | 'in_progress' | 'done';

export interface Task {
  id: string;
  meetingId: string;
  meetingTitle: string;
  meetingStartsAt: string;
  caseId: string;
  organizationId: string;
  task: string;
  dueOn: string | null;
  status: TaskStatus | string;
  createdAt: string;
  updatedAt: string;
}

export interface NotificationItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  subjectType: string | null;
  subjectId: string | null;
  createdAt: string;
}

export interface DirectoryUser {
  id: string;
  displayName: string;
  organizationId: string;
  organizationName: string;
  roles: string[];
}

// ---- 情報提供の求め (社会福祉法106条の6第3項) / 謝金 / 会議の開催依頼（受付表） ----

export interface InformationRequest {
  id: string;
  meetingId: string;
  meetingTitle: string;
  legalBasis: string;
  caseId: string;
  person: { id: string; familyName: string; givenName: string; birthDate: string | null } | null;
  request: string;
  dueOn: string | null;
  status: 'open' | 'answered' | string;
  createdAt: string;
  answeredAt: string | null;
}

export interface Honorarium {
  id: string;
  meetingId: string;
  userId: string;
  amountYen: number;
  paidOn: string | null;
  createdAt: string;
}

export interface ConveningRequest {
  id: string;
  caseId: string;
  householdName?: string | null;
  consulted: string;
  involvedOrganizationIds: string[];
  neededOrganizationIds: string[];
  urgency: Urgency | string;
  status: 'submitted' | 'forwarded' | string;
  requestedByOrganizationId: string;
  createdAt: string;
  forwardedToUserId: string | null;
  forwardedAt: string | null;
}

// ---- The support lifecycle: assessment, plan, monitoring, advice, termination (issue 5) ----

export interface AuthorRef {
  userId?: string;
  displayName: string;
  organizationName?: string;
}

/** A part of the household the viewer may not see, with the reason (rule 1 / rule 3). */
export interface WithheldPerson {
  personId: string | null;
  name?: string | null;
  reason: string;
  message: string;
}

export type AssessmentItems = Partial<Record<string, string>>;

export interface AssessmentMember {
  personId: string;
  name: string;
  relationship?: string | null;
  items: AssessmentItems;
  note?: string | null;
}

export interface AssessmentView {
  version: number;
  authoredAt: string;
  authoredBy: AuthorRef | null;
  members: AssessmentMember[];
  /** null when the household part is withheld (only members' own parts are shown). */
  household: {
    keyPersonId?: string | null;
    supports?: { fromPersonId: string; toPersonId: string; note?: string | null }[];
    ifOneFallsIll?: string | null;
    strengths?: string | null;
    note?: string | null;
  } | null;
  withheld?: WithheldPerson[];
}

export interface AssessmentList {
  items: { version: number; authoredAt: string; authoredBy: AuthorRef | null }[];
  latest: AssessmentView | null;
}

export type PlanStatus = 'draft' | 'submitted' | 'approved' | 'superseded';

export interface PlanApproval {
  meetingId: string;
  meetingTitle?: string | null;
  meetingStartsAt?: string | null;
  approvedAt: string;
  approvedBy?: AuthorRef | string | null;
  note?: string | null;
}

export interface PlanGoal {
  key: string;
  personId: string | null;
  text: string;
}

export interface PlanAction {
  key: string;
  goalKey: string | null;
  personId: string | null;
  text: string;
  organizationId: string;
  organizationName?: string;
  startOn: string;
  /** A meeting's role assignment may have no due date. */
  reviewOn: string | null;
  nextReviewOn?: string | null;
  source?: 'plan' | 'meeting' | string;
  taskId?: string | null;
  lastMonitoring?: { status: string; createdAt: string } | null;
  overdue?: boolean;
}

export interface PlanView {
  version: number;
  status: PlanStatus | string;
  authoredAt: string;
  authoredBy: AuthorRef | null;
  changeNote?: string | null;
  submittedAt?: string | null;
  approval: PlanApproval | null;
  members: { personId: string; name: string; relationship?: string | null; view: string }[];
  goals: PlanGoal[];
  actions: PlanAction[];
  withheld?: WithheldPerson[];
  abilities?: { edit?: boolean; submit?: boolean; approve?: boolean };
}

export interface PlanList {
  items: {
    version: number;
    status: string;
    statusLabel?: string;
    authoredAt: string;
    authoredBy: AuthorRef | null;
    submittedAt?: string | null;
    approvedAt?: string | null;
    approvedMeetingId?: string | null;
  }[];
  current: PlanView | null;
}

export interface PlanDiffChange {
  kind: 'member' | 'goal' | 'action' | string;
  change: 'added' | 'removed' | 'changed' | string;
  key: string;
  summary: string;
  before?: unknown;
  after?: unknown;
  fields?: string[] | Record<string, unknown>;
}

export interface PlanDiff {
  from: number;
  to: number;
  changes: PlanDiffChange[];
}

export type MonitoringStatus = 'done' | 'in_progress' | 'stalled' | 'new_problem';

export interface MonitoringEntry {
  id: string;
  actionKey: string | null;
  actionText: string | null;
  status: MonitoringStatus | string;
  note: string;
  personView?: string | null;
  nextReviewOn?: string | null;
  createdAt: string;
  author?: AuthorRef;
}

export interface Advisor {
  userId: string;
  displayName: string;
  organizationName?: string;
  fields: string[];
  affiliation?: string | null;
  note?: string | null;
}

export type AdviceBasis = { kind: 'consent' } | { kind: 'meeting'; meetingId: string; meetingTitle?: string };
export type AdvicePart = 'core' | 'assessment' | 'plan';

export interface AdviceRequestItem {
  id: string;
  advisor: { userId: string; displayName: string; fields?: string[]; organizationName?: string };
  question: string | null;
  basis: AdviceBasis;
  include: AdvicePart[];
  dueOn?: string | null;
  status: 'open' | 'answered' | string;
  createdAt: string;
  requestedBy?: AuthorRef | string | null;
  answer?: string | null;
  answeredAt?: string | null;
}

export interface AdviceInboxItem {
  id: string;
  caseId: string;
  householdName: string | null;
  question: string | null;
  status: 'open' | 'answered' | string;
  dueOn?: string | null;
  createdAt: string;
}

export interface AdviceRequestDetail {
  id: string;
  caseId: string;
  householdName: string | null;
  question: string | null;
  basis: AdviceBasis;
  include: AdvicePart[];
  status: 'open' | 'answered' | string;
  dueOn?: string | null;
  createdAt?: string;
  requestedBy?: AuthorRef | string | null;
  answer: string | null;
  answeredAt: string | null;
  tabled: { core?: AdviceCore | null; assessment?: AssessmentView | null; plan?: PlanView | null } | null;
  withheld?: { reason: string; message: string } | null;
}

/** The case core as tabled for an advisor: a member outside the basis appears only as relationship and age. */
export interface AdviceCore {
  summary: string | null;
  referralRoute: string | null;
  urgency?: string | null;
  members: ({ personId: string; name: string; relationship: string | null; birthDate: string | null } | { relationship: string | null; age: number | null })[];
  problems: { personId: string; type: string; note: string | null }[];
}

export type GoalOutcome = 'achieved' | 'partly' | 'not_achieved';

export interface Termination {
  id: string;
  reason: string;
  evaluations: { goalKey: string; goalText?: string | null; outcome: GoalOutcome | string; why: string }[];
  watchers: { organizationId: string; organizationName?: string; how: string }[];
  recheckOn?: string | null;
  note?: string | null;
  createdAt: string;
  author?: AuthorRef | string | null;
}

export interface Dashboard {
  casesByStatus: Partial<Record<CaseStatus, number>>;
  overdueReviews: {
    caseId: string;
    householdName: string | null;
    leadOrganizationName?: string;
    organizationName?: string;
    reviewOn: string;
    actions?: number;
  }[];
  stalledActions: { caseId: string; householdName: string | null; count: number; lastAt?: string | null }[];
  tasksDue: {
    taskId: string;
    caseId: string;
    householdName: string | null;
    organizationName?: string;
    dueOn: string | null;
    status: string;
    task: string | null;
  }[];
  awaitingSupportMeeting: { caseId: string; householdName: string | null; withoutConsent?: number | string[] | boolean; nextSupportMeetingAt: string | null }[];
  plansAwaitingApproval: { caseId: string; householdName: string | null; version: number; submittedAt: string | null }[];
}
