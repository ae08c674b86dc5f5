/**
 * Consistent online backup and restore, the same for both dialects: every table is read
 * inside one snapshot transaction (WAL on SQLite, REPEATABLE READ on PostgreSQL) while
 * writers go on, streamed as gzip-compressed JSON lines, optionally encrypted with
 * AES-256-GCM under a key kept outside the file. A backup taken from SQLite restores into
 * PostgreSQL and back; the logical digest of every table proves the copy equal.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, fstatSync, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { PassThrough, pipeline as pipelineCb, type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Kysely, Transaction } from 'kysely';
import type { AuditAnchor } from '../audit/anchor.ts';
import type { KasaneDatabase } from './connect.ts';
import { migrateToLatest } from './migrate.ts';
import type { DB } from './schema.ts';

/** In foreign-key order, each with its key columns. Sessions are secrets of the running
 * instance and are not copied. */
export const BACKUP_TABLES: readonly [keyof DB, string[]][] = [
  ['municipality', ['id']],
  ['organizations', ['id']],
  ['users', ['id']],
  ['loginThrottle', ['throttleKey']],
  ['persons', ['id']],
  ['personSearchKeys', ['key', 'personId']],
  ['households', ['id']],
  ['householdMembers', ['householdId', 'personId']],
  ['cases', ['id']],
  ['caseProblems', ['id']],
  ['caseTeam', ['caseId', 'organizationId']],
  ['caseStatusChanges', ['id']],
  ['consents', ['id']],
  ['consentOrganizations', ['consentId', 'organizationId']],
  ['records', ['id']],
  ['breakGlassGrants', ['id']],
  ['notifications', ['id']],
  ['meetings', ['id']],
  ['meetingMembers', ['meetingId', 'userId']],
  ['meetingCases', ['meetingId', 'caseId']],
  ['meetingMaterials', ['id']],
  ['meetingCaseExclusions', ['meetingId', 'caseId', 'userId']],
  ['tasks', ['id']],
  ['informationRequests', ['id']],
  ['honoraria', ['id']],
  ['conveningRequests', ['id']],
  ['assessments', ['id']],
  ['plans', ['id']],
  ['planActions', ['planId', 'actionKey']],
  ['monitoringEntries', ['id']],
  ['advisorProfiles', ['userId']],
  ['adviceRequests', ['id']],
  ['terminations', ['id']],
  ['auditEvents', ['seq']],
  ['auditHead', ['id']],
];

const FORMAT = 'kasane-backup';
const MAGIC = Buffer.from('KSNENC1\n');
const PAGE = 2000;

/** Canonical JSON (sorted keys, numbers as numbers) so both dialects hash a row alike. */
function canonical(row: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(row)
      // An audit row's MAC is the seal of one instance (its key never leaves it), not content:
      // a restore seals the rows again under the new instance's key.
      .filter((k) => k !== 'mac')
      .sort()
      .map((k) => [k, typeof row[k] === 'bigint' ? Number(row[k]) : row[k]]),
  );
}

async function* tableRows(trx: Kysely<DB> | Transaction<DB>, table: keyof DB, keys: string[]) {
  let offset = 0;
  for (;;) {
    let q = trx.selectFrom(table).selectAll();
    for (const k of keys) q = q.orderBy(k as never);
    const rows = (await q.limit(PAGE).offset(offset).execute()) as Record<string, unknown>[];
    for (const row of rows) yield row;
    offset += rows.length;
    if (rows.length < PAGE) return;
  }
}

/** The logical digest of every table: equal digests mean equal contents, whatever the dialect. */
export async function databaseDigest(db: Kysely<DB> | Transaction<DB>): Promise<{ digest: string; tables: Record<string, string> }> {
  const tables: Record<string, string> = {};
  const all = createHash('sha256');
  for (const [table, keys] of BACKUP_TABLES) {
    const h = createHash('sha256');
    for await (const row of tableRows(db, table, keys)) h.update(`${canonical(row)}\n`);
    tables[table] = h.digest('hex');
    all.update(`${table}:${tables[table]}\n`);
  }
  return { digest: all.digest('hex'), tables };
}

