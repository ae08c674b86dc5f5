/**
 * Appends audit events to the hash chain.
 *
 * - Write events go through `recordAudit(tx, …)` inside the very transaction of the change
 *   they record: if the audit row cannot be written, the change rolls back.
 * - Read events go through `AuditLog.recordReads`, which the response awaits before any
 *   personal data leaves. It is the one place reads are appended, so it can later batch the
 *   reads of concurrent requests into one transaction (group commit) without touching callers.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DialectName } from '../db/connect.ts';
import type { AuditEventRow, DB } from '../db/schema.ts';
import { nowIso } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { AuditAnchor, ChainHead } from './anchor.ts';
import { hashAuditRow } from './chain.ts';
import type { AuditContext, AuditEventInput } from './events.ts';

export async function recordAudit(
  tx: Transaction<DB> | Kysely<DB>,
  dialect: DialectName,
  ctx: AuditContext,
  events: AuditEventInput[],
): Promise<ChainHead | null> {
  if (events.length === 0) return null;
  // Lock the chain head so concurrent writers (PostgreSQL) append one after another and the
  // chain stays linear. SQLite has a single writer, and the UPDATE below takes its lock.
  const headQuery = tx.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1);
  const head = await (dialect === 'postgres' ? headQuery.forUpdate() : headQuery).executeTakeFirstOrThrow();
  let { seq, hash } = head;
  const at = nowIso();
  const rows: AuditEventRow[] = [];
  for (const e of events) {
    seq += 1;
    const row: Omit<AuditEventRow, 'hash'> = {
      seq,
      id: newId(),
      at,
      type: e.type,
      outcome: e.outcome ?? 'success',
      actorUserId: ctx.actor.userId,
      actor: JSON.stringify(ctx.actor),
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
    rows.push({ ...row, hash });
  }
  await tx.insertInto('auditEvents').values(rows).execute();
  await tx.updateTable('auditHead').set({ seq, hash }).where('id', '=', 1).execute();
  return { seq, hash };
}

export class AuditLog {
  private readonly db: Kysely<DB>;
  private readonly dialect: DialectName;
  readonly anchor: AuditAnchor | null;
  constructor(db: Kysely<DB>, dialect: DialectName, anchor: AuditAnchor | null = null) {
    this.db = db;
    this.dialect = dialect;
    this.anchor = anchor;
  }

  /** Call after the transaction that appended `head` has committed. */
  anchorHead(head: ChainHead | null): void {
    if (head && this.anchor) this.anchor.record(head);
  }

  /**
   * Durably appends read (and denial) events; resolves only after the commit, so a caller
   * that awaits it never shows data whose access was not logged.
   */
  async recordReads(ctx: AuditContext, events: AuditEventInput[]): Promise<void> {
    if (events.length === 0) return;
    const head = await this.db.transaction().execute((tx) => recordAudit(tx, this.dialect, ctx, events));
    this.anchorHead(head);
  }
}
