/**
 * The verifier on an in-memory SQLite database: intact, edited, removed, reordered; its ranges
 * and their join; and the worker threads on a SQLite file.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KasaneDatabase, openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { workerEntry } from '../lib/workers.ts';
import { AuditAnchor } from './anchor.ts';
import { GENESIS_HASH } from './chain.ts';
import { SYSTEM_CONTEXT } from './events.ts';
import { joinRanges, type RangeResult, splitRange, verifyAuditChain, verifyRangeJob } from './verify.ts';
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

describe('the row MACs from the anchor key', () => {
  it('are HMAC-SHA256(key, "row:" + hash), for a short key and for one longer than a block', async () => {
    const { createHmac } = await import('node:crypto');
    const { rowMacs } = await import('./anchor.ts');
    const digest = 'e61d19562268bf26e0621f7070f2399127b2132cfa547225aaf484f8cc6a976e';
    for (const key of [randomBytes(32), randomBytes(100)]) {
      const mac = rowMacs(key);
      for (const h of [digest, GENESIS_HASH]) {
        const expected = createHmac('sha256', key).update(`row:${h}`).digest('hex');
        expect(mac(h)).toBe(expected);
        expect(new AuditAnchor('unused', key).rowMac(h)).toBe(expected);
      }
    }
  });
});

describe('ranges of the chain', () => {
  it('splitRange covers 1..entries in n ranges, the last one open-ended', () => {
    expect(splitRange(40, 4)).toEqual([
      [0, 10],
      [10, 20],
      [20, 30],
      [30, null],
    ]);
    expect(splitRange(5, 2)).toEqual([
      [0, 2],
      [2, null],
    ]);
  });

  it('workerEntry: the TypeScript worker with the tsx loader from source, the bundled one beside the bundle', () => {
    const source = workerEntry('file:///app/src/audit/verify.ts', 'verifyWorker');
    expect(source.worker).toBe('file:///app/src/audit/verifyWorker.ts');
    expect(source.tsx).toMatch(/^file:.*\/tsx\/.*\.mjs$/);
    expect(workerEntry('file:///app/dist/server/kasane.mjs', 'verifyWorker')).toEqual({ worker: 'file:///app/dist/server/verifyWorker.mjs', tsx: null });
  });

  const range = (over: Partial<RangeResult>): RangeResult => ({
    rows: 0,
    first: null,
    lastSeq: 0,
    lastHash: '',
    problem: null,
    macSeen: false,
    firstMacless: null,
    anchoredHash: null,
    ...over,
  });

  it('joinRanges: a row without MAC first in its range, after MACs, comes before that row failing the anchor', () => {
    const first = range({ rows: 2, first: { seq: 1, id: 'a', prevHash: GENESIS_HASH }, lastSeq: 2, lastHash: 'h2', macSeen: true });
    const noMac = { seq: 3, id: 'c', problem: 'row has no MAC after MAC-protected rows (written without the anchor key)', entries: 0 };
    const second = range({
      first: { seq: 3, id: 'c', prevHash: 'h2' },
      lastSeq: 2,
      firstMacless: noMac,
      problem: { seq: 3, id: 'c', problem: 'entry does not match the external anchor (chain replaced?)', entries: 0 },
    });
    expect(joinRanges([first, second])).toEqual({ broken: true, entries: 2, seq: 3, id: 'c', problem: noMac.problem });
    // Without MACs before it, the row without MAC is no problem; its own problem is.
    expect(joinRanges([{ ...first, macSeen: false }, second])).toMatchObject({ broken: true, seq: 3, problem: /external anchor/ });
  });

  it('joinRanges: empty ranges join to what is around them', () => {
    const a = range({ rows: 2, first: { seq: 1, id: 'a', prevHash: GENESIS_HASH }, lastSeq: 2, lastHash: 'h2', anchoredHash: 'h2' });
    const c = range({ rows: 1, first: { seq: 3, id: 'c', prevHash: 'h2' }, lastSeq: 3, lastHash: 'h3' });
    expect(joinRanges([a, range({ lastSeq: 10 }), c, range({})])).toEqual({ broken: false, entries: 3, lastHash: 'h3', anchoredHash: 'h2' });
    expect(joinRanges([range({}), range({})])).toEqual({ broken: false, entries: 0, lastHash: GENESIS_HASH, anchoredHash: null });
  });
});

/**
 * The parallel path on a SQLite file: 40 entries with row MACs and an anchor, in 4 ranges
 * (0,10] (10,20] (20,30] (30,…) each read by a worker thread (parallelFrom 1). The scenarios
 * of both databases are in test/audit-verify-parallel.test.ts.
 */
