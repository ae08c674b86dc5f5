/**
 * Rule 6 and 9: every read of personal data is logged with its type, person, legal basis and
 * outcome; denials are logged; "who has seen this person" is one query; the log is
 * append-only (database trigger) and hash-chained, and the verifier finds an edited row.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audited, auditHeadSeq, auditSince } from './helpers/audit.ts';
import { type Account, type Factories, factories } from './helpers/factories.ts';
import { KINDS, startServer, type TestServer } from './helpers/server.ts';

describe.each(KINDS)('audit trail (%s)', (kind) => {
  let s: TestServer;
  let f: Factories;
  let auditor: Account;
  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
    auditor = await f.user(undefined, undefined, ['auditor']);
  });
  afterAll(() => s?.stop());

  it('every GET of personal data writes an event with type, personId, basis and outcome', async () => {
    const member = await f.user();
    const c = await f.caseWith({ teamOrgIds: [member.organizationId] });
    const [p0, p1] = c.persons.map((p) => p.id) as [string, string];
    const consent = await f.consent(c.lead, p0, [member.organizationId]);
    await f.record(c.lead, c.caseId, '記録', 'normal', p0);
    const team = { ground: 'team', caseId: c.caseId, teamBasis: 'referral' };
    const viaConsent = { ground: 'consent', consentId: consent.id };

    const expectations: [string, () => Promise<unknown>, { type: string; personId: string | null; basis?: unknown[] }[]][] = [
      [`GET /persons/${p0}`, () => s.call(member.token, 'GET', `/persons/${p0}`), [{ type: 'PERSON_VIEWED', personId: p0, basis: [team, viaConsent] }]],
      [`GET /persons/${p1}`, () => s.call(member.token, 'GET', `/persons/${p1}`), [{ type: 'PERSON_VIEWED', personId: p1, basis: [team] }]],
      [
        'GET /persons?q',
        () => s.call(member.token, 'GET', `/persons?q=${encodeURIComponent(c.persons[0]!.familyName)}`),
        [{ type: 'PERSONS_SEARCHED', personId: p0 }],
      ],
      [
        'GET /households/:id',
        () => s.call(member.token, 'GET', `/households/${c.household.id}`),
        [
          { type: 'HOUSEHOLD_VIEWED', personId: p0, basis: [team] },
          { type: 'HOUSEHOLD_VIEWED', personId: p1, basis: [team] },
        ],
      ],
      [
        'GET /cases/:id',
        () => s.call(member.token, 'GET', `/cases/${c.caseId}`),
        [
          { type: 'CASE_VIEWED', personId: p0, basis: [team, viaConsent] },
          { type: 'CASE_VIEWED', personId: p1, basis: [team, viaConsent] },
        ],
      ],
      [
        'GET /cases/:id/records',
        () => s.call(member.token, 'GET', `/cases/${c.caseId}/records`),
        [{ type: 'RECORDS_VIEWED', personId: p0, basis: [viaConsent] }],
      ],
      [
        'GET /persons/:id/consents',
        () => s.call(member.token, 'GET', `/persons/${p0}/consents`),
        [{ type: 'CONSENTS_VIEWED', personId: p0, basis: [team, viaConsent] }],
      ],
      ['GET /cases', () => s.call(member.token, 'GET', '/cases'), [{ type: 'CASES_LISTED', personId: null }]],
    ];
    for (const [what, run, expected] of expectations) {
      const { events } = await audited(s, run);
      expect(
        events.map((e) => [e.type, e.personId]),
        what,
      ).toEqual(expected.map((e) => [e.type, e.personId]));
      events.forEach((e, i) => {
        expect(e.outcome, what).toBe('success');
        expect(e.actorUserId, what).toBe(member.id);
        if (expected[i]!.basis) expect(e.basis, what).toEqual(expected[i]!.basis);
      });
    }
  });

  it('denials are logged as ACCESS_DENIED with outcome denied', async () => {
    const c = await f.caseWith();
    const outsider = await f.user();
    const p0 = c.persons[0]!.id;
    for (const [path, expected] of [
      [`/persons/${p0}`, { personId: p0, subjectType: 'person' }],
      [`/persons/${p0}/consents`, { personId: p0 }],
      [`/cases/${c.caseId}`, { caseId: c.caseId, subjectType: 'case' }],
      [`/cases/${c.caseId}/records`, { caseId: c.caseId }],
      [`/households/${c.household.id}`, { subjectId: c.household.id }],
    ] as const) {
      const { result, events } = await audited(s, () => s.call(outsider.token, 'GET', path));
      expect((result as { status: number }).status).toBe(404);
      expect(events, path).toEqual([expect.objectContaining({ type: 'ACCESS_DENIED', outcome: 'denied', actorUserId: outsider.id, ...expected })]);
    }
    // Non-existent ids are not "someone": nothing to log against a person.
    const { events } = await audited(s, () => s.call(outsider.token, 'GET', '/persons/no-such-person'));
    expect(events).toEqual([]);
  });

  it('GET /audit?personId= answers "who has seen this person" (auditor and coordinator only, itself audited)', async () => {
    const member = await f.user();
    const c = await f.caseWith({ teamOrgIds: [member.organizationId] });
    const p0 = c.persons[0]!.id;
    await s.call(member.token, 'GET', `/persons/${p0}`);
    const outsider = await f.user();
    await s.call(outsider.token, 'GET', `/persons/${p0}`);
    const { result: res, events } = await audited(s, () => s.call(auditor.token, 'GET', `/audit?personId=${p0}`));
    expect(res.status).toBe(200);
    const items = res.json.items as any[];
    expect(items.every((e) => e.personId === p0)).toBe(true);
    expect(items).toContainEqual(
      expect.objectContaining({
        type: 'PERSON_VIEWED',
        outcome: 'success',
        actor: expect.objectContaining({ userId: member.id, organizationId: member.organizationId }),
        basis: [{ ground: 'team', caseId: c.caseId, teamBasis: 'referral' }],
        description: '本人・世帯員を閲覧しました',
      }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({ type: 'ACCESS_DENIED', outcome: 'denied', actor: expect.objectContaining({ userId: outsider.id }) }),
    );
    expect(items).toContainEqual(expect.objectContaining({ type: 'PERSON_CREATED', actor: expect.objectContaining({ userId: c.lead.id }) }));
    // Newest first, and the audit payloads carry ids, never names.
    expect(items.map((e) => e.seq)).toEqual([...items.map((e) => e.seq)].sort((a, b) => b - a));
    expect(res.text).not.toContain(c.persons[0]!.familyName);
    expect(events).toEqual([expect.objectContaining({ type: 'AUDIT_LOG_VIEWED', personId: p0, actorUserId: auditor.id })]);
    const coord = await f.user(undefined, undefined, ['coordinator']);
    expect((await s.call(coord.token, 'GET', `/audit?personId=${p0}`)).status).toBe(200);
    for (const who of [member, s.admin]) expect((await s.call(who.token, 'GET', `/audit?personId=${p0}`)).status).toBe(403);
    expect((await s.call(auditor.token, 'GET', '/audit')).status).toBe(400);
    const byCase = await s.call(auditor.token, 'GET', `/audit?caseId=${c.caseId}`);
    expect(byCase.json.items).toContainEqual(expect.objectContaining({ type: 'CASE_OPENED', caseId: c.caseId }));
  });

  it('GET /audit/verify: the chain is intact and counts every entry (auditor only)', async () => {
    await f.caseWith();
    const { result: res, events } = await audited(s, () => s.call(auditor.token, 'GET', '/audit/verify'));
    expect(res.status).toBe(200);
    const count = await s.services.db
      .selectFrom('auditEvents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(res.json).toEqual({ ok: true, entries: Number(count.n) - 1, anchor: 'checked' });
    expect(events).toEqual([expect.objectContaining({ type: 'AUDIT_CHAIN_VERIFIED', outcome: 'success', payload: { entries: res.json.entries, ok: true } })]);
    for (const who of [s.admin, await f.user(undefined, undefined, ['coordinator'])])
      expect((await s.call(who.token, 'GET', '/audit/verify')).status).toBe(403);
  });

  it('the append-only trigger refuses UPDATE and DELETE of audit rows, administrators included', async () => {
    const db = s.services.db;
    const before = await auditHeadSeq(s);
    const first = await db.selectFrom('auditEvents').select(['id', 'payload']).orderBy('seq').executeTakeFirstOrThrow();
    await expect(sql`UPDATE audit_events SET payload = '{}' WHERE id = ${first.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events WHERE id = ${first.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events`.execute(db)).rejects.toThrow(/append-only/);
    if (kind === 'postgres') await expect(sql`TRUNCATE audit_events`.execute(db)).rejects.toThrow(/append-only/);
    const again = await db.selectFrom('auditEvents').select(['payload']).where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(again.payload).toBe(first.payload);
    expect(await auditSince(s, before)).toEqual([]);
    expect((await s.call(auditor.token, 'GET', '/audit/verify')).json.ok).toBe(true);
  });
});

describe.each(KINDS)('audit tampering is detected (%s)', (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(kind);
  });
  afterAll(() => s?.stop());

  it('after dropping the trigger and editing one row, verify reports ok:false with that row as firstBrokenId', async () => {
    const f = factories(s);
    const auditor = await f.user(undefined, undefined, ['auditor']);
    const c = await f.caseWith();
    await s.call(c.lead.token, 'GET', `/cases/${c.caseId}`);
    expect((await s.call(auditor.token, 'GET', '/audit/verify')).json.ok).toBe(true);
    const db = s.services.db;
    const victim = await db.selectFrom('auditEvents').select(['id', 'seq']).where('type', '=', 'CASE_OPENED').executeTakeFirstOrThrow();
    if (kind === 'sqlite') await sql`DROP TRIGGER audit_events_no_update`.execute(db);
    else await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`.execute(db);
    await sql`UPDATE audit_events SET payload = '{"problemCount":0}' WHERE id = ${victim.id}`.execute(db);
    const res = await s.call(auditor.token, 'GET', '/audit/verify');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: false, firstBrokenId: victim.id, firstBrokenSeq: Number(victim.seq) });
    expect(res.json.entries).toBe(Number(victim.seq) - 1);
  });
});
