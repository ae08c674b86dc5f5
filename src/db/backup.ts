/**
 * Consistent online backup and restore, the same for both dialects: every table is read
 * inside one snapshot transaction (WAL on SQLite, REPEATABLE READ on PostgreSQL) while
 * writers go on, and written as gzip-compressed JSON lines. A backup taken from SQLite
 * restores into PostgreSQL and back.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { KasaneDatabase } from './connect.ts';
import { migrateToLatest } from './migrate.ts';
import type { DB } from './schema.ts';

/** In foreign-key order. Sessions are secrets of the running instance and are not copied. */
export const BACKUP_TABLES = [
  'municipality', 'organizations', 'users', 'loginThrottle', 'persons', 'households', 'householdMembers',
  'cases', 'caseProblems', 'caseTeam', 'caseStatusChanges', 'consents', 'consentOrganizations', 'records',
  'breakGlassGrants', 'notifications', 'auditEvents', 'auditHead',
] as const satisfies readonly (keyof DB)[];

const HEADER = { format: 'kasane-backup', version: 1 };
const PAGE = 2000;

export async function backupDatabase(database: KasaneDatabase, outFile: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const lines: string[] = [JSON.stringify({ ...HEADER, createdAt: new Date().toISOString(), tables: BACKUP_TABLES })];
  let tx = database.db.transaction();
  if (database.dialect === 'postgres') tx = tx.setIsolationLevel('repeatable read');
  await tx.execute(async (trx) => {
    for (const table of BACKUP_TABLES) {
      counts[table] = 0;
      // A stable order makes pages deterministic and the restore repeatable.
      const key = table === 'auditEvents' ? 'seq' : firstColumn(table);
      let offset = 0;
      for (;;) {
        const q = trx.selectFrom(table as keyof DB).selectAll().orderBy(key as never);
        const rows = await q.limit(PAGE).offset(offset).execute();
        for (const row of rows) lines.push(JSON.stringify({ t: table, r: row }));
        counts[table] += rows.length;
        offset += rows.length;
        if (rows.length < PAGE) break;
      }
    }
  });
  await pipeline(Readable.from(lines.map((l) => `${l}\n`)), createGzip(), createWriteStream(outFile, { mode: 0o600 }));
  return counts;
}

function firstColumn(table: string): string {
  switch (table) {
    case 'householdMembers':
      return 'householdId';
    case 'caseTeam':
      return 'caseId';
    case 'consentOrganizations':
      return 'consentId';
    case 'loginThrottle':
      return 'throttleKey';
    default:
      return 'id';
  }
}

export async function restoreDatabase(database: KasaneDatabase, fromFile: string): Promise<Record<string, number>> {
  await migrateToLatest(database.db, database.dialect);
  const rl = createInterface({ input: createReadStream(fromFile).pipe(createGunzip()), crlfDelay: Number.POSITIVE_INFINITY });
  const counts: Record<string, number> = {};
  let header: { format?: string } | null = null;
  await database.db.transaction().execute(async (trx) => {
    // The fresh schema starts its chain head at zero; the backup's head replaces it.
    await trx.deleteFrom('auditHead').execute();
    let batch: { table: string; rows: unknown[] } = { table: '', rows: [] };
    const flush = async () => {
      if (batch.rows.length) await trx.insertInto(batch.table as keyof DB).values(batch.rows as never).execute();
      batch = { table: batch.table, rows: [] };
    };
    for await (const line of rl) {
      if (!line) continue;
      const obj = JSON.parse(line);
      if (!header) {
        header = obj;
        if (header?.format !== HEADER.format) throw new Error('not a Kasane backup file');
        continue;
      }
      if (obj.t !== batch.table || batch.rows.length >= 200) {
        await flush();
        batch.table = obj.t;
      }
      batch.rows.push(obj.r);
      counts[obj.t] = (counts[obj.t] ?? 0) + 1;
    }
    await flush();
  });
  return counts;
}
