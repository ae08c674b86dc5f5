/**
 * Prepared queries (src/db/prepared.ts) on both databases: built once, run with each call's
 * values; on PostgreSQL their fixed SQL runs as a named statement, parsed once per connection.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type KasaneDatabase, openDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { namedStatements, prepareQuery } from '../src/db/prepared.ts';
import { freshLocation, KINDS } from './helpers/server.ts';

let built = 0;
const organizationByName = prepareQuery(['name'], (db, a: { name: string }) => {
  built += 1;
  return db.selectFrom('organizations').select(['id', 'name']).where('name', '=', a.name);
});

describe.each(KINDS)('prepared queries (%s)', (kind) => {
  let database: KasaneDatabase | undefined;
  let cleanup = () => {};
  afterEach(async () => {
    await database?.close();
    cleanup();
  });

  it('are built once per dialect and answer each call with its own values; on PostgreSQL as a named statement', async () => {
    const builtBefore = built;
    const fresh = await freshLocation(kind);
    cleanup = fresh.cleanup;
    database = openDatabase(fresh.location);
    await migrateToLatest(database.db, database.dialect);
    await database.db
      .insertInto('organizations')
      .values([
        { id: 'o1', name: '保健センター', kind: 'municipal', fields: '[]', createdAt: '2026-11-29T00:00:00.000Z' },
        { id: 'o2', name: '社会福祉協議会', kind: 'social_welfare_council', fields: '[]', createdAt: '2026-11-29T00:00:00.000Z' },
      ] as never)
      .execute();
    expect(await organizationByName.all(database.db, { name: '保健センター' })).toEqual([{ id: 'o1', name: '保健センター' }]);
    expect(await organizationByName.first(database.db, { name: '社会福祉協議会' })).toEqual({ id: 'o2', name: '社会福祉協議会' });
    expect(await organizationByName.first(database.db, { name: '子ども家庭課' })).toBeUndefined();
    expect(built - builtBefore).toBe(1);
    // A builder that turns an argument into another value would run with its first value for ever: refused.
    const changed = prepareQuery(['name'], (db, a: { name: string }) => db.selectFrom('organizations').select('id').where('name', 'like', `${a.name}%`));
    await expect(changed.all(database.db, { name: '保健' })).rejects.toThrow(/lost its argument\(s\) name/);
    if (kind === 'postgres') {
      const named = [...namedStatements].find(([text]) => text.includes('"organizations"') && text.includes('"name" = $1'));
      expect(named).toBeDefined();
      // Sequential queries reuse the pool's one idle connection, which holds the statement.
      const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(database.db);
      expect(rows.map((r) => r.name)).toContain(named![1]);
    }
  });
});
