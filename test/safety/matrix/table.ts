/**
 * The declarative table of the authorization matrix (T1): the dimensions, and for every
 * action the request it makes, the rule that decides its status and the restricted values
 * it is designed to show. The decisions themselves come from the oracle (../oracle.ts); the
 * runner (../matrix.test.ts) crosses reader role × ground × consent state × record class ×
 * action and compares every value of every response.
 *
 *   reader role     coordinator chair caseworker advisor outreach community auditor admin external_member
 *   ground          lead · team (referral / consent / meeting) · team tax organization · registered the persons ·
 *                   wrote records then removed · outsider (coordinator: the index) · break-glass active / expired
 *   consent state   none · active naming the reader · active not naming it · naming it with tax · withdrawn
 *   record class    normal / sensitive / tax × written by the reader's organization or another ·
 *                   a 税務 organization writing "normal" (stored tax) · a case-level record
 *   action          below
 */
import type { Res } from '../../helpers/server.ts';
import {
  type CanaryKind,
  caseView,
  type Decision,
  householdView,
  type LifecycleWrite,
  lifecycleStatus,
  mayLifecycleWrite,
  mayWrite,
  onTeam,
  seesComposition,
  seesPerson,
  type World,
  type WriteAction,
  worksCases,
} from '../oracle.ts';
import type { CaseFixture, Fixture, Reader } from './fixture.ts';

export interface Probe {
  method: string;
  path: string;
  body?: unknown;
}

export interface ReadAction {
  name: string;
  request: (fx: CaseFixture) => Probe;
  /** Does the reader get an answer (200) rather than 404/403? */
  status: (w: World, user: string, fx: CaseFixture) => Decision;
  /** The restricted values this route is built to show (when the oracle allows them): kind, and whose. */
  shows: (kind: CanaryKind, owner: string, fx: CaseFixture, w: World, user: string) => boolean;
  /** Structural checks of a 200 answer: [what, decision, observed]. */
  structure?: (w: World, user: string, fx: CaseFixture, res: Res) => [string, Decision, boolean][];
}

const person = (kind: CanaryKind) => kind.startsWith('person.') && kind !== 'person.address';
const d = (b: boolean): Decision => (b ? 'allow' : 'deny');

