import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { AuditEventInput } from '../audit/events.ts';
import { recordAudit } from '../audit/writer.ts';
import type { DB } from '../db/schema.ts';
import type { Services } from '../services.ts';
import { auditContext } from './context.ts';

/**
 * Runs a write and its audit events in one transaction: if either fails, neither is stored
 * (rule 10: nothing half-written; rule 6: every write is logged).
 */
export async function writeWithAudit<T>(
  services: Services,
  req: FastifyRequest,
  work: (tx: Transaction<DB>) => Promise<{ result: T; events: AuditEventInput[] }>,
): Promise<T> {
  const { result, head } = await services.audit.transaction(async (tx) => {
    const { result, events } = await work(tx);
    const head = await recordAudit(tx, services.dialect, auditContext(req), events, services.audit.anchor);
    return { result, head };
  });
  services.audit.anchorHead(head);
  return result;
}

/** Appends read/denial events durably before the response that shows the data is sent. */
export function auditReads(services: Services, req: FastifyRequest, events: AuditEventInput[]): Promise<void> {
  return services.audit.recordReads(auditContext(req), events);
}
