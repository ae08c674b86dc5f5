/**
 * 終結: the termination evaluation (each goal of the plan in force: achieved / partly / not, and
 * why), the reason for ending, the agencies that keep watching (見守り) and when to check again
 * — recorded by the lead, closing the case in the same transaction. Closing is refused while a
 * required item is empty. A closed case reopens when a new problem arises.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { REASONS_WITHOUT_WATCH, ReopenBody, TerminationBody } from '../../domain/lifecycle.ts';
import { IdParams } from '../../domain/schemas.ts';
import { nowIso } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { caseAccess } from '../../policy/case.ts';
import { seesPerson } from '../../policy/lifecycle.ts';
import type { Services } from '../../services.ts';
import { buildCaseView } from '../caseView.ts';
import { conflict, type FieldError, forbidden, invalid, unknownReference } from '../errors.ts';
import { currentPlan, householdOf, lifecycleReadEvents, loadLifecycle, type StoredGoal } from '../lifecycle.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

export async function terminationRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.get('/cases/:id/termination', { schema: { tags: ['lifecycle'], summary: '終結評価', params: IdParams } }, async (req) => {
    const { scope } = await loadLifecycle(services, req, req.params.id);
    const rows = await db
      .selectFrom('terminations as t')
      .innerJoin('users as u', 'u.id', 't.authorUserId')
      .innerJoin('organizations as o', 'o.id', 't.authorOrganizationId')
      .selectAll('t')
      .select(['u.displayName', 'o.name as organizationName'])
      .where('t.caseId', '=', scope.caseId)
      .orderBy('t.createdAt', 'desc')
      .execute();
    const orgNames = new Map((await db.selectFrom('organizations').select(['id', 'name']).execute()).map((o) => [o.id, o.name]));
    const items = [];
    const personIds: string[] = [];
    for (const t of rows) {
      const plan = t.planId ? await db.selectFrom('plans').select('goals').where('id', '=', t.planId).executeTakeFirst() : undefined;
      const goals = new Map((plan ? (JSON.parse(plan.goals) as StoredGoal[]) : []).map((g) => [g.key, g]));
      const evaluations = (JSON.parse(t.evaluations) as { goalKey: string; outcome: string; why: string }[])
        .filter((e) => seesPerson(scope, goals.get(e.goalKey)?.personId ?? null))
        .map((e) => {
          const goal = goals.get(e.goalKey);
          if (goal?.personId) personIds.push(goal.personId);
          return { ...e, goalText: goal?.text ?? null, personId: goal?.personId ?? null };
        });
      items.push({
        id: t.id,
        reason: t.reason,
        evaluations,
        watchers: (JSON.parse(t.watchers) as { organizationId: string; how: string }[]).map((w) => ({
          ...w,
          organizationName: orgNames.get(w.organizationId) ?? '',
        })),
        recheckOn: t.recheckOn,
        note: scope.all || scope.household ? t.note : null,
        createdAt: t.createdAt,
        author: { displayName: t.displayName, organizationName: t.organizationName },
      });
    }
    await auditReads(services, req, lifecycleReadEvents('TERMINATION_VIEWED', scope, personIds, 'case', scope.caseId, { count: rows.length }));
    return { items };
  });

  r.post(
    '/cases/:id/termination',
    { schema: { tags: ['lifecycle'], summary: '終結評価を記録して終結する（主担当）', params: IdParams, body: TerminationBody } },
    async (req, reply) => {
      const { actor, scope, abilities } = await loadLifecycle(services, req, req.params.id);
      if (!abilities.terminate) throw forbidden(scope.access?.breakGlassGrantId ? 'rule.break_glass_read_only' : 'rule.lead_only');
      const household = await householdOf(db, scope.caseId);
      if (household.status === 'closed') throw conflict('conflict.case_closed');
      const b = req.body;
      const plan = await currentPlan(db, scope.caseId);
      const goals = plan ? (JSON.parse(plan.goals) as StoredGoal[]) : [];
      const errors: FieldError[] = [];
      const keys = new Set(goals.map((g) => g.key));
      const evaluated = new Set<string>();
      b.evaluations.forEach((e, i) => {
        if (!keys.has(e.goalKey)) errors.push({ path: `evaluations.${i}.goalKey`, key: 'field.unknown_goal' });
        else if (evaluated.has(e.goalKey)) errors.push({ path: `evaluations.${i}.goalKey`, key: 'field.duplicate_goal' });
        evaluated.add(e.goalKey);
      });
      const missing = goals.filter((g) => !evaluated.has(g.key));
      if (missing.length)
        errors.push({ path: 'evaluations', key: 'field.goal_not_evaluated', params: { goals: missing.map((g) => `「${g.text}」`).join('、') } });
      if (b.watchers.length === 0 && !(REASONS_WITHOUT_WATCH as readonly string[]).includes(b.reason))
        errors.push({ path: 'watchers', key: 'field.watchers_required' });
      if (b.watchers.length > 0 && !b.recheckOn) errors.push({ path: 'recheckOn', key: 'field.recheck_required' });
      if (b.watchers.length) {
        const known = new Set(
          (
            await db
              .selectFrom('organizations')
              .select('id')
              .where(
                'id',
                'in',
                b.watchers.map((w) => w.organizationId),
              )
              .execute()
          ).map((o) => o.id),
        );
        b.watchers.forEach((w, i) => {
          if (!known.has(w.organizationId)) errors.push(unknownReference(`watchers.${i}.organizationId`, 'organization'));
        });
      }
      if (errors.length) throw invalid(...errors);
      const now = nowIso();
      const termination = {
        id: newId(),
        caseId: scope.caseId,
        planId: plan?.id ?? null,
        reason: b.reason,
        evaluations: JSON.stringify(b.evaluations),
        watchers: JSON.stringify(b.watchers),
        recheckOn: b.recheckOn ?? null,
        note: b.note ?? null,
        authorUserId: actor.userId,
        authorOrganizationId: actor.organizationId,
        createdAt: now,
      };
      await writeWithAudit(services, req, async (tx) => {
        await tx.insertInto('terminations').values(termination).execute();
        await tx.updateTable('cases').set({ status: 'closed', closingReason: b.reason, updatedAt: now }).where('id', '=', scope.caseId).execute();
        await tx
          .insertInto('caseStatusChanges')
          .values({
            id: newId(),
            caseId: scope.caseId,
            fromStatus: household.status,
            toStatus: 'closed',
            reason: b.reason,
            note: null,
            changedAt: now,
            changedByUserId: actor.userId,
          })
          .execute();
        return {
          result: null,
          events: [
            {
              type: 'CASE_TERMINATED',
              caseId: scope.caseId,
              subjectType: 'termination',
              subjectId: termination.id,
              basis: scope.bases,
              payload: {
                reason: b.reason,
                outcomes: b.evaluations.map((e) => e.outcome),
                watcherOrganizationIds: b.watchers.map((w) => w.organizationId),
                planId: termination.planId,
              },
            },
          ],
        };
      });
      reply.status(201);
      const access = await caseAccess(db, actor, scope.caseId);
      return (await buildCaseView(db, actor, access ?? scope.access!, req.lang)).view;
    },
  );

  r.post(
    '/cases/:id/reopen',
    { schema: { tags: ['lifecycle'], summary: '終結したケースを再開する（新たな課題・主担当）', params: IdParams, body: ReopenBody } },
    async (req) => {
      const { actor, scope, abilities } = await loadLifecycle(services, req, req.params.id);
      if (!abilities.terminate) throw forbidden(scope.access?.breakGlassGrantId ? 'rule.break_glass_read_only' : 'rule.lead_only');
      const household = await householdOf(db, scope.caseId);
      if (household.status !== 'closed') throw conflict('conflict.case_not_closed');
      const members = new Set(household.members.map((m) => m.personId));
      const errors: FieldError[] = [];
      req.body.problems.forEach((p, i) => {
        if (!members.has(p.personId)) errors.push({ path: `problems.${i}.personId`, key: 'field.not_household_member' });
      });
      if (errors.length) throw invalid(...errors);
      const now = nowIso();
      await writeWithAudit(services, req, async (tx) => {
        const last = await tx.selectFrom('caseProblems').select('position').where('caseId', '=', scope.caseId).orderBy('position', 'desc').executeTakeFirst();
        const start = (last?.position ?? -1) + 1;
        await tx
          .insertInto('caseProblems')
          .values(
            req.body.problems.map((p, i) => ({
              id: newId(),
              caseId: scope.caseId,
              personId: p.personId,
              type: p.type,
              note: p.note ?? null,
              position: start + i,
            })),
          )
          .execute();
        await tx.updateTable('cases').set({ status: 'assessment', closingReason: null, updatedAt: now }).where('id', '=', scope.caseId).execute();
        await tx
          .insertInto('caseStatusChanges')
          .values({
            id: newId(),
            caseId: scope.caseId,
            fromStatus: 'closed',
            toStatus: 'assessment',
            reason: 'reopened',
            note: req.body.note,
            changedAt: now,
            changedByUserId: actor.userId,
          })
          .execute();
        return {
          result: null,
          events: [
            {
              type: 'CASE_REOPENED',
              caseId: scope.caseId,
              subjectType: 'case',
              subjectId: scope.caseId,
              basis: scope.bases,
              payload: { problemCount: req.body.problems.length, personIds: req.body.problems.map((p) => p.personId) },
            },
          ],
        };
      });
      const access = await caseAccess(db, actor, scope.caseId);
      return (await buildCaseView(db, actor, access ?? scope.access!, req.lang)).view;
    },
  );
}
