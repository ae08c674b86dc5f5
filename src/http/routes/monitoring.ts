/**
 * モニタリング: entries against the actions of the plan in force (done, in progress, stalled, a
 * new problem found), with the person's own view (本人の思い). The lead records any; a team
 * organization the actions it holds. Entries are read under the plan's scope, and an
 * organization always reads its own (own work). A next review date given here moves the
 * action's review without touching the approved version (what a meeting approved stays).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { MonitoringBody } from '../../domain/lifecycle.ts';
import { IdParams } from '../../domain/schemas.ts';
import { nowIso } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { seesPerson } from '../../policy/lifecycle.ts';
import type { Services } from '../../services.ts';
import { conflict, forbidden, invalid } from '../errors.ts';
import { currentPlan, householdOf, lifecycleReadEvents, loadLifecycle } from '../lifecycle.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

export async function monitoringRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  async function entriesOf(caseId: string) {
    return db
      .selectFrom('monitoringEntries as e')
      .innerJoin('users as u', 'u.id', 'e.authorUserId')
      .innerJoin('organizations as o', 'o.id', 'e.authorOrganizationId')
      .leftJoin('planActions as a', (j) => j.onRef('a.planId', '=', 'e.planId').onRef('a.actionKey', '=', 'e.actionKey'))
      .selectAll('e')
      .select(['u.displayName', 'o.name as organizationName', 'a.text as actionText'])
      .where('e.caseId', '=', caseId)
      .orderBy('e.createdAt', 'desc')
      .execute();
  }

  r.get('/cases/:id/monitoring', { schema: { tags: ['lifecycle'], summary: 'モニタリングの記録', params: IdParams } }, async (req) => {
    // Own work (rule 1): a team organization always reads the entries it wrote, even once no consent opens the rest.
    const { actor, scope } = await loadLifecycle(services, req, req.params.id, { ownWork: true });
    const rows = (await entriesOf(scope.caseId)).filter(
      (e) => e.authorOrganizationId === actor.organizationId || (!scope.indexOnly && seesPerson(scope, e.personId)),
    );
    await auditReads(
      services,
      req,
      lifecycleReadEvents(
        'MONITORING_VIEWED',
        scope,
        rows.flatMap((e) => (e.personId ? [e.personId] : [])),
        'case',
        scope.caseId,
        { count: rows.length },
      ),
    );
    return {
      items: rows.map((e) => ({
        id: e.id,
        actionKey: e.actionKey,
        actionText: e.actionText ?? null,
        personId: e.personId,
        status: e.status,
        note: e.note,
        personView: e.personView,
        nextReviewOn: e.nextReviewOn,
        createdAt: e.createdAt,
        author: { displayName: e.displayName, organizationName: e.organizationName },
      })),
    };
  });

  r.post(
    '/cases/:id/monitoring',
    { schema: { tags: ['lifecycle'], summary: 'モニタリングを記録する（主担当・支援を担当する機関）', params: IdParams, body: MonitoringBody } },
    async (req, reply) => {
      const { actor, scope, abilities } = await loadLifecycle(services, req, req.params.id);
      if (!abilities.monitor) throw forbidden(scope.access?.breakGlassGrantId ? 'rule.break_glass_read_only' : 'rule.monitor_own_actions');
      const household = await householdOf(db, scope.caseId);
      if (household.status === 'closed') throw conflict('conflict.case_closed');
      const plan = await currentPlan(db, scope.caseId);
      const b = req.body;
      const action =
        b.actionKey && plan
          ? await db.selectFrom('planActions').selectAll().where('planId', '=', plan.id).where('actionKey', '=', b.actionKey).executeTakeFirst()
          : undefined;
      if (b.actionKey && !action) throw invalid({ path: 'actionKey', key: 'field.unknown_action' });
      const isLead = Boolean(scope.access?.isLead);
      // Another organization records only the actions it holds, or a household observation it may read.
      if (!isLead && (action ? action.organizationId !== actor.organizationId : !scope.household)) throw forbidden('rule.monitor_own_actions');
      const entry = {
        id: newId(),
        caseId: scope.caseId,
        planId: action ? action.planId : (plan?.id ?? null),
        actionKey: action?.actionKey ?? null,
        personId: action?.personId ?? null,
        status: b.status,
        note: b.note,
        personView: b.personView ?? null,
        nextReviewOn: b.nextReviewOn ?? null,
        authorUserId: actor.userId,
        authorOrganizationId: actor.organizationId,
        createdAt: nowIso(),
      };
      await writeWithAudit(services, req, async (tx) => {
        await tx.insertInto('monitoringEntries').values(entry).execute();
        return {
          result: null,
          events: [
            {
              type: 'MONITORING_RECORDED',
              caseId: scope.caseId,
              personId: entry.personId,
              subjectType: 'monitoring',
              subjectId: entry.id,
              basis: scope.bases,
              payload: { status: entry.status, actionKey: entry.actionKey },
            },
          ],
        };
      });
      reply.status(201);
      return { ...entry, actionText: action?.text ?? null, author: { displayName: actor.displayName, organizationName: actor.organizationName } };
    },
  );
}
