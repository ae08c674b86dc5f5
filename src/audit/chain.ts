/**
 * The SHA-256 hash chain over audit rows. Each row's hash covers every stored column and the
 * previous row's hash, so editing, deleting, swapping or inserting a row breaks the chain
 * from that row on.
 */
import { hash } from 'node:crypto';
import type { AuditEventRow } from '../db/schema.ts';

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
