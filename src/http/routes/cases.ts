/**
 * Cases (相談・ケース): intake, the case view, the team, status moves and break-glass.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuditEventInput } from '../../audit/events.ts';
import { BreakGlassBody, CaseCreateBody, CaseListQuery, IdParams, StatusBody, TeamAddBody, TeamMemberParams } from '../../domain/schemas.ts';
import { nowIso, nowMs } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { hasRole } from '../../policy/actor.ts';
import { caseAccess, casesVisibleTo } from '../../policy/case.ts';
import { householdsVisibleTo } from '../../policy/household.ts';
import type { Services } from '../../services.ts';
import { buildCaseView } from '../caseView.ts';
import { actorOf, requireRole } from '../context.ts';
import { conflict, type FieldError, forbidden, invalid, notFound, unknownReference } from '../errors.ts';
import { caseTeamQuery } from '../queries.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

export async function caseRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  /** Loads a case the actor may see, or answers 404 (and audits the denial when it exists). */
  async function loadAccess(req: Parameters<typeof actorOf>[0], caseId: string) {
    const actor = actorOf(req);
    const access = await caseAccess(db, actor, caseId);
    if (!access) {
      const exists = await db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
      if (exists) await auditReads(services, req, [{ type: 'ACCESS_DENIED', outcome: 'denied', caseId, subjectType: 'case', subjectId: caseId }]);
      throw notFound();
    }
    return { actor, access };
  }

  async function presentTeam(caseId: string) {
    return { items: await caseTeamQuery(db, caseId).execute() };
  }

  r.post('/cases', { schema: { tags: ['cases'], summary: '相談の受付（ケースの作成）', body: CaseCreateBody } }, async (req, reply) => {
    const actor = requireRole(req, 'coordinator', 'caseworker');
    const b = req.body;
    if (b.leadOrganizationId !== actor.organizationId && !hasRole(actor, 'coordinator')) throw forbidden('rule.own_org_lead');
    const errors: FieldError[] = [];
    const household = await householdsVisibleTo(db, actor).select('households.id').where('households.id', '=', b.householdId).executeTakeFirst();
    if (!household) errors.push(unknownReference('householdId', 'household'));
    const lead = await db.selectFrom('organizations').select('id').where('id', '=', b.leadOrganizationId).executeTakeFirst();
    if (!lead) errors.push(unknownReference('leadOrganizationId', 'organization'));
    const intakeTeam = (b.team ?? []).filter((t) => t.organizationId !== b.leadOrganizationId);
    if (intakeTeam.length) {
      const known = new Set(
        (
          await db
            .selectFrom('organizations')
            .select('id')
            .where(
              'id',
              'in',
              intakeTeam.map((t) => t.organizationId),
            )
            .execute()
        ).map((o) => o.id),
      );
      (b.team ?? []).forEach((t, i) => {
        if (!known.has(t.organizationId) && t.organizationId !== b.leadOrganizationId)
          errors.push(unknownReference(`team.${i}.organizationId`, 'organization'));
      });
    }
    if (household) {
      const members = new Set(
        (await db.selectFrom('householdMembers').select('personId').where('householdId', '=', b.householdId).execute()).map((m) => m.personId),
      );
      b.problems.forEach((p, i) => {
        if (!members.has(p.personId)) errors.push({ path: `problems.${i}.personId`, key: 'field.not_household_member' });
      });
    }
    if (errors.length) throw invalid(...errors);
    const now = nowIso();
    const kase = {
      id: newId(),
      householdId: b.householdId,
      leadOrganizationId: b.leadOrganizationId,
      referralRoute: b.referralRoute,
      summary: b.summary,
      urgency: b.urgency ?? 'normal',
      status: 'intake',
      closingReason: null,
      openedAt: now,
      openedByUserId: actor.userId,
      updatedAt: now,
    };
    await writeWithAudit(services, req, async (tx) => {
      await tx.insertInto('cases').values(kase).execute();
      // The lead organization is itself on the team (rule 1).
      await tx
        .insertInto('caseTeam')
        .values({ caseId: kase.id, organizationId: kase.leadOrganizationId, basis: 'lead', joinedAt: now, addedByUserId: actor.userId })
        .execute();
      const distinct = [...new Map(intakeTeam.map((t) => [t.organizationId, t])).values()];
      if (distinct.length) {
        await tx
          .insertInto('caseTeam')
          .values(
            distinct.map((t) => ({
              caseId: kase.id,
              organizationId: t.organizationId,
              basis: t.basis ?? 'referral',
              joinedAt: now,
              addedByUserId: actor.userId,
            })),
          )
          .execute();
      }
      if (b.problems.length) {
        await tx
          .insertInto('caseProblems')
          .values(b.problems.map((p, position) => ({ id: newId(), caseId: kase.id, personId: p.personId, type: p.type, note: p.note ?? null, position })))
          .execute();
      }
      await tx
        .insertInto('caseStatusChanges')
        .values({ id: newId(), caseId: kase.id, fromStatus: null, toStatus: 'intake', reason: null, note: null, changedAt: now, changedByUserId: actor.userId })
        .execute();
      return {
        result: null,
        events: [
          {
            type: 'CASE_OPENED',
            caseId: kase.id,
            subjectType: 'case',
            subjectId: kase.id,
            payload: {
              householdId: kase.householdId,
              leadOrganizationId: kase.leadOrganizationId,
              problemCount: b.problems.length,
              intakeTeam: intakeTeam.map((t) => t.organizationId),
            },
          },
        ],
      };
    });
    reply.status(201);
    const access = await caseAccess(db, actor, kase.id);
    if (!access) return { id: kase.id, status: kase.status, householdId: kase.householdId, leadOrganizationId: kase.leadOrganizationId };
    const { view } = await buildCaseView(db, actor, access, req.lang);
    return view;
  });

  r.get('/cases', { schema: { tags: ['cases'], summary: 'ケース一覧（閲覧できるもの／推進員は索引）', querystring: CaseListQuery } }, async (req) => {
    const actor = actorOf(req);
    const rows = await casesVisibleTo(db, actor)
      .innerJoin('households', 'households.id', 'cases.householdId')
      .innerJoin('organizations', 'organizations.id', 'cases.leadOrganizationId')
      .select([
        'cases.id',
        'cases.householdId',
        'households.name as householdName',
        'cases.status',
        'cases.urgency',
        'cases.openedAt',
        'cases.leadOrganizationId',
        'organizations.name as leadOrganizationName',
      ])
      .$if(!!req.query.status, (q) => q.where('cases.status', '=', req.query.status!))
      .orderBy('cases.openedAt', 'desc')
      .limit(req.query.limit ?? 200)
      .execute();
    const ids = rows.map((c) => c.id);
    const team = ids.length
      ? await db
          .selectFrom('caseTeam')
          .innerJoin('organizations', 'organizations.id', 'caseTeam.organizationId')
          .select(['caseTeam.caseId', 'caseTeam.organizationId', 'organizations.name as organizationName'])
          .where('caseTeam.caseId', 'in', ids)
          .execute()
      : [];
    const onTeam = new Set(team.filter((t) => t.organizationId === actor.organizationId).map((t) => t.caseId));
    await auditReads(services, req, [{ type: 'CASES_LISTED', payload: { count: rows.length, caseIds: ids } }]);
    return {
      items: rows.map((c) => ({
        id: c.id,
        householdId: c.householdId,
        householdName: c.householdName,
        status: c.status,
        urgency: c.urgency,
        openedAt: c.openedAt,
        leadOrganization: { id: c.leadOrganizationId, name: c.leadOrganizationName },
        team: team.filter((t) => t.caseId === c.id).map((t) => ({ organizationId: t.organizationId, organizationName: t.organizationName })),
        view: onTeam.has(c.id) ? 'header' : 'index',
      })),
    };
  });

  r.get('/cases/:id', { schema: { tags: ['cases'], summary: 'ケース（見られる範囲だけ。非表示の理由つき）', params: IdParams } }, async (req) => {
    const { actor, access } = await loadAccess(req, req.params.id);
    const { view, personIds } = await buildCaseView(db, actor, access, req.lang);
    const events: AuditEventInput[] = personIds.length
      ? personIds.map((personId) => ({
          type: 'CASE_VIEWED',
          caseId: access.caseId,
          personId,
          subjectType: 'case',
          subjectId: access.caseId,
          basis: access.bases,
          payload: { view: access.view, problems: access.problemPersonIds.has(personId), summary: access.seesSummary },
        }))
      : [{ type: 'CASE_VIEWED', caseId: access.caseId, subjectType: 'case', subjectId: access.caseId, basis: access.bases, payload: { view: access.view } }];
    await auditReads(services, req, events);
    return view;
  });

  r.post('/cases/:id/team', { schema: { tags: ['cases'], summary: '支援チームに関係機関を加える', params: IdParams, body: TeamAddBody } }, async (req) => {
    const { actor, access } = await loadAccess(req, req.params.id);
    if (!access.isLead && !hasRole(actor, 'coordinator')) throw forbidden('rule.lead_or_coordinator');
    const org = await db.selectFrom('organizations').select('id').where('id', '=', req.body.organizationId).executeTakeFirst();
    if (!org) throw invalid(unknownReference('organizationId', 'organization'));
    const existing = await db
      .selectFrom('caseTeam')
      .select('basis')
      .where('caseId', '=', access.caseId)
      .where('organizationId', '=', org.id)
      .executeTakeFirst();
    if (existing) throw conflict('conflict.already_on_team');
    const basis = req.body.basis ?? 'referral';
    await writeWithAudit(services, req, async (tx) => {
      await tx
        .insertInto('caseTeam')
        .values({ caseId: access.caseId, organizationId: org.id, basis, joinedAt: nowIso(), addedByUserId: actor.userId })
        .execute();
      return {
        result: null,
        events: [
          { type: 'CASE_TEAM_MEMBER_ADDED', caseId: access.caseId, subjectType: 'organization', subjectId: org.id, basis: access.bases, payload: { basis } },
        ],
      };
    });
    return presentTeam(access.caseId);
  });

  r.delete(
    '/cases/:id/team/:organizationId',
    { schema: { tags: ['cases'], summary: '支援チームから外す（閲覧は即時に終わる）', params: TeamMemberParams } },
    async (req) => {
      const { actor, access } = await loadAccess(req, req.params.id);
      if (!access.isLead && !hasRole(actor, 'coordinator')) throw forbidden('rule.lead_or_coordinator');
      const kase = await db.selectFrom('cases').select('leadOrganizationId').where('id', '=', access.caseId).executeTakeFirstOrThrow();
      if (kase.leadOrganizationId === req.params.organizationId) throw conflict('conflict.lead_cannot_leave');
      const existing = await db
        .selectFrom('caseTeam')
        .select('basis')
        .where('caseId', '=', access.caseId)
        .where('organizationId', '=', req.params.organizationId)
        .executeTakeFirst();
      if (!existing) throw conflict('conflict.not_on_team');
      await writeWithAudit(services, req, async (tx) => {
        await tx.deleteFrom('caseTeam').where('caseId', '=', access.caseId).where('organizationId', '=', req.params.organizationId).execute();
        return {
          result: null,
          events: [
            { type: 'CASE_TEAM_MEMBER_REMOVED', caseId: access.caseId, subjectType: 'organization', subjectId: req.params.organizationId, basis: access.bases },
          ],
        };
      });
      return presentTeam(access.caseId);
    },
  );

  r.post('/cases/:id/status', { schema: { tags: ['cases'], summary: 'ケースの状態を変える（主担当）', params: IdParams, body: StatusBody } }, async (req) => {
    const { actor, access } = await loadAccess(req, req.params.id);
    if (!access.isLead) throw forbidden('rule.lead_only');
    const b = req.body;
    if (b.to === 'closed' && !b.reason) throw invalid({ path: 'reason', key: 'field.reason_required' });
    // A case with a plan closes only through its termination evaluation (POST /cases/:id/termination).
    if (b.to === 'closed' && (await db.selectFrom('plans').select('id').where('caseId', '=', access.caseId).executeTakeFirst()))
      throw invalid({ path: 'to', key: 'field.termination_required' });
    const kase = await db.selectFrom('cases').select(['status']).where('id', '=', access.caseId).executeTakeFirstOrThrow();
    if (kase.status === b.to) throw conflict('conflict.same_status');
    const now = nowIso();
    await writeWithAudit(services, req, async (tx) => {
      await tx
        .updateTable('cases')
        .set({ status: b.to, closingReason: b.to === 'closed' ? (b.reason ?? null) : null, updatedAt: now })
        .where('id', '=', access.caseId)
        .execute();
      await tx
        .insertInto('caseStatusChanges')
        .values({
          id: newId(),
          caseId: access.caseId,
          fromStatus: kase.status,
          toStatus: b.to,
          reason: b.reason ?? null,
          note: b.note ?? null,
          changedAt: now,
          changedByUserId: actor.userId,
        })
        .execute();
      return {
        result: null,
        events: [
          {
            type: 'CASE_STATUS_CHANGED',
            caseId: access.caseId,
            subjectType: 'case',
            subjectId: access.caseId,
            basis: access.bases,
            payload: { from: kase.status, to: b.to, reason: b.reason ?? null },
          },
        ],
      };
    });
    const fresh = await caseAccess(db, actor, access.caseId);
    return (await buildCaseView(db, actor, fresh ?? access, req.lang)).view;
  });

  r.post(
    '/cases/:id/break-glass',
    { schema: { tags: ['cases'], summary: '緊急時の閲覧（ルール8：理由・読取専用・24時間以内・税情報は除く）', params: IdParams, body: BreakGlassBody } },
    async (req, reply) => {
      const actor = requireRole(req, 'coordinator');
      const { access } = await loadAccess(req, req.params.id);
      if (access.onTeam) throw forbidden('rule.break_glass_team');
      const kase = await db.selectFrom('cases').select(['leadOrganizationId']).where('id', '=', access.caseId).executeTakeFirstOrThrow();
      const hours = req.body.hours ?? 24;
      // One reading of the clock for both ends: the grant lasts exactly `hours`, never a millisecond more (rule 8: ≤ 24 h).
      const grantedAt = nowMs();
      const grant = {
        id: newId(),
        caseId: access.caseId,
        userId: actor.userId,
        organizationId: actor.organizationId,
        reason: req.body.reason,
        grantedAt: new Date(grantedAt).toISOString(),
        expiresAt: new Date(grantedAt + hours * 3600_000).toISOString(),
      };
      await writeWithAudit(services, req, async (tx) => {
        await tx.insertInto('breakGlassGrants').values(grant).execute();
        // Rule 8: the lead organization and the auditors are alerted in their inbox.
        const alert = {
          kind: 'break_glass',
          title: '緊急時の閲覧（ブレイクグラス）が行われました',
          body: `${actor.organizationName} の ${actor.displayName} が ${hours} 時間の緊急閲覧を開始しました。`,
          subjectType: 'case',
          subjectId: access.caseId,
          createdAt: grant.grantedAt,
        };
        await tx
          .insertInto('notifications')
          .values([
            { id: newId(), userId: null, organizationId: kase.leadOrganizationId, role: null, ...alert },
            { id: newId(), userId: null, organizationId: null, role: 'auditor', ...alert },
          ])
          .execute();
        return {
          result: null,
          events: [
            {
              type: 'CASE_BREAK_GLASS_OPENED',
              caseId: access.caseId,
              subjectType: 'break_glass',
              subjectId: grant.id,
              basis: [{ ground: 'break_glass', grantId: grant.id }],
              payload: { hours, reasonLength: req.body.reason.length },
            },
          ],
        };
      });
      reply.status(201);
      return { id: grant.id, caseId: grant.caseId, grantedAt: grant.grantedAt, expiresAt: grant.expiresAt, readOnly: true, excludes: ['tax'] };
    },
  );
}
