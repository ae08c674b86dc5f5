import type { Kysely } from 'kysely';
import type { AuditLog } from './audit/writer.ts';
import type { DialectName, KasaneDatabase } from './db/connect.ts';
import type { DB } from './db/schema.ts';

/** What every route and command needs: the one database, its dialect, and the audit writer. */
export interface Services {
  database: KasaneDatabase;
  db: Kysely<DB>;
  dialect: DialectName;
  audit: AuditLog;
}
