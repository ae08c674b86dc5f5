/**
 * What an actor may see of a case (rule 1), part by part, each with its legal basis:
 *
 * - header: that the household is a case, status, lead, team, member identity — every team
 *   organization (and an unexpired break-glass grant, rule 8);
 * - index: household name, status, lead, team — the coordinator, municipality-wide;
 * - core: summary, referral route, problems, household composition — the lead, who
 *   assembled it at intake (and break-glass, read-only);
 * - consent widening (rule 3): a team organization named in a person's active consent sees
 *   that person's problems, and the summary once every person with a problem has consented
 *   naming it.
 */
import { type Kysely, sql } from 'kysely';
import type { LegalBasis } from '../audit/events.ts';
import { prepareQuery } from '../db/prepared.ts';
import type { DB } from '../db/schema.ts';
import { nowIso } from '../lib/clock.ts';
import { type Actor, actsForOrganization, hasRole } from './actor.ts';
import { personsConsentingTo } from './consentScope.ts';

export type CaseView = 'header' | 'index';

export interface CaseAccess {
  caseId: string;
  view: CaseView;
  bases: LegalBasis[];
  onTeam: boolean;
  isLead: boolean;
  breakGlassGrantId: string | null;
  /** Persons whose problems the actor may see (all, for the lead and break-glass). */
  problemPersonIds: Set<string>;
  /** Persons with an active consent naming the actor's organization, and the consent ids. */
  consentingPersons: Map<string, string>;
  /** Persons with an active consent naming the actor's organization that includes tax. */
  taxConsentingPersons: Map<string, string>;
  /** Every person with a problem on the case has an active consent naming the organization. */
  everyProblemPersonConsented: boolean;
  seesSummary: boolean;
  seesComposition: boolean;
  /** Why a part is withheld, shown to the user (rule 1: "with the reason"). */
  withheld: { part: string; reason: WithheldReason; personIds?: string[] }[];
}

export type WithheldReason = 'consent_missing' | 'not_lead' | 'index_only';

/** The scope of cases visible to the actor: team, break-glass, or the coordinator's index. */
export function casesVisibleTo(db: Kysely<DB>, actor: Actor) {
  const base = db.selectFrom('cases');
  if (!actsForOrganization(actor)) return base.where(sql<boolean>`1 = 0`);
  if (hasRole(actor, 'coordinator')) return base;
  return base.where((eb) =>
    eb.or([
      eb('cases.id', 'in', db.selectFrom('caseTeam').select('caseId').where('organizationId', '=', actor.organizationId)),
      eb('cases.id', 'in', db.selectFrom('breakGlassGrants').select('caseId').where('userId', '=', actor.userId).where('expiresAt', '>', nowIso())),
    ]),
  );
}

/** The case with the actor's team membership and break-glass grant: one round trip. */
const caseWithGrounds = prepareQuery(
  ['caseId', 'organizationId', 'userId', 'now'],
  (db, a: { caseId: string; organizationId: string; userId: string; now: string }) =>
    db
      .selectFrom('cases')
      .select((eb) => [
        'cases.id',
        'cases.leadOrganizationId',
        'cases.householdId',
        eb
          .selectFrom('caseTeam')
          .select('caseTeam.basis')
          .where('caseTeam.caseId', '=', a.caseId)
          .where('caseTeam.organizationId', '=', a.organizationId)
          .as('teamBasis'),
        eb
          .selectFrom('breakGlassGrants as g')
          .select('g.id')
          .where('g.caseId', '=', a.caseId)
          .where('g.userId', '=', a.userId)
          .where('g.expiresAt', '>', a.now)
          .orderBy('g.expiresAt', 'desc')
          .limit(1)
          .as('grantId'),
      ])
      .where('cases.id', '=', a.caseId),
);

/** The persons with a problem on the case and the household's members, in one round trip. */
const problemPersonsAndMembers = prepareQuery(['caseId', 'householdId'], (db, a: { caseId: string; householdId: string }) =>
  db
    .selectFrom('caseProblems')
    .select([sql<string>`'problem'`.as('kind'), 'personId'])
    .where('caseId', '=', a.caseId)
    .unionAll(
      db
        .selectFrom('householdMembers')
        .select([sql<string>`'member'`.as('kind'), 'personId'])
        .where('householdId', '=', a.householdId),
    ),
);

