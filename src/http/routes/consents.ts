/**
 * Consents (本人同意, rule 3): recorded by the lead organization or the coordinator, with
 * method, date, the organizations named, tax inclusion and purposes; withdrawal takes
 * effect the moment it is recorded.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ConsentCreateBody, ConsentWithdrawBody, IdParams } from '../../domain/schemas.ts';
import { nowIso } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { type Actor, actsForOrganization, hasRole } from '../../policy/actor.ts';
import { personGrants } from '../../policy/person.ts';
import type { Services } from '../../services.ts';
import { actorOf } from '../context.ts';
import { conflict, forbidden, invalid, notFound, unknownReference } from '../errors.ts';
import { presentConsent } from '../presenters.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

export async function consentRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  /** Cases on which the person is a household member. */
  const casesOfPerson = (personId: string) =>
    db
      .selectFrom('householdMembers as hm')
      .innerJoin('cases as c', 'c.householdId', 'hm.householdId')
      .select(['c.id', 'c.leadOrganizationId'])
      .where('hm.personId', '=', personId)
      .execute();

  /**
   * May the actor record or withdraw this person's consents? The lead organization of a case
   * the person is on, or a coordinator (who keeps the municipality-wide index). Anyone else:
   * 403 when they can see the person, 404 otherwise.
   */
  async function authorizeConsentWork(req: FastifyRequest, actor: Actor, personId: string) {
    const exists = await db.selectFrom('persons').select('id').where('id', '=', personId).executeTakeFirst();
    if (!exists || !actsForOrganization(actor)) throw notFound();
    const cases = await casesOfPerson(personId);
    const isLead = cases.some((c) => c.leadOrganizationId === actor.organizationId);
    const coordinator = hasRole(actor, 'coordinator') && cases.length > 0;
    if (isLead || coordinator) return;
    const { bases } = await personGrants(db, actor, personId);
    await auditReads(services, req, [{ type: 'ACCESS_DENIED', outcome: 'denied', personId, subjectType: 'consent', payload: { action: 'record_consent' } }]);
    if (bases.length === 0) throw notFound();
    throw forbidden('rule.lead_or_coordinator');
  }

  /** Purposes and the representative's name: to the recorder, the named, the lead, own work and break-glass (presentConsent). */
  function seesDetails(actor: Actor, bases: { ground: string }[], consent: { recordedByOrganizationId: string }, named: string[]) {
    return (
      consent.recordedByOrganizationId === actor.organizationId ||
      named.includes(actor.organizationId) ||
      bases.some((b) => b.ground === 'lead' || b.ground === 'own_work' || b.ground === 'break_glass')
    );
  }

  async function orgNames() {
    return new Map((await db.selectFrom('organizations').select(['id', 'name']).execute()).map((o) => [o.id, o.name]));
  }

  r.post(
    '/persons/:id/consents',
    { schema: { tags: ['consents'], summary: '本人同意の記録（主担当・推進員）', params: IdParams, body: ConsentCreateBody } },
    async (req, reply) => {
      const actor = actorOf(req);
      const personId = req.params.id;
      await authorizeConsentWork(req, actor, personId);
      const b = req.body;
      const orgIds = [...new Set(b.organizationIds)];
      const known = new Set((await db.selectFrom('organizations').select('id').where('id', 'in', orgIds).execute()).map((o) => o.id));
      const unknown = b.organizationIds.flatMap((id, i) => (known.has(id) ? [] : [unknownReference(`organizationIds.${i}`, 'organization')]));
      if (unknown.length) throw invalid(...unknown);
      const consent = {
        id: newId(),
        personId,
        obtainedOn: b.obtainedOn,
        method: b.method,
        givenByRelation: b.givenBy?.relation ?? 'self',
        givenByName: b.givenBy?.name ?? null,
        purposes: JSON.stringify(b.purposes ?? []),
        includesTaxInfo: b.includesTaxInfo ? 1 : 0,
        recordedByUserId: actor.userId,
        recordedByOrganizationId: actor.organizationId,
        createdAt: nowIso(),
        withdrawnOn: null,
        withdrawnAt: null,
        withdrawnByUserId: null,
      };
      await writeWithAudit(services, req, async (tx) => {
        await tx.insertInto('consents').values(consent).execute();
        await tx
          .insertInto('consentOrganizations')
          .values(orgIds.map((organizationId) => ({ consentId: consent.id, organizationId })))
          .execute();
        return {
          result: null,
          events: [
            {
              type: 'CONSENT_RECORDED',
              personId,
              subjectType: 'consent',
              subjectId: consent.id,
              payload: { organizationIds: orgIds, includesTaxInfo: b.includesTaxInfo, method: b.method, givenBy: consent.givenByRelation },
            },
          ],
        };
      });
      reply.status(201);
      return presentConsent(consent, orgIds, await orgNames());
    },
  );

  r.get('/persons/:id/consents', { schema: { tags: ['consents'], summary: '本人同意の一覧', params: IdParams } }, async (req) => {
    const actor = actorOf(req);
    const { bases } = await personGrants(db, actor, req.params.id);
    if (bases.length === 0) {
      // Rule 6: a denied read of someone who exists is logged like any other denial.
      const exists = await db.selectFrom('persons').select('id').where('id', '=', req.params.id).executeTakeFirst();
      if (exists)
        await auditReads(services, req, [{ type: 'ACCESS_DENIED', outcome: 'denied', personId: exists.id, subjectType: 'consent', subjectId: exists.id }]);
      throw notFound();
    }
    const consents = await db.selectFrom('consents').selectAll().where('personId', '=', req.params.id).orderBy('createdAt').execute();
    const links = consents.length
      ? await db
          .selectFrom('consentOrganizations')
          .selectAll()
          .where(
            'consentId',
            'in',
            consents.map((c) => c.id),
          )
          .execute()
      : [];
    const names = await orgNames();
    await auditReads(services, req, [{ type: 'CONSENTS_VIEWED', personId: req.params.id, subjectType: 'person', subjectId: req.params.id, basis: bases }]);
    return {
      items: consents.map((c) => {
        const named = links.filter((l) => l.consentId === c.id).map((l) => l.organizationId);
        return presentConsent(c, named, names, { details: seesDetails(actor, bases, c, named) });
      }),
    };
  });

  r.post(
    '/consents/:id/withdraw',
    { schema: { tags: ['consents'], summary: '本人同意の撤回（記録した瞬間から共有が止まる）', params: IdParams, body: ConsentWithdrawBody } },
    async (req) => {
      const actor = actorOf(req);
      const consent = await db.selectFrom('consents').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!consent) throw notFound();
      await authorizeConsentWork(req, actor, consent.personId);
      if (consent.withdrawnAt) throw conflict('conflict.already_withdrawn');
      if (req.body.withdrawnOn < consent.obtainedOn) throw invalid({ path: 'withdrawnOn', key: 'field.before_obtained' });
      const withdrawnAt = nowIso();
      await writeWithAudit(services, req, async (tx) => {
        await tx
          .updateTable('consents')
          .set({ withdrawnOn: req.body.withdrawnOn, withdrawnAt, withdrawnByUserId: actor.userId })
          .where('id', '=', consent.id)
          .execute();
        return { result: null, events: [{ type: 'CONSENT_WITHDRAWN', personId: consent.personId, subjectType: 'consent', subjectId: consent.id }] };
      });
      const links = await db.selectFrom('consentOrganizations').select('organizationId').where('consentId', '=', consent.id).execute();
      const named = links.map((l) => l.organizationId);
      const { bases } = await personGrants(db, actor, consent.personId);
      return presentConsent({ ...consent, withdrawnOn: req.body.withdrawnOn, withdrawnAt, withdrawnByUserId: actor.userId }, named, await orgNames(), {
        details: seesDetails(actor, bases, consent, named),
      });
    },
  );
}
