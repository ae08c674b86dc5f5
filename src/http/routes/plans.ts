/**
 * 支援プラン of a household: versions written by the lead, submitted for approval, approved as
 * a decision of a 重層的支援会議 that lists the case (rule 2: only for consented cases; rule 3's
 * gate must hold at that moment), and a readable diff between versions.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { PLAN_STATUSES, PlanApproveBody, PlanBody, PlanDiffQuery, PlanVersionParams } from '../../domain/lifecycle.ts';
import { diffPlans } from '../../domain/planDiff.ts';
import { IdParams } from '../../domain/schemas.ts';
import { label } from '../../ja/codeLists.ts';
import { nowIso, nowMs } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { personsConsentingTo } from '../../policy/consentScope.ts';
import { consentGaps, meetingOrganizationIds } from '../../policy/meeting.ts';
import type { Services } from '../../services.ts';
import { conflict, type FieldError, forbidden, invalid, notFound, unknownReference } from '../errors.ts';
import {
  advanceStatus,
  approvableMeetings,
  authorsOf,
  diffable,
  householdOf,
  lifecycleReadEvents,
  loadLifecycle,
  presentPlan,
  type StoredGoal,
} from '../lifecycle.ts';
import { gapText } from '../presenters.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

export async function planRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  async function versionOf(caseId: string, version: number) {
    const plan = await db.selectFrom('plans').selectAll().where('caseId', '=', caseId).where('version', '=', version).executeTakeFirst();
    if (!plan) throw notFound();
    return plan;
  }

  async function latestVersion(caseId: string) {
    return (await db.selectFrom('plans').select('version').where('caseId', '=', caseId).orderBy('version', 'desc').executeTakeFirst())?.version ?? 0;
  }

  function planReadEvents(scope: Parameters<typeof lifecycleReadEvents>[1], view: Awaited<ReturnType<typeof presentPlan>>, planId: string) {
    const personIds = [
      ...view.members.map((m) => m.personId),
      ...view.goals.flatMap((g) => (g.personId ? [g.personId] : [])),
      ...view.actions.flatMap((a) => (a.personId ? [a.personId] : [])),
    ];
    return lifecycleReadEvents('PLAN_VIEWED', scope, personIds, 'plan', planId, { version: view.version });
  }

  r.get('/cases/:id/plans', { schema: { tags: ['lifecycle'], summary: '支援プラン（版の一覧と現在の版）', params: IdParams } }, async (req) => {
    const { actor, scope } = await loadLifecycle(services, req, req.params.id);
    const rows = await db.selectFrom('plans').selectAll().where('caseId', '=', scope.caseId).orderBy('version', 'desc').execute();
    const authors = await authorsOf(
      db,
      rows.map((p) => p.authoredByUserId),
    );
    const household = await householdOf(db, scope.caseId);
    const latest = rows[0];
    const current = latest ? await presentPlan(db, latest, scope, household.members, actor.organizationId, req.lang) : null;
    await auditReads(
      services,
      req,
      current && latest ? planReadEvents(scope, current, latest.id) : lifecycleReadEvents('PLAN_VIEWED', scope, [], 'case', scope.caseId),
    );
    const approvable = await approvableMeetings(db, actor.userId, scope.caseId, nowIso());
    if (current) current.abilities.approve = current.status === 'submitted' && approvable.length > 0;
    return {
      approvableMeetings: approvable,
      items: rows.map((p) => ({
        version: p.version,
        status: p.status,
        statusLabel: label(PLAN_STATUSES, p.status, req.lang),
        authoredAt: p.authoredAt,
        authoredBy: authors.get(p.authoredByUserId) ?? null,
        submittedAt: p.submittedAt,
        approvedAt: p.approvedAt,
        approvedMeetingId: p.approvedMeetingId,
      })),
      current,
    };
  });

  r.get('/cases/:id/plans/:version', { schema: { tags: ['lifecycle'], summary: '支援プランの版', params: PlanVersionParams } }, async (req) => {
    const { actor, scope } = await loadLifecycle(services, req, req.params.id);
    const plan = await versionOf(scope.caseId, req.params.version);
    const household = await householdOf(db, scope.caseId);
    const view = await presentPlan(db, plan, scope, household.members, actor.organizationId, req.lang);
    await auditReads(services, req, planReadEvents(scope, view, plan.id));
    view.abilities.approve = view.status === 'submitted' && (await approvableMeetings(db, actor.userId, scope.caseId, nowIso())).length > 0;
    return view;
  });

  r.get(
    '/cases/:id/plans/:version/diff',
    { schema: { tags: ['lifecycle'], summary: '支援プランの版の比較（読める範囲だけ）', params: PlanVersionParams, querystring: PlanDiffQuery } },
    async (req) => {
      const { actor, scope } = await loadLifecycle(services, req, req.params.id);
      const to = await versionOf(scope.caseId, req.params.version);
      const againstVersion = req.query.against ?? to.version - 1;
      const household = await householdOf(db, scope.caseId);
      const after = await presentPlan(db, to, scope, household.members, actor.organizationId, req.lang);
      const before =
        againstVersion >= 1
          ? await presentPlan(db, await versionOf(scope.caseId, againstVersion), scope, household.members, actor.organizationId, req.lang)
          : null;
      const changes = diffPlans(before ? diffable(before) : { members: [], goals: [], actions: [] }, diffable(after));
      await auditReads(services, req, planReadEvents(scope, after, to.id));
      return { from: before ? againstVersion : null, to: to.version, changes };
    },
  );

  r.post(
    '/cases/:id/plans',
    { schema: { tags: ['lifecycle'], summary: '支援プランの新しい版を作る（主担当）', params: IdParams, body: PlanBody } },
    async (req, reply) => {
      const { actor, scope, abilities } = await loadLifecycle(services, req, req.params.id);
      if (!abilities.editPlan) throw forbidden(scope.access?.breakGlassGrantId ? 'rule.break_glass_read_only' : 'rule.lead_only');
      const household = await householdOf(db, scope.caseId);
      if (household.status === 'closed') throw conflict('conflict.case_closed');
      const b = req.body;
      const errors: FieldError[] = [];
      const memberIds = new Set(household.members.map((m) => m.personId));
      const nameOf = new Map(household.members.map((m) => [m.personId, m.name]));
      const seenMembers = new Set<string>();
      b.members.forEach((m, i) => {
        if (!memberIds.has(m.personId)) errors.push({ path: `members.${i}.personId`, key: 'field.not_household_member' });
        else if (seenMembers.has(m.personId)) errors.push({ path: `members.${i}.personId`, key: 'field.duplicate_member' });
        seenMembers.add(m.personId);
      });
      // Keys stay from version to version; new items get new ones.
      const goals: StoredGoal[] = [];
      const goalKeys = new Set<string>();
      b.goals.forEach((g, i) => {
        if (g.personId && !memberIds.has(g.personId)) errors.push({ path: `goals.${i}.personId`, key: 'field.not_household_member' });
        const key = g.key ?? `g-${newId()}`;
        if (goalKeys.has(key)) errors.push({ path: `goals.${i}.key`, key: 'field.duplicate_key' });
        goalKeys.add(key);
        goals.push({ key, personId: g.personId ?? null, text: g.text });
      });
      const team = new Set(
        (await db.selectFrom('caseTeam').select('organizationId').where('caseId', '=', scope.caseId).execute()).map((t) => t.organizationId),
      );
      const problemPersons = [
        ...new Set((await db.selectFrom('caseProblems').select('personId').where('caseId', '=', scope.caseId).execute()).map((p) => p.personId)),
      ];
      const actionKeys = new Set<string>();
      const actions: ((typeof b.actions)[number] & { key: string })[] = [];
      for (const [i, a] of b.actions.entries()) {
        const key = a.key ?? `a-${newId()}`;
        if (actionKeys.has(key)) errors.push({ path: `actions.${i}.key`, key: 'field.duplicate_key' });
        actionKeys.add(key);
        if (a.goalKey && !goalKeys.has(a.goalKey)) errors.push({ path: `actions.${i}.goalKey`, key: 'field.unknown_goal_key' });
        if (a.personId && !memberIds.has(a.personId)) errors.push({ path: `actions.${i}.personId`, key: 'field.not_household_member' });
        if (a.reviewOn < a.startOn) errors.push({ path: `actions.${i}.reviewOn`, key: 'field.review_before_start' });
        if (!team.has(a.organizationId)) errors.push({ path: `actions.${i}.organizationId`, key: 'field.not_on_team_org' });
        else if (a.organizationId !== household.leadOrganizationId) {
          // Rule 2/3: an action shares the plan's part with the organization holding it, so that
          // organization must already be named by the consent that part needs.
          const needed = a.personId ? [a.personId] : problemPersons;
          const consenting = needed.length
            ? new Set((await personsConsentingTo(db, a.organizationId).where('ac.personId', 'in', needed).execute()).map((p) => p.personId))
            : new Set<string>();
          if (a.personId && !consenting.has(a.personId))
            errors.push({ path: `actions.${i}.organizationId`, key: 'field.action_needs_consent', params: { person: nameOf.get(a.personId) ?? '' } });
          else if (!a.personId && needed.some((p) => !consenting.has(p)))
            errors.push({ path: `actions.${i}.organizationId`, key: 'field.household_action_needs_consent' });
        }
        actions.push({ ...a, key });
      }
      if (errors.length) throw invalid(...errors);
      const plan = await writeWithAudit(services, req, async (tx) => {
        const last = await tx.selectFrom('plans').select('version').where('caseId', '=', scope.caseId).orderBy('version', 'desc').executeTakeFirst();
        const plan = {
          id: newId(),
          caseId: scope.caseId,
          version: (last?.version ?? 0) + 1,
          status: 'draft',
          memberViews: JSON.stringify(b.members),
          goals: JSON.stringify(goals),
          changeNote: b.changeNote ?? null,
          authoredByUserId: actor.userId,
          authoredByOrganizationId: actor.organizationId,
          authoredAt: nowIso(),
          submittedAt: null,
          approvedMeetingId: null,
          approvedAt: null,
          approvedByUserId: null,
          approvalNote: null,
        };
        await tx.insertInto('plans').values(plan).execute();
        // An unapproved earlier draft gives way to the new version.
        await tx
          .updateTable('plans')
          .set({ status: 'superseded' })
          .where('caseId', '=', scope.caseId)
          .where('status', 'in', ['draft', 'submitted'])
          .where('id', '!=', plan.id)
          .execute();
        if (actions.length) {
          await tx
            .insertInto('planActions')
            .values(
              actions.map((a, position) => ({
                planId: plan.id,
                actionKey: a.key,
                caseId: scope.caseId,
                goalKey: a.goalKey ?? null,
                personId: a.personId ?? null,
                text: a.text,
                organizationId: a.organizationId,
                startOn: a.startOn,
                reviewOn: a.reviewOn,
                position,
              })),
            )
            .execute();
        }
        const moved = await advanceStatus(tx, scope.caseId, 'planning', actor.userId, `支援プラン第${plan.version}版を作成`, scope.bases);
        return {
          result: plan,
          events: [
            ...moved,
            {
              type: 'PLAN_DRAFTED',
              caseId: scope.caseId,
              subjectType: 'plan',
              subjectId: plan.id,
              basis: scope.bases,
              payload: {
                version: plan.version,
                goals: goals.length,
                actions: actions.length,
                organizationIds: [...new Set(actions.map((a) => a.organizationId))],
              },
            },
          ],
        };
      });
      reply.status(201);
      return presentPlan(db, plan, scope, household.members, actor.organizationId, req.lang);
    },
  );

  r.post(
    '/cases/:id/plans/:version/submit',
    { schema: { tags: ['lifecycle'], summary: '支援プランの承認を依頼する（主担当）', params: PlanVersionParams } },
    async (req) => {
      const { actor, scope, abilities } = await loadLifecycle(services, req, req.params.id);
      if (!abilities.editPlan) throw forbidden(scope.access?.breakGlassGrantId ? 'rule.break_glass_read_only' : 'rule.lead_only');
      const plan = await versionOf(scope.caseId, req.params.version);
      if (plan.version !== (await latestVersion(scope.caseId))) throw conflict('conflict.plan_not_latest');
      if (plan.status !== 'draft') throw conflict('conflict.plan_status', { status: label(PLAN_STATUSES, plan.status, req.lang) });
      const submittedAt = nowIso();
      await writeWithAudit(services, req, async (tx) => {
        await tx.updateTable('plans').set({ status: 'submitted', submittedAt }).where('id', '=', plan.id).where('status', '=', 'draft').execute();
        return {
          result: null,
          events: [
            { type: 'PLAN_SUBMITTED', caseId: scope.caseId, subjectType: 'plan', subjectId: plan.id, basis: scope.bases, payload: { version: plan.version } },
          ],
        };
      });
      const household = await householdOf(db, scope.caseId);
      return presentPlan(db, { ...plan, status: 'submitted', submittedAt }, scope, household.members, actor.organizationId, req.lang);
    },
  );

  r.post(
    '/cases/:id/plans/:version/approve',
    { schema: { tags: ['lifecycle'], summary: '支援プランを承認する（重層的支援会議の総括者）', params: PlanVersionParams, body: PlanApproveBody } },
    async (req) => {
      const { actor, scope } = await loadLifecycle(services, req, req.params.id);
      const plan = await versionOf(scope.caseId, req.params.version);
      const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', req.body.meetingId).executeTakeFirst();
      if (!meeting) throw invalid(unknownReference('meetingId', 'meeting'));
      if (meeting.chairUserId !== actor.userId) throw forbidden('rule.chair_only');
      const onAgenda = await db
        .selectFrom('meetingCases')
        .select('caseId')
        .where('meetingId', '=', meeting.id)
        .where('caseId', '=', scope.caseId)
        .executeTakeFirst();
      // Rule 2: a plan is approved only at a 重層的支援会議 — a consent-based meeting that lists the case.
      if (meeting.kind !== 'multilayer' || meeting.legalBasis !== 'consent' || !onAgenda)
        throw invalid({ path: 'meetingId', key: 'field.not_multilayer_meeting' });
      if (Date.parse(meeting.startsAt) > nowMs()) throw invalid({ path: 'meetingId', key: 'field.meeting_not_started' });
      const gaps = await consentGaps(db, scope.caseId, await meetingOrganizationIds(db, meeting.id, meeting.chairUserId));
      if (gaps.length) throw invalid({ path: 'meetingId', key: 'field.consent_gap', params: { gaps: gapText(gaps) } });
      if (plan.status !== 'submitted') throw conflict('conflict.plan_status', { status: label(PLAN_STATUSES, plan.status, req.lang) });
      const approvedAt = nowIso();
      await writeWithAudit(services, req, async (tx) => {
        await tx.updateTable('plans').set({ status: 'superseded' }).where('caseId', '=', scope.caseId).where('status', '=', 'approved').execute();
        await tx
          .updateTable('plans')
          .set({ status: 'approved', approvedMeetingId: meeting.id, approvedAt, approvedByUserId: actor.userId, approvalNote: req.body.note ?? null })
          .where('id', '=', plan.id)
          .execute();
        // The approval is a decision of the meeting: it joins the meeting's decisions.
        const decisions = meeting.decisions ? (JSON.parse(meeting.decisions) as string[]) : [];
        decisions.push(`支援プラン（第${plan.version}版）を承認`);
        await tx
          .updateTable('meetings')
          .set({ decisions: JSON.stringify(decisions) })
          .where('id', '=', meeting.id)
          .execute();
        const moved = await advanceStatus(tx, scope.caseId, 'in_support', actor.userId, `支援プラン第${plan.version}版を重層的支援会議で承認`, scope.bases);
        return {
          result: null,
          events: [
            ...moved,
            {
              type: 'PLAN_APPROVED',
              caseId: scope.caseId,
              subjectType: 'plan',
              subjectId: plan.id,
              basis: [...scope.bases, { ground: 'meeting', meetingId: meeting.id, legalBasis: meeting.legalBasis }],
              payload: { version: plan.version, meetingId: meeting.id },
            },
          ],
        };
      });
      const household = await householdOf(db, scope.caseId);
      const fresh = await versionOf(scope.caseId, plan.version);
      return presentPlan(db, fresh, scope, household.members, actor.organizationId, req.lang);
    },
  );
}
