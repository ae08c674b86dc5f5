/** Unauthenticated meta endpoints, /me, code lists and the OpenAPI document. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHeadSeq, auditSince } from './helpers/audit.ts';
import { type Factories, factories } from './helpers/factories.ts';
import { KINDS, startServer, type TestServer } from './helpers/server.ts';

describe.each(KINDS)('meta (%s)', (kind) => {
  let s: TestServer;
  let f: Factories;
  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
  });
  afterAll(() => s?.stop());

  it('GET /health answers without authentication', async () => {
    const res = await s.call(null, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('any other API path needs a sign-in (401 problem+json)', async () => {
    const res = await s.call(null, 'GET', '/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ status: 401, title: expect.any(String), detail: expect.any(String) });
    const bogus = await s.call('ksn_not-a-token', 'GET', '/me');
    expect(bogus.status).toBe(401);
  });

  it('GET /me returns the caller, fresh from the database', async () => {
    const u = await f.user(undefined, undefined, ['caseworker', 'chair']);
    const res = await s.call(u.token, 'GET', '/me');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: u.id,
      loginId: u.loginId,
      displayName: '担当 太郎',
      organizationId: u.organizationId,
      roles: ['caseworker', 'chair'],
    });
    expect(res.json.municipality).toEqual({ name: 'テスト市', isDemo: false });
  });

  it('GET /code-lists returns the default code lists to any signed-in user', async () => {
    const u = await f.user();
    const res = await s.call(u.token, 'GET', '/code-lists');
    expect(res.status).toBe(200);
    for (const key of [
      'organizationKinds',
      'organizationFields',
      'problemTypes',
      'relationships',
      'referralRoutes',
      'closingReasons',
      'caseStatuses',
      'roles',
      'recordClassifications',
    ]) {
      expect(res.json[key], key).toBeDefined();
    }
    expect(JSON.stringify(res.json.organizationFields)).toContain('税務');
    expect(JSON.stringify(res.json.problemTypes)).toContain('ひきこもり');
    expect((await s.call(null, 'GET', '/code-lists')).status).toBe(401);
  });

  it('GET /openapi.json documents every core path without authentication', async () => {
    const before = await auditHeadSeq(s);
    const res = await s.call(null, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.json.openapi).toMatch(/^3\./);
    const paths = Object.keys(res.json.paths);
    for (const p of [
      '/api/v1/me',
      '/api/v1/organizations',
      '/api/v1/users',
      '/api/v1/users/{id}/disable',
      '/api/v1/users/{id}/roles',
      '/api/v1/persons',
      '/api/v1/persons/{id}',
      '/api/v1/households',
      '/api/v1/households/{id}',
      '/api/v1/cases',
      '/api/v1/cases/{id}',
      '/api/v1/cases/{id}/team',
      '/api/v1/cases/{id}/team/{organizationId}',
      '/api/v1/cases/{id}/status',
      '/api/v1/cases/{id}/break-glass',
      '/api/v1/persons/{id}/consents',
      '/api/v1/consents/{id}/withdraw',
      '/api/v1/cases/{id}/records',
      '/api/v1/notifications',
      '/api/v1/audit',
      '/api/v1/audit/verify',
      '/api/v1/auth/login',
      '/api/v1/auth/token',
      '/api/v1/auth/logout',
      '/api/v1/health',
    ]) {
      expect(paths, p).toContain(p);
    }
    // Reading the API description touches no personal data: nothing is audited.
    expect(await auditSince(s, before)).toEqual([]);
  });

  it('unknown API paths answer 404 problem+json', async () => {
    const u = await f.user();
    const res = await s.call(u.token, 'GET', '/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
