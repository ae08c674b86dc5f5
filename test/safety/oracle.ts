/**
 * The ORACLE of the authorization matrix (T1) and the leak sweep (T2): who may see or do
 * what, written from ../shared/spec/product.md ("Information-sharing rules") and
 * ../shared/spec/api.md ("who" column) — and deliberately NOT from src/policy. It reads a
 * small model of the world that the fixture builder keeps while it drives the real API
 * (test/safety/matrix/fixture.ts); it never touches the database or the server.
 *
 * Answers are 'allow', 'deny' or 'either' (product.md is silent or leaves the choice to the
 * implementation). An observed allow where the oracle says 'deny' fails the build; an
 * observed deny where it says 'allow' is an unexpected deny (listed; fails when it
 * contradicts product.md).
 *
 * Interpretations (each named where it is used):
 * - I1 rule 1 grounds are organization grounds; only the roles through which a user works on
 *   cases for their organization use them: coordinator, caseworker (関係機関の担当者) and
 *   chair (総括者: a section head, staff of their organization). Administrator ("by default
 *   sees no case content"), auditor ("not case content"), advisor / outreach (only what a
 *   request gives them), external member ("only ever sees meetings they are invited to")
 *   and community (参加支援・地域づくり: directory and matches, no case ground in rule 1) get
 *   nothing here: requests and meetings are not built yet.
 * - I2 a consent's details (purposes, the representative's name in givenBy) are personal
 *   data of the person; the team ground opens only the header and member identity, so a
 *   team organization not named in the consent does not see them. The lead (who records
 *   consents, rule 3) and the recording organization (own work) do.
 * - I3 status notes are case content the lead writes (like the summary), not the header's
 *   "status": they open with the summary.
 * - I4 a case-level record (about no one person) opens to a team organization with the
 *   summary (every person with a problem consented naming it).
 * - I5 meetings (rules 2, 3, 4, 5): the meeting ground belongs to the user, not the
 *   organization, and to any role invited (external members: "only ever sees meetings they
 *   are invited to"); the chair is a member. What a meeting shows is what was tabled (the case
 *   core: names, household name, summary, referral route, problems; the records tabled), to
 *   an acknowledged member while the materials are open; at a consent-based meeting a case
 *   shows only while every person with a problem has an active consent naming the
 *   organization of every member (chair included); tabled 税情報 shows only to its writer or a
 *   team organization named in a tax-including consent (rule 4: no meeting opens it). The
 *   minutes are a material: acknowledged members while open, then the chair and the
 *   secretariat (the convener). A task's text: the users of the assigned organization, at any
 *   time (rule 5: assignees keep it); and, through the meeting's list of assignments, its
 *   chair and the members who may read its materials.
 * - I6 information requests (情報提供の求め, rule 1 "Requests"): the requested organization's
 *   users see the request and who it is about (name, birth date); the answer is tabled into
 *   that meeting only (with the request's text), read like any material.
 * - I7 a convening request (受付表, issue 4 item 1) is the requesting worker's disclosure to
 *   the coordinators, who forward it to a chair: what was consulted is seen by the requesting
 *   organization, every coordinator, and the chair it was forwarded to (with the household's
 *   name). product.md does not name this ground; it follows the workflow.
 */

export type Role = 'admin' | 'coordinator' | 'chair' | 'caseworker' | 'advisor' | 'outreach' | 'community' | 'auditor' | 'external_member';
export const ROLES: Role[] = ['coordinator', 'chair', 'caseworker', 'advisor', 'outreach', 'community', 'auditor', 'admin', 'external_member'];
/** I1. */
export const ORG_ROLES: Role[] = ['coordinator', 'chair', 'caseworker'];

export type Decision = 'allow' | 'deny' | 'either';
export type Cls = 'normal' | 'sensitive' | 'tax';
export type TeamBasis = 'lead' | 'referral' | 'consent' | 'meeting';

export interface World {
  orgs: Record<string, { fields: string[] }>;
  users: Record<string, { org: string; roles: Role[]; disabled: boolean }>;
  persons: Record<string, { registeredBy: string }>;
  households: Record<string, { registeredBy: string; members: string[] }>;
  cases: Record<string, { household: string; lead: string; team: Record<string, TeamBasis>; problems: string[] }>;
  consents: Record<string, { person: string; orgs: string[]; tax: boolean; active: boolean; recordedBy: string }>;
  records: Record<string, { case: string; author: string; chosen: Cls; person: string | null }>;
  /** Break-glass grants: `active` false once expired. */
  grants: { id: string; user: string; case: string; active: boolean; reason: string }[];
  meetings: Record<string, MeetingModel>;
  /** Role assignments: the text belongs to the assigned organization. */
  tasks: Record<string, { meeting: string; case: string; org: string }>;
  /** 情報提供の求め of a 支援会議 to an organization about a person; the answer is tabled into that meeting. */
  requests: Record<string, { meeting: string; case: string; person: string | null; org: string; answered: boolean }>;
  /** 受付表 (convening requests): from a team organization, to the coordinators, forwarded to a chair. */
  conveningRequests: Record<string, { case: string; org: string; forwardedTo: string | null }>;
  /** Advice requests (I9): to one advisor, on consent or on a statutory meeting's decision, with what they include. */
  adviceRequests: Record<string, { case: string; advisor: string; basis: 'consent' | 'meeting'; meeting: string | null; include: string[] }>;
  /** Plan actions (I8): who holds each, by key per case (for monitoring writes). */
  planActions: Record<string, Record<string, { org: string; person: string | null }>>;
}

