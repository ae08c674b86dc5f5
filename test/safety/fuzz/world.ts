/**
 * The fixture the fuzzer runs against: a small municipality made through the API, so that
 * valid-ish inputs reach the handlers (real case, household, persons, consents), and the
 * pools of real ids that {@link Ref} markers resolve to. Pools grow with what accepted runs
 * create.
 */
import { type Account, factories } from '../../helpers/factories.ts';
import type { TestServer } from '../../helpers/server.ts';
import { Deep, Ref, type RefKind, refOfKey } from './arbitraries.ts';

export type PrincipalName = 'admin' | 'lead' | 'member' | 'coordinator' | 'auditor' | 'outsider' | 'mfaUser' | 'chair' | 'external' | 'advisor';

export interface World {
  s: TestServer;
  accounts: Record<PrincipalName, { token: string; id: string; organizationId: string; loginId: string; password?: string }>;
  /** The main case (lead = lead's organization, member's organization on the team). */
  caseId: string;
  /** A second case of the lead's, for team changes (the coordinator may be added to it). */
  teamCaseId: string;
  householdId: string;
  personIds: string[];
  /**
   * A convened 支援会議 on the main case: chair `chair` (lead organization), members lead and
   * member (acknowledged) and external (an external member, not yet acknowledged); minutes
   * recorded; one task for the member's organization.
   */
  meetingId: string;
  taskId: string;
  /** Users who may be invited (never principals, never disabled by other routes). */
  inviteeIds: string[];
  /** Records of the main case by the lead's and the member's organizations (tabling). */
  recordIds: { lead: string; member: string };
  /**
   * The support lifecycle (issue 5), on cases of their own so that the consent and team routes
   * cannot pull the ground from under them: `caseId` (lead `lead`, `member`'s organization on the
   * team; A has the problem and consents naming the lead's and the member's organizations, B
   * consents naming the member's) with an assessment, an approved plan (version 1) whose actions
   * the lead and the member hold, a 重層的支援会議 that started an hour ago (chair `chair`, members
   * lead and member), a 支援会議 with `advisor` (of the member's organization) acknowledged, and an
   * advice request; `closingCaseId` (no plan) is closed and reopened by the termination routes.
   */
  lc: {
    caseId: string;
    personIds: string[];
    multilayerMeetingId: string;
    supportMeetingId: string;
    closingCaseId: string;
    closingPersonIds: string[];
    adviceRequestId: string;
    /** The plan body the fixture uses (new versions for the submit and approve routes). */
    planBody: unknown;
  };
  /** Ids a route's prepare() step looked up for its pools (e.g. the organizations on a team). */
  cache: Record<string, string[]>;
  /** Fixture ids first, then ids created by accepted runs. */
  pools: Record<
    'person' | 'household' | 'case' | 'organization' | 'user' | 'consent' | 'meeting' | 'task' | 'request' | 'convening' | 'adviceRequest',
    { fixed: string[]; created: string[] }
  >;
}

