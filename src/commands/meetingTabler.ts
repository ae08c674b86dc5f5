/**
 * Tabling (rule 5): what goes onto a meeting's table is a snapshot, written once. The case
 * core (summary, household, problems, involved organizations) is tabled automatically on the
 * lead's behalf when a case is put on the agenda.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { ageOn, todayInTokyo } from '../ja/wareki.ts';
import { nowIso } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { isStatutoryBasis } from '../policy/meeting.ts';

export interface CaseCoreSnapshot {
  householdName: string | null;
  summary: string;
  referralRoute: string;
  members: { personId: string; name: string | null; relationship: string; age: number | null }[];
  problems: { personId: string; personName: string; type: string; note: string | null }[];
  organizations: string[];
}

/**
 * The case core as tabled. At a consent-based meeting, household members with no problem and
 * no consent appear only as relationship and age (rule 3).
 */
export async function caseCoreSnapshot(db: Kysely<DB> | Transaction<DB>, caseId: string, legalBasis: string): Promise<CaseCoreSnapshot> {
  const kase = await db
    .selectFrom('cases')
    .innerJoin('households', 'households.id', 'cases.householdId')
    .select(['cases.summary', 'cases.referralRoute', 'cases.householdId', 'cases.leadOrganizationId', 'households.name'])
    .where('cases.id', '=', caseId)
    .executeTakeFirstOrThrow();
  const members = await db
    .selectFrom('householdMembers as hm')
    .innerJoin('persons as p', 'p.id', 'hm.personId')
    .select(['p.id', 'p.familyName', 'p.givenName', 'p.birthDate', 'hm.relationship'])
    .where('hm.householdId', '=', kase.householdId)
    .orderBy('hm.position')
    .execute();
  const problems = await db.selectFrom('caseProblems').select(['personId', 'type', 'note']).where('caseId', '=', caseId).orderBy('position').execute();
  const withProblem = new Set(problems.map((p) => p.personId));
  const consenting = new Set(
    (
      await db
        .selectFrom('consents')
        .select('personId')
        .where('withdrawnAt', 'is', null)
        .where('personId', 'in', members.length ? members.map((m) => m.id) : ['-'])
        .execute()
    ).map((c) => c.personId),
  );
  const team = await db
    .selectFrom('caseTeam')
    .innerJoin('organizations', 'organizations.id', 'caseTeam.organizationId')
    .select('organizations.name')
    .where('caseTeam.caseId', '=', caseId)
    .orderBy('caseTeam.joinedAt')
    .execute();
  const today = todayInTokyo();
  const nameOf = new Map(members.map((m) => [m.id, `${m.familyName} ${m.givenName}`]));
  return {
    householdName: kase.name,
    summary: kase.summary,
    referralRoute: kase.referralRoute,
    members: members.map((m) => {
      const identified = isStatutoryBasis(legalBasis) || withProblem.has(m.id) || consenting.has(m.id);
      return {
        personId: m.id,
        name: identified ? `${m.familyName} ${m.givenName}` : null,
        relationship: m.relationship,
        age: m.birthDate ? ageOn(m.birthDate, today) : null,
      };
    }),
    problems: problems.map((p) => ({ personId: p.personId, personName: nameOf.get(p.personId) ?? '', type: p.type, note: p.note })),
    organizations: team.map((t) => t.name),
  };
}

/** Tables the case core of one case for a meeting, on the lead organization's behalf. */
export async function tableCaseCore(tx: Transaction<DB>, meetingId: string, caseId: string, legalBasis: string, byUserId: string) {
  const kase = await tx.selectFrom('cases').select('leadOrganizationId').where('id', '=', caseId).executeTakeFirstOrThrow();
  const snapshot = await caseCoreSnapshot(tx, caseId, legalBasis);
  await tx
    .insertInto('meetingMaterials')
    .values({
      id: newId(),
      meetingId,
      caseId,
      kind: 'case_core',
      recordId: null,
      personId: null,
      classification: null,
      snapshot: JSON.stringify(snapshot),
      tabledByUserId: byUserId,
      tabledByOrganizationId: kase.leadOrganizationId,
      tabledAt: nowIso(),
    })
    .execute();
  return snapshot;
}
