/**
 * The SHA-256 hash chain over audit rows. Each row's hash covers every stored column and the
 * previous row's hash, so editing, deleting, swapping or inserting a row breaks the chain
 * from that row on.
 */
import { createHash } from 'node:crypto';
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
  const canonical = JSON.stringify(HASHED_FIELDS.map((f) => row[f] ?? null));
  return createHash('sha256').update(canonical).digest('hex');
}
