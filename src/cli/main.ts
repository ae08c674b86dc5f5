/**
 * The kasane command (api.md): init, serve, migrate, demo, audit verify, backup, restore.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { anchorFor } from '../audit/anchor.ts';
import { WorkerAppender } from '../audit/appender.ts';
import { verifyAuditChain } from '../audit/verify.ts';
import { AuditLog } from '../audit/writer.ts';
import { createMunicipality, hasMunicipality, MunicipalityExistsError } from '../commands/municipalityCreator.ts';
import { backupDatabase, parseBackupKey, restoreDatabase } from '../db/backup.ts';
import { DEFAULT_DB_PATH, isPostgresUrl, type KasaneDatabase, openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { loadDemo } from '../demo/loadDemo.ts';
import { buildApp } from '../http/app.ts';
import type { Services } from '../services.ts';

const USAGE = `kasane — 重層的支援体制整備事業のための情報共有基盤

  kasane init --db DB --municipality NAME --admin-login LOGIN --admin-password PW
  kasane serve [--db DB] [--host 127.0.0.1] [--port 8080]
  kasane migrate --db DB
  kasane demo --db DB
  kasane audit verify --db DB
  kasane backup --db DB --out FILE [--key-file KEY]
  kasane restore --db DB --from FILE [--key-file KEY]

DB is a SQLite file path (default ${DEFAULT_DB_PATH}) or a postgres:// URL.
KASANE_DB, KASANE_HOST and KASANE_PORT stand in for the flags; KASANE_BACKUP_KEY (64 hex
characters) encrypts backups with AES-256-GCM like --key-file. KASANE_AUDIT_GROUP_COMMIT=0
commits each request's read events in a transaction of its own (for measuring; see
docs/PERFORMANCE.md).`;

function fail(message: string, code = 2): never {
  process.stderr.write(`kasane: ${message}\n`);
  process.exit(code);
}

function options(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      municipality: { type: 'string' },
      'admin-login': { type: 'string' },
      'admin-password': { type: 'string' },
      'key-file': { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  return { values, positionals };
}

/** A database that exists already: a SQLite file on disk, or any PostgreSQL URL. */
function databaseExists(location: string): boolean {
  return isPostgresUrl(location) || existsSync(location);
}

function services(database: KasaneDatabase): Services {
  const anchor = anchorFor(database.location, { create: true });
  // KASANE_AUDIT_GROUP_COMMIT=0: one transaction per request's read events (for measuring; docs/PERFORMANCE.md).
  const groupCommit = process.env.KASANE_AUDIT_GROUP_COMMIT !== '0';
  // A SQLite file's read events are appended (and fsync'd) on a worker thread: src/audit/appender.ts
  // (KASANE_AUDIT_APPEND_WORKER=0 appends on the main thread, for measuring).
  const inWorker = database.dialect === 'sqlite' && database.location !== ':memory:' && process.env.KASANE_AUDIT_APPEND_WORKER !== '0';
  const appender = inWorker ? WorkerAppender.forSqlite(database.location, anchor) : undefined;
  return { database, db: database.db, dialect: database.dialect, audit: new AuditLog(database.db, database.dialect, anchor, { groupCommit, appender }) };
}

/** The backup key from --key-file or KASANE_BACKUP_KEY; none means an unencrypted backup. */
function backupKey(keyFile: string | undefined): Buffer | undefined {
  const text = keyFile ? readFileSync(keyFile, 'utf8') : process.env.KASANE_BACKUP_KEY;
  return text ? parseBackupKey(text) : undefined;
}

