/**
 * Meetings (api.md meeting rows): convening a 支援会議 / 重層的支援会議 / 複合課題ケース検討会,
 * members, the confidentiality acknowledgment, tabling, the materials, minutes and role
 * assignments. Every rule is in src/policy/meeting.ts; this file loads through it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Transaction } from 'kysely';
import type { AuditEventInput } from '../../audit/events.ts';
import { type CaseCoreSnapshot, tableCaseCore } from '../../commands/meetingTabler.ts';
import type { DB } from '../../db/schema.ts';
import {
  AssignmentBody,
  IdParams,
  MeetingCaseBody,
  MeetingCaseExclusionBody,
  MeetingCaseExclusionParams,
  MeetingCaseParams,
  MeetingCreateBody,
  MeetingMemberBody,
  MeetingMemberParams,
  MeetingMinutesBody,
  MeetingTableBody,
} from '../../domain/schemas.ts';
import { renderAgendaPdf, renderNoticePdf, renderPledgePdf } from '../../forms/meetings/index.ts';
import { nowIso } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { caseAccess } from '../../policy/case.ts';
import {
  consentGaps,
  DEFAULT_MATERIALS_CLOSE_DAYS,
  isStatutoryBasis,
  type MeetingAccess,
  meetingAccess,
  meetingOrganizationIds,
  meetingsVisibleTo,
  seesTaxOf,
} from '../../policy/meeting.ts';
import type { Services } from '../../services.ts';
import { parseRoles } from '../auth.ts';
import { actorOf, requireRole } from '../context.ts';
import { AppError, conflict, type FieldError, forbidden, invalid, notFound, unknownReference } from '../errors.ts';
import { reviewAttention } from '../lifecycle.ts';
import { notify } from '../notifications.ts';
import { gapText } from '../presenters.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

/** Administrators and auditors see no case content (rule 1): holding no other role, they sit in no meeting. */
const takesPartInMeetings = (rolesJson: string) => parseRoles(rolesJson).some((r) => r !== 'admin' && r !== 'auditor');

/** The legal basis a meeting records: fixed by its kind, declared by a case conference. */
function effectiveBasis(kind: string, declared: string | undefined): { basis?: string; error?: FieldError } {
  if (kind === 'multilayer')
    return declared && declared !== 'consent' ? { error: { path: 'legalBasis', key: 'field.legal_basis_kind' } } : { basis: 'consent' };
  if (kind === 'support') return declared === 'consent' ? { error: { path: 'legalBasis', key: 'field.legal_basis_kind' } } : { basis: declared ?? 'art106-6' };
  if (!declared) return { error: { path: 'legalBasis', key: 'field.legal_basis_required' } };
  if (declared !== 'art106-6' && declared !== 'consent') return { error: { path: 'legalBasis', key: 'field.legal_basis_kind' } };
  return { basis: declared };
}

