/**
 * Opens the one database a municipality lives in: an embedded SQLite file (the default)
 * or PostgreSQL ≥ 15 from a postgres:// URL. Both go through the same Kysely code path.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  CamelCasePlugin,
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import { isPostgresUrl } from './location.ts';
import { namedStatements } from './prepared.ts';
import type { DB } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Database_ {
  db: Kysely<DB>;
  dialect: DialectName;
  /** The location as given (file path or URL), for messages. */
  location: string;
  close(): Promise<void>;
}
export type { Database_ as KasaneDatabase };

export const DEFAULT_DB_PATH = './data/kasane.sqlite';

export { isPostgresUrl };

// pg returns int8 (count(*)) as a string by default; counts here are small, so parse them.
pg.types.setTypeParser(20, (v: string) => Number.parseInt(v, 10));

export function openDatabase(location: string): Database_ {
  if (isPostgresUrl(location)) {
    const pool = new pg.Pool({ connectionString: location, max: 10 });
    pool.on('connect', nameKnownStatements);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
    return { db, dialect: 'postgres', location, close: () => db.destroy() };
  }
  mkdirSync(dirname(location), { recursive: true });
  const sqlite = new Database(location);
  // WAL lets readers run beside the writer; FULL sync makes an acknowledged commit survive power loss.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }), plugins: [new CamelCasePlugin()] });
  return { db, dialect: 'sqlite', location, close: () => db.destroy() };
}

/**
 * Runs the fixed SQL of prepared queries (src/db/prepared.ts) as named statements on this
 * connection: PostgreSQL parses and plans each once per connection, not on every run (the
 * reads of every request are these statements; issue 6).
 */
function nameKnownStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (text: unknown, values?: unknown) => Promise<unknown>;
  client.query = ((text: unknown, values?: unknown) => {
    const name = typeof text === 'string' ? namedStatements.get(text) : undefined;
    return name ? query({ name, text, values }) : query(text, values);
  }) as typeof client.query;
}

/**
 * Write transactions take SQLite's write lock when they begin (BEGIN IMMEDIATE). The audit
 * writer appends read events on a connection of its own (appendWorker.ts); a deferred
 * transaction that read first and wrote after that connection committed could not upgrade
 * its snapshot (SQLITE_BUSY_SNAPSHOT, with no waiting). Taking the lock first makes it wait
 * its turn under busy_timeout instead. Read-only transactions (`setAccessMode('read only')`,
 * the backup's snapshot) stay deferred and never hold the write lock.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(settings?.accessMode === 'read only' ? 'begin' : 'begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/** Prepared statements kept per SQL text (at most this many, the oldest dropped first). */
const STATEMENT_CACHE = 500;
/**
 * Longer SQL is prepared each time: multi-row INSERTs (a batch of audit rows, a household's
 * members) come in every row count, each a large program of its own; cached, they held
 * hundreds of MiB (issue 6, peak RSS).
 */
const CACHED_SQL_MAX = 2000;

/**
 * Kysely prepares every statement anew on each execution; compiling the SQL is a good part of
 * a small query's cost on SQLite, so the statements are kept and reused (issue 6). A statement
 * being iterated (streamed) cannot run another query at the same time, so streams always
 * get a fresh one.
 */
function withStatementCache(sqlite: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      if (sql.length > CACHED_SQL_MAX) return sqlite.prepare(sql);
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      const cached = stmt;
      return {
        reader: cached.reader,
        all: (parameters: readonly unknown[]) => cached.all(parameters),
        run: (parameters: readonly unknown[]) => cached.run(parameters),
        iterate: (parameters: readonly unknown[]) => sqlite.prepare(sql).iterate(parameters),
      };
    },
  };
}