export async function buildWorld(s: TestServer): Promise<World> {
  const f = factories(s);
  const leadOrg = await f.org('重ね市 福祉まるごと相談課', '行政機関', ['福祉']);
  const memberOrg = await f.org('社会福祉法人 𠮷祥会', '社会福祉法人', ['高齢']);
  const coordOrg = await f.org('重層的支援体制整備事業 推進室', '行政機関', ['福祉']);
  const auditOrg = await f.org('監査室', '行政機関');
  const otherOrg = await f.org('ＮＰＯ法人 ﾊﾝｶｸ支援ネット', 'NPO法人');
  const lead = await f.user(undefined, leadOrg.id, ['caseworker'], '髙橋 花子');
  const member = await f.user(undefined, memberOrg.id, ['caseworker'], '齋藤 一郎');
  const coordinator = await f.user(undefined, coordOrg.id, ['coordinator'], '推進員 𠮷田');
  const auditor = await f.user(undefined, auditOrg.id, ['auditor'], '監査 担当');
  const outsider = await f.user(undefined, otherOrg.id, ['caseworker'], '部外 者');
  const mfaUser = await f.user(undefined, otherOrg.id, ['caseworker'], '二要素 試験');
  const chair = await f.user(undefined, leadOrg.id, ['chair'], '総括 課長');
  const external = await f.user(undefined, otherOrg.id, ['external_member'], '外部 委員');
  const invitees: Account[] = [];
  for (let i = 0; i < 4; i++) invitees.push(await f.user(undefined, coordOrg.id, ['caseworker'], `招集 候補${i}`));
  const victims: Account[] = [];
  for (let i = 0; i < 3; i++) victims.push(await f.user(undefined, otherOrg.id, ['caseworker'], `対象 ${i}`));

  const main = await f.caseWith({
    lead,
    persons: [
      { familyName: '𠮷田', givenName: '髙志', familyNameKana: 'ヨシダ', givenNameKana: 'ﾀｶｼ', birthDate: '1965-04-01', address: '重ね市本町1-2-3' },
      { familyName: '𠮷田', givenName: '太郎', familyNameKana: 'よしだ', givenNameKana: 'たろう', birthDate: '1995-10-10' },
    ],
    problemsOf: [0, 1],
    teamOrgIds: [memberOrg.id],
  });
  const second = await f.caseWith({ lead, persons: [{}] });
  const consents = [
    await f.consent(lead, main.persons[0]!.id, [memberOrg.id], { purposes: ['支援の調整'] }),
    await f.consent(lead, main.persons[1]!.id, [memberOrg.id], { includesTaxInfo: true }),
    await f.consent(lead, main.persons[0]!.id, [memberOrg.id, otherOrg.id]),
  ];
  const leadRecord = await f.record(lead, main.caseId, '初回面談。本人は𠮷田髙志。', 'normal', main.persons[0]!.id);
  const memberRecord = await f.record(member, main.caseId, '訪問記録', 'sensitive', main.persons[1]!.id);

  // The meeting: convened, acknowledged by the chair, the lead and the member; minutes; a task.
  const ok = async (res: ReturnType<typeof s.call>, what: string): Promise<any> => {
    const r = await res;
    if (r.status >= 300) throw new Error(`fuzz world ${what}: ${r.status} ${r.text.slice(0, 300)}`);
    return r.json;
  };
  const meeting = await ok(
    s.call(chair.token, 'POST', '/meetings', {
      kind: 'support',
      title: '𠮷田世帯 支援会議（第1回）',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      chairUserId: chair.id,
      memberUserIds: [lead.id, member.id, external.id],
      caseIds: [main.caseId],
      purposes: { [main.caseId]: '見守り体制の共有のため' },
    }),
    'meeting',
  );
  for (const a of [chair, lead, member]) await ok(s.call(a.token, 'POST', `/meetings/${meeting.id}/acknowledge`), 'acknowledge');
  await ok(s.call(chair.token, 'POST', `/meetings/${meeting.id}/minutes`, { body: '会議記録：見守りを継続する。', decisions: ['月1回の訪問'] }), 'minutes');
  // A 受付表 by the lead's worker, for the coordinator to forward.
  const convening = await ok(
    s.call(lead.token, 'POST', '/convening-requests', {
      caseId: main.caseId,
      consulted: '𠮷田さんの長男のひきこもり',
      involvedOrganizationIds: [memberOrg.id],
      neededOrganizationIds: [],
    }),
    'convening request',
  );
  const task = await ok(
    s.call(chair.token, 'POST', `/meetings/${meeting.id}/assignments`, {
      caseId: main.caseId,
      organizationId: memberOrg.id,
      task: '月1回の訪問',
      dueOn: '2030-01-31',
    }),
    'assignment',
  );

  // The support lifecycle (see World.lc).
  const advisor = await f.user(undefined, memberOrg.id, ['advisor'], '助言 先生');
  const lcCase = await f.caseWith({
    lead,
    persons: [
      { familyName: '髙橋', givenName: '誠', birthDate: '1975-05-05', sex: 'male' },
      { familyName: '髙橋', givenName: '文子', birthDate: '1945-02-02', sex: 'female' },
    ],
    problemsOf: [0],
    teamOrgIds: [memberOrg.id],
  });
  const [lcA, lcB] = lcCase.persons.map((p) => p.id) as [string, string];
  await f.consent(lead, lcA, [leadOrg.id, memberOrg.id]);
  await f.consent(lead, lcB, [memberOrg.id]);
  await ok(
    s.call(lead.token, 'POST', `/cases/${lcCase.caseId}/assessments`, {
      members: [
        { personId: lcA, items: { mentalHealth: 'ひきこもり歴20年、昼夜逆転', wishes: '母の介護は自分でしたい' }, note: '𠮷野家の近くなら外出できる' },
        { personId: lcB, items: { care: '認知症の進行、要介護2' } },
      ],
      household: {
        keyPersonId: lcA,
        supports: [{ fromPersonId: lcA, toPersonId: lcB, note: '食事と見守り' }],
        ifOneFallsIll: '息子が倒れると母の生活が止まる',
      },
    }),
    'assessment',
  );
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const planBody = {
    members: [
      { personId: lcA, view: '母の介護を担う役割が本人の支えになっている' },
      { personId: lcB, view: '在宅生活の継続には介護サービスが必要' },
    ],
    goals: [
      { key: 'g-son', personId: lcA, text: '週1回、外出できる' },
      { key: 'g-home', text: '世帯で在宅生活を続ける' },
    ],
    actions: [
      { key: 'a-lead', goalKey: 'g-son', personId: lcA, text: '月2回訪問する', organizationId: leadOrg.id, startOn: day(-30), reviewOn: day(30) },
      {
        key: 'a-member',
        goalKey: 'g-son',
        personId: lcA,
        text: '居場所を紹介する（ﾊﾝｶｸ）',
        organizationId: memberOrg.id,
        startOn: day(-30),
        reviewOn: day(-1),
      },
      { key: 'a-home', goalKey: 'g-home', text: '介護認定の申請を支援する', organizationId: memberOrg.id, startOn: day(0), reviewOn: day(60) },
    ],
    changeNote: '初版',
  };
  await ok(s.call(lead.token, 'POST', `/cases/${lcCase.caseId}/plans`, planBody), 'plan v1');
  await ok(s.call(lead.token, 'POST', `/cases/${lcCase.caseId}/plans/1/submit`), 'plan v1 submit');
  const multilayer = await ok(
    s.call(chair.token, 'POST', '/meetings', {
      kind: 'multilayer',
      title: '重層的支援会議（髙橋世帯）',
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      chairUserId: chair.id,
      memberUserIds: [lead.id, member.id],
      caseIds: [lcCase.caseId],
      purposes: { [lcCase.caseId]: 'プランの適切性の協議と役割分担のため' },
    }),
    'multilayer meeting',
  );
  for (const a of [chair, lead, member]) await ok(s.call(a.token, 'POST', `/meetings/${multilayer.id}/acknowledge`), 'acknowledge multilayer');
  await ok(s.call(chair.token, 'POST', `/cases/${lcCase.caseId}/plans/1/approve`, { meetingId: multilayer.id, note: '承認（第1回）' }), 'approve v1');
  const support = await ok(
    s.call(chair.token, 'POST', '/meetings', {
      kind: 'support',
      title: '複合課題ケース検討会（髙橋世帯）',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      chairUserId: chair.id,
      memberUserIds: [lead.id, advisor.id],
      caseIds: [lcCase.caseId],
      purposes: { [lcCase.caseId]: 'アドバイザーの助言を得るため' },
    }),
    'support meeting',
  );
  for (const a of [chair, lead, advisor]) await ok(s.call(a.token, 'POST', `/meetings/${support.id}/acknowledge`), 'acknowledge support');
  const advice = await ok(
    s.call(lead.token, 'POST', `/cases/${lcCase.caseId}/advice-requests`, {
      advisorUserId: advisor.id,
      question: '本人との関係づくりについて助言をください',
      basis: { kind: 'consent' },
      include: ['core', 'assessment', 'plan'],
    }),
    'advice request',
  );
  const closing = await f.caseWith({ lead, persons: [{ familyName: '齋藤', givenName: '一' }], teamOrgIds: [memberOrg.id] });

  const acct = (a: Account) => ({ token: a.token, id: a.id, organizationId: a.organizationId, loginId: a.loginId, password: a.password });
  return {
    s,
    accounts: {
      admin: { token: s.admin.token, id: s.admin.id, organizationId: s.admin.organizationId, loginId: s.admin.loginId },
      lead: acct(lead),
      member: acct(member),
      coordinator: acct(coordinator),
      auditor: acct(auditor),
      outsider: acct(outsider),
      mfaUser: acct(mfaUser),
      chair: acct(chair),
      external: acct(external),
      advisor: acct(advisor),
    },
    lc: {
      caseId: lcCase.caseId,
      personIds: [lcA, lcB],
      multilayerMeetingId: multilayer.id,
      supportMeetingId: support.id,
      closingCaseId: closing.caseId,
      closingPersonIds: closing.persons.map((p) => p.id),
      adviceRequestId: advice.id,
      planBody,
    },
    meetingId: meeting.id,
    taskId: task.id,
    inviteeIds: invitees.map((i) => i.id),
    recordIds: { lead: leadRecord.id, member: memberRecord.id },
    caseId: main.caseId,
    teamCaseId: second.caseId,
    householdId: main.household.id,
    personIds: main.persons.map((p) => p.id),
    cache: {},
    pools: {
      person: { fixed: [...main.persons.map((p) => p.id), second.persons[0]!.id], created: [] },
      household: { fixed: [main.household.id, second.household.id], created: [] },
      case: { fixed: [main.caseId, second.caseId], created: [] },
      organization: { fixed: [leadOrg.id, memberOrg.id, coordOrg.id, auditOrg.id, otherOrg.id, s.admin.organizationId], created: [] },
      // Only accounts that may be disabled or have their roles changed: never a principal.
      user: { fixed: victims.map((v) => v.id), created: [] },
      consent: { fixed: consents.map((c) => c.id), created: [] },
      meeting: { fixed: [meeting.id], created: [] },
      task: { fixed: [task.id], created: [] },
      request: { fixed: [], created: [] },
      convening: { fixed: [convening.id], created: [] },
      adviceRequest: { fixed: [advice.id], created: [] },
    },
  };
}

