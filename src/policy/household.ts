/**
 * Who may see a household: the organization that registered it (own work), the team of any
 * case on it, and an unexpired break-glass grant on one of its cases.
 */
import { type Kysely, sql } from 'kysely';
import type { LegalBasis } from '../audit/events.ts';
import type { DB } from '../db/schema.ts';
import { nowIso } from '../lib/clock.ts';
import { type Actor, actsForOrganization } from './actor.ts';

export function householdsVisibleTo(db: Kysely<DB>, actor: Actor) {
  const base = db.selectFrom('households');
  if (!actsForOrganization(actor)) return base.where(sql<boolean>`1 = 0`);
  return base.where((eb) =>
    eb.or([
      eb('households.createdByOrganizationId', '=', actor.organizationId),
      // Correlated EXISTS, checked per household through indexes: a list of every household
      // on the organization's cases, built per query, costs more than the query (issue 6).
      eb.exists(
        db
          .selectFrom('cases as c')
          .innerJoin('caseTeam as t', 't.caseId', 'c.id')
          .select('c.householdId')
          .where('t.organizationId', '=', actor.organizationId)
          .where('c.householdId', '=', sql.ref<string>('households.id')),
      ),
      // The few households under the user's break-glass grants: a short list made once per query.
      eb(
        'households.id',
        'in',
        db
          .selectFrom('cases as c')
          .innerJoin('breakGlassGrants as g', 'g.caseId', 'c.id')
          .select('c.householdId')
          .where('g.userId', '=', actor.userId)
          .where('g.expiresAt', '>', nowIso()),
      ),
    ]),
  );
}

export async function householdGrants(db: Kysely<DB>, actor: Actor, householdId: string): Promise<LegalBasis[]> {
  if (!actsForOrganization(actor)) return [];
  const h = await db.selectFrom('households').select('createdByOrganizationId').where('id', '=', householdId).executeTakeFirst();
  if (!h) return [];
  const bases: LegalBasis[] = [];
  if (h.createdByOrganizationId === actor.organizationId) bases.push({ ground: 'own_work' });
  const teams = await db
    .selectFrom('cases as c')
    .innerJoin('caseTeam as t', 't.caseId', 'c.id')
    .select(['c.id', 'c.leadOrganizationId', 't.basis'])
    .where('c.householdId', '=', householdId)
    .where('t.organizationId', '=', actor.organizationId)
    .execute();
  for (const t of teams)
    bases.push(t.leadOrganizationId === actor.organizationId ? { ground: 'lead', caseId: t.id } : { ground: 'team', caseId: t.id, teamBasis: t.basis });
  const glass = await db
    .selectFrom('cases as c')
    .innerJoin('breakGlassGrants as g', 'g.caseId', 'c.id')
    .select('g.id')
    .where('c.householdId', '=', householdId)
    .where('g.userId', '=', actor.userId)
    .where('g.expiresAt', '>', nowIso())
    .executeTakeFirst();
  if (glass) bases.push({ ground: 'break_glass', grantId: glass.id });
  return bases;
}
