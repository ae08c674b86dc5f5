/**
 * The intake form for a meeting (Toba's 地域共生ケース会議受付表): the worker who took the
 * consultation records what was consulted, the agencies already involved and those likely to
 * be needed; the coordinator (相談支援包括化推進員) forwards it to the chair (総括者), who
 * convenes. The form is addressed to them: its basis is the request itself.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ConveningForwardBody, ConveningRequestBody, IdParams } from '../../domain/schemas.ts';
import { nowIso } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { actsForOrganization, hasRole } from '../../policy/actor.ts';
import { caseAccess } from '../../policy/case.ts';
import type { Services } from '../../services.ts';
import { parseRoles } from '../auth.ts';
import { actorOf, requireRole } from '../context.ts';
import { type FieldError, forbidden, invalid, notFound, unknownReference } from '../errors.ts';
import { notify } from '../notifications.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

export async function conveningRequestRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.post('/convening-requests', { schema: { tags: ['meetings'], summary: '会議の開催依頼（受付表）', body: ConveningRequestBody } }, async (req, reply) => {
    const actor = actorOf(req);
    const b = req.body;
    const access = await caseAccess(db, actor, b.caseId);
    if (!access) throw invalid(unknownReference('caseId', 'case'));
    if (!access.onTeam) throw forbidden('rule.team_only');
    const ids = [...new Set([...b.involvedOrganizationIds, ...b.neededOrganizationIds])];
    const known = new Set(
      (
        await db
          .selectFrom('organizations')
          .select('id')
          .where('id', 'in', ids.length ? ids : ['-'])
          .execute()
      ).map((o) => o.id),
    );
    const errors: FieldError[] = [
      ...b.involvedOrganizationIds.flatMap((id, i) => (known.has(id) ? [] : [unknownReference(`involvedOrganizationIds.${i}`, 'organization')])),
      ...b.neededOrganizationIds.flatMap((id, i) => (known.has(id) ? [] : [unknownReference(`neededOrganizationIds.${i}`, 'organization')])),
    ];
    if (errors.length) throw invalid(...errors);
    const row = {
      id: newId(),
      caseId: b.caseId,
      consulted: b.consulted,
      involvedOrganizationIds: JSON.stringify(b.involvedOrganizationIds),
      neededOrganizationIds: JSON.stringify(b.neededOrganizationIds),
      urgency: b.urgency ?? 'normal',
      status: 'submitted',
      requestedByUserId: actor.userId,
      requestedByOrganizationId: actor.organizationId,
      createdAt: nowIso(),
      forwardedToUserId: null,
      forwardedByUserId: null,
      forwardedAt: null,
      meetingId: null,
    };
    await writeWithAudit(services, req, async (tx) => {
      await tx.insertInto('conveningRequests').values(row).execute();
      await notify(
        tx,
        { role: 'coordinator' },
        {
          kind: 'convening_request',
          title: '会議の開催依頼（受付表）が届きました',
          body: `${actor.organizationName} から会議の開催依頼がありました。`,
          subjectType: 'convening_request',
          subjectId: row.id,
          createdAt: row.createdAt,
        },
      );
      return {
        result: null,
        events: [
          {
            type: 'CONVENING_REQUESTED',
            caseId: b.caseId,
            subjectType: 'convening_request',
            subjectId: row.id,
            basis: access.bases,
            payload: { neededOrganizationIds: b.neededOrganizationIds },
          },
        ],
      };
    });
    reply.status(201);
    return present(row);
  });

  r.get('/convening-requests', { schema: { tags: ['meetings'], summary: '会議の開催依頼（推進員・依頼した機関・送られた総括者）' } }, async (req) => {
    const actor = actorOf(req);
    if (!actsForOrganization(actor)) return { items: [] };
    const coordinator = hasRole(actor, 'coordinator');
    const rows = await db
      .selectFrom('conveningRequests as cr')
      .innerJoin('cases as c', 'c.id', 'cr.caseId')
      .innerJoin('households as h', 'h.id', 'c.householdId')
      .selectAll('cr')
      .select('h.name as householdName')
      .$if(!coordinator, (q) =>
        q.where((eb) => eb.or([eb('cr.requestedByOrganizationId', '=', actor.organizationId), eb('cr.forwardedToUserId', '=', actor.userId)])),
      )
      .orderBy('cr.createdAt', 'desc')
      .limit(500)
      .execute();
    const events = rows.map((x) => ({
      type: 'CONVENING_REQUESTS_VIEWED' as const,
      caseId: x.caseId,
      subjectType: 'convening_request',
      subjectId: x.id,
      basis: [{ ground: 'role' as const, role: coordinator ? 'coordinator' : 'requester_or_chair' }],
    }));
    await auditReads(services, req, events.length ? events : [{ type: 'CONVENING_REQUESTS_VIEWED', payload: { count: 0 } }]);
    return { items: rows.map((x) => ({ ...present(x), householdName: x.householdName })) };
  });

  r.post(
    '/convening-requests/:id/forward',
    { schema: { tags: ['meetings'], summary: '開催依頼を総括者へ送る（推進員）', params: IdParams, body: ConveningForwardBody } },
    async (req) => {
      const actor = requireRole(req, 'coordinator');
      const request = await db.selectFrom('conveningRequests').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!request) throw notFound();
      const chair = await db.selectFrom('users').select(['id', 'roles', 'disabledAt']).where('id', '=', req.body.chairUserId).executeTakeFirst();
      if (!chair || chair.disabledAt) throw invalid(unknownReference('chairUserId', 'user'));
      if (!parseRoles(chair.roles).includes('chair')) throw invalid({ path: 'chairUserId', key: 'field.not_a_chair' });
      const at = nowIso();
      await writeWithAudit(services, req, async (tx) => {
        await tx
          .updateTable('conveningRequests')
          .set({ status: 'forwarded', forwardedToUserId: chair.id, forwardedByUserId: actor.userId, forwardedAt: at })
          .where('id', '=', request.id)
          .execute();
        await notify(
          tx,
          { userId: chair.id },
          {
            kind: 'convening_request',
            title: '会議の招集依頼',
            body: '相談支援包括化推進員から会議の招集依頼が届きました。',
            subjectType: 'convening_request',
            subjectId: request.id,
            createdAt: at,
          },
        );
        return {
          result: null,
          events: [
            {
              type: 'CONVENING_REQUEST_FORWARDED',
              caseId: request.caseId,
              subjectType: 'convening_request',
              subjectId: request.id,
              payload: { chairUserId: chair.id },
            },
          ],
        };
      });
      const forwarded = { ...request, status: 'forwarded', forwardedToUserId: chair.id, forwardedAt: at };
      return present(forwarded);
    },
  );
}

function present(x: {
  id: string;
  caseId: string;
  consulted: string;
  involvedOrganizationIds: string;
  neededOrganizationIds: string;
  urgency: string;
  status: string;
  requestedByOrganizationId: string;
  createdAt: string;
  forwardedToUserId: string | null;
  forwardedAt: string | null;
}) {
  return {
    id: x.id,
    caseId: x.caseId,
    consulted: x.consulted,
    involvedOrganizationIds: JSON.parse(x.involvedOrganizationIds) as string[],
    neededOrganizationIds: JSON.parse(x.neededOrganizationIds) as string[],
    urgency: x.urgency,
    status: x.status,
    requestedByOrganizationId: x.requestedByOrganizationId,
    createdAt: x.createdAt,
    forwardedToUserId: x.forwardedToUserId,
    forwardedAt: x.forwardedAt,
  };
}
