/**
 * Leak sweep (rule 1): an outsider caseworker, the administrator, other roles without an
 * organization ground, and search must never reveal a case or its records. Canary strings
 * are planted everywhere content can live; no response to these callers may contain one.
 * Invisible and non-existent ids must answer identically.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, type Factories, factories } from './helpers/factories.ts';
import { KINDS, type Res, startServer, type TestServer } from './helpers/server.ts';

const CANARY = 'カナリア';

describe.each(KINDS)('leak sweep (%s)', (kind) => {
  let s: TestServer;
  let f: Factories;
  let c: Awaited<ReturnType<Factories['caseWith']>>;
  let consentId: string;
  let recordIds: string[];
  let member: Account;
  let taxer: Account;
  const canaries = [`${CANARY}要約`, `${CANARY}課題`, `${CANARY}通常記録`, `${CANARY}機微記録`, `${CANARY}税記録`, `金糸雀`, `${CANARY}世帯`, `${CANARY}町`];

  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
    member = await f.user();
    taxer = await f.taxUser();
    c = await f.caseWith({
      persons: [
        { familyName: '金糸雀', givenName: '秘子', familyNameKana: 'カナリア', givenNameKana: 'ヒミコ', address: `${CANARY}町1-1` },
        { familyName: '金糸雀', givenName: '隠', familyNameKana: 'カナリア', givenNameKana: 'カクレ', address: `${CANARY}町1-1` },
      ],
      problemsOf: [0, 1],
      summary: `${CANARY}要約`,
      problemNote: `${CANARY}課題`,
      householdName: `${CANARY}世帯`,
      teamOrgIds: [member.organizationId, taxer.organizationId],
    });
    const p0 = c.persons[0]!.id;
    recordIds = [
      (await f.record(c.lead, c.caseId, `${CANARY}通常記録`, 'normal', p0)).id,
      (await f.record(member, c.caseId, `${CANARY}機微記録`, 'sensitive', p0)).id,
      (await f.record(taxer, c.caseId, `${CANARY}税記録`, 'tax', p0)).id,
    ];
    consentId = (await f.consent(c.lead, p0, [member.organizationId], { includesTaxInfo: true })).id;
  });
  afterAll(() => s?.stop());

  function expectNoCanary(res: Res, what: string) {
    for (const canary of canaries) expect(res.text, `${what} leaked ${canary}`).not.toContain(canary);
  }

  /** Every read and write an uninvited caller might try, with the statuses they must get. */
  async function sweep(who: Account | { token: string }, label: string) {
    const p = c.persons.map((x) => x.id);
    const reads: [string, string][] = [
      [`/cases/${c.caseId}`, '404'],
      [`/cases/${c.caseId}/records`, '404'],
      ...p.map((id) => [`/persons/${id}`, '404'] as [string, string]),
      ...p.map((id) => [`/persons/${id}/consents`, '404'] as [string, string]),
      [`/households/${c.household.id}`, '404'],
    ];
    for (const [path, status] of reads) {
      const res = await s.call(who.token, 'GET', path);
      expect(res.status, `${label} GET ${path}`).toBe(Number(status));
      expect(res.json).toMatchObject({ status: 404, type: expect.stringContaining('not_found') });
      expectNoCanary(res, `${label} GET ${path}`);
      for (const id of [...recordIds, consentId]) expect(res.text).not.toContain(id);
    }
    for (const path of [
      '/cases',
      '/persons',
      `/persons?q=${encodeURIComponent('金糸雀')}`,
      `/persons?q=${encodeURIComponent('かなりあ')}`,
      `/persons?q=${encodeURIComponent('ｶﾅﾘｱ ﾋﾐｺ')}`,
      '/notifications',
      '/organizations',
    ]) {
      const res = await s.call(who.token, 'GET', path);
      expect(res.status, `${label} GET ${path}`).toBe(200);
      expectNoCanary(res, `${label} GET ${path}`);
      expect(res.text, `${label} GET ${path}`).not.toContain(c.caseId);
      for (const id of p) expect(res.text, `${label} GET ${path}`).not.toContain(id);
    }
    const writes: [string, string, unknown][] = [
      ['POST', `/cases/${c.caseId}/records`, { body: '侵入', classification: 'normal' }],
      ['POST', `/cases/${c.caseId}/team`, { organizationId: c.lead.organizationId }],
      ['DELETE', `/cases/${c.caseId}/team/${member.organizationId}`, undefined],
      ['POST', `/cases/${c.caseId}/status`, { to: 'closed', reason: '目標達成' }],
      ['POST', `/persons/${p[0]}/consents`, { obtainedOn: '2025-04-01', method: 'written', organizationIds: [member.organizationId], includesTaxInfo: true }],
      ['POST', `/consents/${consentId}/withdraw`, { withdrawnOn: '2025-05-01' }],
    ];
    for (const [method, path, body] of writes) {
      const res = await s.call(who.token, method, path, body);
      expect([403, 404], `${label} ${method} ${path}: ${res.status}`).toContain(res.status);
      expectNoCanary(res, `${label} ${method} ${path}`);
    }
    // Registering the same person again: a possible match, held elsewhere, no identity.
    const dup = await s.call(who.token, 'POST', '/persons', {
      familyName: '金糸雀',
      givenName: '秘子',
      familyNameKana: 'カナリア',
      givenNameKana: 'ヒミコ',
      birthDate: '1980-04-01',
    });
    if (dup.status === 201) {
      expect(dup.json.possibleDuplicates).toEqual([{ heldElsewhere: true }]);
      expect(JSON.stringify(dup.json.possibleDuplicates)).not.toContain(p[0]!);
    } else expect(dup.status).toBe(403);
  }

  async function nothingChanged() {
    const kase = await s.services.db.selectFrom('cases').selectAll().where('id', '=', c.caseId).executeTakeFirstOrThrow();
    expect(kase.status).toBe('intake');
    const team = await s.services.db.selectFrom('caseTeam').select('organizationId').where('caseId', '=', c.caseId).execute();
    expect(team).toHaveLength(3);
    const consent = await s.services.db.selectFrom('consents').select('withdrawnAt').where('id', '=', consentId).executeTakeFirstOrThrow();
    expect(consent.withdrawnAt).toBeNull();
    expect(await s.services.db.selectFrom('records').select('id').where('body', '=', '侵入').execute()).toEqual([]);
  }

  it('a caseworker of an organization outside the team cannot reveal the case or its records', async () => {
    const outsider = await f.user();
    await sweep(outsider, 'outsider');
    await nothingChanged();
  });

  it('the administrator cannot reveal the case or its records', async () => {
    await sweep(s.admin, 'admin');
    const users = await s.call(s.admin.token, 'GET', '/users');
    expectNoCanary(users, 'admin GET /users');
    await nothingChanged();
  });

  it('auditors, advisors, outreach workers and external members of the lead organization itself see no content', async () => {
    for (const role of ['auditor', 'advisor', 'outreach', 'external_member', 'community'] as const) {
      const u = await f.user(undefined, c.lead.organizationId, [role]);
      await sweep(u, role);
    }
    await nothingChanged();
  });

  it('a search never reveals the case or its persons to anyone off the team', async () => {
    const outsider = await f.user();
    const coord = await f.user(undefined, undefined, ['coordinator']);
    for (const who of [outsider, coord, s.admin]) {
      for (const q of ['金糸雀', 'かなりあ', 'カナリア ヒミコ', 'ｶﾅﾘｱ', '秘子']) {
        const res = await s.call(who.token, 'GET', `/persons?q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(200);
        expect(res.json.items).toEqual([]);
        expectNoCanary(res, `search ${q}`);
      }
    }
    // The team does find them: the search works, it is the scope that hides.
    const res = await s.call(member.token, 'GET', `/persons?q=${encodeURIComponent('かなりあ')}`);
    expect(res.json.items.map((p: any) => p.id).sort()).toEqual(c.persons.map((p) => p.id).sort());
  });

  it('invisible and non-existent ids answer identically (status and body, except requestId)', async () => {
    const outsider = await f.user();
    const missing = '0000000000000000000000000000dead';
    const pairs: [string, string, string, unknown][] = [
      ['GET', `/cases/${c.caseId}`, `/cases/${missing}`, undefined],
      ['GET', `/cases/${c.caseId}/records`, `/cases/${missing}/records`, undefined],
      ['GET', `/persons/${c.persons[0]!.id}`, `/persons/${missing}`, undefined],
      ['GET', `/persons/${c.persons[0]!.id}/consents`, `/persons/${missing}/consents`, undefined],
      ['GET', `/households/${c.household.id}`, `/households/${missing}`, undefined],
      ['POST', `/cases/${c.caseId}/records`, `/cases/${missing}/records`, { body: '侵入', classification: 'normal' }],
      ['POST', `/cases/${c.caseId}/team`, `/cases/${missing}/team`, { organizationId: outsider.organizationId }],
      ['DELETE', `/cases/${c.caseId}/team/${member.organizationId}`, `/cases/${missing}/team/${member.organizationId}`, undefined],
      ['POST', `/cases/${c.caseId}/status`, `/cases/${missing}/status`, { to: 'assessment' }],
      ['POST', `/cases/${c.caseId}/break-glass`, `/cases/${missing}/break-glass`, { reason: '緊急' }],
      [
        'POST',
        `/persons/${c.persons[0]!.id}/consents`,
        `/persons/${missing}/consents`,
        { obtainedOn: '2025-04-01', method: 'written', organizationIds: [outsider.organizationId], includesTaxInfo: false },
      ],
      ['POST', `/consents/${consentId}/withdraw`, `/consents/${missing}/withdraw`, { withdrawnOn: '2025-05-01' }],
    ];
    const strip = (j: any) => {
      const { requestId: _, ...rest } = j ?? {};
      return rest;
    };
    for (const who of [outsider, s.admin]) {
      for (const [method, invisible, nonexistent, body] of pairs) {
        const a = await s.call(who.token, method, invisible, body);
        const b = await s.call(who.token, method, nonexistent, body);
        expect(a.status, `${method} ${invisible}`).toBe(b.status);
        expect([403, 404]).toContain(a.status);
        expect(strip(a.json), `${method} ${invisible}`).toEqual(strip(b.json));
        expect(a.headers.get('content-type')).toBe(b.headers.get('content-type'));
        for (const lang of ['en']) {
          const ae = await s.call(who.token, method, invisible, body, { 'accept-language': lang });
          const be = await s.call(who.token, method, nonexistent, body, { 'accept-language': lang });
          expect(strip(ae.json)).toEqual(strip(be.json));
        }
      }
    }
    await nothingChanged();
  });
});
