/**
 * The meeting ground of the matrix (T1) and the sweep (T2), built through the HTTP API on top
 * of the shared fixture, with the oracle's model (World.meetings, World.tasks) kept in step.
 *
 * Cases (each like the fixture's others): MS no consent, MC P consents naming every reader
 * organization with tax, MW P consents naming them, withdrawn after the meeting.
 *
 *   M1 支援会議 (art106-6) on MS, open: chair M.chair (L); members M.tabler (TR, acknowledged,
 *      tables a TR record), M.ack (O, acknowledged), M.notAck (O, not yet), M.removed (O,
 *      acknowledged then removed), M.external (O, external member, acknowledged); the chair
 *      tables an L record; minutes, a decision, a task for TR; an information request to XW
 *      about P, answered by M.requested (XW, not a member): the answer is tabled into M1.
 *   M2 支援会議 on MS convened 20 days ago, window closed: member M.after (O, acknowledged);
 *      the chair tabled an L record; minutes, a decision, a task for TR (assignees keep it).
 *   M3 重層的支援会議 (consent) on MC, open: member M.consent (O, acknowledged); the chair
 *      tables an L record and an L 税情報 record (the consent includes tax for every member).
 *   M4 重層的支援会議 on MW: member M.withdrawn (O, acknowledged); an L record tabled; then P's
 *      consent is withdrawn: the case drops from the materials.
 *   M5 複合課題ケース検討会 declaring art106-6 on MS (member M.ack) — a 支援会議's rules;
 *   M6 複合課題ケース検討会 declaring consent on MC (member M.consent) — a 重層的支援会議's rules;
 *      the same declaring consent on MS, and a 重層的支援会議 on MS, are refused (gateRefusals).
 *   M7 支援会議 on MS, open: members M.excluded and M.peer (O, both acknowledged, in no other
 *      meeting); the chair tables an L record, assigns a task for TR, then excludes M.excluded
 *      from MS (membership per agenda item): M.excluded reads nothing of MS there, M.peer all.
 * Every purpose, minutes body, decision and task text is a canary.
 */
import { setClock } from '../../../src/lib/clock.ts';
import { expectStatus, type Res } from '../../helpers/server.ts';
import type { Canary, CanaryKind, Cls, MeetingModel } from '../oracle.ts';
import { type Call, type CaseFixture, canaryValue, type Fixture, type Reader } from './fixture.ts';

export type MeetingKey = 'M1' | 'M2' | 'M3' | 'M4' | 'M5' | 'M6' | 'M7';
export type MemberKey = 'chair' | 'tabler' | 'ack' | 'notAck' | 'removed' | 'external' | 'after' | 'consent' | 'withdrawn' | 'requested' | 'excluded' | 'peer';

export interface MeetingFixture {
  ids: Record<MeetingKey, string>;
  users: Record<MemberKey, Reader>;
  cases: { MS: CaseFixture; MC: CaseFixture; MW: CaseFixture };
  /** The tasks of M1, M2 and M7 (for TR). */
  taskIds: string[];
  /** M1's information request to XW about P (answered by M.requested, so tabled into M1). */
  requestId: string;
  /** A 受付表 on MS by M.tabler (TR), forwarded by the coordinator O.coordinator to M.chair. */
  conveningRequestId: string;
  canaries: Canary[];
  /** The 422 of tabling an L 税情報 record at M1 (no tax consent): rule 4. */
  taxRefusal: Res;
  /** Rule 3's gate at convening on the unconsented case MS: a 重層的支援会議, a case conference declaring consent. */
  gateRefusals: { multilayer: Res; conferenceConsent: Res };
}

const recordOf = (fx: CaseFixture, author: string, chosen: Cls, person: 'P' | 'Q' | null = 'P') =>
  fx.records.find((r) => r.author === author && r.chosen === chosen && r.person === person)!.id;

