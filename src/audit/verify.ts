/**
 * Verifies the audit hash chain from the first row to the head, in pages, so memory stays
 * flat however long the log is.
 *
 * The chain is checked as ranges of seq: each range on its own (every row's hash and MAC, the
 * link from each row to the one before it inside the range), then the ranges are joined at
 * their edges (no seq missing between two ranges, the first row of a range links to the last
 * row of the one before, no row without MAC after MAC-protected rows of earlier ranges). A
 * short chain, or a caller that only has a Kysely instance, is one range read on this thread;
 * a long chain whose database location is known is split into ranges checked by worker
 * threads, each on a connection of its own (issue 6: hashing alone is ~2.5 µs an entry, so
 * one thread cannot go much past 300,000 entries/s). Either way the result is the same,
 * down to the first broken entry and its problem.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
// Type imports only, and the drivers loaded when used: a worker thread loads this module, and
// the fewer modules it loads, the sooner it starts.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { startWorker, type WorkerEntry, workerEntry } from '../lib/workers.ts';
import { type AuditAnchor, type ChainHead, rowMacs } from './anchor.ts';
import { GENESIS_HASH, HASHED_COLUMNS, hashAuditValues } from './chain.ts';

export interface VerifyResult {
  ok: boolean;
  entries: number;
  firstBrokenId?: string;
  firstBrokenSeq?: number;
  problem?: string;
  /** The external anchor (HMAC of the head kept outside the table) is not configured yet. */
  anchor: 'checked' | 'not checked';
}

export interface VerifyOptions {
  /** Rows per query (default 1,000). */
  pageSize?: number;
  /**
   * The database file or postgres:// URL that `db` was opened on. Without it (or for an
   * in-memory SQLite database) the chain is read on this thread only.
   */
  location?: string;
  /** Worker threads for a long chain (default min(4, cores), at least 2). */
  workers?: number;
  /** From how many entries (the head's seq) worker threads are used (default 200,000). */
  parallelFrom?: number;
  /** Where the worker module is (default: verifyWorker beside this module, see lib/workers.ts). */
  workerEntry?: WorkerEntry;
}

/**
 * Rows per query. Small pages keep the rows of a page short-lived: with 10,000 the verifier
 * spent a third of its time collecting garbage promoted out of the young generation.
 */
const PAGE = 1000;
const PARALLEL_FROM = 200_000;

/**
 * A stored row as the verifier reads it: the hashed columns in their hashing order (seq
 * first, prev_hash last), then hash and mac. Arrays, not objects: the verifier reads
 * millions of rows.
 */
type StoredRow = unknown[];
const HASHED = HASHED_COLUMNS.length;
const ID = HASHED_COLUMNS.indexOf('id');
const PREV_HASH = HASHED_COLUMNS.indexOf('prev_hash');
const SELECT_ROWS = `SELECT ${HASHED_COLUMNS.join(', ')}, hash, mac FROM audit_events`;

/** Up to `limit` rows with seq > `afterSeq` (and within the range the reader was made for), by seq. */
export type ReadPage = (afterSeq: number, limit: number) => Promise<StoredRow[]>;

/** A problem found inside a range: `entries` rows of the range verified before it. */
interface RangeProblem {
  seq: number;
  id: string;
  problem: string;
  entries: number;
}

/** What one range of the chain showed; the join (joinRanges) needs nothing else. */
export interface RangeResult {
  /** Rows verified (up to the problem, if any). */
  rows: number;
  /** The range's first row (its edge to the range before), null when the range holds no row. */
  first: { seq: number; id: string; prevHash: string } | null;
  /** The last verified row. */
  lastSeq: number;
  lastHash: string;
  /** The first problem inside the range. */
  problem: RangeProblem | null;
  /** A row with a (valid) MAC was verified. */
  macSeen: boolean;
  /**
   * The first row without MAC before any MAC'd row of the range (anchor configured): a
   * problem if an earlier range holds MAC'd rows.
   */
  firstMacless: RangeProblem | null;
  /** The hash of the anchored head's seq, when the range holds it. */
  anchoredHash: string | null;
}

