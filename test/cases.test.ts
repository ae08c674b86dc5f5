/**
 * Cases: intake, the list, the case view per ground (lead, team, coordinator index,
 * break-glass), the team, status moves — with the audit rows each writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../src/lib/clock.ts';
import { audited } from './helpers/audit.ts';
import { type Factories, factories } from './helpers/factories.ts';
import { KINDS, startServer, type TestServer } from './helpers/server.ts';

describe.each(KINDS)('cases (%s)', (kind) => {
  let s: TestServer;
  let f: Factories;
  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
  });
  afterAll(() => s?.stop());

  it('POST /cases: opens a case in intake with the lead on its team (audited)', async () => {
    const lead = await f.user();
    const p = await f.person(lead);
    const h = await f.household(lead, [{ personId: p.id, relationship: '本人' }]);
    const body = {
      householdId: h.id,
      leadOrganizationId: lead.organizationId,
      referralRoute: '民生委員',
      summary: '長期のひきこもり',
      urgency: 'high',
      problems: [{ personId: p.id, type: 'ひきこもり', note: '10年' }],
    };
    const { result: res, events } = await audited(s, () => s.call(lead.token, 'POST', '/cases', body));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      id: expect.any(String),
      status: 'intake',
      urgency: 'high',
      householdId: h.id,
      summary: '長期のひきこもり',
      referralRoute: '民生委員',
      leadOrganization: { id: lead.organizationId },
      team: [{ organizationId: lead.organizationId, basis: 'lead' }],
      problems: [{ personId: p.id, type: 'ひきこもり', note: '10年' }],
    });
    expect(res.json.statusHistory).toEqual([expect.objectContaining({ from: null, to: 'intake' })]);
    expect(events).toEqual([expect.objectContaining({ type: 'CASE_OPENED', caseId: res.json.id, subjectId: res.json.id, actorUserId: lead.id })]);
  });

  it('POST /cases: a caseworker may only lead for their own organization; a coordinator may name another', async () => {
    const lead = await f.user();
    const other = await f.org();
    const p = await f.person(lead);
    const h = await f.household(lead, [{ personId: p.id }]);
    const body = { householdId: h.id, leadOrganizationId: other.id, referralRoute: '本人', summary: '相談', problems: [] };
    expect((await s.call(lead.token, 'POST', '/cases', body)).status).toBe(403);
    const coord = await f.user(undefined, lead.organizationId, ['coordinator']);
    const res = await s.call(coord.token, 'POST', '/cases', body);
    expect(res.status).toBe(201);
    expect(res.json.leadOrganization.id).toBe(other.id);
    expect((await s.call(s.admin.token, 'POST', '/cases', body)).status).toBe(403);
  });

  it('POST /cases: unknown household, unknown lead, and a problem of a non-member are 422 naming each field', async () => {
    const lead = await f.user();
    const p = await f.person(lead);
    const stranger = await f.person(lead);
    const h = await f.household(lead, [{ personId: p.id }]);
    const coord = await f.user(undefined, lead.organizationId, ['coordinator']);
    const unknown = await s.call(coord.token, 'POST', '/cases', {
      householdId: 'nohousehold',
      leadOrganizationId: 'noorg',
      referralRoute: '本人',
      summary: '相談',
      problems: [],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors.map((e: any) => e.path).sort()).toEqual(['householdId', 'leadOrganizationId']);
    const notMember = await s.call(lead.token, 'POST', '/cases', {
      householdId: h.id,
      leadOrganizationId: lead.organizationId,
      referralRoute: '本人',
      summary: '相談',
      problems: [{ personId: stranger.id, type: '孤立' }],
    });
    expect(notMember.status).toBe(422);
    expect(notMember.json.errors).toEqual([{ path: 'problems.0.personId', message: expect.any(String) }]);
    // A household the caller may not see is unknown too.
    const foreign = await f.household();
    const res = await s.call(lead.token, 'POST', '/cases', {
      householdId: foreign.id,
      leadOrganizationId: lead.organizationId,
      referralRoute: '本人',
      summary: '相談',
      problems: [],
    });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ path: 'householdId', message: expect.any(String) }]);
  });

  it("GET /cases: lists the team's cases as header, the coordinator's index, nothing for outsiders (audited)", async () => {
    const member = await f.user();
    const c = await f.caseWith({ teamOrgIds: [member.organizationId] });
    const mine = await audited(s, () => s.call(member.token, 'GET', '/cases'));
    expect(mine.result.status).toBe(200);
    expect(mine.result.json.items).toEqual([
      expect.objectContaining({ id: c.caseId, status: 'intake', view: 'header', leadOrganization: expect.objectContaining({ id: c.lead.organizationId }) }),
    ]);
    expect(mine.events).toEqual([expect.objectContaining({ type: 'CASES_LISTED', payload: { count: 1, caseIds: [c.caseId] } })]);
    const coord = await f.user(undefined, undefined, ['coordinator']);
    const index = await s.call(coord.token, 'GET', '/cases');
    expect(index.json.items.find((x: any) => x.id === c.caseId)).toMatchObject({ view: 'index', householdName: expect.any(String) });
    expect(index.text).not.toContain('複合的な課題');
    const outsider = await f.user();
    expect((await s.call(outsider.token, 'GET', '/cases')).json.items).toEqual([]);
    expect((await s.call(s.admin.token, 'GET', '/cases')).json.items).toEqual([]);
    const closed = await s.call(member.token, 'GET', '/cases?status=closed');
    expect(closed.json.items).toEqual([]);
  });

  it('the lead sees the case core: summary, problems, composition (audited per member with basis lead)', async () => {
    const c = await f.caseWith({ problemsOf: [0, 1], summary: '主担当だけが見る要約' });
    const { result: res, events } = await audited(s, () => s.call(c.lead.token, 'GET', `/cases/${c.caseId}`));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: c.caseId, view: 'header', summary: '主担当だけが見る要約', referralRoute: 'ケアマネ', withheld: [] });
    expect(res.json.problems.map((p: any) => p.personId)).toEqual([c.persons[0]!.id, c.persons[1]!.id]);
    expect(res.json.members[0]).toMatchObject({ personId: c.persons[0]!.id, relationship: '本人', livesTogether: true, keyPerson: true });
    expect(res.json.abilities).toMatchObject({ addRecord: true, changeStatus: true, manageTeam: true, recordConsent: true, breakGlass: false });
    expect(events.map((e) => [e.type, e.personId, e.caseId])).toEqual([
      ['CASE_VIEWED', c.persons[0]!.id, c.caseId],
      ['CASE_VIEWED', c.persons[1]!.id, c.caseId],
    ]);
    expect(events[0]!.basis).toEqual([{ ground: 'lead', caseId: c.caseId }]);
  });

  it('a coordinator not on the team sees only the index (no summary, members or problems)', async () => {
    const c = await f.caseWith({ summary: '索引には出ない要約' });
    const coord = await f.user(undefined, undefined, ['coordinator']);
    const { result: res, events } = await audited(s, () => s.call(coord.token, 'GET', `/cases/${c.caseId}`));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: c.caseId,
      view: 'index',
      status: 'intake',
      leadOrganization: { id: c.lead.organizationId },
      withheld: [expect.objectContaining({ part: 'header', reason: 'index_only' })],
    });
    expect(res.json.team.map((t: any) => t.organizationId)).toEqual([c.lead.organizationId]);
    for (const hidden of ['summary', 'members', 'problems', 'referralRoute', 'statusHistory']) expect(res.json, hidden).not.toHaveProperty(hidden);
    expect(res.text).not.toContain('索引には出ない要約');
    expect(res.text).not.toContain(c.persons[0]!.givenName);
    expect(res.json.abilities.breakGlass).toBe(true);
    expect(events).toEqual([
      expect.objectContaining({ type: 'CASE_VIEWED', caseId: c.caseId, personId: null, basis: [{ ground: 'coordinator_index' }], payload: { view: 'index' } }),
    ]);
    // Nor the records, nor the persons.
    await f.record(c.lead, c.caseId, '索引からは見えない記録', 'normal', c.persons[0]!.id);
    const recs = await s.call(coord.token, 'GET', `/cases/${c.caseId}/records`);
    expect(recs.status).toBe(200);
    expect(recs.json.items).toEqual([]);
    expect((await s.call(coord.token, 'GET', `/persons/${c.persons[0]!.id}`)).status).toBe(404);
  });

  it('POST /cases/:id/team: the same organization added by concurrent requests is added once; the others get 409, never 500', async () => {
    const c = await f.caseWith();
    const other = await f.org();
    const answers = await Promise.all(Array.from({ length: 8 }, () => s.call(c.lead.token, 'POST', `/cases/${c.caseId}/team`, { organizationId: other.id })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((x) => x === 200)).toHaveLength(1);
    expect(statuses.filter((x) => x !== 200).every((x) => x === 409)).toBe(true);
    const view = await s.call(c.lead.token, 'GET', `/cases/${c.caseId}`);
    expect(view.json.team.filter((t: any) => t.organizationId === other.id)).toHaveLength(1);
  });

  it('POST /cases/:id/team: lead and coordinator add organizations; others are refused (audited)', async () => {
    const c = await f.caseWith();
    const newcomer = await f.org();
    const { result: res, events } = await audited(s, () => s.call(c.lead.token, 'POST', `/cases/${c.caseId}/team`, { organizationId: newcomer.id }));
    expect(res.status).toBe(200);
    expect(res.json.items).toEqual([
      expect.objectContaining({ organizationId: c.lead.organizationId, basis: 'lead' }),
      expect.objectContaining({ organizationId: newcomer.id, basis: 'referral', organizationName: newcomer.name }),
    ]);
    expect(events).toEqual([
      expect.objectContaining({ type: 'CASE_TEAM_MEMBER_ADDED', caseId: c.caseId, subjectId: newcomer.id, payload: { basis: 'referral' } }),
    ]);
    expect((await s.call(c.lead.token, 'POST', `/cases/${c.caseId}/team`, { organizationId: newcomer.id })).status).toBe(409);
    const bad = await s.call(c.lead.token, 'POST', `/cases/${c.caseId}/team`, { organizationId: 'no-such-org' });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual([{ path: 'organizationId', message: expect.any(String) }]);
    // A team member that is not the lead may not change the team.
    const member = await f.user(undefined, newcomer.id);
    const third = await f.org();
    expect((await s.call(member.token, 'POST', `/cases/${c.caseId}/team`, { organizationId: third.id })).status).toBe(403);
    // A coordinator may, with a stated basis; the view marks it as brought in later (新).
    const coord = await f.user(undefined, undefined, ['coordinator']);
    const byCoord = await s.call(coord.token, 'POST', `/cases/${c.caseId}/team`, { organizationId: third.id, basis: 'meeting' });
    expect(byCoord.status).toBe(200);
    expect(byCoord.json.items).toContainEqual(expect.objectContaining({ organizationId: third.id, basis: 'meeting' }));
    const view = await s.call(c.lead.token, 'GET', `/cases/${c.caseId}`);
    expect(view.json.team.find((t: any) => t.organizationId === third.id).addedLater).toBe(true);
    expect(view.json.team.find((t: any) => t.organizationId === c.lead.organizationId).addedLater).toBe(false);
    const outsider = await f.user();
    expect((await s.call(outsider.token, 'POST', `/cases/${c.caseId}/team`, { organizationId: outsider.organizationId })).status).toBe(404);
  });

  it('DELETE /cases/:id/team/:organizationId: removes at once; the lead cannot leave (audited)', async () => {
    const member = await f.user();
    const c = await f.caseWith({ teamOrgIds: [member.organizationId] });
    expect((await s.call(member.token, 'DELETE', `/cases/${c.caseId}/team/${c.lead.organizationId}`)).status).toBe(403);
    expect((await s.call(c.lead.token, 'DELETE', `/cases/${c.caseId}/team/${c.lead.organizationId}`)).status).toBe(409);
    const { result: res, events } = await audited(s, () => s.call(c.lead.token, 'DELETE', `/cases/${c.caseId}/team/${member.organizationId}`));
    expect(res.status).toBe(200);
    expect(res.json.items.map((t: any) => t.organizationId)).toEqual([c.lead.organizationId]);
    expect(events).toEqual([expect.objectContaining({ type: 'CASE_TEAM_MEMBER_REMOVED', caseId: c.caseId, subjectId: member.organizationId })]);
    expect((await s.call(c.lead.token, 'DELETE', `/cases/${c.caseId}/team/${member.organizationId}`)).status).toBe(409);
    expect((await s.call(member.token, 'GET', `/cases/${c.caseId}`)).status).toBe(404);
  });

  it('POST /cases/:id/status: the lead moves the case; closing needs a reason; reopening works (audited)', async () => {
    const member = await f.user();
    const c = await f.caseWith({ teamOrgIds: [member.organizationId] });
    const { result: res, events } = await audited(s, () => s.call(c.lead.token, 'POST', `/cases/${c.caseId}/status`, { to: 'assessment', note: '訪問で確認' }));
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('assessment');
    expect(res.json.statusHistory.map((h: any) => [h.from, h.to])).toEqual([
      [null, 'intake'],
      ['intake', 'assessment'],
    ]);
    expect(events).toEqual([
      expect.objectContaining({ type: 'CASE_STATUS_CHANGED', caseId: c.caseId, payload: { from: 'intake', to: 'assessment', reason: null } }),
    ]);
    expect((await s.call(c.lead.token, 'POST', `/cases/${c.caseId}/status`, { to: 'assessment' })).status).toBe(409);
    const noReason = await s.call(c.lead.token, 'POST', `/cases/${c.caseId}/status`, { to: 'closed' });
    expect(noReason.status).toBe(422);
    expect(noReason.json.errors).toEqual([{ path: 'reason', message: expect.any(String) }]);
    expect((await s.call(member.token, 'POST', `/cases/${c.caseId}/status`, { to: 'planning' })).status).toBe(403);
    expect((await s.call(c.lead.token, 'POST', `/cases/${c.caseId}/status`, { to: 'nowhere' })).status).toBe(400);
    const closed = await s.call(c.lead.token, 'POST', `/cases/${c.caseId}/status`, { to: 'closed', reason: '目標達成' });
    expect(closed.status).toBe(200);
    expect(closed.json).toMatchObject({ status: 'closed', closingReason: '目標達成' });
    const reopened = await s.call(c.lead.token, 'POST', `/cases/${c.caseId}/status`, { to: 'intake', reason: '新たな課題' });
    expect(reopened.json).toMatchObject({ status: 'intake', closingReason: null });
    const list = await s.call(c.lead.token, 'GET', '/cases?status=intake');
    expect(list.json.items.map((x: any) => x.id)).toContain(c.caseId);
  });
});

describe.each(KINDS)('break-glass (rule 8) (%s)', (kind) => {
  let s: TestServer;
  let f: Factories;
  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
  });
  afterAll(() => s?.stop());

  it('a coordinator breaks the glass: read-only, ≤ 24 h, alerts the lead organization and auditors, audited', async () => {
    const taxer = await f.taxUser();
    const c = await f.caseWith({ summary: '緊急の要約', teamOrgIds: [taxer.organizationId] });
    const colleague = await f.user(undefined, c.lead.organizationId);
    const auditor = await f.user(undefined, undefined, ['auditor']);
    const outsider = await f.user();
    const p0 = c.persons[0]!.id;
    await f.record(c.lead, c.caseId, '通常の記録', 'normal', p0);
    await f.record(c.lead, c.caseId, '機微な記録', 'sensitive', p0);
    await f.record(taxer, c.caseId, '滞納の記録', 'tax', p0);
    const coord = await f.user(undefined, undefined, ['coordinator']);
    // The tax consent names the coordinator's organization: break-glass still never opens tax.
    await f.consent(c.lead, p0, [coord.organizationId], { includesTaxInfo: true });

    expect((await s.call(coord.token, 'POST', `/cases/${c.caseId}/break-glass`, { reason: '安否不明', hours: 25 })).status).toBe(400);
    expect((await s.call(coord.token, 'POST', `/cases/${c.caseId}/break-glass`, { reason: '' })).status).toBe(400);
    expect((await s.call(outsider.token, 'POST', `/cases/${c.caseId}/break-glass`, { reason: '安否不明' })).status).toBe(403);
    const t0 = Date.now();
    const { result: res, events } = await audited(s, () =>
      s.call(coord.token, 'POST', `/cases/${c.caseId}/break-glass`, { reason: '安否不明・緊急', hours: 2 }),
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ id: expect.any(String), caseId: c.caseId, readOnly: true, excludes: ['tax'] });
    const expires = Date.parse(res.json.expiresAt);
    expect(expires).toBeGreaterThan(t0 + 2 * 3600_000 - 60_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 2 * 3600_000 + 1000);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'CASE_BREAK_GLASS_OPENED',
        caseId: c.caseId,
        actorUserId: coord.id,
        basis: [{ ground: 'break_glass', grantId: res.json.id }],
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('安否不明');

    // The default (and maximum) is 24 hours.
    const other = await f.caseWith();
    const long = await s.call(coord.token, 'POST', `/cases/${other.caseId}/break-glass`, { reason: '緊急' });
    expect(Date.parse(long.json.expiresAt) - Date.parse(long.json.grantedAt)).toBe(24 * 3600_000);

    // Read-only view of the case core, with the grant shown.
    const view = await audited(s, () => s.call(coord.token, 'GET', `/cases/${c.caseId}`));
    expect(view.result.status).toBe(200);
    expect(view.result.json).toMatchObject({ view: 'header', summary: '緊急の要約', breakGlass: { grantId: res.json.id, readOnly: true } });
    expect(view.result.json.problems.map((p: any) => p.personId)).toEqual([p0]);
    expect(view.result.json.abilities).toMatchObject({ addRecord: false, changeStatus: false });
    expect(view.events.every((e) => e.basis.some((b: any) => b.ground === 'break_glass' && b.grantId === res.json.id))).toBe(true);
    const recs = await s.call(coord.token, 'GET', `/cases/${c.caseId}/records`);
    expect(recs.json.items.map((r: any) => r.body).sort()).toEqual(['機微な記録', '通常の記録']);
    expect(recs.text).not.toContain('滞納');
    expect((await s.call(coord.token, 'GET', `/persons/${p0}`)).status).toBe(200);

    // Writing under break-glass is refused.
    const write = await s.call(coord.token, 'POST', `/cases/${c.caseId}/records`, { body: '書けないはず', classification: 'normal' });
    expect(write.status).toBe(403);
    expect((await s.call(coord.token, 'POST', `/cases/${c.caseId}/status`, { to: 'assessment' })).status).toBe(403);
    expect(await s.services.db.selectFrom('records').select('id').where('body', '=', '書けないはず').execute()).toEqual([]);

    // Alerts: every user of the lead organization and every auditor; nobody else.
    for (const u of [c.lead, colleague, auditor]) {
      const inbox = await s.call(u.token, 'GET', '/notifications');
      expect(inbox.status).toBe(200);
      expect(inbox.json.items).toContainEqual(expect.objectContaining({ kind: 'break_glass', subjectType: 'case', subjectId: c.caseId }));
    }
    for (const u of [outsider, taxer]) {
      const inbox = await s.call(u.token, 'GET', '/notifications');
      expect(inbox.json.items.filter((n: any) => n.subjectId === c.caseId)).toEqual([]);
    }
    // The auditor finds the prominent entry.
    const trail = await s.call(auditor.token, 'GET', `/audit?caseId=${c.caseId}`);
    expect(trail.json.items).toContainEqual(expect.objectContaining({ type: 'CASE_BREAK_GLASS_OPENED', actor: expect.objectContaining({ userId: coord.id }) }));
  });

  it('break-glass is for coordinators off the team; the grant expires with its time', async () => {
    const coord = await f.user(undefined, undefined, ['coordinator']);
    const onTeam = await f.caseWith({ lead: coord });
    expect((await s.call(coord.token, 'POST', `/cases/${onTeam.caseId}/break-glass`, { reason: '緊急' })).status).toBe(403);
    expect((await s.call(coord.token, 'POST', '/cases/no-such-case/break-glass', { reason: '緊急' })).status).toBe(404);
    // An expired grant opens nothing (simulated by moving its expiry into the past).
    const c = await f.caseWith({ summary: '期限切れで見えない' });
    const other = await f.user(undefined, undefined, ['coordinator']);
    const g = await s.call(other.token, 'POST', `/cases/${c.caseId}/break-glass`, { reason: '緊急', hours: 1 });
    expect((await s.call(other.token, 'GET', `/cases/${c.caseId}`)).json.summary).toBe('期限切れで見えない');
    await s.services.db
      .updateTable('breakGlassGrants')
      .set({ expiresAt: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', g.json.id)
      .execute();
    const after = await s.call(other.token, 'GET', `/cases/${c.caseId}`);
    expect(after.json.view).toBe('index');
    expect(after.text).not.toContain('期限切れで見えない');
    expect((await s.call(other.token, 'GET', `/persons/${c.persons[0]!.id}`)).status).toBe(404);
  });

  it('a break-glass grant ends when its hours have passed (server clock moved forward)', async () => {
    const c = await f.caseWith({ summary: '24時間で閉じる要約' });
    const coord = await f.user(undefined, undefined, ['coordinator']);
    const g = await s.call(coord.token, 'POST', `/cases/${c.caseId}/break-glass`, { reason: '緊急' });
    expect(g.status).toBe(201);
    expect((await s.call(coord.token, 'GET', `/cases/${c.caseId}`)).json.summary).toBe('24時間で閉じる要約');
    const start = Date.parse(g.json.grantedAt);
    // API tokens live 12 h, so sign in again at each moved clock.
    const signIn = async () => (await s.call(null, 'POST', '/auth/token', { loginId: coord.loginId, password: coord.password })).json.token as string;
    const restore = setClock(() => start + 24 * 3600_000 - 1000);
    try {
      expect((await s.call(await signIn(), 'GET', `/cases/${c.caseId}`)).json.view).toBe('header');
      setClock(() => start + 24 * 3600_000 + 1);
      const tok = await signIn();
      const view = await s.call(tok, 'GET', `/cases/${c.caseId}`);
      expect(view.status).toBe(200);
      expect(view.json.view).toBe('index');
      expect(view.text).not.toContain('24時間で閉じる要約');
      expect((await s.call(tok, 'GET', `/cases/${c.caseId}/records`)).json.items).toEqual([]);
      expect((await s.call(tok, 'GET', `/persons/${c.persons[0]!.id}`)).status).toBe(404);
    } finally {
      restore();
    }
  });

  it('GET /notifications: an empty inbox for a user with no alerts', async () => {
    const u = await f.user();
    const res = await s.call(u.token, 'GET', '/notifications');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ items: [] });
  });
});
