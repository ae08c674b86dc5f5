/**
 * T5 — audit tamper trials. A chain of a few hundred events is built with `recordAudit` on a
 * SQLite file with its external anchor; then each trial tampers with its own in-memory copy
 * (the triggers dropped in the copy, as an attacker with the file would) and the verifier must
 * notice — at the right entry when the tampering is in a row:
 *
 *   flip      one bit of one byte of a random column of a random row → that row's seq
 *   delete    a row from the middle → its seq (the first missing one)
 *   renumber  a row deleted and the later ones renumbered → its seq
 *   swap      two rows' contents (all columns, or the content without the hashes) → the earlier seq
 *   insert    a forged row with a recomputed hash, validly linked to its predecessor → the
 *             forged row (its MAC, made with the key outside the database, does not match)
 *   truncate  the tail, audit_head updated to match → caught only by the anchor (problem)
 *   cut tail  the tail, audit_head left alone → caught by the head row (problem)
 *   replace   the chain rewritten from a row on, every hash recomputed, head updated → caught
 *             only with the key outside the database: the first rewritten row's MAC
 *   append    rows added past the anchored head with recomputed hashes, head updated → the
 *             first appended row (no valid MAC; the anchor alone may lag by design)
 *   anchor    forged or altered anchor lines → problem (HMAC)
 *
 * The same kinds run on PostgreSQL inside transactions that are rolled back. Then: the anchor
 * file absent → `anchor: "not checked"` and the chain still checked (library and CLI);
 * concurrent writers on PostgreSQL (20 at once through one server, and two server processes on
 * one database) keep the chain linear; the append-only triggers refuse UPDATE, DELETE and
 * (PostgreSQL) TRUNCATE.
 *
 * CI: 1,000 trials on SQLite + 100 on PostgreSQL. KASANE_LONG_NETS=1: 10,000 + 500.
 */

import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CamelCasePlugin, CompiledQuery, Kysely, SqliteDialect, sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditAnchor } from '../../src/audit/anchor.ts';
import { GENESIS_HASH, hashAuditRow } from '../../src/audit/chain.ts';
import type { AuditContext, AuditEventInput } from '../../src/audit/events.ts';
import { type VerifyResult, verifyAuditChain } from '../../src/audit/verify.ts';
import { AuditLog, recordAudit } from '../../src/audit/writer.ts';
import { createMunicipality } from '../../src/commands/municipalityCreator.ts';
import { type KasaneDatabase, openDatabase } from '../../src/db/connect.ts';
import type { AuditEventRow, DB } from '../../src/db/schema.ts';
import { freshLocation } from '../helpers/server.ts';
import { adminToken, anchorOf, api, caseworker, childEnv, initDatabase, kasane, LONG, type Rng, rng, seedFrom, serve } from './proc.ts';

const SQLITE_TRIALS = LONG ? 10_000 : 1_000;
const PG_TRIALS = LONG ? 500 : 100;
const CHAIN_EVENTS = 300;
const TRIALS_TIMEOUT = (LONG ? 15 : 2) * 60_000;

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kasane-tamper-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const TYPES = ['PERSON_VIEWED', 'PERSON_CREATED', 'CASE_VIEWED', 'RECORD_ADDED', 'RECORDS_VIEWED', 'ACCESS_DENIED', 'CASE_OPENED', 'CONSENT_RECORDED'] as const;

/** Appends `count` events in small transactions (1–3 events each), anchoring every head. */
async function buildChain(database: KasaneDatabase, anchor: AuditAnchor, r: Rng, count: number) {
  const log = new AuditLog(database.db, database.dialect, anchor);
  let written = 0;
  while (written < count) {
    const n = Math.min(count - written, r.int(1, 3));
    const ctx: AuditContext = {
      actor: {
        userId: `u${r.int(1, 9)}`,
        loginId: `login${r.int(1, 9)}`,
        displayName: '担当 花子',
        organizationId: `o${r.int(1, 5)}`,
        organizationName: '地域包括支援センター',
        roles: ['caseworker'],
      },
      requestId: r.next() < 0.9 ? `req-${randomBytes(4).toString('hex')}` : null,
      ip: r.next() < 0.8 ? `127.0.0.${r.int(1, 254)}` : null,
    };
    const events: AuditEventInput[] = Array.from({ length: n }, () => ({
      type: r.pick(TYPES),
      outcome: r.next() < 0.9 ? 'success' : 'denied',
      personId: r.next() < 0.7 ? `p${r.int(1, 500)}` : null,
      caseId: r.next() < 0.5 ? `c${r.int(1, 100)}` : null,
      subjectType: r.next() < 0.8 ? 'person' : null,
      subjectId: r.next() < 0.8 ? `s${r.int(1, 1000)}` : null,
      basis: r.next() < 0.6 ? [{ ground: 'team', caseId: `c${r.int(1, 100)}`, teamBasis: 'referral' }] : [],
      payload: { n: r.int(0, 1e6), note: 'ケース会議で共有', ids: [`r${r.int(1, 50)}`] },
    }));
    const head = await database.db.transaction().execute((tx) => recordAudit(tx, database.dialect, ctx, events, anchor));
    log.anchorHead(head);
    written += n;
  }
}

