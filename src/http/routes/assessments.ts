/**
 * アセスメント (複合的課題の解きほぐし) of a household: versions, each a whole new row, written by
 * the lead; read by part under src/policy/lifecycle.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AssessmentBody, VersionParams } from '../../domain/lifecycle.ts';
import { IdParams } from '../../domain/schemas.ts';
import { nowIso } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import type { Services } from '../../services.ts';
import { conflict, type FieldError, forbidden, invalid, notFound } from '../errors.ts';
import { advanceStatus, authorsOf, householdOf, lifecycleReadEvents, loadLifecycle, presentAssessment } from '../lifecycle.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

export async function assessmentRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.get('/cases/:id/assessments', { schema: { tags: ['lifecycle'], summary: 'アセスメント（版の一覧と最新版）', params: IdParams } }, async (req) => {
    const { scope } = await loadLifecycle(services, req, req.params.id);
    const rows = await db.selectFrom('assessments').selectAll().where('caseId', '=', scope.caseId).orderBy('version', 'desc').execute();
    const authors = await authorsOf(
      db,
      rows.map((a) => a.authoredByUserId),
    );
    const household = await householdOf(db, scope.caseId);
    const latest = rows[0] ? presentAssessment(rows[0], scope, household.members, authors, req.lang) : null;
    await auditReads(
      services,
      req,
      lifecycleReadEvents('ASSESSMENT_VIEWED', scope, latest ? latest.members.map((m) => m.personId) : [], 'assessment', rows[0]?.id ?? scope.caseId, {
        version: rows[0]?.version ?? null,
      }),
    );
    return {
      items: rows.map((a) => ({ version: a.version, authoredAt: a.authoredAt, authoredBy: authors.get(a.authoredByUserId) ?? null })),
      latest,
    };
  });

  r.get('/cases/:id/assessments/:version', { schema: { tags: ['lifecycle'], summary: 'アセスメントの版', params: VersionParams } }, async (req) => {
    const { scope } = await loadLifecycle(services, req, req.params.id);
    const row = await db.selectFrom('assessments').selectAll().where('caseId', '=', scope.caseId).where('version', '=', req.params.version).executeTakeFirst();
    if (!row) throw notFound();
    const household = await householdOf(db, scope.caseId);
    const view = presentAssessment(row, scope, household.members, await authorsOf(db, [row.authoredByUserId]), req.lang);
    await auditReads(
      services,
      req,
      lifecycleReadEvents(
        'ASSESSMENT_VIEWED',
        scope,
        view.members.map((m) => m.personId),
        'assessment',
        row.id,
        { version: row.version },
      ),
    );
    return view;
  });

  r.post(
    '/cases/:id/assessments',
    { schema: { tags: ['lifecycle'], summary: 'アセスメントを記録する（新しい版・主担当）', params: IdParams, body: AssessmentBody } },
    async (req, reply) => {
      const { actor, scope, abilities } = await loadLifecycle(services, req, req.params.id);
      if (!abilities.editAssessment) throw forbidden(scope.access?.breakGlassGrantId ? 'rule.break_glass_read_only' : 'rule.lead_only');
      const household = await householdOf(db, scope.caseId);
      if (household.status === 'closed') throw conflict('conflict.case_closed');
      const memberIds = new Set(household.members.map((m) => m.personId));
      const b = req.body;
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      b.members.forEach((m, i) => {
        if (!memberIds.has(m.personId)) errors.push({ path: `members.${i}.personId`, key: 'field.not_household_member' });
        else if (seen.has(m.personId)) errors.push({ path: `members.${i}.personId`, key: 'field.duplicate_member' });
        seen.add(m.personId);
      });
      if (b.household.keyPersonId && !memberIds.has(b.household.keyPersonId))
        errors.push({ path: 'household.keyPersonId', key: 'field.key_person_not_member' });
      (b.household.supports ?? []).forEach((s, i) => {
        if (!memberIds.has(s.fromPersonId)) errors.push({ path: `household.supports.${i}.fromPersonId`, key: 'field.not_household_member' });
        if (!memberIds.has(s.toPersonId)) errors.push({ path: `household.supports.${i}.toPersonId`, key: 'field.not_household_member' });
      });
      if (errors.length) throw invalid(...errors);
      const row = await writeWithAudit(services, req, async (tx) => {
        const last = await tx.selectFrom('assessments').select('version').where('caseId', '=', scope.caseId).orderBy('version', 'desc').executeTakeFirst();
        const row = {
          id: newId(),
          caseId: scope.caseId,
          version: (last?.version ?? 0) + 1,
          content: JSON.stringify(b),
          authoredByUserId: actor.userId,
          authoredByOrganizationId: actor.organizationId,
          authoredAt: nowIso(),
        };
        await tx.insertInto('assessments').values(row).execute();
        const moved = await advanceStatus(tx, scope.caseId, 'assessment', actor.userId, `アセスメント第${row.version}版を記録`, scope.bases);
        return {
          result: row,
          events: [
            ...moved,
            {
              type: 'ASSESSMENT_RECORDED',
              caseId: scope.caseId,
              subjectType: 'assessment',
              subjectId: row.id,
              basis: scope.bases,
              payload: { version: row.version, personIds: b.members.map((m) => m.personId) },
            },
          ],
        };
      });
      reply.status(201);
      return presentAssessment(row, scope, household.members, await authorsOf(db, [actor.userId]), req.lang);
    },
  );
}
