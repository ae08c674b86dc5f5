/**
 * The audit trail: "who has seen this person" (rule 6), chain verification, and the inbox.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../../audit/events.ts';
import { verifyAuditChain } from '../../audit/verify.ts';
import { AuditQuery } from '../../domain/schemas.ts';
import type { Services } from '../../services.ts';
import { actorOf, requireRole } from '../context.ts';
import { auditReads } from '../transaction.ts';

export async function auditRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.get('/audit', { schema: { tags: ['audit'], summary: 'アクセス履歴（誰が・いつ・何を・どの根拠で）', querystring: AuditQuery } }, async (req) => {
    requireRole(req, 'auditor', 'coordinator');
    const { personId, caseId, limit } = req.query;
    const rows = await db
      .selectFrom('auditEvents')
      .selectAll()
      .$if(!!personId, (q) => q.where('personId', '=', personId!))
      .$if(!!caseId, (q) => q.where('caseId', '=', caseId!))
      .orderBy('seq', 'desc')
      .limit(limit ?? 200)
      .execute();
    await auditReads(services, req, [{ type: 'AUDIT_LOG_VIEWED', personId: personId ?? null, caseId: caseId ?? null, payload: { count: rows.length } }]);
    return {
      items: rows.map((e) => ({
        id: e.id,
        seq: Number(e.seq),
        at: e.at,
        type: e.type,
        description: AUDIT_EVENT_TYPES[e.type as AuditEventType] ?? e.type,
        outcome: e.outcome,
        actor: JSON.parse(e.actor),
        requestId: e.requestId,
        personId: e.personId,
        caseId: e.caseId,
        subjectType: e.subjectType,
        subjectId: e.subjectId,
        basis: JSON.parse(e.basis),
        payload: JSON.parse(e.payload),
      })),
    };
  });

  r.get('/audit/verify', { schema: { tags: ['audit'], summary: '監査ログのハッシュチェーン検証' } }, async (req) => {
    requireRole(req, 'auditor');
    const result = await verifyAuditChain(db, services.audit.anchor, { location: services.database.location });
    await auditReads(services, req, [
      { type: 'AUDIT_CHAIN_VERIFIED', outcome: result.ok ? 'success' : 'failure', payload: { entries: result.entries, ok: result.ok } },
    ]);
    return result;
  });

  r.get('/notifications', { schema: { tags: ['notifications'], summary: '通知（受信箱）' } }, async (req) => {
    const actor = actorOf(req);
    const rows = await db
      .selectFrom('notifications')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('userId', '=', actor.userId),
          eb('organizationId', '=', actor.organizationId),
          ...(actor.roles.length ? [eb('role', 'in', actor.roles)] : []),
        ]),
      )
      .orderBy('createdAt', 'desc')
      .limit(200)
      .execute();
    return { items: rows.map(({ userId: _, organizationId: __, role: ___, ...n }) => n) };
  });
}