const NO_MAC_AFTER_MACS = 'row has no MAC after MAC-protected rows (written without the anchor key)';

/** The MAC of a row's hash (AuditAnchor.rowMac, or rowMacs from the anchor key). */
export type RowMac = (hash: string) => string;

/** A problem found at a row of a range. */
function problemAt(r: RangeResult, seq: number, id: string, problem: string): RangeResult {
  return { ...r, problem: { seq, id, problem, entries: r.rows } };
}

/**
 * Verifies the rows of one range in seq order, from the first row `read` returns after
 * `afterSeq`. The first row's seq and prev_hash are not checked here: they are the edge to
 * the range before (joinRanges). `rowMac` is set when an anchor is configured.
 */
export async function verifyRange(read: ReadPage, rowMac: RowMac | null, anchored: ChainHead | null, afterSeq: number, pageSize = PAGE): Promise<RangeResult> {
  const r: RangeResult = { rows: 0, first: null, lastSeq: afterSeq, lastHash: '', problem: null, macSeen: false, firstMacless: null, anchoredHash: null };
  const anchoredSeq = anchored ? anchored.seq : -1;
  let expectedSeq = 0;
  let prevHash = '';
  for (;;) {
    const rows = await read(r.lastSeq, pageSize);
    for (const row of rows) {
      const seq = Number(row[0]);
      const id = row[ID] as string;
      const hash = row[HASHED] as string;
      const mac = row[HASHED + 1] as string | null;
      if (r.first === null) {
        r.first = { seq, id, prevHash: row[PREV_HASH] as string };
        expectedSeq = seq;
        prevHash = r.first.prevHash;
      }
      // A gap: the chain breaks at the first missing seq (the row found is the one after it).
      if (seq > expectedSeq) return problemAt(r, expectedSeq, id, `entry ${expectedSeq} is missing (the next entry found is seq ${seq})`);
      if (row[PREV_HASH] !== prevHash) return problemAt(r, seq, id, 'previous hash does not match');
      // The hashed values are the row without hash and mac, seq as a number.
      row.length = HASHED;
      row[0] = seq;
      if (hashAuditValues(row) !== hash) return problemAt(r, seq, id, 'content does not match its hash');
      if (rowMac && mac !== null) {
        if (mac !== rowMac(hash)) return problemAt(r, seq, id, 'row MAC does not match (written without the anchor key)');
        r.macSeen = true;
      } else if (rowMac) {
        if (r.macSeen) return problemAt(r, seq, id, NO_MAC_AFTER_MACS);
        r.firstMacless ??= { seq, id, problem: NO_MAC_AFTER_MACS, entries: r.rows };
      }
      if (seq === anchoredSeq) {
        r.anchoredHash = hash;
        // The whole chain up to here was recomputed: its hashes link, but not to the anchor.
        if (hash !== anchored!.hash) return problemAt(r, seq, id, 'entry does not match the external anchor (chain replaced?)');
      }
      prevHash = hash;
      expectedSeq += 1;
      r.rows += 1;
      r.lastSeq = seq;
      r.lastHash = hash;
    }
    if (rows.length < pageSize) return r;
  }
}

/** The first problem of the chain the ranges make, in seq order, or where the chain ends. */
export type Joined =
  | { broken: false; entries: number; lastHash: string; anchoredHash: string | null }
  | { broken: true; entries: number; seq: number; id: string; problem: string };

/**
 * Joins consecutive ranges: the first problem in seq order wins, an edge problem (a gap or a
 * broken link) belonging to the first row of the later range.
 */