export interface MeetingModel {
  /** 'art106-6', 'consent' or 'designated:…' (rule 5). */
  basis: string;
  chair: string;
  convener: string;
  members: Record<string, { acknowledged: boolean }>;
  cases: string[];
  /** The materials window: open from convening to the close (false before or after). */
  open: boolean;
  /** What was tabled: the case core of each agenda case, and records. */
  tabled: { case: string; record?: string }[];
  /** Membership per agenda item: case → the members excluded from it (they read nothing of it here). */
  excluded?: Record<string, string[]>;
}

export function emptyWorld(): World {
  return {
    orgs: {},
    users: {},
    persons: {},
    households: {},
    cases: {},
    consents: {},
    records: {},
    grants: [],
    meetings: {},
    tasks: {},
    requests: {},
    conveningRequests: {},
    adviceRequests: {},
    planActions: {},
  };
}

const yes = (b: boolean): Decision => (b ? 'allow' : 'deny');

// ---- facts about the reader ----------------------------------------------------------------

/** Signed in and working for their organization on cases (I1); a disabled user is nobody. */
export function worksCases(w: World, user: string): boolean {
  const u = w.users[user]!;
  return !u.disabled && u.roles.some((r) => ORG_ROLES.includes(r));
}
const orgOf = (w: World, user: string) => w.users[user]!.org;
const hasRole = (w: World, user: string, role: Role) => !w.users[user]!.disabled && w.users[user]!.roles.includes(role);
export const isCoordinator = (w: World, user: string) => worksCases(w, user) && hasRole(w, user, 'coordinator');

/** Rule 4: an organization whose fields include 税務 writes only 税情報. */
export function storedClass(w: World, record: string): Cls {
  const r = w.records[record]!;
  return w.orgs[r.author]!.fields.includes('税務') ? 'tax' : r.chosen;
}

export function onTeam(w: World, user: string, kase: string): boolean {
  return worksCases(w, user) && orgOf(w, user) in w.cases[kase]!.team;
}
export function isLead(w: World, user: string, kase: string): boolean {
  return worksCases(w, user) && w.cases[kase]!.lead === orgOf(w, user) && onTeam(w, user, kase);
}
/** Rule 8: an unexpired grant, held by a coordinator (the only role that may break the glass). */
export function breakGlass(w: World, user: string, kase: string): boolean {
  return isCoordinator(w, user) && w.grants.some((g) => g.user === user && g.case === kase && g.active);
}

/** Rule 3: an active consent of the person names the organization (with tax when asked). */
export function consentNames(w: World, person: string, org: string, tax = false): boolean {
  return Object.values(w.consents).some((k) => k.person === person && k.active && k.orgs.includes(org) && (!tax || k.tax));
}

const casesOfPerson = (w: World, person: string) =>
  Object.entries(w.cases)
    .filter(([, c]) => w.households[c.household]!.members.includes(person))
    .map(([id]) => id);
const casesOfHousehold = (w: World, household: string) =>
  Object.entries(w.cases)
    .filter(([, c]) => c.household === household)
    .map(([id]) => id);

// ---- cases (rule 1: team, lead, coordinator index; rule 8: break-glass) ----------------------

/** What GET /cases/:id may show at all: the header (team, break-glass), the index (coordinator), or nothing. */
export function caseView(w: World, user: string, kase: string): 'header' | 'index' | null {
  if (!worksCases(w, user)) return null;
  if (onTeam(w, user, kase) || breakGlass(w, user, kase)) return 'header';
  if (isCoordinator(w, user)) return 'index';
  return null;
}

/** The lead sees the core it assembled; break-glass sees it read-only. */
const seesCore = (w: World, user: string, kase: string) => isLead(w, user, kase) || breakGlass(w, user, kase);

/** Rule 3: the summary once every person with a problem has consented naming the organization. */
export function seesSummary(w: World, user: string, kase: string): Decision {
  if (seesCore(w, user, kase)) return 'allow';
  if (!onTeam(w, user, kase)) return 'deny';
  const c = w.cases[kase]!;
  return yes(c.problems.length > 0 && c.problems.every((p) => consentNames(w, p, orgOf(w, user))));
}
/** The referral route (相談経路) is part of the intake core: the lead's; with the summary for the team it is the implementation's choice. */
export function seesReferralRoute(w: World, user: string, kase: string): Decision {
  if (seesCore(w, user, kase)) return 'allow';
  return seesSummary(w, user, kase) === 'allow' ? 'either' : 'deny';
}
/** I3. */
export const seesStatusNotes = seesSummary;

