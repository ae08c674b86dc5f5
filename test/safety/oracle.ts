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
}

export function emptyWorld(): World {
  return { orgs: {}, users: {}, persons: {}, households: {}, cases: {}, consents: {}, records: {}, grants: [] };
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
  | 'breakGlass.reason';

export interface Canary {
  value: string;
  kind: CanaryKind;
  /** The object it belongs to: person, household, case, record, consent or grant id. */
  owner: string;
  /** For a problem note: the case and the person. */
  caseId?: string;
  personId?: string;
}

/** May `user` see the canary through any route? */
export function seesCanary(w: World, user: string, c: Canary): Decision {
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
  }
}

// ---- ids: not content, but a principal without any ground must not learn that they exist ----

export type IdKind = 'case' | 'person' | 'record' | 'consent';

/** May the id of an object appear in an answer to `user`? Never 'allow' (ids are not content): 'either' or 'deny'. */
export function seesId(w: World, user: string, kind: IdKind, id: string): Decision {
  const some = (d: Decision) => (d === 'deny' ? 'deny' : 'either');
  switch (kind) {
    case 'case': {
      const authored = worksCases(w, user) && Object.values(w.records).some((r) => r.case === id && r.author === w.users[user]!.org);
      return caseView(w, user, id) !== null || authored ? 'either' : 'deny';
    }
    case 'person': {
      // Also whom its own records are about, and whose consents it may record or withdraw (the coordinator).
      const ownRecord = worksCases(w, user) && Object.values(w.records).some((r) => r.person === id && r.author === w.users[user]!.org);
      const consentWork = casesOfPerson(w, id).some((k) => mayWrite(w, user, 'consent.withdraw', k, id) === 'allow');
      return ownRecord || consentWork ? 'either' : some(seesPerson(w, user, id));
    }
    case 'record':
      return some(seesRecord(w, user, id));
    case 'consent':
      return some(seesPerson(w, user, w.consents[id]!.person));
  }
}