/** The backup key: 32 bytes, given as 64 hex characters (KASANE_BACKUP_KEY or a key file). */
export function parseBackupKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'hex');
  if (key.length !== 32) throw new Error('a backup key is 32 bytes written as 64 hexadecimal characters');
  return key;
}

export interface BackupResult {
  rows: number;
  digest: string;
  encrypted: boolean;
}

export async function backupDatabase(database: KasaneDatabase, outFile: string, key?: Buffer): Promise<BackupResult> {
  const lines = new PassThrough();
  const gzip = createGzip();
  const out = createWriteStream(outFile, { mode: 0o600 });
  let cipherDone: Promise<void>;
  if (key) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    out.write(Buffer.concat([MAGIC, iv]));
    cipherDone = pipeline(lines, gzip, cipher, out, { end: false }).then(
      () =>
        new Promise<void>((resolve, reject) => {
          // GCM's tag comes last, after the ciphertext.
          out.end(cipher.getAuthTag(), () => resolve());
          out.once('error', reject);
        }),
    );
  } else {
    cipherDone = pipeline(lines, gzip, out);
  }
  let rows = 0;
  const all = createHash('sha256');
  // A read-only snapshot: on SQLite a deferred transaction that never takes the write lock,
  // so the serving process keeps writing while the backup reads.
  let tx = database.db.transaction().setAccessMode('read only');
  if (database.dialect === 'postgres') tx = tx.setIsolationLevel('repeatable read');
  await tx.execute(async (trx) => {
    lines.write(`${JSON.stringify({ format: FORMAT, version: 1, createdAt: new Date().toISOString(), tables: BACKUP_TABLES.map(([t]) => t) })}\n`);
    for (const [table, keys] of BACKUP_TABLES) {
      const h = createHash('sha256');
      for await (const row of tableRows(trx, table, keys)) {
        h.update(`${canonical(row)}\n`);
        rows += 1;
        if (!lines.write(`${JSON.stringify({ t: table, r: row })}\n`)) await new Promise((r) => lines.once('drain', r));
      }
      all.update(`${table}:${h.digest('hex')}\n`);
    }
  });
  const digest = all.digest('hex');
  lines.end(`${JSON.stringify({ end: true, rows, digest })}\n`);
  await cipherDone;
  return { rows, digest, encrypted: Boolean(key) };
}

function isEncrypted(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    readSync(fd, head, 0, MAGIC.length, 0);
    return head.equals(MAGIC);
  } finally {
    closeSync(fd);
  }
}

/** Where the ciphertext of an encrypted backup lies, and its GCM nonce and tag. */
function encryptedLayout(file: string) {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < MAGIC.length + 12 + 16) throw new Error('the backup file is cut short (no room for its nonce and tag)');
    const iv = Buffer.alloc(12);
    const tag = Buffer.alloc(16);
    readSync(fd, iv, 0, 12, MAGIC.length);
    readSync(fd, tag, 0, 16, size - 16);
    return { iv, tag, start: MAGIC.length + 12, end: size - 17 };
  } finally {
    closeSync(fd);
  }
}

const UNDECRYPTABLE = 'the backup cannot be decrypted: the key is wrong, or the file was altered or cut short';

/**
 * Checks the GCM tag over the whole file before any of it is used: with a wrong key or an
 * altered file, restore stops here, before the target database is touched.
 */
async function authenticateBackup(file: string, key: Buffer): Promise<void> {
  const { iv, tag, start, end } = encryptedLayout(file);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  const discard = new Writable({ write: (_chunk, _enc, done) => done() });
  try {
    await pipeline(createReadStream(file, { start, end }), decipher, discard);
  } catch {
    throw new Error(UNDECRYPTABLE);
  }
}

/**
 * The plaintext stream of a backup file. The streams are joined with pipeline, so a failure
 * anywhere (decryption, gzip check) reaches the reader as an error instead of leaving it
 * waiting or crashing the process.
 */
