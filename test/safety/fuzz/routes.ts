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
    { authorization: `Bearer ${w.accounts[who].token}`, 'content-type': 'application/json' },
    JSON.stringify(body),
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

export const ROUTE_SPECS: RouteSpec[] = [
  // Reads without input schemas (junk queries, bodies, callers only).
  { method: 'GET', url: `${API}/audit/verify`, who: ['auditor'], runs: 60 },
  { method: 'GET', url: `${API}/me`, who: ['lead', 'admin', 'auditor', 'coordinator', 'member'] },
  { method: 'GET', url: `${API}/code-lists`, who: ['lead', 'admin', 'auditor'] },
  { method: 'GET', url: `${API}/organizations`, who: ['lead', 'admin', 'coordinator'] },
  { method: 'GET', url: `${API}/users`, who: ['admin'] },
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