/** Rule 3: a person's problems, to the lead (core) or a team organization named in their consent. */
export function seesProblems(w: World, user: string, kase: string, person: string): Decision {
  if (seesCore(w, user, kase)) return 'allow';
  return yes(onTeam(w, user, kase) && consentNames(w, person, orgOf(w, user)));
}
/** Household composition (同居・キーパーソン): the lead's core. */
export function seesComposition(w: World, user: string, kase: string): Decision {
  return yes(seesCore(w, user, kase));
}

// ---- records (rule 1 own work, rule 3 consent, rule 4 tax, rule 8 break-glass) --------------

export function seesRecord(w: World, user: string, record: string): Decision {
  if (!worksCases(w, user)) return 'deny';
  const r = w.records[record]!;
  const org = orgOf(w, user);
  if (r.author === org) return 'allow'; // own work: always, team or not
  const cls = storedClass(w, record);
  const team = onTeam(w, user, r.case);
  if (cls === 'tax') return yes(team && r.person !== null && consentNames(w, r.person, org, true)); // rule 4, nothing else
  if (breakGlass(w, user, r.case)) return 'allow';
  if (r.person) return yes(team && consentNames(w, r.person, org));
  // I4: a case-level record opens with the summary; for the lead without every consent the spec is silent.
  if (isLead(w, user, r.case)) return w.cases[r.case]!.problems.every((p) => consentNames(w, p, org)) ? 'allow' : 'either';
  return yes(team && seesSummary(w, user, r.case) === 'allow');
}

// ---- persons and households -------------------------------------------------------------

/** Identity (name, kana, birth date): own work (registered), the team of a case on their household, break-glass. */
export function seesPerson(w: World, user: string, person: string): Decision {
  if (!worksCases(w, user)) return 'deny';
  if (w.persons[person]!.registeredBy === orgOf(w, user)) return 'allow';
  return yes(casesOfPerson(w, person).some((k) => onTeam(w, user, k) || breakGlass(w, user, k)));
}
/** Contact (address): own work, the lead, break-glass; a team organization named in a consent: unspecified. */
export function seesPersonContact(w: World, user: string, person: string): Decision {
  if (!worksCases(w, user)) return 'deny';
  if (w.persons[person]!.registeredBy === orgOf(w, user)) return 'allow';
  const ks = casesOfPerson(w, person);
  if (ks.some((k) => isLead(w, user, k) || breakGlass(w, user, k))) return 'allow';
  if (ks.some((k) => onTeam(w, user, k)) && consentNames(w, person, orgOf(w, user))) return 'either';
  return 'deny';
}

/** GET /households/:id: the household (own work, team, break-glass), the coordinator's index, or nothing. */
export function householdView(w: World, user: string, household: string): 'household' | 'index' | null {
  if (!worksCases(w, user)) return null;
  if (w.households[household]!.registeredBy === orgOf(w, user)) return 'household';
  const ks = casesOfHousehold(w, household);
  if (ks.some((k) => onTeam(w, user, k) || breakGlass(w, user, k))) return 'household';
  if (isCoordinator(w, user) && ks.length > 0) return 'index';
  return null;
}
/** The household's name: with any view, and in the case header / index. */
export function seesHouseholdName(w: World, user: string, household: string): Decision {
  return yes(householdView(w, user, household) !== null);
}
/** The household's address: like a person's — own work, lead, break-glass. */
export function seesHouseholdAddress(w: World, user: string, household: string): Decision {
  if (!worksCases(w, user)) return 'deny';
  if (w.households[household]!.registeredBy === orgOf(w, user)) return 'allow';
  return yes(casesOfHousehold(w, household).some((k) => isLead(w, user, k) || breakGlass(w, user, k)));
}

// ---- consents (rule 3; I2) --------------------------------------------------------------

export function seesConsentDetails(w: World, user: string, consent: string): Decision {
  if (!worksCases(w, user)) return 'deny';
  const k = w.consents[consent]!;
  const org = orgOf(w, user);
  if (seesPerson(w, user, k.person) === 'deny') return 'deny';
  if (k.recordedBy === org) return 'allow';
  const ks = casesOfPerson(w, k.person);
  if (ks.some((c) => isLead(w, user, c))) return 'allow';
  if (k.orgs.includes(org) || ks.some((c) => breakGlass(w, user, c)) || w.persons[k.person]!.registeredBy === org) return 'either';
  return 'deny';
}