export const READ_ACTIONS: ReadAction[] = [
  {
    name: 'GET /cases/:id',
    request: (fx) => ({ method: 'GET', path: `/cases/${fx.caseId}` }),
    status: (w, u, fx) => d(caseView(w, u, fx.caseId) !== null),
    // Members only in the header view; the coordinator's index names the household alone.
    shows: (kind, _o, fx, w, u) =>
      (person(kind) && caseView(w, u, fx.caseId) === 'header') ||
      ['household.name', 'case.summary', 'case.referralRoute', 'case.problemNote', 'case.statusNote', 'consent.purpose', 'consent.givenByName'].includes(kind),
    structure: (w, u, fx, res) => {
      const view = caseView(w, u, fx.caseId);
      const members: any[] = res.json?.members ?? [];
      return [
        ['view is header', d(view === 'header'), res.json?.view === 'header'],
        ['view is index', d(view === 'index'), res.json?.view === 'index'],
        ['household members listed', d(view === 'header'), members.length > 0],
        ['composition (keyPerson / livesTogether)', seesComposition(w, u, fx.caseId), members.some((m) => 'keyPerson' in m || 'livesTogether' in m)],
      ];
    },
  },
  {
    name: 'GET /cases/:id/records',
    request: (fx) => ({ method: 'GET', path: `/cases/${fx.caseId}/records` }),
    status: (w, u, fx) => {
      const view = caseView(w, u, fx.caseId);
      const authored = worksCases(w, u) && Object.values(w.records).some((r) => r.case === fx.caseId && r.author === w.users[u]!.org);
      if (view === 'header' || authored) return 'allow';
      return view === 'index' ? 'either' : 'deny';
    },
    shows: (kind) => kind === 'record.body',
  },
  {
    name: 'GET /persons/:P',
    request: (fx) => ({ method: 'GET', path: `/persons/${fx.P}` }),
    status: (w, u, fx) => seesPerson(w, u, fx.P),
    shows: (kind, owner, fx) => kind.startsWith('person.') && owner === fx.P,
  },
  {
    name: 'GET /persons/:Q',
    request: (fx) => ({ method: 'GET', path: `/persons/${fx.Q}` }),
    status: (w, u, fx) => seesPerson(w, u, fx.Q),
    shows: (kind, owner, fx) => kind.startsWith('person.') && owner === fx.Q,
  },
  {
    name: 'GET /persons/:P/consents',
    request: (fx) => ({ method: 'GET', path: `/persons/${fx.P}/consents` }),
    status: (w, u, fx) => seesPerson(w, u, fx.P),
    shows: (kind) => kind === 'consent.purpose' || kind === 'consent.givenByName',
  },
  {
    name: 'GET /persons?q=',
    // The kana of P (as typed at another window: hiragana): identity only, never contact.
    request: (fx) => ({ method: 'GET', path: `/persons?q=${encodeURIComponent(fx.searchKana)}` }),
    status: () => 'allow',
    shows: (kind, owner, fx) => person(kind) && owner === fx.P,
    structure: (w, u, fx, res) => [['P found by search', seesPerson(w, u, fx.P), (res.json?.items ?? []).some((p: any) => p.id === fx.P)]],
  },
  {
    name: 'GET /households/:id',
    request: (fx) => ({ method: 'GET', path: `/households/${fx.householdId}` }),
    status: (w, u, fx) => d(householdView(w, u, fx.householdId) !== null),
    shows: (kind, _o, fx, w, u) =>
      (person(kind) && householdView(w, u, fx.householdId) === 'household') || kind === 'household.name' || kind === 'household.address',
    structure: (w, u, fx, res) => {
      const view = householdView(w, u, fx.householdId);
      return [
        ['household view', d(view === 'household'), res.json?.view === 'household'],
        ['household index view', d(view === 'index'), res.json?.view === 'index'],
      ];
    },
  },
];

export interface WriteProbe {
  action: WriteAction;
  name: string;
  request: (fx: CaseFixture, f: Fixture, r: Reader, i: number) => Probe;
  person?: (fx: CaseFixture) => string;
}

const STATUS_TARGETS = ['planning', 'in_support', 'assessment'];

/** Write actions, in the order each reader tries them (break-glass last: it changes what the reader sees). */
export const WRITE_PROBES: WriteProbe[] = [
  {
    action: 'record.add',
    name: 'POST /cases/:id/records',
    request: (fx) => ({ method: 'POST', path: `/cases/${fx.caseId}/records`, body: { body: '行列の書き込み検査', classification: 'normal' } }),
  },
  {
    action: 'status.change',
    name: 'POST /cases/:id/status',
    request: (fx, _f, _r, i) => ({ method: 'POST', path: `/cases/${fx.caseId}/status`, body: { to: STATUS_TARGETS[i % STATUS_TARGETS.length] } }),
  },
  {
    action: 'team.add',
    name: 'POST /cases/:id/team',
    request: (fx, f) => ({ method: 'POST', path: `/cases/${fx.caseId}/team`, body: { organizationId: f.orgs.Z } }),
  },
  { action: 'team.remove', name: 'DELETE /cases/:id/team/:org', request: (fx, f) => ({ method: 'DELETE', path: `/cases/${fx.caseId}/team/${f.orgs.Z}` }) },
  {
    action: 'consent.record',
    name: 'POST /persons/:id/consents',
    person: (fx) => fx.P,
    request: (fx, f) => ({
      method: 'POST',
      path: `/persons/${fx.P}/consents`,
      body: { obtainedOn: '2025-04-01', method: 'written', organizationIds: [f.orgs.Z], purposes: ['検証用'], includesTaxInfo: false },
    }),
  },
  {
    action: 'consent.withdraw',
    name: 'POST /consents/:id/withdraw',
    person: (fx) => fx.P,
    request: (fx) => ({ method: 'POST', path: `/consents/${fx.probeConsentId}/withdraw`, body: { withdrawnOn: '2025-05-01' } }),
  },
  {
    action: 'break_glass',
    name: 'POST /cases/:id/break-glass',
    request: (fx) => ({ method: 'POST', path: `/cases/${fx.caseId}/break-glass`, body: { reason: '行列の検査', hours: 1 } }),
  },
];

