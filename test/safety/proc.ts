/**
 * Shared by the safety nets (crash, tamper, backup): the real `kasane` command run as a child
 * process (serve, init, audit verify, backup, restore), a tiny HTTP client, a seeded RNG, and
 * a reader of the anchor of a database.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuditAnchor } from '../../src/audit/anchor.ts';
import { isPostgresUrl } from '../../src/db/connect.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'kasane.mjs');
export const ADMIN = { loginId: 'admin', password: 'admin-password-123' };

/** Environment for a child: the anchor path for PostgreSQL, no audit key from the parent. */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KASANE_LOG: undefined, KASANE_AUDIT_KEY: undefined, KASANE_BACKUP_KEY: undefined, NODE_ENV: 'test' };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `kasane ARGS` to completion. */
export function kasane(args: string[], env: NodeJS.ProcessEnv = childEnv(), timeoutMs = 60_000): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kasane ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** `kasane init` of a fresh database with the standard administrator. */
export async function initDatabase(location: string, env: NodeJS.ProcessEnv, municipality = '安全網市'): Promise<void> {
  const r = await kasane(['init', '--db', location, '--municipality', municipality, '--admin-login', ADMIN.loginId, '--admin-password', ADMIN.password], env);
  if (r.code !== 0) throw new Error(`kasane init failed (${r.code}): ${r.stdout}${r.stderr}`);
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to "serving". */
  startMs: number;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `kasane serve --db LOC --port 0`; resolves once the server listens. */
export function serve(location: string, env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<ServeProcess> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--db', location, '--host', '127.0.0.1', '--port', '0'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kasane serve did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d;
      const m = /Kasane is serving at (http:\/\/[^/\s]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1]!.replace('localhost', '127.0.0.1'),
          startMs: Date.now() - started,
          exited,
          output: () => out,
          async kill(signal: NodeJS.Signals = 'SIGKILL') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            await exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => {
      out += d;
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`kasane serve exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
}

export interface Res {
  status: number;
  json: any;
  text: string;
}

/** One JSON request to /api/v1; network failures (a killed server) reject. */
export async function api(url: string, token: string | null, method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<Res> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

export function expectOk(res: Res, status: number, what: string): Res {
  if (res.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  return res;
}

/** A caseworker of a new organization, with a bearer token (tokens are rows: they survive restarts). */
export async function caseworker(
  url: string,
  adminToken: string,
  tag: string,
): Promise<{ token: string; organizationId: string; userId: string; loginId: string; password: string }> {
  const org = expectOk(await api(url, adminToken, 'POST', '/organizations', { name: `安全網${tag}`, kind: '相談支援機関' }), 201, 'POST /organizations');
  const password = `pw-${tag}-0123456789`;
  const loginId = `cw-${tag}`;
  const user = expectOk(
    await api(url, adminToken, 'POST', '/users', { loginId, displayName: '安全 網子', organizationId: org.json.id, roles: ['caseworker'], password }),
    201,
    'POST /users',
  );
  const tok = expectOk(await api(url, null, 'POST', '/auth/token', { loginId, password }), 200, 'POST /auth/token');
  return { token: tok.json.token, organizationId: org.json.id, userId: user.json.id, loginId, password };
}

export async function adminToken(url: string): Promise<string> {
  return expectOk(await api(url, null, 'POST', '/auth/token', ADMIN), 200, 'admin token').json.token;
}

/** mulberry32: small, fast, good enough to make a failing run repeatable from its seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}
export type Rng = ReturnType<typeof rng>;

/** The seed of a run: KASANE_SEED when given (to replay a failure), else a fresh one. */
export function seedFrom(name: string): number {
  const given = process.env.KASANE_SEED;
  const seed = given ? Number(given) >>> 0 : (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
  console.log(`[${name}] seed ${seed} (replay with KASANE_SEED=${seed})`);
  return seed;
}

export const LONG = process.env.KASANE_LONG_NETS === '1';

/** The anchor of a database as `kasane` finds it: beside a SQLite file, or at KASANE_AUDIT_ANCHOR. */
export function anchorOf(location: string, anchorPath?: string): AuditAnchor | null {
  const path = isPostgresUrl(location) ? anchorPath : `${location}.audit-anchor`;
  if (!path) return null;
  const keyFile = isPostgresUrl(location) ? `${path}.key` : `${location}.audit-key`;
  if (!existsSync(keyFile)) return null;
  return new AuditAnchor(path, Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex'));
}

export function ms(since: number): number {
  return Date.now() - since;
}