/** One tampering: what it does to the chain (snake_case raw SQL via `run`) and what must be reported. */
interface Expected {
  seq?: number;
  problem?: RegExp;
  /** Caught only by the anchor: without it the chain must still look intact. */
  anchorOnly?: boolean;
  /** Trials on the anchor file use a forged copy of it. */
  anchorLines?: (path: string) => void;
}

type Row = AuditEventRow & Record<string, unknown>;

/** The tampering primitives over a database handle (SQLite copy or PostgreSQL transaction). */
interface Handle {
  rows(): Promise<Row[]>;
  exec(query: string, params?: unknown[]): Promise<void>;
  /** Column names of audit_events as stored. */
  columns: string[];
}

const camel = (c: string) => c.replace(/_([a-z])/g, (_, m: string) => m.toUpperCase());

function flipString(value: string, r: Rng): string {
  const bytes = Buffer.from(value, 'utf8');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let attempt = 0; attempt < 64; attempt++) {
    const copy = Buffer.from(bytes);
    copy[r.int(0, copy.length - 1)]! ^= 1 << r.int(0, 7);
    try {
      const s = decoder.decode(copy);
      if (!s.includes('\u0000')) return s;
    } catch {
      // not UTF-8 any more; flip another bit
    }
  }
  return `${value}x`;
}

/** Inserts rows (camelCase objects) with explicit columns. */
async function insertRow(h: Handle, row: Record<string, unknown>) {
  const cols = h.columns;
  const placeholders = cols.map((_, i) => `$${i + 1}`).join(', ');
  await h.exec(
    `INSERT INTO audit_events (${cols.join(', ')}) VALUES (${placeholders})`,
    cols.map((c) => row[camel(c)] ?? null),
  );
}