export function writeDecision(w: World, user: string, p: WriteProbe, fx: CaseFixture): Decision {
  return mayWrite(w, user, p.action, fx.caseId, p.person?.(fx));
}

/** 2xx, or 409 (the request passed authorization and met a state conflict) is an allow; 403/404 a deny. */
export function observedWrite(status: number): 'allow' | 'deny' | 'error' {
  if ((status >= 200 && status < 300) || status === 409) return 'allow';
  if (status === 403 || status === 404) return 'deny';
  return 'error';
}

// ---- the support lifecycle (issue 5; oracle I8, I9) --------------------------------------------

const LIFECYCLE_PART_KINDS: Record<string, CanaryKind[]> = {
  assessment: ['assessment.item', 'assessment.household'],
  plan: ['plan.view', 'plan.goal', 'plan.action'],
  monitoring: ['monitoring.note', 'monitoring.personView'],
  termination: ['termination.why', 'termination.note'],
  advice: ['advice.question', 'advice.answer'],
};
const lcStatus = (w: World, u: string, fx: CaseFixture) => lifecycleStatus(w, u, fx.caseId).status;
export const lifecycleDenial = (w: World, u: string, fx: CaseFixture): 403 | 404 | null => {
  const s = lifecycleStatus(w, u, fx.caseId);
  return s.status === 'allow' ? null : s.view ? 403 : 404;
};

/** A read of the lifecycle: its path, the parts it is built to show, and the status rule (default: any part). */
function lifecycleRead(
  name: string,
  path: (fx: CaseFixture) => string,
  shows: string[],
  status?: (w: World, u: string, fx: CaseFixture) => Decision,
): ReadAction {
  const kinds = shows.flatMap((s) => LIFECYCLE_PART_KINDS[s]!);
  return {
    name,
    request: (fx) => ({ method: 'GET', path: path(fx) }),
    status: status ?? lcStatus,
    shows: (kind) => kinds.includes(kind),
  };
}