export async function meetingRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  /** The organizations among `organizationIds` that no active consent of the person names (rule 3). */
  async function unconsentedOrganizations(personId: string, organizationIds: string[]): Promise<string[]> {
    const named = await db
      .selectFrom('consents as c')
      .innerJoin('consentOrganizations as co', 'co.consentId', 'c.id')
      .select('co.organizationId')
      .where('c.personId', '=', personId)
      .where('c.withdrawnAt', 'is', null)
      .execute();
    const covered = new Set(named.map((n) => n.organizationId));
    return organizationIds.filter((o) => !covered.has(o));
  }

  async function load(req: FastifyRequest, meetingId: string): Promise<MeetingAccess> {
    const actor = actorOf(req);
    const access = await meetingAccess(db, actor, meetingId);
    if (!access) {
      const exists = await db.selectFrom('meetings').select('id').where('id', '=', meetingId).executeTakeFirst();
      if (exists) await auditReads(services, req, [{ type: 'ACCESS_DENIED', outcome: 'denied', subjectType: 'meeting', subjectId: meetingId }]);
      throw notFound();
    }
    return access;
  }

  /** The agenda cases this user is excluded from at this meeting (membership per agenda item). */
  async function excludedCaseIds(meetingId: string, userId: string): Promise<Set<string>> {
    const rows = await db.selectFrom('meetingCaseExclusions').select('caseId').where('meetingId', '=', meetingId).where('userId', '=', userId).execute();
    return new Set(rows.map((r) => r.caseId));
  }

  function requireChair(access: MeetingAccess) {
    if (!access.isChair) throw forbidden('rule.chair_only');
  }

  /** The materials gate of rule 5: acknowledged, and within the window. */
  async function requireMaterials(req: FastifyRequest, access: MeetingAccess) {
    const refuse = async (key: 'rule.acknowledge_first' | 'rule.materials_closed') => {
      await auditReads(services, req, [
        { type: 'ACCESS_DENIED', outcome: 'denied', subjectType: 'meeting_materials', subjectId: access.meeting.id, payload: { reason: key } },
      ]);
      throw forbidden(key);
    };
    if (!access.acknowledgedAt) await refuse('rule.acknowledge_first');
    if (!access.materialsOpen) await refuse('rule.materials_closed');
  }

  async function header(access: MeetingAccess) {
    const m = access.meeting;
    const members = await db
      .selectFrom('meetingMembers as mm')
      .innerJoin('users as u', 'u.id', 'mm.userId')
      .innerJoin('organizations as o', 'o.id', 'u.organizationId')
      .select(['mm.userId', 'u.displayName', 'u.organizationId', 'o.name as organizationName', 'mm.acknowledgedAt', 'mm.addedAt'])
      .where('mm.meetingId', '=', m.id)
      .orderBy('mm.addedAt')
      .execute();
    const chair = await db
      .selectFrom('users')
      .innerJoin('organizations', 'organizations.id', 'users.organizationId')
      .select(['users.id', 'users.displayName', 'organizations.name as organizationName'])
      .where('users.id', '=', m.chairUserId)
      .executeTakeFirstOrThrow();
    const caseCount = (await db.selectFrom('meetingCases').select('caseId').where('meetingId', '=', m.id).execute()).length;
    // Membership per agenda item: the viewer learns how many cases they are excluded from, never which
    // cases or who else is excluded.
    const excludedCaseCount = (await excludedCaseIds(m.id, access.userId)).size;
    return {
      id: m.id,
      kind: m.kind,
      legalBasis: m.legalBasis,
      statutoryConfidentiality: isStatutoryBasis(m.legalBasis),
      title: m.title,
      startsAt: m.startsAt,
      place: m.place,
      online: m.online === 1,
      seriesId: m.seriesId,
      convenedAt: m.convenedAt,
      materialsCloseAt: access.materialsCloseAt,
      materialsOpen: access.materialsOpen,
      chair: { userId: chair.id, displayName: chair.displayName, organizationName: chair.organizationName },
      members,
      caseCount,
      me: { isChair: access.isChair, isMember: access.isMember, acknowledgedAt: access.acknowledgedAt, excludedCaseCount },
      // The secretariat keeps the minutes with the chair after the window closes.
      convenedByUserId: m.convenedByUserId,
      // The chair set the agenda and may see its case ids (no content) before pledging.
      ...(access.isChair
        ? {
            agendaCaseIds: (await db.selectFrom('meetingCases').select('caseId').where('meetingId', '=', m.id).orderBy('addedAt').execute()).map(
              (c) => c.caseId,
            ),
          }
        : {}),
    };
  }

  /** Rule 3 for a consent-based meeting: refuse (422) naming the persons and organizations. */
  async function gateOrRefuse(legalBasis: string, caseIds: string[], organizationIds: string[], path: (i: number) => string) {
    if (isStatutoryBasis(legalBasis)) return;
    const errors: FieldError[] = [];
    for (const [i, caseId] of caseIds.entries()) {
      const gaps = await consentGaps(db, caseId, organizationIds);
      if (gaps.length) errors.push({ path: path(i), key: 'field.consent_gap', params: { gaps: gapText(gaps) } });
    }
    if (errors.length) throw invalid(...errors);
  }

  r.post('/meetings', { schema: { tags: ['meetings'], summary: '会議の招集（総括者）', body: MeetingCreateBody } }, async (req, reply) => {
    const actor = requireRole(req, 'chair');
    const b = req.body;
    const errors: FieldError[] = [];
    const { basis, error } = effectiveBasis(b.kind, b.legalBasis);
    if (error) errors.push(error);
    const userIds = [...new Set([b.chairUserId, ...b.memberUserIds])];
    const users = await db.selectFrom('users').select(['id', 'organizationId', 'disabledAt', 'roles']).where('id', 'in', userIds).execute();
    const byId = new Map(users.map((u) => [u.id, u]));
    if (!byId.has(b.chairUserId)) errors.push(unknownReference('chairUserId', 'user'));
    else if (!takesPartInMeetings(byId.get(b.chairUserId)!.roles)) errors.push({ path: 'chairUserId', key: 'field.not_meeting_role' });
    b.memberUserIds.forEach((id, i) => {
      if (!byId.has(id)) errors.push(unknownReference(`memberUserIds.${i}`, 'user'));
      else if (byId.get(id)?.disabledAt) errors.push({ path: `memberUserIds.${i}`, key: 'field.disabled_user' });
      else if (!takesPartInMeetings(byId.get(id)!.roles)) errors.push({ path: `memberUserIds.${i}`, key: 'field.not_meeting_role' });
    });
    for (const [i, caseId] of b.caseIds.entries()) {
      // A case the convener may not see is as unknown as one that does not exist.
      if (!(await caseAccess(db, actor, caseId))) errors.push(unknownReference(`caseIds.${i}`, 'case'));
      else if (basis && isStatutoryBasis(basis) && !b.purposes?.[caseId]) errors.push({ path: `purposes.${caseId}`, key: 'field.purpose_required' });
    }
    if (errors.length) throw invalid(...errors);
    const legalBasis = basis as string;
    const organizationIds = [...new Set(userIds.map((id) => byId.get(id)!.organizationId))];
    await gateOrRefuse(legalBasis, b.caseIds, organizationIds, (i) => `caseIds.${i}`);

    const count = b.recurrence?.count ?? 1;
    const seriesId = b.recurrence ? newId() : null;
    const start = new Date(b.startsAt);
    const instants = Array.from({ length: count }, (_, n) => {
      const d = new Date(start);
      if (b.recurrence?.frequency === 'weekly') d.setUTCDate(d.getUTCDate() + 7 * n);
      else d.setUTCMonth(d.getUTCMonth() + n);
      return d.toISOString();
    });
    const now = nowIso();
    const ids = instants.map(() => newId());
    await writeWithAudit(services, req, async (tx) => {
      const events: AuditEventInput[] = [];
      for (const [n, startsAt] of instants.entries()) {
        const meetingId = ids[n]!;
        await tx
          .insertInto('meetings')
          .values({
            id: meetingId,
            kind: b.kind,
            legalBasis,
            title: b.title,
            startsAt,
            place: b.place ?? null,
            online: b.online ? 1 : 0,
            chairUserId: b.chairUserId,
            convenedByUserId: actor.userId,
            convenedAt: now,
            materialsCloseDays: b.materialsCloseDays ?? DEFAULT_MATERIALS_CLOSE_DAYS,
            seriesId,
            minutesBody: null,
            decisions: null,
            attendeeUserIds: null,
            minutesRecordedAt: null,
            minutesSignedAt: null,
            createdAt: now,
          })
          .execute();
        await tx
          .insertInto('meetingMembers')
          .values(userIds.map((userId) => ({ meetingId, userId, addedAt: now, addedByUserId: actor.userId, acknowledgedAt: null })))
          .execute();
        // The agenda of a series' first meeting is the one given; later instances get theirs later.
        if (n === 0) {
          for (const caseId of b.caseIds) {
            await tx
              .insertInto('meetingCases')
              .values({ meetingId, caseId, purpose: b.purposes?.[caseId] ?? '', addedAt: now, addedByUserId: actor.userId })
              .execute();
            const snapshot = await tableCaseCore(tx, meetingId, caseId, legalBasis, actor.userId);
            events.push(...tabledEvents(meetingId, caseId, legalBasis, snapshot));
          }
        }
        // The notice goes out at convening (rule 5): to every invited member's inbox.
        await notifyUsers(tx, userIds, {
          kind: 'meeting_notice',
          title: `会議の開催通知：${b.title}`,
          body: '会議に招集されました。開催通知を確認してください。資料は守秘義務の確認後に開けます。',
          subjectType: 'meeting',
          subjectId: meetingId,
        });
        events.push({
          type: 'MEETING_CONVENED',
          subjectType: 'meeting',
          subjectId: meetingId,
          payload: { kind: b.kind, legalBasis, memberUserIds: userIds, caseIds: n === 0 ? b.caseIds : [], seriesId },
        });
      }
      return { result: null, events };
    });
    reply.status(201);
    const access = await meetingAccess(db, actor, ids[0]!);
    const view = access ? await header(access) : { id: ids[0] };
    return { ...view, ...(seriesId ? { seriesMeetingIds: ids } : {}) };
  });

  r.get('/meetings', { schema: { tags: ['meetings'], summary: '招集された会議の一覧' } }, async (req) => {
    const actor = actorOf(req);
    const rows = await meetingsVisibleTo(db, actor).selectAll('meetings').orderBy('meetings.startsAt').limit(500).execute();
    await auditReads(services, req, [{ type: 'MEETINGS_LISTED', payload: { count: rows.length } }]);
    return {
      items: rows.map((m) => ({
        id: m.id,
        kind: m.kind,
        legalBasis: m.legalBasis,
        title: m.title,
        startsAt: m.startsAt,
        place: m.place,
        online: m.online === 1,
        seriesId: m.seriesId,
        isChair: m.chairUserId === actor.userId,
      })),
    };
  });

  r.get('/meetings/:id', { schema: { tags: ['meetings'], summary: '会議の概要（ケースの内容なし）', params: IdParams } }, async (req) => {
    const access = await load(req, req.params.id);
    await auditReads(services, req, [{ type: 'MEETING_VIEWED', subjectType: 'meeting', subjectId: access.meeting.id, basis: [access.basis] }]);
    return header(access);
  });

  r.post(
    '/meetings/:id/members',
    { schema: { tags: ['meetings'], summary: '構成員の追加（総括者）', params: IdParams, body: MeetingMemberBody } },
    async (req) => {
      const access = await load(req, req.params.id);
      requireChair(access);
      const user = await db.selectFrom('users').select(['id', 'organizationId', 'disabledAt', 'roles']).where('id', '=', req.body.userId).executeTakeFirst();
      if (!user) throw invalid(unknownReference('userId', 'user'));
      if (user.disabledAt) throw invalid({ path: 'userId', key: 'field.disabled_user' });
      if (!takesPartInMeetings(user.roles)) throw invalid({ path: 'userId', key: 'field.not_meeting_role' });
      const existing = await db
        .selectFrom('meetingMembers')
        .select('userId')
        .where('meetingId', '=', access.meeting.id)
        .where('userId', '=', user.id)
        .executeTakeFirst();
      if (existing) throw invalid({ path: 'userId', key: 'field.already_member' });
      const cases = (await db.selectFrom('meetingCases').select('caseId').where('meetingId', '=', access.meeting.id).execute()).map((c) => c.caseId);
      const orgs = [...new Set([...(await meetingOrganizationIds(db, access.meeting.id, access.meeting.chairUserId)), user.organizationId])];
      await gateOrRefuse(access.meeting.legalBasis, cases, orgs, () => 'userId');
      await writeWithAudit(services, req, async (tx) => {
        await tx
          .insertInto('meetingMembers')
          .values({ meetingId: access.meeting.id, userId: user.id, addedAt: nowIso(), addedByUserId: actorOf(req).userId, acknowledgedAt: null })
          .execute();
        await notifyUsers(tx, [user.id], {
          kind: 'meeting_notice',
          title: `会議の開催通知：${access.meeting.title}`,
          body: '会議に招集されました。',
          subjectType: 'meeting',
          subjectId: access.meeting.id,
        });
        return { result: null, events: [{ type: 'MEETING_MEMBER_ADDED', subjectType: 'meeting', subjectId: access.meeting.id, payload: { userId: user.id } }] };
      });
      return (await header((await meetingAccess(db, actorOf(req), access.meeting.id))!)).members;
    },
  );

  r.delete(
    '/meetings/:id/members/:userId',
    { schema: { tags: ['meetings'], summary: '構成員を外す（閲覧は即時に終わる）', params: MeetingMemberParams } },
    async (req) => {
      const access = await load(req, req.params.id);
      requireChair(access);
      if (req.params.userId === access.meeting.chairUserId) throw conflict('conflict.chair_stays');
      const existing = await db
        .selectFrom('meetingMembers')
        .select('userId')
        .where('meetingId', '=', access.meeting.id)
        .where('userId', '=', req.params.userId)
        .executeTakeFirst();
      if (!existing) throw notFound();
      await writeWithAudit(services, req, async (tx) => {
        await tx.deleteFrom('meetingMembers').where('meetingId', '=', access.meeting.id).where('userId', '=', req.params.userId).execute();
        return {
          result: null,
          events: [{ type: 'MEETING_MEMBER_REMOVED', subjectType: 'meeting', subjectId: access.meeting.id, payload: { userId: req.params.userId } }],
        };
      });
      return (await header((await meetingAccess(db, actorOf(req), access.meeting.id))!)).members;
    },
  );

  r.post(
    '/meetings/:id/cases',
    { schema: { tags: ['meetings'], summary: '議題にケースを加える（総括者・ケースの中核情報を提出）', params: IdParams, body: MeetingCaseBody } },
    async (req) => {
      const access = await load(req, req.params.id);
      requireChair(access);
      const actor = actorOf(req);
      if (!(await caseAccess(db, actor, req.body.caseId))) throw invalid(unknownReference('caseId', 'case'));
      const onAgenda = await db
        .selectFrom('meetingCases')
        .select('caseId')
        .where('meetingId', '=', access.meeting.id)
        .where('caseId', '=', req.body.caseId)
        .executeTakeFirst();
      if (onAgenda) throw conflict('conflict.case_on_agenda');
      const orgs = await meetingOrganizationIds(db, access.meeting.id, access.meeting.chairUserId);
      await gateOrRefuse(access.meeting.legalBasis, [req.body.caseId], orgs, () => 'caseId');
      await writeWithAudit(services, req, async (tx) => {
        await tx
          .insertInto('meetingCases')
          .values({ meetingId: access.meeting.id, caseId: req.body.caseId, purpose: req.body.purpose, addedAt: nowIso(), addedByUserId: actor.userId })
          .execute();
        const snapshot = await tableCaseCore(tx, access.meeting.id, req.body.caseId, access.meeting.legalBasis, actor.userId);
        return {
          result: null,
          events: [
            { type: 'MEETING_CASE_ADDED', caseId: req.body.caseId, subjectType: 'meeting', subjectId: access.meeting.id },
            ...tabledEvents(access.meeting.id, req.body.caseId, access.meeting.legalBasis, snapshot),
          ],
        };
      });
      return header((await meetingAccess(db, actor, access.meeting.id))!);
    },
  );

  /** Membership per agenda item (chair): the case must be on the agenda and the user a member other than the chair. */
  async function exclusionTarget(access: MeetingAccess, caseId: string, userId: string) {
    const errors: FieldError[] = [];
    const onAgenda = await db
      .selectFrom('meetingCases')
      .select('caseId')
      .where('meetingId', '=', access.meeting.id)
      .where('caseId', '=', caseId)
      .executeTakeFirst();
    if (!onAgenda) errors.push({ path: 'caseId', key: 'field.not_on_agenda' });
    const member = await db
      .selectFrom('meetingMembers')
      .select('userId')
      .where('meetingId', '=', access.meeting.id)
      .where('userId', '=', userId)
      .executeTakeFirst();
    if (userId === access.meeting.chairUserId) errors.push({ path: 'userId', key: 'field.chair_not_excluded' });
    else if (!member) errors.push({ path: 'userId', key: 'field.not_member_of_meeting' });
    if (errors.length) throw invalid(...errors);
  }

  async function exclusionsOf(meetingId: string, caseId: string) {
    const rows = await db
      .selectFrom('meetingCaseExclusions')
      .select(['userId', 'excludedAt'])
      .where('meetingId', '=', meetingId)
      .where('caseId', '=', caseId)
      .orderBy('excludedAt')
      .orderBy('userId')
      .execute();
    return { meetingId, caseId, excluded: rows };
  }

  const findExclusion = (meetingId: string, caseId: string, userId: string) =>
    db
      .selectFrom('meetingCaseExclusions')
      .select('userId')
      .where('meetingId', '=', meetingId)
      .where('caseId', '=', caseId)
      .where('userId', '=', userId)
      .executeTakeFirst();

  r.post(
    '/meetings/:id/cases/:caseId/exclusions',
    {
      schema: {
        tags: ['meetings'],
        summary: '構成員を議題のケースから除外（総括者・利益相反など）',
        params: MeetingCaseParams,
        body: MeetingCaseExclusionBody,
      },
    },
    async (req, reply) => {
      const access = await load(req, req.params.id);
      requireChair(access);
      const { caseId } = req.params;
      const { userId } = req.body;
      await exclusionTarget(access, caseId, userId);
      const existing = await findExclusion(access.meeting.id, caseId, userId);
      if (!existing) {
        await writeWithAudit(services, req, async (tx) => {
          await tx
            .insertInto('meetingCaseExclusions')
            .values({ meetingId: access.meeting.id, caseId, userId, excludedAt: nowIso(), excludedByUserId: actorOf(req).userId })
            .execute();
          return {
            result: null,
            events: [{ type: 'MEETING_CASE_EXCLUSION_ADDED', caseId, subjectType: 'meeting', subjectId: access.meeting.id, payload: { userId } }],
          };
        });
        reply.status(201);
      }
      return exclusionsOf(access.meeting.id, caseId);
    },
  );

  r.delete(
    '/meetings/:id/cases/:caseId/exclusions/:userId',
    { schema: { tags: ['meetings'], summary: '議題のケースからの除外を解除（総括者）', params: MeetingCaseExclusionParams } },
    async (req) => {
      const access = await load(req, req.params.id);
      requireChair(access);
      const { caseId, userId } = req.params;
      await exclusionTarget(access, caseId, userId);
      const existing = await findExclusion(access.meeting.id, caseId, userId);
      if (!existing) throw notFound();
      await writeWithAudit(services, req, async (tx) => {
        await tx
          .deleteFrom('meetingCaseExclusions')
          .where('meetingId', '=', access.meeting.id)
          .where('caseId', '=', caseId)
          .where('userId', '=', userId)
          .execute();
        return {
          result: null,
          events: [{ type: 'MEETING_CASE_EXCLUSION_REMOVED', caseId, subjectType: 'meeting', subjectId: access.meeting.id, payload: { userId } }],
        };
      });
      return exclusionsOf(access.meeting.id, caseId);
    },
  );

  r.post('/meetings/:id/acknowledge', { schema: { tags: ['meetings'], summary: '守秘義務の確認（電子誓約）', params: IdParams } }, async (req) => {
    const access = await load(req, req.params.id);
    const actor = actorOf(req);
    const at = access.acknowledgedAt ?? nowIso();
    if (!access.acknowledgedAt) {
      await writeWithAudit(services, req, async (tx) => {
        if (!access.isMember)
          await tx
            .insertInto('meetingMembers')
            .values({ meetingId: access.meeting.id, userId: actor.userId, addedAt: at, addedByUserId: actor.userId, acknowledgedAt: at })
            .execute();
        else
          await tx
            .updateTable('meetingMembers')
            .set({ acknowledgedAt: at })
            .where('meetingId', '=', access.meeting.id)
            .where('userId', '=', actor.userId)
            .execute();
        return {
          result: null,
          events: [{ type: 'MEETING_ACKNOWLEDGED', subjectType: 'meeting', subjectId: access.meeting.id, payload: { legalBasis: access.meeting.legalBasis } }],
        };
      });
    }
    return { meetingId: access.meeting.id, userId: actor.userId, acknowledgedAt: at, legalBasis: access.meeting.legalBasis };
  });

  /** The materials as this member may read them now (rules 3, 4, 5). */
  async function readableMaterials(req: FastifyRequest, access: MeetingAccess) {
    const actor = actorOf(req);
    const m = access.meeting;
    const agenda = await db
      .selectFrom('meetingCases as mc')
      .innerJoin('cases as c', 'c.id', 'mc.caseId')
      .innerJoin('households as h', 'h.id', 'c.householdId')
      .select(['mc.caseId', 'mc.purpose', 'h.name as householdName'])
      .where('mc.meetingId', '=', m.id)
      .orderBy('mc.addedAt')
      .execute();
    const orgs = isStatutoryBasis(m.legalBasis) ? [] : await meetingOrganizationIds(db, m.id, m.chairUserId);
    const excluded = await excludedCaseIds(m.id, actor.userId);
    const cases = [];
    const dropped = [];
    for (const item of agenda) {
      // Membership per agenda item: an excluded member reads nothing of the case, not even its id.
      if (excluded.has(item.caseId)) continue;
      // Rule 3 on every read: a withdrawal drops the case from a consent-based meeting at once.
      const gaps = orgs.length ? await consentGaps(db, item.caseId, orgs) : [];
      if (gaps.length) {
        dropped.push({ caseId: item.caseId, reason: 'consent_missing' });
        continue;
      }
      const materials = await db
        .selectFrom('meetingMaterials as mm')
        .innerJoin('organizations as o', 'o.id', 'mm.tabledByOrganizationId')
        .selectAll('mm')
        .select('o.name as organizationName')
        .where('mm.meetingId', '=', m.id)
        .where('mm.caseId', '=', item.caseId)
        .orderBy('mm.tabledAt')
        .execute();
      const onTeam = Boolean(
        await db
          .selectFrom('caseTeam')
          .select('caseId')
          .where('caseId', '=', item.caseId)
          .where('organizationId', '=', actor.organizationId)
          .executeTakeFirst(),
      );
      const visible = [];
      for (const mat of materials) {
        // Rule 3: at a consent-based meeting a record about a person shows only while that
        // person's active consents name every member's organization (a household member without
        // a problem is not covered by the case's gate).
        if (orgs.length && mat.kind === 'record' && mat.personId && (await unconsentedOrganizations(mat.personId, orgs)).length) continue;
        // Rule 4: no meeting opens 税情報 — only its writer or a tax-inclusive consent does.
        if (
          mat.classification === 'tax' &&
          mat.tabledByOrganizationId !== actor.organizationId &&
          !(onTeam && mat.personId && (await seesTaxOf(db, actor, mat.personId)))
        )
          continue;
        visible.push({
          id: mat.id,
          recordId: mat.recordId,
          kind: mat.kind,
          classification: mat.classification,
          personId: mat.personId,
          organizationName: mat.organizationName,
          tabledAt: mat.tabledAt,
          content: JSON.parse(mat.snapshot),
        });
      }
      // The regular meeting's review (issue 5): overdue reviews and stalled actions, as counts.
      const attention = await reviewAttention(db, item.caseId);
      cases.push({ caseId: item.caseId, householdName: item.householdName, purpose: item.purpose, attention, materials: visible });
    }
    return { cases, dropped };
  }

  function personIdsIn(cases: { materials: { personId: string | null; content: unknown; kind: string }[] }[]): string[] {
    const ids = new Set<string>();
    for (const c of cases) {
      for (const m of c.materials) {
        if (m.personId) ids.add(m.personId);
        if (m.kind === 'case_core') for (const p of (m.content as CaseCoreSnapshot).members) if (p.name) ids.add(p.personId);
      }
    }
    return [...ids];
  }

  r.get('/meetings/:id/materials', { schema: { tags: ['meetings'], summary: '会議資料（守秘義務の確認後・閲覧期間内）', params: IdParams } }, async (req) => {
    const access = await load(req, req.params.id);
    await requireMaterials(req, access);
    const { cases, dropped } = await readableMaterials(req, access);
    const persons = personIdsIn(cases);
    const events: AuditEventInput[] = persons.map((personId) => ({
      type: 'MEETING_MATERIALS_OPENED',
      personId,
      subjectType: 'meeting',
      subjectId: access.meeting.id,
      basis: [access.basis],
    }));
    if (!events.length) events.push({ type: 'MEETING_MATERIALS_OPENED', subjectType: 'meeting', subjectId: access.meeting.id, basis: [access.basis] });
    await auditReads(services, req, events);
    return {
      meetingId: access.meeting.id,
      legalBasis: access.meeting.legalBasis,
      // 支援会議限り: shared under a statutory duty; never exported or forwarded to non-members (rule 7).
      label: isStatutoryBasis(access.meeting.legalBasis) ? '支援会議限り' : null,
      materialsCloseAt: access.materialsCloseAt,
      cases,
      dropped,
    };
  });

  /** Header data of both documents, and the stamp of who exports them now (rule 7). */
  async function documentHeader(req: FastifyRequest, access: MeetingAccess) {
    const actor = actorOf(req);
    const h = await header(access);
    const municipality = await db.selectFrom('municipality').select('name').executeTakeFirstOrThrow();
    return {
      municipalityName: municipality.name,
      meetingId: h.id,
      title: h.title,
      kind: h.kind as 'support' | 'multilayer' | 'case_conference',
      legalBasis: h.legalBasis,
      startsAt: h.startsAt,
      place: h.place,
      online: h.online,
      chair: { displayName: h.chair.displayName, organizationName: h.chair.organizationName },
      members: h.members.map((m) => ({ displayName: m.displayName, organizationName: m.organizationName })),
      stamp: { displayName: actor.displayName, organizationName: actor.organizationName, at: nowIso() },
      caseCount: h.caseCount,
    };
  }

  function sendPdf(reply: FastifyReply, pdf: Buffer, name: string) {
    // The file name carries no personal data: only the document and the meeting id.
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}"`).send(pdf);
  }

  /** A meeting document without case content: audited as FORM_EXPORTED, then sent (rule 7). */
  async function exportMeetingDocument(req: FastifyRequest, reply: FastifyReply, access: MeetingAccess, form: 'notice' | 'pledge', pdf: Buffer) {
    await auditReads(services, req, [
      {
        type: 'FORM_EXPORTED',
        subjectType: 'meeting',
        subjectId: access.meeting.id,
        basis: [access.basis],
        payload: { form: `meeting_${form}`, bytes: pdf.length },
      },
    ]);
    return sendPdf(reply, pdf, `${form}-${access.meeting.id}.pdf`);
  }

  r.get('/meetings/:id/notice.pdf', { schema: { tags: ['meetings'], summary: '開催通知（PDF・ケースの内容なし）', params: IdParams } }, async (req, reply) => {
    const access = await load(req, req.params.id);
    const data = await documentHeader(req, access);
    return exportMeetingDocument(req, reply, access, 'notice', await renderNoticePdf(data));
  });

  r.get(
    '/meetings/:id/pledge.pdf',
    { schema: { tags: ['meetings'], summary: '誓約書（PDF・総括者・アカウントのない構成員が紙で署名・ケースの内容なし）', params: IdParams } },
    async (req, reply) => {
      const access = await load(req, req.params.id);
      requireChair(access);
      // The pledge carries the meeting and its clause only: no cases, no member list.
      const { caseCount: _count, members: _members, ...head } = await documentHeader(req, access);
      return exportMeetingDocument(req, reply, access, 'pledge', await renderPledgePdf(head));
    },
  );

  r.get(
    '/meetings/:id/agenda.pdf',
    { schema: { tags: ['meetings'], summary: 'レジュメ（PDF・守秘義務の確認後・閲覧期間内）', params: IdParams } },
    async (req, reply) => {
      const access = await load(req, req.params.id);
      await requireMaterials(req, access);
      const { cases } = await readableMaterials(req, access);
      const { caseCount: _, ...head } = await documentHeader(req, access);
      const agendaCases = cases.map((c) => {
        const core = c.materials.find((m) => m.kind === 'case_core')?.content as CaseCoreSnapshot | undefined;
        const nameOf = new Map((core?.members ?? []).filter((m) => m.name).map((m) => [m.personId, m.name as string]));
        return {
          label: c.householdName ?? '',
          purpose: c.purpose,
          attention: c.attention,
          core: core
            ? {
                summary: core.summary,
                members: core.members.map((m) => ({ name: m.name ?? '（同意なし・氏名非表示）', relationship: m.relationship, age: m.age })),
                problems: core.problems.map((p) => ({ personName: p.personName, type: p.type })),
                organizations: core.organizations,
              }
            : null,
          records: c.materials
            .filter((m) => m.kind === 'record')
            .map((m) => {
              const rec = m.content as { body: string; classification: 'normal' | 'sensitive' | 'tax'; writtenAt: string; personId: string | null };
              return {
                organizationName: m.organizationName,
                classification: rec.classification,
                writtenAt: rec.writtenAt,
                personName: rec.personId ? (nameOf.get(rec.personId) ?? null) : null,
                body: rec.body,
              };
            }),
        };
      });
      const pdf = await renderAgendaPdf({ ...head, cases: agendaCases });
      const persons = personIdsIn(cases);
      const events: AuditEventInput[] = persons.map((personId) => ({
        type: 'FORM_EXPORTED',
        personId,
        subjectType: 'meeting',
        subjectId: access.meeting.id,
        basis: [access.basis],
        payload: { form: 'meeting_agenda' },
      }));
      if (!events.length)
        events.push({
          type: 'FORM_EXPORTED',
          subjectType: 'meeting',
          subjectId: access.meeting.id,
          basis: [access.basis],
          payload: { form: 'meeting_agenda' },
        });
      await auditReads(services, req, events);
      return sendPdf(reply, pdf, `agenda-${access.meeting.id}.pdf`);
    },
  );

  r.post(
    '/meetings/:id/table',
    { schema: { tags: ['meetings'], summary: '自機関の記録を会議に提出', params: IdParams, body: MeetingTableBody } },
    async (req, reply) => {
      const access = await load(req, req.params.id);
      await requireMaterials(req, access);
      const actor = actorOf(req);
      const b = req.body;
      const onAgenda = await db
        .selectFrom('meetingCases')
        .select('caseId')
        .where('meetingId', '=', access.meeting.id)
        .where('caseId', '=', b.caseId)
        .executeTakeFirst();
      // A member excluded from the case cannot table into it: to them it is not on the agenda.
      if (!onAgenda || (await excludedCaseIds(access.meeting.id, actor.userId)).has(b.caseId)) throw invalid({ path: 'caseId', key: 'field.not_on_agenda' });
      const records = await db.selectFrom('records').selectAll().where('id', 'in', b.recordIds).where('caseId', '=', b.caseId).execute();
      const byId = new Map(records.map((x) => [x.id, x]));
      const errors: FieldError[] = [];
      const orgs = await meetingOrganizationIds(db, access.meeting.id, access.meeting.chairUserId);
      for (const [i, recordId] of b.recordIds.entries()) {
        const rec = byId.get(recordId);
        if (!rec || rec.authorOrganizationId !== actor.organizationId) errors.push({ path: `recordIds.${i}`, key: 'field.not_own_record' });
        else if (rec.classification === 'tax') {
          // 税情報 is tabled only when a tax-inclusive consent names every member organization (rule 4).
          const covered = rec.personId
            ? await Promise.all(
                orgs.map(async (o) =>
                  Boolean(
                    await db
                      .selectFrom('consents as c')
                      .innerJoin('consentOrganizations as co', 'co.consentId', 'c.id')
                      .select('c.id')
                      .where('c.personId', '=', rec.personId!)
                      .where('co.organizationId', '=', o)
                      .where('c.withdrawnAt', 'is', null)
                      .where('c.includesTaxInfo', '=', 1)
                      .executeTakeFirst(),
                  ),
                ),
              )
            : [false];
          if (!covered.every(Boolean)) errors.push({ path: `recordIds.${i}`, key: 'field.tax_not_tabled' });
        }
        if (rec && rec.authorOrganizationId === actor.organizationId && rec.personId && !isStatutoryBasis(access.meeting.legalBasis)) {
          // Rule 3: at a consent-based meeting, only about a person whose consents name every member's organization.
          const missing = await unconsentedOrganizations(rec.personId, orgs);
          if (missing.length) {
            const person = await db.selectFrom('persons').select(['familyName', 'givenName']).where('id', '=', rec.personId).executeTakeFirstOrThrow();
            const names = await db.selectFrom('organizations').select('name').where('id', 'in', missing).execute();
            const gaps = gapText([
              {
                personId: rec.personId,
                personName: `${person.familyName} ${person.givenName}`,
                organizationIds: missing,
                organizationNames: names.map((n) => n.name),
              },
            ]);
            errors.push({ path: `recordIds.${i}`, key: 'field.consent_gap', params: { gaps } });
          }
        }
      }
      if (errors.length) throw invalid(...errors);
      const tabledAt = nowIso();
      const rows = records.map((rec) => ({
        id: newId(),
        meetingId: access.meeting.id,
        caseId: b.caseId,
        kind: 'record',
        recordId: rec.id,
        personId: rec.personId,
        classification: rec.classification,
        snapshot: JSON.stringify({ body: rec.body, classification: rec.classification, writtenAt: rec.createdAt, personId: rec.personId }),
        tabledByUserId: actor.userId,
        tabledByOrganizationId: actor.organizationId,
        tabledAt,
      }));
      await writeWithAudit(services, req, async (tx) => {
        await tx.insertInto('meetingMaterials').values(rows).execute();
        return {
          result: null,
          events: rows.map((row) => ({
            type: 'MEETING_MATERIALS_TABLED' as const,
            caseId: b.caseId,
            personId: row.personId,
            subjectType: 'meeting',
            subjectId: access.meeting.id,
            basis: [access.basis],
            payload: { recordId: row.recordId, classification: row.classification },
          })),
        };
      });
      reply.status(201);
      return {
        meetingId: access.meeting.id,
        caseId: b.caseId,
        tabled: rows.map((row) => ({ id: row.id, recordId: row.recordId, classification: row.classification, tabledAt })),
      };
    },
  );

  r.post(
    '/meetings/:id/minutes',
    { schema: { tags: ['meetings'], summary: '会議記録（総括者）', params: IdParams, body: MeetingMinutesBody } },
    async (req) => {
      const access = await load(req, req.params.id);
      requireChair(access);
      const b = req.body;
      if (b.attendeeUserIds?.length) {
        const known = new Set((await db.selectFrom('users').select('id').where('id', 'in', b.attendeeUserIds).execute()).map((u) => u.id));
        const errors = b.attendeeUserIds.flatMap((id, i) => (known.has(id) ? [] : [unknownReference(`attendeeUserIds.${i}`, 'user')]));
        if (errors.length) throw invalid(...errors);
      }
      const at = nowIso();
      await writeWithAudit(services, req, async (tx) => {
        await tx
          .updateTable('meetings')
          .set({
            minutesBody: b.body,
            decisions: JSON.stringify(b.decisions ?? []),
            attendeeUserIds: JSON.stringify(b.attendeeUserIds ?? []),
            minutesRecordedAt: at,
          })
          .where('id', '=', access.meeting.id)
          .execute();
        return {
          result: null,
          events: [
            {
              type: 'MEETING_MINUTES_RECORDED',
              subjectType: 'meeting',
              subjectId: access.meeting.id,
              basis: [access.basis],
              payload: { decisions: b.decisions?.length ?? 0, attendees: b.attendeeUserIds?.length ?? 0 },
            },
          ],
        };
      });
      return {
        meetingId: access.meeting.id,
        body: b.body,
        decisions: b.decisions ?? [],
        attendeeUserIds: b.attendeeUserIds ?? [],
        recordedAt: at,
        signedAt: null,
      };
    },
  );

  r.post('/meetings/:id/minutes/sign', { schema: { tags: ['meetings'], summary: '会議記録の確定（総括者の承認）', params: IdParams } }, async (req) => {
    const access = await load(req, req.params.id);
    requireChair(access);
    if (!access.meeting.minutesBody) throw new AppError('conflict', 'conflict.same_status');
    const at = access.meeting.minutesSignedAt ?? nowIso();
    if (!access.meeting.minutesSignedAt) {
      await writeWithAudit(services, req, async (tx) => {
        await tx.updateTable('meetings').set({ minutesSignedAt: at }).where('id', '=', access.meeting.id).execute();
        return { result: null, events: [{ type: 'MEETING_MINUTES_SIGNED', subjectType: 'meeting', subjectId: access.meeting.id }] };
      });
    }
    return { meetingId: access.meeting.id, signedAt: at };
  });

  r.get('/meetings/:id/minutes', { schema: { tags: ['meetings'], summary: '会議記録', params: IdParams } }, async (req) => {
    const access = await load(req, req.params.id);
    const actor = actorOf(req);
    const keeper = access.isChair || access.meeting.convenedByUserId === actor.userId;
    // The minutes are a material (rule 5): nobody, the chair included, opens them before
    // acknowledging. During the window acknowledged members read them; afterwards the chair
    // and the secretariat (the convener) keep them.
    if (!access.acknowledgedAt) throw forbidden('rule.acknowledge_first');
    if (!keeper && !access.materialsOpen) throw forbidden('rule.minutes_keepers');
    await auditReads(services, req, [{ type: 'MEETING_MINUTES_VIEWED', subjectType: 'meeting', subjectId: access.meeting.id, basis: [access.basis] }]);
    const m = access.meeting;
    return {
      meetingId: m.id,
      body: m.minutesBody,
      decisions: JSON.parse(m.decisions ?? '[]'),
      attendeeUserIds: JSON.parse(m.attendeeUserIds ?? '[]'),
      recordedAt: m.minutesRecordedAt,
      signedAt: m.minutesSignedAt,
    };
  });

  r.get(
    '/meetings/:id/assignments',
    { schema: { tags: ['meetings'], summary: '会議の役割分担の一覧（総括者・確認済みの構成員）', params: IdParams } },
    async (req) => {
      const access = await load(req, req.params.id);
      if (!access.isChair) await requireMaterials(req, access);
      const rows = await db
        .selectFrom('tasks')
        .innerJoin('organizations as o', 'o.id', 'tasks.organizationId')
        .selectAll('tasks')
        .select('o.name as organizationName')
        .where('tasks.meetingId', '=', access.meeting.id)
        .orderBy('tasks.createdAt')
        .execute()
        .then(async (all) => {
          // A member excluded from a case does not see the tasks of that case either.
          const excluded = await excludedCaseIds(access.meeting.id, actorOf(req).userId);
          return all.filter((t) => !excluded.has(t.caseId));
        });
      await auditReads(services, req, [
        { type: 'TASKS_VIEWED', subjectType: 'meeting', subjectId: access.meeting.id, basis: [access.basis], payload: { count: rows.length } },
      ]);
      return { items: rows };
    },
  );

  r.post(
    '/meetings/:id/assignments',
    { schema: { tags: ['meetings'], summary: '役割分担（機関へのタスク。チームへの参加ではない）', params: IdParams, body: AssignmentBody } },
    async (req, reply) => {
      const access = await load(req, req.params.id);
      requireChair(access);
      const b = req.body;
      const errors: FieldError[] = [];
      const onAgenda = await db
        .selectFrom('meetingCases')
        .select('caseId')
        .where('meetingId', '=', access.meeting.id)
        .where('caseId', '=', b.caseId)
        .executeTakeFirst();
      if (!onAgenda) errors.push({ path: 'caseId', key: 'field.not_on_agenda' });
      const org = await db.selectFrom('organizations').select(['id', 'name']).where('id', '=', b.organizationId).executeTakeFirst();
      if (!org) errors.push(unknownReference('organizationId', 'organization'));
      if (errors.length) throw invalid(...errors);
      const now = nowIso();
      const task = {
        id: newId(),
        meetingId: access.meeting.id,
        caseId: b.caseId,
        organizationId: b.organizationId,
        task: b.task,
        dueOn: b.dueOn ?? null,
        status: 'open',
        assignedByUserId: actorOf(req).userId,
        createdAt: now,
        updatedAt: now,
      };
      await writeWithAudit(services, req, async (tx) => {
        await tx.insertInto('tasks').values(task).execute();
        await notify(
          tx,
          { organizationId: b.organizationId },
          {
            kind: 'task',
            title: `役割分担：${access.meeting.title}`,
            body: '会議で貴機関に役割が割り当てられました。「自機関のタスク」を確認してください。',
            subjectType: 'task',
            subjectId: task.id,
            createdAt: now,
          },
        );
        return {
          result: null,
          events: [
            {
              type: 'TASK_ASSIGNED',
              caseId: b.caseId,
              subjectType: 'task',
              subjectId: task.id,
              basis: [access.basis],
              payload: { meetingId: access.meeting.id, organizationId: b.organizationId, dueOn: task.dueOn },
            },
          ],
        };
      });
      reply.status(201);
      return { ...task, organizationName: org!.name };
    },
  );
}

function tabledEvents(meetingId: string, caseId: string, legalBasis: string, snapshot: CaseCoreSnapshot): AuditEventInput[] {
  const basis = [{ ground: 'meeting' as const, meetingId, legalBasis }];
  const named = snapshot.members.filter((m) => m.name);
  if (!named.length) return [{ type: 'MEETING_MATERIALS_TABLED', caseId, subjectType: 'meeting', subjectId: meetingId, basis, payload: { kind: 'case_core' } }];
  return named.map((m) => ({
    type: 'MEETING_MATERIALS_TABLED',
    caseId,
    personId: m.personId,
    subjectType: 'meeting',
    subjectId: meetingId,
    basis,
    payload: { kind: 'case_core' },
  }));
}

async function notifyUsers(tx: Transaction<DB>, userIds: string[], n: { kind: string; title: string; body: string; subjectType: string; subjectId: string }) {
  if (!userIds.length) return;
  const createdAt = nowIso();
  await tx
    .insertInto('notifications')
    .values(userIds.map((userId) => ({ id: newId(), userId, organizationId: null, role: null, ...n, createdAt })))
    .execute();
}
