/**
 * `audit verify` with worker threads finds what the one-thread path finds, down to the first
 * broken entry, its id, its problem and the entries verified before it — on a real SQLite
 * file and on the run's embedded PostgreSQL. Each chain has 40 entries with row MACs and an
 * anchor, verified in 4 ranges (0,10] (10,20] (20,30] (30,…), one worker thread each
 * (parallelFrom 1 instead of the default 200,000).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditAnchor } from '../src/audit/anchor.ts';
import { GENESIS_HASH, hashAuditRow } from '../src/audit/chain.ts';
import { SYSTEM_CONTEXT } from '../src/audit/events.ts';
import { type VerifyResult, verifyAuditChain, verifyRangeJob } from '../src/audit/verify.ts';
import { AuditLog } from '../src/audit/writer.ts';
import { type KasaneDatabase, openDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { type DbKind, freshLocation, KINDS } from './helpers/server.ts';

const PARALLEL = { workers: 4, parallelFrom: 1 };
const CONTENT = 'content does not match its hash';
const NO_MAC = 'row has no MAC after MAC-protected rows (written without the anchor key)';

interface Chain {
  kind: DbKind;
  location: string;
  database: KasaneDatabase;
  anchor: AuditAnchor;
  /** The id of each seq, read before any tampering. */
  ids: Map<number, string>;
}