export const LIFECYCLE_READS: ReadAction[] = [
  lifecycleRead('GET /cases/:id/assessments', (fx) => `/cases/${fx.caseId}/assessments`, ['assessment']),
  lifecycleRead('GET /cases/:id/assessments/1', (fx) => `/cases/${fx.caseId}/assessments/1`, ['assessment']),
  lifecycleRead('GET /cases/:id/plans', (fx) => `/cases/${fx.caseId}/plans`, ['plan']),
  lifecycleRead('GET /cases/:id/plans/1', (fx) => `/cases/${fx.caseId}/plans/1`, ['plan']),
  // The diff of version 1 against nothing: checked for leaks only.
  lifecycleRead('GET /cases/:id/plans/1/diff', (fx) => `/cases/${fx.caseId}/plans/1/diff`, []),
  // Monitoring is also own work (rule 1): a team organization without any part still reads (only) its own entries.
  lifecycleRead(
    'GET /cases/:id/monitoring',
    (fx) => `/cases/${fx.caseId}/monitoring`,
    ['monitoring'],
    (w, u, fx) => d(lcStatus(w, u, fx) === 'allow' || onTeam(w, u, fx.caseId)),
  ),
  lifecycleRead('GET /cases/:id/termination', (fx) => `/cases/${fx.caseId}/termination`, ['termination']),
  // The case team's list of advice requests: a team organization with a part (never break-glass or a meeting).
  lifecycleRead(
    'GET /cases/:id/advice-requests',
    (fx) => `/cases/${fx.caseId}/advice-requests`,
    ['advice'],
    (w, u, fx) => d(onTeam(w, u, fx.caseId) && lcStatus(w, u, fx) === 'allow'),
  ),
  // Diagrams: the case header's readers with a part (identity and relationship only; names are checked for leaks).
  lifecycleRead(
    'GET /cases/:id/genogram.svg',
    (fx) => `/cases/${fx.caseId}/genogram.svg`,
    [],
    (w, u, fx) => d(caseView(w, u, fx.caseId) === 'header' && lcStatus(w, u, fx) === 'allow'),
  ),
  lifecycleRead(
    'GET /cases/:id/ecomap.svg',
    (fx) => `/cases/${fx.caseId}/ecomap.svg`,
    [],
    (w, u, fx) => d(caseView(w, u, fx.caseId) === 'header' && lcStatus(w, u, fx) === 'allow'),
  ),
  // Forms: a team ground only (rule 7) — break-glass and meetings read, they do not print.
  ...(
    [
      ['assessments/1/assessment.pdf', 'assessment'],
      ['assessments/1/assessment.xlsx', 'assessment'],
      ['plans/1/plan.pdf', 'plan'],
      ['plans/1/plan.xlsx', 'plan'],
    ] as const
  ).map(([form, part]) =>
    lifecycleRead(
      `GET /cases/:id/${form}`,
      (fx) => `/cases/${fx.caseId}/${form}`,
      [part],
      (w, u, fx) => mayLifecycleWrite(w, u, 'export', fx.caseId),
    ),
  ),
];

export interface LifecycleWriteProbe {
  name: string;
  action: LifecycleWrite;
  request: (fx: CaseFixture) => Probe;
}

const MISSING = '0000000000000000000000000000dead';
/** Lead-only writes, each with a body refused after authorization (422 or 409 for the lead), so the fixture stays as built. */
export const LIFECYCLE_WRITES: LifecycleWriteProbe[] = [
  {
    name: 'POST /cases/:id/assessments',
    action: 'assessment.record',
    request: (fx) => ({ method: 'POST', path: `/cases/${fx.caseId}/assessments`, body: { members: [{ personId: MISSING, items: {} }], household: {} } }),
  },
  {
    name: 'POST /cases/:id/plans',
    action: 'plan.draft',
    request: (fx) => ({
      method: 'POST',
      path: `/cases/${fx.caseId}/plans`,
      body: { members: [], goals: [{ personId: MISSING, text: '行列の目標' }], actions: [] },
    }),
  },
  { name: 'POST /cases/:id/plans/1/submit', action: 'plan.submit', request: (fx) => ({ method: 'POST', path: `/cases/${fx.caseId}/plans/1/submit` }) },
  {
    name: 'POST /cases/:id/termination',
    action: 'terminate',
    request: (fx) => ({ method: 'POST', path: `/cases/${fx.caseId}/termination`, body: { reason: 'goal_achieved', evaluations: [], watchers: [] } }),
  },
  {
    name: 'POST /cases/:id/reopen',
    action: 'reopen',
    request: (fx) => ({ method: 'POST', path: `/cases/${fx.caseId}/reopen`, body: { problems: [{ personId: MISSING, type: '行列' }], note: '行列の再開' } }),
  },
  {
    name: 'POST /cases/:id/advice-requests',
    action: 'advice.request',
    request: (fx) => ({
      method: 'POST',
      path: `/cases/${fx.caseId}/advice-requests`,
      body: { advisorUserId: MISSING, question: '行列の相談', basis: { kind: 'consent' }, include: ['core'] },
    }),
  },
];

/** 2xx, 409 or 422 (authorized, then refused for the body or the state) is an allow; 403/404 a deny. */
export function observedLifecycleWrite(status: number): 'allow' | 'deny' | 'error' {
  if ((status >= 200 && status < 300) || status === 409 || status === 422) return 'allow';
  if (status === 403 || status === 404) return 'deny';
  return 'error';
}