export async function buildMeetings(call: Call, f: Fixture): Promise<MeetingFixture> {
  const w = f.world;
  const ok = async (res: Promise<Res>, status: number, what: string) => expectStatus(await res, status, what).json;
  const canaries: Canary[] = [];
  const plant = (kind: CanaryKind, owner: string, extra: Partial<Canary> = {}) => {
    const value = canaryValue(kind.replace('.', '-'));
    canaries.push({ kind, owner, value, ...extra });
    return value;
  };

  const users = {
    chair: await f.addReader('L', 'chair'),
    tabler: await f.addReader('TR', 'caseworker'),
    ack: await f.addReader('O', 'caseworker'),
    notAck: await f.addReader('O', 'caseworker'),
    removed: await f.addReader('O', 'caseworker'),
    external: await f.addReader('O', 'external_member'),
    after: await f.addReader('O', 'caseworker'),
    consent: await f.addReader('O', 'caseworker'),
    withdrawn: await f.addReader('O', 'caseworker'),
    requested: await f.addReader('XW', 'caseworker'),
    excluded: await f.addReader('O', 'caseworker'),
    peer: await f.addReader('O', 'caseworker'),
  } satisfies Record<MemberKey, Reader>;
  const chair = users.chair;
  const MS = await f.addCase('none');
  const MC = await f.addCase('naming_tax');
  const MW = await f.addCase('naming');

  const convene = async (
    kind: 'support' | 'multilayer' | 'case_conference',
    fx: CaseFixture,
    members: Reader[],
    startsAt: string,
    extra: Record<string, unknown> = {},
  ) => {
    const body = {
      kind,
      title: `行列の会議 ${kind}`,
      startsAt,
      chairUserId: chair.id,
      memberUserIds: members.map((m) => m.id),
      caseIds: [fx.caseId],
      ...extra,
    };
    const m = await ok(call(chair.token, 'POST', '/meetings', body), 201, `convene ${kind}`);
    const model: MeetingModel = {
      basis: kind === 'support' ? 'art106-6' : kind === 'multilayer' ? 'consent' : (extra.legalBasis as string),
      chair: chair.id,
      convener: chair.id,
      members: Object.fromEntries([chair, ...members].map((u) => [u.id, { acknowledged: false }])),
      cases: [fx.caseId],
      open: true,
      tabled: [{ case: fx.caseId }],
    };
    w.meetings[m.id] = model;
    return m.id as string;
  };
  const acknowledge = async (meeting: string, who: Reader[]) => {
    for (const u of who) {
      await ok(call(u.token, 'POST', `/meetings/${meeting}/acknowledge`), 200, 'acknowledge');
      w.meetings[meeting]!.members[u.id]!.acknowledged = true;
    }
  };
  const table = async (meeting: string, who: Reader, fx: CaseFixture, record: string) => {
    await ok(call(who.token, 'POST', `/meetings/${meeting}/table`, { caseId: fx.caseId, recordIds: [record] }), 201, 'table');
    w.meetings[meeting]!.tabled.push({ case: fx.caseId, record });
  };
  const minutes = async (meeting: string) => {
    const body = `会議記録 ${plant('meeting.minutes', meeting)}`;
    const decision = plant('meeting.decision', meeting);
    await ok(call(chair.token, 'POST', `/meetings/${meeting}/minutes`, { body, decisions: [decision] }), 200, 'minutes');
  };
  const assign = async (meeting: string, fx: CaseFixture, org: string) => {
    const text = canaryValue('task');
    const t = await ok(
      call(chair.token, 'POST', `/meetings/${meeting}/assignments`, { caseId: fx.caseId, organizationId: org, task: text, dueOn: '2030-03-31' }),
      201,
      'assign',
    );
    w.tasks[t.id] = { meeting, case: fx.caseId, org };
    canaries.push({ kind: 'task.text', owner: t.id, value: text });
    return t.id as string;
  };
  const purposeFor = (fx: CaseFixture) => {
    const value = canaryValue('purpose');
    return { value, attach: (id: string) => canaries.push({ kind: 'meeting.purpose', owner: id, caseId: fx.caseId, value }) };
  };

  // M1: the open 支援会議.
  const p1 = purposeFor(MS);
  const M1 = await convene(
    'support',
    MS,
    [users.tabler, users.ack, users.notAck, users.removed, users.external],
    new Date(Date.now() + 2 * 86_400_000).toISOString(),
    {
      purposes: { [MS.caseId]: p1.value },
    },
  );
  p1.attach(M1);
  await acknowledge(M1, [chair, users.tabler, users.ack, users.removed, users.external]);
  await table(M1, chair, MS, recordOf(MS, 'L', 'normal'));
  await table(M1, users.tabler, MS, recordOf(MS, 'TR', 'sensitive'));
  // Rule 4: no tax consent, so the lead's 税情報 is never tabled.
  const taxRefusal = await call(chair.token, 'POST', `/meetings/${M1}/table`, { caseId: MS.caseId, recordIds: [recordOf(MS, 'L', 'tax')] });
  await ok(call(chair.token, 'DELETE', `/meetings/${M1}/members/${users.removed.id}`), 200, 'remove member');
  delete w.meetings[M1]!.members[users.removed.id];
  await minutes(M1);
  const t1 = await assign(M1, MS, f.orgs.TR);
  const requestText = canaryValue('request');
  const q = await ok(
    call(chair.token, 'POST', `/meetings/${M1}/information-requests`, {
      caseId: MS.caseId,
      personId: MS.P,
      organizationId: f.orgs.XW,
      request: requestText,
      dueOn: '2030-01-31',
    }),
    201,
    'information request',
  );
  w.requests[q.id] = { meeting: M1, case: MS.caseId, person: MS.P, org: f.orgs.XW, answered: false };
  canaries.push({ kind: 'request.text', owner: q.id, value: requestText });
  const answer = canaryValue('answer');
  await ok(call(users.requested.token, 'POST', `/information-requests/${q.id}/answer`, { answer }), 201, 'answer');
  w.requests[q.id]!.answered = true;
  canaries.push({ kind: 'request.answer', owner: q.id, value: answer });

  // M2: convened 20 days ago, closed a day after it started.
  const back = Date.now() - 20 * 86_400_000;
  const start = Date.now();
  const restore = setClock(() => back + (Date.now() - start));
  let M2: string;
  let t2: string;
  try {
    const p2 = purposeFor(MS);
    M2 = await convene('support', MS, [users.after], new Date(back + 3600_000).toISOString(), { purposes: { [MS.caseId]: p2.value }, materialsCloseDays: 1 });
    p2.attach(M2);
    await acknowledge(M2, [chair, users.after]);
    await table(M2, chair, MS, recordOf(MS, 'L', 'sensitive'));
    await minutes(M2);
    t2 = await assign(M2, MS, f.orgs.TR);
  } finally {
    restore();
  }
  w.meetings[M2]!.open = false;

  // M3: the 重層的支援会議 on the consented case, with the tax-inclusive consent.
  const M3 = await convene('multilayer', MC, [users.consent], new Date(Date.now() + 3 * 86_400_000).toISOString());
  await acknowledge(M3, [chair, users.consent]);
  await table(M3, chair, MC, recordOf(MC, 'L', 'normal'));
  await table(M3, chair, MC, recordOf(MC, 'L', 'tax'));
  await minutes(M3);

  // M4: the case drops the moment P's consent is withdrawn.
  const M4 = await convene('multilayer', MW, [users.withdrawn], new Date(Date.now() + 4 * 86_400_000).toISOString());
  await acknowledge(M4, [chair, users.withdrawn]);
  await table(M4, chair, MW, recordOf(MW, 'L', 'normal'));
  await minutes(M4);
  await ok(call(f.reader('L.caseworker').token, 'POST', `/consents/${MW.consentId}/withdraw`, { withdrawnOn: '2025-06-01' }), 200, 'withdraw');
  w.consents[MW.consentId!]!.active = false;

  // Case conferences: each follows the rules of the basis it declares.
  const p5 = purposeFor(MS);
  const M5 = await convene('case_conference', MS, [users.ack], new Date(Date.now() + 5 * 86_400_000).toISOString(), {
    legalBasis: 'art106-6',
    purposes: { [MS.caseId]: p5.value },
  });
  p5.attach(M5);
  await acknowledge(M5, [chair, users.ack]);
  await minutes(M5);
  const M6 = await convene('case_conference', MC, [users.consent], new Date(Date.now() + 6 * 86_400_000).toISOString(), { legalBasis: 'consent' });
  await acknowledge(M6, [chair, users.consent]);
  await minutes(M6);
  const refuse = (extra: Record<string, unknown>) =>
    call(chair.token, 'POST', '/meetings', {
      title: '同意のない世帯',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      chairUserId: chair.id,
      memberUserIds: [users.ack.id],
      caseIds: [MS.caseId],
      ...extra,
    });
  const gateRefusals = {
    multilayer: await refuse({ kind: 'multilayer' }),
    conferenceConsent: await refuse({ kind: 'case_conference', legalBasis: 'consent' }),
  };

  // M7: membership per agenda item — M.excluded is excluded from MS, M.peer is the positive control.
  const p7 = purposeFor(MS);
  const M7 = await convene('support', MS, [users.excluded, users.peer], new Date(Date.now() + 7 * 86_400_000).toISOString(), {
    purposes: { [MS.caseId]: p7.value },
  });
  p7.attach(M7);
  await acknowledge(M7, [chair, users.excluded, users.peer]);
  await table(M7, chair, MS, recordOf(MS, 'L', 'normal'));
  await minutes(M7);
  const t7 = await assign(M7, MS, f.orgs.TR);
  await ok(call(chair.token, 'POST', `/meetings/${M7}/cases/${MS.caseId}/exclusions`, { userId: users.excluded.id }), 201, 'exclude');
  w.meetings[M7]!.excluded = { [MS.caseId]: [users.excluded.id] };

  // The intake form (受付表): a team worker asks, the coordinator forwards it to the chair.
  const consulted = canaryValue('consulted');
  const cr = await ok(
    call(users.tabler.token, 'POST', '/convening-requests', {
      caseId: MS.caseId,
      consulted,
      involvedOrganizationIds: [f.orgs.TR],
      neededOrganizationIds: [f.orgs.O],
    }),
    201,
    'convening request',
  );
  w.conveningRequests[cr.id] = { case: MS.caseId, org: f.orgs.TR, forwardedTo: null };
  canaries.push({ kind: 'convening.consulted', owner: cr.id, value: consulted });
  await ok(call(f.reader('O.coordinator').token, 'POST', `/convening-requests/${cr.id}/forward`, { chairUserId: chair.id }), 200, 'forward');
  w.conveningRequests[cr.id]!.forwardedTo = chair.id;

  return {
    conveningRequestId: cr.id,
    gateRefusals,
    ids: { M1, M2, M3, M4, M5, M6, M7 },
    users,
    cases: { MS, MC, MW },
    taskIds: [t1, t2, t7],
    requestId: q.id,
    canaries,
    taxRefusal,
  };
}
