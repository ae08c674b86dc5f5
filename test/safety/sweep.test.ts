/**
 * T2 — the leak sweep. Every route the server registered (routeTable(app)) is called, with
 * every id of the fixture, as every principal; a unique canary sits in every restricted
 * field (person names, kana and address; household name and address; case summary,
 * referral route, problem note and status note; record bodies of each class; consent
 * purposes and the representative's name; break-glass reasons). For every principal and
 * canary the oracle (oracle.ts, from product.md) says whether it may be seen:
 *
 * - a canary it may not see appears in no body and no header of any answer, and no canary at
 *   all appears in the server's log;
 * - positive control: every canary it may see is found somewhere in its sweep (100 %), so the
 *   sweep cannot pass by seeing nothing;
 * - a route missing from ROUTES below fails the test: a route added later must be swept;
 * - invisible and non-existent ids answer identically (status, type, body but requestId);
 * - refused writes change nothing that carries a canary.
 *
 * Supersedes test/leaks.test.ts (every assertion of it is covered here or in matrix.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/http/app.ts';
import { ADMIN_PASSWORD, KINDS, type Res } from '../helpers/server.ts';
import { buildFixture, type CaseFixture, type Fixture, hex, pool, type Reader, toHalfWidth, toHiragana } from './matrix/fixture.ts';
import { buildLifecycle } from './matrix/lifecycle.ts';
import { buildMeetings, type MeetingFixture } from './matrix/meetings.ts';
import { type LoggedServer, startLoggedServer, WEB } from './matrix/server.ts';
import { observedWrite, WRITE_PROBES, type WriteProbe } from './matrix/table.ts';
import {
  type Canary,
  caseView,
  type Decision,
  householdView,
  type IdKind,
  inMeeting,
  isCoordinator,
  LIFECYCLE_KINDS,
  type LifecycleWrite,
  lifecycleStatus,
  type MeetingAction,
  mayLifecycleWrite,
  mayMeetingWrite,
  mayMonitor,
  mayWrite,
  type Role,
  seesCanary,
  seesId,
  seesPerson,
  worksCases,
} from './oracle.ts';

interface Principal {
  key: string;
  id: string;
  token: string;
  loginId: string;
  password: string;
  roles: Role[];
}

interface Probe {
  method: string;
  path: string;
  body?: unknown;
  /** A write whose authorization the oracle decides. */
  write?: { probe: WriteProbe; fx: CaseFixture };
  /** Administrator-only route: 2xx only for the administrator. */
  adminOnly?: boolean;
  /** A meeting write whose authorization the oracle decides (a 422 after it counts as allowed). */
  meeting?: { action: MeetingAction; target: string };
  /** A lifecycle write (I8, I9): the oracle's decision, taken when the probe is built (a 409 or 422 after it counts as allowed). */
  lifecycle?: { expected: Decision };
}

/** Per-principal scratch: what its own writes made (a person, a household), for the next writes. */
interface Scratch {
  personId?: string;
  householdId?: string;
  caseId?: string;
  /** A meeting the principal convened (chairs): the target of its meeting writes. */
  meetingId?: string;
}

interface Ctx {
  f: Fixture;
  p: Principal;
  scratch: Scratch;
  m: MeetingFixture;
  /** A user of organization Z whom chairs invite to their own meetings and remove again. */
  inviteeId: string;
  /** The advice requests of the fixture and an advisor whose roster entry coordinators edit. */
  lc: { adviceIds: string[]; advisorId: string };
}

const meetingIds = (m: MeetingFixture) => Object.values(m.ids);
/** A chair's own meeting, or else M1 (where the oracle says who may). */
const target = (c: Ctx) => c.scratch.meetingId ?? c.m.ids.M1;
const meetingWrite = (_c: Ctx, action: MeetingAction, method: string, path: string, t: string, body?: unknown): Probe => ({
  method,
  path,
  body,
  meeting: { action, target: t },
});

const MISSING = '0000000000000000000000000000dead';
const kanaOf = (fx: CaseFixture, personId: string) => fx.canaries.find((c) => c.owner === personId && c.kind === 'person.familyNameKana')!.value;
const givenKanaOf = (fx: CaseFixture, personId: string) => fx.canaries.find((c) => c.owner === personId && c.kind === 'person.givenNameKana')!.value;
const nameOf = (fx: CaseFixture, personId: string) => fx.canaries.find((c) => c.owner === personId && c.kind === 'person.familyName')!.value;
const persons = (f: Fixture) => f.cases.flatMap((fx) => [fx.P, fx.Q]);
const wp = (action: string) => WRITE_PROBES.find((x) => x.action === action)!;

/**
 * Route → request builder. Reads first; writes aim at harmless targets (organization Z, a
 * consent naming only Z, the principal's own new person and household) or, when the oracle
 * says the principal may not write, at the canary objects themselves.
 */
