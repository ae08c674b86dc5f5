/**
 * A real Kasane server on a fresh database, listening on 127.0.0.1 on a free port, driven
 * with fetch. `startServer('sqlite')` uses a new file in a temp directory; `'postgres'` a new
 * database on the run's embedded PostgreSQL (test/globalSetup.ts). Pass `{ location }` to
 * start another server on an existing database (a restart).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { AuditAnchor, anchorFor } from '../../src/audit/anchor.ts';
import { WorkerAppender } from '../../src/audit/appender.ts';
import { AuditLog } from '../../src/audit/writer.ts';
import { createMunicipality } from '../../src/commands/municipalityCreator.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { buildApp } from '../../src/http/app.ts';
import type { Services } from '../../src/services.ts';

export type DbKind = 'sqlite' | 'postgres';
export const KINDS: DbKind[] = ['sqlite', 'postgres'];

export const ADMIN_LOGIN = 'admin';
export const ADMIN_PASSWORD = 'admin-password-123';

export interface Res<T = any> {
  status: number;
  json: T;
  text: string;
  headers: Headers;
}

export interface TestServer {
  kind: DbKind;
  /** http://127.0.0.1:PORT */
  url: string;
  /** The database location (SQLite path or postgres:// URL), for a restart or raw SQL. */
  location: string;
  services: Services;
  app: FastifyInstance;
  /** The first administrator's bearer token and id. */
  admin: { id: string; token: string; loginId: string; organizationId: string };
  /**
   * One HTTP request. `token` is a bearer token (or null for none); `path` is under /api/v1
   * unless it starts with /api/. An object body is sent as JSON; a string body as-is
   * (with content-type application/json unless `headers` says otherwise).
   */
  call<T = any>(token: string | null, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Res<T>>;
  /** Closes the server and the database; deletes a temp SQLite file unless keepDatabase. */
  stop(opts?: { keepDatabase?: boolean }): Promise<void>;
}

/** A fresh, empty database location of the given kind. */
export async function freshLocation(kind: DbKind): Promise<{ location: string; cleanup: () => void }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'kasane-test-'));
    return { location: join(dir, 'kasane.sqlite'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = inject('pgBaseUrl');
  const name = `kasane_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return { location: `${base}/${name}`, cleanup: () => undefined };
}

/**
 * The external audit anchor, as production has it: beside a SQLite file (like the CLI), and
 * for PostgreSQL a per-database file in the temp directory (production names it with
 * KASANE_AUDIT_ANCHOR, which is process-wide and so unusable for many databases at once).
 * Kept per location so that a restarted server checks the same anchor.
 */
const pgAnchors = new Map<string, AuditAnchor>();
function anchorOf(location: string): AuditAnchor | null {
  if (!location.startsWith('postgres')) return anchorFor(location, { create: true });
  let anchor = pgAnchors.get(location);
  if (!anchor) {
    anchor = new AuditAnchor(join(mkdtempSync(join(tmpdir(), 'kasane-anchor-')), 'audit-anchor'), randomBytes(32));
    pgAnchors.set(location, anchor);
  }
  return anchor;
}

export async function startServer(kind: DbKind, opts: { location?: string; municipality?: string } = {}): Promise<TestServer> {
  let location = opts.location;
  let cleanup = () => {};
  if (!location) {
    const fresh = await freshLocation(kind);
    location = fresh.location;
    cleanup = fresh.cleanup;
  }
  if (kind === 'postgres' && !opts.location) {
    const loc = location;
    cleanup = () => {
      const anchor = pgAnchors.get(loc);
      if (anchor) rmSync(dirname(anchor.path), { recursive: true, force: true });
      pgAnchors.delete(loc);
    };
  }
  const database = openDatabase(location);
  const anchor = anchorOf(location);
  // As `kasane serve` runs it: a SQLite file's read events are appended on the worker thread.
  const appender = kind === 'sqlite' ? WorkerAppender.forSqlite(location, anchor) : undefined;
  const services: Services = { database, db: database.db, dialect: database.dialect, audit: new AuditLog(database.db, database.dialect, anchor, { appender }) };
  if (opts.location) await migrateToLatest(database.db, database.dialect);
  else await createMunicipality(services, { name: opts.municipality ?? 'テスト市', adminLogin: ADMIN_LOGIN, adminPassword: ADMIN_PASSWORD });
  const app = await buildApp(services);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const url = address.replace('localhost', '127.0.0.1');

  async function call<T = any>(token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const h: Record<string, string> = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
    }
    const full = path.startsWith('/api/') ? path : `/api/v1${path}`;
    const res = await fetch(`${url}${full}`, { method, headers: h, body: payload });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, text, headers: res.headers };
  }

  const tok = await call(null, 'POST', '/auth/token', { loginId: ADMIN_LOGIN, password: ADMIN_PASSWORD });
  if (tok.status !== 200) throw new Error(`admin token: ${tok.status} ${tok.text}`);
  const me = await call(tok.json.token, 'GET', '/me');

  let stopped = false;
  return {
    kind,
    url,
    location,
    services,
    app,
    admin: { id: me.json.id, token: tok.json.token, loginId: ADMIN_LOGIN, organizationId: me.json.organizationId },
    call,
    async stop(o: { keepDatabase?: boolean } = {}) {
      if (stopped) return;
      stopped = true;
      await app.close();
      await services.audit.close();
      await database.close();
      if (!o.keepDatabase) cleanup();
    },
  };
}

/** Fails with the response text when the status is not the expected one. */
export function expectStatus<T>(res: Res<T>, status: number, what = ''): Res<T> {
  if (res.status !== status) throw new Error(`${what} expected HTTP ${status}, got ${res.status}: ${res.text.slice(0, 800)}`);
  return res;
}