async function setHead(h: Handle, seq: number, hash: string) {
  await h.exec('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [seq, hash]);
}

/** Rewrites rows from `from` (inclusive) with recomputed links and hashes; returns the new head. */
async function rehashFrom(h: Handle, rows: Row[], from: number, edit: (row: Row) => Row = (x) => x) {
  let prev = from === 1 ? GENESIS_HASH : rows[from - 2]!.hash;
  for (const original of rows.slice(from - 1)) {
    const row = { ...edit(original), prevHash: prev } as Row;
    const { hash: _, ...rest } = row;
    row.hash = hashAuditRow(rest as Omit<AuditEventRow, 'hash' | 'mac'>);
    const cols = h.columns.filter((c) => c !== 'seq');
    await h.exec(`UPDATE audit_events SET ${cols.map((c, i) => `${c} = $${i + 1}`).join(', ')} WHERE seq = $${cols.length + 1}`, [
      ...cols.map((c) => row[camel(c)] ?? null),
      row.seq,
    ]);
    prev = row.hash;
  }
  return prev;
}

const KINDS_OF_TRIAL = ['flip', 'delete', 'renumber', 'swap', 'swapContent', 'insert', 'truncate', 'cutTail', 'replace', 'append', 'anchor'] as const;
type TrialKind = (typeof KINDS_OF_TRIAL)[number];
/** Shares of the trials, in thousandths. */
const SHARE: Record<TrialKind, number> = {
  flip: 350,
  delete: 80,
  renumber: 40,
  swap: 80,
  swapContent: 80,
  insert: 100,
  truncate: 80,
  cutTail: 40,
  replace: 50,
  append: 50,
  anchor: 50,
};

function kindOf(i: number, total: number): TrialKind {
  const at = (i * 1000) / total;
  let acc = 0;
  for (const k of KINDS_OF_TRIAL) {
    acc += SHARE[k];
    if (at < acc) return k;
  }
  return 'flip';
}

/** Applies one tampering of `kind` through `h`; returns what the verifier must say. */
async function tamper(kind: TrialKind, h: Handle, r: Rng, flips: Record<string, number>): Promise<Expected> {
  const rows = await h.rows();
  const N = rows.length;
  const dataCols = h.columns.filter((c) => c !== 'seq');
  switch (kind) {
    case 'flip': {
      const k = r.int(1, N);
      const col = r.pick(h.columns);
      flips[col] = (flips[col] ?? 0) + 1;
      const value = rows[k - 1]![camel(col)];
      if (col === 'seq') {
        // Out of the chain's range, so no other row is hit: the row at k goes missing.
        const low = Math.ceil(Math.log2(N + 1));
        await h.exec('UPDATE audit_events SET seq = $1 WHERE seq = $2', [k ^ (1 << r.int(low, 29)), k]);
      } else {
        const next = value === null || value === undefined || value === '' ? 'x' : flipString(String(value), r);
        await h.exec(`UPDATE audit_events SET ${col} = $1 WHERE seq = $2`, [next, k]);
      }
      return { seq: k };
    }
    case 'delete': {
      const k = r.int(1, N - 1);
      await h.exec('DELETE FROM audit_events WHERE seq = $1', [k]);
      return { seq: k, problem: /missing/ };
    }
    case 'renumber': {
      const k = r.int(1, N - 1);
      await h.exec('DELETE FROM audit_events WHERE seq = $1', [k]);
      // Two steps so the primary key never collides mid-statement.
      await h.exec('UPDATE audit_events SET seq = -(seq - 1) WHERE seq > $1', [k]);
      await h.exec('UPDATE audit_events SET seq = -seq WHERE seq < 0');
      await setHead(h, N - 1, rows[N - 1]!.hash);
      return { seq: k };
    }
    case 'swap':
    case 'swapContent': {
      const i = r.int(1, N - 1);
      const j = r.int(i + 1, N);
      const cols = kind === 'swap' ? dataCols : dataCols.filter((c) => c !== 'prev_hash' && c !== 'hash');
      // ids are unique: park row i's id while the rows trade places.
      const a = rows[i - 1]!;
      const b = rows[j - 1]!;
      const set = (from: Row, seq: number, id: string) =>
        h.exec(`UPDATE audit_events SET ${cols.map((c, n) => `${c} = $${n + 1}`).join(', ')} WHERE seq = $${cols.length + 1}`, [
          ...cols.map((c) => (c === 'id' ? id : (from[camel(c)] ?? null))),
          seq,
        ]);
      await set(a, i, `parked-${a.id}`);
      await set(a, j, a.id);
      await set(b, i, b.id);
      return { seq: i };
    }
    case 'insert': {
      const k = r.int(1, N);
      await h.exec('UPDATE audit_events SET seq = -(seq + 1) WHERE seq >= $1', [k]);
      await h.exec('UPDATE audit_events SET seq = -seq WHERE seq < 0');
      const model = rows[r.int(0, N - 1)]!;
      const forged: Record<string, unknown> = {
        ...model,
        seq: k,
        id: `forged-${randomBytes(6).toString('hex')}`,
        payload: '{"forged":true}',
        prevHash: k === 1 ? GENESIS_HASH : rows[k - 2]!.hash,
      };
      const { hash: _, ...rest } = forged;
      forged.hash = hashAuditRow(rest as Omit<AuditEventRow, 'hash' | 'mac'>);
      await insertRow(h, forged);
      await setHead(h, N + 1, rows[N - 1]!.hash);
      // The forged row carries a MAC that is not its own (the key is outside the database):
      // caught at the forged row itself.
      return { seq: k, problem: /MAC/ };
    }
    case 'truncate': {
      const cut = r.int(1, Math.min(20, N - 1));
      await h.exec('DELETE FROM audit_events WHERE seq > $1', [N - cut]);
      await setHead(h, N - cut, rows[N - cut - 1]!.hash);
      return { problem: /tail truncated/, anchorOnly: true };
    }
    case 'cutTail': {
      const cut = r.int(1, Math.min(20, N - 1));
      await h.exec('DELETE FROM audit_events WHERE seq > $1', [N - cut]);
      return { problem: /chain head does not match/ };
    }
    case 'replace': {
      const from = r.int(1, N);
      const head = await rehashFrom(h, rows, from, (row) => ({ ...row, payload: JSON.stringify({ rewritten: true, n: r.int(0, 1e6) }) }));
      await setHead(h, N, head);
      // Every hash links again, but no rewritten row has its MAC (the key is outside).
      return { seq: from, problem: /MAC/, anchorOnly: true };
    }
    case 'append': {
      // Rows added past the anchored head, hashes recomputed and the head moved: the anchor
      // may lag by design, so only the row MACs can tell (the forger has no key).
      const extra = r.int(1, 5);
      let prev = rows[N - 1]!.hash;
      for (let i = 1; i <= extra; i += 1) {
        const model = rows[r.int(0, N - 1)]!;
        const forged: Record<string, unknown> = {
          ...model,
          seq: N + i,
          id: `appended-${randomBytes(6).toString('hex')}`,
          prevHash: prev,
          mac: r.int(0, 1) ? null : randomBytes(32).toString('hex'),
        };
        const { hash: _, mac: __, ...rest } = forged;
        forged.hash = hashAuditRow(rest as Omit<AuditEventRow, 'hash' | 'mac'>);
        await insertRow(h, forged);
        prev = forged.hash as string;
      }
      await setHead(h, N + extra, prev);
      return { seq: N + 1, problem: /MAC/, anchorOnly: true };
    }
    case 'anchor': {
      const variant = r.int(0, 2);
      return {
        problem: /fail their HMAC/,
        anchorLines: (path) => {
          const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
          if (variant === 0) {
            // A head claimed for the end of the chain, with a MAC made up.
            appendFileSync(path, `${N} ${rows[N - 1]!.hash} ${randomBytes(32).toString('hex')}\n`);
          } else if (variant === 1) {
            // An authentic line with one character of its hash changed.
            const i = r.int(0, lines.length - 1);
            const [seq, hash, mac] = lines[i]!.split(' ');
            const pos = r.int(0, hash!.length - 1);
            lines[i] = `${seq} ${hash!.slice(0, pos)}${hash![pos] === '0' ? '1' : '0'}${hash!.slice(pos + 1)} ${mac}`;
            writeFileSync(path, `${lines.join('\n')}\n`);
          } else {
            // A line MACed under a key that is not the anchor's.
            const wrong = new AuditAnchor(`${path}.other`, randomBytes(32));
            wrong.record({ seq: N + 5, hash: createHash('sha256').update('forged').digest('hex') });
            appendFileSync(path, readFileSync(`${path}.other`));
          }
        },
      };
    }
  }
}

function judge(kind: TrialKind, verdict: VerifyResult, plain: VerifyResult | null, want: Expected): string | null {
  if (verdict.ok) return `${kind}: not detected`;
  if (want.seq !== undefined && verdict.firstBrokenSeq !== want.seq)
    return `${kind}: reported at seq ${verdict.firstBrokenSeq} (${verdict.problem}), tampered at ${want.seq}`;
  if (want.problem && !want.problem.test(verdict.problem ?? '')) return `${kind}: problem "${verdict.problem}" does not match ${want.problem}`;
  if (verdict.anchor !== 'checked') return `${kind}: anchor ${verdict.anchor}`;
  if (want.anchorOnly && plain && !plain.ok) return `${kind}: expected only the anchor to catch it, but the chain alone failed (${plain.problem})`;
  return null;
}

function sqliteHandle(raw: Database.Database): Handle & { kdb: Kysely<DB> } {
  const columns = (raw.prepare('PRAGMA table_info(audit_events)').all() as { name: string }[]).map((c) => c.name);
  const kdb = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }), plugins: [new CamelCasePlugin()] });
  return {
    kdb,
    columns,
    rows: async () => (await kdb.selectFrom('auditEvents').selectAll().orderBy('seq').execute()) as Row[],
    exec: async (query, params = []) => {
      raw.prepare(query.replace(/\$\d+/g, '?')).run(...(params as never[]));
    },
  };
}