describe.each(KINDS)('audit verify with worker threads (%s)', (kind) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** 8 commits of 5 read events; `keyed(i)` says whether commit i is written with the anchor key. */
  async function chain(keyed: (commit: number) => boolean = () => true): Promise<Chain> {
    const fresh = await freshLocation(kind);
    const dir = mkdtempSync(join(tmpdir(), 'kasane-verify-anchor-'));
    const database = openDatabase(fresh.location);
    cleanups.push(
      fresh.cleanup,
      () => rmSync(dir, { recursive: true, force: true }),
      () => database.close(),
    );
    await migrateToLatest(database.db, database.dialect);
    const anchor = new AuditAnchor(join(dir, 'audit-anchor'), randomBytes(32));
    const withKey = new AuditLog(database.db, database.dialect, anchor);
    const withoutKey = new AuditLog(database.db, database.dialect, null);
    for (let i = 0; i < 8; i++) {
      const events = [0, 1, 2, 3, 4].map((j) => ({ type: 'PERSON_VIEWED' as const, personId: `p${i}-${j}`, payload: { i, j } }));
      await (keyed(i) ? withKey : withoutKey).recordReads(SYSTEM_CONTEXT, events);
    }
    const rows = await database.db.selectFrom('auditEvents').select(['seq', 'id']).execute();
    return { kind, location: fresh.location, database, anchor, ids: new Map(rows.map((r) => [Number(r.seq), r.id])) };
  }

  /** Lifts the append-only triggers, as an attacker with database access would. */
  async function unlock(c: Chain) {
    if (kind === 'sqlite') {
      await sql`DROP TRIGGER IF EXISTS audit_events_no_update`.execute(c.database.db);
      await sql`DROP TRIGGER IF EXISTS audit_events_no_delete`.execute(c.database.db);
    } else {
      await sql`DROP TRIGGER IF EXISTS audit_events_no_update ON audit_events`.execute(c.database.db);
    }
  }

  /** Both paths give exactly `expected`. */
  async function expectBoth(c: Chain, expected: VerifyResult) {
    const parallel = await verifyAuditChain(c.database.db, c.anchor, { location: c.location, ...PARALLEL });
    const oneThread = await verifyAuditChain(c.database.db, c.anchor);
    expect(parallel).toEqual(expected);
    expect(oneThread).toEqual(expected);
  }
  const broken = (c: Chain, seq: number, problem: string, entries = seq - 1, id = c.ids.get(seq)): VerifyResult => ({
    ok: false,
    entries,
    firstBrokenId: id,
    firstBrokenSeq: seq,
    problem,
    anchor: 'checked',
  });

  async function setHead(c: Chain, seq: number) {
    const row = await c.database.db.selectFrom('auditEvents').select('hash').where('seq', '=', seq).executeTakeFirstOrThrow();
    await c.database.db.updateTable('auditHead').set({ seq, hash: row.hash }).where('id', '=', 1).execute();
  }

  /** Rewrites the chain from `fromSeq` on (that row's payload edited) with valid hashes; MACs only with the key. */
  async function recompute(c: Chain, fromSeq: number, withKey: boolean) {
    await unlock(c);
    const before = await c.database.db
      .selectFrom('auditEvents')
      .select('hash')
      .where('seq', '=', fromSeq - 1)
      .executeTakeFirst();
    let prevHash = before?.hash ?? GENESIS_HASH;
    const rows = await c.database.db.selectFrom('auditEvents').selectAll().where('seq', '>=', fromSeq).orderBy('seq').execute();
    for (const { hash: _, mac: __, ...row } of rows) {
      const seq = Number(row.seq);
      const rewritten = { ...row, seq, prevHash, payload: seq === fromSeq ? '{"rewritten":true}' : row.payload };
      const hash = hashAuditRow(rewritten);
      await c.database.db
        .updateTable('auditEvents')
        .set({ payload: rewritten.payload, prevHash, hash, mac: withKey ? c.anchor.rowMac(hash) : null })
        .where('seq', '=', seq)
        .execute();
      prevHash = hash;
    }
    await setHead(c, 40);
  }

  it('an intact chain: ok with every entry', async () => {
    const c = await chain();
    await expectBoth(c, { ok: true, entries: 40, anchor: 'checked' });
  });

  it('an edited row in each range: the lowest edited seq, as edits are added from the end', async () => {
    const c = await chain();
    await unlock(c);
    for (const seq of [40, 31, 30, 14, 3]) {
      await sql`UPDATE audit_events SET payload = '{"edited":true}' WHERE seq = ${seq}`.execute(c.database.db);
      await expectBoth(c, broken(c, seq, CONTENT));
    }
  });

  it('rows deleted at range edges: the first missing seq, with the id of the row found after it', async () => {
    const c = await chain();
    await unlock(c);
    await sql`DELETE FROM audit_events WHERE seq = 21`.execute(c.database.db);
    await expectBoth(c, broken(c, 21, 'entry 21 is missing (the next entry found is seq 22)', 20, c.ids.get(22)));
    // A whole range gone: its worker finds nothing, the join finds the gap.
    await sql`DELETE FROM audit_events WHERE seq BETWEEN 11 AND 20`.execute(c.database.db);
    await expectBoth(c, broken(c, 11, 'entry 11 is missing (the next entry found is seq 22)', 10, c.ids.get(22)));
    await sql`DELETE FROM audit_events WHERE seq = 10`.execute(c.database.db);
    await expectBoth(c, broken(c, 10, 'entry 10 is missing (the next entry found is seq 22)', 9, c.ids.get(22)));
  });

  it('the last row of a range re-hashed after its edit: the first row of the next range no longer links', async () => {
    const c = await chain();
    await unlock(c);
    const { hash: _, mac: __, ...row } = await c.database.db.selectFrom('auditEvents').selectAll().where('seq', '=', 10).executeTakeFirstOrThrow();
    const hash = hashAuditRow({ ...row, seq: 10, payload: '{"edited":true}' });
    await c.database.db
      .updateTable('auditEvents')
      .set({ payload: '{"edited":true}', hash, mac: c.anchor.rowMac(hash) })
      .where('seq', '=', 10)
      .execute();
    await expectBoth(c, broken(c, 11, 'previous hash does not match'));
  });

  it('a row MAC made without the key, first in its range', async () => {
    const c = await chain();
    await unlock(c);
    await sql`UPDATE audit_events SET mac = ${'0'.repeat(64)} WHERE seq = 21`.execute(c.database.db);
    await expectBoth(c, broken(c, 21, 'row MAC does not match (written without the anchor key)'));
  });

  it('two rows swapped across a range edge break the link at the first of them', async () => {
    const c = await chain();
    await unlock(c);
    const [a, b] = await c.database.db.selectFrom('auditEvents').selectAll().where('seq', 'in', [20, 21]).orderBy('seq').execute();
    // The unique id moves through a placeholder.
    await c.database.db.updateTable('auditEvents').set({ id: 'placeholder' }).where('seq', '=', 21).execute();
    await c.database.db
      .updateTable('auditEvents')
      .set({ ...b!, seq: 20 })
      .where('seq', '=', 20)
      .execute();
    await c.database.db
      .updateTable('auditEvents')
      .set({ ...a!, seq: 21 })
      .where('seq', '=', 21)
      .execute();
    await expectBoth(c, broken(c, 20, 'previous hash does not match', 19, c.ids.get(21)));
  });

  it('a chain recomputed with the key links, but not to the anchor', async () => {
    const c = await chain();
    await recompute(c, 3, true);
    await expectBoth(c, broken(c, 40, 'entry does not match the external anchor (chain replaced?)'));
  });

  it('a chain recomputed without the key from the first row of a range: no MAC after the MACs of the range before', async () => {
    const c = await chain();
    await recompute(c, 11, false);
    await expectBoth(c, broken(c, 11, NO_MAC));
  });

  it('rows written without the key after keyed rows, from a range edge on: the first of them', async () => {
    const c = await chain((i) => i < 4);
    await expectBoth(c, broken(c, 21, NO_MAC));
  });

  it('rows without MAC before the first keyed row (a chain older than its key) are no problem in any range', async () => {
    const c = await chain((i) => i >= 3);
    await expectBoth(c, { ok: true, entries: 40, anchor: 'checked' });
  });

  it('a truncated tail: caught by the head, and by the anchor when the head was moved back too', async () => {
    const c = await chain();
    await unlock(c);
    await sql`DELETE FROM audit_events WHERE seq > 35`.execute(c.database.db);
    await expectBoth(c, { ok: false, entries: 35, problem: 'the chain head does not match the last entry (entries removed at the end?)', anchor: 'checked' });
    await setHead(c, 35);
    await expectBoth(c, { ok: false, entries: 35, problem: 'the chain ends at 35 entries but the anchor vouches for 40 (tail truncated)', anchor: 'checked' });
    // The last range left empty.
    await sql`DELETE FROM audit_events WHERE seq > 30`.execute(c.database.db);
    await setHead(c, 30);
    await expectBoth(c, { ok: false, entries: 30, problem: 'the chain ends at 30 entries but the anchor vouches for 40 (tail truncated)', anchor: 'checked' });
  });

  it('a row appended past the head (chained and sealed, head not moved) is read by the last range and fails the head', async () => {
    const c = await chain();
    const head = await c.database.db.selectFrom('auditHead').select(['seq', 'hash']).executeTakeFirstOrThrow();
    const row = {
      seq: 41,
      id: 'appended',
      at: new Date().toISOString(),
      type: 'PERSON_VIEWED',
      outcome: 'success',
      actorUserId: null,
      actor: '{}',
      requestId: null,
      ip: null,
      personId: 'p',
      caseId: null,
      subjectType: null,
      subjectId: null,
      basis: '[]',
      payload: '{}',
      prevHash: head.hash,
    };
    const hash = hashAuditRow(row);
    await c.database.db
      .insertInto('auditEvents')
      .values({ ...row, hash, mac: c.anchor.rowMac(hash) })
      .execute();
    await expectBoth(c, { ok: false, entries: 41, problem: 'the chain head does not match the last entry (entries removed at the end?)', anchor: 'checked' });
  });

  it('the ranges are really read by worker threads, each on its own connection to the location', async () => {
    const c = await chain();
    // A copy of the intact chain; then the original is edited.
    let copy: string;
    if (kind === 'sqlite') {
      copy = join(mkdtempSync(join(tmpdir(), 'kasane-verify-copy-')), 'copy.sqlite');
      await sql`VACUUM INTO ${copy}`.execute(c.database.db);
    } else {
      const name = `verify_copy_${randomBytes(4).toString('hex')}`;
      const server = c.location.slice(0, c.location.lastIndexOf('/'));
      const admin = new pg.Client({ connectionString: `${server}/postgres` });
      // CREATE DATABASE … TEMPLATE needs the template without connections.
      await c.database.close();
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${c.location.slice(server.length + 1)}`);
      await admin.end();
      c.database = openDatabase(c.location);
      cleanups.push(() => c.database.close());
      copy = `${server}/${name}`;
    }
    await unlock(c);
    await sql`UPDATE audit_events SET payload = '{"edited":true}' WHERE seq = 5`.execute(c.database.db);
    expect(await verifyAuditChain(c.database.db, c.anchor)).toEqual(broken(c, 5, CONTENT));
    // The workers read the intact copy (its head is the original's).
    expect(await verifyAuditChain(c.database.db, c.anchor, { location: copy, ...PARALLEL })).toEqual({ ok: true, entries: 40, anchor: 'checked' });
    // One range in this thread, on a connection of its own.
    const job = {
      location: c.location,
      postgres: kind === 'postgres',
      after: 0,
      upTo: 10,
      key: c.anchor.forWorker().key,
      anchored: c.anchor.latest().head,
      pageSize: 3,
    };
    expect(await verifyRangeJob(job)).toMatchObject({
      rows: 4,
      first: { seq: 1 },
      lastSeq: 4,
      macSeen: true,
      problem: { seq: 5, problem: CONTENT, entries: 4 },
    });
  });
});
