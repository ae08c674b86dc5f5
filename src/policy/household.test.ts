/** Household grounds on a real (in-memory) database: own work, team, break-glass, nothing else. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KasaneDatabase, openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Actor } from './actor.ts';
import { householdGrants, householdsVisibleTo } from './household.ts';
import { personGrants } from './person.ts';

const NOW = new Date().toISOString();
const LATER = new Date(Date.now() + 3600_000).toISOString();
const actor = (organizationId: string, roles: Actor['roles'], userId = `u-${organizationId}`): Actor => ({
  userId,
  loginId: userId,
  displayName: userId,
  organizationId,
  organizationName: organizationId,
  organizationFields: [],
  roles,
});

describe('household grounds', () => {
  let database: KasaneDatabase;
  beforeAll(async () => {
    database = openDatabase(':memory:');
    await migrateToLatest(database.db, 'sqlite');
    const db = database.db;
    await db
      .insertInto('organizations')
      .values(['lead', 'team', 'city', 'other'].map((id) => ({ id, name: id, kind: '行政機関', fields: '[]', area: null, createdAt: NOW })))
      .execute();
    await db
      .insertInto('users')
      .values(
        ['lead', 'team', 'city', 'other'].map((o) => ({
          id: `u-${o}`,
          loginId: `u-${o}`,
          displayName: o,
          organizationId: o,
          roles: '["caseworker"]',
          passwordHash: 'x',
          disabledAt: null,
          createdAt: NOW,
          updatedAt: NOW,
        })),
      )
      .execute();
    await db
      .insertInto('households')
      .values({ id: 'h1', name: '世帯', address: null, createdByOrganizationId: 'lead', createdByUserId: 'u-lead', createdAt: NOW })
      .execute();
    await db
      .insertInto('cases')
      .values({
        id: 'c1',
        householdId: 'h1',
        leadOrganizationId: 'lead',
        referralRoute: '本人',
        summary: 's',
        urgency: 'normal',
        status: 'intake',
        closingReason: null,
        openedAt: NOW,
        openedByUserId: 'u-lead',
        updatedAt: NOW,
      })
      .execute();
    await db
      .insertInto('caseTeam')
      .values([
        { caseId: 'c1', organizationId: 'lead', basis: 'lead', joinedAt: NOW, addedByUserId: 'u-lead' },
        { caseId: 'c1', organizationId: 'team', basis: 'referral', joinedAt: NOW, addedByUserId: 'u-lead' },
      ])
      .execute();
    await db
      .insertInto('breakGlassGrants')
      .values({ id: 'g1', caseId: 'c1', userId: 'u-city', organizationId: 'city', reason: '緊急', grantedAt: NOW, expiresAt: LATER })
      .execute();
  });
  afterAll(() => database.close());

  const visibleIds = async (a: Actor) => (await householdsVisibleTo(database.db, a).select('households.id').execute()).map((h) => h.id);

  it('own work, lead and team, and an unexpired break-glass grant; rule and scope agree', async () => {
    expect(await householdGrants(database.db, actor('lead', ['caseworker']), 'h1')).toEqual([{ ground: 'own_work' }, { ground: 'lead', caseId: 'c1' }]);
    expect(await householdGrants(database.db, actor('team', ['caseworker']), 'h1')).toEqual([{ ground: 'team', caseId: 'c1', teamBasis: 'referral' }]);
    expect(await householdGrants(database.db, actor('city', ['coordinator']), 'h1')).toEqual([{ ground: 'break_glass', grantId: 'g1' }]);
    for (const o of ['lead', 'team']) expect(await visibleIds(actor(o, ['caseworker']))).toEqual(['h1']);
    expect(await visibleIds(actor('city', ['coordinator']))).toEqual(['h1']);
  });

  it('nothing for an outsider, an administrator, an auditor, or a household that does not exist', async () => {
    expect(await householdGrants(database.db, actor('other', ['caseworker']), 'h1')).toEqual([]);
    expect(await visibleIds(actor('other', ['caseworker']))).toEqual([]);
    for (const role of ['admin', 'auditor'] as const) {
      expect(await householdGrants(database.db, actor('lead', [role]), 'h1')).toEqual([]);
      expect(await visibleIds(actor('lead', [role]))).toEqual([]);
    }
    expect(await householdGrants(database.db, actor('lead', ['caseworker']), 'nope')).toEqual([]);
    expect(await personGrants(database.db, actor('lead', ['caseworker']), 'nope')).toEqual({ bases: [], seesContact: false });
  });
});
