/**
 * Accounts, organizations and sign-in: POST/GET /organizations, POST/GET /users, disable,
 * roles, /auth/token, /auth/login (cookie + CSRF), /auth/logout, login throttling — and
 * that every change to an account counts from the very next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audited } from './helpers/audit.ts';
import { type Factories, factories, uniq } from './helpers/factories.ts';
import { KINDS, startServer, type TestServer } from './helpers/server.ts';

describe.each(KINDS)('accounts and organizations (%s)', (kind) => {
  let s: TestServer;
  let f: Factories;
  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
  });
  afterAll(() => s?.stop());

  it('POST /organizations: the administrator registers an organization (audited)', async () => {
    const name = uniq('地域包括支援センター');
    const { result: res, events } = await audited(s, () =>
      s.call(s.admin.token, 'POST', '/organizations', { name, kind: '相談支援機関', fields: ['高齢', '介護'], area: '北圏域' }),
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ id: expect.any(String), name, kind: '相談支援機関', fields: ['高齢', '介護'], area: '北圏域' });
    expect(events.map((e) => [e.type, e.subjectId, e.actorUserId])).toEqual([['ORGANIZATION_CREATED', res.json.id, s.admin.id]]);
    const list = await s.call(s.admin.token, 'GET', '/organizations');
    expect(list.status).toBe(200);
    expect(list.json.items.map((o: any) => o.id)).toContain(res.json.id);
  });

  it('POST /organizations: a non-administrator is refused with 403 and nothing is stored', async () => {
    const u = await f.user(undefined, undefined, ['coordinator']);
    const name = uniq('勝手な機関');
    const res = await s.call(u.token, 'POST', '/organizations', { name, kind: 'NPO' });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const list = await s.call(u.token, 'GET', '/organizations');
    expect(list.json.items.map((o: any) => o.name)).not.toContain(name);
  });

  it('GET /organizations lists organizations to any signed-in user', async () => {
    const o = await f.org(uniq('社協'), '社会福祉法人', ['地域福祉']);
    const u = await f.user(undefined, o.id, ['outreach']);
    const res = await s.call(u.token, 'GET', '/organizations');
    expect(res.status).toBe(200);
    expect(res.json.items.find((x: any) => x.id === o.id)).toMatchObject({ name: o.name, kind: '社会福祉法人', fields: ['地域福祉'] });
  });

  it('POST /users: creates a user, never returns the password hash, audits USER_CREATED', async () => {
    const o = await f.org();
    const loginId = uniq('worker');
    const { result: res, events } = await audited(s, () =>
      s.call(s.admin.token, 'POST', '/users', {
        loginId,
        displayName: '相談 花子',
        organizationId: o.id,
        roles: ['caseworker'],
        password: 'a-long-password-1',
      }),
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ id: expect.any(String), loginId, displayName: '相談 花子', organizationId: o.id, roles: ['caseworker'], disabled: false });
    expect(res.text).not.toMatch(/argon|passwordHash|a-long-password/);
    expect(events.map((e) => [e.type, e.subjectId])).toEqual([['USER_CREATED', res.json.id]]);
    const tok = await s.call(null, 'POST', '/auth/token', { loginId, password: 'a-long-password-1' });
    expect(tok.status).toBe(200);
    expect(tok.json).toEqual({ token: expect.stringMatching(/^ksn_/), expiresAt: expect.any(String) });
  });

  it('POST /users: a taken login id is 409, an unknown organization is 422 naming the field', async () => {
    const u = await f.user();
    const taken = await s.call(s.admin.token, 'POST', '/users', {
      loginId: u.loginId,
      displayName: '重複',
      organizationId: u.organizationId,
      roles: ['caseworker'],
      password: 'a-long-password-1',
    });
    expect(taken.status).toBe(409);
    const unknown = await s.call(s.admin.token, 'POST', '/users', {
      loginId: uniq('nobody'),
      displayName: '不明',
      organizationId: 'no-such-org',
      roles: ['caseworker'],
      password: 'a-long-password-1',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors).toEqual([{ path: 'organizationId', message: expect.stringContaining('関係機関') }]);
    const short = await s.call(s.admin.token, 'POST', '/users', {
      loginId: uniq('short'),
      displayName: '短い',
      organizationId: u.organizationId,
      roles: ['caseworker'],
      password: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.json.errors[0].path).toBe('password');
    const badRole = await s.call(s.admin.token, 'POST', '/users', {
      loginId: uniq('role'),
      displayName: '役割',
      organizationId: u.organizationId,
      roles: ['superuser'],
      password: 'a-long-password-1',
    });
    expect(badRole.status).toBe(400);
  });

  it('POST /users by a non-administrator is 403', async () => {
    const u = await f.user(undefined, undefined, ['coordinator']);
    const res = await s.call(u.token, 'POST', '/users', {
      loginId: uniq('x'),
      displayName: 'x',
      organizationId: u.organizationId,
      roles: ['admin'],
      password: 'a-long-password-1',
    });
    expect(res.status).toBe(403);
  });

  it('GET /users: administrators only, without password hashes', async () => {
    const u = await f.user();
    const res = await s.call(s.admin.token, 'GET', '/users');
    expect(res.status).toBe(200);
    expect(res.json.items.map((x: any) => x.id)).toContain(u.id);
    expect(res.text).not.toMatch(/\$argon2|passwordHash/);
    expect((await s.call(u.token, 'GET', '/users')).status).toBe(403);
  });

  it('a disabled user is refused on the very next request (token and new sign-in)', async () => {
    const u = await f.user();
    expect((await s.call(u.token, 'GET', '/me')).status).toBe(200);
    const { result: res, events } = await audited(s, () => s.call(s.admin.token, 'POST', `/users/${u.id}/disable`));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: u.id, disabled: true, disabledAt: expect.any(String) });
    expect(events.map((e) => [e.type, e.subjectId])).toEqual([['USER_DISABLED', u.id]]);
    expect((await s.call(u.token, 'GET', '/me')).status).toBe(401);
    expect((await s.call(null, 'POST', '/auth/token', { loginId: u.loginId, password: u.password })).status).toBe(401);
    expect((await s.call(s.admin.token, 'POST', '/users/no-such-user/disable')).status).toBe(404);
    expect((await s.call(u.token, 'POST', `/users/${u.id}/disable`)).status).toBe(401);
  });

  it('a disabled user loses case access on the very next request', async () => {
    const c = await f.caseWith();
    expect((await s.call(c.lead.token, 'GET', `/cases/${c.caseId}`)).status).toBe(200);
    await s.call(s.admin.token, 'POST', `/users/${c.lead.id}/disable`);
    expect((await s.call(c.lead.token, 'GET', `/cases/${c.caseId}`)).status).toBe(401);
  });

  it('changed roles take effect on the very next request', async () => {
    const c = await f.caseWith();
    expect((await s.call(c.lead.token, 'GET', `/cases/${c.caseId}`)).status).toBe(200);
    const { result: res, events } = await audited(s, () => s.call(s.admin.token, 'POST', `/users/${c.lead.id}/roles`, { roles: ['advisor'] }));
    expect(res.status).toBe(200);
    expect(res.json.roles).toEqual(['advisor']);
    expect(events.map((e) => [e.type, e.subjectId, e.payload])).toEqual([['USER_ROLES_CHANGED', c.lead.id, { from: ['caseworker'], to: ['advisor'] }]]);
    // An advisor sees only what an advice request gives them: not the case their organization leads.
    expect((await s.call(c.lead.token, 'GET', '/me')).json.roles).toEqual(['advisor']);
    expect((await s.call(c.lead.token, 'GET', `/cases/${c.caseId}`)).status).toBe(404);
    expect(
      (await s.call(c.lead.token, 'POST', '/persons', { familyName: '新規', givenName: '一郎', familyNameKana: 'シンキ', givenNameKana: 'イチロウ' })).status,
    ).toBe(403);
    // And back again.
    await s.call(s.admin.token, 'POST', `/users/${c.lead.id}/roles`, { roles: ['caseworker'] });
    expect((await s.call(c.lead.token, 'GET', `/cases/${c.caseId}`)).status).toBe(200);
    expect((await s.call(s.admin.token, 'POST', '/users/no-such-user/roles', { roles: ['caseworker'] })).status).toBe(404);
    expect((await s.call(s.admin.token, 'POST', `/users/${c.lead.id}/roles`, { roles: [] })).status).toBe(400);
  });

  it('an organization removed from the team loses access on the very next request', async () => {
    const member = await f.user();
    const c = await f.caseWith({ teamOrgIds: [member.organizationId] });
    expect((await s.call(member.token, 'GET', `/cases/${c.caseId}`)).status).toBe(200);
    expect((await s.call(member.token, 'GET', `/persons/${c.persons[0]!.id}`)).status).toBe(200);
    const del = await s.call(c.lead.token, 'DELETE', `/cases/${c.caseId}/team/${member.organizationId}`);
    expect(del.status).toBe(200);
    expect((await s.call(member.token, 'GET', `/cases/${c.caseId}`)).status).toBe(404);
    expect((await s.call(member.token, 'GET', `/cases/${c.caseId}/records`)).status).toBe(404);
    expect((await s.call(member.token, 'GET', `/persons/${c.persons[0]!.id}`)).status).toBe(404);
  });
});

describe.each(KINDS)('sign-in: cookie sessions, tokens, throttling (%s)', (kind) => {
  let s: TestServer;
  let f: Factories;
  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
  });
  afterAll(() => s?.stop());

  async function login(loginId: string, password: string) {
    return s.call(null, 'POST', '/auth/login', { loginId, password });
  }
  const cookieOf = (res: { headers: Headers }) => res.headers.get('set-cookie')!.split(';')[0]!;

  it('POST /auth/login sets an HttpOnly SameSite=Strict cookie and returns a CSRF token (audited)', async () => {
    const u = await f.user();
    const { result: res, events } = await audited(s, () => login(u.loginId, u.password));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      csrfToken: expect.any(String),
      expiresAt: expect.any(String),
      user: { id: u.id, loginId: u.loginId, organizationId: u.organizationId, roles: ['caseworker'] },
    });
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^kasane_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//i);
    expect(res.text).not.toContain(cookieOf(res).split('=')[1]);
    expect(events.map((e) => [e.type, e.subjectId, e.actorUserId])).toEqual([['USER_SIGNED_IN', u.id, u.id]]);
  });

  it('cookie session: GET works, POST without x-csrf-token is 403, with it works; bearer needs no CSRF', async () => {
    const u = await f.user();
    const res = await login(u.loginId, u.password);
    const cookie = cookieOf(res);
    const csrf = res.json.csrfToken as string;
    const me = await s.call(null, 'GET', '/me', undefined, { cookie });
    expect(me.status).toBe(200);
    expect(me.json.id).toBe(u.id);
    const body = { familyName: '越境', givenName: '守', familyNameKana: 'エッキョウ', givenNameKana: 'マモル' };
    const before = (await s.services.db.selectFrom('persons').select('id').execute()).length;
    const noCsrf = await s.call(null, 'POST', '/persons', body, { cookie });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.headers.get('content-type')).toContain('application/problem+json');
    const wrongCsrf = await s.call(null, 'POST', '/persons', body, { cookie, 'x-csrf-token': 'forged' });
    expect(wrongCsrf.status).toBe(403);
    expect((await s.services.db.selectFrom('persons').select('id').execute()).length).toBe(before);
    const withCsrf = await s.call(null, 'POST', '/persons', body, { cookie, 'x-csrf-token': csrf });
    expect(withCsrf.status).toBe(201);
    const bearer = await s.call(u.token, 'POST', '/persons', body);
    expect(bearer.status).toBe(201);
    // A bearer token is not a cookie session, and a cookie is not a bearer token.
    expect((await s.call(null, 'GET', '/me', undefined, { cookie: `kasane_session=${u.token}` })).status).toBe(401);
    expect((await s.call(res.json.csrfToken, 'GET', '/me')).status).toBe(401);
  });

  it('POST /auth/logout ends the session (audited) and clears the cookie', async () => {
    const u = await f.user();
    const res = await login(u.loginId, u.password);
    const cookie = cookieOf(res);
    const { result: out, events } = await audited(s, () => s.call(null, 'POST', '/auth/logout', undefined, { cookie, 'x-csrf-token': res.json.csrfToken }));
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ ok: true });
    expect(out.headers.get('set-cookie')).toMatch(/kasane_session=;/);
    expect(events.map((e) => [e.type, e.subjectId])).toEqual([['USER_SIGNED_OUT', u.id]]);
    expect((await s.call(null, 'GET', '/me', undefined, { cookie })).status).toBe(401);
    // Without a session, logout is harmless.
    expect((await s.call(null, 'POST', '/auth/logout')).status).toBe(200);
  });

  it('wrong passwords are 401 and audited as USER_SIGN_IN_FAILED without the password', async () => {
    const u = await f.user();
    const { result: res, events } = await audited(s, () => s.call(null, 'POST', '/auth/token', { loginId: u.loginId, password: 'wrong-password-zzz' }));
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(u.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'USER_SIGN_IN_FAILED', outcome: 'denied', payload: { loginId: u.loginId, reason: 'bad_credentials' } });
    expect(JSON.stringify(events)).not.toContain('wrong-password-zzz');
    // An unknown login id answers exactly like a wrong password.
    const unknown = await s.call(null, 'POST', '/auth/token', { loginId: uniq('ghost'), password: 'wrong-password-zzz' });
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual(res.json);
  });

  it('login throttling: 5 failures lock the login id (429), and the lock survives a server restart', async () => {
    const u = await f.user();
    for (let i = 0; i < 5; i++) {
      expect((await login(u.loginId, 'wrong-password-zzz')).status).toBe(401);
    }
    const locked = await login(u.loginId, u.password);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('content-type')).toContain('application/problem+json');
    expect(locked.json.detail).toMatch(/分間/);
    expect((await s.call(null, 'POST', '/auth/token', { loginId: u.loginId, password: u.password })).status).toBe(429);
    // Another login id is not affected.
    const other = await f.user();
    expect((await login(other.loginId, other.password)).status).toBe(200);

    // Restart: a second server on the same database still refuses the locked login id.
    const again = await startServer(kind, { location: s.location });
    try {
      const res = await again.call(null, 'POST', '/auth/login', { loginId: u.loginId, password: u.password }, { 'accept-language': 'en' });
      expect(res.status).toBe(429);
      expect(res.json.detail).toMatch(/minutes/);
    } finally {
      await again.stop({ keepDatabase: true });
    }
  });
});