describe('T5 audit tamper trials', () => {
  let dir: string;
  let base: Buffer;
  let anchorPath: string;
  let anchorKey: Buffer;
  let location: string;
  const seed = seedFrom('tamper');

  beforeAll(async () => {
    dir = tempDir();
    location = join(dir, 'chain.sqlite');
    const database = openDatabase(location);
    anchorPath = `${location}.audit-anchor`;
    anchorKey = randomBytes(32);
    writeFileSync(`${location}.audit-key`, `${anchorKey.toString('hex')}\n`);
    const anchor = new AuditAnchor(anchorPath, anchorKey);
    await createMunicipality(
      { database, db: database.db, dialect: database.dialect, audit: new AuditLog(database.db, database.dialect, anchor) },
      { name: '改ざん試験市', adminLogin: 'admin', adminPassword: 'admin-password-123' },
    );
    await buildChain(database, anchor, rng(seed), CHAIN_EVENTS);
    expect(await verifyAuditChain(database.db, anchor)).toMatchObject({ ok: true, anchor: 'checked' });
    // A rollback-journal file can be loaded into memory for each trial.
    await sql`PRAGMA journal_mode = DELETE`.execute(database.db);
    await database.close();
    base = readFileSync(location);
  });

  it(
    `${SQLITE_TRIALS} tamper trials on SQLite copies: every one detected, at the right entry`,
    async () => {
      const r = rng(seed ^ 0x5eed);
      const byKind: Record<string, number> = {};
      const flips: Record<string, number> = {};
      const failures: string[] = [];
      const trialAnchor = join(dir, 'trial-anchor');
      const started = Date.now();
      for (let i = 0; i < SQLITE_TRIALS; i++) {
        const kind = kindOf(i, SQLITE_TRIALS);
        byKind[kind] = (byKind[kind] ?? 0) + 1;
        const raw = new Database(base);
        raw.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
        const h = sqliteHandle(raw);
        const want = await tamper(kind, h, r, flips);
        let anchor = new AuditAnchor(anchorPath, anchorKey);
        if (want.anchorLines) {
          copyFileSync(anchorPath, trialAnchor);
          rmSync(`${trialAnchor}.other`, { force: true });
          want.anchorLines(trialAnchor);
          anchor = new AuditAnchor(trialAnchor, anchorKey);
        }
        const verdict = await verifyAuditChain(h.kdb, anchor);
        const plain = want.anchorOnly ? await verifyAuditChain(h.kdb, null) : null;
        const failure = judge(kind, verdict, plain, want);
        if (failure) failures.push(`trial ${i}: ${failure}`);
        raw.close();
      }
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `[tamper sqlite] seed ${seed}: chain of ${CHAIN_EVENTS + 2} entries; ${SQLITE_TRIALS} trials in ${seconds.toFixed(1)} s, detected ${SQLITE_TRIALS - failures.length}/${SQLITE_TRIALS} at the right entry; ` +
          `by kind ${JSON.stringify(byKind)}; byte flips by column ${JSON.stringify(flips)}`,
      );
      expect(failures).toEqual([]);
      // Every stored column was flipped at least once (a column left out of the hash would show here).
      expect(Object.keys(flips).sort()).toEqual(sqliteHandle(new Database(base)).columns.sort());
    },
    TRIALS_TIMEOUT,
  );

  it('the anchor file absent: verify says "not checked" and still checks the chain (library and CLI)', async () => {
    const copy = join(tempDir(), 'noanchor.sqlite');
    writeFileSync(copy, base);
    copyFileSync(`${location}.audit-key`, `${copy}.audit-key`);
    const database = openDatabase(copy);
    const missing = new AuditAnchor(`${copy}.audit-anchor`, anchorKey);
    expect(existsSync(missing.path)).toBe(false);
    expect(await verifyAuditChain(database.db, missing)).toEqual({ ok: true, entries: CHAIN_EVENTS + 2, anchor: 'not checked' });
    const clean = await kasane(['audit', 'verify', '--db', copy]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/audit chain intact: \d+ entries \(anchor: not checked\)/);
    // Tampered, and still no anchor: the chain check alone catches it, and says the anchor was not checked.
    await sql`DROP TRIGGER audit_events_no_update`.execute(database.db);
    await sql`UPDATE audit_events SET payload = '{"n":1}' WHERE seq = 77`.execute(database.db);
    expect(await verifyAuditChain(database.db, missing)).toMatchObject({ ok: false, firstBrokenSeq: 77, anchor: 'not checked' });
    await database.close();
    const broken = await kasane(['audit', 'verify', '--db', copy]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN at entry \S+ \(seq 77\)/);
    expect(JSON.parse(broken.stdout.split('\n')[1]!)).toMatchObject({ ok: false, firstBrokenSeq: 77, anchor: 'not checked' });
  }, 60_000);

  it('the CLI reports a truncated tail (head updated) against the anchor beside the database, exit 1', async () => {
    const copy = join(tempDir(), 'trunc.sqlite');
    writeFileSync(copy, base);
    copyFileSync(`${location}.audit-key`, `${copy}.audit-key`);
    copyFileSync(anchorPath, `${copy}.audit-anchor`);
    const raw = new Database(copy);
    raw.exec('DROP TRIGGER audit_events_no_delete;');
    const keep = CHAIN_EVENTS - 10;
    raw.prepare('DELETE FROM audit_events WHERE seq > ?').run(keep);
    const last = raw.prepare('SELECT hash FROM audit_events WHERE seq = ?').get(keep) as { hash: string };
    raw.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(keep, last.hash);
    raw.close();
    const res = await kasane(['audit', 'verify', '--db', copy]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/tail truncated/);
    // The same file with its anchor removed passes, saying so: only the anchor can see a cut tail.
    unlinkSync(`${copy}.audit-anchor`);
    const unanchored = await kasane(['audit', 'verify', '--db', copy]);
    expect(unanchored.code).toBe(0);
    expect(unanchored.stdout).toMatch(/\(anchor: not checked\)/);
  }, 60_000);
});

