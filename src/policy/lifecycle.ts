/**
 * Who may see and change a household's support lifecycle — its assessment, plan, monitoring
 * and termination evaluation (rules 1–3).
 *
 * The plan is the household's, and it is made of parts about each member:
 * - the lead organization, who assembles it, sees every part (and break-glass reads it, rule 8);
 * - a team organization sees the parts about a person whose active consent names it, and the
 *   household-wide parts (the household assessment, household goals and actions) once every
 *   person with a problem on the case has consented naming it — the same widening as the case
 *   summary (rule 3). Without consent the plan is not shared outside the lead (rule 2);
 * - an acknowledged member of a meeting that lists the case, while its materials are open,
 *   sees the plan under the meeting's basis: all of it at a 支援会議 (社会福祉法106条の6), and at a
 *   consent-based meeting the parts about persons whose consents name every member's
 *   organization (rule 3: others appear only as relationship and age).
 * Nothing here opens 税情報: no lifecycle part carries records.
 */
import type { Kysely } from 'kysely';
import type { LegalBasis } from '../audit/events.ts';
import type { DB } from '../db/schema.ts';
import { nowMs } from '../lib/clock.ts';
import type { Actor } from './actor.ts';
import { type CaseAccess, caseAccess } from './case.ts';
import { personsConsentingTo } from './consentScope.ts';
import { isStatutoryBasis, materialsCloseAt, meetingOrganizationIds } from './meeting.ts';

export interface LifecycleScope {
  caseId: string;
  /** The case grant, when the actor has one (team, break-glass, coordinator's index). */
  access: CaseAccess | null;
  /** Every part, whoever it is about. */
  all: boolean;
  /** Persons whose parts the actor sees (when not `all`). */
  personIds: Set<string>;
  /** Household-wide parts. */
  household: boolean;
  bases: LegalBasis[];
  /** The meeting that opened the plan, when that is the ground. */
  meetingId: string | null;
  /** No ground opens any part: the coordinator's index only. */
  indexOnly: boolean;
}

export function seesPerson(scope: LifecycleScope, personId: string | null): boolean {
  if (scope.all) return true;
  return personId === null ? scope.household : scope.personIds.has(personId);
}

/**
 * The lifecycle scope of a case; null when the case is invisible to the actor (answer 404).
 * `meetings: false` leaves out what meetings opened — for exports, since material shared at a
 * 支援会議 stays in the meeting (rule 7).
 */
export async function lifecycleScope(db: Kysely<DB>, actor: Actor, caseId: string, opts: { meetings?: boolean } = {}): Promise<LifecycleScope | null> {
  const access = await caseAccess(db, actor, caseId);
  const meeting = opts.meetings === false ? null : await meetingGround(db, actor, caseId);
  if (!access && !meeting) return null;
  const scope: LifecycleScope = {
    caseId,
    access,
    all: false,
    personIds: new Set(),
    household: false,
    bases: [],
    meetingId: null,
    indexOnly: false,
  };
  if (access && access.view === 'header') {
    if (access.isLead || access.breakGlassGrantId) scope.all = true;
    else {
      for (const [personId] of access.consentingPersons) scope.personIds.add(personId);
      scope.household = access.everyProblemPersonConsented;
    }
    scope.bases.push(...access.bases);
    for (const [personId, consentId] of access.consentingPersons) {
      if (!scope.all && !access.problemPersonIds.has(personId)) scope.bases.push({ ground: 'consent', consentId });
    }
  }
  if (meeting) {
    scope.meetingId = meeting.meetingId;
    scope.bases.push(meeting.basis);
    if (meeting.all) scope.all = true;
    else {
      for (const p of meeting.personIds) scope.personIds.add(p);
      scope.household ||= meeting.household;
    }
  }
  scope.indexOnly = !scope.all && scope.personIds.size === 0 && !scope.household;
  return scope;
}

interface MeetingGround {
  meetingId: string;
  basis: LegalBasis;
  all: boolean;
  personIds: string[];
  household: boolean;
}

/**
 * A meeting through which the actor reads the case's plan: they chair it or acknowledged its
 * duty, the case is on its agenda and they are not excluded from it, its materials are open,
 * and — for a consent-based meeting — rule 3's gate holds now.
 */
export async function meetingGround(db: Kysely<DB>, actor: Actor, caseId: string): Promise<MeetingGround | null> {
  const rows = await db
    .selectFrom('meetingCases as mc')
    .innerJoin('meetings as m', 'm.id', 'mc.meetingId')
    .leftJoin('meetingMembers as mm', (j) => j.onRef('mm.meetingId', '=', 'm.id').on('mm.userId', '=', actor.userId))
    .select(['m.id', 'm.legalBasis', 'm.chairUserId', 'm.startsAt', 'm.convenedAt', 'm.materialsCloseDays', 'mm.acknowledgedAt'])
    .where('mc.caseId', '=', caseId)
    .where((eb) => eb.or([eb('m.chairUserId', '=', actor.userId), eb('mm.acknowledgedAt', 'is not', null)]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('meetingCaseExclusions as x')
            .select('x.caseId')
            .whereRef('x.meetingId', '=', 'm.id')
            .where('x.caseId', '=', caseId)
            .where('x.userId', '=', actor.userId),
        ),
      ),
    )
    .orderBy('m.startsAt', 'desc')
    .execute();
  const now = nowMs();
  let best: MeetingGround | null = null;
  for (const m of rows) {
    // The materials gate of rule 5 binds the chair as well: acknowledged, window open.
    if (!m.acknowledgedAt) continue;
    if (now < Date.parse(m.convenedAt) || now > Date.parse(materialsCloseAt(m))) continue;
    const basis: LegalBasis = { ground: 'meeting', meetingId: m.id, legalBasis: m.legalBasis };
    if (isStatutoryBasis(m.legalBasis)) return { meetingId: m.id, basis, all: true, personIds: [], household: true };
    const orgs = await meetingOrganizationIds(db, m.id, m.chairUserId);
    const covered = await personsCoveredFor(db, caseId, orgs);
    if (!covered.gateHolds) continue;
    best ??= { meetingId: m.id, basis, all: false, personIds: covered.personIds, household: true };
  }
  return best;
}

/** Household members whose active consents name every one of the organizations, and whether every person with a problem is among them. */
export async function personsCoveredFor(db: Kysely<DB>, caseId: string, organizationIds: string[]) {
  const kase = await db.selectFrom('cases').select('householdId').where('id', '=', caseId).executeTakeFirstOrThrow();
  const members = (await db.selectFrom('householdMembers').select('personId').where('householdId', '=', kase.householdId).execute()).map((m) => m.personId);
  const problems = new Set((await db.selectFrom('caseProblems').select('personId').where('caseId', '=', caseId).execute()).map((p) => p.personId));
  const personIds: string[] = [];
  for (const personId of members) {
    let every = true;
    for (const org of organizationIds) {
      if (!(await personsConsentingTo(db, org).where('ac.personId', '=', personId).executeTakeFirst())) {
        every = false;
        break;
      }
    }
    if (every) personIds.push(personId);
  }
  const gateHolds = [...problems].every((p) => personIds.includes(p));
  return { personIds, gateHolds };
}

/** What the actor may change. Break-glass is read-only (rule 8); the lead assembles the plan. */
export function lifecycleAbilities(scope: LifecycleScope) {
  const lead = Boolean(scope.access?.isLead);
  return {
    editAssessment: lead,
    editPlan: lead,
    terminate: lead,
    requestAdvice: lead,
    /** Team organizations record monitoring of the actions they hold; the lead of any. */
    monitor: Boolean(scope.access?.onTeam),
  };
}