export function joinRanges(ranges: readonly RangeResult[]): Joined {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  let macSeen = false;
  let anchoredHash: string | null = null;
  const broken = (p: RangeProblem, before: number): Joined => ({ broken: true, entries: before + p.entries, seq: p.seq, id: p.id, problem: p.problem });
  for (const r of ranges) {
    if (r.first) {
      const { seq, id } = r.first;
      if (seq > expectedSeq)
        return broken({ seq: expectedSeq, id, problem: `entry ${expectedSeq} is missing (the next entry found is seq ${seq})`, entries: 0 }, entries);
      if (r.first.prevHash !== prevHash) return broken({ seq, id, problem: 'previous hash does not match', entries: 0 }, entries);
    }
    // Set only with an anchor, and only on a row that passed every check before the MAC's.
    if (macSeen && r.firstMacless) return broken(r.firstMacless, entries);
    if (r.problem) return broken(r.problem, entries);
    if (r.first) {
      prevHash = r.lastHash;
      expectedSeq = r.lastSeq + 1;
    }
    entries += r.rows;
    macSeen ||= r.macSeen;
    anchoredHash ??= r.anchoredHash;
  }
  return { broken: false, entries, lastHash: prevHash, anchoredHash };
}

/**
 * Verifies the chain. The third argument is the page size (older callers) or the options;
 * pass `location` to let a long chain be checked by worker threads.
 */
export async function verifyAuditChain(db: Kysely<DB>, anchor: AuditAnchor | null = null, options: number | VerifyOptions = {}): Promise<VerifyResult> {
  const opts = typeof options === 'number' ? { pageSize: options } : options;
  const pageSize = opts.pageSize ?? PAGE;
  const anchored = anchor?.latest() ?? { head: null, forged: 0 };
  const anchorState: VerifyResult['anchor'] = anchored.head ? 'checked' : 'not checked';
  const readHead = () => db.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();

  let ranges: RangeResult[] | null = null;
  const location = opts.location;
  if (location && location !== ':memory:') {
    const head = await readHead();
    const entries = Number(head?.seq ?? 0);
    if (entries >= (opts.parallelFrom ?? PARALLEL_FROM)) {
      const workers = Math.max(2, opts.workers ?? Math.min(4, availableParallelism()));
      const key = anchor ? anchor.forWorker().key : null;
      const { isPostgresUrl } = await import('../db/location.ts');
      const postgres = isPostgresUrl(location);
      const jobs = splitRange(entries, workers).map(([after, upTo]): RangeJob => ({ location, postgres, after, upTo, key, anchored: anchored.head, pageSize }));
      ranges = await inWorkers(jobs, opts.workerEntry ?? workerEntry(import.meta.url, 'verifyWorker'));
    }
  }
  ranges ??= [await verifyRange(kyselyPages(db), anchor ? rowMacs(anchor.forWorker().key) : null, anchored.head, 0, pageSize)];

  return verdict(joinRanges(ranges), await readHead(), anchored, anchorState);
}

/** The result: the first broken entry, else the checks at the end of the chain (head, anchor). */
function verdict(
  joined: Joined,
  head: { seq: number | string; hash: string } | undefined,
  anchored: { head: ChainHead | null; forged: number },
  anchorState: VerifyResult['anchor'],
): VerifyResult {
  if (joined.broken)
    return { ok: false, entries: joined.entries, firstBrokenId: joined.id, firstBrokenSeq: joined.seq, problem: joined.problem, anchor: anchorState };
  const { entries } = joined;
  if (head && (Number(head.seq) !== entries || head.hash !== joined.lastHash)) {
    return { ok: false, entries, problem: 'the chain head does not match the last entry (entries removed at the end?)', anchor: anchorState };
  }
  if (anchored.forged > 0)
    return { ok: false, entries, problem: `${anchored.forged} anchor line(s) fail their HMAC (anchor file altered)`, anchor: anchorState };
  if (anchored.head && joined.anchoredHash === null) {
    return {
      ok: false,
      entries,
      problem: `the chain ends at ${entries} entries but the anchor vouches for ${anchored.head.seq} (tail truncated)`,
      anchor: anchorState,
    };
  }
  return { ok: true, entries, anchor: anchorState };
}

