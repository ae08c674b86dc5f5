/**
 * One entry per API route: who calls it, which real ids its parameters draw from, and how an
 * accepted request is checked to round-trip (Japanese text stored and read back exactly as
 * sent). The bodies, queries and parameters themselves come from the route's own zod schemas
 * (./engine.ts). A route in the server's route table without an entry here fails the suite.
 *
 * The order is the order of the run: cheap reads first (the audit chain verification grows
 * with the log), creators before the routes that consume what they created (organizations
 * before team changes, consents before withdrawals), sign-in last (failures lock the
 * address).
 */
import fc from 'fast-check';
import { type Accepted, type RouteSpec, send } from './engine.ts';
import type { PrincipalName, World } from './world.ts';

const API = '/api/v1';

function expectEqual(a: Accepted, what: string, actual: unknown, expected: unknown) {
  const x = JSON.stringify(actual);
  const y = JSON.stringify(expected);
  if (x !== y) a.fail(`round-trip of ${what}: stored/read ${x?.slice(0, 300)} but sent ${y?.slice(0, 300)}`);
}

const db = (a: Accepted) => a.w.s.services.db;

/** Remembers an id an accepted run created, so later routes can use it. */
function remember(a: Accepted, pool: keyof Accepted['w']['pools']) {
  if (typeof a.json?.id !== 'string') a.fail('created, but no id in the response');
  a.w.pools[pool].created.push(a.json.id);
}

