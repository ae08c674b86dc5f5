/**
 * Persons and households: registration with duplicate warnings (名寄せ), reading one person,
 * name search by any spelling — each only within rule 1 — and the audit rows they write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audited } from './helpers/audit.ts';
import { type Account, type Factories, factories } from './helpers/factories.ts';
import { KINDS, startServer, type TestServer } from './helpers/server.ts';

describe.each(KINDS)('persons (%s)', (kind) => {
  let s: TestServer;
  let f: Factories;
  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
  });
  afterAll(() => s?.stop());

  it('POST /persons: registers the person as entered, with own-work audit', async () => {
    const u = await f.user();
    const body = {
      familyName: '髙橋',
      givenName: '𠮷子',
      familyNameKana: 'たかはし',
      givenNameKana: 'ヨシコ',
      birthDate: '1961-07-15',
      sex: 'female',
      address: '市内本町1-1',
    };
    const { result: res, events } = await audited(s, () => s.call(u.token, 'POST', '/persons', body));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ ...body, id: expect.any(String), registeredByOrganizationId: u.organizationId, possibleDuplicates: [] });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'PERSON_CREATED', outcome: 'success', personId: res.json.id, actorUserId: u.id, basis: [{ ground: 'own_work' }] });
  });

  it('POST /persons: only coordinators and caseworkers may register persons', async () => {
    const body = { familyName: '権限', givenName: '無', familyNameKana: 'ケンゲン', givenNameKana: 'ナシ' };
    for (const roles of [['advisor'], ['auditor'], ['outreach'], ['external_member'], ['community']] as const) {
      const u = await f.user(undefined, undefined, [...roles]);
      expect((await s.call(u.token, 'POST', '/persons', body)).status, roles.join()).toBe(403);
    }
    expect((await s.call(s.admin.token, 'POST', '/persons', body)).status).toBe(403);
    const coord = await f.user(undefined, undefined, ['coordinator']);
    expect((await s.call(coord.token, 'POST', '/persons', body)).status).toBe(201);
  });

  it('GET /persons/:id: own work sees contact details; audited with basis', async () => {
    const p = await f.person();
    const { result: res, events } = await audited(s, () => s.call(p.by.token, 'GET', `/persons/${p.id}`));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: p.id, familyName: p.familyName, address: '市内1-2-3', sex: 'unknown', basis: [{ ground: 'own_work' }] });
    expect(events).toEqual([
      expect.objectContaining({ type: 'PERSON_VIEWED', outcome: 'success', personId: p.id, actorUserId: p.by.id, basis: [{ ground: 'own_work' }] }),
    ]);
  });

  it('GET /persons/:id: a team organization sees identity only (no address or sex) until consent', async () => {
    const member = await f.user();
    const c = await f.caseWith({ teamOrgIds: [member.organizationId] });
    const p0 = c.persons[0]!;
    const res = await s.call(member.token, 'GET', `/persons/${p0.id}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: p0.id, familyName: p0.familyName, givenName: p0.givenName, birthDate: '1980-04-01' });
    expect(res.json).not.toHaveProperty('address');
    expect(res.json).not.toHaveProperty('sex');
    expect(res.json.basis).toEqual([{ ground: 'team', caseId: c.caseId, teamBasis: 'referral' }]);
    const consent = await f.consent(c.lead, p0.id, [member.organizationId]);
    const after = await s.call(member.token, 'GET', `/persons/${p0.id}`);
    expect(after.json.address).toBe('市内1-2-3');
    expect(after.json.basis).toContainEqual({ ground: 'consent', consentId: consent.id });
  });

  it('GET /persons/:id: an outsider gets 404 and the denial is audited', async () => {
    const p = await f.person();
    const outsider = await f.user();
    const { result: res, events } = await audited(s, () => s.call(outsider.token, 'GET', `/persons/${p.id}`));
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(p.familyName);
    expect(events).toEqual([expect.objectContaining({ type: 'ACCESS_DENIED', outcome: 'denied', personId: p.id, actorUserId: outsider.id })]);
  });

  describe('name search (名寄せ)', () => {
    let a: Account;
    let b: Account;
    let saito: { id: string };
    beforeAll(async () => {
      a = await f.user();
      b = await f.user();
      saito = expectCreated(
        await s.call(a.token, 'POST', '/persons', {
          familyName: '齋藤',
          givenName: '花子',
          familyNameKana: 'サイトウ',
          givenNameKana: 'ハナコ',
          birthDate: '1950-03-03',
          address: '市内東町2-2',
        }),
      );
    });
    function expectCreated(res: { status: number; json: any }) {
      expect(res.status).toBe(201);
      return res.json;
    }

    it.each(['斉藤', '斎藤花子', 'さいとう', 'ｻｲﾄｳ', 'サイトウ ハナコ', '齋藤 花子', 'はなこ'])('GET /persons?q=%s finds 齋藤 花子', async (q) => {
      const res = await s.call(a.token, 'GET', `/persons?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.json.items.map((p: any) => p.id)).toContain(saito.id);
      expect(res.json.items.find((p: any) => p.id === saito.id)).toMatchObject({ familyName: '齋藤', givenName: '花子' });
    });

    // Partial names of 1 and 2 characters, from the middle too (the substring index, issue 6).
    it.each(['藤', '藤花', '花', 'トウ', 'ハナ', 'ナコ', 'イ'])('GET /persons?q=%s (part of the name) finds 齋藤 花子', async (q) => {
      const res = await s.call(a.token, 'GET', `/persons?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.json.items.map((p: any) => p.id)).toContain(saito.id);
    });

    it.each(['藤子', '花藤', 'トハ', 'サイトウハナコタ'])('GET /persons?q=%s (not a part of the name) misses 齋藤 花子', async (q) => {
      const res = await s.call(a.token, 'GET', `/persons?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.json.items.map((p: any) => p.id)).not.toContain(saito.id);
    });

    it('search with a birth date narrows the result', async () => {
      const hit = await s.call(a.token, 'GET', `/persons?q=${encodeURIComponent('さいとう')}&birthDate=1950-03-03`);
      expect(hit.json.items.map((p: any) => p.id)).toEqual([saito.id]);
      const miss = await s.call(a.token, 'GET', `/persons?q=${encodeURIComponent('さいとう')}&birthDate=1951-03-03`);
      expect(miss.json.items).toEqual([]);
    });

    it('search returns only persons the caller may see (and audits each hit)', async () => {
      const own = expectCreated(
        await s.call(b.token, 'POST', '/persons', {
          familyName: '斉藤',
          givenName: '太郎',
          familyNameKana: 'サイトウ',
          givenNameKana: 'タロウ',
          birthDate: '1970-01-01',
        }),
      );
      const { result: res, events } = await audited(s, () => s.call(b.token, 'GET', `/persons?q=${encodeURIComponent('斉藤')}`));
      expect(res.status).toBe(200);
      expect(res.json.items.map((p: any) => p.id)).toEqual([own.id]);
      expect(res.text).not.toContain('花子');
      expect(res.text).not.toContain(saito.id);
      expect(events).toEqual([expect.objectContaining({ type: 'PERSONS_SEARCHED', personId: own.id, actorUserId: b.id })]);
      // Search results carry identity only, never the address.
      expect(res.json.items[0]).not.toHaveProperty('address');
    });

    it('the administrator and roles without an organization ground find nobody', async () => {
      const advisor = await f.user(undefined, a.organizationId, ['advisor']);
      for (const token of [s.admin.token, advisor.token]) {
        const res = await s.call(token, 'GET', `/persons?q=${encodeURIComponent('齋藤')}`);
        expect(res.status).toBe(200);
        expect(res.json.items).toEqual([]);
      }
      const all = await s.call(s.admin.token, 'GET', '/persons');
      expect(all.json.items).toEqual([]);
    });

    it('POST /persons reports visible duplicates by id and invisible ones only as heldElsewhere', async () => {
      // From another organization: the match exists but is not theirs to see.
      const elsewhere = await s.call(b.token, 'POST', '/persons', {
        familyName: '斎藤',
        givenName: '花子',
        familyNameKana: 'さいとう',
        givenNameKana: 'はなこ',
        birthDate: '1950-03-03',
      });
      expect(elsewhere.status).toBe(201);
      expect(elsewhere.json.possibleDuplicates).toEqual([{ heldElsewhere: true }]);
      expect(elsewhere.text).not.toContain(saito.id);
      expect(elsewhere.text).not.toContain('市内東町');
      // From the registering organization: the match by id (and the other organization's
      // new record only as held elsewhere).
      const { result: again, events } = await audited(s, () =>
        s.call(a.token, 'POST', '/persons', {
          familyName: '齊藤',
          givenName: '花子',
          familyNameKana: 'サイトウ',
          givenNameKana: 'ハナコ',
          birthDate: '1950-03-03',
        }),
      );
      expect(again.status).toBe(201);
      expect(again.json.possibleDuplicates).toContainEqual(
        expect.objectContaining({ id: saito.id, familyName: '齋藤', givenName: '花子', birthDate: '1950-03-03' }),
      );
      expect(again.json.possibleDuplicates).toContainEqual({ heldElsewhere: true });
      expect(again.text).not.toContain(elsewhere.json.id);
      // Showing a visible duplicate is a read of that person.
      expect(events.map((e) => [e.type, e.personId])).toEqual([
        ['PERSON_CREATED', again.json.id],
        ['PERSON_VIEWED', saito.id],
      ]);
    });
  });
});

describe.each(KINDS)('households (%s)', (kind) => {
  let s: TestServer;
  let f: Factories;
  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
  });
  afterAll(() => s?.stop());

  it('POST /households: registers members the caller may see (audited)', async () => {
    const u = await f.user();
    const p1 = await f.person(u);
    const p2 = await f.person(u);
    const body = {
      name: '試験世帯',
      address: '市内西町3-3',
      members: [
        { personId: p1.id, relationship: '本人', keyPerson: true },
        { personId: p2.id, relationship: '母', livesTogether: false },
      ],
    };
    const { result: res, events } = await audited(s, () => s.call(u.token, 'POST', '/households', body));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      id: expect.any(String),
      name: '試験世帯',
      address: '市内西町3-3',
      createdByOrganizationId: u.organizationId,
      members: [
        { personId: p1.id, relationship: '本人', livesTogether: true, keyPerson: true },
        { personId: p2.id, relationship: '母', livesTogether: false, keyPerson: false },
      ],
    });
    expect(events).toEqual([
      expect.objectContaining({ type: 'HOUSEHOLD_CREATED', subjectId: res.json.id, basis: [{ ground: 'own_work' }], payload: { personIds: [p1.id, p2.id] } }),
    ]);
  });

  it('POST /households: a person seen only through a team goes into a new household only by the coordinator (no shadow case)', async () => {
    const lead = await f.user(undefined, undefined, ['caseworker']);
    const member = await f.user(undefined, undefined, ['caseworker']);
    const coordinator = await f.user(undefined, undefined, ['coordinator']);
    const c = await f.caseWith({ lead, teamOrgIds: [member.organizationId] });
    const theirs = c.persons[0]!.id;
    // The team member sees the person (identity) but may not make a household — and a case it would lead — of them.
    expect((await s.call(member.token, 'GET', `/persons/${theirs}`)).status).toBe(200);
    const refused = await s.call(member.token, 'POST', '/households', { members: [{ personId: theirs, relationship: '本人' }] });
    expect(refused.status).toBe(422);
    expect(refused.json.errors).toEqual([{ path: 'members.0.personId', message: '他の機関が登録した人を世帯に加えられるのは相談支援包括化推進員だけです' }]);
    // The coordinator resolves identities across agencies and may (after joining the team to see the person).
    expect((await s.call(lead.token, 'POST', `/cases/${c.caseId}/team`, { organizationId: coordinator.organizationId })).status).toBe(200);
    expect((await s.call(coordinator.token, 'POST', '/households', { members: [{ personId: theirs, relationship: '本人' }] })).status).toBe(201);
  });

  it('POST /households: a person of another organization is as unknown as a missing one (422)', async () => {
    const u = await f.user();
    const mine = await f.person(u);
    const theirs = await f.person();
    const res = await s.call(u.token, 'POST', '/households', {
      members: [
        { personId: mine.id, relationship: '本人' },
        { personId: theirs.id, relationship: '子' },
        { personId: 'nope', relationship: '子' },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.json.errors.map((e: any) => e.path)).toEqual(['members.1.personId', 'members.2.personId']);
    expect(res.json.errors[0].message).toBe(res.json.errors[1].message);
    const dup = await s.call(u.token, 'POST', '/households', {
      members: [
        { personId: mine.id, relationship: '本人' },
        { personId: mine.id, relationship: '子' },
      ],
    });
    expect(dup.status).toBe(422);
    expect(dup.json.errors).toEqual([{ path: 'members.1.personId', message: expect.any(String) }]);
    expect((await s.call(s.admin.token, 'POST', '/households', { members: [{ personId: mine.id, relationship: '本人' }] })).status).toBe(403);
  });

  it('GET /households/:id: creator sees address; team sees members without address; outsider 404 (all audited)', async () => {
    const member = await f.user();
    const c = await f.caseWith({ teamOrgIds: [member.organizationId] });
    const own = await audited(s, () => s.call(c.lead.token, 'GET', `/households/${c.household.id}`));
    expect(own.result.status).toBe(200);
    expect(own.result.json).toMatchObject({
      id: c.household.id,
      address: '市内1-2-3',
      members: [
        { personId: c.persons[0]!.id, relationship: '本人', keyPerson: true },
        { personId: c.persons[1]!.id, relationship: '子' },
      ],
    });
    expect(own.result.json.cases.map((x: any) => x.id)).toEqual([c.caseId]);
    expect(own.events.map((e) => [e.type, e.personId])).toEqual([
      ['HOUSEHOLD_VIEWED', c.persons[0]!.id],
      ['HOUSEHOLD_VIEWED', c.persons[1]!.id],
    ]);
    expect(own.events[0]!.basis).toEqual(expect.arrayContaining([{ ground: 'own_work' }, { ground: 'lead', caseId: c.caseId }]));

    const team = await audited(s, () => s.call(member.token, 'GET', `/households/${c.household.id}`));
    expect(team.result.status).toBe(200);
    expect(team.result.json).not.toHaveProperty('address');
    expect(team.result.json.members).toHaveLength(2);
    expect(team.events[0]!.basis).toEqual([{ ground: 'team', caseId: c.caseId, teamBasis: 'referral' }]);

    const outsider = await f.user();
    const out = await audited(s, () => s.call(outsider.token, 'GET', `/households/${c.household.id}`));
    expect(out.result.status).toBe(404);
    expect(out.result.text).not.toContain(c.persons[0]!.familyName);
    expect(out.events).toEqual([expect.objectContaining({ type: 'ACCESS_DENIED', outcome: 'denied', subjectId: c.household.id })]);
    expect((await s.call(outsider.token, 'GET', '/households/no-such-household')).status).toBe(404);
  });
});