async function openBackup(file: string, key?: Buffer): Promise<Readable> {
  const damaged = (err: Error | null) => err && new Error(`the backup file is damaged or altered (${err.message})`);
  if (!isEncrypted(file)) {
    const gunzip = createGunzip();
    pipelineCb(createReadStream(file), gunzip, () => undefined);
    return wrapErrors(gunzip, damaged);
  }
  if (!key) throw new Error('this backup is encrypted: give its key (KASANE_BACKUP_KEY or --key-file)');
  await authenticateBackup(file, key);
  const { iv, tag, start, end } = encryptedLayout(file);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  const gunzip = createGunzip();
  pipelineCb(createReadStream(file, { start, end }), decipher, gunzip, () => undefined);
  return wrapErrors(gunzip, damaged);
}

/** Passes the data of `source` on, turning its errors into one readable message. */
function wrapErrors(source: Readable, message: (err: Error | null) => Error | null): Readable {
  const out = new PassThrough();
  source.on('error', (err) => out.destroy(message(err) ?? err));
  source.pipe(out);
  return out;
}

/**
 * Restores a backup into a database that holds no municipality yet. Everything happens in one
 * transaction, the digest check included: a backup that is damaged, altered or cut short
 * leaves no rows behind.
 */
export async function restoreDatabase(database: KasaneDatabase, fromFile: string, key?: Buffer, anchor: AuditAnchor | null = null): Promise<BackupResult> {
  const input = await openBackup(fromFile, key);
  await migrateToLatest(database.db, database.dialect);
  let rl = null as ReturnType<typeof createInterface> | null;
  let rows = 0;
  let trailer: { digest?: string } | null = null;
  let header: { format?: string } | null = null;
  let digest = '';
  try {
    await database.db.transaction().execute(async (trx) => {
      if (await trx.selectFrom('municipality').select('id').executeTakeFirst()) {
        throw new Error('the database already holds a municipality; restore into a fresh database');
      }
      // The fresh schema starts its chain head at zero; the backup's head replaces it.
      await trx.deleteFrom('auditHead').execute();
      const batch: { table: keyof DB | null; rows: unknown[] } = { table: null, rows: [] };
      const flush = async () => {
        if (batch.table && batch.rows.length)
          await trx
            .insertInto(batch.table)
            .values(batch.rows as never)
            .execute();
        batch.rows = [];
      };
      // The reader starts right where the lines are consumed: lines that a readline interface
      // emits before its iterator exists are lost (on PostgreSQL the awaits above take long
      // enough for the whole file to stream past).
      rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
      for await (const line of rl) {
        if (!line) continue;
        let obj: { t?: keyof DB; r?: unknown; end?: boolean; digest?: string; format?: string };
        try {
          obj = JSON.parse(line);
        } catch {
          throw new Error('the backup file is damaged or altered (a line is not JSON)');
        }
        if (!header) {
          header = obj;
          if (header?.format !== FORMAT) throw new Error('not a Kasane backup file');
          continue;
        }
        if (obj.end) {
          trailer = obj;
          continue;
        }
        if (!obj.t || !BACKUP_TABLES.some(([t]) => t === obj.t)) throw new Error('the backup file is damaged or altered (unknown table)');
        if (obj.t !== batch.table || batch.rows.length >= 200) {
          await flush();
          batch.table = obj.t;
        }
        // Audit rows are sealed again under this instance's anchor key (the source's key stays
        // with the source); the digest below proves their content unchanged.
        batch.rows.push(
          obj.t === 'auditEvents'
            ? { ...(obj.r as Record<string, unknown>), mac: anchor ? anchor.rowMac(String((obj.r as { hash: string }).hash)) : null }
            : obj.r,
        );
        rows += 1;
      }
      await flush();
      // A backup cut short (or altered) must not become a database.
      if (!trailer) throw new Error('the backup file is incomplete (no end marker)');
      // Checked before the commit, so contents that differ from the backup are never kept.
      digest = (await databaseDigest(trx)).digest;
      const expected = (trailer as { digest?: string }).digest;
      if (expected !== digest) throw new Error(`restored contents differ from the backup (digest ${digest} ≠ ${expected})`);
    });
  } finally {
    rl?.close();
    input.destroy();
  }
  return { rows, digest, encrypted: isEncrypted(fromFile) };
}