describe('verifyAuditChain with worker threads (SQLite file)', () => {
  let dir: string;
  let location: string;
  let database: KasaneDatabase;
  let anchor: AuditAnchor;
  const parallel = { workers: 4, parallelFrom: 1 };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kasane-verify-'));
    location = join(dir, 'kasane.sqlite');
    database = openDatabase(location);
    await migrateToLatest(database.db, 'sqlite');
    anchor = new AuditAnchor(join(dir, 'anchor'), randomBytes(32));
    const log = new AuditLog(database.db, 'sqlite', anchor);
    for (let i = 0; i < 8; i++)
      await log.recordReads(
        SYSTEM_CONTEXT,
        [0, 1, 2, 3, 4].map((j) => ({ type: 'PERSON_VIEWED' as const, personId: `p${i}-${j}` })),
      );
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const edit = async (seq: number) => {
    await sql`DROP TRIGGER IF EXISTS audit_events_no_update`.execute(database.db);
    await sql`UPDATE audit_events SET payload = '{"edited":true}' WHERE seq = ${seq}`.execute(database.db);
  };

  it('an intact chain: ok, every entry counted, as on one thread', async () => {
    const result = await verifyAuditChain(database.db, anchor, { location, ...parallel });
    expect(result).toEqual({ ok: true, entries: 40, anchor: 'checked' });
    expect(await verifyAuditChain(database.db, anchor)).toEqual(result);
  });

  it('rows edited in several ranges: the lowest seq is the first broken entry', async () => {
    for (const seq of [33, 17, 24]) await edit(seq);
    const result = await verifyAuditChain(database.db, anchor, { location, ...parallel });
    expect(result).toMatchObject({ ok: false, entries: 16, firstBrokenSeq: 17, problem: 'content does not match its hash' });
    expect(await verifyAuditChain(database.db, anchor)).toEqual(result);
  });

  it('the ranges are read by the workers, on their own connections to the location', async () => {
    const intact = join(dir, 'intact.sqlite');
    await sql`VACUUM INTO ${intact}`.execute(database.db);
    await edit(5);
    expect(await verifyAuditChain(database.db, anchor)).toMatchObject({ ok: false, firstBrokenSeq: 5 });
    // The workers read the intact copy; the head (read through db) is the same.
    expect(await verifyAuditChain(database.db, anchor, { location: intact, ...parallel })).toEqual({ ok: true, entries: 40, anchor: 'checked' });
    // Each range's result is what verifyRangeJob gives in this thread.
    const job = { location: intact, postgres: false, after: 10, upTo: 20, key: anchor.forWorker().key, anchored: anchor.latest().head, pageSize: 3 };
    expect(await verifyRangeJob(job)).toMatchObject({ rows: 10, first: { seq: 11 }, lastSeq: 20, problem: null, macSeen: true });
    // The last range, open-ended; without the key no MAC is looked at.
    expect(await verifyRangeJob({ ...job, after: 30, upTo: null, key: null })).toMatchObject({
      rows: 10,
      first: { seq: 31 },
      lastSeq: 40,
      macSeen: false,
      firstMacless: null,
    });
  });

  it('a worker that cannot start or ends without a result: the chain is read on this thread', async () => {
    await edit(12);
    const expected = await verifyAuditChain(database.db, anchor);
    expect(expected).toMatchObject({ ok: false, firstBrokenSeq: 12 });
    const missing = { worker: pathToFileURL(join(dir, 'no-such-worker.mjs')).href, tsx: null };
    expect(await verifyAuditChain(database.db, anchor, { location, ...parallel, workerEntry: missing })).toEqual(expected);
    const silent = { worker: 'data:text/javascript,', tsx: null };
    expect(await verifyAuditChain(database.db, anchor, { location, ...parallel, workerEntry: silent })).toEqual(expected);
    // A location the workers cannot open (their job fails): the same.
    expect(await verifyAuditChain(database.db, anchor, { location: join(dir, 'gone.sqlite'), ...parallel })).toEqual(expected);
  });

  it('a forged anchor line is reported after the ranges join intact', async () => {
    appendFileSync(anchor.path, `40 ${GENESIS_HASH} ${'0'.repeat(64)}\n`);
    const result = await verifyAuditChain(database.db, anchor, { location, ...parallel });
    expect(result).toEqual({ ok: false, entries: 40, problem: '1 anchor line(s) fail their HMAC (anchor file altered)', anchor: 'checked' });
    expect(await verifyAuditChain(database.db, anchor)).toEqual(result);
  });

  it('no head row: one thread, as before', async () => {
    await database.db.deleteFrom('auditHead').execute();
    expect(await verifyAuditChain(database.db, anchor, { location, ...parallel })).toEqual({ ok: true, entries: 40, anchor: 'checked' });
  });

  it('a short chain, an in-memory database, or no location: one thread (same result)', async () => {
    const expected = { ok: true, entries: 40, anchor: 'checked' };
    expect(await verifyAuditChain(database.db, anchor, { location, workers: 4 })).toEqual(expected);
    expect(await verifyAuditChain(database.db, anchor, { location: ':memory:', ...parallel })).toEqual(expected);
    expect(await verifyAuditChain(database.db, null, { location, parallelFrom: 1 })).toEqual({ ...expected, anchor: 'not checked' });
  });
});
