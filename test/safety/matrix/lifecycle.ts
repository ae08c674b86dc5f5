/**
 * The support lifecycle of the matrix (T1) and the sweep (T2), built through the HTTP API on
 * cases of the shared fixture, with the oracle's model (World.adviceRequests, World.planActions)
 * kept in step. On a case, the lead (L) records an assessment (an item about P, one about Q, a
 * household text), a plan (a 見立て per member, goals of P, Q and the household, actions of the
 * lead about each, and one held by TR about P where P's consent names TR), monitoring (the lead
 * on P's action with the person's own view, a household observation; TR on its action), and, on
 * request, an advice request answered by its advisor and a termination evaluation. Every text
 * is a canary of the part it belongs to (person P, Q, or the household).
 */
import { expectStatus, type Res } from '../../helpers/server.ts';
import { type Canary, type CanaryKind, consentNames } from '../oracle.ts';
import { type Call, type CaseFixture, canaryValue, type Fixture, type Reader } from './fixture.ts';

export interface LifecycleCase {
  fx: CaseFixture;
  canaries: Canary[];
  /** Action keys: aP, aQ, aH by the lead; aT by TR (when P's consent names TR). */
  actions: string[];
  adviceRequestIds: string[];
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function buildLifecycle(
  call: Call,
  f: Fixture,
  fx: CaseFixture,
  opts: { advice?: { advisor: Reader; basis: 'consent' | 'meeting'; meetingId?: string }[]; terminate?: boolean } = {},
): Promise<LifecycleCase> {
  const w = f.world;
  const ok = async (res: Promise<Res>, status: number, what: string) => expectStatus(await res, status, what).json;
  const lead = f.reader('L.caseworker');
  const canaries: Canary[] = [];
  const plant = (kind: CanaryKind, person: string | null, extra: Partial<Canary> = {}) => {
    const value = canaryValue(kind.replace('.', '-'));
    canaries.push({ kind, owner: fx.caseId, caseId: fx.caseId, ...(person ? { personId: person } : {}), value, ...extra });
    return value;
  };
  const { P, Q } = fx;

  await ok(
    call(lead.token, 'POST', `/cases/${fx.caseId}/assessments`, {
      members: [
        { personId: P, items: { mentalHealth: plant('assessment.item', P) }, note: plant('assessment.item', P) },
        { personId: Q, items: { care: plant('assessment.item', Q) } },
      ],
      household: {
        keyPersonId: P,
        supports: [{ fromPersonId: Q, toPersonId: P, note: plant('assessment.household', null) }],
        ifOneFallsIll: plant('assessment.household', null),
      },
    }),
    201,
    'assessment',
  );

  const withTR = consentNames(w, P, f.orgs.TR);
  const actions = [
    { key: 'aP', goalKey: 'gP', personId: P, organizationId: f.orgs.L },
    { key: 'aQ', goalKey: 'gQ', personId: Q, organizationId: f.orgs.L },
    { key: 'aH', goalKey: 'gH', organizationId: f.orgs.L },
    ...(withTR ? [{ key: 'aT', goalKey: 'gP', personId: P, organizationId: f.orgs.TR }] : []),
  ];
  await ok(
    call(lead.token, 'POST', `/cases/${fx.caseId}/plans`, {
      members: [
        { personId: P, view: plant('plan.view', P) },
        { personId: Q, view: plant('plan.view', Q) },
      ],
      goals: [
        { key: 'gP', personId: P, text: plant('plan.goal', P) },
        { key: 'gQ', personId: Q, text: plant('plan.goal', Q) },
        { key: 'gH', text: plant('plan.goal', null) },
      ],
      actions: actions.map((a) => ({ ...a, text: plant('plan.action', a.personId ?? null), startOn: day(-10), reviewOn: day(20) })),
    }),
    201,
    'plan',
  );
  w.planActions[fx.caseId] = Object.fromEntries(actions.map((a) => [a.key, { org: a.organizationId, person: a.personId ?? null }]));

  const monitor = async (who: Reader, org: string, actionKey: string | null, person: string | null, personView: boolean) =>
    ok(
      call(who.token, 'POST', `/cases/${fx.caseId}/monitoring`, {
        ...(actionKey ? { actionKey } : {}),
        status: 'in_progress',
        note: plant('monitoring.note', person, { org }),
        ...(personView ? { personView: plant('monitoring.personView', person, { org }) } : {}),
      }),
      201,
      'monitoring',
    );
  await monitor(lead, f.orgs.L, 'aP', P, true);
  await monitor(lead, f.orgs.L, null, null, false);
  if (withTR) await monitor(f.reader('TR.caseworker'), f.orgs.TR, 'aT', P, true);

  const adviceRequestIds: string[] = [];
  for (const a of opts.advice ?? []) {
    const question = canaryValue('advice-question');
    const include = ['core', 'assessment', 'plan'];
    const q = await ok(
      call(lead.token, 'POST', `/cases/${fx.caseId}/advice-requests`, {
        advisorUserId: a.advisor.id,
        question,
        basis: a.basis === 'meeting' ? { kind: 'meeting', meetingId: a.meetingId } : { kind: 'consent' },
        include,
      }),
      201,
      'advice request',
    );
    w.adviceRequests[q.id] = { case: fx.caseId, advisor: a.advisor.id, basis: a.basis, meeting: a.meetingId ?? null, include };
    canaries.push({ kind: 'advice.question', owner: q.id, caseId: fx.caseId, value: question });
    const answer = canaryValue('advice-answer');
    await ok(call(a.advisor.token, 'POST', `/advice-requests/${q.id}/answer`, { answer }), 200, 'advice answer');
    canaries.push({ kind: 'advice.answer', owner: q.id, caseId: fx.caseId, value: answer });
    adviceRequestIds.push(q.id);
  }

  if (opts.terminate) {
    await ok(
      call(lead.token, 'POST', `/cases/${fx.caseId}/termination`, {
        reason: 'goal_achieved',
        evaluations: [
          { goalKey: 'gP', outcome: 'partly', why: plant('termination.why', P) },
          { goalKey: 'gQ', outcome: 'achieved', why: plant('termination.why', Q) },
          { goalKey: 'gH', outcome: 'not_achieved', why: plant('termination.why', null) },
        ],
        watchers: [{ organizationId: f.orgs.TR, how: '月1回の電話' }],
        recheckOn: day(90),
        note: plant('termination.note', null),
      }),
      201,
      'termination',
    );
  }
  fx.canaries.push(...canaries);
  return { fx, canaries, actions: actions.map((a) => a.key), adviceRequestIds };
}
