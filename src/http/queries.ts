/**
 * Read queries shared by more than one route. They load what a policy decision has already
 * allowed; they decide nothing themselves.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** The identity and place in the household of each member, in the household's order. */
export function householdMembersQuery(db: Kysely<DB>, householdId: string) {
  return db
    .selectFrom('householdMembers as hm')
    .innerJoin('persons as p', 'p.id', 'hm.personId')
    .select([
      'p.id as personId',
      'p.familyName',
      'p.givenName',
      'p.familyNameKana',
      'p.givenNameKana',
      'p.birthDate',
      'hm.relationship',
      'hm.livesTogether',
      'hm.keyPerson',
    ])
    .where('hm.householdId', '=', householdId)
    .orderBy('hm.position');
}

/** The case team with each organization's name and basis, in the order they joined. */
export function caseTeamQuery(db: Kysely<DB>, caseId: string) {
  return db
    .selectFrom('caseTeam')
    .innerJoin('organizations', 'organizations.id', 'caseTeam.organizationId')
    .select(['caseTeam.organizationId', 'organizations.name as organizationName', 'caseTeam.basis', 'caseTeam.joinedAt'])
    .where('caseTeam.caseId', '=', caseId)
    .orderBy('caseTeam.joinedAt');
}
