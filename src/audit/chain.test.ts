import { describe, expect, it } from 'vitest';
import type { AuditEventRow } from '../db/schema.ts';
import { GENESIS_HASH, hashAuditRow } from './chain.ts';

const row: Omit<AuditEventRow, 'hash' | 'mac'> = {
  seq: 1,
  id: 'a1',
  at: '2025-04-01T00:00:00.000Z',
  type: 'PERSON_VIEWED',
  outcome: 'success',
  actorUserId: 'u1',
  actor: '{"userId":"u1"}',
  requestId: 'r1',
  ip: '127.0.0.1',
  personId: 'p1',
  caseId: null,
  subjectType: 'person',
  subjectId: 'p1',
  basis: '[{"ground":"own_work"}]',
  payload: '{}',
  prevHash: GENESIS_HASH,
};

describe('hashAuditRow', () => {
  it('is a deterministic SHA-256 hex digest', () => {
    expect(hashAuditRow(row)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashAuditRow({ ...row })).toBe(hashAuditRow(row));
  });

  it('does not depend on the order of the object keys', () => {
    const reversed = Object.fromEntries(Object.entries(row).reverse()) as typeof row;
    expect(hashAuditRow(reversed)).toBe(hashAuditRow(row));
  });

  it.each(Object.keys(row) as (keyof typeof row)[])('changes when %s changes', (key) => {
    const changed = { ...row, [key]: key === 'seq' ? 2 : `${String(row[key])}x` };
    expect(hashAuditRow(changed)).not.toBe(hashAuditRow(row));
  });

  it('tells null from the string "null" and from an empty string', () => {
    expect(hashAuditRow({ ...row, caseId: 'null' })).not.toBe(hashAuditRow(row));
    expect(hashAuditRow({ ...row, caseId: '' })).not.toBe(hashAuditRow(row));
  });
});
