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