/** Pool overrides of one route: a function from the pool to the ids to pick from. */
export type PoolOverride = Record<RefKind, (w: World) => string[]>;

/** Picks a real id for `ref`: mostly the fixture, sometimes something an earlier run created. */
export function resolveRef(w: World, ref: Ref, override: PoolOverride = {}): string {
  const custom = override[ref.kind]?.(w);
  if (custom && custom.length > 0) return custom[ref.n % custom.length]!;
  const pool = w.pools[ref.kind as keyof World['pools']];
  if (!pool) throw new Error(`no pool "${ref.kind}": give the route spec a pools.${ref.kind}`);
  const useCreated = pool.created.length > 0 && ref.n % 5 === 4;
  const list = useCreated ? pool.created : pool.fixed;
  return list[Math.floor(ref.n / 5) % list.length]!;
}

/** Replaces every Ref with a real id (Deep markers stay for the serializer). */
export function materialize(w: World, v: unknown, override: PoolOverride = {}): unknown {
  if (v instanceof Ref) return resolveRef(w, v, override);
  if (v instanceof Deep) return v;
  if (Array.isArray(v)) return v.map((x) => materialize(w, x, override));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const ref = refOfKey(k);
      const key = ref ? resolveRef(w, ref, override) : k;
      Object.defineProperty(out, key, { value: materialize(w, x, override), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}
