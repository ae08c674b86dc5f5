/** Group commit of read events against one transaction per request: same chain, fewer commits. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type KasaneDatabase, openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { SYSTEM_CONTEXT } from './events.ts';
import { verifyAuditChain } from './verify.ts';
import { AuditLog } from './writer.ts';

describe('AuditLog.recordReads', () => {
  let database: KasaneDatabase;
  beforeEach(async () => {
    database = openDatabase(':memory:');
    await migrateToLatest(database.db, 'sqlite');
  });
  afterEach(() => database.close());

  const twenty = (log: AuditLog) =>
    Promise.all(Array.from({ length: 20 }, (_, i) => log.recordReads(SYSTEM_CONTEXT, [{ type: 'PERSON_VIEWED', personId: `p${i}` }])));

  it.each([
    [true, (n: number) => n < 20],
    [false, (n: number) => n === 20],
  ])('groupCommit %s: every event is on a verifying chain, in order of the calls', async (groupCommit, commits) => {
    const log = new AuditLog(database.db, 'sqlite', null, { groupCommit });
    expect(log.groupCommit).toBe(groupCommit);
    const transactions = vi.spyOn(database.db, 'transaction');
    await twenty(log);
    expect(commits(transactions.mock.calls.length)).toBe(true);
    const rows = await database.db.selectFrom('auditEvents').select(['seq', 'personId']).orderBy('seq').execute();
    expect(rows.map((r) => r.personId)).toEqual(Array.from({ length: 20 }, (_, i) => `p${i}`));
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, entries: 20 });
  });

  it('group commit is the default', () => {
    expect(new AuditLog(database.db, 'sqlite').groupCommit).toBe(true);
  });
});
