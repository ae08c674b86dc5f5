import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type KasaneDatabase, openDatabase } from './connect.ts';
import { WriteBatcher } from './writeBatch.ts';

describe('WriteBatcher (SQLite)', () => {
  let dir: string;
  let database: KasaneDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kasane-batch-'));
    database = openDatabase(join(dir, 'batch.sqlite'));
    await sql`create table parent (id text primary key)`.execute(database.db);
    // A deferred foreign key is checked at COMMIT: the way to make a commit fail for real.
    await sql`create table child (id text primary key, parent_id text references parent(id) deferrable initially deferred)`.execute(database.db);
  });
  afterEach(async () => {
    await database.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = async () => (await sql<{ id: string }>`select id from parent order by id`.execute(database.db)).rows.map((r) => r.id);
  const insert = (id: string) => (tx: Parameters<Parameters<WriteBatcher['run']>[0]>[0]) =>
    sql`insert into parent (id) values (${id})`.execute(tx).then(() => id);

  it('commits the writes of concurrent requests together, each answered with its own result after the commit', async () => {
    const batcher = new WriteBatcher(database.db, { maxPerCommit: 8 });
    const begun = vi.spyOn(database.db, 'startTransaction');
    const ids = Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    expect(await Promise.all(ids.map((id) => batcher.run(insert(id))))).toEqual(ids);
    // 20 requests, at most 8 a transaction: 3 commits.
    expect(begun).toHaveBeenCalledTimes(3);
    expect(await stored()).toEqual(ids);
  });

  it('a request that fails rolls back alone and gets its own error; the others in its batch commit', async () => {
    const batcher = new WriteBatcher(database.db);
    const results = await Promise.allSettled([
      batcher.run(insert('a')),
      batcher.run(async (tx) => {
        await insert('b')(tx);
        throw new Error('入力エラー');
      }),
      batcher.run(insert('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('入力エラー');
    expect(await stored()).toEqual(['a', 'c']);
  });

  it('a commit that fails fails every request of its batch, and nothing of it is stored', async () => {
    const batcher = new WriteBatcher(database.db);
    const results = await Promise.allSettled([
      batcher.run(insert('a')),
      batcher.run((tx) => sql`insert into child (id, parent_id) values ('orphan', 'nobody')`.execute(tx)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(await stored()).toEqual([]);
    // The batcher goes on after a lost batch.
    expect(await batcher.run(insert('d'))).toBe('d');
  });

  it('a transaction that cannot begin fails the waiting requests', async () => {
    const batcher = new WriteBatcher(database.db);
    await database.close();
    await expect(batcher.run(insert('x'))).rejects.toThrow();
  });

  it('runs each batch in the turn it is given', async () => {
    const turns: string[] = [];
    const batcher = new WriteBatcher(database.db, {
      turn: async (work) => {
        turns.push('start');
        const value = await work();
        turns.push('end');
        return value;
      },
    });
    await Promise.all([batcher.run(insert('a')), batcher.run(insert('b'))]);
    expect(turns).toEqual(['start', 'end']);
  });
});
