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
import type { Kysely, Transaction } from 'kysely';
import type { DialectName } from '../db/connect.ts';
import type { AuditEventRow, DB } from '../db/schema.ts';
import { nowIso } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { AuditAnchor, ChainHead } from './anchor.ts';
import { hashAuditRow } from './chain.ts';
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

/** Rows per INSERT: 17 columns stay well under SQLite's 32,766 bound parameters. */
const ROWS_PER_INSERT = 1000;

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
  // Lock the chain head so concurrent writers (PostgreSQL) append one after another and the
  // chain stays linear. SQLite has a single writer, and the UPDATE below takes its lock.
  const headQuery = tx.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1);
  const head = await (dialect === 'postgres' ? headQuery.forUpdate() : headQuery).executeTakeFirstOrThrow();
  let seq = Number(head.seq);
  let hash = head.hash;
  const at = nowIso();
  const rows: AuditEventRow[] = [];
  for (const { ctx, events } of entries) {
    const actor = JSON.stringify(ctx.actor);
    for (const e of events) {
      seq += 1;
      const row: Omit<AuditEventRow, 'hash' | 'mac'> = {
        seq,
        id: newId(),
        at,
        type: e.type,
        outcome: e.outcome ?? 'success',
        actorUserId: ctx.actor.userId,
        actor,
        requestId: ctx.requestId,
        ip: ctx.ip,
        personId: e.personId ?? null,
        caseId: e.caseId ?? null,
        subjectType: e.subjectType ?? null,
        subjectId: e.subjectId ?? null,
        basis: JSON.stringify(e.basis ?? []),
        payload: JSON.stringify(e.payload ?? {}),
        prevHash: hash,
      };
      hash = hashAuditRow(row);
      rows.push({ ...row, hash, mac: anchor ? anchor.rowMac(hash) : null });
    }
  }
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
    await tx
      .insertInto('auditEvents')
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .execute();
  await tx.updateTable('auditHead').set({ seq, hash }).where('id', '=', 1).execute();
  return { seq, hash };
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
}

export class AuditLog {
  private readonly db: Kysely<DB>;
  private readonly dialect: DialectName;
  readonly anchor: AuditAnchor | null;
  readonly groupCommit: boolean;
  readonly concurrentFlushes: number;
  private waiting: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;
  constructor(db: Kysely<DB>, dialect: DialectName, anchor: AuditAnchor | null = null, options: AuditLogOptions = {}) {
    this.db = db;
    this.dialect = dialect;
    this.anchor = anchor;
    this.groupCommit = options.groupCommit ?? true;
    this.concurrentFlushes = Math.max(1, options.concurrentFlushes ?? (dialect === 'postgres' ? 2 : 1));
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

  /** One transaction: the entries in order on the chain, committed, then anchored. */
  private async commit(entries: AuditEntry[]): Promise<void> {
    const head = await this.db.transaction().execute((tx) => recordAuditEntries(tx, this.dialect, entries, this.anchor));
    this.anchorHead(head);
  }
}