/** Rule 8: the reason is stored for the audit; nobody reads it back through the API (the holder and the auditor may). */
export function seesBreakGlassReason(w: World, user: string, grant: string): Decision {
  const g = w.grants.find((x) => x.id === grant)!;
  return g.user === user || hasRole(w, user, 'auditor') ? 'either' : 'deny';
}

// ---- writes (api.md "who"; rules 1, 3, 8) -------------------------------------------------

export type WriteAction = 'record.add' | 'status.change' | 'team.add' | 'team.remove' | 'consent.record' | 'consent.withdraw' | 'break_glass';

export function mayWrite(w: World, user: string, action: WriteAction, kase: string, person?: string): Decision {
  if (!worksCases(w, user)) return 'deny';
  switch (action) {
    case 'record.add':
      return yes(onTeam(w, user, kase)); // team; break-glass is read-only, the index opens nothing
    case 'status.change':
      return yes(isLead(w, user, kase));
    case 'team.add':
    case 'team.remove':
      return yes(isLead(w, user, kase) || isCoordinator(w, user));
    case 'consent.record':
    case 'consent.withdraw': {
      // Recorded by the lead organization (of a case the person is on) or the coordinator.
      const ks = casesOfPerson(w, person!);
      return yes(ks.some((k) => isLead(w, user, k)) || (isCoordinator(w, user) && ks.length > 0));
    }
    case 'break_glass':
      // Only the coordinator; one already on the team has no need of it (either answer is safe).
      if (!isCoordinator(w, user)) return 'deny';
      return onTeam(w, user, kase) ? 'either' : 'allow';
  }
}

// ---- canaries: one restricted value of the world, and who may see it -------------------------

export type CanaryKind =
  | 'person.familyName'
  | 'person.givenName'
  | 'person.familyNameKana'
  | 'person.givenNameKana'
  | 'person.address'
  | 'household.name'
  | 'household.address'
  | 'case.summary'
  | 'case.referralRoute'
  | 'case.problemNote'
  | 'case.statusNote'
  | 'record.body'
  | 'consent.purpose'
  | 'consent.givenByName'
  | 'breakGlass.reason'
  | 'meeting.purpose'
  | 'meeting.minutes'
  | 'meeting.decision'
  | 'task.text'
  | 'request.text'
  | 'request.answer'
  | 'convening.consulted'
  | 'assessment.item'
  | 'assessment.household'
  | 'plan.view'
  | 'plan.goal'
  | 'plan.action'
  | 'monitoring.note'
  | 'monitoring.personView'
  | 'termination.why'
  | 'termination.note'
  | 'advice.question'
  | 'advice.answer';

/** Lifecycle parts (I8): the case (caseId), the person (personId; none for a household part). */
export const LIFECYCLE_KINDS: CanaryKind[] = [
  'assessment.item',
  'assessment.household',
  'plan.view',
  'plan.goal',
  'plan.action',
  'monitoring.note',
  'monitoring.personView',
  'termination.why',
  'termination.note',
];

export interface Canary {
  value: string;
  kind: CanaryKind;
  /** The object it belongs to: person, household, case, record, consent or grant id. */
  owner: string;
  /** For a problem note: the case and the person; for a purpose: the case on the meeting (owner). */
  caseId?: string;
  personId?: string;
  /** For a monitoring entry: the writer's organization (own work). */
  org?: string;
}

/** May `user` see the canary through any route? Every ground of rule 1, meetings included. */
export function seesCanary(w: World, user: string, c: Canary): Decision {
  if (LIFECYCLE_KINDS.includes(c.kind)) return seesLifecycleCanary(w, user, c);
  if (c.kind === 'advice.question' || c.kind === 'advice.answer') return seesAdviceText(w, user, c.owner);
  let base = seesCanaryOutsideMeetings(w, user, c);
  if (base === 'allow') return base;
  const advice = seesViaAdvice(w, user, c);
  if (advice === 'allow') return advice;
  if (advice === 'either') base = 'either';
  // I8: role assignments appear as plan actions to the lead of the task's case.
  if (c.kind === 'task.text' && isLead(w, user, w.tasks[c.owner]!.case)) base = 'either';
  if ((c.kind === 'person.familyName' || c.kind === 'person.givenName') && requestedAbout(w, user, c.owner)) return 'allow';
  if (
    c.kind === 'household.name' &&
    Object.entries(w.conveningRequests).some(([id, q]) => w.cases[q.case]!.household === c.owner && seesConveningRequest(w, user, id))
  )
    return 'allow';
  return Object.keys(w.meetings).some((m) => seesViaMeeting(w, user, m, c) === 'allow') ? 'allow' : base;
}

