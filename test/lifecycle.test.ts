/**
 * The support lifecycle (issue 5; product.md rules 1–4, 6, 7, 10), on both databases:
 * assessment → plan → approval in a 重層的支援会議 → monitoring → termination, with who may read
 * and write each part (consent scope per person, the lead, meetings, advisors), the Japanese
 * field errors, nothing half-written, and the audit rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../src/forms/meetings/testSupport.ts';
import { setClock } from '../src/lib/clock.ts';
import { auditHeadSeq, auditSince } from './helpers/audit.ts';
import { type Account, factories } from './helpers/factories.ts';
import { expectStatus, KINDS, type Res, startServer, type TestServer } from './helpers/server.ts';

const JA = /[\u3040-\u30ff\u4e00-\u9fff]/;
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const paths = (res: Res) => (res.json?.errors ?? []).map((e: { path: string }) => e.path);
const messageAt = (res: Res, path: string) => (res.json?.errors ?? []).find((e: { path: string }) => e.path === path)?.message as string | undefined;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(KINDS)('support lifecycle (%s)', (kind) => {
  let s: TestServer;
  let f: ReturnType<typeof factories>;
  let lead: Account;
  let team: Account;
  let unconsented: Account;
  let outsider: Account;
  let chair: Account;
  let advisor: Account;
  let otherAdvisor: Account;
  let coordinator: Account;
  let k: Awaited<ReturnType<ReturnType<typeof factories>['caseWith']>>;
  let son: string;
  let mother: string;
  let consentIds: { son: string };
  const ASSESS = 'ひきこもり歴20年、昼夜逆転（アセスメント本文）';
  const MOTHER_ITEM = '認知症の進行、要介護2（母の項目）';

  const call = (who: Account | null, method: string, path: string, body?: unknown) => s.call(who?.token ?? null, method, path, body);
  const ok = async (res: Promise<Res>, status: number, what = '') => expectStatus(await res, status, what).json;
  const bytesOf = async (who: Account, path: string) => {
    const res = await fetch(`${s.url}/api/v1${path}`, { headers: { authorization: `Bearer ${who.token}` } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
    const L = await f.org('重ね市 福祉まるごと相談課', '行政機関', ['福祉']);
    const T = await f.org('地域包括支援センター 西', '相談支援機関', ['高齢']);
    const U = await f.org('ハローワーク 重ね', '行政機関', ['労働']);
    const C = await f.org('重ね市 市民生活相談課', '行政機関', ['福祉']);
    const A = await f.org('重ね大学 精神保健研究室', '専門職団体', ['精神保健']);
    lead = await f.user(undefined, L.id, ['caseworker'], '主担当 花子');
    coordinator = await f.user(undefined, L.id, ['coordinator'], '推進員 一郎');
    team = await f.user(undefined, T.id, ['caseworker'], '包括 次郎');
    unconsented = await f.user(undefined, U.id, ['caseworker'], '職安 三郎');
    outsider = await f.user(undefined, (await f.org()).id, ['caseworker'], '部外 四郎');
    // The chair (市民生活相談課長) coordinates: sees the case index, and the plan only through the meeting.
    chair = await f.user(undefined, C.id, ['chair', 'coordinator'], '総括 課長');
    advisor = await f.user(undefined, A.id, ['advisor'], '助言 先生');
    otherAdvisor = await f.user(undefined, A.id, ['advisor'], '別の 先生');
    k = await f.caseWith({
      lead,
      persons: [
        { familyName: '髙橋', givenName: '誠', birthDate: '1975-05-05', sex: 'male' },
        { familyName: '髙橋', givenName: '文子', birthDate: '1945-02-02', sex: 'female' },
      ],
      problemsOf: [0],
      teamOrgIds: [T.id, U.id],
    });
    son = k.persons[0]!.id;
    mother = k.persons[1]!.id;
    // The son (the one person with a problem) consents naming the lead, the 包括, the chair's
    // division and the advisor's organization — not the ハローワーク. The mother has not consented.
    consentIds = { son: (await f.consent(lead, son, [L.id, T.id, C.id])).id };
  }, 60_000);
  afterAll(() => s?.stop());

  const assessmentBody = () => ({
    members: [
      { personId: son, items: { mentalHealth: ASSESS, wishes: '母の介護は自分でしたい' } },
      { personId: mother, items: { care: MOTHER_ITEM } },
    ],
    household: {
      keyPersonId: son,
      supports: [{ fromPersonId: son, toPersonId: mother, note: '食事と見守り' }],
      ifOneFallsIll: '息子が倒れると母の生活が止まる',
    },
  });

  describe('assessment', () => {
    it('the lead records versions; bad references get Japanese field errors and store nothing', async () => {
      const before = await auditHeadSeq(s);
      const bad = await call(lead, 'POST', `/cases/${k.caseId}/assessments`, {
        ...assessmentBody(),
        members: [{ personId: '0000000000000000000000000000dead', items: {} }],
        household: { keyPersonId: '0000000000000000000000000000beef' },
      });
      expect(bad.status).toBe(422);
      expect(paths(bad)).toEqual(expect.arrayContaining(['members.0.personId', 'household.keyPersonId']));
      expect(messageAt(bad, 'members.0.personId')).toMatch(JA);
      expect(await s.services.db.selectFrom('assessments').select('id').execute()).toEqual([]);
      expect((await auditSince(s, before)).filter((e) => e.type === 'ASSESSMENT_RECORDED')).toEqual([]);

      const v1 = await ok(call(lead, 'POST', `/cases/${k.caseId}/assessments`, assessmentBody()), 201, 'assessment v1');
      expect(v1.version).toBe(1);
      const v2 = await ok(call(lead, 'POST', `/cases/${k.caseId}/assessments`, assessmentBody()), 201, 'assessment v2');
      expect(v2.version).toBe(2);
      expect(v2.members.map((m: { personId: string }) => m.personId)).toEqual([son, mother]);
      expect(v2.household.keyPersonId).toBe(son);
      const events = await auditSince(s, before);
      expect(events.filter((e) => e.type === 'ASSESSMENT_RECORDED')).toHaveLength(2);
    });

    it('a team organization reads the parts of persons who consented naming it; the mother’s part is withheld with its reason', async () => {
      const before = await auditHeadSeq(s);
      const view = await ok(call(team, 'GET', `/cases/${k.caseId}/assessments`), 200);
      expect(view.items).toHaveLength(2);
      expect(view.latest.members.map((m: { personId: string }) => m.personId)).toEqual([son]);
      expect(JSON.stringify(view)).not.toContain(MOTHER_ITEM);
      expect(view.latest.withheld).toEqual([expect.objectContaining({ personId: mother, reason: 'consent_missing', message: expect.stringMatching(JA) })]);
      // Every person with a problem consented naming the 包括: the household part opens (rule 3).
      expect(view.latest.household.ifOneFallsIll).toContain('息子が倒れる');
      const reads = (await auditSince(s, before)).filter((e) => e.type === 'ASSESSMENT_VIEWED');
      expect(reads.map((e) => e.personId)).toEqual([son]);
      expect(reads[0]!.basis).toEqual(expect.arrayContaining([{ ground: 'consent', consentId: consentIds.son }]));
    });

    it('a team organization without consent gets 403 with the reason; an outsider 404; the coordinator’s index 403; nobody but the lead writes', async () => {
      const u = await call(unconsented, 'GET', `/cases/${k.caseId}/assessments`);
      expect(u.status).toBe(403);
      expect(u.json.detail).toMatch(/本人同意/);
      expect(JSON.stringify(u.json)).not.toContain(ASSESS);
      expect((await call(outsider, 'GET', `/cases/${k.caseId}/assessments`)).status).toBe(404);
      const otherCoordinator = await f.user(undefined, (await f.org()).id, ['coordinator']);
      expect((await call(otherCoordinator, 'GET', `/cases/${k.caseId}/assessments`)).status).toBe(403);
      expect((await call(team, 'POST', `/cases/${k.caseId}/assessments`, assessmentBody())).status).toBe(403);
      expect((await call(outsider, 'POST', `/cases/${k.caseId}/assessments`, assessmentBody())).status).toBe(404);
    });
  });

  describe('genogram and eco-map', () => {
    it('the lead sees the composition (key person, lives together); a team organization the members without it; outsiders nothing', async () => {
      const leadSvg = await bytesOf(lead, `/cases/${k.caseId}/genogram.svg`);
      expect(leadSvg.status).toBe(200);
      expect(leadSvg.type).toContain('image/svg+xml');
      const text = leadSvg.bytes.toString('utf8');
      expect(text).toContain('髙橋 誠');
      expect(text).toContain('KP');
      const teamSvg = (await bytesOf(team, `/cases/${k.caseId}/genogram.svg`)).bytes.toString('utf8');
      expect(teamSvg).toContain('髙橋 文子');
      expect(teamSvg).toContain('主担当機関のみ表示');
      expect((await bytesOf(outsider, `/cases/${k.caseId}/genogram.svg`)).status).toBe(404);
      const eco = (await bytesOf(team, `/cases/${k.caseId}/ecomap.svg`)).bytes.toString('utf8');
      expect(eco).toContain('地域包括支援センター 西');
      expect(eco).toContain('ハローワーク 重ね');
    });
  });

  let planV1: any;
  let multilayerId: string;
  describe('plan', () => {
    const planBody = (over: Record<string, unknown> = {}) => ({
      members: [
        { personId: son, view: '母の介護を担う役割が本人の支えになっている' },
        { personId: mother, view: '在宅生活の継続には介護サービスが必要' },
      ],
      goals: [
        { key: 'g-son', personId: son, text: '週1回、外出できる' },
        { key: 'g-mother', personId: mother, text: '介護サービスを利用して在宅生活を続ける' },
      ],
      actions: [
        {
          key: 'a-visit',
          goalKey: 'g-son',
          personId: son,
          text: '包括が月2回訪問する',
          organizationId: team.organizationId,
          startOn: day(-30),
          reviewOn: day(-1),
        },
        {
          key: 'a-care',
          goalKey: 'g-mother',
          personId: mother,
          text: '介護認定の申請を支援する',
          organizationId: lead.organizationId,
          startOn: day(0),
          reviewOn: day(30),
        },
      ],
      ...over,
    });

    it('refuses actions for organizations that are not on the team or not named by the consent of the person concerned (rules 2, 3)', async () => {
      const before = await auditHeadSeq(s);
      const res = await call(
        lead,
        'POST',
        `/cases/${k.caseId}/plans`,
        planBody({
          actions: [
            { goalKey: 'g-son', personId: son, text: '就労相談', organizationId: unconsented.organizationId, startOn: day(0), reviewOn: day(10) },
            { goalKey: 'g-mother', personId: mother, text: '訪問', organizationId: team.organizationId, startOn: day(0), reviewOn: day(10) },
            { goalKey: 'g-son', personId: son, text: '紹介', organizationId: outsider.organizationId, startOn: day(0), reviewOn: day(10) },
            { goalKey: 'nope', text: '見直し', organizationId: lead.organizationId, startOn: day(10), reviewOn: day(0) },
          ],
        }),
      );
      expect(res.status).toBe(422);
      expect(paths(res)).toEqual(
        expect.arrayContaining(['actions.0.organizationId', 'actions.1.organizationId', 'actions.2.organizationId', 'actions.3.goalKey', 'actions.3.reviewOn']),
      );
      expect(messageAt(res, 'actions.1.organizationId')).toContain('髙橋 文子');
      expect(await s.services.db.selectFrom('plans').select('id').execute()).toEqual([]);
      expect((await auditSince(s, before)).filter((e) => e.type === 'PLAN_DRAFTED')).toEqual([]);
    });

    it('the lead drafts version 1; a team organization sees the consented parts and its own action; the unconsented team member 403', async () => {
      planV1 = await ok(call(lead, 'POST', `/cases/${k.caseId}/plans`, planBody()), 201, 'plan v1');
      expect(planV1).toMatchObject({ version: 1, status: 'draft' });
      expect(planV1.actions.map((a: { key: string }) => a.key)).toEqual(['a-visit', 'a-care']);
      const seen = await ok(call(team, 'GET', `/cases/${k.caseId}/plans`), 200);
      expect(seen.current.goals.map((g: { key: string }) => g.key)).toEqual(['g-son']);
      expect(seen.current.actions.map((a: { key: string }) => a.key)).toEqual(['a-visit']);
      expect(JSON.stringify(seen)).not.toContain('介護認定の申請');
      expect(seen.current.actions[0].overdue).toBe(true);
      expect((await call(unconsented, 'GET', `/cases/${k.caseId}/plans`)).status).toBe(403);
      expect((await call(outsider, 'GET', `/cases/${k.caseId}/plans/1`)).status).toBe(404);
      expect((await call(team, 'POST', `/cases/${k.caseId}/plans`, planBody())).status).toBe(403);
    });

    it('approval: only at a 重層的支援会議 listing the case, by its chair, once the meeting has started', async () => {
      // Not yet submitted.
      const m = await ok(
        call(chair, 'POST', '/meetings', {
          kind: 'multilayer',
          title: '重層的支援会議（12月定例）',
          startsAt: inHours(1),
          chairUserId: chair.id,
          memberUserIds: [lead.id, team.id],
          caseIds: [k.caseId],
          purposes: { [k.caseId]: 'プランの適切性の協議と役割分担のため' },
        }),
        201,
        'multilayer meeting',
      );
      multilayerId = m.id;
      await ok(call(chair, 'POST', `/meetings/${m.id}/acknowledge`), 200, 'chair ack');
      const early = await call(chair, 'POST', `/cases/${k.caseId}/plans/1/approve`, { meetingId: m.id });
      expect(early.status).toBe(422);
      expect(paths(early)).toEqual(['meetingId']);
      await ok(call(lead, 'POST', `/cases/${k.caseId}/plans/1/submit`), 200, 'submit');
      const restoreEarly = setClock(() => Date.now() + 2 * 3_600_000);
      try {
        const list = await ok(call(chair, 'GET', `/cases/${k.caseId}/plans`), 200);
        expect(list.approvableMeetings.map((x: { id: string }) => x.id)).toEqual([m.id]);
        expect(list.current.abilities.approve).toBe(true);
      } finally {
        restoreEarly();
      }
      expect((await call(lead, 'POST', `/cases/${k.caseId}/plans/1/submit`)).status).toBe(409);
      // The chair reads the submitted plan through the meeting (acknowledged, window open).
      const viaMeeting = await ok(call(chair, 'GET', `/cases/${k.caseId}/plans/1`), 200);
      expect(viaMeeting.status).toBe('submitted');
      // Not yet approvable: the meeting has not started.
      expect(viaMeeting.abilities.approve).toBe(false);
      expect((await ok(call(lead, 'GET', `/cases/${k.caseId}/plans`), 200)).approvableMeetings).toEqual([]);
      // Drafting the plan moved the case to プラン作成.
      expect((await ok(call(lead, 'GET', `/cases/${k.caseId}`), 200)).status).toBe('planning');
      // A caseworker is not the chair.
      expect((await call(lead, 'POST', `/cases/${k.caseId}/plans/1/approve`, { meetingId: m.id })).status).toBe(403);
      const restore = setClock(() => Date.now() + 2 * 3_600_000);
      try {
        const before = await auditHeadSeq(s);
        const approved = await ok(call(chair, 'POST', `/cases/${k.caseId}/plans/1/approve`, { meetingId: m.id }), 200, 'approve');
        expect(approved.status).toBe('approved');
        expect(approved.approval).toMatchObject({ meetingId: m.id, meetingTitle: '重層的支援会議（12月定例）' });
        // The approval starts the support (支援中), with its own status row.
        expect((await ok(call(lead, 'GET', `/cases/${k.caseId}`), 200)).status).toBe('in_support');
        const ev = (await auditSince(s, before)).find((e) => e.type === 'PLAN_APPROVED')!;
        expect(ev.basis).toEqual(expect.arrayContaining([{ ground: 'meeting', meetingId: m.id, legalBasis: 'consent' }]));
      } finally {
        restore();
      }
    });

    it('a support meeting (106条の6) cannot approve a plan', async () => {
      const m = await ok(
        call(chair, 'POST', '/meetings', {
          kind: 'support',
          title: '支援会議',
          startsAt: inHours(-1),
          chairUserId: chair.id,
          memberUserIds: [lead.id],
          caseIds: [k.caseId],
          purposes: { [k.caseId]: '見守りの確認' },
        }),
        201,
      );
      await ok(call(lead, 'POST', `/cases/${k.caseId}/plans`, planBody({ changeNote: '第2版' })), 201, 'v2');
      await ok(call(lead, 'POST', `/cases/${k.caseId}/plans/2/submit`), 200);
      const res = await call(chair, 'POST', `/cases/${k.caseId}/plans/2/approve`, { meetingId: m.id });
      expect(res.status).toBe(422);
      expect(messageAt(res, 'meetingId')).toMatch(/重層的支援会議/);
    });

    it('a revised version reads as a diff; exports are stamped and audited; a meeting-only reader cannot export', async () => {
      await ok(
        call(
          lead,
          'POST',
          `/cases/${k.caseId}/plans`,
          planBody({
            goals: [
              { key: 'g-son', personId: son, text: '週2回、外出できる' },
              { key: 'g-mother', personId: mother, text: '介護サービスを利用して在宅生活を続ける' },
            ],
          }),
        ),
        201,
      );
      const diff = await ok(call(lead, 'GET', `/cases/${k.caseId}/plans/3/diff?against=1`), 200);
      expect(diff.changes).toEqual([expect.objectContaining({ kind: 'goal', change: 'changed', key: 'g-son', summary: expect.stringContaining('週2回') })]);
      const pdf = await bytesOf(lead, `/cases/${k.caseId}/plans/1/plan.pdf`);
      expect(pdf.status).toBe(200);
      const text = (await pdfText(pdf.bytes)).replace(/\s+/gu, '');
      expect(text).toContain('週1回、外出できる');
      expect(text).toContain('主担当花子');
      const sheet = await bytesOf(lead, `/cases/${k.caseId}/assessments/2/assessment.pdf`);
      expect(sheet.type).toBe('application/pdf');
      expect((await pdfText(sheet.bytes)).replace(/\s+/gu, '')).toContain('息子が倒れると母の生活が止まる');
      expect((await bytesOf(team, `/cases/${k.caseId}/assessments/2/assessment.xlsx`)).type).toContain('spreadsheetml');
      const xlsx = await bytesOf(team, `/cases/${k.caseId}/plans/1/plan.xlsx`);
      expect(xlsx.status).toBe(200);
      const chairPdf = await bytesOf(chair, `/cases/${k.caseId}/plans/1/plan.pdf`);
      expect(chairPdf.status).toBe(403);
      const events = await s.services.db.selectFrom('auditEvents').select(['type', 'payload']).where('type', '=', 'FORM_EXPORTED').execute();
      expect(events.map((e) => JSON.parse(e.payload).form)).toEqual(expect.arrayContaining(['plan_pdf', 'plan_xlsx', 'assessment_pdf', 'assessment_xlsx']));
    });
  });

  describe('monitoring and the dashboard', () => {
    it('a team organization records its own actions; not the lead’s; the overdue review reaches the coordinator’s dashboard without plan text', async () => {
      const dash = await ok(call(coordinator, 'GET', '/dashboard'), 200);
      const row = dash.overdueReviews.find((r: { caseId: string }) => r.caseId === k.caseId);
      expect(row).toMatchObject({ organizationName: '地域包括支援センター 西', actions: 1 });
      expect(JSON.stringify(dash)).not.toContain('包括が月2回訪問する');
      expect((await call(team, 'GET', '/dashboard')).status).toBe(403);

      const entry = await ok(
        call(team, 'POST', `/cases/${k.caseId}/monitoring`, {
          actionKey: 'a-visit',
          status: 'stalled',
          note: '訪問を2回断られた',
          personView: '今は会いたくない',
        }),
        201,
      );
      expect(entry.personId).toBe(son);
      const mine = await call(team, 'POST', `/cases/${k.caseId}/monitoring`, { actionKey: 'a-care', status: 'done', note: '申請済み' });
      expect(mine.status).toBe(403);
      const unknown = await call(lead, 'POST', `/cases/${k.caseId}/monitoring`, { actionKey: 'a-none', status: 'done', note: 'x' });
      expect(unknown.status).toBe(422);
      expect(paths(unknown)).toEqual(['actionKey']);
      await ok(call(lead, 'POST', `/cases/${k.caseId}/monitoring`, { actionKey: 'a-care', status: 'in_progress', note: '認定調査の日程調整中' }), 201);
      const list = await ok(call(team, 'GET', `/cases/${k.caseId}/monitoring`), 200);
      expect(list.items.map((i: { note: string }) => i.note)).toEqual(['訪問を2回断られた']);
      const after = await ok(call(coordinator, 'GET', '/dashboard'), 200);
      expect(after.stalledActions.find((r: { caseId: string }) => r.caseId === k.caseId)).toMatchObject({ count: 1 });
      expect(after.plansAwaitingApproval.find((p: { caseId: string }) => p.caseId === k.caseId)).toBeUndefined();
      // The regular meeting sees the same: counts on the materials and a line on the agenda.
      const materials = await ok(call(chair, 'GET', `/meetings/${multilayerId}/materials`), 200);
      expect(materials.cases[0].attention).toEqual({ overdueReviews: 1, stalled: 1 });
      const agenda = await bytesOf(chair, `/meetings/${multilayerId}/agenda.pdf`);
      expect((await pdfText(agenda.bytes)).replace(/\s+/gu, '')).toContain('見直し期限を過ぎた支援1件、停滞・新たな課題1件');
    });
  });

  describe('advisors', () => {
    it('a request on consent needs the consent to name the advisor’s organization; the advisor reads what was tabled, the mother only as relationship and age', async () => {
      await ok(call(coordinator, 'PUT', `/advisors/${advisor.id}`, { fields: ['精神保健'], affiliation: '重ね大学' }), 200);
      const roster = await ok(call(lead, 'GET', '/advisors?field=精神保健'), 200);
      expect(roster.items.map((a: { userId: string }) => a.userId)).toEqual([advisor.id]);
      expect((await call(lead, 'PUT', `/advisors/${advisor.id}`, { fields: ['医療'] })).status).toBe(403);

      const body = {
        advisorUserId: advisor.id,
        question: '本人との関係づくりについて助言をください',
        basis: { kind: 'consent' },
        include: ['core', 'assessment', 'plan'],
      };
      const refused = await call(lead, 'POST', `/cases/${k.caseId}/advice-requests`, body);
      expect(refused.status).toBe(422);
      expect(messageAt(refused, 'basis')).toContain('髙橋 誠');
      const consent = await f.consent(lead, son, [advisor.organizationId]);
      const req = await ok(call(lead, 'POST', `/cases/${k.caseId}/advice-requests`, body), 201);
      const inbox = await ok(call(advisor, 'GET', '/advice-requests'), 200);
      expect(inbox.items.map((i: { id: string }) => i.id)).toEqual([req.id]);
      const detail = await ok(call(advisor, 'GET', `/advice-requests/${req.id}`), 200);
      expect(JSON.stringify(detail.tabled)).toContain(ASSESS);
      expect(JSON.stringify(detail.tabled)).not.toContain(MOTHER_ITEM);
      expect(JSON.stringify(detail.tabled)).not.toContain('文子');
      expect(detail.tabled.core.members).toEqual(expect.arrayContaining([expect.objectContaining({ relationship: '子', age: expect.any(Number) })]));
      expect((await call(otherAdvisor, 'GET', `/advice-requests/${req.id}`)).status).toBe(404);
      expect((await call(outsider, 'GET', `/advice-requests/${req.id}`)).status).toBe(404);
      // The case team reads the question (and later the answer), not the tabled snapshot.
      const teamView = await ok(call(team, 'GET', `/advice-requests/${req.id}`), 200);
      expect(teamView.tabled).toBeNull();
      expect((await call(team, 'POST', `/advice-requests/${req.id}/answer`, { answer: 'x' })).status).toBe(403);
      await ok(call(advisor, 'POST', `/advice-requests/${req.id}/answer`, { answer: '焦らず、母の介護を入口に関係をつくる' }), 200);
      expect((await call(advisor, 'POST', `/advice-requests/${req.id}/answer`, { answer: 'again' })).status).toBe(409);
      const list = await ok(call(team, 'GET', `/cases/${k.caseId}/advice-requests`), 200);
      expect(list.items[0]).toMatchObject({ status: 'answered', answer: '焦らず、母の介護を入口に関係をつくる' });
      // A withdrawal closes the material at once (rule 3).
      await f.withdraw(lead, consent.id, day(0));
      const closed = await ok(call(advisor, 'GET', `/advice-requests/${req.id}`), 200);
      expect(closed.tabled).toBeNull();
      expect(closed.withheld.reason).toBe('consent_missing');
      // Rule 3: the household and the question go with the ground; the advisor keeps their own answer.
      expect(closed.question).toBeNull();
      expect(closed.householdName).toBeNull();
      expect(closed.answer).toBe('焦らず、母の介護を入口に関係をつくる');
      const inboxAfter = await ok(call(advisor, 'GET', '/advice-requests'), 200);
      expect(inboxAfter.items.find((i: { id: string }) => i.id === req.id)).toMatchObject({ question: null, householdName: null, open: false });
    });
  });

  describe('meeting grounds (社会福祉法106条の6)', () => {
    let support: { id: string };
    it('an acknowledged member of a 支援会議 reads the whole plan, the unconsented mother’s parts included, but cannot export it (rule 7)', async () => {
      support = await ok(
        call(chair, 'POST', '/meetings', {
          kind: 'support',
          title: '支援会議（髙橋家）',
          startsAt: inHours(-20),
          materialsCloseDays: 1,
          chairUserId: chair.id,
          memberUserIds: [unconsented.id, advisor.id],
          caseIds: [k.caseId],
          purposes: { [k.caseId]: '母の支援と見守り体制の確認のため' },
        }),
        201,
      );
      expect((await call(unconsented, 'GET', `/cases/${k.caseId}/plans`)).status).toBe(403);
      // The mother (no problem on the case) consents naming the ハローワーク: her parts open, nothing else.
      const hers = await f.consent(lead, mother, [unconsented.organizationId]);
      const partial = await ok(call(unconsented, 'GET', `/cases/${k.caseId}/plans/1`), 200);
      expect(partial.goals.map((g: { key: string }) => g.key)).toEqual(['g-mother']);
      expect(JSON.stringify(partial)).not.toContain('週1回、外出できる');
      await f.withdraw(lead, hers.id, day(0));
      await ok(call(unconsented, 'POST', `/meetings/${support.id}/acknowledge`), 200);
      const before = await auditHeadSeq(s);
      const plan = await ok(call(unconsented, 'GET', `/cases/${k.caseId}/plans/1`), 200);
      expect(plan.goals.map((g: { key: string }) => g.key)).toEqual(['g-son', 'g-mother']);
      expect(plan.withheld).toEqual([]);
      const ev = (await auditSince(s, before)).filter((e) => e.type === 'PLAN_VIEWED');
      expect(ev.map((e) => e.personId).sort()).toEqual([son, mother].sort());
      expect(ev[0]!.basis).toEqual(expect.arrayContaining([{ ground: 'meeting', meetingId: support.id, legalBasis: 'art106-6' }]));
      expect((await bytesOf(unconsented, `/cases/${k.caseId}/plans/1/plan.pdf`)).status).toBe(403);
      // The materials window closes a day after the start (here, in 4 hours): the meeting ground ends with it (rule 5).
      const restore = setClock(() => Date.now() + 5 * 3_600_000);
      try {
        expect((await call(unconsented, 'GET', `/cases/${k.caseId}/plans/1`)).status).toBe(403);
      } finally {
        restore();
      }
    });

    it('an advice request on a 支援会議 decision: refused for an unknown meeting, a consent-based meeting or a non-member; the member advisor reads everything until excluded', async () => {
      const body = (meetingId: string, who = advisor) => ({
        advisorUserId: who.id,
        question: '母の支援について',
        basis: { kind: 'meeting', meetingId },
        include: ['assessment'],
      });
      const unknown = await call(lead, 'POST', `/cases/${k.caseId}/advice-requests`, body('0000000000000000000000000000dead'));
      expect(paths(unknown)).toEqual(['basis.meetingId']);
      const multilayer = (await s.services.db.selectFrom('meetings').select('id').where('kind', '=', 'multilayer').executeTakeFirstOrThrow()).id;
      expect(messageAt(await call(lead, 'POST', `/cases/${k.caseId}/advice-requests`, body(multilayer)), 'basis.meetingId')).toContain('not_statutory');
      expect(messageAt(await call(lead, 'POST', `/cases/${k.caseId}/advice-requests`, body(support.id, otherAdvisor)), 'basis.meetingId')).toContain(
        'advisor_not_member',
      );
      const elsewhere = await ok(
        call(chair, 'POST', '/meetings', {
          kind: 'support',
          title: '別の支援会議',
          startsAt: inHours(-1),
          chairUserId: chair.id,
          memberUserIds: [advisor.id],
          caseIds: [],
        }),
        201,
      );
      expect(messageAt(await call(lead, 'POST', `/cases/${k.caseId}/advice-requests`, body(elsewhere.id)), 'basis.meetingId')).toContain('case_not_on_agenda');
      const req = await ok(call(lead, 'POST', `/cases/${k.caseId}/advice-requests`, body(support.id)), 201);
      // Not yet acknowledged: the material stays closed.
      expect((await ok(call(advisor, 'GET', `/advice-requests/${req.id}`), 200)).tabled).toBeNull();
      await ok(call(advisor, 'POST', `/meetings/${support.id}/acknowledge`), 200);
      const open = await ok(call(advisor, 'GET', `/advice-requests/${req.id}`), 200);
      expect(JSON.stringify(open.tabled)).toContain(MOTHER_ITEM);
      await ok(call(chair, 'POST', `/meetings/${support.id}/cases/${k.caseId}/exclusions`, { userId: advisor.id }), 201);
      const closed = await ok(call(advisor, 'GET', `/advice-requests/${req.id}`), 200);
      expect(closed.tabled).toBeNull();
      expect(closed.withheld.reason).toBe('meeting_ground_lost');
      expect(messageAt(await call(lead, 'POST', `/cases/${k.caseId}/advice-requests`, body(support.id)), 'basis.meetingId')).toContain('advisor_excluded');
    });
  });

  describe('termination', () => {
    it('closing through the status route is refused once a plan exists; every goal must be evaluated and someone must keep watching; nothing is half-written', async () => {
      const st = await call(lead, 'POST', `/cases/${k.caseId}/status`, { to: 'closed', reason: 'goal_achieved' });
      expect(st.status).toBe(422);
      expect(paths(st)).toEqual(['to']);
      const before = await auditHeadSeq(s);
      const bad = await call(lead, 'POST', `/cases/${k.caseId}/termination`, {
        reason: 'goal_achieved',
        evaluations: [{ goalKey: 'g-son', outcome: 'partly', why: '外出は月2回まで' }],
        watchers: [],
      });
      expect(bad.status).toBe(422);
      expect(paths(bad)).toEqual(expect.arrayContaining(['evaluations', 'watchers']));
      expect(messageAt(bad, 'evaluations')).toContain('介護サービスを利用して');
      const noDate = await call(lead, 'POST', `/cases/${k.caseId}/termination`, {
        reason: 'goal_achieved',
        evaluations: [
          { goalKey: 'g-son', outcome: 'partly', why: '外出は月2回まで' },
          { goalKey: 'g-mother', outcome: 'achieved', why: '介護サービス利用開始' },
        ],
        watchers: [{ organizationId: team.organizationId, how: '月1回の電話' }],
      });
      expect(paths(noDate)).toEqual(['recheckOn']);
      expect(await s.services.db.selectFrom('terminations').select('id').execute()).toEqual([]);
      expect((await auditSince(s, before)).filter((e) => e.type === 'CASE_TERMINATED')).toEqual([]);
      expect((await call(team, 'POST', `/cases/${k.caseId}/termination`, {})).status).toBe(400);
    });

    it('the lead records the evaluation and the case closes; the team reads it; a new problem reopens the case', async () => {
      const closed = await ok(
        call(lead, 'POST', `/cases/${k.caseId}/termination`, {
          reason: 'goal_achieved',
          evaluations: [
            { goalKey: 'g-son', outcome: 'partly', why: '外出は月2回まで' },
            { goalKey: 'g-mother', outcome: 'achieved', why: '介護サービス利用開始' },
          ],
          watchers: [{ organizationId: team.organizationId, how: '月1回の電話' }],
          recheckOn: day(90),
        }),
        201,
      );
      expect(closed).toMatchObject({ status: 'closed', closingReason: 'goal_achieved' });
      const seen = await ok(call(team, 'GET', `/cases/${k.caseId}/termination`), 200);
      expect(seen.items[0].evaluations.map((e: { goalKey: string }) => e.goalKey)).toEqual(['g-son']);
      expect(seen.items[0].watchers[0]).toMatchObject({ organizationName: '地域包括支援センター 西' });
      expect((await call(lead, 'POST', `/cases/${k.caseId}/monitoring`, { status: 'done', note: 'x' })).status).toBe(409);
      const reopened = await ok(
        call(lead, 'POST', `/cases/${k.caseId}/reopen`, { problems: [{ personId: mother, type: '認知症' }], note: '母の認知症が進み再相談' }),
        200,
      );
      expect(reopened.status).toBe('assessment');
      expect((await call(lead, 'POST', `/cases/${k.caseId}/reopen`, { problems: [{ personId: mother, type: '認知症' }], note: 'x' })).status).toBe(409);
    });
  });

  describe('withdrawal', () => {
    it('the consent-based meeting’s chair reads the plan only while every person with a problem consents; a withdrawal closes it at once', async () => {
      // Reopening added the mother's 認知症: without her consent the 重層的支援会議 may not hold the case (rule 3).
      expect((await call(chair, 'GET', `/cases/${k.caseId}/plans`)).status).toBe(403);
      const L = lead.organizationId;
      const mothers = await f.consent(lead, mother, [L, team.organizationId, chair.organizationId]);
      const open = await ok(call(chair, 'GET', `/cases/${k.caseId}/plans`), 200);
      expect(open.current.goals.map((g: { key: string }) => g.key)).toEqual(['g-son', 'g-mother']);
      await f.withdraw(lead, consentIds.son, day(0));
      expect((await call(chair, 'GET', `/cases/${k.caseId}/plans`)).status).toBe(403);
      const teamView = await ok(call(team, 'GET', `/cases/${k.caseId}/plans`), 200);
      expect(teamView.current.goals.map((g: { key: string }) => g.key)).toEqual(['g-mother']);
      await f.withdraw(lead, mothers.id, day(0));
      expect((await call(team, 'GET', `/cases/${k.caseId}/plans`)).status).toBe(403);
      expect((await call(lead, 'GET', `/cases/${k.caseId}/plans`)).status).toBe(200);
      // Own work (rule 1): the 包括 still reads the monitoring it wrote, and nothing else.
      const own = await ok(call(team, 'GET', `/cases/${k.caseId}/monitoring`), 200);
      expect(own.items.map((i: { note: string }) => i.note)).toEqual(['訪問を2回断られた']);
      expect((await call(outsider, 'GET', `/cases/${k.caseId}/monitoring`)).status).toBe(404);
    });
  });
});
