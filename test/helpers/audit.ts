/** Reading the audit trail straight from the database (services.db), for assertions. */
import type { TestServer } from './server.ts';

export interface AuditRow {
  seq: number;
  id: string;
  type: string;
  outcome: string;
  actorUserId: string | null;
  personId: string | null;
  caseId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  basis: any[];
  payload: any;
}

export async function auditHeadSeq(s: TestServer): Promise<number> {
  const row = await s.services.db.selectFrom('auditHead').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.seq);
}

/** Audit rows written after `sinceSeq` (use auditHeadSeq before the request). */
export async function auditSince(s: TestServer, sinceSeq: number): Promise<AuditRow[]> {
  const rows = await s.services.db.selectFrom('auditEvents').selectAll().where('seq', '>', sinceSeq).orderBy('seq').execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    id: r.id,
    type: r.type,
    outcome: r.outcome,
    actorUserId: r.actorUserId,
    personId: r.personId,
    caseId: r.caseId,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    basis: JSON.parse(r.basis),
    payload: JSON.parse(r.payload),
  }));
}

/** Runs `fn` and returns what it returned plus the audit rows it wrote. */
export async function audited<T>(s: TestServer, fn: () => Promise<T>): Promise<{ result: T; events: AuditRow[] }> {
  const before = await auditHeadSeq(s);
  const result = await fn();
  return { result, events: await auditSince(s, before) };
}

/** Row counts of every table: "nothing stored" is counts before == counts after. */
export async function rowCounts(s: Pick<TestServer, 'services'> | { services: { db: TestServer['services']['db'] } }): Promise<Record<string, number>> {
  const tables = [
    'organizations',
    'users',
    'authSessions',
    'loginThrottle',
    'persons',
    'households',
    'householdMembers',
    'cases',
    'caseProblems',
    'caseTeam',
    'caseStatusChanges',
    'consents',
    'consentOrganizations',
    'records',
    'breakGlassGrants',
    'notifications',
    'auditEvents',
  ] as const;
  const out: Record<string, number> = {};
  for (const t of tables) {
    const r = await s.services.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}