function printDemoLogins(logins: { loginId: string; password: string; who: string }[]) {
  console.log('デモ用のログイン (demo logins):');
  for (const l of logins) console.log(`  ${l.loginId.padEnd(12)} ${l.password}  ${l.who}`);
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return;
  }
  const { values, positionals } = options(rest);
  const dbGiven = values.db ?? process.env.KASANE_DB;
  const location = dbGiven ?? DEFAULT_DB_PATH;

  switch (command) {
    case 'init': {
      if (!dbGiven) fail('init needs --db');
      const name = values.municipality;
      const login = values['admin-login'];
      const password = values['admin-password'];
      if (!name || !login || !password) fail('init needs --municipality, --admin-login and --admin-password');
      if (password.length < 12) fail('the administrator password needs at least 12 characters');
      if (!isPostgresUrl(location) && existsSync(location)) fail(`${location} exists already; init never touches an existing database`);
      const database = openDatabase(location);
      try {
        await createMunicipality(services(database), { name, adminLogin: login, adminPassword: password });
        console.log(`created ${name} in ${location}; administrator: ${login}`);
      } catch (e) {
        if (e instanceof MunicipalityExistsError) fail(`${location} already holds a municipality; init never touches an existing database`);
        throw e;
      } finally {
        await database.close();
      }
      return;
    }
    case 'migrate': {
      const database = openDatabase(location);
      const applied = await migrateToLatest(database.db, database.dialect);
      await database.close();
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the schema is current');
      return;
    }
    case 'demo': {
      if (!dbGiven) fail('demo needs --db');
      if (!isPostgresUrl(location) && existsSync(location)) fail(`${location} exists already; demo makes a fresh database`);
      const database = openDatabase(location);
      if (await hasMunicipality(database)) fail(`${location} already holds a municipality`);
      const logins = await loadDemo(services(database));
      await database.close();
      console.log(`demo municipality created in ${location}`);
      printDemoLogins(logins);
      return;
    }
    case 'audit': {
      if (positionals[0] !== 'verify') fail('usage: kasane audit verify --db DB');
      if (!databaseExists(location)) fail(`${location} does not exist`);
      const database = openDatabase(location);
      // The location lets a long chain be checked by worker threads, each on a connection of its own.
      const result = await verifyAuditChain(database.db, anchorFor(location, { create: false }), { location });
      await database.close();
      if (result.ok) {
        console.log(`audit chain intact: ${result.entries} entries (anchor: ${result.anchor})`);
        return;
      }
      console.log(`audit chain BROKEN at entry ${result.firstBrokenId ?? '(end of chain)'} (seq ${result.firstBrokenSeq ?? '-'}): ${result.problem}`);
      console.log(JSON.stringify(result));
      process.exitCode = 1;
      return;
    }
    case 'backup': {
      if (!values.out) fail('backup needs --out FILE');
      if (!databaseExists(location)) fail(`${location} does not exist`);
      const database = openDatabase(location);
      const result = await backupDatabase(database, values.out, backupKey(values['key-file']));
      await database.close();
      console.log(`backup written to ${values.out}: ${result.rows} rows, digest ${result.digest}${result.encrypted ? ', encrypted (AES-256-GCM)' : ''}`);
      return;
    }
    case 'restore': {
      if (!values.from) fail('restore needs --from FILE');
      if (!existsSync(values.from)) fail(`${values.from} does not exist`);
      const database = openDatabase(location);
      if (await hasMunicipality(database)) fail(`${location} already holds a municipality; restore into a fresh database`);
      // The restored chain gets an anchor (and row seals) of its own, beside the new database.
      const anchor = anchorFor(location, { create: true });
      const result = await restoreDatabase(database, values.from, backupKey(values['key-file']), anchor);
      anchor?.startNewChain();
      const head = await database.db.selectFrom('auditHead').select(['seq', 'hash']).executeTakeFirst();
      if (anchor && head && head.seq > 0) anchor.record({ seq: Number(head.seq), hash: head.hash });
      const check = await verifyAuditChain(database.db, anchor);
      await database.close();
      console.log(`restored ${result.rows} rows into ${location}, digest ${result.digest}; audit chain ${check.ok ? 'intact' : 'BROKEN'}`);
      if (!check.ok) process.exitCode = 1;
      return;
    }
    case 'serve':
      return serve(location, !dbGiven, values.host ?? process.env.KASANE_HOST ?? '127.0.0.1', values.port ?? process.env.KASANE_PORT ?? '8080');
    default:
      fail(`unknown command ${command}\n\n${USAGE}`);
  }
}

async function serve(location: string, implicitDb: boolean, host: string, portText: string) {
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port ${portText}`);
  const firstRun = !isPostgresUrl(location) && !existsSync(location);
  const database = openDatabase(location);
  let demoLogins: { loginId: string; password: string; who: string }[] | null = null;
  if (firstRun) {
    // Only the implicit default database may be filled with the demo, never in production.
    if (!implicitDb || process.env.NODE_ENV === 'production') {
      await database.close();
      fail(`${location} does not exist. Create it with: kasane init --db ${location} --municipality NAME --admin-login LOGIN --admin-password PW`);
    }
  }
  const served = services(database);
  if (firstRun) demoLogins = await loadDemo(served);
  else await migrateToLatest(database.db, database.dialect);
  const app = await buildApp(served, { logger: process.env.KASANE_LOG === '1' });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    await app.close();
    await served.audit.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  const address = await app.listen({ host, port });
  if (demoLogins) {
    console.log(`デモ自治体を作成しました (demo municipality created): ${location}`);
    printDemoLogins(demoLogins);
  }
  console.log(`Kasane is serving at ${address.replace('0.0.0.0', '127.0.0.1')}/ (API: ${address}/api/v1/health)`);
}