/** A fixture request through the API (so audit and counts stay consistent); fails loudly. */
async function call(w: World, who: PrincipalName, method: string, path: string, body: unknown) {
  const res = await send(
    `${w.s.url}${API}${path}`,
    method,
    { authorization: `Bearer ${w.accounts[who].token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body === undefined ? undefined : JSON.stringify(body),
  );
  if (res.status >= 300) throw new Error(`fixture ${method} ${path}: ${res.status} ${res.text.slice(0, 300)}`);
  return JSON.parse(res.text);
}

async function newOrganization(w: World): Promise<string> {
  const org = await call(w, 'admin', 'POST', '/organizations', { name: `追加の機関 ${w.pools.organization.created.length}`, kind: 'NPO法人' });
  w.pools.organization.created.push(org.id);
  return org.id;
}

const onTeam = async (w: World) =>
  (
    await w.s.services.db
      .selectFrom('caseTeam')
      .select('organizationId')
      .where('caseId', '=', w.teamCaseId)
      .where('organizationId', '!=', w.accounts.lead.organizationId)
      .execute()
  ).map((t) => t.organizationId);

const offTeam = async (w: World) =>
  (
    await w.s.services.db
      .selectFrom('organizations')
      .select('id')
      .where('id', 'not in', (eb) => eb.selectFrom('caseTeam').select('organizationId').where('caseId', '=', w.teamCaseId))
      .limit(10)
      .execute()
  ).map((o) => o.id);

/** Users a meeting may name: the principals who take part and the invitees. */
const meetingUsers = (w: World) => [w.accounts.chair.id, w.accounts.lead.id, w.accounts.member.id, w.accounts.external.id, ...w.inviteeIds];

/** The invitees currently members of the fixture meeting. */
const memberInvitees = async (w: World) =>
  (await w.s.services.db.selectFrom('meetingMembers').select('userId').where('meetingId', '=', w.meetingId).where('userId', 'in', w.inviteeIds).execute()).map(
    (m) => m.userId,
  );

/** Lifecycle reads: the lifecycle case mostly, the main case (no plan), the closing case. */
const lcCases = (w: World) => [w.lc.caseId, w.lc.caseId, w.lc.caseId, w.lc.caseId, w.caseId, w.lc.closingCaseId];
const closingCases = (w: World) => [w.lc.closingCaseId, w.lc.closingCaseId, w.lc.caseId];
const lcPersons = (w: World) => [...w.lc.personIds, ...w.lc.personIds, ...w.lc.personIds, w.personIds[0]!];
/** Versions that exist (1, 2) and one that does not. */
const versions = () => ['1', '1', '2', '999'];

const latestPlan = async (w: World) =>
  w.s.services.db.selectFrom('plans').select(['version', 'status']).where('caseId', '=', w.lc.caseId).orderBy('version', 'desc').executeTakeFirstOrThrow();
const caseStatus = async (w: World, caseId: string) =>
  (await w.s.services.db.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()).status;

export const ROUTE_SPECS: RouteSpec[] = [
  // Reads without input schemas (junk queries, bodies, callers only).
  { method: 'GET', url: `${API}/audit/verify`, who: ['auditor'], runs: 60 },
  { method: 'GET', url: `${API}/me`, who: ['lead', 'admin', 'auditor', 'coordinator', 'member'] },
  { method: 'GET', url: `${API}/code-lists`, who: ['lead', 'admin', 'auditor'] },
  { method: 'GET', url: `${API}/organizations`, who: ['lead', 'admin', 'coordinator'] },
  { method: 'GET', url: `${API}/users`, who: ['admin'] },
  { method: 'GET', url: `${API}/directory/users`, who: ['chair', 'lead', 'admin', 'external'] },
  { method: 'GET', url: `${API}/notifications`, who: ['lead', 'auditor', 'coordinator'] },
  { method: 'GET', url: `${API}/settings`, who: ['admin'] },
  { method: 'POST', url: `${API}/auth/totp/setup`, who: ['mfaUser'] },
  { method: 'POST', url: `${API}/auth/logout`, who: ['none', 'lead'] },

  // Accounts.
  {
    method: 'POST',
    url: `${API}/organizations`,
    who: ['admin'],
    async onAccepted(a) {
      remember(a, 'organization');
      const row = await db(a).selectFrom('organizations').selectAll().where('id', '=', a.json.id).executeTakeFirstOrThrow();
      expectEqual(
        a,
        'organization',
        { name: row.name, kind: row.kind, fields: JSON.parse(row.fields), area: row.area },
        { name: a.sent.name, kind: a.sent.kind, fields: a.sent.fields ?? [], area: a.sent.area ?? null },
      );
      expectEqual(a, 'organization (response)', { name: a.json.name, kind: a.json.kind }, { name: a.sent.name, kind: a.sent.kind });
    },
  },
  {
    method: 'POST',
    url: `${API}/users`,
    who: ['admin'],
    // Each accepted user costs an argon2 hash; keep the valid share modest.
    validWeight: 15,
    async onAccepted(a) {
      remember(a, 'user');
      const row = await db(a).selectFrom('users').selectAll().where('id', '=', a.json.id).executeTakeFirstOrThrow();
      expectEqual(
        a,
        'user',
        { loginId: row.loginId, displayName: row.displayName, organizationId: row.organizationId },
        { loginId: a.sent.loginId, displayName: a.sent.displayName, organizationId: a.sent.organizationId },
      );
      if (row.passwordHash.includes(a.sent.password)) a.fail('password stored in clear');
    },
  },
  { method: 'POST', url: `${API}/users/:id/roles`, who: ['admin'], params: { id: 'user' } },
  { method: 'POST', url: `${API}/users/:id/totp/reset`, who: ['admin'], params: { id: 'user' } },
  { method: 'POST', url: `${API}/users/:id/disable`, who: ['admin'], params: { id: 'user' } },
  {
    method: 'PUT',
    url: `${API}/settings`,
    who: ['admin'],
    async onAccepted(a) {
      const m = await db(a).selectFrom('municipality').select('mfaRequiredRoles').executeTakeFirstOrThrow();
      expectEqual(a, 'settings', JSON.parse(m.mfaRequiredRoles), [...new Set(a.sent.mfaRequiredRoles)]);
    },
    // A mandatory second factor would lock every principal out of the rest of the run.
    async after(w) {
      await w.s.services.db.updateTable('municipality').set({ mfaRequiredRoles: '[]' }).execute();
    },
  },
  // Random codes: a match is one in a million, so no positive control.
  { method: 'POST', url: `${API}/auth/totp/enable`, who: ['mfaUser'], expectAccepted: false },

  // Persons and households.
  {
    method: 'POST',
    url: `${API}/persons`,
    who: ['lead', 'coordinator'],
    async onAccepted(a) {
      remember(a, 'person');
      const account = a.w.accounts[a.caller as 'lead'];
      const res = await send(`${a.w.s.url}${API}/persons/${a.json.id}`, 'GET', { authorization: `Bearer ${account.token}` });
      const read = JSON.parse(res.text) as Record<string, unknown>;
      if (res.status !== 200) a.fail(`reading the new person back: ${res.status}`);
      const fields = ['familyName', 'givenName', 'familyNameKana', 'givenNameKana', 'birthDate', 'sex', 'address'] as const;
      expectEqual(
        a,
        'person (read back)',
        fields.map((k) => read[k]),
        fields.map((k) => a.sent[k] ?? null),
      );
      expectEqual(
        a,
        'person (response)',
        fields.map((k) => a.json[k]),
        fields.map((k) => a.sent[k] ?? null),
      );
    },
  },
  { method: 'GET', url: `${API}/persons`, who: ['lead', 'coordinator', 'member'] },
  { method: 'GET', url: `${API}/persons/:id`, who: ['lead', 'member', 'coordinator'], params: { id: 'person' } },
  {
    method: 'POST',
    url: `${API}/households`,
    who: ['lead'],
    async onAccepted(a) {
      remember(a, 'household');
      const h = await db(a).selectFrom('households').selectAll().where('id', '=', a.json.id).executeTakeFirstOrThrow();
      expectEqual(a, 'household', { name: h.name, address: h.address }, { name: a.sent.name ?? null, address: a.sent.address ?? null });
      const members = await db(a)
        .selectFrom('householdMembers')
        .select(['personId', 'relationship'])
        .where('householdId', '=', h.id)
        .orderBy('position')
        .execute();
      expectEqual(
        a,
        'household members',
        members,
        a.sent.members.map((m: any) => ({ personId: m.personId, relationship: m.relationship })),
      );
    },
  },
  { method: 'GET', url: `${API}/households/:id`, who: ['lead', 'member', 'coordinator'], params: { id: 'household' } },

  // Cases.
  {
    method: 'POST',
    url: `${API}/cases`,
    who: ['lead', 'coordinator'],
    // The lead organization must be the caller's own unless a coordinator opens the case.
    refKind: (path) =>
      path[0] === 'leadOrganizationId' ? 'ownOrg' : path[0] === 'householdId' ? 'ownHousehold' : path[0] === 'problems' ? 'mainPerson' : undefined,
    pools: {
      ownOrg: (w) => [w.accounts.lead.organizationId, w.accounts.lead.organizationId, w.accounts.lead.organizationId, w.accounts.coordinator.organizationId],
      ownHousehold: (w) => [w.householdId, w.householdId, w.householdId, w.householdId, ...w.pools.household.fixed, ...w.pools.household.created.slice(-3)],
      mainPerson: (w) => w.personIds,
    },
    async onAccepted(a) {
      remember(a, 'case');
      const k = await db(a).selectFrom('cases').selectAll().where('id', '=', a.json.id).executeTakeFirstOrThrow();
      expectEqual(
        a,
        'case',
        { referralRoute: k.referralRoute, summary: k.summary, urgency: k.urgency },
        { referralRoute: a.sent.referralRoute, summary: a.sent.summary, urgency: a.sent.urgency ?? 'normal' },
      );
      const problems = await db(a).selectFrom('caseProblems').select(['personId', 'type', 'note']).where('caseId', '=', k.id).orderBy('position').execute();
      expectEqual(
        a,
        'case problems',
        problems,
        a.sent.problems.map((p: any) => ({ personId: p.personId, type: p.type, note: p.note ?? null })),
      );
    },
  },
  { method: 'GET', url: `${API}/cases`, who: ['lead', 'coordinator', 'member', 'auditor'] },
  { method: 'GET', url: `${API}/cases/:id`, who: ['lead', 'member', 'coordinator'], params: { id: 'case' } },
  {
    method: 'POST',
    url: `${API}/cases/:id/team`,
    who: ['lead', 'coordinator'],
    params: { id: 'teamCase' },
    refKind: (path) => (path[0] === 'organizationId' ? 'teamCandidate' : undefined),
    // Mostly organizations not yet on the team (accepted), sometimes one that is (409).
    async prepare(w) {
      w.cache.offTeam = await offTeam(w);
      if (w.cache.offTeam.length === 0) w.cache.offTeam = [await newOrganization(w)];
    },
    pools: { teamCase: (w) => [w.teamCaseId], teamCandidate: (w) => [...w.cache.offTeam!.slice(0, 6), ...w.pools.organization.fixed.slice(0, 2)] },
  },
  {
    method: 'DELETE',
    url: `${API}/cases/:id/team/:organizationId`,
    who: ['lead', 'coordinator'],
    params: { id: 'teamCase', organizationId: 'teamOrg' },
    // Keep something to remove: below three members besides the lead, add one through the API.
    async prepare(w) {
      w.cache.onTeam = await onTeam(w);
      if (w.cache.onTeam.length < 3) {
        const orgId = (await offTeam(w))[0] ?? (await newOrganization(w));
        await call(w, 'lead', 'POST', `/cases/${w.teamCaseId}/team`, { organizationId: orgId });
        w.cache.onTeam = await onTeam(w);
      }
    },
    pools: {
      teamCase: (w) => [w.teamCaseId],
      teamOrg: (w) => [...w.cache.onTeam!, ...w.cache.onTeam!, w.accounts.lead.organizationId, ...w.pools.organization.fixed],
    },
  },
  {
    method: 'POST',
    url: `${API}/cases/:id/status`,
    who: ['lead'],
    params: { id: 'case' },
    async onAccepted(a) {
      const change = await db(a)
        .selectFrom('caseStatusChanges')
        .selectAll()
        .where('caseId', '=', a.params.id!)
        .orderBy('changedAt', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const latest = await db(a)
        .selectFrom('caseStatusChanges')
        .select(['toStatus', 'reason', 'note'])
        .where('caseId', '=', a.params.id!)
        .where('changedAt', '=', change.changedAt)
        .execute();
      if (!latest.some((l) => JSON.stringify(l) === JSON.stringify({ toStatus: a.sent.to, reason: a.sent.reason ?? null, note: a.sent.note ?? null })))
        a.fail(`round-trip of status change: stored ${JSON.stringify(latest)} but sent ${JSON.stringify(a.sent)}`);
    },
  },
  {
    method: 'POST',
    url: `${API}/cases/:id/break-glass`,
    who: ['coordinator'],
    params: { id: 'case' },
    async onAccepted(a) {
      const g = await db(a).selectFrom('breakGlassGrants').select('reason').where('id', '=', a.json.id).executeTakeFirstOrThrow();
      expectEqual(a, 'break-glass reason', g.reason, a.sent.reason);
    },
  },

  // Consents.
  {
    method: 'POST',
    url: `${API}/persons/:id/consents`,
    who: ['lead', 'coordinator'],
    params: { id: 'person' },
    async onAccepted(a) {
      remember(a, 'consent');
      const c = await db(a).selectFrom('consents').selectAll().where('id', '=', a.json.id).executeTakeFirstOrThrow();
      expectEqual(
        a,
        'consent',
        {
          obtainedOn: c.obtainedOn,
          method: c.method,
          givenByRelation: c.givenByRelation,
          givenByName: c.givenByName,
          purposes: JSON.parse(c.purposes),
          includesTaxInfo: c.includesTaxInfo === 1,
        },
        {
          obtainedOn: a.sent.obtainedOn,
          method: a.sent.method,
          givenByRelation: a.sent.givenBy?.relation ?? 'self',
          givenByName: a.sent.givenBy?.name ?? null,
          purposes: a.sent.purposes ?? [],
          includesTaxInfo: a.sent.includesTaxInfo,
        },
      );
    },
  },
  { method: 'GET', url: `${API}/persons/:id/consents`, who: ['lead', 'member', 'coordinator'], params: { id: 'person' } },
  {
    method: 'POST',
    url: `${API}/consents/:id/withdraw`,
    who: ['lead', 'coordinator'],
    params: { id: 'consent' },
    // Each consent is withdrawn once: draw mostly from active ones (recording one when few are left).
    async prepare(w) {
      const active = async () =>
        (
          await w.s.services.db.selectFrom('consents').select('id').where('personId', 'in', w.personIds).where('withdrawnAt', 'is', null).limit(20).execute()
        ).map((c) => c.id);
      w.cache.activeConsents = await active();
      if (w.cache.activeConsents.length < 3) {
        const body = { obtainedOn: '2024-04-01', method: 'written', organizationIds: [w.accounts.member.organizationId], includesTaxInfo: false };
        await call(w, 'lead', 'POST', `/persons/${w.personIds[0]}/consents`, body);
        w.cache.activeConsents = await active();
      }
    },
    pools: { consent: (w) => [...w.cache.activeConsents!, ...w.cache.activeConsents!, ...w.pools.consent.fixed] },
    async onAccepted(a) {
      const c = await db(a).selectFrom('consents').select(['withdrawnOn', 'withdrawnAt']).where('id', '=', a.params.id!).executeTakeFirstOrThrow();
      expectEqual(a, 'withdrawal', c.withdrawnOn, a.sent.withdrawnOn);
      if (!c.withdrawnAt) a.fail('withdrawal accepted but not recorded');
    },
  },

  // Records.
  {
    method: 'POST',
    url: `${API}/cases/:id/records`,
    who: ['lead', 'member'],
    params: { id: 'mainCase' },
    refKind: (path) => (path[0] === 'personId' ? 'mainPerson' : undefined),
    pools: { mainCase: (w) => [w.caseId, w.caseId, w.caseId, ...w.pools.case.fixed], mainPerson: (w) => w.personIds },
    async onAccepted(a) {
      const r = await db(a).selectFrom('records').select(['body', 'personId']).where('id', '=', a.json.id).executeTakeFirstOrThrow();
      expectEqual(a, 'record', r, { body: a.sent.body, personId: a.sent.personId ?? null });
    },
  },
  { method: 'GET', url: `${API}/cases/:id/records`, who: ['lead', 'member', 'coordinator'], params: { id: 'case' } },

  // Meetings (支援会議): convening, members, the agenda, the pledge, tabling, minutes, tasks.
  {
    method: 'POST',
    url: `${API}/meetings`,
    who: ['chair'],
    refKind: (path) =>
      path[0] === 'chairUserId' || path[0] === 'memberUserIds' ? 'meetingUser' : path[0] === 'caseIds' || path[0] === 'purposes' ? 'chairCase' : undefined,
    pools: { meetingUser: meetingUsers, chairCase: (w) => [w.caseId, w.teamCaseId] },
    // A valid 支援会議 now and then (schema-derived bodies rarely give a purpose for each case).
    extraValid: (w) =>
      fc.record({
        kind: fc.constantFrom('support', 'case_conference'),
        title: fc.constantFrom('定例 支援会議', '𠮷田世帯 ケース会議', 'ﾊﾝｶｸ 会議'),
        startsAt: fc.constantFrom('2026-12-03T14:00:00+09:00', '2027-01-08T09:30:00Z'),
        chairUserId: fc.constant(w.accounts.chair.id),
        memberUserIds: fc.subarray([w.accounts.lead.id, w.accounts.member.id, w.accounts.external.id]),
        caseIds: fc.constant([w.caseId]),
        legalBasis: fc.constant('art106-6'),
        purposes: fc.constant({ [w.caseId]: '見守り体制の共有（支援会議）' }),
        recurrence: fc.option(fc.record({ frequency: fc.constantFrom('weekly', 'monthly'), count: fc.integer({ min: 2, max: 4 }) }), { nil: undefined }),
      }),
    async onAccepted(a) {
      remember(a, 'meeting');
      const ids: string[] = a.json.seriesMeetingIds ?? [a.json.id];
      if (ids.length !== (a.sent.recurrence?.count ?? 1)) a.fail(`series of ${ids.length}, sent ${JSON.stringify(a.sent.recurrence)}`);
      const m = await db(a).selectFrom('meetings').select(['title', 'kind', 'place']).where('id', '=', a.json.id).executeTakeFirstOrThrow();
      expectEqual(a, 'meeting', m, { title: a.sent.title, kind: a.sent.kind, place: a.sent.place ?? null });
      const agenda = await db(a).selectFrom('meetingCases').select(['caseId', 'purpose']).where('meetingId', '=', a.json.id).execute();
      expectEqual(a, 'agenda purposes', agenda.map((x) => x.purpose).sort(), a.sent.caseIds.map((c: string) => a.sent.purposes?.[c] ?? '').sort());
    },
  },
  { method: 'GET', url: `${API}/meetings`, who: ['chair', 'member', 'external', 'lead'] },
  { method: 'GET', url: `${API}/meetings/:id`, who: ['chair', 'member', 'external', 'lead'], params: { id: 'meeting' } },
  {
    method: 'POST',
    url: `${API}/meetings/:id/members`,
    who: ['chair'],
    params: { id: 'fixtureMeeting' },
    refKind: (path) => (path[0] === 'userId' ? 'invitee' : undefined),
    // Keep invitees to add: below two outside the meeting, remove one through the API.
    async prepare(w) {
      let inside = await memberInvitees(w);
      if (w.inviteeIds.length - inside.length < 2) {
        await call(w, 'chair', 'DELETE', `/meetings/${w.meetingId}/members/${inside[0]}`, undefined);
        inside = await memberInvitees(w);
      }
      w.cache.outsideInvitees = w.inviteeIds.filter((id) => !inside.includes(id));
    },
    pools: {
      fixtureMeeting: (w) => [w.meetingId],
      invitee: (w) => [...w.cache.outsideInvitees!, ...w.cache.outsideInvitees!, w.accounts.member.id, ...w.pools.user.fixed.slice(0, 1)],
    },
    async onAccepted(a) {
      const row = await db(a)
        .selectFrom('meetingMembers')
        .select('userId')
        .where('meetingId', '=', a.params.id!)
        .where('userId', '=', a.sent.userId)
        .executeTakeFirst();
      if (!row) a.fail('member added but not stored');
    },
  },
  {
    method: 'DELETE',
    url: `${API}/meetings/:id/members/:userId`,
    who: ['chair'],
    params: { id: 'fixtureMeeting', userId: 'invitee' },
    // Keep members to remove: below two invitees inside, add one through the API.
    async prepare(w) {
      let inside = await memberInvitees(w);
      if (inside.length < 2) {
        const out = w.inviteeIds.find((id) => !inside.includes(id))!;
        await call(w, 'chair', 'POST', `/meetings/${w.meetingId}/members`, { userId: out });
        inside = await memberInvitees(w);
      }
      w.cache.insideInvitees = inside;
    },
    pools: { fixtureMeeting: (w) => [w.meetingId], invitee: (w) => [...w.cache.insideInvitees!, ...w.cache.insideInvitees!, w.accounts.chair.id] },
  },
  {
    method: 'POST',
    url: `${API}/meetings/:id/cases`,
    who: ['chair'],
    params: { id: 'agendaMeeting' },
    refKind: (path) => (path[0] === 'caseId' ? 'chairCase' : undefined),
    // A meeting of the chair's with room on its agenda: convene another once both cases are on it.
    async prepare(w) {
      const current = w.cache.agendaMeeting?.[0];
      const onIt = current ? (await w.s.services.db.selectFrom('meetingCases').select('caseId').where('meetingId', '=', current).execute()).length : 2;
      if (onIt >= 2) {
        const m = await call(w, 'chair', 'POST', '/meetings', {
          kind: 'support',
          title: '議題追加の検査',
          startsAt: '2027-02-01T10:00:00+09:00',
          chairUserId: w.accounts.chair.id,
          memberUserIds: [w.accounts.member.id],
          caseIds: [],
        });
        w.cache.agendaMeeting = [m.id];
      }
    },
    pools: { agendaMeeting: (w) => w.cache.agendaMeeting!, chairCase: (w) => [w.caseId, w.teamCaseId] },
    async onAccepted(a) {
      const row = await db(a)
        .selectFrom('meetingCases')
        .select('purpose')
        .where('meetingId', '=', a.params.id!)
        .where('caseId', '=', a.sent.caseId)
        .executeTakeFirstOrThrow();
      expectEqual(a, 'agenda purpose', row.purpose, a.sent.purpose);
      const core = await db(a)
        .selectFrom('meetingMaterials')
        .select('kind')
        .where('meetingId', '=', a.params.id!)
        .where('caseId', '=', a.sent.caseId)
        .execute();
      if (!core.some((c) => c.kind === 'case_core')) a.fail('case added without its case core tabled');
    },
  },
  {
    method: 'POST',
    url: `${API}/meetings/:id/cases/:caseId/exclusions`,
    who: ['chair'],
    params: { id: 'fixtureMeeting', caseId: 'agendaCase' },
    refKind: (path) => (path[0] === 'userId' ? 'insideInvitee' : undefined),
    // Invitees inside the fixture meeting to exclude from its case (never the principals, whose
    // reads the other routes exercise); the chair and a case off the agenda are refused.
    async prepare(w) {
      let inside = await memberInvitees(w);
      if (!inside.length) {
        await call(w, 'chair', 'POST', `/meetings/${w.meetingId}/members`, { userId: w.inviteeIds[0] });
        inside = await memberInvitees(w);
      }
      w.cache.insideInvitees = inside;
    },
    pools: {
      fixtureMeeting: (w) => [w.meetingId],
      agendaCase: (w) => [w.caseId, w.caseId, w.caseId, w.teamCaseId],
      insideInvitee: (w) => [...w.cache.insideInvitees!, ...w.cache.insideInvitees!, w.accounts.chair.id],
    },
    async onAccepted(a) {
      const row = await db(a)
        .selectFrom('meetingCaseExclusions')
        .select('userId')
        .where('meetingId', '=', a.params.id!)
        .where('caseId', '=', a.params.caseId!)
        .where('userId', '=', a.sent.userId)
        .executeTakeFirst();
      if (!row) a.fail('exclusion accepted but not stored');
    },
  },
  {
    method: 'DELETE',
    url: `${API}/meetings/:id/cases/:caseId/exclusions/:userId`,
    who: ['chair'],
    params: { id: 'fixtureMeeting', caseId: 'agendaCase', userId: 'excludedInvitee' },
    // Keep exclusions to lift: below two, exclude an invitee inside the meeting through the API.
    async prepare(w) {
      const excluded = async () =>
        (
          await w.s.services.db
            .selectFrom('meetingCaseExclusions')
            .select('userId')
            .where('meetingId', '=', w.meetingId)
            .where('caseId', '=', w.caseId)
            .where('userId', 'in', await memberInvitees(w))
            .execute()
        ).map((e) => e.userId);
      let current = (await memberInvitees(w)).length ? await excluded() : [];
      if (current.length < 2) {
        let inside = await memberInvitees(w);
        if (inside.length < 2) {
          for (const id of w.inviteeIds.filter((i) => !inside.includes(i)).slice(0, 2 - inside.length))
            await call(w, 'chair', 'POST', `/meetings/${w.meetingId}/members`, { userId: id });
          inside = await memberInvitees(w);
        }
        for (const id of inside.filter((i) => !current.includes(i)))
          await call(w, 'chair', 'POST', `/meetings/${w.meetingId}/cases/${w.caseId}/exclusions`, { userId: id });
        current = await excluded();
      }
      w.cache.excludedInvitees = current;
    },
    pools: {
      fixtureMeeting: (w) => [w.meetingId],
      agendaCase: (w) => [w.caseId, w.caseId, w.caseId, w.teamCaseId],
      excludedInvitee: (w) => [...w.cache.excludedInvitees!, ...w.cache.excludedInvitees!, w.accounts.chair.id],
    },
    async onAccepted(a) {
      const row = await db(a)
        .selectFrom('meetingCaseExclusions')
        .select('userId')
        .where('meetingId', '=', a.params.id!)
        .where('caseId', '=', a.params.caseId!)
        .where('userId', '=', a.params.userId!)
        .executeTakeFirst();
      if (row) a.fail('exclusion lifted but still stored');
    },
  },
  { method: 'POST', url: `${API}/meetings/:id/acknowledge`, who: ['chair', 'member', 'lead', 'external'], params: { id: 'meeting' } },
  { method: 'GET', url: `${API}/meetings/:id/materials`, who: ['chair', 'member', 'lead', 'external'], params: { id: 'meeting' } },
  // Documents (about 13 ms a PDF: ~25 s of the SQLite tier for both at 1,000 runs).
  { method: 'GET', url: `${API}/meetings/:id/notice.pdf`, who: ['chair', 'member', 'external'], params: { id: 'meeting' } },
  { method: 'GET', url: `${API}/meetings/:id/agenda.pdf`, who: ['chair', 'member', 'external'], params: { id: 'meeting' } },
  { method: 'GET', url: `${API}/meetings/:id/pledge.pdf`, who: ['chair', 'member', 'external'], params: { id: 'meeting' } },
  {
    method: 'POST',
    url: `${API}/meetings/:id/table`,
    who: ['member', 'lead'],
    params: { id: 'fixtureMeeting' },
    refKind: (path) => (path[0] === 'caseId' ? 'mainCase' : path[0] === 'recordIds' ? 'ownRecord' : undefined),
    pools: {
      fixtureMeeting: (w) => [w.meetingId, w.meetingId, w.meetingId, ...w.pools.meeting.created.slice(-2)],
      mainCase: (w) => [w.caseId, w.caseId, w.caseId, w.teamCaseId],
      ownRecord: (w) => [w.recordIds.lead, w.recordIds.member],
    },
    async onAccepted(a) {
      const rows = await db(a)
        .selectFrom('meetingMaterials')
        .select(['recordId', 'snapshot'])
        .where(
          'id',
          'in',
          a.json.tabled.map((t: any) => t.id),
        )
        .execute();
      if (rows.length !== a.json.tabled.length) a.fail('tabled but not stored');
      for (const r of rows) {
        const rec = await db(a).selectFrom('records').select('body').where('id', '=', r.recordId!).executeTakeFirstOrThrow();
        expectEqual(a, 'tabled snapshot', JSON.parse(r.snapshot).body, rec.body);
      }
    },
  },
  {
    method: 'POST',
    url: `${API}/meetings/:id/minutes`,
    who: ['chair'],
    params: { id: 'fixtureMeeting' },
    refKind: (path) => (path[0] === 'attendeeUserIds' ? 'meetingUser' : undefined),
    pools: { fixtureMeeting: (w) => [w.meetingId], meetingUser: meetingUsers },
    async onAccepted(a) {
      const m = await db(a).selectFrom('meetings').select(['minutesBody', 'decisions']).where('id', '=', a.params.id!).executeTakeFirstOrThrow();
      expectEqual(a, 'minutes', { body: m.minutesBody, decisions: JSON.parse(m.decisions ?? '[]') }, { body: a.sent.body, decisions: a.sent.decisions ?? [] });
    },
  },
  {
    method: 'POST',
    url: `${API}/meetings/:id/minutes/sign`,
    who: ['chair'],
    params: { id: 'fixtureMeeting' },
    pools: { fixtureMeeting: (w) => [w.meetingId] },
  },
  { method: 'GET', url: `${API}/meetings/:id/minutes`, who: ['chair', 'member', 'external'], params: { id: 'meeting' } },
  {
    method: 'POST',
    url: `${API}/meetings/:id/assignments`,
    who: ['chair'],
    params: { id: 'fixtureMeeting' },
    refKind: (path) => (path[0] === 'caseId' ? 'mainCase' : undefined),
    pools: { fixtureMeeting: (w) => [w.meetingId], mainCase: (w) => [w.caseId, w.caseId, w.caseId, w.teamCaseId] },
    async onAccepted(a) {
      remember(a, 'task');
      const t = await db(a).selectFrom('tasks').select(['task', 'dueOn', 'organizationId']).where('id', '=', a.json.id).executeTakeFirstOrThrow();
      expectEqual(a, 'task', t, { task: a.sent.task, dueOn: a.sent.dueOn ?? null, organizationId: a.sent.organizationId });
    },
  },
  { method: 'GET', url: `${API}/meetings/:id/assignments`, who: ['chair', 'member', 'external'], params: { id: 'meeting' } },
  {
    method: 'POST',
    url: `${API}/meetings/:id/information-requests`,
    who: ['chair'],
    params: { id: 'fixtureMeeting' },
    refKind: (path) => (path[0] === 'caseId' ? 'mainCase' : path[0] === 'personId' ? 'mainPerson' : path[0] === 'organizationId' ? 'requested' : undefined),
    pools: {
      fixtureMeeting: (w) => [w.meetingId, w.meetingId, w.meetingId, ...w.pools.meeting.created.slice(-2)],
      mainCase: (w) => [w.caseId, w.caseId, w.caseId, w.teamCaseId],
      mainPerson: (w) => w.personIds,
      requested: (w) => [w.accounts.member.organizationId, w.accounts.member.organizationId, ...w.pools.organization.fixed],
    },
    async onAccepted(a) {
      remember(a, 'request');
      const q = await db(a)
        .selectFrom('informationRequests')
        .select(['request', 'organizationId', 'personId'])
        .where('id', '=', a.json.id)
        .executeTakeFirstOrThrow();
      expectEqual(a, 'information request', q, { request: a.sent.request, organizationId: a.sent.organizationId, personId: a.sent.personId ?? null });
    },
  },
  { method: 'GET', url: `${API}/information-requests`, who: ['member', 'lead'] },
  {
    method: 'POST',
    url: `${API}/information-requests/:id/answer`,
    who: ['member'],
    params: { id: 'openRequest' },
    // Each request is answered once: keep two open ones to the member's organization (asked through the API).
    async prepare(w) {
      const open = async () =>
        (
          await w.s.services.db
            .selectFrom('informationRequests')
            .select('id')
            .where('organizationId', '=', w.accounts.member.organizationId)
            .where('status', '=', 'open')
            .limit(10)
            .execute()
        ).map((q) => q.id);
      w.cache.openRequests = await open();
      if (w.cache.openRequests.length < 2) {
        await call(w, 'chair', 'POST', `/meetings/${w.meetingId}/information-requests`, {
          caseId: w.caseId,
          personId: w.personIds[0],
          organizationId: w.accounts.member.organizationId,
          request: '就労の状況について',
        });
        w.cache.openRequests = await open();
      }
    },
    pools: { openRequest: (w) => [...w.cache.openRequests!, ...w.cache.openRequests!, ...w.pools.request.created.slice(0, 2)] },
    async onAccepted(a) {
      const q = await db(a).selectFrom('informationRequests').select(['meetingId', 'status']).where('id', '=', a.params.id!).executeTakeFirstOrThrow();
      if (q.status !== 'answered') a.fail('answer accepted but the request is not answered');
      const tabled = await db(a).selectFrom('meetingMaterials').select('snapshot').where('meetingId', '=', q.meetingId).where('kind', '=', 'answer').execute();
      if (!tabled.some((t) => JSON.parse(t.snapshot).answer === a.sent.answer)) a.fail('answer not tabled into its meeting exactly as sent');
    },
  },
  {
    method: 'POST',
    url: `${API}/meetings/:id/honoraria`,
    who: ['chair'],
    params: { id: 'fixtureMeeting' },
    refKind: (path) => (path[0] === 'userId' ? 'meetingUser' : undefined),
    pools: { fixtureMeeting: (w) => [w.meetingId], meetingUser: meetingUsers },
    async onAccepted(a) {
      const h = await db(a).selectFrom('honoraria').select(['amountYen', 'paidOn']).where('id', '=', a.json.id).executeTakeFirstOrThrow();
      expectEqual(a, 'honorarium', h, { amountYen: a.sent.amountYen, paidOn: a.sent.paidOn ?? null });
    },
  },
  { method: 'GET', url: `${API}/honoraria.csv`, who: ['chair', 'coordinator', 'admin'] },
  { method: 'GET', url: `${API}/honoraria.xlsx`, who: ['chair', 'coordinator', 'admin'] },
  {
    method: 'POST',
    url: `${API}/convening-requests`,
    who: ['lead', 'member'],
    refKind: (path) =>
      path[0] === 'caseId' ? 'mainCase' : path[0] === 'involvedOrganizationIds' || path[0] === 'neededOrganizationIds' ? 'organization' : undefined,
    pools: { mainCase: (w) => [w.caseId, w.caseId, w.caseId, w.teamCaseId] },
    async onAccepted(a) {
      remember(a, 'convening');
      const c = await db(a).selectFrom('conveningRequests').select(['consulted', 'urgency']).where('id', '=', a.json.id).executeTakeFirstOrThrow();
      expectEqual(a, 'convening request', c, { consulted: a.sent.consulted, urgency: a.sent.urgency ?? 'normal' });
    },
  },
  { method: 'GET', url: `${API}/convening-requests`, who: ['coordinator', 'lead', 'chair'] },
  {
    method: 'POST',
    url: `${API}/convening-requests/:id/forward`,
    who: ['coordinator'],
    params: { id: 'convening' },
    refKind: (path) => (path[0] === 'chairUserId' ? 'meetingUser' : undefined),
    pools: { meetingUser: (w) => [w.accounts.chair.id, w.accounts.chair.id, w.accounts.lead.id] },
  },
  { method: 'GET', url: `${API}/tasks`, who: ['member', 'lead', 'chair'] },
  {
    method: 'POST',
    url: `${API}/tasks/:id/status`,
    who: ['member'],
    params: { id: 'task' },
    async onAccepted(a) {
      const t = await db(a).selectFrom('tasks').select('status').where('id', '=', a.params.id!).executeTakeFirstOrThrow();
      expectEqual(a, 'task status', t.status, a.sent.status);
    },
  },

  // The support lifecycle (issue 5) on World.lc's cases: reads, the assessment, the plan and its
  // approval, monitoring, advisors and advice requests, termination and reopening, the forms.
  { method: 'GET', url: `${API}/cases/:id/assessments`, who: ['lead', 'member', 'chair', 'coordinator'], params: { id: 'lcCase' }, pools: { lcCase: lcCases } },
  {
    method: 'GET',
    url: `${API}/cases/:id/assessments/:version`,
    who: ['lead', 'member'],
    params: { id: 'lcCase', version: 'version' },
    pools: { lcCase: lcCases, version: versions },
  },
  {
    method: 'POST',
    url: `${API}/cases/:id/assessments`,
    who: ['lead', 'member'],
    params: { id: 'lcCase' },
    refKind: (path) =>
      path.at(-1) === 'personId' || path.at(-1) === 'keyPersonId' || path.at(-1) === 'fromPersonId' || path.at(-1) === 'toPersonId' ? 'lcPerson' : undefined,
    pools: { lcCase: (w) => [w.lc.caseId, w.lc.caseId, w.lc.caseId, w.caseId], lcPerson: lcPersons },
    async onAccepted(a) {
      const row = await db(a)
        .selectFrom('assessments')
        .select('content')
        .where('caseId', '=', a.params.id!)
        .orderBy('version', 'desc')
        .executeTakeFirstOrThrow();
      // What the schema knows (extra keys are stripped, not stored).
      const known = (b: any) => ({
        members: b.members.map((m: any) => ({ personId: m.personId, items: m.items, note: m.note ?? null })),
        household: {
          keyPersonId: b.household.keyPersonId ?? null,
          supports: (b.household.supports ?? []).map((x: any) => [x.fromPersonId, x.toPersonId, x.note ?? null]),
          ifOneFallsIll: b.household.ifOneFallsIll ?? null,
          strengths: b.household.strengths ?? null,
          note: b.household.note ?? null,
        },
      });
      expectEqual(a, 'assessment', known(JSON.parse(row.content)), known(a.sent));
      expectEqual(
        a,
        'assessment (response)',
        a.json.members.map((m: any) => m.items),
        a.sent.members.map((m: any) => m.items),
      );
    },
  },
  { method: 'GET', url: `${API}/cases/:id/plans`, who: ['lead', 'member', 'chair'], params: { id: 'lcCase' }, pools: { lcCase: lcCases } },
  {
    method: 'GET',
    url: `${API}/cases/:id/plans/:version`,
    who: ['lead', 'member', 'chair'],
    params: { id: 'lcCase', version: 'version' },
    pools: { lcCase: lcCases, version: versions },
  },
  {
    method: 'GET',
    url: `${API}/cases/:id/plans/:version/diff`,
    who: ['lead', 'member'],
    params: { id: 'lcCase', version: 'version' },
    pools: { lcCase: lcCases, version: versions },
  },
  {
    method: 'POST',
    url: `${API}/cases/:id/plans`,
    who: ['lead', 'member'],
    params: { id: 'lcCase' },
    refKind: (path) => (path.at(-1) === 'personId' ? 'lcPerson' : path.at(-1) === 'organizationId' ? 'lcOrg' : undefined),
    pools: {
      lcCase: (w) => [w.lc.caseId, w.lc.caseId, w.lc.caseId, w.caseId],
      lcPerson: lcPersons,
      lcOrg: (w) => [w.accounts.lead.organizationId, w.accounts.lead.organizationId, w.accounts.member.organizationId, w.accounts.outsider.organizationId],
    },
    extraValid: (w) => fc.constant(w.lc.planBody),
    async onAccepted(a) {
      const plan = await db(a).selectFrom('plans').selectAll().where('caseId', '=', a.params.id!).orderBy('version', 'desc').executeTakeFirstOrThrow();
      if (plan.version !== a.json.version || plan.status !== 'draft') a.fail(`stored version ${plan.version} ${plan.status}, answered ${a.json.version}`);
      expectEqual(
        a,
        'plan member views',
        JSON.parse(plan.memberViews).map((m: any) => [m.personId, m.view]),
        a.sent.members.map((m: any) => [m.personId, m.view]),
      );
      expectEqual(
        a,
        'plan goals',
        JSON.parse(plan.goals).map((g: any) => [g.personId, g.text]),
        a.sent.goals.map((g: any) => [g.personId ?? null, g.text]),
      );
      expectEqual(a, 'plan change note', plan.changeNote, a.sent.changeNote ?? null);
      const actions = await db(a)
        .selectFrom('planActions')
        .select(['text', 'organizationId', 'startOn', 'reviewOn'])
        .where('planId', '=', plan.id)
        .orderBy('position')
        .execute();
      expectEqual(
        a,
        'plan actions',
        actions,
        a.sent.actions.map((x: any) => ({ text: x.text, organizationId: x.organizationId, startOn: x.startOn, reviewOn: x.reviewOn })),
      );
    },
  },
  {
    method: 'POST',
    url: `${API}/cases/:id/plans/:version/submit`,
    who: ['lead', 'member'],
    params: { id: 'lcCase', version: 'latestVersion' },
    // The latest version must be a draft to submit: draft one (the fixture's body) when it is not.
    async prepare(w) {
      const latest = await latestPlan(w);
      if (latest.status !== 'draft') await call(w, 'lead', 'POST', `/cases/${w.lc.caseId}/plans`, w.lc.planBody);
      w.cache.latestVersion = [String((await latestPlan(w)).version)];
    },
    pools: {
      lcCase: (w) => [w.lc.caseId, w.lc.caseId, w.lc.caseId, w.caseId],
      latestVersion: (w) => [...w.cache.latestVersion!, ...w.cache.latestVersion!, '1'],
    },
    async onAccepted(a) {
      const plan = await db(a)
        .selectFrom('plans')
        .select(['status', 'submittedAt'])
        .where('caseId', '=', a.params.id!)
        .where('version', '=', Number(a.params.version))
        .executeTakeFirstOrThrow();
      if (plan.status !== 'submitted' || !plan.submittedAt) a.fail(`submitted, but stored ${plan.status}`);
    },
  },
  {
    method: 'POST',
    url: `${API}/cases/:id/plans/:version/approve`,
    who: ['chair', 'lead'],
    params: { id: 'lcCase', version: 'latestVersion' },
    refKind: (path) => (path[0] === 'meetingId' ? 'approvalMeeting' : undefined),
    // The latest version must be submitted to approve: draft and submit one when it is not.
    async prepare(w) {
      let latest = await latestPlan(w);
      if (latest.status !== 'submitted') {
        if (latest.status !== 'draft') latest = await call(w, 'lead', 'POST', `/cases/${w.lc.caseId}/plans`, w.lc.planBody);
        await call(w, 'lead', 'POST', `/cases/${w.lc.caseId}/plans/${latest.version}/submit`, undefined);
      }
      w.cache.latestVersion = [String((await latestPlan(w)).version)];
    },
    pools: {
      lcCase: (w) => [w.lc.caseId, w.lc.caseId, w.lc.caseId, w.caseId],
      latestVersion: (w) => [...w.cache.latestVersion!, ...w.cache.latestVersion!, '1'],
      // The 重層的支援会議 (mostly), a 支援会議 (refused: 106条の6 approves no plan), another meeting off the case.
      approvalMeeting: (w) => [w.lc.multilayerMeetingId, w.lc.multilayerMeetingId, w.lc.multilayerMeetingId, w.lc.supportMeetingId, w.meetingId],
    },
    async onAccepted(a) {
      const plan = await db(a)
        .selectFrom('plans')
        .select(['status', 'approvedMeetingId', 'approvalNote'])
        .where('caseId', '=', a.params.id!)
        .where('version', '=', Number(a.params.version))
        .executeTakeFirstOrThrow();
      expectEqual(a, 'approval', plan, { status: 'approved', approvedMeetingId: a.sent.meetingId, approvalNote: a.sent.note ?? null });
    },
  },
  { method: 'GET', url: `${API}/cases/:id/monitoring`, who: ['lead', 'member', 'chair'], params: { id: 'lcCase' }, pools: { lcCase: lcCases } },
  {
    method: 'POST',
    url: `${API}/cases/:id/monitoring`,
    who: ['lead', 'member'],
    params: { id: 'lcCase' },
    // The fixture plan's action keys (each approved fixture version keeps them): the member holds a-member and a-home.
    extraValid: () =>
      fc.record(
        {
          actionKey: fc.constantFrom('a-lead', 'a-member', 'a-home', 'a-none'),
          status: fc.constantFrom('done', 'in_progress', 'stalled', 'new_problem'),
          note: fc.constantFrom('訪問を2回断られた', '𠮷野家で昼食をとれた', 'ﾊﾝｶｸの記録\n二行目'),
          personView: fc.constantFrom('今は会いたくない', '少し楽になった'),
          nextReviewOn: fc.constantFrom('2026-12-24', '2027-01-31'),
        },
        { requiredKeys: ['status', 'note'] },
      ),
    pools: { lcCase: (w) => [w.lc.caseId, w.lc.caseId, w.lc.caseId, w.lc.caseId, w.caseId] },
    async onAccepted(a) {
      const e = await db(a).selectFrom('monitoringEntries').selectAll().where('id', '=', a.json.id).executeTakeFirstOrThrow();
      expectEqual(
        a,
        'monitoring entry',
        { actionKey: e.actionKey, status: e.status, note: e.note, personView: e.personView, nextReviewOn: e.nextReviewOn },
        {
          actionKey: a.sent.actionKey ?? null,
          status: a.sent.status,
          note: a.sent.note,
          personView: a.sent.personView ?? null,
          nextReviewOn: a.sent.nextReviewOn ?? null,
        },
      );
    },
  },
  { method: 'GET', url: `${API}/advisors`, who: ['lead', 'coordinator', 'advisor', 'admin'] },
  {
    method: 'PUT',
    url: `${API}/advisors/:id`,
    who: ['coordinator', 'admin'],
    params: { id: 'advisor' },
    pools: { advisor: (w) => [w.accounts.advisor.id, w.accounts.advisor.id, w.accounts.lead.id, ...w.pools.user.fixed.slice(0, 1)] },
    async onAccepted(a) {
      const p = await db(a).selectFrom('advisorProfiles').selectAll().where('userId', '=', a.params.id!).executeTakeFirstOrThrow();
      expectEqual(
        a,
        'advisor profile',
        { fields: JSON.parse(p.fields), affiliation: p.affiliation, note: p.note },
        { fields: [...new Set(a.sent.fields)], affiliation: a.sent.affiliation ?? null, note: a.sent.note ?? null },
      );
    },
  },
  {
    method: 'POST',
    url: `${API}/cases/:id/advice-requests`,
    who: ['lead', 'member'],
    params: { id: 'lcCase' },
    refKind: (path) => (path[0] === 'advisorUserId' ? 'advisor' : path.at(-1) === 'meetingId' ? 'adviceMeeting' : undefined),
    pools: {
      lcCase: (w) => [w.lc.caseId, w.lc.caseId, w.lc.caseId, w.caseId],
      advisor: (w) => [w.accounts.advisor.id, w.accounts.advisor.id, w.accounts.advisor.id, w.accounts.member.id],
      // The 支援会議 the advisor belongs to (mostly), the 重層的支援会議 (not statutory), a meeting off the case.
      adviceMeeting: (w) => [w.lc.supportMeetingId, w.lc.supportMeetingId, w.lc.multilayerMeetingId, w.meetingId],
    },
    async onAccepted(a) {
      remember(a, 'adviceRequest');
      const r = await db(a).selectFrom('adviceRequests').selectAll().where('id', '=', a.json.id).executeTakeFirstOrThrow();
      expectEqual(
        a,
        'advice request',
        { question: r.question, basisKind: r.basisKind, meetingId: r.meetingId, include: JSON.parse(r.include), dueOn: r.dueOn },
        {
          question: a.sent.question,
          basisKind: a.sent.basis.kind,
          meetingId: a.sent.basis.meetingId ?? null,
          include: a.sent.include,
          dueOn: a.sent.dueOn ?? null,
        },
      );
      if (JSON.stringify(JSON.parse(r.snapshot)).includes('"records"')) a.fail('an advice snapshot carries records');
    },
  },
  { method: 'GET', url: `${API}/cases/:id/advice-requests`, who: ['lead', 'member'], params: { id: 'lcCase' }, pools: { lcCase: lcCases } },
  { method: 'GET', url: `${API}/advice-requests`, who: ['advisor'] },
  {
    method: 'GET',
    url: `${API}/advice-requests/:id`,
    who: ['advisor', 'lead', 'member'],
    params: { id: 'adviceRequest' },
  },
  {
    method: 'POST',
    url: `${API}/advice-requests/:id/answer`,
    who: ['advisor'],
    params: { id: 'openAdvice' },
    // Each request is answered once: keep two open ones to the advisor (asked through the API).
    async prepare(w) {
      const open = async () =>
        (
          await w.s.services.db
            .selectFrom('adviceRequests')
            .select('id')
            .where('advisorUserId', '=', w.accounts.advisor.id)
            .where('status', '=', 'open')
            .limit(10)
            .execute()
        ).map((q) => q.id);
      w.cache.openAdvice = await open();
      if (w.cache.openAdvice.length < 2) {
        await call(w, 'lead', 'POST', `/cases/${w.lc.caseId}/advice-requests`, {
          advisorUserId: w.accounts.advisor.id,
          question: '家族支援の入り口について',
          basis: { kind: 'meeting', meetingId: w.lc.supportMeetingId },
          include: ['core', 'plan'],
        });
        w.cache.openAdvice = await open();
      }
    },
    pools: { openAdvice: (w) => [...w.cache.openAdvice!, ...w.cache.openAdvice!, w.lc.adviceRequestId, ...w.pools.adviceRequest.created.slice(0, 2)] },
    async onAccepted(a) {
      const r = await db(a).selectFrom('adviceRequests').select(['status', 'answer']).where('id', '=', a.params.id!).executeTakeFirstOrThrow();
      expectEqual(a, 'advice answer', r, { status: 'answered', answer: a.sent.answer });
    },
  },
  { method: 'GET', url: `${API}/dashboard`, who: ['coordinator', 'lead'] },
  // Diagrams and forms (about 13 ms a PDF).
  { method: 'GET', url: `${API}/cases/:id/genogram.svg`, who: ['lead', 'member', 'chair'], params: { id: 'lcCase' }, pools: { lcCase: lcCases } },
  { method: 'GET', url: `${API}/cases/:id/ecomap.svg`, who: ['lead', 'member', 'chair'], params: { id: 'lcCase' }, pools: { lcCase: lcCases } },
  ...(['assessments/:version/assessment.pdf', 'assessments/:version/assessment.xlsx', 'plans/:version/plan.pdf', 'plans/:version/plan.xlsx'] as const).map(
    (form): RouteSpec => ({
      method: 'GET',
      url: `${API}/cases/:id/${form}`,
      who: ['lead', 'member', 'chair'],
      params: { id: 'lcCase', version: 'version' },
      pools: { lcCase: lcCases, version: versions },
    }),
  ),
  { method: 'GET', url: `${API}/cases/:id/termination`, who: ['lead', 'member'], params: { id: 'closingCase' }, pools: { closingCase: closingCases } },
  {
    method: 'POST',
    url: `${API}/cases/:id/termination`,
    who: ['lead', 'member'],
    params: { id: 'closingCase' },
    refKind: (path) => (path.at(-1) === 'organizationId' ? 'watcher' : undefined),
    // The case must be open to close it: reopen it (through the API) after an accepted run.
    async prepare(w) {
      if ((await caseStatus(w, w.lc.closingCaseId)) === 'closed')
        await call(w, 'lead', 'POST', `/cases/${w.lc.closingCaseId}/reopen`, {
          problems: [{ personId: w.lc.closingPersonIds[0], type: '孤立' }],
          note: '再相談',
        });
    },
    pools: {
      closingCase: (w) => [w.lc.closingCaseId, w.lc.closingCaseId, w.lc.closingCaseId, w.lc.caseId],
      watcher: (w) => [w.accounts.member.organizationId, w.accounts.lead.organizationId, ...w.pools.organization.fixed],
    },
    // No plan on the closing case: nothing to evaluate; someone keeps watching and a date to check again.
    extraValid: (w) =>
      fc.record(
        {
          reason: fc.constantFrom('goal_achieved', 'interrupted', 'moved_out', 'deceased', '他制度へ移行'),
          evaluations: fc.constant([]),
          watchers: fc.constant([{ organizationId: w.accounts.member.organizationId, how: '月1回の電話（𠮷田さん）' }]),
          recheckOn: fc.constantFrom('2027-03-31', '2026-12-31'),
          note: fc.constantFrom('終結。ﾊﾝｶｸの備考', '地域で見守る\n民生委員に引き継ぎ'),
        },
        { requiredKeys: ['reason', 'evaluations', 'watchers', 'recheckOn'] },
      ),
    async onAccepted(a) {
      const t = await db(a).selectFrom('terminations').selectAll().where('caseId', '=', a.params.id!).orderBy('createdAt', 'desc').executeTakeFirstOrThrow();
      expectEqual(
        a,
        'termination',
        {
          reason: t.reason,
          evaluations: JSON.parse(t.evaluations).map((e: any) => ({ goalKey: e.goalKey, outcome: e.outcome, why: e.why })),
          watchers: JSON.parse(t.watchers).map((x: any) => ({ organizationId: x.organizationId, how: x.how })),
          recheckOn: t.recheckOn,
          note: t.note,
        },
        {
          reason: a.sent.reason,
          evaluations: a.sent.evaluations.map((e: any) => ({ goalKey: e.goalKey, outcome: e.outcome, why: e.why })),
          watchers: a.sent.watchers.map((x: any) => ({ organizationId: x.organizationId, how: x.how })),
          recheckOn: a.sent.recheckOn ?? null,
          note: a.sent.note ?? null,
        },
      );
      if ((await caseStatus(a.w, a.params.id!)) !== 'closed') a.fail('termination recorded but the case is not closed');
    },
  },
  {
    method: 'POST',
    url: `${API}/cases/:id/reopen`,
    who: ['lead', 'member'],
    params: { id: 'closingCase' },
    refKind: (path) => (path.at(-1) === 'personId' ? 'closingPerson' : undefined),
    // The case must be closed to reopen it: close it (through the API) after an accepted run.
    async prepare(w) {
      if ((await caseStatus(w, w.lc.closingCaseId)) !== 'closed')
        await call(w, 'lead', 'POST', `/cases/${w.lc.closingCaseId}/termination`, {
          reason: 'goal_achieved',
          evaluations: [],
          watchers: [{ organizationId: w.accounts.member.organizationId, how: '月1回の電話' }],
          recheckOn: '2027-03-31',
        });
    },
    pools: {
      closingCase: (w) => [w.lc.closingCaseId, w.lc.closingCaseId, w.lc.closingCaseId, w.lc.caseId],
      closingPerson: (w) => [...w.lc.closingPersonIds, ...w.lc.closingPersonIds, w.lc.personIds[0]!],
    },
    async onAccepted(a) {
      if ((await caseStatus(a.w, a.params.id!)) !== 'assessment') a.fail('reopened, but the case is not in assessment');
      const change = await db(a)
        .selectFrom('caseStatusChanges')
        .select('note')
        .where('caseId', '=', a.params.id!)
        .where('reason', '=', 'reopened')
        .orderBy('changedAt', 'desc')
        .executeTakeFirstOrThrow();
      expectEqual(a, 'reopening note', change.note, a.sent.note);
    },
  },

  // The audit trail.
  { method: 'GET', url: `${API}/audit`, who: ['auditor', 'coordinator'] },

  // Sign-in last: failures lock the address for 15 minutes (per account after 5, per address after 30).
  {
    method: 'POST',
    url: `${API}/auth/token`,
    who: ['none'],
    mayChange: ['loginThrottle'],
    expectAccepted: false,
    extraValid: (w) => fc.constantFrom(...(['lead', 'member'] as const).map((p) => ({ loginId: w.accounts[p].loginId, password: w.accounts[p].password }))),
  },
  {
    method: 'POST',
    url: `${API}/auth/login`,
    who: ['none'],
    mayChange: ['loginThrottle'],
    expectAccepted: false,
    extraValid: (w) => fc.constantFrom(...(['lead', 'member'] as const).map((p) => ({ loginId: w.accounts[p].loginId, password: w.accounts[p].password }))),
  },
];

/** Routes that take no input and are left out on purpose. */
export const EXEMPT = new Set([`GET ${API}/health`, `HEAD ${API}/health`, `GET ${API}/openapi.json`, `HEAD ${API}/openapi.json`]);