function seesCanaryOutsideMeetings(w: World, user: string, c: Canary): Decision {
  switch (c.kind) {
    case 'person.familyName':
    case 'person.givenName':
    case 'person.familyNameKana':
    case 'person.givenNameKana':
      return seesPerson(w, user, c.owner);
    case 'person.address':
      return seesPersonContact(w, user, c.owner);
    case 'household.name':
      return seesHouseholdName(w, user, c.owner);
    case 'household.address':
      return seesHouseholdAddress(w, user, c.owner);
    case 'case.summary':
      return seesSummary(w, user, c.owner);
    case 'case.referralRoute':
      return seesReferralRoute(w, user, c.owner);
    case 'case.statusNote':
      return seesStatusNotes(w, user, c.owner);
    case 'case.problemNote':
      return seesProblems(w, user, c.caseId!, c.personId!);
    case 'record.body':
      return seesRecord(w, user, c.owner);
    case 'consent.purpose':
    case 'consent.givenByName':
      return seesConsentDetails(w, user, c.owner);
    case 'breakGlass.reason':
      return seesBreakGlassReason(w, user, c.owner);
    case 'task.text':
      return seesTask(w, user, c.owner);
    case 'request.text':
      return yes(worksCases(w, user) && w.requests[c.owner]!.org === orgOf(w, user));
    case 'request.answer':
      return 'deny'; // only through the meeting it was tabled into
    case 'convening.consulted':
      return yes(seesConveningRequest(w, user, c.owner));
    case 'meeting.purpose':
    case 'meeting.minutes':
    case 'meeting.decision':
      return 'deny'; // only through their meeting
    default:
      return 'deny';
  }
}

// ---- the support lifecycle (I8) and advice requests (I9) -------------------------------------

/** Rule 3 for the household parts: every person with a problem consented naming the organization. */
function householdConsented(w: World, org: string, kase: string): boolean {
  const c = w.cases[kase]!;
  return c.problems.length > 0 && c.problems.every((p) => consentNames(w, p, org));
}

/** The meeting ground of I8: what `meeting` shares of `kase`'s lifecycle with `user` (person null: a household part). */
export function lifecycleViaMeeting(w: World, user: string, meeting: string, kase: string, person: string | null): boolean {
  const m = w.meetings[meeting]!;
  if (!m.cases.includes(kase) || !inMeeting(w, user, meeting) || !acknowledged(w, user, meeting) || !m.open) return false;
  if (excludedFrom(w, user, meeting, kase)) return false;
  if (isStatutory(m.basis)) return true;
  if (!caseOpenAt(w, meeting, kase)) return false;
  const orgs = [...new Set([m.chair, ...Object.keys(m.members)].map((u) => w.users[u]!.org))];
  return person === null || orgs.every((o) => consentNames(w, person, o));
}

/** I8: may `user` read the lifecycle part of `kase` about `person` (null: household-wide)? */
export function seesLifecyclePart(w: World, user: string, kase: string, person: string | null): Decision {
  if (isLead(w, user, kase) || breakGlass(w, user, kase)) return 'allow';
  if (onTeam(w, user, kase) && (person ? consentNames(w, person, orgOf(w, user)) : householdConsented(w, orgOf(w, user), kase))) return 'allow';
  return yes(Object.keys(w.meetings).some((m) => lifecycleViaMeeting(w, user, m, kase, person)));
}

/** I8: does `user` read any part of the case's lifecycle (else 404, or 403 for the index and the unconsented team)? */
export function lifecycleStatus(w: World, user: string, kase: string): { status: Decision; view: 'parts' | 'index' | null } {
  const persons = w.households[w.cases[kase]!.household]!.members;
  const any = [null, ...persons].some((p) => seesLifecyclePart(w, user, kase, p) === 'allow');
  if (any) return { status: 'allow', view: 'parts' };
  return { status: 'deny', view: caseView(w, user, kase) ? 'index' : null };
}

function seesLifecycleCanary(w: World, user: string, c: Canary): Decision {
  const part = seesLifecyclePart(w, user, c.caseId!, c.personId ?? null);
  if (part === 'allow' || seesLifecycleViaAdvice(w, user, c)) return 'allow';
  // A monitoring entry is its writer's own work (rule 1): the team organization that wrote it reads it.
  if ((c.kind === 'monitoring.note' || c.kind === 'monitoring.personView') && onTeam(w, user, c.caseId!) && c.org === orgOf(w, user)) return 'allow';
  return part;
}

/** I9: does the ground of advice request `id` hold for its advisor now? */
export function adviceGroundHolds(w: World, id: string): boolean {
  const q = w.adviceRequests[id]!;
  if (!hasRole(w, q.advisor, 'advisor')) return false;
  if (q.basis === 'meeting') {
    const m = w.meetings[q.meeting!]!;
    return isStatutory(m.basis) && m.cases.includes(q.case) && acknowledged(w, q.advisor, q.meeting!) && !excludedFrom(w, q.advisor, q.meeting!, q.case);
  }
  return householdConsented(w, orgOf(w, q.advisor), q.case);
}

