/** The verifier on an in-memory SQLite database: intact, edited, removed, reordered. */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KasaneDatabase, openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { SYSTEM_CONTEXT } from './events.ts';
import { verifyAuditChain } from './verify.ts';
import { AuditLog, recordAudit } from './writer.ts';

describe('verifyAuditChain', () => {
  let database: KasaneDatabase;
  beforeEach(async () => {
    database = openDatabase(':memory:');
    await migrateToLatest(database.db, 'sqlite');
    const log = new AuditLog(database.db, 'sqlite');
    for (let i = 0; i < 5; i++) await log.recordReads(SYSTEM_CONTEXT, [{ type: 'PERSON_VIEWED', personId: `p${i}` }]);
    await recordAudit(database.db, 'sqlite', SYSTEM_CONTEXT, [
      { type: 'CASE_OPENED', caseId: 'c1' },
      { type: 'CASE_VIEWED', caseId: 'c1' },
    ]);
  });
  afterEach(() => database.close());

  const dropTriggers = () =>
    sql`DROP TRIGGER audit_events_no_update`.execute(database.db).then(() => sql`DROP TRIGGER audit_events_no_delete`.execute(database.db));
  const idAt = async (seq: number) => (await database.db.selectFrom('auditEvents').select('id').where('seq', '=', seq).executeTakeFirstOrThrow()).id;

  it('an intact chain verifies, counting every entry', async () => {
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, entries: 7, anchor: 'not checked' });
  });

  it('an empty log verifies', async () => {
    const empty = openDatabase(':memory:');
    await migrateToLatest(empty.db, 'sqlite');
    expect(await verifyAuditChain(empty.db)).toMatchObject({ ok: true, entries: 0 });
    await empty.close();
  });

  it('the append-only triggers refuse UPDATE and DELETE', async () => {
    await expect(sql`UPDATE audit_events SET payload = '{}'`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events WHERE seq = 7`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it('an edited row is the first broken entry', async () => {
    await dropTriggers();
    await sql`UPDATE audit_events SET person_id = 'someone-else' WHERE seq = 3`.execute(database.db);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, entries: 2, firstBrokenId: await idAt(3), firstBrokenSeq: 3 });
  });

  it('a row removed from the middle breaks the chain at the next row', async () => {
    await dropTriggers();
    const next = await idAt(5);
    await sql`DELETE FROM audit_events WHERE seq = 4`.execute(database.db);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, firstBrokenId: next });
  });

  it('rows removed from the end are caught by the chain head', async () => {
    await dropTriggers();
    await sql`DELETE FROM audit_events WHERE seq >= 6`.execute(database.db);
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.problem).toMatch(/head/);
  });

  it('a row re-hashed after its edit still breaks the link to the next row', async () => {
    await dropTriggers();
    const { hashAuditRow } = await import('./chain.ts');
    const row = await database.db.selectFrom('auditEvents').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
    const edited = { ...row, payload: '{"forged":true}' };
    const { hash: _, ...rest } = edited;
    await database.db
      .updateTable('auditEvents')
      .set({ payload: edited.payload, hash: hashAuditRow(rest) })
      .where('seq', '=', 2)
      .execute();
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, firstBrokenId: await idAt(3) });
  });
});
