/**
 * Appends audit events to the hash chain.
 *
 * - Write events go through `recordAudit(tx, …)` inside the very transaction of the change
 *   they record: if the audit row cannot be written, the change rolls back.
 * - Read events go through `AuditLog.recordReads`, which the response awaits before any
 *   personal data leaves. The read events of concurrent requests are appended together in
 *   one transaction (group commit), so a read costs a share of one fsync, not a whole one.
 *   `groupCommit: false` (KASANE_AUDIT_GROUP_COMMIT=0 for `kasane serve`) commits each
 *   request's read events in a transaction of its own instead: the same durability, kept to
 *   measure what group commit gains (docs/PERFORMANCE.md).
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { DialectName } from '../db/connect.ts';
import { prepareQuery } from '../db/prepared.ts';
import { WriteBatcher } from '../db/writeBatch.ts';
import type { DB } from '../db/schema.ts';
import { nowIso } from '../lib/clock.ts';
import type { AuditAnchor, ChainHead } from './anchor.ts';
import type { AuditAppender } from './appender.ts';
import { AUDIT_INSERT_ONE_SQLITE, auditInsertSql, chainRows, ROWS_PER_INSERT } from './chain.ts';
import type { AuditContext, AuditEventInput } from './events.ts';

export interface AuditEntry {
  ctx: AuditContext;
  events: AuditEventInput[];
}

/** Appends the events of one context; see `recordAuditEntries`. */
export function recordAudit(
  tx: Transaction<DB> | Kysely<DB>,
  dialect: DialectName,
  ctx: AuditContext,
  events: AuditEventInput[],
  anchor: AuditAnchor | null = null,
): Promise<ChainHead | null> {
  return recordAuditEntries(tx, dialect, [{ ctx, events }], anchor);
}

// Lock the chain head so concurrent writers (PostgreSQL) append one after another and the
// chain stays linear. SQLite has a single writer, and the UPDATE below takes its lock.
const chainHead = prepareQuery([], (db) => db.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1));
const chainHeadLocked = prepareQuery([], (db) => db.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1).forUpdate());
const moveChainHead = prepareQuery(['seq', 'hash'], (db, a: { seq: number; hash: string }) =>
  db.updateTable('auditHead').set({ seq: a.seq, hash: a.hash }).where('id', '=', 1),
);

/**
 * Appends events (of one or many requests) to the chain inside the caller's transaction and
 * returns the new chain head, to be anchored once the transaction has committed.
 */
export async function recordAuditEntries(
  tx: Transaction<DB> | Kysely<DB>,
  dialect: DialectName,
  entries: AuditEntry[],
  anchor: AuditAnchor | null = null,
): Promise<ChainHead | null> {
  if (entries.every((e) => e.events.length === 0)) return null;
  const head = (await (dialect === 'postgres' ? chainHeadLocked : chainHead).first(tx, {}))!;
  const { rows, head: next } = chainRows(head, entries, nowIso(), anchor ? (h) => anchor.rowMac(h) : null);
  if (dialect === 'postgres') {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT);
      await tx.executeQuery(CompiledQuery.raw(auditInsertSql(dialect, chunk.length), chunk.flat()));
    }
  } else {
    // One short statement, prepared once and run per row (SQLite runs in process: no round trips).
    for (const values of rows) await tx.executeQuery(CompiledQuery.raw(AUDIT_INSERT_ONE_SQLITE, values));
  }
  await moveChainHead.all(tx, next);
  return next;
}

interface Waiting extends AuditEntry {
  resolve(): void;
  reject(err: unknown): void;
}

export interface AuditLogOptions {
  /** Append the read events of concurrent requests in one transaction (default true). */
  groupCommit?: boolean;
  /**
   * Group-commit transactions that may be in flight at once (default: 2 on PostgreSQL, 1 on
   * SQLite). On PostgreSQL the next batch starts while the previous one travels to the server;
   * the chain head's row lock (`FOR UPDATE` in `recordAuditEntries`) keeps the chain linear.
   * SQLite has one connection: a second transaction would only wait for it.
   */
  concurrentFlushes?: number;
  /** Appends read events on another thread (SQLite files: appender.ts); none appends here. */
  appender?: AuditAppender;
  /** SQLite: commit the write transactions of concurrent requests together (default true). */
  batchWrites?: boolean;
}