/** Pages of rows through Kysely (any dialect, a transaction too). */
export function kyselyPages(db: Kysely<DB>): ReadPage {
  // Unmapped column names (no plugins): the verifier reads millions of rows, and renaming
  // every column of every row costs more than hashing it.
  const raw = db.withoutPlugins() as unknown as Kysely<any>;
  return async (afterSeq, limit) => {
    const rows = await raw
      .selectFrom('audit_events')
      .select([...HASHED_COLUMNS, 'hash', 'mac'])
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((row) => {
      const values: unknown[] = HASHED_COLUMNS.map((c) => row[c] ?? null);
      values.push(row.hash, row.mac);
      return values;
    });
  };
}

/** [after, upTo] of each of `n` ranges over seq 1..entries; the last one is open-ended. */
export function splitRange(entries: number, n: number): [number, number | null][] {
  const ranges: [number, number | null][] = [];
  for (let i = 0; i < n; i++) ranges.push([Math.floor((entries * i) / n), i === n - 1 ? null : Math.floor((entries * (i + 1)) / n)]);
  return ranges;
}

/**
 * One range for a worker thread. The last range has no upper bound: rows appended past the
 * head are read as the sequential path reads them (and then fail the head check).
 */
export interface RangeJob {
  location: string;
  /** The location is a postgres:// URL (else a SQLite file). */
  postgres: boolean;
  after: number;
  upTo: number | null;
  /** The anchor key, for the row MACs (never logged). */
  key: Uint8Array | null;
  anchored: ChainHead | null;
  pageSize: number;
}

/** Verifies one range on a connection of its own (what a worker thread runs). */
export async function verifyRangeJob(job: RangeJob): Promise<RangeResult> {
  const rowMac = job.key ? rowMacs(job.key) : null;
  const bound = job.upTo === null ? '' : ` AND seq <= ${Number(job.upTo)}`;
  const text = `${SELECT_ROWS} WHERE seq > $1${bound} ORDER BY seq LIMIT $2`;
  if (job.postgres) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: job.location });
    await client.connect();
    try {
      return await verifyRange(
        async (afterSeq, limit) => (await client.query<StoredRow>({ text, values: [afterSeq, limit], rowMode: 'array' })).rows,
        rowMac,
        job.anchored,
        job.after,
        job.pageSize,
      );
    } finally {
      await client.end();
    }
  }
  const { default: Database } = await import('better-sqlite3');
  const sqlite = new Database(job.location, { readonly: true, fileMustExist: true });
  try {
    // Raw arrays, straight from the driver: no object per row.
    const page = sqlite.prepare<[number, number], StoredRow>(text.replace(/\$\d/g, '?')).raw();
    return await verifyRange(async (afterSeq, limit) => page.all(afterSeq, limit), rowMac, job.anchored, job.after, job.pageSize);
  } finally {
    sqlite.close();
  }
}

/**
 * The ranges' results, each from a worker thread of its own; null when a worker could not
 * start or failed (the caller then reads the chain on its own thread).
 */
async function inWorkers(jobs: RangeJob[], entry: WorkerEntry): Promise<RangeResult[] | null> {
  const started: Worker[] = [];
  const one = (job: RangeJob) =>
    new Promise<RangeResult>((resolve, reject) => {
      const worker = startWorker(entry, { job });
      started.push(worker);
      worker.once('message', resolve);
      worker.once('error', reject);
      // After the message this does nothing; before it, the worker ended without a result.
      worker.once('exit', (code) => reject(new Error(`verify worker exited with code ${code}`)));
    });
  try {
    return await Promise.all(jobs.map(one));
  } catch {
    return null;
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
}
