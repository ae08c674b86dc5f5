import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KasaneDatabase, openDatabase } from './connect.ts';
import { migrateToLatest } from './migrate.ts';
import { prepareQuery } from './prepared.ts';

describe('prepareQuery', () => {
  let database: KasaneDatabase;
  beforeEach(async () => {
    database = openDatabase(':memory:');
    await migrateToLatest(database.db, 'sqlite');
    await database.db
      .insertInto('organizations')
      .values([
        { id: 'o1', name: '保健センター', kind: 'municipal', fields: '[]', createdAt: '2026-11-29T00:00:00.000Z' },
        { id: 'o2', name: '社会福祉協議会', kind: 'social_welfare_council', fields: '[]', createdAt: '2026-11-29T00:00:01.000Z' },
      ] as never)
      .execute();
  });
  afterEach(() => database.close());

  it('runs the query built once with each call’s values, results renamed to camelCase', async () => {
    let built = 0;
    const byName = prepareQuery(['name', 'after'], (db, a: { name: string; after: string }) => {
      built += 1;
      return db.selectFrom('organizations').select(['id', 'createdAt']).where('name', '=', a.name).where('createdAt', '>', a.after).orderBy('id');
    });
    expect(await byName.all(database.db, { name: '保健センター', after: '2000-01-01' })).toEqual([{ id: 'o1', createdAt: '2026-11-29T00:00:00.000Z' }]);
    expect(await byName.first(database.db, { name: '社会福祉協議会', after: '2000-01-01' })).toEqual({ id: 'o2', createdAt: '2026-11-29T00:00:01.000Z' });
    expect(await byName.first(database.db, { name: '社会福祉協議会', after: '2030-01-01' })).toBeUndefined();
    expect(built).toBe(1);
  });

  it('refuses a builder that changes an argument (it would run with the first value for ever)', async () => {
    const changed = prepareQuery(['name'], (db, a: { name: string }) => db.selectFrom('organizations').select('id').where('name', 'like', `${a.name}%`));
    await expect(changed.all(database.db, { name: '保健' })).rejects.toThrow(/lost its argument\(s\) name/);
  });
});
