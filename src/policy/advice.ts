/**
 * Advice requests to a 複合課題解決アドバイザー (rule 1, "Requests"): an advisor sees only what a
 * request tabled for them, and only while the ground of that request still holds —
 *
 * - `consent`: every person with a problem on the case has an active consent naming the
 *   advisor's organization (a withdrawal stops the sharing at once, rule 3);
 * - `meeting`: a decision of a meeting under a statutory duty (支援会議, 社会福祉法106条の6, or a
 *   designated body) that lists the case and of which the advisor is an acknowledged member,
 *   not excluded from the case.
 *
 * What is tabled never includes 税情報 (rule 4): the snapshot carries the case core, the
 * assessment and the plan, never records.
 */
import type { Kysely } from 'kysely';
import type { LegalBasis } from '../audit/events.ts';
import type { AdviceRequestTable, DB } from '../db/schema.ts';
import { type Actor, hasRole } from './actor.ts';
import { consentGaps, isStatutoryBasis } from './meeting.ts';

export type AdviceGroundFailure = 'consent_missing' | 'meeting_ground_lost';

export type AdviceGround = { ok: true; basis: LegalBasis } | { ok: false; reason: AdviceGroundFailure };

/** Is `advisor` (a user with the advisor role) an acknowledged member of a statutory meeting listing the case? */
export async function advisorMeetingStanding(db: Kysely<DB>, advisorUserId: string, meetingId: string, caseId: string) {
  const m = await db.selectFrom('meetings').select(['id', 'legalBasis']).where('id', '=', meetingId).executeTakeFirst();
  if (!m) return 'unknown_meeting' as const;
  if (!isStatutoryBasis(m.legalBasis)) return 'not_statutory' as const;
  const onAgenda = await db.selectFrom('meetingCases').select('caseId').where('meetingId', '=', meetingId).where('caseId', '=', caseId).executeTakeFirst();
  if (!onAgenda) return 'case_not_on_agenda' as const;
  const member = await db
    .selectFrom('meetingMembers')
    .select('acknowledgedAt')
    .where('meetingId', '=', meetingId)
    .where('userId', '=', advisorUserId)
    .executeTakeFirst();
  if (!member) return 'advisor_not_member' as const;
  const excluded = await db
    .selectFrom('meetingCaseExclusions')
    .select('userId')
    .where('meetingId', '=', meetingId)
    .where('caseId', '=', caseId)
    .where('userId', '=', advisorUserId)
    .executeTakeFirst();
  if (excluded) return 'advisor_excluded' as const;
  return member.acknowledgedAt ? ('ok' as const) : ('not_acknowledged' as const);
}

/** The ground on which the addressed advisor reads a request's snapshot now. */
export async function adviceGround(
  db: Kysely<DB>,
  actor: Actor,
  request: Pick<AdviceRequestTable, 'id' | 'caseId' | 'advisorUserId' | 'basisKind' | 'meetingId'>,
): Promise<AdviceGround> {
  if (request.basisKind === 'meeting' && request.meetingId) {
    const standing = await advisorMeetingStanding(db, actor.userId, request.meetingId, request.caseId);
    if (standing !== 'ok') return { ok: false, reason: 'meeting_ground_lost' };
    return { ok: true, basis: { ground: 'advice_request', requestId: request.id, meetingId: request.meetingId } };
  }
  const gaps = await consentGaps(db, request.caseId, [actor.organizationId]);
  if (gaps.length) return { ok: false, reason: 'consent_missing' };
  return { ok: true, basis: { ground: 'advice_request', requestId: request.id, meetingId: null } };
}

/** Only the addressed advisor reads a request's snapshot; anyone else needs the case. */
export function isAddressee(actor: Actor, request: Pick<AdviceRequestTable, 'advisorUserId'>): boolean {
  return request.advisorUserId === actor.userId && hasRole(actor, 'advisor');
}