/** I9: the question and the answer. */
export function seesAdviceText(w: World, user: string, id: string): Decision {
  const q = w.adviceRequests[id]!;
  // Rule 3: the question goes with the ground (the advisor keeps only their own answer).
  if (q.advisor === user && hasRole(w, user, 'advisor')) return adviceGroundHolds(w, id) ? 'allow' : 'either';
  if (isLead(w, user, q.case)) return 'allow';
  if (onTeam(w, user, q.case)) {
    if (householdConsented(w, orgOf(w, user), q.case)) return 'allow';
    return lifecycleStatus(w, user, q.case).status === 'allow' ? 'either' : 'deny';
  }
  return 'deny';
}

/** I9: what the snapshots of requests addressed to `user` show of a canary while their ground holds. */
function seesViaAdvice(w: World, user: string, c: Canary): Decision {
  let out: Decision = 'deny';
  for (const [id, q] of Object.entries(w.adviceRequests)) {
    if (q.advisor !== user || !hasRole(w, user, 'advisor')) continue;
    const hh = w.cases[q.case]!.household;
    if (c.kind === 'household.name' && c.owner === hh && out === 'deny') out = 'either'; // the advisor's inbox names the household
    if (!adviceGroundHolds(w, id)) continue;
    const covered = (p: string) => q.basis === 'meeting' || consentNames(w, p, orgOf(w, user));
    const members = w.households[hh]!.members;
    const core = q.include.includes('core');
    const hit =
      (core && (c.kind === 'case.summary' || c.kind === 'case.referralRoute') && c.owner === q.case) ||
      (core && c.kind === 'case.problemNote' && c.caseId === q.case && covered(c.personId!)) ||
      (core && (c.kind === 'person.familyName' || c.kind === 'person.givenName') && members.includes(c.owner) && covered(c.owner));
    if (hit) return 'allow';
  }
  return out;
}

/** I9 for the lifecycle parts a snapshot tables (assessment, plan): see {@link seesLifecycleCanary}. */
export function seesLifecycleViaAdvice(w: World, user: string, c: Canary): boolean {
  return Object.entries(w.adviceRequests).some(([id, q]) => {
    if (q.advisor !== user || q.case !== c.caseId || !adviceGroundHolds(w, id)) return false;
    const part = c.kind.startsWith('assessment.') ? 'assessment' : c.kind.startsWith('plan.') ? 'plan' : null;
    if (!part || !q.include.includes(part)) return false;
    return !c.personId || q.basis === 'meeting' || consentNames(w, c.personId, orgOf(w, user));
  });
}

export type LifecycleWrite = 'assessment.record' | 'plan.draft' | 'plan.submit' | 'terminate' | 'reopen' | 'advice.request' | 'export';

/** I8: the lead writes the lifecycle (break-glass is read-only, rule 8); exports on a team ground only (rule 7). */
export function mayLifecycleWrite(w: World, user: string, action: LifecycleWrite, kase: string): Decision {
  if (action === 'export') return yes(onTeam(w, user, kase) && lifecycleStatus(w, user, kase).status === 'allow');
  return yes(isLead(w, user, kase));
}

/** I8: monitoring — the lead of any action (or a household observation); a team organization of the actions it holds. */
export function mayMonitor(w: World, user: string, kase: string, actionKey: string | null): Decision {
  if (isLead(w, user, kase)) return 'allow';
  if (!onTeam(w, user, kase) || lifecycleStatus(w, user, kase).status !== 'allow') return 'deny';
  if (actionKey === null) return yes(householdConsented(w, orgOf(w, user), kase));
  return yes(w.planActions[kase]?.[actionKey]?.org === orgOf(w, user));
}

/** I8 (rule 2): a plan is approved by the chair of a consent-based meeting (重層的支援会議) listing the case, once it started, while the gate holds. */
export function mayApprove(w: World, user: string, meeting: string, kase: string, started: boolean, multilayer: boolean): Decision {
  const m = w.meetings[meeting]!;
  if (m.chair !== user || w.users[user]!.disabled) return 'deny';
  if (lifecycleStatus(w, user, kase).status !== 'allow') return 'deny';
  return yes(multilayer && m.basis === 'consent' && m.cases.includes(kase) && started && caseOpenAt(w, meeting, kase));
}

// ---- meetings (rules 2, 3, 4, 5; I5) ---------------------------------------------------------

export const isStatutory = (basis: string) => basis === 'art106-6' || basis.startsWith('designated:');

/** Invited (or chairing), and not disabled: the meeting's header and notice. */
export function inMeeting(w: World, user: string, meeting: string): boolean {
  const m = w.meetings[meeting]!;
  return !w.users[user]!.disabled && (m.chair === user || user in m.members);
}
/** Membership per agenda item: is `user` excluded from `kase` at `meeting`? */
export const excludedFrom = (w: World, user: string, meeting: string, kase: string) => w.meetings[meeting]!.excluded?.[kase]?.includes(user) === true;
const acknowledged = (w: World, user: string, meeting: string) => w.meetings[meeting]!.members[user]?.acknowledged === true;

