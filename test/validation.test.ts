/**
 * Rule 10: bad input is refused clearly (400/422 problem+json with field-level errors in
 * Japanese by default, English on request), never 500, and nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowCounts } from './helpers/audit.ts';
import { type Account, type Factories, factories } from './helpers/factories.ts';
import { KINDS, type Res, startServer, type TestServer } from './helpers/server.ts';

describe.each(KINDS)('bad input is refused and loses nothing (rule 10) (%s)', (kind) => {
  let s: TestServer;
  let f: Factories;
  let u: Account;
  let coord: Account;
  let c: Awaited<ReturnType<Factories['caseWith']>>;
  const person = { familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ', birthDate: '1990-01-01' };

  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
    u = await f.user();
    coord = await f.user(undefined, u.organizationId, ['coordinator']);
    c = await f.caseWith({ lead: u });
  });
  afterAll(() => s?.stop());

  /** Sends the request and checks: 400/422 problem+json, the field errors, and no row changed. */
  async function refused(
    token: string,
    method: string,
    path: string,
    body: unknown,
    expected: { status?: number; errors?: { path: string; message?: string | RegExp }[] } = {},
    headers: Record<string, string> = {},
  ) {
    const before = await rowCounts(s);
    const res = await s.call(token, method, path, body, headers);
    expect([400, 422], `${method} ${path} → ${res.status} ${res.text.slice(0, 300)}`).toContain(res.status);
    if (expected.status) expect(res.status).toBe(expected.status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ type: expect.any(String), title: expect.any(String), status: res.status, detail: expect.any(String) });
    if (expected.errors) {
      expect(res.json.errors).toHaveLength(expected.errors.length);
      expected.errors.forEach((e, i) => {
        expect(res.json.errors[i].path).toBe(e.path);
        if (e.message instanceof RegExp) expect(res.json.errors[i].message).toMatch(e.message);
        else if (e.message) expect(res.json.errors[i].message).toBe(e.message);
        else expect(res.json.errors[i].message).toEqual(expect.any(String));
      });
    }
    expect(await rowCounts(s), `${method} ${path} stored something`).toEqual(before);
    return res;
  }

  it('a household with zero members', async () => {
    const res = await refused(
      u.token,
      'POST',
      '/households',
      { name: '空の世帯', members: [] },
      { status: 400, errors: [{ path: 'members', message: '1件以上指定してください' }] },
    );
    expect(res.json.title).toBe('入力内容に誤りがあります');
    expect(res.json.detail).toContain('何も保存されていません');
  });

  it('a name of 51 characters (50 is fine, counted as a person counts them)', async () => {
    await refused(
      u.token,
      'POST',
      '/persons',
      { ...person, familyName: '山'.repeat(51) },
      { status: 400, errors: [{ path: 'familyName', message: '50文字以内で入力してください' }] },
    );
    const ok = await s.call(u.token, 'POST', '/persons', { ...person, familyName: '𠮷'.repeat(50) });
    expect(ok.status).toBe(201);
    await refused(u.token, 'POST', '/persons', { ...person, givenName: '' }, { errors: [{ path: 'givenName', message: '入力してください' }] });
    await refused(u.token, 'POST', '/persons', { ...person, givenName: '   ' }, { errors: [{ path: 'givenName' }] });
  });

  it('a kana field with kanji', async () => {
    await refused(
      u.token,
      'POST',
      '/persons',
      { ...person, familyNameKana: '山田' },
      { errors: [{ path: 'familyNameKana', message: 'カナ（ひらがな・カタカナ）だけで入力してください' }] },
    );
    await refused(u.token, 'POST', '/persons', { ...person, givenNameKana: 'taro' }, { errors: [{ path: 'givenNameKana' }] });
  });

  it('birth date 2023-02-30 and a future date', async () => {
    await refused(
      u.token,
      'POST',
      '/persons',
      { ...person, birthDate: '2023-02-30' },
      { status: 400, errors: [{ path: 'birthDate', message: '実在する日付を YYYY-MM-DD 形式で入力してください' }] },
    );
    await refused(
      u.token,
      'POST',
      '/persons',
      { ...person, birthDate: '2999-01-01' },
      { status: 400, errors: [{ path: 'birthDate', message: '未来の日付は指定できません' }] },
    );
    await refused(u.token, 'POST', '/persons', { ...person, birthDate: '1990/01/01' }, { errors: [{ path: 'birthDate' }] });
    await refused(u.token, 'POST', '/persons', { ...person, birthDate: '2024-02-30' }, { errors: [{ path: 'birthDate' }] });
    expect((await s.call(u.token, 'POST', '/persons', { ...person, birthDate: '2024-02-29' })).status).toBe(201);
  });

  it('unknown organization, person, household ids are 422 naming the field', async () => {
    await refused(
      s.admin.token,
      'POST',
      '/users',
      { loginId: 'ghost-org-user', displayName: '幽霊', organizationId: 'no-such-org', roles: ['caseworker'], password: 'a-long-password-1' },
      { status: 422, errors: [{ path: 'organizationId', message: '存在しないか、参照できない関係機関です' }] },
    );
    await refused(
      u.token,
      'POST',
      '/households',
      { members: [{ personId: 'no-such-person', relationship: '本人' }] },
      { status: 422, errors: [{ path: 'members.0.personId', message: '存在しないか、参照できない本人・世帯員です' }] },
    );
    await refused(
      u.token,
      'POST',
      '/cases',
      { householdId: 'no-such-household', leadOrganizationId: u.organizationId, referralRoute: '本人', summary: '相談', problems: [] },
      { status: 422, errors: [{ path: 'householdId', message: '存在しないか、参照できない世帯です' }] },
    );
    await refused(
      coord.token,
      'POST',
      '/cases',
      { householdId: c.household.id, leadOrganizationId: 'no-such-org', referralRoute: '本人', summary: '相談', problems: [] },
      { status: 422, errors: [{ path: 'leadOrganizationId' }] },
    );
    await refused(u.token, 'POST', `/cases/${c.caseId}/team`, { organizationId: 'no-such-org' }, { status: 422, errors: [{ path: 'organizationId' }] });
    await refused(
      u.token,
      'POST',
      `/persons/${c.persons[0]!.id}/consents`,
      { obtainedOn: '2025-04-01', method: 'written', organizationIds: ['no-such-org'], includesTaxInfo: false },
      { status: 422, errors: [{ path: 'organizationIds.0' }] },
    );
    await refused(
      u.token,
      'POST',
      '/households',
      { members: [{ personId: 'bad id with spaces', relationship: '本人' }] },
      { status: 400, errors: [{ path: 'members.0.personId' }] },
    );
  });

  it('control characters and U+202E in names', async () => {
    for (const bad of ['山\u0007田', '山\u202E田', '\u202Eadmin', '山\u0000田', '山\n田', '山\u2066田']) {
      await refused(
        u.token,
        'POST',
        '/persons',
        { ...person, familyName: bad },
        { status: 400, errors: [{ path: 'familyName', message: '制御文字や書字方向を変える文字は使えません' }] },
      );
    }
    await refused(s.admin.token, 'POST', '/organizations', { name: '機関\u202E', kind: 'NPO' }, { errors: [{ path: 'name' }] });
    await refused(
      u.token,
      'POST',
      '/households',
      { name: '世帯\u202E', members: [{ personId: c.persons[0]!.id, relationship: '本人' }] },
      { errors: [{ path: 'name' }] },
    );
    // Multi-line text may hold newlines, never bidi overrides.
    await refused(u.token, 'POST', `/cases/${c.caseId}/records`, { body: '記録\u202Eです', classification: 'normal' }, { errors: [{ path: 'body' }] });
    expect((await s.call(u.token, 'POST', `/cases/${c.caseId}/records`, { body: '一行目\n二行目', classification: 'normal' })).status).toBe(201);
  });

  it('an oversized body (> 1 MiB) gets 413 problem+json', async () => {
    const before = await rowCounts(s);
    const res = await s.call(u.token, 'POST', `/cases/${c.caseId}/records`, { body: 'あ'.repeat(400_000), classification: 'normal' });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ status: 413, title: '送信されたデータが大きすぎます' });
    const en = await s.call(u.token, 'POST', '/persons', JSON.stringify({ ...person, address: 'x'.repeat(1024 * 1024 + 1) }), { 'accept-language': 'en' });
    expect(en.status).toBe(413);
    expect(en.json.title).toBe('Request body too large');
    expect(await rowCounts(s)).toEqual(before);
  });

  it('invalid JSON and a wrong content type', async () => {
    const res = await refused(u.token, 'POST', '/persons', '{"familyName": "山田",', { status: 400 });
    expect(res.json.detail).toBe('JSONとして読み取れませんでした。');
    await refused(u.token, 'POST', '/persons', '', { status: 400 });
    await refused(u.token, 'POST', '/persons', 'null', { status: 400 });
    await refused(u.token, 'POST', '/persons', '[]', { status: 400 });
    await refused(u.token, 'POST', '/persons', '{"__proto__": {"admin": true}, "familyName": "山田"}', { status: 400 });
    const before = await rowCounts(s);
    const wrongType = await s.call(u.token, 'POST', '/persons', 'familyName=山田', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(wrongType.status).toBe(415);
    expect(wrongType.headers.get('content-type')).toContain('application/problem+json');
    expect(await rowCounts(s)).toEqual(before);
  });

  it('wrong types name every bad field', async () => {
    const res = await refused(
      u.token,
      'POST',
      '/persons',
      { familyName: 123, givenName: null, familyNameKana: ['ヤマダ'], givenNameKana: 'タロウ', sex: 'x' },
      { status: 400 },
    );
    expect(res.json.errors.map((e: any) => e.path).sort()).toEqual(['familyName', 'familyNameKana', 'givenName', 'sex']);
    await refused(u.token, 'POST', '/households', { members: 'everyone' }, { errors: [{ path: 'members' }] });
    await refused(
      u.token,
      'POST',
      `/persons/${c.persons[0]!.id}/consents`,
      { obtainedOn: '2025-04-01', method: 'written', organizationIds: [u.organizationId], includesTaxInfo: 'yes' },
      { errors: [{ path: 'includesTaxInfo' }] },
    );
    await refused(
      u.token,
      'POST',
      `/cases/${c.caseId}/records`,
      { body: '記録', classification: 'secret' },
      { errors: [{ path: 'classification', message: /normal, sensitive, tax/ }] },
    );
    await refused(u.token, 'POST', '/persons', {}, { status: 400 });
    const q = await s.call(u.token, 'GET', '/persons?limit=abc');
    expect(q.status).toBe(400);
    expect(q.json.errors[0].path).toMatch(/limit/);
  });

  it('messages are Japanese by default and English with Accept-Language: en', async () => {
    const body = { ...person, familyName: '山'.repeat(51), familyNameKana: '山田', birthDate: '2023-02-30' };
    const ja = await refused(u.token, 'POST', '/persons', body, { status: 400 });
    const en = await refused(u.token, 'POST', '/persons', body, { status: 400 }, { 'accept-language': 'en-US,en;q=0.9' });
    expect(ja.json.title).toBe('入力内容に誤りがあります');
    expect(en.json.title).toBe('The request has invalid fields');
    expect(en.json.detail).toBe('See the field errors. Nothing was stored.');
    const byPath = (r: Res) => Object.fromEntries(r.json.errors.map((e: any) => [e.path, e.message]));
    expect(byPath(ja)).toEqual({
      familyName: '50文字以内で入力してください',
      familyNameKana: 'カナ（ひらがな・カタカナ）だけで入力してください',
      birthDate: '実在する日付を YYYY-MM-DD 形式で入力してください',
    });
    expect(byPath(en)).toEqual({
      familyName: 'At most 50 characters',
      familyNameKana: 'Kana (hiragana or katakana) only',
      birthDate: 'A real date as YYYY-MM-DD',
    });
    const unknownEn = await refused(
      u.token,
      'POST',
      '/households',
      { members: [{ personId: 'no-such-person', relationship: '本人' }] },
      { status: 422 },
      { 'accept-language': 'en' },
    );
    expect(unknownEn.json.errors).toEqual([{ path: 'members.0.personId', message: 'Unknown person' }]);
  });

  it('a case whose write fails half-way stores nothing (one transaction)', async () => {
    // A problem for a non-member is found before anything is written; the case, its team row,
    // problems and status history are all absent afterwards.
    const stranger = await f.person(u);
    await refused(
      u.token,
      'POST',
      '/cases',
      {
        householdId: c.household.id,
        leadOrganizationId: u.organizationId,
        referralRoute: '本人',
        summary: '相談',
        problems: [
          { personId: c.persons[0]!.id, type: '孤立' },
          { personId: stranger.id, type: '孤立' },
        ],
      },
      { status: 422, errors: [{ path: 'problems.1.personId' }] },
    );
  });

  it('never 500: junk of every shape to every write endpoint', async () => {
    const targets: [string, string][] = [
      ['POST', '/organizations'],
      ['POST', '/users'],
      [`POST`, `/users/${u.id}/roles`],
      ['POST', '/persons'],
      ['POST', '/households'],
      ['POST', '/cases'],
      ['POST', `/cases/${c.caseId}/team`],
      ['POST', `/cases/${c.caseId}/status`],
      ['POST', `/cases/${c.caseId}/break-glass`],
      ['POST', `/persons/${c.persons[0]!.id}/consents`],
      ['POST', `/cases/${c.caseId}/records`],
      ['POST', '/auth/login'],
      ['POST', '/auth/token'],
    ];
    const junk: unknown[] = [
      '{',
      '"string"',
      '42',
      'true',
      '[1,2]',
      { a: 1 },
      { members: [null] },
      { problems: [{}] },
      { organizationIds: [1] },
      { roles: 'admin' },
      { to: null },
      '{"hours": 1e999}',
      { hours: '24' },
      { loginId: {}, password: [] },
      { familyName: '\uD800' },
    ];
    const before = await rowCounts(s);
    for (const [method, path] of targets) {
      for (const body of junk) {
        for (const token of [s.admin.token, coord.token]) {
          const res = await s.call(token, method, path, typeof body === 'string' ? body : body);
          expect(res.status, `${method} ${path} ${JSON.stringify(body)} → ${res.text.slice(0, 200)}`).toBeLessThan(500);
          expect(res.status).toBeGreaterThanOrEqual(400);
        }
      }
    }
    const after = await rowCounts(s);
    // Only sign-in failures (throttle rows and their audit) may have been recorded.
    const { loginThrottle: _a, auditEvents: _b, ...restAfter } = after;
    const { loginThrottle: _c, auditEvents: _d, ...restBefore } = before;
    expect(restAfter).toEqual(restBefore);
  });
});
