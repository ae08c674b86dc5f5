/**
 * Group commit with more than one transaction in flight (issue 6): on PostgreSQL the next
 * batch of read events starts while the previous one is still travelling to the server; the
 * chain head's row lock keeps the chain linear, and the anchor keeps the newest head.
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditAnchor } from '../src/audit/anchor.ts';
import { SYSTEM_CONTEXT } from '../src/audit/events.ts';
import { verifyAuditChain } from '../src/audit/verify.ts';
import { AuditLog } from '../src/audit/writer.ts';
import { type KasaneDatabase, openDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { freshLocation, KINDS } from './helpers/server.ts';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe.each(KINDS)('group commit in flight (%s)', (kind) => {
  let database: KasaneDatabase | undefined;
  let cleanup = () => {};
  afterEach(async () => {
    await database?.close();
    cleanup();
  });

  async function open() {
    const fresh = await freshLocation(kind);
    cleanup = fresh.cleanup;
    database = openDatabase(fresh.location);
    await migrateToLatest(database.db, database.dialect);
    return database;
  }

  /** Five waves of ten reads, one event-loop turn apart; the most transactions seen at once. */
  async function waves(log: AuditLog, db: KasaneDatabase) {
    let open = 0;
    let most = 0;
    const begin = db.db.transaction.bind(db.db);
    db.db.transaction = () => {
      const builder = begin();
      const execute = builder.execute.bind(builder);
      builder.execute = async (fn) => {
        open += 1;
        most = Math.max(most, open);
        try {
          return await execute(fn);
        } finally {
          open -= 1;
        }
      };
      return builder;
    };
    const reads: Promise<void>[] = [];
    for (let wave = 0; wave < 5; wave += 1) {
      for (let i = 0; i < 10; i += 1) reads.push(log.recordReads(SYSTEM_CONTEXT, [{ type: 'PERSON_VIEWED', personId: `p${wave}-${i}` }]));
      await turn();
    }
    await Promise.all(reads);
    return most;
  }

  it.each([1, 2])('%i flush(es) at a time: every read is on one verifying chain, anchored at its head', async (flushes) => {
    const db = await open();
    const anchor = new AuditAnchor(join(mkdtempSync(join(tmpdir(), 'kasane-anchor-')), 'audit-anchor'), randomBytes(32));
    const log = new AuditLog(db.db, db.dialect, anchor, { concurrentFlushes: flushes });
    const most = await waves(log, db);
    // PostgreSQL transactions span event-loop turns, so a second flush really overlaps the first;
    // SQLite's single connection finishes each within its turn.
    if (kind === 'postgres') expect(most).toBe(flushes);
    else expect(most).toBeLessThanOrEqual(flushes);
    const rows = await db.db.selectFrom('auditEvents').select('personId').execute();
    expect(rows.map((r) => r.personId).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `p${Math.floor(i / 10)}-${i % 10}`).sort());
    expect(anchor.latest().head?.seq).toBe(50);
    expect(await verifyAuditChain(db.db, anchor)).toMatchObject({ ok: true, entries: 50, anchor: 'checked' });
  });

  it('defaults: two flushes in flight on PostgreSQL, one on SQLite', async () => {
    const db = await open();
    expect(new AuditLog(db.db, db.dialect).concurrentFlushes).toBe(kind === 'postgres' ? 2 : 1);
    expect(new AuditLog(db.db, db.dialect, null, { concurrentFlushes: 0 }).concurrentFlushes).toBe(1);
  });
});