/** Rule 5: the materials (and the agenda PDF): an acknowledged member while they are open. */
export function seesMaterials(w: World, user: string, meeting: string): Decision {
  return yes(inMeeting(w, user, meeting) && acknowledged(w, user, meeting) && w.meetings[meeting]!.open);
}

/** Rule 5: the minutes: acknowledged members while open; then the chair and the secretariat. */
export function seesMinutes(w: World, user: string, meeting: string): Decision {
  const m = w.meetings[meeting]!;
  if (!inMeeting(w, user, meeting) || !acknowledged(w, user, meeting)) return 'deny';
  return yes(m.open || m.chair === user || m.convener === user);
}

/** Rule 3's gate: at a consent-based meeting a case shows while every person with a problem consents naming every member's organization. */
export function caseOpenAt(w: World, meeting: string, kase: string): boolean {
  const m = w.meetings[meeting]!;
  if (isStatutory(m.basis)) return true;
  const orgs = [...new Set([m.chair, ...Object.keys(m.members)].map((u) => w.users[u]!.org))];
  return w.cases[kase]!.problems.every((p) => orgs.every((o) => consentNames(w, p, o)));
}

/** Rule 3: at a consent-based meeting a household member without a problem and without consent shows only as relationship and age. */
function namedAt(w: World, meeting: string, kase: string, person: string): boolean {
  if (isStatutory(w.meetings[meeting]!.basis)) return true;
  return w.cases[kase]!.problems.includes(person) || Object.values(w.consents).some((k) => k.person === person && k.active);
}

/** Rule 4 at a meeting: tabled 税情報 only to its writer or a team organization named in a tax-including consent. */
function seesTabledRecord(w: World, user: string, record: string): boolean {
  const r = w.records[record]!;
  if (storedClass(w, record) !== 'tax') return true;
  if (!worksCases(w, user)) return false;
  const org = orgOf(w, user);
  return r.author === org || (onTeam(w, user, r.case) && r.person !== null && consentNames(w, r.person, org, true));
}

/** What meeting `meeting`'s own routes (materials, agenda, minutes) may show `user` of the canary. */
export function seesViaMeeting(w: World, user: string, meeting: string, c: Canary): Decision {
  const m = w.meetings[meeting]!;
  if (c.kind === 'meeting.minutes' || c.kind === 'meeting.decision') return c.owner === meeting ? seesMinutes(w, user, meeting) : 'deny';
  // The meeting's list of assignments: its chair, and the members who may read its materials.
  if (c.kind === 'task.text')
    return yes(
      w.tasks[c.owner]!.meeting === meeting &&
        inMeeting(w, user, meeting) &&
        !excludedFrom(w, user, meeting, w.tasks[c.owner]!.case) &&
        (m.chair === user || seesMaterials(w, user, meeting) === 'allow'),
    );
  if (seesMaterials(w, user, meeting) === 'deny') return 'deny';
  const open = (kase: string) => m.cases.includes(kase) && !excludedFrom(w, user, meeting, kase) && caseOpenAt(w, meeting, kase);
  const coreOf = (pred: (kase: string) => boolean) => m.tabled.some((t) => !t.record && open(t.case) && pred(t.case));
  switch (c.kind) {
    case 'meeting.purpose':
      return yes(c.owner === meeting && open(c.caseId!));
    case 'request.text':
    case 'request.answer': {
      const q = w.requests[c.owner]!;
      return yes(q.meeting === meeting && q.answered && open(q.case));
    }
    case 'case.summary':
    case 'case.referralRoute':
      return yes(coreOf((k) => k === c.owner));
    case 'case.problemNote':
      return yes(coreOf((k) => k === c.caseId));
    case 'household.name':
      return yes(coreOf((k) => w.cases[k]!.household === c.owner));
    case 'person.familyName':
    case 'person.givenName':
      return yes(coreOf((k) => w.households[w.cases[k]!.household]!.members.includes(c.owner) && namedAt(w, meeting, k, c.owner)));
    case 'record.body': {
      // Rule 3: at a consent-based meeting, a record about a person only while that person's consents name every member's organization.
      const about = w.records[c.owner]!.person;
      const orgs = [...new Set([m.chair, ...Object.keys(m.members)].map((u) => w.users[u]!.org))];
      const covered = isStatutory(m.basis) || about === null || orgs.every((o) => consentNames(w, about, o));
      return yes(m.tabled.some((t) => t.record === c.owner && open(t.case)) && covered && seesTabledRecord(w, user, c.owner));
    }
    default:
      return 'deny';
  }
}

