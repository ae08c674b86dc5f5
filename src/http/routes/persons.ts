/**
 * Persons (本人・世帯員): registration with the duplicate warning (名寄せ), search by any
 * spelling, and reading one person — each through the policy scope.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuditEventInput } from '../../audit/events.ts';
import { prepareQuery } from '../../db/prepared.ts';
import { IdParams, PersonCreateBody, PersonSearchQuery } from '../../domain/schemas.ts';
import { personSearchKeys, queryKeys } from '../../ja/index.ts';
import { substringKeyRange, substringSearchKeys } from '../../ja/searchKeys.ts';
import { nowIso } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { householdsVisibleTo } from '../../policy/household.ts';
import { personGrants, personsVisibleTo } from '../../policy/person.ts';
import type { Services } from '../../services.ts';
import { actorOf, requireRole } from '../context.ts';
import { notFound } from '../errors.ts';
import { presentPerson } from '../presenters.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

/** LIKE wildcards never occur in search keys; strip them so a query cannot widen itself. */
const personById = prepareQuery(['id'], (db, a: { id: string }) => db.selectFrom('persons').selectAll().where('id', '=', a.id));

const likeSafe = (s: string) => s.replace(/[%_\\]/g, '');

export async function personRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.post('/persons', { schema: { tags: ['persons'], summary: '本人・世帯員の登録（重複候補つき）', body: PersonCreateBody } }, async (req, reply) => {
    const actor = requireRole(req, 'coordinator', 'caseworker');
    const b = req.body;
    const keys = personSearchKeys(b);
    const row = {
      id: newId(),
      familyName: b.familyName,
      givenName: b.givenName,
      familyNameKana: b.familyNameKana,
      givenNameKana: b.givenNameKana,
      birthDate: b.birthDate ?? null,
      sex: b.sex ?? null,
      address: b.address ?? null,
      deceasedOn: b.deceasedOn ?? null,
      nameKey: keys.nameKey,
      kanaKey: keys.kanaKey,
      registeredByOrganizationId: actor.organizationId,
      createdByUserId: actor.userId,
      createdAt: nowIso(),
    };
    // Likely duplicates: same kana (or same name) and a birth date that matches or is missing.
    const candidates = await db
      .selectFrom('persons')
      .select('id')
      .where((eb) => eb.or([eb('kanaKey', '=', keys.kanaKey), eb('nameKey', '=', keys.nameKey)]))
      .$if(row.birthDate !== null, (q) => q.where((eb) => eb.or([eb('birthDate', '=', row.birthDate), eb('birthDate', 'is', null)])))
      .limit(50)
      .execute();
    const candidateIds = candidates.map((c) => c.id);
    const visible = candidateIds.length ? await personsVisibleTo(db, actor).selectAll('persons').where('persons.id', 'in', candidateIds).execute() : [];
    const heldElsewhere = candidateIds.length > visible.length;
    await writeWithAudit(services, req, async (tx) => {
      await tx.insertInto('persons').values(row).execute();
      await tx
        .insertInto('personSearchKeys')
        .values(substringSearchKeys(keys).map((key) => ({ key, personId: row.id })))
        .execute();
      const events: AuditEventInput[] = [
        { type: 'PERSON_CREATED', personId: row.id, subjectType: 'person', subjectId: row.id, basis: [{ ground: 'own_work' }] },
      ];
      for (const v of visible) {
        events.push({ type: 'PERSON_VIEWED', personId: v.id, subjectType: 'person', subjectId: v.id, payload: { as: 'possible_duplicate' } });
      }
      return { result: null, events };
    });
    reply.status(201);
    return {
      ...presentPerson(row, { seesContact: true }),
      possibleDuplicates: [
        ...visible.map((v) => ({
          id: v.id,
          familyName: v.familyName,
          givenName: v.givenName,
          familyNameKana: v.familyNameKana,
          givenNameKana: v.givenNameKana,
          birthDate: v.birthDate,
        })),
        // A match the caller may not see is reported without any identity (名寄せ: ask the coordinator).
        ...(heldElsewhere ? [{ heldElsewhere: true as const }] : []),
      ],
    };
  });

  r.get('/persons', { schema: { tags: ['persons'], summary: '本人・世帯員の検索（漢字・かな・異体字）', querystring: PersonSearchQuery } }, async (req) => {
    const actor = actorOf(req);
    const { q, birthDate, limit } = req.query;
    let query = personsVisibleTo(db, actor).selectAll('persons');
    const keys = q?.trim() ? queryKeys(q) : null;
    if (keys) {
      const nameKey = likeSafe(keys.nameKey);
      const kanaKey = keys.kanaKey ? likeSafe(keys.kanaKey) : null;
      // The candidates come from the substring index (one range scan per key, any length of
      // term); the LIKE then checks terms longer than the index entries against the whole key.
      const ranges = [substringKeyRange('N', nameKey), ...(kanaKey ? [substringKeyRange('K', kanaKey)] : [])];
      if (nameKey !== '')
        query = query.where('persons.id', 'in', (eb) =>
          eb
            .selectFrom('personSearchKeys')
            .select('personSearchKeys.personId')
            .where((k) => k.or(ranges.map((r) => k.and([k('personSearchKeys.key', '>=', r.low), k('personSearchKeys.key', '<', r.high)])))),
        );
      query = query.where((eb) => eb.or([eb('persons.nameKey', 'like', `%${nameKey}%`), ...(kanaKey ? [eb('persons.kanaKey', 'like', `%${kanaKey}%`)] : [])]));
    }
    if (birthDate) query = query.where('persons.birthDate', '=', birthDate);
    const rows = await query
      .orderBy('persons.kanaKey')
      .orderBy('persons.id')
      .limit(limit ?? 50)
      .execute();
    const ids = rows.map((p) => p.id);
    const households = ids.length
      ? await householdsVisibleTo(db, actor)
          .innerJoin('householdMembers as hm', 'hm.householdId', 'households.id')
          .select(['hm.personId', 'households.id', 'households.name'])
          .where('hm.personId', 'in', ids)
          .execute()
      : [];
    const events: AuditEventInput[] = rows.map((p) => ({
      type: 'PERSONS_SEARCHED',
      personId: p.id,
      subjectType: 'person',
      subjectId: p.id,
      payload: { queryLength: q?.length ?? 0 },
    }));
    if (events.length === 0) events.push({ type: 'PERSONS_SEARCHED', payload: { queryLength: q?.length ?? 0, results: 0 } });
    await auditReads(services, req, events);
    return {
      items: rows.map((p) => ({
        ...presentPerson(p, { seesContact: false }),
        households: households.filter((h) => h.personId === p.id).map((h) => ({ id: h.id, name: h.name })),
      })),
    };
  });

  r.get('/persons/:id', { schema: { tags: ['persons'], summary: '本人・世帯員（ルール1の範囲）', params: IdParams } }, async (req) => {
    const actor = actorOf(req);
    const person = await personById.first(db, { id: req.params.id });
    const grant = person ? await personGrants(db, actor, person.id, person) : { bases: [], seesContact: false };
    if (!person || grant.bases.length === 0) {
      if (person)
        await auditReads(services, req, [{ type: 'ACCESS_DENIED', outcome: 'denied', personId: person.id, subjectType: 'person', subjectId: person.id }]);
      throw notFound();
    }
    await auditReads(services, req, [{ type: 'PERSON_VIEWED', personId: person.id, subjectType: 'person', subjectId: person.id, basis: grant.bases }]);
    return { ...presentPerson(person, { seesContact: grant.seesContact }), basis: grant.bases };
  });
}
