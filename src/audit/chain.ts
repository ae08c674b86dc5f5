/**
 * The SHA-256 hash chain over audit rows. Each row's hash covers every stored column and the
 * previous row's hash, so editing, deleting, swapping or inserting a row breaks the chain
 * from that row on.
 */
import { hash } from 'node:crypto';
import type { AuditEventRow } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { ChainHead } from './anchor.ts';
import type { AuditEntry } from './writer.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** Fixed field order: the canonical form must never depend on object key order. */
const HASHED_FIELDS = [
  'seq',
  'id',
  'at',
  'type',
  'outcome',
  'actorUserId',
  'actor',
  'requestId',
  'ip',
  'personId',
  'caseId',
  'subjectType',
  'subjectId',
  'basis',
  'payload',
  'prevHash',
] as const satisfies readonly (keyof AuditEventRow)[];

export function hashAuditRow(row: Omit<AuditEventRow, 'hash' | 'mac'>): string {
  return hashAuditValues(HASHED_FIELDS.map((f) => row[f] ?? null));
}

/** The hash of the HASHED_FIELDS values, in that order (the verifier reads them so, unmapped). */
export function hashAuditValues(values: unknown[]): string {
  return hash('sha256', JSON.stringify(values), 'hex');
}

/** The stored column of each hashed field, in the same order (snake_case, as in SQL). */
export const HASHED_COLUMNS = HASHED_FIELDS.map((f) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

/** Rows per INSERT on PostgreSQL: 18 columns stay well under its 65,535 bound parameters. */
export const ROWS_PER_INSERT = 1000;

/** Every stored column in order: the hashed ones, then the hash and the row MAC. */
const INSERT_COLUMNS = [...HASHED_COLUMNS, 'hash', 'mac'].join(', ');

/**
 * The INSERT of `rows` audit rows, written out once per row count: building it through the
 * query builder renamed and compiled every value of every row on each append (issue 6).
 */
export function auditInsertSql(dialect: 'sqlite' | 'postgres', rows: number): string {
  const width = HASHED_COLUMNS.length + 2;
  const tuples = Array.from({ length: rows }, (_, r) => {
    const marks = Array.from({ length: width }, (_, c) => (dialect === 'postgres' ? `$${r * width + c + 1}` : '?'));
    return `(${marks.join(', ')})`;
  });
  return `INSERT INTO audit_events (${INSERT_COLUMNS}) VALUES ${tuples.join(', ')}`;
}
export const AUDIT_INSERT_ONE_SQLITE = auditInsertSql('sqlite', 1);

/**
 * The rows that append `entries` to the chain after `head`, in the order of the INSERT's
 * columns (HASHED_COLUMNS, then hash and MAC): what the hash covers is exactly what is stored.
 */
export function chainRows(
  head: ChainHead,
  entries: readonly AuditEntry[],
  at: string,
  rowMac: ((hash: string) => string) | null,
): { rows: unknown[][]; head: ChainHead } {
  let seq = Number(head.seq);
  let hash = head.hash;
  const rows: unknown[][] = [];
  for (const { ctx, events } of entries) {
    const actor = JSON.stringify(ctx.actor);
    for (const e of events) {
      seq += 1;
      const values: unknown[] = [
        seq,
        newId(),
        at,
        e.type,
        e.outcome ?? 'success',
        ctx.actor.userId ?? null,
        actor,
        ctx.requestId ?? null,
        ctx.ip ?? null,
        e.personId ?? null,
        e.caseId ?? null,
        e.subjectType ?? null,
        e.subjectId ?? null,
        JSON.stringify(e.basis ?? []),
        JSON.stringify(e.payload ?? {}),
        hash,
      ];
      hash = hashAuditValues(values);
      values.push(hash, rowMac ? rowMac(hash) : null);
      rows.push(values);
    }
  }
  return { rows, head: { seq, hash } };
}