/** I7. */
export function seesConveningRequest(w: World, user: string, id: string): boolean {
  const q = w.conveningRequests[id]!;
  return worksCases(w, user) && (isCoordinator(w, user) || q.org === orgOf(w, user) || q.forwardedTo === user);
}

/** I6: the organization an information request is addressed to learns who it is about. */
function requestedAbout(w: World, user: string, person: string): boolean {
  return worksCases(w, user) && Object.values(w.requests).some((q) => q.person === person && q.org === orgOf(w, user));
}
const requestedOn = (w: World, user: string, kase: string) =>
  worksCases(w, user) && Object.values(w.requests).some((q) => q.case === kase && q.org === orgOf(w, user));

/** Rule 5: a task's text stays with the assigned organization (its users who work on cases). */
export function seesTask(w: World, user: string, task: string): Decision {
  return yes(worksCases(w, user) && orgOf(w, user) === w.tasks[task]!.org);
}

export type MeetingAction =
  | 'convene'
  | 'member.add'
  | 'member.remove'
  | 'case.add'
  | 'case.exclude'
  | 'case.include'
  | 'acknowledge'
  | 'table'
  | 'minutes'
  | 'minutes.sign'
  | 'assign'
  | 'task.status'
  | 'request'
  | 'request.answer'
  | 'honorarium'
  | 'convening.request'
  | 'convening.forward';

/** api.md's "who" for the meeting writes (authorization only: a 422 after it counts as allowed). */
export function mayMeetingWrite(w: World, user: string, action: MeetingAction, target: string): Decision {
  if (w.users[user]!.disabled) return 'deny';
  switch (action) {
    case 'convene':
      return yes(hasRole(w, user, 'chair'));
    case 'acknowledge':
      return yes(inMeeting(w, user, target));
    case 'table':
      return seesMaterials(w, user, target);
    case 'task.status':
      return seesTask(w, user, target);
    case 'request.answer':
      return yes(worksCases(w, user) && w.requests[target]!.org === orgOf(w, user));
    case 'convening.request':
      return yes(onTeam(w, user, target)); // target: the case
    case 'convening.forward':
      return yes(isCoordinator(w, user));
    default:
      return yes(inMeeting(w, user, target) && w.meetings[target]!.chair === user);
  }
}

// ---- ids: not content, but a principal without any ground must not learn that they exist ----

export type IdKind = 'case' | 'person' | 'record' | 'consent';

/** A case on the agenda of a meeting whose materials `user` may read (its ids are in the tabled core). */
const onAgendaOf = (w: World, user: string, pred: (kase: string) => boolean) =>
  Object.entries(w.meetings).some(([id, m]) => seesMaterials(w, user, id) === 'allow' && m.cases.some((k) => pred(k) && !excludedFrom(w, user, id, k)));

/** May the id of an object appear in an answer to `user`? Never 'allow' (ids are not content): 'either' or 'deny'. */
export function seesId(w: World, user: string, kind: IdKind, id: string): Decision {
  const some = (d: Decision) => (d === 'deny' ? 'deny' : 'either');
  switch (kind) {
    case 'case': {
      const authored = worksCases(w, user) && Object.values(w.records).some((r) => r.case === id && r.author === w.users[user]!.org);
      const task = Object.keys(w.tasks).some((t) => w.tasks[t]!.case === id && seesTask(w, user, t) === 'allow');
      const convening = Object.entries(w.conveningRequests).some(([q, r]) => r.case === id && seesConveningRequest(w, user, q));
      const advised = Object.values(w.adviceRequests).some((q) => q.case === id && q.advisor === user);
      return caseView(w, user, id) !== null || authored || task || convening || advised || requestedOn(w, user, id) || onAgendaOf(w, user, (k) => k === id)
        ? 'either'
        : 'deny';
    }
    case 'person': {
      // Also whom its own records are about, and whose consents it may record or withdraw (the coordinator).
      const ownRecord = worksCases(w, user) && Object.values(w.records).some((r) => r.person === id && r.author === w.users[user]!.org);
      const consentWork = casesOfPerson(w, id).some((k) => mayWrite(w, user, 'consent.withdraw', k, id) === 'allow');
      const tabled = onAgendaOf(w, user, (k) => w.households[w.cases[k]!.household]!.members.includes(id));
      const advised = Object.values(w.adviceRequests).some((q) => q.advisor === user && w.households[w.cases[q.case]!.household]!.members.includes(id));
      return ownRecord || consentWork || tabled || advised || requestedAbout(w, user, id) ? 'either' : some(seesPerson(w, user, id));
    }
    case 'record':
      return Object.values(w.meetings).some((m) => m.tabled.some((t) => t.record === id)) && seesRecord(w, user, id) === 'deny'
        ? some(seesCanary(w, user, { kind: 'record.body', owner: id, value: '' }))
        : some(seesRecord(w, user, id));
    case 'consent':
      return some(seesPerson(w, user, w.consents[id]!.person));
  }
}
