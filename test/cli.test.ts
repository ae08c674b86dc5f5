/**
 * The kasane command (api.md), run as outside scripts run it: `node bin/kasane.mjs …` in a
 * child process, on temp SQLite files (and init/verify on PostgreSQL).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.ts';
import { rowCounts } from './helpers/audit.ts';
import { factories } from './helpers/factories.ts';
import { ADMIN_LOGIN, ADMIN_PASSWORD, freshLocation, startServer } from './helpers/server.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'kasane.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function kasane(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { ...process.env, NODE_ENV: 'test', KASANE_DB: '' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? (err as unknown as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const initArgs = (db: string) => ['init', '--db', db, '--municipality', 'テスト町', '--admin-login', ADMIN_LOGIN, '--admin-password', ADMIN_PASSWORD];

describe('kasane CLI on SQLite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kasane-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('init creates a database; init refuses an existing file; migrate is a no-op on a current schema', async () => {
    const db = join(dir, 'init.sqlite');
    const first = await kasane(...initArgs(db));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('テスト町');
    const again = await kasane(...initArgs(db));
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/exists already|already holds/);
    const weak = await kasane('init', '--db', join(dir, 'weak.sqlite'), '--municipality', 'x', '--admin-login', 'a', '--admin-password', 'short');
    expect(weak.code).not.toBe(0);
    const migrate = await kasane('migrate', '--db', db);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain('current');
    const verify = await kasane('audit', 'verify', '--db', db);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/intact: 2 entries/);
  });

  it('backup → restore into a fresh file gives the same row counts and a verifying chain', async () => {
    const db = join(dir, 'live.sqlite');
    expect((await kasane(...initArgs(db))).code).toBe(0);
    // Fill it through the API, as a running server would.
    const s = await startServer('sqlite', { location: db });
    const f = factories(s);
    const member = await f.user();
    const c = await f.caseWith({ teamOrgIds: [member.organizationId] });
    await f.consent(c.lead, c.persons[0]!.id, [member.organizationId], { includesTaxInfo: true });
    await f.record(c.lead, c.caseId, '記録', 'sensitive', c.persons[0]!.id);
    await s.call(member.token, 'GET', `/cases/${c.caseId}`);
    const before = await rowCounts(s);
    await s.stop({ keepDatabase: true });

    const out = join(dir, 'backup.kasane.gz');
    const backup = await kasane('backup', '--db', db, '--out', out);
    expect(backup.code, backup.stderr).toBe(0);
    const restored = join(dir, 'restored.sqlite');
    const restore = await kasane('restore', '--db', restored, '--from', out);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('intact');
    expect((await kasane('audit', 'verify', '--db', restored)).code).toBe(0);
    // Restoring over a database that holds a municipality is refused.
    const over = await kasane('restore', '--db', db, '--from', out);
    expect(over.code).not.toBe(0);

    const plain = openDatabase(restored);
    const after = await rowCounts({ services: { db: plain.db } });
    await plain.close();
    const s2 = await startServer('sqlite', { location: restored });
    try {
      // Sessions are secrets of the running instance and are deliberately not copied.
      const { authSessions: _a, ...restBefore } = before;
      const { authSessions: _b, ...restAfter } = after;
      expect(restAfter).toEqual(restBefore);
      expect(after.authSessions).toBe(0);
      // The restored database works: the lead signs in again and sees the case.
      const tok = await s2.call(null, 'POST', '/auth/token', { loginId: c.lead.loginId, password: c.lead.password });
      expect(tok.status).toBe(200);
      const view = await s2.call(tok.json.token, 'GET', `/cases/${c.caseId}`);
      expect(view.status).toBe(200);
      expect(view.json.summary).toBe('複合的な課題のある世帯');
    } finally {
      await s2.stop({ keepDatabase: true });
    }
  });

  it('audit verify exits 1 naming the first broken entry after a hand edit (trigger dropped first)', async () => {
    const db = join(dir, 'tamper.sqlite');
    expect((await kasane(...initArgs(db))).code).toBe(0);
    const s = await startServer('sqlite', { location: db });
    const f = factories(s);
    await f.caseWith();
    await s.stop({ keepDatabase: true });
    const raw = new Database(db);
    // The trigger refuses the edit while it exists.
    expect(() => raw.prepare(`UPDATE audit_events SET payload = '{}' WHERE seq = 3`).run()).toThrow(/append-only/);
    raw.exec('DROP TRIGGER audit_events_no_update');
    const victim = raw.prepare('SELECT id FROM audit_events WHERE seq = 3').get() as { id: string };
    raw.prepare(`UPDATE audit_events SET payload = '{"edited":true}' WHERE seq = 3`).run();
    raw.close();
    const verify = await kasane('audit', 'verify', '--db', db);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(victim.id);
    expect(verify.stdout).toMatch(/BROKEN/);
    expect(verify.stdout).toContain('"firstBrokenId"');
  });

  it('serve prints its URL, answers, and stops cleanly on SIGTERM', async () => {
    const db = join(dir, 'serve.sqlite');
    expect((await kasane(...initArgs(db))).code).toBe(0);
    const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--db', db, '--host', '127.0.0.1', '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not start: ${stdout} ${stderr}`)), 30_000);
        child.stdout!.on('data', (d) => {
          stdout += d;
          const m = /serving at (http:\/\/[^\s/]+)/.exec(stdout);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on('exit', () => reject(new Error(`serve exited early: ${stdout} ${stderr}`)));
      });
      const health = await fetch(`${url}/api/v1/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      child.kill('SIGTERM');
      const { code } = await exited;
      expect(code, stderr).toBe(0);
      expect(stdout).toContain('SIGTERM: stopping');
      await expect(fetch(`${url}/api/v1/health`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('serve refuses a --db that does not exist (production databases come from init)', async () => {
    const res = await kasane('serve', '--db', join(dir, 'missing.sqlite'), '--port', '0');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('kasane init');
  });
});

describe('kasane CLI on PostgreSQL', () => {
  it('init creates the municipality, refuses a second init, and audit verify passes', async () => {
    const { location } = await freshLocation('postgres');
    const first = await kasane(...initArgs(location));
    expect(first.code, first.stderr).toBe(0);
    const again = await kasane(...initArgs(location));
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already holds a municipality');
    const migrate = await kasane('migrate', '--db', location);
    expect(migrate.code, migrate.stderr).toBe(0);
    const verify = await kasane('audit', 'verify', '--db', location);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/intact: 2 entries/);
    expect(verify.stdout).not.toContain('postgres:');
  });
});