describe('T5 on PostgreSQL', () => {
  let database: KasaneDatabase;
  let anchor: AuditAnchor;
  const pgKey = randomBytes(32);
  const seed = seedFrom('tamper postgres');

  beforeAll(async () => {
    const { location } = await freshLocation('postgres');
    database = openDatabase(location);
    anchor = new AuditAnchor(join(tempDir(), 'pg-anchor'), pgKey);
    await createMunicipality(
      { database, db: database.db, dialect: database.dialect, audit: new AuditLog(database.db, database.dialect, anchor) },
      { name: '改ざん試験市', adminLogin: 'admin', adminPassword: 'admin-password-123' },
    );
    await buildChain(database, anchor, rng(seed), 120);
  });
  afterAll(() => database?.close());

  it(
    `${PG_TRIALS} tamper trials inside rolled-back transactions: every one detected, at the right entry`,
    async () => {
      const r = rng(seed ^ 0x5eed);
      const columns = (
        await sql<{
          name: string;
        }>`SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'audit_events' ORDER BY ordinal_position`.execute(database.db)
      ).rows.map((c) => c.name);
      const failures: string[] = [];
      const byKind: Record<string, number> = {};
      const flips: Record<string, number> = {};
      const trialAnchor = `${anchor.path}.trial`;
      class Rollback extends Error {}
      for (let i = 0; i < PG_TRIALS; i++) {
        const kind = kindOf(i, PG_TRIALS);
        byKind[kind] = (byKind[kind] ?? 0) + 1;
        await database.db
          .transaction()
          .execute(async (tx: Transaction<DB>) => {
            await sql`ALTER TABLE audit_events DISABLE TRIGGER USER`.execute(tx);
            const h: Handle = {
              columns,
              rows: async () => (await tx.selectFrom('auditEvents').selectAll().orderBy('seq').execute()) as Row[],
              exec: async (query, params = []) => {
                await tx.executeQuery(CompiledQuery.raw(query, params));
              },
            };
            const want = await tamper(kind, h, r, flips);
            let a = anchor;
            if (want.anchorLines) {
              copyFileSync(anchor.path, trialAnchor);
              rmSync(`${trialAnchor}.other`, { force: true });
              want.anchorLines(trialAnchor);
              a = new AuditAnchor(trialAnchor, pgKey);
            }
            const verdict = await verifyAuditChain(tx, a);
            const plain = want.anchorOnly ? await verifyAuditChain(tx, null) : null;
            const failure = judge(kind, verdict, plain, want);
            if (failure) failures.push(`trial ${i}: ${failure}`);
            throw new Rollback();
          })
          .catch((e) => {
            if (!(e instanceof Rollback)) throw e;
          });
      }
      console.log(
        `[tamper postgres] seed ${seed}: ${PG_TRIALS} trials, detected ${PG_TRIALS - failures.length}/${PG_TRIALS} at the right entry; by kind ${JSON.stringify(byKind)}`,
      );
      expect(failures).toEqual([]);
      // Every trial was rolled back: the real chain is intact.
      expect(await verifyAuditChain(database.db, anchor)).toMatchObject({ ok: true, anchor: 'checked' });
    },
    TRIALS_TIMEOUT,
  );

  it('the append-only triggers refuse UPDATE, DELETE and TRUNCATE (PostgreSQL) and UPDATE, DELETE (SQLite)', async () => {
    await expect(sql`UPDATE audit_events SET payload = '{}' WHERE seq = 3`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events WHERE seq = 3`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_events`.execute(database.db)).rejects.toThrow(/append-only/);
    const lite = openDatabase(join(tempDir(), 'triggers.sqlite'));
    await createMunicipality(lite, { name: '試験市', adminLogin: 'admin', adminPassword: 'admin-password-123' });
    await expect(sql`UPDATE audit_events SET payload = '{}'`.execute(lite.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events`.execute(lite.db)).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(lite.db)).toMatchObject({ ok: true, entries: 2 });
    await lite.close();
    expect(await verifyAuditChain(database.db, anchor)).toMatchObject({ ok: true });
  });

  it('concurrent writers keep the chain linear: 20 at once through one server, then two server processes on one database', async () => {
    const { location } = await freshLocation('postgres');
    const anchorPath = join(tempDir(), 'anchor');
    const env = childEnv({ KASANE_AUDIT_ANCHOR: anchorPath });
    await initDatabase(location, env, '並行試験市');
    const a = await serve(location, env);
    const b = await serve(location, env);
    try {
      const admin = await adminToken(a.url);
      const who = await caseworker(a.url, admin, `conc${seed.toString(36)}`);
      const person = (i: number) => ({
        familyName: `並行${i}`,
        givenName: '一郎',
        familyNameKana: 'ヘイコウ',
        givenNameKana: `${'アイウエオカキクケコ'[i % 10]}${'サシスセソタチツテト'[Math.floor(i / 10) % 10]}${'ナニヌネノハヒフヘホ'[Math.floor(i / 100) % 10]}`,
      });
      const started = Date.now();
      // 20 concurrent POSTs through one server.
      const one = await Promise.all(Array.from({ length: 20 }, (_, i) => api(a.url, who.token, 'POST', '/persons', person(i))));
      expect(one.map((x) => x.status)).toEqual(Array(20).fill(201));
      // 20 writers on each of two processes at once, several writes each.
      const perWriter = LONG ? 25 : 5;
      const writer = async (url: string, w: number) => {
        for (let k = 0; k < perWriter; k++) {
          const res = await api(url, who.token, 'POST', '/persons', person(1000 + w * 100 + k));
          if (res.status !== 201) throw new Error(`writer ${w}: ${res.status} ${res.text}`);
        }
      };
      await Promise.all(Array.from({ length: 40 }, (_, w) => writer(w % 2 ? b.url : a.url, w)));
      const writes = 20 + 40 * perWriter;
      const ms = Date.now() - started;
      const check = openDatabase(location);
      try {
        const v = await verifyAuditChain(check.db, anchorOf(location, anchorPath));
        expect(v).toMatchObject({ ok: true, anchor: 'checked' });
        const stats = await check.db
          .selectFrom('auditEvents')
          .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('seq').as('lo'), eb.fn.max('seq').as('hi'), eb.fn.count('id').distinct().as('ids')])
          .executeTakeFirstOrThrow();
        expect({ n: Number(stats.n), lo: Number(stats.lo), hi: Number(stats.hi), ids: Number(stats.ids) }).toEqual({
          n: v.entries,
          lo: 1,
          hi: v.entries,
          ids: v.entries,
        });
        const created = await check.db
          .selectFrom('auditEvents')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('type', '=', 'PERSON_CREATED')
          .executeTakeFirstOrThrow();
        const persons = await check.db
          .selectFrom('persons')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(created.n)).toBe(writes);
        expect(Number(persons.n)).toBe(writes);
        const cli = await kasane(['audit', 'verify', '--db', location], env);
        expect(cli.code, cli.stdout).toBe(0);
        console.log(
          `[tamper postgres] concurrent writers: 20 at once through one server + 40 writers × ${perWriter} over two server processes = ${writes} writes in ${ms} ms; chain ${v.entries} entries, seq 1..${v.entries} gapless, verify ok (anchor checked)`,
        );
      } finally {
        await check.close();
      }
    } finally {
      await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);
    }
  }, 120_000);
});
