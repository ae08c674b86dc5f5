/**
 * Who may see a person (rule 1): own work (the organization registered the person), the case
 * team (identity of household members), or an active break-glass grant (rule 8). Nothing
 * else — not the administrator role, not search, and not registering a household of persons
 * seen through a team (that would keep them, with their address, after leaving the team).
 *
 * `personGrants` is the rule for one person; `personsVisibleTo` is the same rule as a SQL
 * scope for lists and search. test/policy checks that the two agree.
 */
import { type Kysely, sql } from 'kysely';
import type { LegalBasis } from '../audit/events.ts';
import { prepareQuery } from '../db/prepared.ts';
import type { DB } from '../db/schema.ts';
import { nowIso } from '../lib/clock.ts';
import { type Actor, actsForOrganization } from './actor.ts';
import { personsConsentingTo } from './consentScope.ts';

/** Person ids in households on cases whose team includes the organization. */
function personsOnTeamCases(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('householdMembers as hm')
    .innerJoin('cases as c', 'c.householdId', 'hm.householdId')
    .innerJoin('caseTeam as t', 't.caseId', 'c.id')
    .select('hm.personId')
    .where('t.organizationId', '=', organizationId);
}

/** Person ids on cases the user holds an unexpired break-glass grant for. */
function personsUnderBreakGlass(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('householdMembers as hm')
    .innerJoin('cases as c', 'c.householdId', 'hm.householdId')
    .innerJoin('breakGlassGrants as g', 'g.caseId', 'c.id')
    .select('hm.personId')
    .where('g.userId', '=', userId)
    .where('g.expiresAt', '>', nowIso());
}

/**
 * The scope: persons the actor may see, as a query to start lists and search from. The team
 * ground is a correlated EXISTS join, checked for each candidate row through indexes, so a
 * search among a million persons costs its few candidates, not a list of every person on
 * the organization's cases built per query (issue 6).
 */
export function personsVisibleTo(db: Kysely<DB>, actor: Actor) {
  const base = db.selectFrom('persons');
  if (!actsForOrganization(actor)) return base.where(sql<boolean>`1 = 0`);
  return base.where((eb) =>
    eb.or([
      eb('persons.registeredByOrganizationId', '=', actor.organizationId),
      eb.exists(personsOnTeamCases(db, actor.organizationId).where('hm.personId', '=', sql.ref<string>('persons.id'))),
      // Break-glass grants are few, short and rare: the persons under the user's grants are a
      // short list made once per query, where a correlated EXISTS cost three index searches
      // for every candidate of a search, with or without a grant (issue 6).
      eb('persons.id', 'in', personsUnderBreakGlass(db, actor.userId)),
    ]),
  );
}

const registeredBy = prepareQuery(['personId'], (db, a: { personId: string }) =>
  db.selectFrom('persons').select(['registeredByOrganizationId']).where('id', '=', a.personId),
);

/** The team and break-glass grounds for one person, in one round trip (a person read is on every screen). */
const teamAndBreakGlassGrounds = prepareQuery(
  ['personId', 'organizationId', 'userId', 'now'],
  (db, a: { personId: string; organizationId: string; userId: string; now: string }) =>
    db
      .selectFrom('householdMembers as hm')
      .innerJoin('cases as c', 'c.householdId', 'hm.householdId')
      .innerJoin('caseTeam as t', 't.caseId', 'c.id')
      .select(['c.id as caseId', 'c.leadOrganizationId', 't.basis', sql<string | null>`NULL`.as('grantId')])
      .where('hm.personId', '=', a.personId)
      .where('t.organizationId', '=', a.organizationId)
      .unionAll(
        db
          .selectFrom('breakGlassGrants as g')
          .innerJoin('cases as c', 'c.id', 'g.caseId')
          .innerJoin('householdMembers as hm', 'hm.householdId', 'c.householdId')
          .select(['c.id as caseId', 'c.leadOrganizationId', sql<string>`NULL`.as('basis'), 'g.id as grantId'])
          .where('hm.personId', '=', a.personId)
          .where('g.userId', '=', a.userId)
          .where('g.expiresAt', '>', a.now),
      ),
);

const consentNaming = prepareQuery(['personId', 'organizationId'], (db, a: { personId: string; organizationId: string }) =>
  personsConsentingTo(db, a.organizationId).where('ac.personId', '=', a.personId).select('ac.id'),
);

/**
 * The grants by which the actor sees one person, with their legal bases; empty when the
 * person is invisible. `seesContact` tells whether address and sex may be shown (team
 * membership alone opens identity only: name, birth date, relationship). A caller that has
 * already loaded the person passes its registering organization and saves the lookup.
 */
export async function personGrants(
  db: Kysely<DB>,
  actor: Actor,
  personId: string,
  loaded?: { registeredByOrganizationId: string },
): Promise<{ bases: LegalBasis[]; seesContact: boolean }> {
  const none = { bases: [], seesContact: false };
  if (!actsForOrganization(actor)) return none;
  const person = loaded ?? (await registeredBy.first(db, { personId }));
  if (!person) return none;
  const bases: LegalBasis[] = [];
  let seesContact = false;
  const org = actor.organizationId;
  if (person.registeredByOrganizationId === org) {
    bases.push({ ground: 'own_work' });
    seesContact = true;
  }
  const grounds = await teamAndBreakGlassGrounds.all(db, { personId, organizationId: org, userId: actor.userId, now: nowIso() });
  const teams = grounds.filter((g) => g.grantId === null);
  for (const t of teams) {
    if (t.leadOrganizationId === org) {
      bases.push({ ground: 'lead', caseId: t.caseId });
      seesContact = true;
    } else bases.push({ ground: 'team', caseId: t.caseId, teamBasis: t.basis });
  }
  if (teams.length > 0 && !seesContact) {
    const consent = await consentNaming.first(db, { personId, organizationId: org });
    if (consent) {
      bases.push({ ground: 'consent', consentId: consent.id });
      seesContact = true;
    }
  }
  const glass = grounds.find((g) => g.grantId !== null);
  if (glass) {
    bases.push({ ground: 'break_glass', grantId: glass.grantId! });
    seesContact = true;
  }
  return { bases, seesContact };
}