/** Active consents naming the organization, of the household's members (rule 3). */
const consentsNamingInHousehold = prepareQuery(['organizationId', 'householdId'], (db, a: { organizationId: string; householdId: string }) =>
  personsConsentingTo(db, a.organizationId)
    .where('ac.personId', 'in', db.selectFrom('householdMembers').select('personId').where('householdId', '=', a.householdId))
    .select(['ac.id', 'ac.includesTaxInfo'])
    // Newest first, so that the basis cited for a person ends up the oldest consent that opens it.
    .orderBy('ac.id', 'desc'),
);

/** The rule for one case; null when the case is invisible (answer 404). */
export async function caseAccess(db: Kysely<DB>, actor: Actor, caseId: string): Promise<CaseAccess | null> {
  if (!actsForOrganization(actor)) return null;
  const org = actor.organizationId;
  const kase = await caseWithGrounds.first(db, { caseId, organizationId: org, userId: actor.userId, now: nowIso() });
  if (!kase) return null;
  const team = kase.teamBasis === null ? undefined : { basis: kase.teamBasis };
  const glass = kase.grantId === null ? undefined : { id: kase.grantId };
  const isLead = kase.leadOrganizationId === org && !!team;
  const isCoordinator = hasRole(actor, 'coordinator');
  if (!team && !glass && !isCoordinator) return null;

  const bases: LegalBasis[] = [];
  if (isLead) bases.push({ ground: 'lead', caseId });
  else if (team) bases.push({ ground: 'team', caseId, teamBasis: team.basis });
  if (glass) bases.push({ ground: 'break_glass', grantId: glass.id });
  if (!team && !glass) bases.push({ ground: 'coordinator_index' });

  const persons = await problemPersonsAndMembers.all(db, { caseId, householdId: kase.householdId });
  const withProblems = [...new Set(persons.filter((p) => p.kind === 'problem').map((p) => p.personId))];
  const memberIds = persons.filter((p) => p.kind === 'member').map((p) => p.personId);

  const consentingPersons = new Map<string, string>();
  const taxConsentingPersons = new Map<string, string>();
  if (team && memberIds.length > 0) {
    for (const r of await consentsNamingInHousehold.all(db, { organizationId: org, householdId: kase.householdId })) {
      consentingPersons.set(r.personId, r.id);
      if (r.includesTaxInfo === 1) taxConsentingPersons.set(r.personId, r.id);
    }
  }

  const seesAllCore = isLead || !!glass;
  const problemPersonIds = new Set(seesAllCore ? withProblems : withProblems.filter((p) => consentingPersons.has(p)));
  const summaryByConsent = !!team && withProblems.length > 0 && withProblems.every((p) => consentingPersons.has(p));
  const seesSummary = seesAllCore || summaryByConsent;
  if (!seesAllCore) {
    // Each person's problems are open through that person's own consent (rule 3).
    // (Without the lead's view, problemPersonIds holds only persons with such a consent.)
    for (const personId of problemPersonIds) bases.push({ ground: 'consent', consentId: consentingPersons.get(personId)! });
  }

  const withheld: CaseAccess['withheld'] = [];
  if (!team && !glass) {
    withheld.push({ part: 'header', reason: 'index_only' });
  } else if (!seesAllCore) {
    const missing = withProblems.filter((p) => !consentingPersons.has(p));
    if (missing.length > 0) withheld.push({ part: 'problems', reason: 'consent_missing', personIds: missing });
    if (!seesSummary) withheld.push({ part: 'summary', reason: 'consent_missing', personIds: missing });
    withheld.push({ part: 'composition', reason: 'not_lead' });
  }

  return {
    caseId,
    view: team || glass ? 'header' : 'index',
    bases,
    onTeam: !!team,
    isLead,
    breakGlassGrantId: glass?.id ?? null,
    problemPersonIds,
    consentingPersons,
    taxConsentingPersons,
    everyProblemPersonConsented: summaryByConsent,
    seesSummary,
    seesComposition: seesAllCore,
    withheld,
  };
}

/** May the actor write records, change the team, or record consents on this case? */
export function caseAbilities(actor: Actor, access: CaseAccess) {
  const coordinator = hasRole(actor, 'coordinator');
  return {
    addRecord: access.onTeam,
    changeStatus: access.isLead,
    manageTeam: access.isLead || coordinator,
    recordConsent: access.isLead || coordinator,
    breakGlass: coordinator && !access.onTeam,
  };
}