const ROUTES: Record<string, { phase: 'read' | 'write' | 'last'; build: (c: Ctx) => Probe[] }> = {
  'GET /api/v1/health': { phase: 'read', build: () => [{ method: 'GET', path: '/health' }] },
  'GET /api/v1/openapi.json': { phase: 'read', build: () => [{ method: 'GET', path: '/openapi.json' }] },
  'GET /api/v1/me': { phase: 'read', build: () => [{ method: 'GET', path: '/me' }] },
  'GET /api/v1/code-lists': { phase: 'read', build: () => [{ method: 'GET', path: '/code-lists' }] },
  'GET /api/v1/organizations': { phase: 'read', build: () => [{ method: 'GET', path: '/organizations' }] },
  'GET /api/v1/users': { phase: 'read', build: () => [{ method: 'GET', path: '/users' }] },
  'GET /api/v1/settings': { phase: 'read', build: () => [{ method: 'GET', path: '/settings' }] },
  'GET /api/v1/notifications': { phase: 'read', build: () => [{ method: 'GET', path: '/notifications' }] },
  'GET /api/v1/audit/verify': { phase: 'read', build: () => [{ method: 'GET', path: '/audit/verify' }] },
  'GET /api/v1/audit': {
    phase: 'read',
    build: ({ f }) =>
      [...persons(f).map((id) => `/audit?personId=${id}`), ...f.cases.map((fx) => `/audit?caseId=${fx.caseId}&limit=500`)].map((path) => ({
        method: 'GET',
        path,
      })),
  },
  'GET /api/v1/persons': {
    phase: 'read',
    build: ({ f }) => [
      { method: 'GET', path: '/persons' },
      { method: 'GET', path: '/persons?limit=100' },
      ...f.cases
        .flatMap((fx) =>
          [fx.P, fx.Q].flatMap((id) => [
            toHiragana(kanaOf(fx, id)),
            `${toHalfWidth(kanaOf(fx, id))} ${toHalfWidth(givenKanaOf(fx, id))}`,
            nameOf(fx, id).slice(-10),
          ]),
        )
        .map((q) => ({ method: 'GET', path: `/persons?q=${encodeURIComponent(q)}` })),
      // The exact stored kana, as typed: the log must not keep it either.
      ...f.cases.map((fx) => ({ method: 'GET', path: `/persons?q=${encodeURIComponent(kanaOf(fx, fx.P))}` })),
      { method: 'GET', path: `/persons?q=${encodeURIComponent('かなりあ')}` },
      { method: 'GET', path: '/persons?q=CANARY' },
    ],
  },
  'GET /api/v1/persons/:id': { phase: 'read', build: ({ f }) => persons(f).map((id) => ({ method: 'GET', path: `/persons/${id}` })) },
  'GET /api/v1/persons/:id/consents': { phase: 'read', build: ({ f }) => persons(f).map((id) => ({ method: 'GET', path: `/persons/${id}/consents` })) },
  'GET /api/v1/households/:id': { phase: 'read', build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/households/${fx.householdId}` })) },
  'GET /api/v1/cases': {
    phase: 'read',
    build: () => ['/cases', '/cases?status=assessment', '/cases?status=intake&limit=5'].map((path) => ({ method: 'GET', path })),
  },
  'GET /api/v1/cases/:id': { phase: 'read', build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}` })) },
  'GET /api/v1/cases/:id/records': { phase: 'read', build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/records` })) },
  'GET /api/v1/directory/users': { phase: 'read', build: () => [{ method: 'GET', path: '/directory/users' }] },
  'GET /api/v1/meetings': { phase: 'read', build: () => [{ method: 'GET', path: '/meetings' }] },
  'GET /api/v1/meetings/:id': { phase: 'read', build: ({ m }) => meetingIds(m).map((id) => ({ method: 'GET', path: `/meetings/${id}` })) },
  'GET /api/v1/meetings/:id/materials': {
    phase: 'read',
    build: ({ m }) => meetingIds(m).map((id) => ({ method: 'GET', path: `/meetings/${id}/materials` })),
  },
  'GET /api/v1/meetings/:id/minutes': { phase: 'read', build: ({ m }) => meetingIds(m).map((id) => ({ method: 'GET', path: `/meetings/${id}/minutes` })) },
  'GET /api/v1/meetings/:id/notice.pdf': {
    phase: 'read',
    build: ({ m }) => meetingIds(m).map((id) => ({ method: 'GET', path: `/meetings/${id}/notice.pdf` })),
  },
  'GET /api/v1/meetings/:id/agenda.pdf': {
    phase: 'read',
    build: ({ m }) => meetingIds(m).map((id) => ({ method: 'GET', path: `/meetings/${id}/agenda.pdf` })),
  },
  // 誓約書: the chair's printable pledge, no case content: swept for canaries like every answer.
  'GET /api/v1/meetings/:id/pledge.pdf': {
    phase: 'read',
    build: ({ m }) => meetingIds(m).map((id) => ({ method: 'GET', path: `/meetings/${id}/pledge.pdf` })),
  },
  'GET /api/v1/tasks': { phase: 'read', build: () => [{ method: 'GET', path: '/tasks' }] },
  'GET /api/v1/meetings/:id/assignments': {
    phase: 'read',
    build: ({ m }) => meetingIds(m).map((id) => ({ method: 'GET', path: `/meetings/${id}/assignments` })),
  },
  'GET /api/v1/convening-requests': { phase: 'read', build: () => [{ method: 'GET', path: '/convening-requests' }] },
  'GET /api/v1/information-requests': { phase: 'read', build: () => [{ method: 'GET', path: '/information-requests' }] },
  // 謝金: staff names and amounts only (no client data): swept for canaries like every answer.
  'GET /api/v1/honoraria.csv': { phase: 'read', build: () => [{ method: 'GET', path: '/honoraria.csv' }] },
  'GET /api/v1/honoraria.xlsx': { phase: 'read', build: () => [{ method: 'GET', path: '/honoraria.xlsx?from=2020-01-01' }] },
  'GET /*': {
    phase: 'read',
    build: ({ f }) => [`${WEB}/`, `${WEB}/cases/${f.cases[0]!.caseId}`, `${WEB}/persons/${f.cases[0]!.P}`].map((path) => ({ method: 'GET', path })),
  },

  'POST /api/v1/auth/login': {
    phase: 'write',
    build: ({ p }) => [{ method: 'POST', path: '/auth/login', body: { loginId: p.loginId, password: p.password } }],
  },
  'POST /api/v1/auth/token': {
    phase: 'write',
    build: ({ p }) => [{ method: 'POST', path: '/auth/token', body: { loginId: p.loginId, password: p.password } }],
  },
  'POST /api/v1/auth/logout': { phase: 'write', build: () => [{ method: 'POST', path: '/auth/logout' }] },
  'POST /api/v1/auth/totp/setup': { phase: 'write', build: () => [{ method: 'POST', path: '/auth/totp/setup' }] },
  'POST /api/v1/auth/totp/enable': { phase: 'write', build: () => [{ method: 'POST', path: '/auth/totp/enable', body: { code: '000000' } }] },
  'POST /api/v1/organizations': {
    phase: 'write',
    build: () => [{ method: 'POST', path: '/organizations', body: { name: `掃引${hex()}`, kind: 'NPO' }, adminOnly: true }],
  },
  'POST /api/v1/users': {
    phase: 'write',
    build: ({ f }) => [
      {
        method: 'POST',
        path: '/users',
        body: { loginId: `sweep.${hex()}`, displayName: '掃引', organizationId: f.orgs.Z, roles: ['community'], password: `pw-${hex()}-${hex()}` },
        adminOnly: true,
      },
    ],
  },
  'POST /api/v1/users/:id/disable': { phase: 'write', build: ({ f }) => [{ method: 'POST', path: `/users/${f.sacrificialUserId}/disable`, adminOnly: true }] },
  'POST /api/v1/users/:id/roles': {
    phase: 'write',
    build: ({ f }) => [{ method: 'POST', path: `/users/${f.sacrificialUserId}/roles`, body: { roles: ['community'] }, adminOnly: true }],
  },
  'POST /api/v1/users/:id/totp/reset': {
    phase: 'write',
    build: ({ f }) => [{ method: 'POST', path: `/users/${f.sacrificialUserId}/totp/reset`, adminOnly: true }],
  },
  'PUT /api/v1/settings': { phase: 'write', build: () => [{ method: 'PUT', path: '/settings', body: { mfaRequiredRoles: [] }, adminOnly: true }] },
  // A second registration of P, spelled as another window would (hiragana): the duplicate warning names only what the caller may see.
  'POST /api/v1/persons': {
    phase: 'write',
    build: ({ f }) =>
      f.cases.map((fx) => ({
        method: 'POST',
        path: '/persons',
        body: { familyName: '重複確認', givenName: '花子', familyNameKana: toHiragana(kanaOf(fx, fx.P)), givenNameKana: toHiragana(givenKanaOf(fx, fx.P)) },
      })),
  },
  'POST /api/v1/households': {
    phase: 'write',
    build: ({ f, p, scratch }) => {
      const P = f.cases[0]!.P;
      const own = seesPerson(f.world, p.id, P) !== 'deny' ? scratch.personId : P;
      return own ? [{ method: 'POST', path: '/households', body: { members: [{ personId: own, relationship: '本人' }] } }] : [];
    },
  },
  'POST /api/v1/cases': {
    phase: 'write',
    build: ({ f, p, scratch }) => {
      const H = f.cases[0]!.householdId;
      const hh = householdView(f.world, p.id, H) === null ? H : scratch.householdId;
      const lead = f.world.users[p.id]!.org;
      return hh
        ? [{ method: 'POST', path: '/cases', body: { householdId: hh, leadOrganizationId: lead, referralRoute: '掃引', summary: '掃引の検査', problems: [] } }]
        : [];
    },
  },
  'POST /api/v1/cases/:id/team': { phase: 'write', build: ({ f, p }) => f.cases.map((fx) => writeProbe(f, p, fx, 'team.add')) },
  'DELETE /api/v1/cases/:id/team/:organizationId': { phase: 'write', build: ({ f, p }) => f.cases.map((fx) => writeProbe(f, p, fx, 'team.remove')) },
  'POST /api/v1/cases/:id/status': { phase: 'write', build: ({ f, p }) => f.cases.map((fx) => writeProbe(f, p, fx, 'status.change')) },
  'POST /api/v1/cases/:id/records': { phase: 'write', build: ({ f, p }) => f.cases.map((fx) => writeProbe(f, p, fx, 'record.add')) },
  'POST /api/v1/persons/:id/consents': { phase: 'write', build: ({ f, p }) => f.cases.map((fx) => writeProbe(f, p, fx, 'consent.record')) },
  'POST /api/v1/consents/:id/withdraw': {
    phase: 'write',
    build: ({ f, p }) =>
      f.cases.map((fx) => {
        const probe = writeProbe(f, p, fx, 'consent.withdraw');
        // Someone who may not withdraw tries the real consent; someone who may, the Z-only one.
        if (fx.consentId && mayWrite(f.world, p.id, 'consent.withdraw', fx.caseId, fx.P) === 'deny') probe.path = `/consents/${fx.consentId}/withdraw`;
        return probe;
      }),
  },
  // Meetings: a chair convenes its own (empty) meeting and aims its writes there; everyone else aims at M1.
  'POST /api/v1/meetings': {
    phase: 'write',
    build: ({ p, inviteeId }) => [
      {
        method: 'POST',
        path: '/meetings',
        body: { kind: 'support', title: '掃引の会議', startsAt: '2027-01-08T10:00:00+09:00', chairUserId: p.id, memberUserIds: [inviteeId], caseIds: [] },
        meeting: { action: 'convene', target: '' },
      },
    ],
  },
  'POST /api/v1/meetings/:id/members': {
    phase: 'write',
    build: (c) => [meetingWrite(c, 'member.add', 'POST', `/meetings/${target(c)}/members`, target(c), { userId: c.f.sacrificialUserId })],
  },
  'DELETE /api/v1/meetings/:id/members/:userId': {
    phase: 'write',
    build: (c) => {
      const who = c.scratch.meetingId ? c.inviteeId : c.m.users.notAck.id;
      return [meetingWrite(c, 'member.remove', 'DELETE', `/meetings/${target(c)}/members/${who}`, target(c))];
    },
  },
  'POST /api/v1/meetings/:id/cases': {
    phase: 'write',
    build: (c) => {
      const caseId = c.scratch.meetingId ? (c.scratch.caseId ?? MISSING) : c.m.cases.MC.caseId;
      return [meetingWrite(c, 'case.add', 'POST', `/meetings/${target(c)}/cases`, target(c), { caseId, purpose: '掃引の検査' })];
    },
  },
  // Membership per agenda item: a chair excludes its invitee from its own meeting's case (422 when
  // off the agenda or no longer a member); everyone else aims at M.ack on MS at M1.
  'POST /api/v1/meetings/:id/cases/:caseId/exclusions': {
    phase: 'write',
    build: (c) => {
      const caseId = c.scratch.meetingId ? (c.scratch.caseId ?? MISSING) : c.m.cases.MS.caseId;
      const userId = c.scratch.meetingId ? c.inviteeId : c.m.users.ack.id;
      return [meetingWrite(c, 'case.exclude', 'POST', `/meetings/${target(c)}/cases/${caseId}/exclusions`, target(c), { userId })];
    },
  },
  'DELETE /api/v1/meetings/:id/cases/:caseId/exclusions/:userId': {
    phase: 'write',
    build: (c) => {
      const caseId = c.scratch.meetingId ? (c.scratch.caseId ?? MISSING) : c.m.cases.MS.caseId;
      const userId = c.scratch.meetingId ? c.inviteeId : c.m.users.ack.id;
      return [meetingWrite(c, 'case.include', 'DELETE', `/meetings/${target(c)}/cases/${caseId}/exclusions/${userId}`, target(c))];
    },
  },
  'POST /api/v1/meetings/:id/acknowledge': {
    phase: 'write',
    build: (c) => {
      // Never a fixture meeting the principal belongs to (that would change what it may see).
      const t = c.scratch.meetingId ?? meetingIds(c.m).find((id) => !inMeeting(c.f.world, c.p.id, id));
      return t ? [meetingWrite(c, 'acknowledge', 'POST', `/meetings/${t}/acknowledge`, t)] : [];
    },
  },
  'POST /api/v1/meetings/:id/table': {
    phase: 'write',
    // A record of the lead's: only M.chair (L) owns it, and M.chair aims at its own meeting (not on that agenda).
    build: (c) => {
      const rec = c.m.cases.MS.records.find((r) => r.author === 'L' && r.chosen === 'normal')!.id;
      return [meetingWrite(c, 'table', 'POST', `/meetings/${target(c)}/table`, target(c), { caseId: c.m.cases.MS.caseId, recordIds: [rec] })];
    },
  },
  'POST /api/v1/meetings/:id/minutes': {
    phase: 'write',
    build: (c) => [meetingWrite(c, 'minutes', 'POST', `/meetings/${target(c)}/minutes`, target(c), { body: '掃引の会議記録' })],
  },
  'POST /api/v1/meetings/:id/minutes/sign': {
    phase: 'write',
    build: (c) => [meetingWrite(c, 'minutes.sign', 'POST', `/meetings/${target(c)}/minutes/sign`, target(c))],
  },
  'POST /api/v1/meetings/:id/assignments': {
    phase: 'write',
    build: (c) => [
      meetingWrite(c, 'assign', 'POST', `/meetings/${target(c)}/assignments`, target(c), {
        caseId: c.m.cases.MS.caseId,
        organizationId: c.f.orgs.Z,
        task: '掃引のタスク',
      }),
    ],
  },
  'POST /api/v1/meetings/:id/information-requests': {
    phase: 'write',
    // A chair asks Z from its own meeting (the case is not on that agenda: 422 after authorization).
    build: (c) => [
      meetingWrite(c, 'request', 'POST', `/meetings/${target(c)}/information-requests`, target(c), {
        caseId: c.m.cases.MS.caseId,
        organizationId: c.f.orgs.Z,
        request: '掃引の照会',
      }),
    ],
  },
  'POST /api/v1/information-requests/:id/answer': {
    phase: 'write',
    // The M1 request is answered already: 409 for its organization, 404 for everyone else.
    build: (c) => [meetingWrite(c, 'request.answer', 'POST', `/information-requests/${c.m.requestId}/answer`, c.m.requestId, { answer: '掃引の回答' })],
  },
  'POST /api/v1/convening-requests': {
    phase: 'write',
    // On MS: the team may ask (a harmless form without canaries); anyone else is refused (403, or 422 for a case it cannot see).
    build: (c) => [
      meetingWrite(c, 'convening.request', 'POST', '/convening-requests', c.m.cases.MS.caseId, {
        caseId: c.m.cases.MS.caseId,
        consulted: '掃引の受付',
        involvedOrganizationIds: [],
        neededOrganizationIds: [c.f.orgs.Z],
      }),
    ],
  },
  'POST /api/v1/convening-requests/:id/forward': {
    phase: 'write',
    build: (c) => [
      meetingWrite(c, 'convening.forward', 'POST', `/convening-requests/${c.m.conveningRequestId}/forward`, c.m.conveningRequestId, {
        chairUserId: c.m.users.chair.id,
      }),
    ],
  },
  'POST /api/v1/meetings/:id/honoraria': {
    phase: 'write',
    build: (c) => [meetingWrite(c, 'honorarium', 'POST', `/meetings/${target(c)}/honoraria`, target(c), { userId: MISSING, amountYen: 5000 })],
  },
  'POST /api/v1/tasks/:id/status': {
    phase: 'write',
    build: (c) => [meetingWrite(c, 'task.status', 'POST', `/tasks/${c.m.taskIds[0]}/status`, c.m.taskIds[0]!, { status: 'in_progress' })],
  },
  // The support lifecycle (issue 5): every case, version 1; forms and diagrams are scanned as text (PDF, xlsx, SVG).
  'GET /api/v1/cases/:id/assessments': { phase: 'read', build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/assessments` })) },
  'GET /api/v1/cases/:id/assessments/:version': {
    phase: 'read',
    build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/assessments/1` })),
  },
  'GET /api/v1/cases/:id/plans': { phase: 'read', build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/plans` })) },
  'GET /api/v1/cases/:id/plans/:version': { phase: 'read', build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/plans/1` })) },
  'GET /api/v1/cases/:id/plans/:version/diff': {
    phase: 'read',
    build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/plans/1/diff` })),
  },
  'GET /api/v1/cases/:id/monitoring': { phase: 'read', build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/monitoring` })) },
  'GET /api/v1/cases/:id/termination': { phase: 'read', build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/termination` })) },
  'GET /api/v1/cases/:id/advice-requests': {
    phase: 'read',
    build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/advice-requests` })),
  },
  'GET /api/v1/advice-requests': { phase: 'read', build: () => [{ method: 'GET', path: '/advice-requests' }] },
  'GET /api/v1/advice-requests/:id': { phase: 'read', build: ({ lc }) => lc.adviceIds.map((id) => ({ method: 'GET', path: `/advice-requests/${id}` })) },
  'GET /api/v1/advisors': { phase: 'read', build: () => [{ method: 'GET', path: '/advisors' }] },
  'GET /api/v1/dashboard': { phase: 'read', build: () => [{ method: 'GET', path: '/dashboard' }] },
  'GET /api/v1/cases/:id/genogram.svg': { phase: 'read', build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/genogram.svg` })) },
  'GET /api/v1/cases/:id/ecomap.svg': { phase: 'read', build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/ecomap.svg` })) },
  'GET /api/v1/cases/:id/assessments/:version/assessment.pdf': {
    phase: 'read',
    build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/assessments/1/assessment.pdf` })),
  },
  'GET /api/v1/cases/:id/assessments/:version/assessment.xlsx': {
    phase: 'read',
    build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/assessments/1/assessment.xlsx` })),
  },
  'GET /api/v1/cases/:id/plans/:version/plan.pdf': {
    phase: 'read',
    build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/plans/1/plan.pdf` })),
  },
  'GET /api/v1/cases/:id/plans/:version/plan.xlsx': {
    phase: 'read',
    build: ({ f }) => f.cases.map((fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/plans/1/plan.xlsx` })),
  },
  // Lifecycle writes: bodies refused after authorization (an unknown member, no evaluation), so that nothing carrying a canary changes.
  'POST /api/v1/cases/:id/assessments': {
    phase: 'write',
    build: ({ f, p }) =>
      f.cases.map((fx) =>
        lcWrite(f, p, fx, 'assessment.record', 'POST', `/cases/${fx.caseId}/assessments`, { members: [{ personId: MISSING, items: {} }], household: {} }),
      ),
  },
  'POST /api/v1/cases/:id/plans': {
    phase: 'write',
    build: ({ f, p }) =>
      f.cases.map((fx) =>
        lcWrite(f, p, fx, 'plan.draft', 'POST', `/cases/${fx.caseId}/plans`, { members: [], goals: [{ personId: MISSING, text: '掃引の目標' }], actions: [] }),
      ),
  },
  'POST /api/v1/cases/:id/plans/:version/submit': {
    phase: 'write',
    build: ({ f, p }) => f.cases.map((fx) => lcWrite(f, p, fx, 'plan.submit', 'POST', `/cases/${fx.caseId}/plans/1/submit`)),
  },
  // Approval at M3 (the 重層的支援会議 on MC, not started yet: its chair meets a 422 after authorization); nobody else passes.
  'POST /api/v1/cases/:id/plans/:version/approve': {
    phase: 'write',
    build: ({ f, p, m }) =>
      f.cases.map((fx) => ({
        method: 'POST',
        path: `/cases/${fx.caseId}/plans/1/approve`,
        body: { meetingId: m.ids.M3 },
        lifecycle: {
          expected: f.world.meetings[m.ids.M3]!.chair === p.id && lifecycleStatus(f.world, p.id, fx.caseId).status === 'allow' ? 'allow' : 'deny',
        },
      })),
  },
  // On P's action, held by the lead (the closed case MC answers 409 before the holder is checked: left out).
  'POST /api/v1/cases/:id/monitoring': {
    phase: 'write',
    build: ({ f, p, m }) =>
      f.cases
        .filter((fx) => fx.caseId !== m.cases.MC.caseId)
        .map((fx) => ({
          method: 'POST',
          path: `/cases/${fx.caseId}/monitoring`,
          body: { actionKey: 'aP', status: 'in_progress', note: '掃引の記録' },
          lifecycle: { expected: mayMonitor(f.world, p.id, fx.caseId, 'aP') },
        })),
  },
  'POST /api/v1/cases/:id/advice-requests': {
    phase: 'write',
    build: ({ f, p }) =>
      f.cases.map((fx) =>
        lcWrite(f, p, fx, 'advice.request', 'POST', `/cases/${fx.caseId}/advice-requests`, {
          advisorUserId: MISSING,
          question: '掃引の相談',
          basis: { kind: 'consent' },
          include: ['core'],
        }),
      ),
  },
  'POST /api/v1/advice-requests/:id/answer': {
    phase: 'write',
    build: ({ f, p, lc }) =>
      lc.adviceIds.map((id) => ({
        method: 'POST',
        path: `/advice-requests/${id}/answer`,
        body: { answer: '掃引の回答' },
        lifecycle: { expected: f.world.adviceRequests[id]!.advisor === p.id && p.roles.includes('advisor') ? 'allow' : 'deny' },
      })),
  },
  'PUT /api/v1/advisors/:id': {
    phase: 'write',
    build: ({ f, p, lc }) => [
      {
        method: 'PUT',
        path: `/advisors/${lc.advisorId}`,
        body: { fields: ['精神保健'], affiliation: '掃引の所属' },
        lifecycle: { expected: isCoordinator(f.world, p.id) || p.roles.includes('admin') ? 'allow' : 'deny' },
      },
    ],
  },
  'POST /api/v1/cases/:id/termination': {
    phase: 'write',
    build: ({ f, p }) =>
      f.cases.map((fx) =>
        lcWrite(f, p, fx, 'terminate', 'POST', `/cases/${fx.caseId}/termination`, { reason: 'goal_achieved', evaluations: [], watchers: [] }),
      ),
  },
  'POST /api/v1/cases/:id/reopen': {
    phase: 'write',
    build: ({ f, p }) =>
      f.cases.map((fx) =>
        lcWrite(f, p, fx, 'reopen', 'POST', `/cases/${fx.caseId}/reopen`, { problems: [{ personId: MISSING, type: '掃引' }], note: '掃引の再開' }),
      ),
  },
  'POST /api/v1/cases/:id/break-glass': { phase: 'last', build: ({ f, p }) => f.cases.map((fx) => writeProbe(f, p, fx, 'break_glass')) },
};

function lcWrite(f: Fixture, p: Principal, fx: CaseFixture, action: LifecycleWrite, method: string, path: string, body?: unknown): Probe {
  return { method, path, body, lifecycle: { expected: mayLifecycleWrite(f.world, p.id, action, fx.caseId) } };
}

function writeProbe(f: Fixture, p: Principal, fx: CaseFixture, action: string): Probe {
  const probe = wp(action);
  const req = probe.request(fx, f, p as never, 0);
  return { ...req, write: { probe, fx } };
}

/** HEAD answers every GET route (Fastify adds them): the same probes, headers only. */
function routeBuilder(method: string, url: string) {
  if (method === 'HEAD') {
    const get = ROUTES[`GET ${url}`];
    return (
      get && {
        phase: get.phase,
        build: (c: Ctx) =>
          get
            .build(c)
            .slice(0, 3)
            .map((x) => ({ ...x, method: 'HEAD' })),
      }
    );
  }
  return ROUTES[`${method} ${url}`];
}

/** Every text of an answer a canary could hide in: body, and every header (file names included). */
function surfaces(res: Res): string {
  const headers: string[] = [];
  res.headers.forEach((v, k) => {
    headers.push(`${k}: ${v}`);
  });
  let decoded = '';
  try {
    decoded = decodeURIComponent(headers.join('\n'));
  } catch {
    /* not percent-encoded */
  }
  return `${res.text}\n${headers.join('\n')}\n${decoded}`;
}

interface Leak {
  principal: string;
  route: string;
  path: string;
  canary: string;
  kind: string;
}

describe.each(KINDS)('T2 leak sweep (%s)', (kind) => {
  let s: LoggedServer;
  let f: Fixture;
  let m: MeetingFixture;
  let inviteeId: string;
  let lcAdvisor: Reader;
  let lc: Ctx['lc'];
  let principals: Principal[];
  const started = Date.now();

  beforeAll(async () => {
    s = await startLoggedServer(kind);
    f = await buildFixture(s.call, s.admin.token, ['none', 'naming_tax']);
    f.world.users[s.admin.id] = { org: s.admin.organizationId, roles: ['admin'], disabled: false };
    // The meeting ground: its cases join the sweep's, its canaries too (purposes, minutes, decisions, tasks).
    m = await buildMeetings(s.call, f);
    f.cases.push(m.cases.MS, m.cases.MC, m.cases.MW);
    f.canaries.push(...m.cases.MS.canaries, ...m.cases.MC.canaries, ...m.cases.MW.canaries, ...m.canaries);
    const invitee = await s.call(s.admin.token, 'POST', '/users', {
      loginId: `sweep.invitee.${hex()}`,
      displayName: '招集の検査',
      organizationId: f.orgs.Z,
      roles: ['community'],
      password: `pw-${hex()}-${hex()}`,
    });
    inviteeId = invitee.json.id;
    f.world.users[inviteeId] = { org: f.orgs.Z, roles: ['community'], disabled: false };
    // The support lifecycle on every case (issue 5): an advisor of O joins M1 (106条の6) and is asked on
    // MS on that meeting's decision; TR's advisor on the consented case; MC is closed with its evaluation.
    lcAdvisor = await f.addReader('O', 'advisor');
    expect((await s.call(m.users.chair.token, 'POST', `/meetings/${m.ids.M1}/members`, { userId: lcAdvisor.id })).status).toBe(200);
    expect((await s.call(lcAdvisor.token, 'POST', `/meetings/${m.ids.M1}/acknowledge`)).status).toBe(200);
    f.world.meetings[m.ids.M1]!.members[lcAdvisor.id] = { acknowledged: true };
    const adviceIds: string[] = [];
    for (const fx of f.cases) {
      const advice =
        fx.state === 'naming_tax' && fx !== m.cases.MC
          ? [{ advisor: f.reader('TR.advisor'), basis: 'consent' as const }]
          : fx === m.cases.MS
            ? [{ advisor: lcAdvisor, basis: 'meeting' as const, meetingId: m.ids.M1 }]
            : [];
      const built = await buildLifecycle(s.call, f, fx, { advice, terminate: fx === m.cases.MC });
      f.canaries.push(...built.canaries);
      adviceIds.push(...built.adviceRequestIds);
    }
    lc = { adviceIds, advisorId: f.reader('O.advisor').id };
    const keys = [
      'O.caseworker', // outsider
      'O.coordinator', // the coordinator's index only
      'O.chair',
      'L.auditor',
      'L.admin',
      'L.outreach',
      'L.community',
      'TR.advisor', // addressed on the consented case
      'O.advisor', // another advisor: nothing
      'TR.external_member',
      'TR.caseworker', // team without consent (case 'none'), with it (case 'naming_tax')
      'TC.chair',
      'L.caseworker', // lead
      'R.caseworker', // registered the persons
      'TX.caseworker', // the tax organization
      'XW.caseworker', // wrote records, removed
      'BG.coordinator', // break-glass: never tax
      'BX.coordinator', // expired break-glass
    ];
    principals = [
      ...keys.map((k) => {
        const r = f.reader(k);
        return { key: k, id: r.id, token: r.token, loginId: r.loginId, password: r.password, roles: [r.role] };
      }),
      { key: 'municipality admin', id: s.admin.id, token: s.admin.token, loginId: s.admin.loginId, password: ADMIN_PASSWORD, roles: ['admin'] },
      // Meeting members in each state (all but the chair and the tabler from the outsider organization O).
      ...Object.entries(m.users).map(([k, r]) => ({ key: `M.${k}`, id: r.id, token: r.token, loginId: r.loginId, password: r.password, roles: [r.role] })),
      // The advisor asked on MS on M1's decision (an acknowledged member of that 支援会議).
      { key: 'M.advisor', id: lcAdvisor.id, token: lcAdvisor.token, loginId: lcAdvisor.loginId, password: lcAdvisor.password, roles: ['advisor'] },
    ];
  }, 120_000);
  afterAll(() => s?.stop());

  it('every route is swept; no principal sees a canary it may not; entitled principals find all theirs; the log holds none', async () => {
    const table = routeTable(s.app);
    const uncovered = table.filter((r) => !routeBuilder(r.method, r.url)).map((r) => `${r.method} ${r.url}`);
    expect(uncovered, 'routes without a request builder in the sweep (add them to ROUTES)').toEqual([]);
    const stale = Object.keys(ROUTES).filter((k) => !table.some((r) => `${r.method} ${r.url}` === k));
    expect(stale, 'sweep entries for routes the server no longer has').toEqual([]);

    const snapshotBefore = await canarySnapshot();
    const leaks: Leak[] = [];
    const writeAllows: string[] = [];
    const errors: string[] = [];
    const found = new Map<string, Set<string>>(); // principal → canary values seen
    let requests = 0;
    let idsSeenAsDuplicates = 0;
    const perRoute = new Map<string, number>();
    let meetingWrites = 0;
    let lifecycleWrites = 0;
    const ids: [IdKind, string][] = [
      ...f.cases.map((fx) => ['case', fx.caseId] as [IdKind, string]),
      ...persons(f).map((id) => ['person', id] as [IdKind, string]),
      ...Object.keys(f.world.records).map((id) => ['record', id] as [IdKind, string]),
      ...Object.keys(f.world.consents).map((id) => ['consent', id] as [IdKind, string]),
    ];

    const run = async (p: Principal, route: string, probe: Probe) => {
      const res = await s.call(p.token, probe.method, probe.path, probe.body);
      requests++;
      perRoute.set(route, (perRoute.get(route) ?? 0) + 1);
      if (res.status >= 500) errors.push(`${p.key} ${probe.method} ${probe.path}: ${res.status} ${res.text.slice(0, 200)}`);
      const text = surfaces(res);
      const seen = found.get(p.key) ?? new Set<string>();
      found.set(p.key, seen);
      for (const c of f.canaries) {
        if (!text.includes(c.value)) continue;
        seen.add(c.value);
        if (seesCanary(f.world, p.id, c) === 'deny')
          leaks.push({ principal: p.key, route, path: `${probe.method} ${probe.path}`, canary: c.value, kind: c.kind });
      }
      // Ids: none of an object the principal has no ground for — except in the audit trail for
      // those who read it (auditor, coordinator), and in the inbox (rule 8 alerts name the case).
      const auditReader = route.startsWith('GET /api/v1/audit') && (p.roles.includes('auditor') || p.roles.includes('coordinator'));
      if (!auditReader && !route.includes('/notifications')) {
        for (const [idKind, id] of ids) {
          if (text.includes(id) && seesId(f.world, p.id, idKind, id) === 'deny' && !probe.path.includes(id))
            leaks.push({ principal: p.key, route, path: `${probe.method} ${probe.path}`, canary: id, kind: `id.${idKind}` });
        }
      }
      // 名寄せ: a second registration of P names P only to who may see P; anyone else hears "held elsewhere".
      if (route === 'POST /api/v1/persons' && res.status === 201) {
        const fx = f.cases.find((c) => (probe.body as any).familyNameKana === toHiragana(kanaOf(c, c.P)))!;
        const dup: any[] = res.json.possibleDuplicates ?? [];
        const named = dup.some((d) => d.id === fx.P);
        const visible = seesPerson(f.world, p.id, fx.P) !== 'deny';
        if (named !== visible || (!visible && !dup.some((d) => d.heldElsewhere === true)))
          errors.push(`${p.key} POST /persons duplicate of P: ${JSON.stringify(dup).slice(0, 200)}`);
        idsSeenAsDuplicates++;
      }
      if (probe.write) {
        const { probe: wprobe, fx } = probe.write;
        const expected = mayWrite(f.world, p.id, wprobe.action, fx.caseId, wprobe.person?.(fx));
        const observed = observedWrite(res.status);
        if (observed === 'allow' && expected === 'deny') writeAllows.push(`${p.key} ${probe.method} ${probe.path} → ${res.status}`);
        if (observed === 'error') errors.push(`${p.key} ${probe.method} ${probe.path}: ${res.status} ${res.text.slice(0, 200)}`);
        if (wprobe.action === 'break_glass' && res.status === 201)
          f.world.grants.push({ id: res.json.id, user: p.id, case: fx.caseId, active: true, reason: '' });
      }
      if (probe.lifecycle) {
        const observed =
          (res.status >= 200 && res.status < 300) || res.status === 409 || res.status === 422
            ? 'allow'
            : res.status === 403 || res.status === 404
              ? 'deny'
              : 'error';
        lifecycleWrites++;
        if (observed === 'allow' && probe.lifecycle.expected === 'deny') writeAllows.push(`${p.key} ${probe.method} ${probe.path} → ${res.status}`);
        if (observed === 'deny' && probe.lifecycle.expected === 'allow')
          errors.push(`${p.key} ${probe.method} ${probe.path}: refused (${res.status}) but allowed by the oracle: ${res.text.slice(0, 160)}`);
        if (observed === 'error') errors.push(`${p.key} ${probe.method} ${probe.path}: ${res.status} ${res.text.slice(0, 200)}`);
      }
      if (probe.meeting) {
        const { action, target: t } = probe.meeting;
        const expected = mayMeetingWrite(f.world, p.id, action, t);
        // A 422 comes after authorization, except for a convening request on a case the caller cannot see.
        const refusedRef = action === 'convening.request' && res.status === 422;
        const observed =
          !refusedRef && (res.status < 300 || res.status === 409 || res.status === 422)
            ? 'allow'
            : refusedRef || res.status === 403 || res.status === 404
              ? 'deny'
              : 'error';
        meetingWrites++;
        if (observed === 'allow' && expected === 'deny') writeAllows.push(`${p.key} ${probe.method} ${probe.path} → ${res.status}`);
        if (observed === 'deny' && expected === 'allow')
          errors.push(`${p.key} ${probe.method} ${probe.path}: refused (${res.status}) but allowed by the oracle`);
        if (observed === 'error') errors.push(`${p.key} ${probe.method} ${probe.path}: ${res.status} ${res.text.slice(0, 200)}`);
        // Keep the model of the principal's own meeting in step.
        const w = f.world;
        if (action === 'convene' && res.status === 201)
          w.meetings[res.json.id] = {
            basis: 'art106-6',
            chair: p.id,
            convener: p.id,
            members: { [p.id]: { acknowledged: false }, [inviteeId]: { acknowledged: false } },
            cases: [],
            open: true,
            tabled: [],
          };
        if (action === 'acknowledge' && res.status === 200) w.meetings[t]!.members[p.id]!.acknowledged = true;
        if (action === 'member.add' && res.status === 200) w.meetings[t]!.members[(probe.body as any).userId] = { acknowledged: false };
        if (action === 'member.remove' && res.status === 200) delete w.meetings[t]!.members[probe.path.split('/').at(-1)!];
        if (action === 'case.exclude' && res.status === 201) {
          const m = w.meetings[t]!;
          const kase = probe.path.split('/').at(-2)!;
          m.excluded = { ...m.excluded, [kase]: [...(m.excluded?.[kase] ?? []), (probe.body as any).userId] };
        }
        if (action === 'case.include' && res.status === 200) {
          const parts = probe.path.split('/');
          const m = w.meetings[t]!;
          const kase = parts.at(-3)!;
          if (m.excluded?.[kase]) m.excluded[kase] = m.excluded[kase]!.filter((u) => u !== parts.at(-1));
        }
        if (action === 'case.add' && res.status === 200) {
          w.meetings[t]!.cases.push((probe.body as any).caseId);
          w.meetings[t]!.tabled.push({ case: (probe.body as any).caseId });
        }
      }
      if (probe.adminOnly) {
        const isAdmin = p.roles.includes('admin');
        if (isAdmin !== (res.status >= 200 && res.status < 300))
          (isAdmin ? errors : writeAllows).push(`${p.key} ${probe.method} ${probe.path} (administrator only) → ${res.status}`);
      }
      return res;
    };

    const sweepOne = async (p: Principal, phase: 'read' | 'write' | 'last') => {
      const scratch: Scratch = {};
      for (const r of table) {
        const b = routeBuilder(r.method, r.url)!;
        if (b.phase !== phase) continue;
        for (const probe of b.build({ f, p, scratch, m, inviteeId, lc })) {
          const res = await run(p, `${r.method} ${r.url}`, probe);
          if (r.url === '/api/v1/persons' && r.method === 'POST' && res.status === 201) scratch.personId ??= res.json.id;
          if (r.url === '/api/v1/households' && r.method === 'POST' && res.status === 201) scratch.householdId ??= res.json.id;
          if (r.url === '/api/v1/cases' && r.method === 'POST' && res.status === 201) scratch.caseId ??= res.json.id;
          if (r.url === '/api/v1/meetings' && r.method === 'POST' && res.status === 201) scratch.meetingId ??= res.json.id;
        }
      }
    };
    // POST /persons then /households then /cases: per principal, in route order.
    for (const phase of ['read', 'write'] as const) await pool(principals, 4, (p) => sweepOne(p, phase));

    // Positive control: every canary a principal may see was found in its sweep (judged
    // before the last phase, whose break-glass grants widen what some principals may see).
    let expectedSeen = 0;
    const missed: string[] = [];
    for (const p of principals) {
      for (const c of f.canaries) {
        if (seesCanary(f.world, p.id, c) !== 'allow') continue;
        expectedSeen++;
        if (!found.get(p.key)?.has(c.value)) missed.push(`${p.key}: ${c.kind} ${c.value}`);
      }
    }
    await pool(principals, 4, (p) => sweepOne(p, 'last'));
    const control = expectedSeen === 0 ? 0 : ((expectedSeen - missed.length) / expectedSeen) * 100;

    // The log: captured at all, and without any canary (percent-decoded too).
    const logText = s.logs.join('');
    let decodedLog = logText;
    try {
      decodedLog = decodeURIComponent(logText.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
    } catch {
      /* keep raw */
    }
    const logLeaks = f.canaries.filter((c) => logText.includes(c.value) || decodedLog.includes(c.value));

    const snapshotAfter = await canarySnapshot();
    const principalsWithSomething = principals.filter((p) => f.canaries.some((c) => seesCanary(f.world, p.id, c) === 'allow')).length;
    console.log(
      `[T2 sweep ${kind}] routes swept: ${new Set(table.map((r) => `${r.method} ${r.url}`)).size}/${table.length} (all); principals: ${principals.length}; requests: ${requests}; ` +
        `canaries planted: ${f.canaries.length} (+ ${ids.length} ids); leaks in answers: ${leaks.length}; duplicate warnings checked: ${idsSeenAsDuplicates}; in the log: ${logLeaks.length} (${s.logs.length} log lines); ` +
        `meeting writes checked: ${meetingWrites}; lifecycle writes checked: ${lifecycleWrites}; refused writes allowed: ${writeAllows.length}; positive control: ${control.toFixed(1)} % (${expectedSeen - missed.length}/${expectedSeen} over ${principalsWithSomething} entitled principals); ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    if (leaks.length)
      console.log(
        `LEAKS (${kind}):\n${leaks
          .slice(0, 40)
          .map((l) => `  ${l.principal} ${l.path}: ${l.kind} ${l.canary}`)
          .join('\n')}`,
      );
    if (logLeaks.length) console.log(`LOG LEAKS (${kind}):\n${logLeaks.map((c) => `  ${c.kind} ${c.value}`).join('\n')}`);
    if (missed.length)
      console.log(
        `positive control missed (${kind}):\n${missed
          .slice(0, 40)
          .map((m) => `  ${m}`)
          .join('\n')}`,
      );

    // The meeting ground is exercised both ways: members who may see find the tabled content;
    // the not-yet-acknowledged, the removed, the member after the window and the member of a
    // consent-based meeting after the withdrawal may see none of it (the model says so, the sweep checked it).
    const tabledCanaries = [...m.cases.MS.canaries, ...m.cases.MC.canaries, ...m.cases.MW.canaries, ...m.canaries];
    const mayCount = (key: string, list: Canary[]) => list.filter((c) => seesCanary(f.world, principals.find((x) => x.key === key)!.id, c) === 'allow').length;
    const meetingLine = Object.keys(m.users)
      .map((k) => `M.${k} ${mayCount(`M.${k}`, tabledCanaries)}`)
      .join(', ');
    console.log(
      `[T2 sweep ${kind}] meeting canaries: ${m.canaries.length} (+ ${tabledCanaries.length - m.canaries.length} of the 3 meeting cases); allowed per member: ${meetingLine}`,
    );
    for (const k of ['ack', 'external', 'consent', 'tabler', 'chair'])
      expect(mayCount(`M.${k}`, tabledCanaries), `M.${k} may see tabled content`).toBeGreaterThan(5);
    for (const k of ['notAck', 'removed', 'after']) expect(mayCount(`M.${k}`, tabledCanaries), `M.${k} may see nothing`).toBe(0);
    expect(mayCount('M.withdrawn', m.cases.MW.canaries), 'after the withdrawal nothing of the case').toBe(0);
    expect(mayCount('L.admin', tabledCanaries) + mayCount('L.auditor', tabledCanaries) + mayCount('O.caseworker', tabledCanaries)).toBe(0);
    expect(
      mayCount(
        'TR.caseworker',
        m.canaries.filter((c) => c.kind === 'task.text'),
      ),
      'the assignee keeps its tasks (M1, M2, M7), after the window too',
    ).toBe(3);
    // Membership per agenda item: M.excluded reads nothing of MS at M7 (minutes and decision only); M.peer is the control.
    expect(mayCount('M.excluded', m.cases.MS.canaries), 'the excluded member: nothing of the case').toBe(0);
    expect(mayCount('M.excluded', tabledCanaries), 'the excluded member: the minutes and the decision only').toBe(2);
    expect(mayCount('M.peer', m.cases.MS.canaries), 'the other member reads the case').toBeGreaterThan(5);
    expect(
      mayCount(
        'M.requested',
        m.canaries.filter((c) => c.kind === 'request.text'),
      ),
      'the requested organization sees its request',
    ).toBe(1);
    expect(
      mayCount(
        'M.ack',
        m.canaries.filter((c) => c.kind.startsWith('request.')),
      ),
      'the answer is tabled into the meeting',
    ).toBe(2);
    expect(
      mayCount(
        'O.coordinator',
        m.canaries.filter((c) => c.kind === 'convening.consulted'),
      ),
      'the coordinator reads the 受付表',
    ).toBe(1);
    expect(
      mayCount(
        'O.caseworker',
        m.canaries.filter((c) => c.kind === 'convening.consulted'),
      ),
    ).toBe(0);

    // The lifecycle ground (I8, I9) both ways: who must find its parts, who must find none.
    const lcCanaries = f.canaries.filter((c) => LIFECYCLE_KINDS.includes(c.kind) || c.kind.startsWith('advice.'));
    const of = (fx: CaseFixture, pred: (c: Canary) => boolean = () => true) => lcCanaries.filter((c) => c.caseId === fx.caseId && pred(c));
    const consented = f.cases.find((fx) => fx.state === 'naming_tax' && fx !== m.cases.MC)!;
    const none = f.cases.find((fx) => fx.state === 'none')!;
    const aboutQ = (fx: CaseFixture) => (c: Canary) => c.personId === fx.Q;
    console.log(
      `[T2 sweep ${kind}] lifecycle canaries: ${lcCanaries.length}; allowed: ${[
        'L.caseworker',
        'BG.coordinator',
        'TR.caseworker',
        'TR.advisor',
        'M.advisor',
        'M.ack',
        'M.consent',
      ]
        .map((k) => `${k} ${mayCount(k, lcCanaries)}`)
        .join(', ')}`,
    );
    expect(mayCount('L.caseworker', lcCanaries), 'the lead: every part').toBe(lcCanaries.length);
    expect(
      mayCount(
        'BG.coordinator',
        lcCanaries.filter((c) => !c.kind.startsWith('advice.')),
      ),
      'break-glass reads every part',
    ).toBe(lcCanaries.filter((c) => !c.kind.startsWith('advice.')).length);
    expect(mayCount('TR.caseworker', of(consented)), 'a consented team organization: P and the household').toBeGreaterThan(8);
    expect(mayCount('TR.caseworker', of(consented, aboutQ(consented))), '… never Q (no consent)').toBe(0);
    expect(mayCount('TR.caseworker', of(none)), 'an unconsented team organization: nothing').toBe(0);
    expect(
      mayCount(
        'TR.advisor',
        of(consented, (c) => c.kind.startsWith('assessment.') || c.kind.startsWith('plan.')),
      ),
      'the addressed advisor',
    ).toBeGreaterThan(5);
    expect(mayCount('M.advisor', of(m.cases.MS)), 'the advisor of the 支援会議 (and its meeting ground)').toBeGreaterThan(10);
    expect(mayCount('M.ack', of(m.cases.MS)), 'an acknowledged member of the 支援会議: every part').toBe(
      of(m.cases.MS, (c) => !c.kind.startsWith('advice.')).length,
    );
    expect(mayCount('M.consent', of(m.cases.MC)), 'a member of the 重層的支援会議: consented parts').toBeGreaterThan(5);
    expect(mayCount('M.consent', of(m.cases.MC, aboutQ(m.cases.MC))), '… not Q').toBe(0);
    expect(of(m.cases.MC, (c) => c.kind.startsWith('termination.')).length, 'the evaluation is on record').toBe(4);
    // (Coordinators are left out: the last phase breaks the glass for them.)
    for (const k of [
      'O.caseworker',
      'L.auditor',
      'L.admin',
      'municipality admin',
      'O.advisor',
      'TR.external_member',
      'M.notAck',
      'M.removed',
      'M.after',
      'M.excluded',
      'M.withdrawn',
    ])
      expect(mayCount(k, lcCanaries), `${k}: no lifecycle part`).toBe(0);

    expect(errors, '5xx or unclassifiable answers').toEqual([]);
    expect(
      leaks.map((l) => `${l.principal} ${l.path}: ${l.kind}`),
      'canaries leaked',
    ).toEqual([]);
    expect(writeAllows, 'writes that should have been refused').toEqual([]);
    expect(s.logs.length, 'the log buffer captured the server log').toBeGreaterThan(requests);
    expect(
      logLeaks.map((c) => c.kind),
      'canaries in the server log',
    ).toEqual([]);
    expect(missed, 'positive control: canaries the principal may see but the sweep did not find').toEqual([]);
    expect(snapshotAfter, 'restricted data changed by the sweep').toEqual(snapshotBefore);
  }, 480_000);

  it('invisible and non-existent ids answer identically (status, content type and body except requestId; ja and en)', async () => {
    const strip = (j: any) => {
      const { requestId: _, ...rest } = j ?? {};
      return rest;
    };
    let pairs = 0;
    const differences: string[] = [];
    const w = f.world;
    for (const p of principals) {
      for (const fx of f.cases) {
        const noCase = caseView(w, p.id, fx.caseId) === null;
        const authored = worksCases(w, p.id) && Object.values(w.records).some((r) => r.case === fx.caseId && r.author === w.users[p.id]!.org);
        const noPerson = seesPerson(w, p.id, fx.P) === 'deny';
        const candidates: [boolean, string, string, string, unknown][] = [
          [noCase, 'GET', `/cases/${fx.caseId}`, `/cases/${MISSING}`, undefined],
          [noCase && !authored, 'GET', `/cases/${fx.caseId}/records`, `/cases/${MISSING}/records`, undefined],
          [noCase, 'POST', `/cases/${fx.caseId}/records`, `/cases/${MISSING}/records`, { body: '侵入', classification: 'normal' }],
          [
            noCase && mayWrite(w, p.id, 'team.add', fx.caseId) === 'deny',
            'POST',
            `/cases/${fx.caseId}/team`,
            `/cases/${MISSING}/team`,
            { organizationId: f.orgs.Z },
          ],
          [
            noCase && mayWrite(w, p.id, 'team.remove', fx.caseId) === 'deny',
            'DELETE',
            `/cases/${fx.caseId}/team/${f.orgs.TR}`,
            `/cases/${MISSING}/team/${f.orgs.TR}`,
            undefined,
          ],
          [noCase, 'POST', `/cases/${fx.caseId}/status`, `/cases/${MISSING}/status`, { to: 'closed', reason: '目標達成' }],
          [
            noCase && mayWrite(w, p.id, 'break_glass', fx.caseId) === 'deny',
            'POST',
            `/cases/${fx.caseId}/break-glass`,
            `/cases/${MISSING}/break-glass`,
            { reason: '緊急' },
          ],
          // The lifecycle (I8): a case without any ground answers like one that does not exist.
          ...(['assessments', 'plans', 'plans/1', 'monitoring', 'termination', 'genogram.svg', 'plans/1/plan.pdf'] as const).map(
            (x): [boolean, string, string, string, unknown] => [
              lifecycleStatus(w, p.id, fx.caseId).view === null,
              'GET',
              `/cases/${fx.caseId}/${x}`,
              `/cases/${MISSING}/${x}`,
              undefined,
            ],
          ),
          [noPerson, 'GET', `/persons/${fx.P}`, `/persons/${MISSING}`, undefined],
          [noPerson, 'GET', `/persons/${fx.P}/consents`, `/persons/${MISSING}/consents`, undefined],
          [householdView(w, p.id, fx.householdId) === null, 'GET', `/households/${fx.householdId}`, `/households/${MISSING}`, undefined],
          [
            noPerson && mayWrite(w, p.id, 'consent.record', fx.caseId, fx.P) === 'deny',
            'POST',
            `/persons/${fx.P}/consents`,
            `/persons/${MISSING}/consents`,
            { obtainedOn: '2025-04-01', method: 'written', organizationIds: [f.orgs.Z], includesTaxInfo: true },
          ],
          [
            noPerson && mayWrite(w, p.id, 'consent.withdraw', fx.caseId, fx.P) === 'deny',
            'POST',
            `/consents/${fx.probeConsentId}/withdraw`,
            `/consents/${MISSING}/withdraw`,
            { withdrawnOn: '2025-05-01' },
          ],
        ];
        for (const [applies, method, invisible, nonexistent, body] of candidates) {
          if (!applies) continue;
          for (const lang of ['ja', 'en']) {
            const a = await s.call(p.token, method, invisible, body, { 'accept-language': lang });
            const b = await s.call(p.token, method, nonexistent, body, { 'accept-language': lang });
            pairs++;
            const same =
              a.status === b.status &&
              [403, 404].includes(a.status) &&
              JSON.stringify(strip(a.json)) === JSON.stringify(strip(b.json)) &&
              a.headers.get('content-type') === b.headers.get('content-type');
            if (!same)
              differences.push(`${p.key} ${method} ${invisible} (${lang}): ${a.status} ${a.text.slice(0, 120)} vs ${b.status} ${b.text.slice(0, 120)}`);
          }
        }
      }
    }
    // Meetings: a meeting one is not invited to answers like one that does not exist.
    for (const p of principals) {
      for (const id of Object.values(m.ids)) {
        if (inMeeting(w, p.id, id)) continue;
        for (const [method, suffix, body] of [
          ['GET', '', undefined],
          ['GET', '/materials', undefined],
          ['GET', '/minutes', undefined],
          ['GET', '/agenda.pdf', undefined],
          ['POST', '/acknowledge', undefined],
          ['POST', '/minutes', { body: '侵入' }],
        ] as const) {
          const a = await s.call(p.token, method, `/meetings/${id}${suffix}`, body);
          const b = await s.call(p.token, method, `/meetings/${MISSING}${suffix}`, body);
          pairs++;
          if (a.status !== b.status || a.status !== 404 || JSON.stringify(strip(a.json)) !== JSON.stringify(strip(b.json)))
            differences.push(`${p.key} ${method} /meetings/${id}${suffix}: ${a.status} ${a.text.slice(0, 120)} vs ${b.status} ${b.text.slice(0, 120)}`);
        }
      }
    }
    console.log(`[T2 sweep ${kind}] invisible vs non-existent: ${pairs} pairs compared, ${differences.length} differ`);
    expect(differences).toEqual([]);
    expect(pairs).toBeGreaterThan(100);
  }, 120_000);

  /** The rows that carry canaries, minus what allowed writes legitimately change (status, organization Z, grants, the Z-only consents). */
  async function canarySnapshot() {
    const db = s.services.db;
    const caseIds = f.cases.map((c) => c.caseId);
    const personIds = persons(f);
    const values = new Set(f.canaries.map((c: Canary) => c.value));
    return {
      persons: await db.selectFrom('persons').selectAll().where('id', 'in', personIds).orderBy('id').execute(),
      households: await db
        .selectFrom('households')
        .selectAll()
        .where(
          'id',
          'in',
          f.cases.map((c) => c.householdId),
        )
        .orderBy('id')
        .execute(),
      members: await db
        .selectFrom('householdMembers')
        .selectAll()
        .where(
          'householdId',
          'in',
          f.cases.map((c) => c.householdId),
        )
        .orderBy('householdId')
        .orderBy('position')
        .execute(),
      cases: await db
        .selectFrom('cases')
        .select(['id', 'summary', 'referralRoute', 'householdId', 'leadOrganizationId'])
        .where('id', 'in', caseIds)
        .orderBy('id')
        .execute(),
      problems: await db.selectFrom('caseProblems').selectAll().where('caseId', 'in', caseIds).orderBy('id').execute(),
      team: await db
        .selectFrom('caseTeam')
        .select(['caseId', 'organizationId', 'basis'])
        .where('caseId', 'in', caseIds)
        .where('organizationId', '!=', f.orgs.Z)
        .orderBy('caseId')
        .orderBy('organizationId')
        .execute(),
      consents: (await db.selectFrom('consents').selectAll().where('personId', 'in', personIds).orderBy('id').execute()).filter((k) =>
        [...values].some((v) => k.purposes.includes(v)),
      ),
      records: (await db.selectFrom('records').selectAll().where('caseId', 'in', caseIds).orderBy('id').execute()).filter((r) => values.has(r.body)),
      // The lifecycle's canary-carrying rows (plans: their content, not their status).
      assessments: await db.selectFrom('assessments').select(['id', 'content']).where('caseId', 'in', caseIds).orderBy('id').execute(),
      plans: await db.selectFrom('plans').select(['id', 'memberViews', 'goals']).where('caseId', 'in', caseIds).orderBy('id').execute(),
      actions: await db
        .selectFrom('planActions')
        .select(['planId', 'actionKey', 'text', 'organizationId'])
        .where('caseId', 'in', caseIds)
        .orderBy('planId')
        .orderBy('actionKey')
        .execute(),
      monitoring: (await db.selectFrom('monitoringEntries').selectAll().where('caseId', 'in', caseIds).orderBy('id').execute()).filter((e) =>
        values.has(e.note),
      ),
      advice: await db.selectFrom('adviceRequests').select(['id', 'question', 'answer', 'snapshot']).where('caseId', 'in', caseIds).orderBy('id').execute(),
      terminations: await db.selectFrom('terminations').select(['id', 'evaluations', 'note']).where('caseId', 'in', caseIds).orderBy('id').execute(),
    };
  }
});
