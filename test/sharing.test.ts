/**
 * Consent (rule 3) and tax information (rule 4) through the API: what a team organization
 * sees of a case and its records before, with and after consent; consents and withdrawal
 * endpoints; records endpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audited } from './helpers/audit.ts';
import { type Account, type Factories, factories } from './helpers/factories.ts';
import { KINDS, startServer, type TestServer } from './helpers/server.ts';

describe.each(KINDS)('consent widens the team view (rule 3) (%s)', (kind) => {
  let s: TestServer;
  let f: Factories;
  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
  });
  afterAll(() => s?.stop());

  it('team organization without consent: header and member identity, no problems or summary, with withheld reasons', async () => {
    const member = await f.user();
    const c = await f.caseWith({
      persons: [{}, {}, {}],
      problemsOf: [0, 1],
      summary: '同意なしでは見えない要約',
      problemNote: '同意なしでは見えない課題',
      teamOrgIds: [member.organizationId],
    });
    const [p0, p1, p2] = c.persons.map((p) => p.id) as [string, string, string];
    const { result: res, events } = await audited(s, () => s.call(member.token, 'GET', `/cases/${c.caseId}`));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: c.caseId, view: 'header', status: 'intake', leadOrganization: { id: c.lead.organizationId }, problems: [] });
    expect(res.json.team.map((t: any) => t.organizationId)).toEqual([c.lead.organizationId, member.organizationId]);
    expect(res.json.members.map((m: any) => [m.personId, m.familyName, m.givenName, m.birthDate, m.relationship])).toEqual(
      c.persons.map((p, i) => [p.id, p.familyName, p.givenName, '1980-04-01', i === 0 ? '本人' : '子']),
    );
    expect(res.json).not.toHaveProperty('summary');
    expect(res.json.members[0]).not.toHaveProperty('livesTogether');
    expect(res.text).not.toContain('同意なしでは見えない');
    expect(res.json.withheld).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ part: 'problems', reason: 'consent_missing', personIds: [p0, p1], message: expect.stringContaining('本人同意') }),
        expect.objectContaining({ part: 'summary', reason: 'consent_missing' }),
        expect.objectContaining({ part: 'composition', reason: 'not_lead' }),
      ]),
    );
    expect(res.json.abilities).toMatchObject({ addRecord: true, changeStatus: false, manageTeam: false, recordConsent: false });
    expect(events.map((e) => [e.type, e.personId, e.payload.problems])).toEqual([
      ['CASE_VIEWED', p0, false],
      ['CASE_VIEWED', p1, false],
      ['CASE_VIEWED', p2, false],
    ]);
    expect(events[0]!.basis).toEqual([{ ground: 'team', caseId: c.caseId, teamBasis: 'referral' }]);
    const en = await s.call(member.token, 'GET', `/cases/${c.caseId}`, undefined, { 'accept-language': 'en' });
    expect(en.json.withheld[0].message).toMatch(/consent/);
  });

  it("consent naming the team organization opens that person's problems and records; summary only when every problem person consented; withdrawal hides again at once", async () => {
    const member = await f.user();
    const c = await f.caseWith({ persons: [{}, {}, {}], problemsOf: [0, 1], summary: '全員の同意で見える要約', teamOrgIds: [member.organizationId] });
    const [p0, p1, p2] = c.persons.map((p) => p.id) as [string, string, string];
    await f.record(c.lead, c.caseId, 'P0の通常記録', 'normal', p0);
    await f.record(c.lead, c.caseId, 'P0の機微記録', 'sensitive', p0);
    await f.record(c.lead, c.caseId, 'P1の通常記録', 'normal', p1);
    await f.record(c.lead, c.caseId, 'P2の通常記録', 'normal', p2);
    await f.record(c.lead, c.caseId, 'ケース全体の記録', 'normal');
    const own = await f.record(member, c.caseId, '自機関の記録', 'sensitive', p1);
    const bodies = async () => (await s.call(member.token, 'GET', `/cases/${c.caseId}/records`)).json.items.map((r: any) => r.body).sort();

    expect(await bodies()).toEqual(['自機関の記録']);

    // A consent that does not name the member changes nothing.
    const elsewhere = await f.org();
    await f.consent(c.lead, p0, [elsewhere.id]);
    expect(await bodies()).toEqual(['自機関の記録']);

    const consent0 = await f.consent(c.lead, p0, [member.organizationId]);
    const view = await s.call(member.token, 'GET', `/cases/${c.caseId}`);
    expect(view.json.problems.map((p: any) => p.personId)).toEqual([p0]);
    expect(view.json).not.toHaveProperty('summary');
    expect(view.json.withheld).toContainEqual(expect.objectContaining({ part: 'problems', personIds: [p1] }));
    expect(view.json.basis).toContainEqual({ ground: 'consent', consentId: consent0.id });
    const recs = await audited(s, () => s.call(member.token, 'GET', `/cases/${c.caseId}/records`));
    expect(recs.result.json.items.map((r: any) => r.body).sort()).toEqual(['P0の機微記録', 'P0の通常記録', '自機関の記録']);
    expect(recs.result.json.items.find((r: any) => r.body === 'P0の通常記録').basis).toEqual({ ground: 'consent', consentId: consent0.id });
    expect(recs.result.json.items.find((r: any) => r.id === own.id).basis).toEqual({ ground: 'own_work' });
    expect(recs.events.map((e) => [e.type, e.personId]).sort()).toEqual(
      [
        ['RECORDS_VIEWED', p0],
        ['RECORDS_VIEWED', p1],
      ].sort(),
    );
    expect(recs.events.find((e) => e.personId === p0)!.basis).toEqual([{ ground: 'consent', consentId: consent0.id }]);

    // Summary and case-level records once every person with a problem consented (p2 has none).
    const consent1 = await f.consent(c.lead, p1, [member.organizationId]);
    const full = await s.call(member.token, 'GET', `/cases/${c.caseId}`);
    expect(full.json.summary).toBe('全員の同意で見える要約');
    expect(full.json.problems.map((p: any) => p.personId)).toEqual([p0, p1]);
    expect(await bodies()).toEqual(['P0の機微記録', 'P0の通常記録', 'P1の通常記録', 'ケース全体の記録', '自機関の記録'].sort());
    expect(full.text).not.toContain('P2の通常記録');

    // Withdrawal: hidden again on the very next request.
    const w = await audited(s, () => s.call(c.lead.token, 'POST', `/consents/${consent0.id}/withdraw`, { withdrawnOn: '2025-06-01' }));
    expect(w.result.status).toBe(200);
    expect(w.result.json).toMatchObject({ id: consent0.id, active: false, withdrawnOn: '2025-06-01', withdrawnAt: expect.any(String) });
    expect(w.events).toEqual([expect.objectContaining({ type: 'CONSENT_WITHDRAWN', personId: p0, subjectId: consent0.id })]);
    const after = await s.call(member.token, 'GET', `/cases/${c.caseId}`);
    expect(after.json).not.toHaveProperty('summary');
    expect(after.json.problems.map((p: any) => p.personId)).toEqual([p1]);
    expect(await bodies()).toEqual(['P1の通常記録', '自機関の記録'].sort());
    expect(consent1.active).toBe(true);
  });

  it('POST /persons/:id/consents: lead or coordinator only; validated; audited', async () => {
    const member = await f.user();
    const c = await f.caseWith({ teamOrgIds: [member.organizationId] });
    const p0 = c.persons[0]!.id;
    const body = {
      obtainedOn: '2025-04-01',
      method: 'oral',
      givenBy: { relation: 'guardian', name: '後見 人' },
      organizationIds: [member.organizationId],
      purposes: ['就労支援'],
      includesTaxInfo: false,
    };
    const { result: res, events } = await audited(s, () => s.call(c.lead.token, 'POST', `/persons/${p0}/consents`, body));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      id: expect.any(String),
      personId: p0,
      obtainedOn: '2025-04-01',
      method: 'oral',
      givenBy: { relation: 'guardian', name: '後見 人' },
      organizationIds: [member.organizationId],
      purposes: ['就労支援'],
      includesTaxInfo: false,
      active: true,
      recordedByOrganizationId: c.lead.organizationId,
    });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'CONSENT_RECORDED',
        personId: p0,
        subjectId: res.json.id,
        payload: expect.objectContaining({ organizationIds: [member.organizationId], includesTaxInfo: false }),
      }),
    ]);
    // A team member that is not the lead: 403. An outsider: 404. A coordinator: allowed.
    expect((await s.call(member.token, 'POST', `/persons/${p0}/consents`, body)).status).toBe(403);
    const outsider = await f.user();
    expect((await s.call(outsider.token, 'POST', `/persons/${p0}/consents`, body)).status).toBe(404);
    const coord = await f.user(undefined, undefined, ['coordinator']);
    expect((await s.call(coord.token, 'POST', `/persons/${p0}/consents`, body)).status).toBe(201);
    // Unknown organization, future date, bad method.
    const unknown = await s.call(c.lead.token, 'POST', `/persons/${p0}/consents`, { ...body, organizationIds: [member.organizationId, 'no-such-org'] });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors).toEqual([{ path: 'organizationIds.1', message: expect.any(String) }]);
    const future = await s.call(c.lead.token, 'POST', `/persons/${p0}/consents`, { ...body, obtainedOn: '2999-01-01' });
    expect(future.status).toBe(400);
    expect(future.json.errors).toEqual([{ path: 'obtainedOn', message: '未来の日付は指定できません' }]);
    expect((await s.call(c.lead.token, 'POST', `/persons/${p0}/consents`, { ...body, method: 'telepathy' })).status).toBe(400);
    expect((await s.call(c.lead.token, 'POST', '/persons/no-such-person/consents', body)).status).toBe(404);
  });

  it('GET /persons/:id/consents: visible to the team, not to outsiders (audited)', async () => {
    const member = await f.user();
    const c = await f.caseWith({ teamOrgIds: [member.organizationId] });
    const p0 = c.persons[0]!.id;
    const consent = await f.consent(c.lead, p0, [member.organizationId], { includesTaxInfo: true });
    const { result: res, events } = await audited(s, () => s.call(member.token, 'GET', `/persons/${p0}/consents`));
    expect(res.status).toBe(200);
    expect(res.json.items).toEqual([
      expect.objectContaining({ id: consent.id, includesTaxInfo: true, organizationIds: [member.organizationId], active: true }),
    ]);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'CONSENTS_VIEWED',
        personId: p0,
        basis: expect.arrayContaining([{ ground: 'team', caseId: c.caseId, teamBasis: 'referral' }]),
      }),
    ]);
    const outsider = await f.user();
    const denied = await audited(s, () => s.call(outsider.token, 'GET', `/persons/${p0}/consents`));
    expect(denied.result.status).toBe(404);
    expect(denied.events).toEqual([expect.objectContaining({ type: 'ACCESS_DENIED', outcome: 'denied', personId: p0 })]);
    expect((await s.call(s.admin.token, 'GET', `/persons/${p0}/consents`)).status).toBe(404);
  });

  it('POST /consents/:id/withdraw: lead or coordinator; once; not before it was obtained', async () => {
    const member = await f.user();
    const c = await f.caseWith({ teamOrgIds: [member.organizationId] });
    const consent = await f.consent(c.lead, c.persons[0]!.id, [member.organizationId], { obtainedOn: '2025-04-01' });
    expect((await s.call(member.token, 'POST', `/consents/${consent.id}/withdraw`, { withdrawnOn: '2025-05-01' })).status).toBe(403);
    const early = await s.call(c.lead.token, 'POST', `/consents/${consent.id}/withdraw`, { withdrawnOn: '2025-03-01' });
    expect(early.status).toBe(422);
    expect(early.json.errors).toEqual([{ path: 'withdrawnOn', message: expect.any(String) }]);
    expect((await s.call(c.lead.token, 'POST', `/consents/${consent.id}/withdraw`, { withdrawnOn: '2999-01-01' })).status).toBe(400);
    expect((await s.call(c.lead.token, 'POST', `/consents/${consent.id}/withdraw`, { withdrawnOn: '2025-05-01' })).status).toBe(200);
    expect((await s.call(c.lead.token, 'POST', `/consents/${consent.id}/withdraw`, { withdrawnOn: '2025-05-01' })).status).toBe(409);
    expect((await s.call(c.lead.token, 'POST', '/consents/no-such-consent/withdraw', { withdrawnOn: '2025-05-01' })).status).toBe(404);
  });
});

describe.each(KINDS)('records and tax information (rule 4) (%s)', (kind) => {
  let s: TestServer;
  let f: Factories;
  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
  });
  afterAll(() => s?.stop());

  it('POST /cases/:id/records: team only; personId required for sensitive and tax; audited', async () => {
    const member = await f.user();
    const c = await f.caseWith({ teamOrgIds: [member.organizationId] });
    const p0 = c.persons[0]!.id;
    const { result: res, events } = await audited(s, () =>
      s.call(member.token, 'POST', `/cases/${c.caseId}/records`, { personId: p0, body: '訪問した', classification: 'sensitive' }),
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      id: expect.any(String),
      caseId: c.caseId,
      personId: p0,
      body: '訪問した',
      classification: 'sensitive',
      authorOrganizationId: member.organizationId,
      authorUserId: member.id,
    });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'RECORD_ADDED',
        caseId: c.caseId,
        personId: p0,
        subjectId: res.json.id,
        payload: { classification: 'sensitive', chosen: 'sensitive' },
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('訪問した');
    const noPerson = await s.call(member.token, 'POST', `/cases/${c.caseId}/records`, { body: '対象者なし', classification: 'sensitive' });
    expect(noPerson.status).toBe(400);
    expect(noPerson.json.errors).toEqual([{ path: 'personId', message: expect.any(String) }]);
    const stranger = await f.person();
    const notMember = await s.call(member.token, 'POST', `/cases/${c.caseId}/records`, { personId: stranger.id, body: '他人', classification: 'normal' });
    expect(notMember.status).toBe(422);
    const outsider = await f.user();
    expect((await s.call(outsider.token, 'POST', `/cases/${c.caseId}/records`, { body: '外部', classification: 'normal' })).status).toBe(404);
    const coord = await f.user(undefined, undefined, ['coordinator']);
    expect((await s.call(coord.token, 'POST', `/cases/${c.caseId}/records`, { body: '索引から', classification: 'normal' })).status).toBe(403);
  });

  describe('tax', () => {
    let taxer: Account;
    let member: Account;
    let c: Awaited<ReturnType<Factories['caseWith']>>;
    let p0: string;
    const bodies = async (u: Account) => {
      const res = await s.call(u.token, 'GET', `/cases/${c.caseId}/records`);
      expect(res.status).toBe(200);
      return res.json.items.map((r: any) => r.body).sort() as string[];
    };
    beforeAll(async () => {
      taxer = await f.taxUser();
      member = await f.user();
      c = await f.caseWith({ teamOrgIds: [taxer.organizationId, member.organizationId] });
      p0 = c.persons[0]!.id;
      await f.record(c.lead, c.caseId, '主担当の通常記録', 'normal', p0);
    });

    it('a record written by an organization whose fields include 税務 is stored as tax whatever was chosen', async () => {
      for (const chosen of ['normal', 'sensitive', 'tax'] as const) {
        const { result: res, events } = await audited(s, () =>
          s.call(taxer.token, 'POST', `/cases/${c.caseId}/records`, { personId: p0, body: `税の記録(${chosen})`, classification: chosen }),
        );
        expect(res.status).toBe(201);
        expect(res.json.classification).toBe('tax');
        const row = await s.services.db.selectFrom('records').select('classification').where('id', '=', res.json.id).executeTakeFirstOrThrow();
        expect(row.classification).toBe('tax');
        expect(events[0]!.payload).toEqual({ classification: 'tax', chosen });
      }
      // A tax organization's record needs a person, like any tax record.
      expect((await s.call(taxer.token, 'POST', `/cases/${c.caseId}/records`, { body: '対象者なし', classification: 'tax' })).status).toBe(400);
    });

    it('tax records are visible to the tax organization and hidden from the team without a tax consent', async () => {
      expect(await bodies(taxer)).toEqual(['税の記録(normal)', '税の記録(sensitive)', '税の記録(tax)']);
      expect(await bodies(c.lead)).toEqual(['主担当の通常記録']);
      expect(await bodies(member)).toEqual([]);
    });

    it("a consent without tax opens normal records but not tax; another organization's tax consent does not count", async () => {
      const plain = await f.consent(c.lead, p0, [member.organizationId], { includesTaxInfo: false });
      const otherOrg = await f.org();
      const taxForOther = await f.consent(c.lead, p0, [otherOrg.id], { includesTaxInfo: true });
      expect(await bodies(member)).toEqual(['主担当の通常記録']);
      await f.withdraw(c.lead, plain.id);
      await f.withdraw(c.lead, taxForOther.id);
    });

    it('a consent with includesTaxInfo naming the team organization opens tax; withdrawal hides it again', async () => {
      const withTax = await f.consent(c.lead, p0, [member.organizationId], { includesTaxInfo: true });
      const { result: res, events } = await audited(s, () => s.call(member.token, 'GET', `/cases/${c.caseId}/records`));
      expect(res.json.items.map((r: any) => r.body).sort()).toEqual(['主担当の通常記録', '税の記録(normal)', '税の記録(sensitive)', '税の記録(tax)']);
      expect(res.json.items.filter((r: any) => r.classification === 'tax').every((r: any) => r.basis.consentId === withTax.id)).toBe(true);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'RECORDS_VIEWED',
          personId: p0,
          basis: [{ ground: 'consent', consentId: withTax.id }],
          payload: expect.objectContaining({ classifications: expect.arrayContaining(['tax', 'normal']) }),
        }),
      ]);
      // The lead is not named in that consent: still no tax for the lead.
      expect(await bodies(c.lead)).toEqual(['主担当の通常記録']);
      await f.withdraw(c.lead, withTax.id);
      expect(await bodies(member)).toEqual([]);
    });

    it('a tax consent naming an organization off the team opens nothing', async () => {
      const outsider = await f.user();
      const consent = await f.consent(c.lead, p0, [outsider.organizationId], { includesTaxInfo: true });
      expect((await s.call(outsider.token, 'GET', `/cases/${c.caseId}/records`)).status).toBe(404);
      expect((await s.call(outsider.token, 'GET', `/cases/${c.caseId}`)).status).toBe(404);
      await f.withdraw(c.lead, consent.id);
    });

    it('break-glass never opens tax records, even with a tax consent naming the coordinator', async () => {
      const coord = await f.user(undefined, undefined, ['coordinator']);
      const consent = await f.consent(c.lead, p0, [coord.organizationId], { includesTaxInfo: true });
      expect((await s.call(coord.token, 'POST', `/cases/${c.caseId}/break-glass`, { reason: '緊急', hours: 1 })).status).toBe(201);
      const recs = await s.call(coord.token, 'GET', `/cases/${c.caseId}/records`);
      expect(recs.json.items.map((r: any) => r.body)).toEqual(['主担当の通常記録']);
      expect(recs.text).not.toContain('税の記録');
      await f.withdraw(c.lead, consent.id);
    });
  });
});
