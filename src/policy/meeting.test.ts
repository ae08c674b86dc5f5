/** The meeting rules' edges on a real (in-memory) database: the consent gate and rule 4. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KasaneDatabase, openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Actor } from './actor.ts';
import { consentGaps, isStatutoryBasis, materialsCloseAt, seesTaxOf } from './meeting.ts';

const NOW = new Date().toISOString();
const actor = (organizationId: string, roles: Actor['roles']): Actor => ({
  userId: `u-${organizationId}`,
  loginId: organizationId,
  displayName: organizationId,
  organizationId,
  organizationName: organizationId,
  organizationFields: [],
  roles,
});

describe('meeting rules', () => {
  let database: KasaneDatabase;
  beforeAll(async () => {
    database = openDatabase(':memory:');
    await migrateToLatest(database.db, 'sqlite');
    const db = database.db;
    await db
      .insertInto('organizations')
      .values(['lead', 'tax'].map((id) => ({ id, name: `${id}機関`, kind: '行政機関', fields: '[]', area: null, createdAt: NOW })))
      .execute();
    await db
      .insertInto('users')
      .values({
        id: 'u-lead',
        loginId: 'lead',
        displayName: 'lead',
        organizationId: 'lead',
        roles: '["caseworker"]',
        passwordHash: 'x',
        disabledAt: null,
        createdAt: NOW,
        updatedAt: NOW,
      })
      .execute();
    await db
      .insertInto('persons')
      .values({
        id: 'p1',
        familyName: '髙橋',
        givenName: '一郎',
        familyNameKana: 'タカハシ',
        givenNameKana: 'イチロウ',
        birthDate: null,
        sex: null,
        address: null,
        nameKey: 'x',
        kanaKey: 'x',
        registeredByOrganizationId: 'lead',
        createdByUserId: 'u-lead',
        createdAt: NOW,
      })
      .execute();
    await db
      .insertInto('households')
      .values({ id: 'h1', name: '髙橋家', address: null, createdByOrganizationId: 'lead', createdByUserId: 'u-lead', createdAt: NOW })
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
    await db.insertInto('caseProblems').values({ id: 'pr1', caseId: 'c1', personId: 'p1', type: 'ひきこもり', note: null, position: 0 }).execute();
    await db
      .insertInto('consents')
      .values({
        id: 'k1',
        personId: 'p1',
        obtainedOn: '2026-04-01',
        method: 'written',
        givenByRelation: 'self',
        givenByName: null,
        purposes: '[]',
        includesTaxInfo: 1,
        recordedByUserId: 'u-lead',
        recordedByOrganizationId: 'lead',
        createdAt: NOW,
        withdrawnOn: null,
        withdrawnAt: null,
        withdrawnByUserId: null,
      })
      .execute();
    await db.insertInto('consentOrganizations').values({ consentId: 'k1', organizationId: 'tax' }).execute();
  });
  afterAll(() => database.close());

  it('the consent gate names what is missing, by organization name (or id when unknown); nothing to check, nothing missing', async () => {
    expect(await consentGaps(database.db, 'c1', ['tax'])).toEqual([]);
    expect(await consentGaps(database.db, 'c1', ['lead', 'gone'])).toEqual([
      { personId: 'p1', personName: '髙橋 一郎', organizationIds: ['lead', 'gone'], organizationNames: ['lead機関', 'gone'] },
    ]);
    expect(await consentGaps(database.db, 'c1', [])).toEqual([]);
  });

  it('rule 4: a meeting never opens tax to a role without organization grounds', async () => {
    expect(await seesTaxOf(database.db, actor('tax', ['caseworker']), 'p1')).toBe(true);
    expect(await seesTaxOf(database.db, actor('tax', ['external_member']), 'p1')).toBe(false);
    expect(await seesTaxOf(database.db, actor('lead', ['caseworker']), 'p1')).toBe(false);
  });

  it('statutory bases and the materials window', () => {
    expect(isStatutoryBasis('art106-6')).toBe(true);
    expect(isStatutoryBasis('designated:child-protection')).toBe(true);
    expect(isStatutoryBasis('consent')).toBe(false);
    expect(materialsCloseAt({ startsAt: '2026-12-01T05:00:00.000Z', materialsCloseDays: 7 })).toBe('2026-12-08T05:00:00.000Z');
  });
});
