/** The substring-index migration fills the index for persons registered before it ran. */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { personSearchKeys, substringSearchKeys } from '../../ja/searchKeys.ts';
import { type KasaneDatabase, openDatabase } from '../connect.ts';
import { migrateToLatest } from '../migrate.ts';
import { up } from './202611290300_create_person_search_keys.ts';

describe('202611290300_create_person_search_keys', () => {
  let database: KasaneDatabase;
  beforeEach(async () => {
    database = openDatabase(':memory:');
    await migrateToLatest(database.db, 'sqlite');
  });
  afterEach(() => database.close());

  it('indexes every existing person, through the migrator’s camelCase connection', async () => {
    const { db } = database;
    const now = '2026-11-29T00:00:00.000Z';
    await db.insertInto('organizations').values({ id: 'o1', name: '福祉課', kind: '行政機関', fields: '[]', area: null, createdAt: now }).execute();
    await db
      .insertInto('users')
      .values({
        id: 'u1',
        loginId: 'u1',
        displayName: '職員',
        organizationId: 'o1',
        roles: '[]',
        passwordHash: 'x',
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    const names = Array.from({ length: 2500 }, (_, i) => ({
      familyName: i % 2 ? '齋藤' : '髙橋',
      givenName: `花子${i}`,
      familyNameKana: i % 2 ? 'さいとう' : 'ﾀｶﾊｼ',
      givenNameKana: 'はなこ',
    }));
    const persons = names.map((n, i) => ({
      id: `p${String(i).padStart(5, '0')}`,
      ...n,
      ...personSearchKeys(n),
      birthDate: null,
      sex: null,
      address: null,
      registeredByOrganizationId: 'o1',
      createdByUserId: 'u1',
      createdAt: now,
    }));
    for (let i = 0; i < persons.length; i += 500)
      await db
        .insertInto('persons')
        .values(persons.slice(i, i + 500))
        .execute();
    await sql`DROP TABLE person_search_keys`.execute(db);
    await up(db, 'sqlite');
    const rows = await db.selectFrom('personSearchKeys').select(['key', 'personId']).execute();
    const expected = persons.flatMap((p) => substringSearchKeys(p).map((key) => `${key} ${p.id}`));
    expect(rows.map((r) => `${r.key} ${r.personId}`).sort()).toEqual(expected.sort());
  });
});
