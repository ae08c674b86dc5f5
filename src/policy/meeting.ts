/**
 * Meetings (rules 2, 3, 5): who may see a meeting, its materials and its minutes.
 *
 * - The header (kind, basis, time, members — no case content) and the notice: every invited
 *   member and the chair.
 * - The materials and the agenda: a member (the chair included) who has acknowledged the
 *   confidentiality duty for this meeting, while the materials are open — from convening to
 *   `materialsCloseDays` after the meeting starts (社会福祉法106条の6: the duty binds members;
 *   Kasane replaces the paper pledge collected and destroyed after the meeting).
 * - A 重層的支援会議 (basis `consent`) lists a case only while every person with a problem on it
 *   has an active consent naming the organization of every member, the chair included (rule
 *   3) — checked at convening, when a member or case is added, and on every read.
 * - 税情報 is never opened by a meeting (rule 4): a tabled tax record shows only to a member
 *   whose organization an active tax-including consent of that person names.
 */
import type { Kysely } from 'kysely';
import type { LegalBasis } from '../audit/events.ts';
import type { DB, MeetingTable } from '../db/schema.ts';
import { nowMs } from '../lib/clock.ts';
import { type Actor, actsForOrganization } from './actor.ts';
import { personsConsentingTo } from './consentScope.ts';

export const MEETING_KINDS = ['support', 'multilayer', 'case_conference'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

/** Existing bodies designated to serve as a 支援会議, each under its own law. */
export const DESIGNATED_BODIES = ['support-coordination', 'community-care', 'independence-council', 'child-protection'] as const;
export const DEFAULT_MATERIALS_CLOSE_DAYS = 7;

/** A basis whose members carry a statutory duty of confidentiality (may share without consent). */
export function isStatutoryBasis(legalBasis: string): boolean {
  return legalBasis === 'art106-6' || legalBasis.startsWith('designated:');
}

export interface MeetingAccess {
  meeting: MeetingTable;
  /** Whose standing this is. */
  userId: string;
  isChair: boolean;
  isMember: boolean;
  acknowledgedAt: string | null;
  materialsOpen: boolean;
  materialsCloseAt: string;
  basis: LegalBasis;
}

export function materialsCloseAt(meeting: Pick<MeetingTable, 'startsAt' | 'materialsCloseDays'>): string {
  return new Date(Date.parse(meeting.startsAt) + meeting.materialsCloseDays * 86_400_000).toISOString();
}

/** The actor's standing in a meeting; null when they are neither chair nor member (→ 404). */
export async function meetingAccess(db: Kysely<DB>, actor: Actor, meetingId: string): Promise<MeetingAccess | null> {
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirst();
  if (!meeting) return null;
  const membership = await db
    .selectFrom('meetingMembers')
    .select(['acknowledgedAt'])
    .where('meetingId', '=', meetingId)
    .where('userId', '=', actor.userId)
    .executeTakeFirst();
  const isChair = meeting.chairUserId === actor.userId;
  if (!membership && !isChair) return null;
  const now = nowMs();
  const closeAt = materialsCloseAt(meeting);
  return {
    meeting,
    userId: actor.userId,
    isChair,
    isMember: Boolean(membership),
    acknowledgedAt: membership?.acknowledgedAt ?? null,
    materialsOpen: now >= Date.parse(meeting.convenedAt) && now <= Date.parse(closeAt),
    materialsCloseAt: closeAt,
    basis: { ground: 'meeting', meetingId, legalBasis: meeting.legalBasis },
  };
}

/** Meeting ids the actor is invited to or chairs: the scope for lists. */
export function meetingsVisibleTo(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('meetings')
    .where((eb) =>
      eb.or([
        eb('meetings.chairUserId', '=', actor.userId),
        eb('meetings.id', 'in', db.selectFrom('meetingMembers').select('meetingId').where('userId', '=', actor.userId)),
      ]),
    );
}

export interface ConsentGap {
  personId: string;
  personName: string;
  organizationIds: string[];
  organizationNames: string[];
}

/**
 * Rule 3's gate for a consent-based meeting: the persons with a problem on the case whose
 * active consents do not name every one of `organizationIds`, and which ones are missing.
 */
export async function consentGaps(db: Kysely<DB>, caseId: string, organizationIds: string[]): Promise<ConsentGap[]> {
  const persons = await db
    .selectFrom('caseProblems as p')
    .innerJoin('persons as pe', 'pe.id', 'p.personId')
    .select(['pe.id', 'pe.familyName', 'pe.givenName'])
    .where('p.caseId', '=', caseId)
    .distinct()
    .execute();
  const orgs = [...new Set(organizationIds)];
  const names = new Map(
    (
      await db
        .selectFrom('organizations')
        .select(['id', 'name'])
        .where('id', 'in', orgs.length ? orgs : ['-'])
        .execute()
    ).map((o) => [o.id, o.name]),
  );
  const gaps: ConsentGap[] = [];
  for (const p of persons) {
    const missing: string[] = [];
    for (const org of orgs) {
      const named = await personsConsentingTo(db, org).where('ac.personId', '=', p.id).executeTakeFirst();
      if (!named) missing.push(org);
    }
    if (missing.length)
      gaps.push({
        personId: p.id,
        personName: `${p.familyName} ${p.givenName}`,
        organizationIds: missing,
        organizationNames: missing.map((o) => names.get(o) ?? o),
      });
  }
  return gaps;
}

/** The organizations of a meeting's chair and members: the ones rule 3's gate must cover. */
export async function meetingOrganizationIds(db: Kysely<DB>, meetingId: string, chairUserId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('organizationId')
    .where((eb) => eb.or([eb('id', '=', chairUserId), eb('id', 'in', db.selectFrom('meetingMembers').select('userId').where('meetingId', '=', meetingId))]))
    .execute();
  return [...new Set(rows.map((r) => r.organizationId))];
}

/** Rule 4 at a meeting: may this member see this person's tabled 税情報? */
export async function seesTaxOf(db: Kysely<DB>, actor: Actor, personId: string): Promise<boolean> {
  if (!actsForOrganization(actor)) return false;
  return Boolean(await personsConsentingTo(db, actor.organizationId, true).where('ac.personId', '=', personId).executeTakeFirst());
}
