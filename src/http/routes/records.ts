/**
 * Support records (支援記録): written by team organizations, read through the record scope
 * (own work, consent, tax only under rule 4, break-glass without tax).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuditEventInput } from '../../audit/events.ts';
import { IdParams, RecordCreateBody } from '../../domain/schemas.ts';
import { nowIso } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { actsForOrganization } from '../../policy/actor.ts';
import { caseAccess } from '../../policy/case.ts';
import { effectiveClassification, recordBasis, recordsVisibleTo } from '../../policy/record.ts';
import type { Services } from '../../services.ts';
import { actorOf } from '../context.ts';
import { forbidden, invalid, notFound } from '../errors.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

export async function recordRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.post(
    '/cases/:id/records',
    { schema: { tags: ['records'], summary: '支援記録の追加（支援チーム）', params: IdParams, body: RecordCreateBody } },
    async (req, reply) => {
      const actor = actorOf(req);
      const access = await caseAccess(db, actor, req.params.id);
      if (!access) throw notFound();
      // Break-glass is read-only and the coordinator's index opens nothing to write (rules 1, 8).
      if (!access.onTeam) throw forbidden('rule.team_only');
      const b = req.body;
      if (b.personId) {
        const member = await db
          .selectFrom('householdMembers as hm')
          .innerJoin('cases as c', 'c.householdId', 'hm.householdId')
          .select('hm.personId')
          .where('c.id', '=', access.caseId)
          .where('hm.personId', '=', b.personId)
          .executeTakeFirst();
        if (!member) throw invalid({ path: 'personId', key: 'field.not_household_member' });
      }
      const record = {
        id: newId(),
        caseId: access.caseId,
        personId: b.personId ?? null,
        body: b.body,
        classification: effectiveClassification(actor.organizationFields, b.classification),
        authorOrganizationId: actor.organizationId,
        authorUserId: actor.userId,
        createdAt: nowIso(),
      };
      await writeWithAudit(services, req, async (tx) => {
        await tx.insertInto('records').values(record).execute();
        return {
          result: null,
          events: [
            {
              type: 'RECORD_ADDED',
              caseId: record.caseId,
              personId: record.personId,
              subjectType: 'record',
              subjectId: record.id,
              basis: access.bases,
              payload: { classification: record.classification, chosen: b.classification },
            },
          ],
        };
      });
      reply.status(201);
      return { ...record, authorOrganization: { id: actor.organizationId, name: actor.organizationName }, authorName: actor.displayName };
    },
  );

  r.get('/cases/:id/records', { schema: { tags: ['records'], summary: '支援記録（見られるものだけ）', params: IdParams } }, async (req) => {
    const actor = actorOf(req);
    const caseId = req.params.id;
    const access = await caseAccess(db, actor, caseId);
    // Own work counts only for roles that work for the organization (an auditor or advisor of
    // the writing organization must not learn that the case exists).
    const ownRecord =
      access || !actsForOrganization(actor)
        ? null
        : await db.selectFrom('records').select('id').where('caseId', '=', caseId).where('authorOrganizationId', '=', actor.organizationId).executeTakeFirst();
    if (!access && !ownRecord) {
      const exists = await db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
      if (exists) await auditReads(services, req, [{ type: 'ACCESS_DENIED', outcome: 'denied', caseId, subjectType: 'records' }]);
      throw notFound();
    }
    const rows = await recordsVisibleTo(db, actor, caseId, access)
      .innerJoin('organizations as o', 'o.id', 'records.authorOrganizationId')
      .innerJoin('users as u', 'u.id', 'records.authorUserId')
      .select([
        'records.id',
        'records.caseId',
        'records.personId',
        'records.body',
        'records.classification',
        'records.createdAt',
        'records.authorOrganizationId',
        'o.name as authorOrganizationName',
        'u.displayName as authorName',
      ])
      .orderBy('records.createdAt', 'desc')
      .orderBy('records.id', 'desc')
      .execute();
    // Without case access only the organization's own records are in scope.
    const ownWork = { ground: 'own_work' as const };
    const byPerson = new Map<string | null, typeof rows>();
    for (const row of rows) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), row]);
    const events: AuditEventInput[] = [...byPerson.entries()].map(([personId, recs]) => ({
      type: 'RECORDS_VIEWED',
      caseId,
      personId,
      subjectType: 'record',
      basis: dedupe(recs.map((x) => (access ? recordBasis(actor, access, x) : ownWork))),
      payload: { recordIds: recs.map((x) => x.id), classifications: [...new Set(recs.map((x) => x.classification))] },
    }));
    if (events.length === 0) events.push({ type: 'RECORDS_VIEWED', caseId, subjectType: 'record', basis: access?.bases ?? [], payload: { recordIds: [] } });
    await auditReads(services, req, events);
    return {
      items: rows.map((x) => ({
        id: x.id,
        caseId: x.caseId,
        personId: x.personId,
        body: x.body,
        classification: x.classification,
        createdAt: x.createdAt,
        authorOrganization: { id: x.authorOrganizationId, name: x.authorOrganizationName },
        authorName: x.authorName,
        basis: access ? recordBasis(actor, access, x) : ownWork,
      })),
    };
  });
}

function dedupe<T>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = JSON.stringify(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