export class AuditLog {
  private readonly db: Kysely<DB>;
  private readonly dialect: DialectName;
  readonly anchor: AuditAnchor | null;
  readonly groupCommit: boolean;
  readonly concurrentFlushes: number;
  private readonly appender: AuditAppender | null;
  private readonly writes: WriteBatcher | null;
  private waiting: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;
  constructor(db: Kysely<DB>, dialect: DialectName, anchor: AuditAnchor | null = null, options: AuditLogOptions = {}) {
    this.db = db;
    this.dialect = dialect;
    this.anchor = anchor;
    this.groupCommit = options.groupCommit ?? true;
    this.concurrentFlushes = Math.max(1, options.concurrentFlushes ?? (dialect === 'postgres' ? 2 : 1));
    this.appender = options.appender ?? null;
    this.writes =
      dialect === 'sqlite' && (options.batchWrites ?? true) ? new WriteBatcher(db, { turn: this.appender ? (work) => this.turn(work) : undefined }) : null;
  }

  /** Stops the append worker, if there is one (after the server stopped taking requests). */
  async close(): Promise<void> {
    await this.appender?.close();
  }

  /** Call after the transaction that appended `head` has committed. */
  anchorHead(head: ChainHead | null): void {
    if (head && this.anchor) this.anchor.record(head);
  }

  /**
   * Durably appends read (and denial) events; resolves only after the commit, so a caller
   * that awaits it never shows data whose access was not logged.
   */
  recordReads(ctx: AuditContext, events: AuditEventInput[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    if (!this.groupCommit) return this.commit([{ ctx, events }]);
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ ctx, events, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Group commit: the first waiting read waits one turn of the event loop, so the requests
   * that arrived in the same turn (on SQLite each runs to here without yielding) join its
   * transaction. While `concurrentFlushes` transactions are in flight, reads queue up; the
   * next transaction takes all of them at once.
   */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.concurrentFlushes) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** One batch: the chain computed in order, committed, and only then every waiting response released. */
  private flush(): void {
    const batch = this.waiting.splice(0, this.waiting.length);
    this.inFlight += 1;
    this.commit(batch)
      .then(
        () => {
          for (const w of batch) w.resolve();
        },
        (err: unknown) => {
          for (const w of batch) w.reject(err);
        },
      )
      .finally(() => {
        this.inFlight -= 1;
        if (this.waiting.length > 0) this.schedule();
      });
  }

  /**
   * Runs a write transaction of the main thread (`writeWithAudit`): on SQLite in a batch with
   * the writes of concurrent requests (src/db/writeBatch.ts: one commit, one wait for the disk),
   * on PostgreSQL in a transaction of its own. With an append worker, the batches and the
   * worker's appends take turns here, so neither finds SQLite's write lock taken: a connection
   * that does waits in SQLite's busy handler, which sleeps the whole thread.
   */
  transaction<T>(work: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.writes ? this.writes.run(work) : this.db.transaction().execute(work);
  }

  private turns: Promise<unknown> = Promise.resolve();
  private turn<T>(work: () => Promise<T>): Promise<T> {
    const mine = this.turns.then(work);
    // The next turn starts when this one ends, whether it succeeded or not.
    this.turns = mine.catch(() => {});
    return mine;
  }

  /** One transaction (here or on the append worker): the entries in order on the chain, committed, then anchored. */
  private async commit(entries: AuditEntry[]): Promise<void> {
    const appender = this.appender;
    const head = appender?.usable
      ? await this.turn(() => appender.append(entries))
      : await this.db.transaction().execute((tx) => recordAuditEntries(tx, this.dialect, entries, this.anchor));
    this.anchorHead(head);
  }
}
