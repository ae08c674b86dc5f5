/**
 * The audit append worker (src/audit/appender.ts): a SQLite file's read events are appended on
 * a thread of their own, beside the main thread's write transactions, on one linear chain.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditAnchor } from '../src/audit/anchor.ts';
import { type AppendWorkerData, serveAppends, WorkerAppender } from '../src/audit/appender.ts';
import { type AuditContext, SYSTEM_CONTEXT } from '../src/audit/events.ts';
import { verifyAuditChain } from '../src/audit/verify.ts';
import { AuditLog, recordAudit } from '../src/audit/writer.ts';
import { type KasaneDatabase, openDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

const read = (personId: string) => [{ type: 'PERSON_VIEWED' as const, personId }];

describe('audit append worker (sqlite file)', () => {
  let dir: string;
  let location: string;
  let database: KasaneDatabase;
  let anchor: AuditAnchor;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kasane-appender-'));
    location = join(dir, 'kasane.sqlite');
    database = openDatabase(location);
    await migrateToLatest(database.db, 'sqlite');
    anchor = new AuditAnchor(join(dir, 'audit-anchor'), randomBytes(32));
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves appends in order on its own connection and answers a failed one with its error', async () => {
    const { port1, port2 } = new MessageChannel();
    const served = serveAppends(port2, { location, anchor: anchor.forWorker() });
    const replies: unknown[] = [];
    const got = new Promise<void>((resolve) =>
      port1.on('message', (reply) => {
        replies.push(reply);
        if (replies.length === 4) resolve();
      }),
    );
    port1.postMessage({ id: 1, at: '2026-11-29T00:00:00.000Z', entries: [{ ctx: SYSTEM_CONTEXT, events: read('p1') }] });
    port1.postMessage({
      id: 2,
      at: '2026-11-29T00:00:00.000Z',
      entries: [{ ctx: { requestId: null, ip: null } as unknown as AuditContext, events: read('p2') }],
    });
    port1.postMessage({ id: 3, at: '2026-11-29T00:00:01.000Z', entries: [{ ctx: SYSTEM_CONTEXT, events: [...read('p3'), ...read('p4')] }] });
    port1.postMessage({ id: 4, at: '2026-11-29T00:00:02.000Z', entries: [{ ctx: SYSTEM_CONTEXT, events: [] }] });
    await got;
    port1.close();
    await served.close();
    expect(replies[0]).toMatchObject({ id: 1, head: { seq: 1 } });
    expect(replies[1]).toMatchObject({ id: 2, error: expect.stringMatching(/userId/) });
    expect(replies[2]).toMatchObject({ id: 3, head: { seq: 3 } });
    expect(replies[3]).toEqual({ id: 4, head: null });
    // The time is the main thread's, sent along: a test clock (setClock) holds for the worker too.
    const stored = await database.db.selectFrom('auditEvents').select(['personId', 'at']).orderBy('seq').execute();
    expect(stored).toEqual([
      { personId: 'p1', at: '2026-11-29T00:00:00.000Z' },
      { personId: 'p3', at: '2026-11-29T00:00:01.000Z' },
      { personId: 'p4', at: '2026-11-29T00:00:01.000Z' },
    ]);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, entries: 3 });
  });

  it('without an anchor key, appends rows without a MAC', async () => {
    const { port1, port2 } = new MessageChannel();
    const served = serveAppends(port2, { location, anchor: null });
    const reply = new Promise((resolve) => port1.once('message', resolve));
    port1.postMessage({ id: 1, at: '2026-11-29T00:00:00.000Z', entries: [{ ctx: SYSTEM_CONTEXT, events: read('p1') }] });
    expect(await reply).toMatchObject({ id: 1, head: { seq: 1 } });
    port1.close();
    served.close();
    expect(await database.db.selectFrom('auditEvents').select(['personId', 'mac']).execute()).toEqual([{ personId: 'p1', mac: null }]);
  });

  it('reads from many requests and the main thread’s write transactions interleave on one verifying, anchored chain', async () => {
    const log = new AuditLog(database.db, 'sqlite', anchor, { appender: WorkerAppender.forSqlite(location, anchor) });
    try {
      const reads = Array.from({ length: 60 }, (_, i) => log.recordReads(SYSTEM_CONTEXT, read(`r${i}`)));
      // As writeWithAudit runs them: batched, taking turns with the worker's appends.
      const writes = Array.from({ length: 10 }, (_, i) =>
        log.transaction((tx) => recordAudit(tx, 'sqlite', SYSTEM_CONTEXT, [{ type: 'PERSON_CREATED', personId: `w${i}` }], anchor)),
      );
      // A write that fails rolls back alone; the others in its batch commit.
      const failing = log.transaction(async (tx) => {
        await recordAudit(tx, 'sqlite', SYSTEM_CONTEXT, [{ type: 'PERSON_CREATED', personId: 'rolled-back' }], anchor);
        throw new Error('入力エラー');
      });
      await expect(failing).rejects.toThrow('入力エラー');
      await Promise.all([...reads, ...writes]);
      const rows = await database.db.selectFrom('auditEvents').select(['seq', 'personId']).orderBy('seq').execute();
      expect(rows).toHaveLength(70);
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
      // The reads keep their order among themselves.
      const readOrder = rows.filter((r) => r.personId?.startsWith('r')).map((r) => r.personId);
      expect(readOrder).toEqual(Array.from({ length: 60 }, (_, i) => `r${i}`));
      expect(anchor.latest().head?.seq).toBeGreaterThanOrEqual(60);
      expect(await verifyAuditChain(database.db, anchor)).toMatchObject({ ok: true, entries: 70, anchor: 'checked' });
    } finally {
      await log.close();
    }
  });

  it('an append the worker cannot write fails that request only', async () => {
    const appender = WorkerAppender.forSqlite(location, null);
    try {
      await expect(appender.append([{ ctx: { requestId: null, ip: null } as unknown as AuditContext, events: read('x') }])).rejects.toThrow(
        /audit append failed/,
      );
      expect(appender.usable).toBe(true);
      expect(await appender.append([{ ctx: SYSTEM_CONTEXT, events: read('y') }])).toMatchObject({ seq: 1 });
    } finally {
      await appender.close();
    }
  });

  it('a worker that dies fails its waiting appends, and the log appends on its own thread from then on', async () => {
    const dies = new WorkerAppender({ location, anchor: null }, () => new Worker('setTimeout(() => process.exit(3), 50)', { eval: true }));
    const log = new AuditLog(database.db, 'sqlite', null, { appender: dies });
    await expect(log.recordReads(SYSTEM_CONTEXT, read('lost'))).rejects.toThrow(/exited with code 3/);
    expect(dies.usable).toBe(false);
    // A worker that throws: its error, not only its exit, ends it.
    const throws = new WorkerAppender({ location, anchor: null }, () => new Worker("setTimeout(() => { throw new Error('壊れた') }, 50)", { eval: true }));
    await expect(throws.append([{ ctx: SYSTEM_CONTEXT, events: read('lost') }])).rejects.toThrow('壊れた');
    expect(throws.usable).toBe(false);
    await log.recordReads(SYSTEM_CONTEXT, read('kept'));
    const rows = await database.db.selectFrom('auditEvents').select('personId').execute();
    expect(rows.map((r) => r.personId)).toEqual(['kept']);
    await log.close();
  });

  it('ignores an answer to no request, and closes without ever starting a worker', async () => {
    const echo = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => { parentPort.postMessage({ id: 999, head: null }); parentPort.postMessage({ id: m.id, head: { seq: 7, hash: 'h' } }); });`;
    const fake = new WorkerAppender({ location, anchor: null } satisfies AppendWorkerData, () => new Worker(echo, { eval: true }));
    // Two in flight at once: each gets its own answer.
    const both = await Promise.all([fake.append([{ ctx: SYSTEM_CONTEXT, events: read('z') }]), fake.append([{ ctx: SYSTEM_CONTEXT, events: read('y') }])]);
    expect(both).toEqual([
      { seq: 7, hash: 'h' },
      { seq: 7, hash: 'h' },
    ]);
    await fake.close();
    await new WorkerAppender({ location, anchor: null }).close();
  });
});
