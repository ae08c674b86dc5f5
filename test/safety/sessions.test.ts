/**
 * T8 — accounts and sessions (issue 3, item 7): the TOTP second factor and the setting that
 * makes it mandatory per role, throttling per account and per address, identical answers
 * for unknown users and wrong passwords, a new session id at sign-in, the 30-minute idle and
 * 12-hour absolute limits (with the server's injectable clock), logout and disable ending
 * sessions at once, CSRF on every state-changing route, and the security headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentStep, totpCode } from '../../src/commands/totp.ts';
import { routeTable } from '../../src/http/app.ts';
import { IDLE_MINUTES, SESSION_HOURS } from '../../src/http/auth.ts';
import { nowMs, setClock } from '../../src/lib/clock.ts';
import { type Factories, factories, uniq } from '../helpers/factories.ts';
import { KINDS, startServer, type TestServer } from '../helpers/server.ts';

const cookieOf = (res: { headers: Headers }) => res.headers.get('set-cookie')!.split(';')[0]!;

describe.each(KINDS)('accounts and sessions (%s)', (kind) => {
  let s: TestServer;
  let f: Factories;
  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
  });
  afterAll(() => s?.stop());

  async function login(loginId: string, password: string, totp?: string) {
    return s.call(null, 'POST', '/auth/login', { loginId, password, ...(totp ? { totp } : {}) });
  }

  it('TOTP: set up, confirm with a code, then sign-in and tokens need the code', async () => {
    const u = await f.user(uniq('totp'), undefined, ['caseworker']);
    const setup = await s.call(u.token, 'POST', '/auth/totp/setup');
    expect(setup.status).toBe(200);
    expect(setup.json.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const wrong = await s.call(u.token, 'POST', '/auth/totp/enable', { code: '000000' === totpCode(setup.json.secret, currentStep()) ? '111111' : '000000' });
    expect(wrong.status).toBe(422);
    const ok = await s.call(u.token, 'POST', '/auth/totp/enable', { code: totpCode(setup.json.secret, currentStep()) });
    expect(ok.json).toEqual({ enabled: true });

    const without = await s.call(null, 'POST', '/auth/token', { loginId: u.loginId, password: u.password });
    expect(without.status).toBe(401);
    expect(without.json.detail).toContain('二要素認証');
    const badCode = await s.call(null, 'POST', '/auth/token', {
      loginId: u.loginId,
      password: u.password,
      totp: '123456' === totpCode(setup.json.secret, currentStep()) ? '654321' : '123456',
    });
    expect(badCode.status).toBe(401);
    const good = await s.call(null, 'POST', '/auth/token', { loginId: u.loginId, password: u.password, totp: totpCode(setup.json.secret, currentStep()) });
    expect(good.status).toBe(200);
    expect(good.json.token).toMatch(/^ksn_/);
    const users = await s.call(s.admin.token, 'GET', '/users');
    expect(users.json.items.find((x: any) => x.id === u.id).secondFactor).toBe(true);

    // The administrator can reset a lost second factor; the user's sessions end with it.
    expect((await s.call(s.admin.token, 'POST', `/users/${u.id}/totp/reset`)).status).toBe(200);
    expect((await s.call(good.json.token, 'GET', '/me')).status).toBe(401);
    expect((await s.call(null, 'POST', '/auth/token', { loginId: u.loginId, password: u.password })).status).toBe(200);
  });

  it('a municipality setting makes the second factor mandatory for chosen roles', async () => {
    const auditor = await f.user(uniq('aud'), undefined, ['auditor']);
    const worker = await f.user(uniq('cw'), undefined, ['caseworker']);
    const before = await s.call(s.admin.token, 'GET', '/settings');
    expect(before.json.mfaRequiredRoles).toEqual([]);
    expect((await s.call(s.admin.token, 'PUT', '/settings', { mfaRequiredRoles: ['auditor'] })).status).toBe(200);
    try {
      // Until the auditor sets up a second factor, only the set-up routes answer.
      const blocked = await s.call(auditor.token, 'GET', '/audit/verify');
      expect(blocked.status).toBe(403);
      expect(blocked.json.detail).toContain('二要素認証');
      expect((await s.call(auditor.token, 'GET', '/me')).status).toBe(200);
      expect((await s.call(worker.token, 'GET', '/cases')).status).toBe(200);
      const setup = await s.call(auditor.token, 'POST', '/auth/totp/setup');
      await s.call(auditor.token, 'POST', '/auth/totp/enable', { code: totpCode(setup.json.secret, currentStep()) });
      expect((await s.call(auditor.token, 'GET', '/audit/verify')).status).toBe(200);
    } finally {
      await s.call(s.admin.token, 'PUT', '/settings', { mfaRequiredRoles: [] });
    }
  });

  it('unknown login ids and wrong passwords get the same answer', async () => {
    const u = await f.user(uniq('same'), undefined, ['caseworker']);
    const unknown = await s.call(null, 'POST', '/auth/token', { loginId: uniq('nobody'), password: 'whatever-password' });
    const wrong = await s.call(null, 'POST', '/auth/token', { loginId: u.loginId, password: 'whatever-password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const strip = (j: any) => ({ ...j, requestId: undefined });
    expect(strip(unknown.json)).toEqual(strip(wrong.json));
  });

  it('throttling per address: many failures across login ids lock the address, even for a correct password', async () => {
    // A server of its own, so the locked address does not disturb the other tests.
    const other = await startServer(kind);
    try {
      const g = factories(other);
      const u = await g.user(uniq('victim'), undefined, ['caseworker']);
      for (let i = 0; i < 30; i += 1) await other.call(null, 'POST', '/auth/token', { loginId: uniq('spray'), password: 'wrong-password' });
      const locked = await other.call(null, 'POST', '/auth/token', { loginId: u.loginId, password: u.password });
      expect(locked.status).toBe(429);
    } finally {
      await other.stop();
    }
  });

  it('a new session id at every sign-in: the cookie held before signing in does not survive it', async () => {
    const u = await f.user(uniq('rot'), undefined, ['caseworker']);
    const first = await login(u.loginId, u.password);
    const firstCookie = cookieOf(first);
    const second = await s.call(null, 'POST', '/auth/login', { loginId: u.loginId, password: u.password }, { cookie: firstCookie });
    const secondCookie = cookieOf(second);
    expect(secondCookie).not.toBe(firstCookie);
    expect((await s.call(null, 'GET', '/me', undefined, { cookie: firstCookie })).status).toBe(401);
    expect((await s.call(null, 'GET', '/me', undefined, { cookie: secondCookie })).status).toBe(200);
  });

  it(`sessions end after ${IDLE_MINUTES} idle minutes and after ${SESSION_HOURS} hours in any case`, async () => {
    const u = await f.user(uniq('idle'), undefined, ['caseworker']);
    const start = nowMs();
    let offset = 0;
    const restore = setClock(() => start + offset);
    try {
      const a = cookieOf(await login(u.loginId, u.password));
      offset = (IDLE_MINUTES - 1) * 60_000;
      expect((await s.call(null, 'GET', '/me', undefined, { cookie: a })).status).toBe(200);
      offset += (IDLE_MINUTES + 1) * 60_000;
      expect((await s.call(null, 'GET', '/me', undefined, { cookie: a })).status).toBe(401);

      // Kept busy every 20 minutes, a session still ends at the absolute limit.
      offset = 0;
      const b = cookieOf(await login(u.loginId, u.password));
      while (offset < SESSION_HOURS * 3_600_000 - 20 * 60_000) {
        offset += 20 * 60_000;
        expect((await s.call(null, 'GET', '/me', undefined, { cookie: b })).status).toBe(200);
      }
      offset = SESSION_HOURS * 3_600_000 + 1000;
      expect((await s.call(null, 'GET', '/me', undefined, { cookie: b })).status).toBe(401);
    } finally {
      restore();
    }
  });

  it('logout and disabling the user end sessions at once', async () => {
    const u = await f.user(uniq('end'), undefined, ['caseworker']);
    const res = await login(u.loginId, u.password);
    const cookie = cookieOf(res);
    await s.call(null, 'POST', '/auth/logout', undefined, { cookie, 'x-csrf-token': res.json.csrfToken });
    expect((await s.call(null, 'GET', '/me', undefined, { cookie })).status).toBe(401);

    const again = cookieOf(await login(u.loginId, u.password));
    expect((await s.call(s.admin.token, 'POST', `/users/${u.id}/disable`)).status).toBe(200);
    expect((await s.call(null, 'GET', '/me', undefined, { cookie: again })).status).toBe(401);
    expect((await s.call(u.token, 'GET', '/me')).status).toBe(401);
  });

  it('every state-changing route refuses a cookie session without a valid CSRF token', async () => {
    const u = await f.user(uniq('csrf'), undefined, ['admin', 'coordinator', 'caseworker', 'auditor']);
    const res = await login(u.loginId, u.password);
    const cookie = cookieOf(res);
    const changing = routeTable(s.app).filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !r.public);
    expect(changing.length).toBeGreaterThan(10);
    const counts = async () =>
      Number(
        (
          await s.services.db
            .selectFrom('auditEvents')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    for (const r of changing) {
      const path = r.url.replace(/:(\w+)/g, 'x0');
      for (const token of [undefined, 'forged-token']) {
        const before = await counts();
        const out = await s.call(null, r.method, path, {}, { cookie, ...(token ? { 'x-csrf-token': token } : {}) });
        expect(out.status, `${r.method} ${r.url}`).toBe(403);
        expect(out.json.detail).toContain('CSRF');
        expect(await counts(), `${r.method} ${r.url} wrote something`).toBe(before);
      }
    }
    console.log(`T8 CSRF: ${changing.length} state-changing routes refused without a valid token`);
  });

  it('security headers on every response, including errors', async () => {
    const u = await f.user(uniq('hdr'), undefined, ['caseworker']);
    const gets = routeTable(s.app).filter((r) => r.method === 'GET');
    const probes = [...gets.map((r) => r.url.replace(/:(\w+)/g, 'x0')), '/api/v1/nope', '/login', '/'];
    for (const path of probes) {
      const res = await s.call(u.token, 'GET', path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      if (path.startsWith('/api/')) expect(res.headers.get('cache-control'), path).toContain('no-store');
    }
  });
});
