/**
 * Households (世帯): registration from persons the caller may see, and the household view.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HouseholdCreateBody, IdParams } from '../../domain/schemas.ts';
import { nowIso } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { actsForOrganization, hasRole } from '../../policy/actor.ts';
import { casesVisibleTo } from '../../policy/case.ts';
import { householdGrants } from '../../policy/household.ts';
import { personsVisibleTo } from '../../policy/person.ts';
import type { Services } from '../../services.ts';
import { actorOf, requireRole } from '../context.ts';
import { type FieldError, invalid, notFound, unknownReference } from '../errors.ts';
import { householdMembersQuery } from '../queries.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

export async function householdRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.post('/households', { schema: { tags: ['households'], summary: '世帯の登録', body: HouseholdCreateBody } }, async (req, reply) => {
    const actor = requireRole(req, 'coordinator', 'caseworker');
    const b = req.body;
    const ids = b.members.map((m) => m.personId);
    // A person the caller may not see is as unknown as one that does not exist.
    const visible = await personsVisibleTo(db, actor).select(['persons.id', 'persons.registeredByOrganizationId']).where('persons.id', 'in', ids).execute();
    const visibleIds = new Set(visible.map((v) => v.id));
    // Seeing a person through a team is not owning them: only the coordinator, who resolves
    // identities across agencies (名寄せ), may put another organization's person into a new
    // household — else a team member could open a "shadow case" and become its lead.
    const othersPersons = new Set(visible.filter((v) => v.registeredByOrganizationId !== actor.organizationId).map((v) => v.id));
    const coordinator = hasRole(actor, 'coordinator');
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    b.members.forEach((m, i) => {
      if (!visibleIds.has(m.personId)) errors.push(unknownReference(`members.${i}.personId`, 'person'));
      else if (othersPersons.has(m.personId) && !coordinator) errors.push({ path: `members.${i}.personId`, key: 'field.not_own_person' });
      else if (seen.has(m.personId)) errors.push({ path: `members.${i}.personId`, key: 'field.duplicate_member' });
      seen.add(m.personId);
    });
    if (errors.length) throw invalid(...errors);
    const household = {
      id: newId(),
      name: b.name ?? null,
      address: b.address ?? null,
      createdByOrganizationId: actor.organizationId,
      createdByUserId: actor.userId,
      createdAt: nowIso(),
    };
    const members = b.members.map((m, position) => ({
      householdId: household.id,
      personId: m.personId,
      relationship: m.relationship,
      livesTogether: m.livesTogether === false ? 0 : 1,
      keyPerson: m.keyPerson ? 1 : 0,
      position,
    }));
    await writeWithAudit(services, req, async (tx) => {
      await tx.insertInto('households').values(household).execute();
      await tx.insertInto('householdMembers').values(members).execute();
      return {
        result: null,
        events: [
          { type: 'HOUSEHOLD_CREATED', subjectType: 'household', subjectId: household.id, basis: [{ ground: 'own_work' }], payload: { personIds: ids } },
        ],
      };
    });
    reply.status(201);
    return {
      ...household,
      members: members.map(({ householdId: _, position: __, ...m }) => ({ ...m, livesTogether: m.livesTogether === 1, keyPerson: m.keyPerson === 1 })),
    };
  });

  r.get('/households/:id', { schema: { tags: ['households'], summary: '世帯（世帯員の本人確認情報とケース）', params: IdParams } }, async (req) => {
    const actor = actorOf(req);
    const household = await db.selectFrom('households').selectAll().where('id', '=', req.params.id).executeTakeFirst();
    const bases = household ? await householdGrants(db, actor, household.id) : [];
    if (household && bases.length === 0) {
      // The coordinator's municipality-wide case index (rule 1) names the household and its
      // cases, nothing about its members.
      const indexCases = await casesVisibleTo(db, actor)
        .select(['cases.id', 'cases.status', 'cases.openedAt'])
        .where('cases.householdId', '=', household.id)
        .orderBy('cases.openedAt', 'desc')
        .execute();
      if (hasRole(actor, 'coordinator') && actsForOrganization(actor) && indexCases.length > 0) {
        const basis = [{ ground: 'coordinator_index' as const }];
        await auditReads(services, req, [{ type: 'HOUSEHOLD_VIEWED', subjectType: 'household', subjectId: household.id, basis, payload: { view: 'index' } }]);
        return { id: household.id, name: household.name, createdAt: household.createdAt, view: 'index', members: [], cases: indexCases, basis };
      }
    }
    if (!household || bases.length === 0) {
      if (household) await auditReads(services, req, [{ type: 'ACCESS_DENIED', outcome: 'denied', subjectType: 'household', subjectId: household.id }]);
      throw notFound();
    }
    // Members through the person scope: a household registered from persons seen on a team
    // does not keep them once the team is left.
    const members = await householdMembersQuery(db, household.id).where('hm.personId', 'in', personsVisibleTo(db, actor).select('persons.id')).execute();
    const cases = await casesVisibleTo(db, actor)
      .select(['cases.id', 'cases.status', 'cases.openedAt'])
      .where('cases.householdId', '=', household.id)
      .orderBy('cases.openedAt', 'desc')
      .execute();
    await auditReads(
      services,
      req,
      members.map((m) => ({ type: 'HOUSEHOLD_VIEWED' as const, personId: m.personId, subjectType: 'household', subjectId: household.id, basis: bases })),
    );
    return {
      id: household.id,
      name: household.name,
      view: 'household',
      // Like a person's address, the household's is not part of the identity a team sees.
      ...(bases.some((b) => b.ground === 'own_work' || b.ground === 'lead' || b.ground === 'break_glass') ? { address: household.address } : {}),
      createdAt: household.createdAt,
      members: members.map((m) => ({ ...m, livesTogether: m.livesTogether === 1, keyPerson: m.keyPerson === 1 })),
      cases,
      basis: bases,
    };
  });
}
