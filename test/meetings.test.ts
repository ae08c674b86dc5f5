/**
 * Meetings (issue 4; product.md rules 2, 3, 4, 5, 7, 9; api.md meeting rows), on both
 * databases: every meeting route's status, body and audit rows, the Japanese field errors,
 * and the "Done when" — a 支援会議 on an unconsented case opens its materials to
 * acknowledged members and nobody else; a 重層的支援会議 on that case is refused until the
 * persons consent, then works, and drops the case the moment a consent is withdrawn — plus the
 * materials window, recurrence and removal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../src/forms/meetings/testSupport.ts';
import { setClock } from '../src/lib/clock.ts';
import { auditHeadSeq, auditSince } from './helpers/audit.ts';
import { type Account, factories } from './helpers/factories.ts';
import { expectStatus, KINDS, type Res, startServer, type TestServer } from './helpers/server.ts';

const JA = /[\u3040-\u30ff\u4e00-\u9fff]/;
const MISSING = '0000000000000000000000000000dead';
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const paths = (res: Res) => (res.json?.errors ?? []).map((e: { path: string }) => e.path);
const messageAt = (res: Res, path: string) => (res.json?.errors ?? []).find((e: { path: string }) => e.path === path)?.message as string | undefined;

describe.each(KINDS)('meetings (%s)', (kind) => {
  let s: TestServer;
  let f: ReturnType<typeof factories>;
  let L: { id: string; name: string };
  let T: { id: string; name: string };
  let O: { id: string; name: string };
  let chair: Account;
  let leadCw: Account;
  let teamCw: Account;
  let member: Account;
  let external: Account;
  let outsider: Account;
  let auditor: Account;
  let k: Awaited<ReturnType<ReturnType<typeof factories>['caseWith']>>;
  let records: { lead: string; leadTax: string; team: string };
  const SUMMARY = '会議でだけ共有される概要（8050世帯）';

  const call = (who: Account | null, method: string, path: string, body?: unknown) => s.call(who?.token ?? null, method, path, body);
  const ok = async (res: Promise<Res>, status: number, what = '') => expectStatus(await res, status, what).json;
  const audited = async (fn: () => Promise<Res>) => {
    const before = await auditHeadSeq(s);
    const res = await fn();
    return { res, events: await auditSince(s, before) };
  };
  const pdfOf = async (who: Account, path: string) => {
    const res = await fetch(`${s.url}/api/v1${path}`, { headers: { authorization: `Bearer ${who.token}` } });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      disposition: res.headers.get('content-disposition'),
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  };
  const flat = (t: string) => t.replace(/\s+/gu, '');
  const supportBody = (over: Record<string, unknown> = {}) => ({
    kind: 'support',
    title: '支援会議（8050世帯）',
    startsAt: inDays(2),
    chairUserId: chair.id,
    memberUserIds: [teamCw.id, member.id, external.id],
    caseIds: [k.caseId],
    purposes: { [k.caseId]: '見守り体制と役割分担の確認のため' },
    ...over,
  });

  beforeAll(async () => {
    s = await startServer(kind);
    f = factories(s);
    L = await f.org('重ね市 福祉まるごと相談課', '行政機関', ['福祉']);
    T = await f.org('地域包括支援センター 東', '相談支援機関', ['高齢']);
    O = await f.org('ＮＰＯ法人 よりそい', 'NPO');
    chair = await f.user(undefined, L.id, ['chair'], '総括 課長');
    leadCw = await f.user(undefined, L.id, ['caseworker'], '主担当 花子');
    teamCw = await f.user(undefined, T.id, ['caseworker'], '包括 一郎');
    member = await f.user(undefined, O.id, ['caseworker'], '委員 次郎');
    external = await f.user(undefined, O.id, ['external_member'], '民生委員 三郎');
    outsider = await f.user(undefined, O.id, ['caseworker'], '部外 四郎');
    auditor = await f.user(undefined, (await f.org('監査室', '行政機関')).id, ['auditor'], '監査 五郎');
    k = await f.caseWith({
      lead: leadCw,
      persons: [
        { familyName: '山田', givenName: '一郎', birthDate: '1965-04-01' },
        { familyName: '山田', givenName: '花', birthDate: '1935-01-01' },
      ],
      problemsOf: [0],
      summary: SUMMARY,
      teamOrgIds: [T.id],
    });
    records = {
      lead: (await f.record(leadCw, k.caseId, '主担当の面談記録', 'normal', k.persons[0]!.id)).id,
      leadTax: (await f.record(leadCw, k.caseId, '滞納の記録（税情報）', 'tax', k.persons[0]!.id)).id,
      team: (await f.record(teamCw, k.caseId, '包括の訪問記録（機微）', 'sensitive', k.persons[0]!.id)).id,
    };
  }, 60_000);
  afterAll(() => s?.stop());

  describe('convening: validation in Japanese, refusal of non-chairs', () => {
    it('a case_conference without legalBasis, a support meeting without purposes, unknown users and cases: 422; a bad startsAt: 400; field errors in Japanese', async () => {
      const before = await auditHeadSeq(s);
      const noBasis = await call(chair, 'POST', '/meetings', supportBody({ kind: 'case_conference' }));
      expect(noBasis.status).toBe(422);
      expect(paths(noBasis)).toContain('legalBasis');
      expect(messageAt(noBasis, 'legalBasis')).toMatch(JA);

      const noPurpose = await call(chair, 'POST', '/meetings', supportBody({ purposes: undefined }));
      expect(noPurpose.status).toBe(422);
      expect(paths(noPurpose)).toEqual([`purposes.${k.caseId}`]);
      expect(messageAt(noPurpose, `purposes.${k.caseId}`)).toMatch(JA);

      const unknown = await call(chair, 'POST', '/meetings', supportBody({ memberUserIds: [teamCw.id, MISSING], caseIds: [k.caseId, MISSING] }));
      expect(unknown.status).toBe(422);
      expect(paths(unknown)).toEqual(expect.arrayContaining(['memberUserIds.1', 'caseIds.1']));
      expect(messageAt(unknown, 'memberUserIds.1')).toMatch(JA);

      for (const startsAt of ['2026-13-01T10:00:00+09:00', '2026-12-03 14:00', '明日の午後']) {
        // A schema refusal (api.md: 400 for malformed input, with the same field-level errors).
        const bad = await call(chair, 'POST', '/meetings', supportBody({ startsAt }));
        expect(bad.status, startsAt).toBe(400);
        expect(paths(bad)).toContain('startsAt');
        expect(messageAt(bad, 'startsAt')).toMatch(JA);
      }
      const en = await s.call(chair.token, 'POST', '/meetings', supportBody({ kind: 'case_conference' }), { 'accept-language': 'en' });
      expect(messageAt(en, 'legalBasis')).not.toMatch(JA);
      // Nothing stored, nothing but reads audited.
      expect((await auditSince(s, before)).filter((e) => e.type.startsWith('MEETING'))).toEqual([]);
      expect(await s.services.db.selectFrom('meetings').select('id').execute()).toEqual([]);
    });

    it('only a chair convenes (403 for a caseworker, 401 without a token)', async () => {
      expect((await call(leadCw, 'POST', '/meetings', supportBody())).status).toBe(403);
      expect((await call(null, 'POST', '/meetings', supportBody())).status).toBe(401);
    });
  });

  describe('a 支援会議 on an unconsented case', () => {
    let mid: string;
    let taskId: string;

    it('convenes (201): header without case content, MEETING_CONVENED audited, notices in the members’ inboxes', async () => {
      const { res, events } = await audited(() => call(chair, 'POST', '/meetings', supportBody()));
      expect(res.status).toBe(201);
      mid = res.json.id;
      expect(res.json).toMatchObject({ kind: 'support', legalBasis: 'art106-6', statutoryConfidentiality: true, materialsOpen: true, caseCount: 1 });
      expect(res.json.members.map((m: any) => m.userId).sort()).toEqual([chair.id, teamCw.id, member.id, external.id].sort());
      expect(res.text).not.toContain(SUMMARY);
      const convened = events.find((e) => e.type === 'MEETING_CONVENED')!;
      expect(convened).toMatchObject({ actorUserId: chair.id, subjectType: 'meeting', subjectId: mid });
      expect(convened.payload).toMatchObject({ kind: 'support', legalBasis: 'art106-6', caseIds: [k.caseId] });
      expect(events.filter((e) => e.type === 'MEETING_MATERIALS_TABLED').map((e) => e.basis)).toContainEqual([
        { ground: 'meeting', meetingId: mid, legalBasis: 'art106-6' },
      ]);
      const inbox = await ok(call(member, 'GET', '/notifications'), 200);
      expect(JSON.stringify(inbox)).toContain(mid);
      // materialsCloseAt: 7 days after the start by default.
      expect(Date.parse(res.json.materialsCloseAt) - Date.parse(res.json.startsAt)).toBe(7 * 86_400_000);
    });

    it('the header: invited members and the chair; others 404 (ACCESS_DENIED audited)', async () => {
      for (const who of [chair, teamCw, member, external]) expect((await call(who, 'GET', `/meetings/${mid}`)).status).toBe(200);
      for (const who of [outsider, leadCw, auditor]) {
        const { res, events } = await audited(() => call(who, 'GET', `/meetings/${mid}`));
        expect(res.status).toBe(404);
        expect(events.map((e) => [e.type, e.outcome])).toEqual([['ACCESS_DENIED', 'denied']]);
      }
      expect((await call(s.admin as any, 'GET', `/meetings/${mid}`)).status).toBe(404);
      const missing = await call(outsider, 'GET', `/meetings/${MISSING}`);
      const hidden = await call(outsider, 'GET', `/meetings/${mid}`);
      expect({ ...hidden.json, requestId: 0 }).toEqual({ ...missing.json, requestId: 0 });
    });

    it('materials: 403 until acknowledged (ACCESS_DENIED), then open to the acknowledged member with the purpose, the core and 支援会議限り', async () => {
      const refused = await audited(() => call(member, 'GET', `/meetings/${mid}/materials`));
      expect(refused.res.status).toBe(403);
      expect(refused.res.json.detail).toMatch(JA);
      expect(refused.res.text).not.toContain(SUMMARY);
      expect(refused.events.map((e) => [e.type, e.subjectType])).toEqual([['ACCESS_DENIED', 'meeting_materials']]);
      expect((await call(member, 'GET', `/meetings/${mid}/minutes`)).status).toBe(403);

      const ack = await audited(() => call(member, 'POST', `/meetings/${mid}/acknowledge`));
      expect(ack.res.status).toBe(200);
      expect(ack.res.json).toMatchObject({ meetingId: mid, userId: member.id, legalBasis: 'art106-6' });
      expect(ack.events.map((e) => e.type)).toEqual(['MEETING_ACKNOWLEDGED']);
      // Idempotent: the first time stands.
      const again = await audited(() => call(member, 'POST', `/meetings/${mid}/acknowledge`));
      expect(again.res.json.acknowledgedAt).toBe(ack.res.json.acknowledgedAt);
      expect(again.events).toEqual([]);

      const { res, events } = await audited(() => call(member, 'GET', `/meetings/${mid}/materials`));
      expect(res.status).toBe(200);
      expect(res.json.label).toBe('支援会議限り');
      expect(res.json.cases).toHaveLength(1);
      expect(res.json.cases[0].purpose).toBe('見守り体制と役割分担の確認のため');
      expect(res.text).toContain(SUMMARY);
      expect(res.text).toContain('山田 一郎');
      expect(res.text).toContain('山田 花'); // a 支援会議 may share about members who have not consented
      const opened = events.filter((e) => e.type === 'MEETING_MATERIALS_OPENED');
      expect(opened.map((e) => e.personId).sort()).toEqual(k.persons.map((p) => p.id).sort());
      for (const e of opened) expect(e.basis).toEqual([{ ground: 'meeting', meetingId: mid, legalBasis: 'art106-6' }]);
    });

    it('nobody else: not the outsider, the administrator, the auditor, the team organization outside the meeting, the unacknowledged member', async () => {
      for (const who of [outsider, auditor, leadCw]) expect((await call(who, 'GET', `/meetings/${mid}/materials`)).status).toBe(404);
      expect((await s.call(s.admin.token, 'GET', `/meetings/${mid}/materials`)).status).toBe(404);
      expect((await call(external, 'GET', `/meetings/${mid}/materials`)).status).toBe(403);
      // The team organization's own view of the case is unchanged: no consent, no summary.
      const other = await f.user(undefined, T.id, ['caseworker']);
      const kase = await ok(call(other, 'GET', `/cases/${k.caseId}`), 200);
      expect(JSON.stringify(kase)).not.toContain(SUMMARY);
      expect((await call(other, 'GET', `/meetings/${mid}/materials`)).status).toBe(404);
    });

    it('tabling: own records only (snapshot, MEETING_MATERIALS_TABLED); another’s record 422; 税情報 never without rule 4', async () => {
      await ok(call(teamCw, 'POST', `/meetings/${mid}/acknowledge`), 200);
      const { res, events } = await audited(() => call(teamCw, 'POST', `/meetings/${mid}/table`, { caseId: k.caseId, recordIds: [records.team] }));
      expect(res.status).toBe(201);
      expect(res.json.tabled).toHaveLength(1);
      expect(events.map((e) => e.type)).toEqual(['MEETING_MATERIALS_TABLED']);
      expect(events[0]!.basis).toEqual([{ ground: 'meeting', meetingId: mid, legalBasis: 'art106-6' }]);
      const materials = await ok(call(member, 'GET', `/meetings/${mid}/materials`), 200);
      expect(JSON.stringify(materials)).toContain('包括の訪問記録（機微）');

      const notOwn = await call(teamCw, 'POST', `/meetings/${mid}/table`, { caseId: k.caseId, recordIds: [records.lead] });
      expect(notOwn.status).toBe(422);
      expect(paths(notOwn)).toEqual(['recordIds.0']);
      await ok(call(chair, 'POST', `/meetings/${mid}/acknowledge`), 200);
      const tax = await call(chair, 'POST', `/meetings/${mid}/table`, { caseId: k.caseId, recordIds: [records.leadTax] });
      expect(tax.status).toBe(422);
      expect(messageAt(tax, 'recordIds.0')).toMatch(JA);
      expect(JSON.stringify(await ok(call(member, 'GET', `/meetings/${mid}/materials`), 200))).not.toContain('滞納');
      // A non-member cannot table at all.
      expect((await call(outsider, 'POST', `/meetings/${mid}/table`, { caseId: k.caseId, recordIds: [records.team] })).status).toBe(404);
    });

    it('minutes (chair only), sign-off, and reading them: acknowledged members', async () => {
      expect((await call(member, 'POST', `/meetings/${mid}/minutes`, { body: '記録' })).status).toBe(403);
      expect((await call(chair, 'POST', `/meetings/${mid}/minutes`, { body: '記録', attendeeUserIds: [MISSING] })).status).toBe(422);
      const { res, events } = await audited(() =>
        call(chair, 'POST', `/meetings/${mid}/minutes`, {
          body: '会議記録：月1回の訪問で見守る。',
          decisions: ['包括が訪問する'],
          attendeeUserIds: [member.id, teamCw.id],
        }),
      );
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ body: '会議記録：月1回の訪問で見守る。', decisions: ['包括が訪問する'], signedAt: null });
      expect(events.map((e) => e.type)).toEqual(['MEETING_MINUTES_RECORDED']);
      const signed = await audited(() => call(chair, 'POST', `/meetings/${mid}/minutes/sign`));
      expect(signed.res.status).toBe(200);
      expect(signed.res.json.signedAt).toBeTruthy();
      expect(signed.events.map((e) => e.type)).toEqual(['MEETING_MINUTES_SIGNED']);
      expect((await call(member, 'POST', `/meetings/${mid}/minutes/sign`)).status).toBe(403);
      const read = await ok(call(member, 'GET', `/meetings/${mid}/minutes`), 200);
      expect(read.signedAt).toBe(signed.res.json.signedAt);
      expect((await call(external, 'GET', `/meetings/${mid}/minutes`)).status).toBe(403);
      expect((await call(outsider, 'GET', `/meetings/${mid}/minutes`)).status).toBe(404);
    });

    it('role assignment: a task for the organization (TASK_ASSIGNED), in its “my tasks”, status by the organization only', async () => {
      const bad = await call(chair, 'POST', `/meetings/${mid}/assignments`, { caseId: MISSING, organizationId: MISSING, task: '訪問' });
      expect(bad.status).toBe(422);
      expect(paths(bad).sort()).toEqual(['caseId', 'organizationId']);
      expect((await call(member, 'POST', `/meetings/${mid}/assignments`, { caseId: k.caseId, organizationId: T.id, task: '訪問' })).status).toBe(403);
      const { res, events } = await audited(() =>
        call(chair, 'POST', `/meetings/${mid}/assignments`, { caseId: k.caseId, organizationId: T.id, task: '月1回の見守り訪問（包括）', dueOn: '2030-04-30' }),
      );
      expect(res.status).toBe(201);
      taskId = res.json.id;
      expect(res.json).toMatchObject({ organizationId: T.id, status: 'open', dueOn: '2030-04-30' });
      expect(events.map((e) => e.type)).toEqual(['TASK_ASSIGNED']);
      expect(events[0]!.basis).toEqual([{ ground: 'meeting', meetingId: mid, legalBasis: 'art106-6' }]);
      // A task, not team membership.
      expect(
        await s.services.db.selectFrom('caseTeam').select('organizationId').where('caseId', '=', k.caseId).where('organizationId', '=', O.id).execute(),
      ).toEqual([]);
      const mine = await ok(call(teamCw, 'GET', '/tasks'), 200);
      expect(mine.items.map((t: any) => t.task)).toContain('月1回の見守り訪問（包括）');
      expect(JSON.stringify(await ok(call(member, 'GET', '/tasks'), 200))).not.toContain('見守り訪問');
      expect(JSON.stringify(await ok(call(external, 'GET', '/tasks'), 200))).not.toContain('見守り訪問');
      expect((await call(leadCw, 'POST', `/tasks/${taskId}/status`, { status: 'done' })).status).toBe(404);
      const st = await audited(() => call(teamCw, 'POST', `/tasks/${taskId}/status`, { status: 'in_progress' }));
      expect(st.res.status).toBe(200);
      expect(st.res.json.status).toBe('in_progress');
      expect(st.events.map((e) => e.type)).toEqual(['TASK_STATUS_CHANGED']);
    });

    it('adding a case (chair: its core tabled, MEETING_CASE_ADDED; twice 409; a case the chair cannot see 422); members added and removed', async () => {
      const k2 = await f.caseWith({ lead: leadCw, persons: [{ familyName: '佐藤', givenName: '誠' }] });
      expect((await call(chair, 'POST', `/meetings/${mid}/cases`, { caseId: k2.caseId, purpose: '' })).status).toBe(400);
      const { res, events } = await audited(() => call(chair, 'POST', `/meetings/${mid}/cases`, { caseId: k2.caseId, purpose: '住まいの確保' }));
      expect(res.status).toBe(200);
      expect(res.json.caseCount).toBe(2);
      expect(events.map((e) => e.type)).toEqual(['MEETING_CASE_ADDED', 'MEETING_MATERIALS_TABLED']);
      expect((await call(chair, 'POST', `/meetings/${mid}/cases`, { caseId: k2.caseId, purpose: '住まいの確保' })).status).toBe(409);
      const foreign = await f.caseWith();
      const unseen = await call(chair, 'POST', `/meetings/${mid}/cases`, { caseId: foreign.caseId, purpose: '調整' });
      expect(unseen.status).toBe(422);
      expect(paths(unseen)).toEqual(['caseId']);
      expect((await call(member, 'POST', `/meetings/${mid}/cases`, { caseId: k2.caseId, purpose: 'x' })).status).toBe(403);

      const added = await audited(() => call(chair, 'POST', `/meetings/${mid}/members`, { userId: outsider.id }));
      expect(added.res.status).toBe(200);
      expect(added.events.map((e) => e.type)).toEqual(['MEETING_MEMBER_ADDED']);
      expect((await call(chair, 'POST', `/meetings/${mid}/members`, { userId: outsider.id })).status).toBe(422);
      expect((await call(chair, 'POST', `/meetings/${mid}/members`, { userId: MISSING })).status).toBe(422);
      expect((await call(member, 'POST', `/meetings/${mid}/members`, { userId: leadCw.id })).status).toBe(403);
      expect((await call(chair, 'DELETE', `/meetings/${mid}/members/${chair.id}`)).status).toBe(409);
    });

    it('the printable 誓約書 (chair only): the meeting, 和暦, the clause with its article, the pledge, the blanks, the stamp; no case content; FORM_EXPORTED', async () => {
      const { res, events } = await audited(async () => {
        const r = await pdfOf(chair, `/meetings/${mid}/pledge.pdf`);
        return { status: r.status, json: null, text: '', headers: new Headers(), r } as unknown as Res;
      });
      const r = (res as unknown as { r: Awaited<ReturnType<typeof pdfOf>> }).r;
      expect(r.status).toBe(200);
      expect(r.type).toBe('application/pdf');
      expect(r.disposition).toBe(`attachment; filename="pledge-${mid}.pdf"`);
      expect(events.map((e) => [e.type, (e.payload as any)?.form])).toEqual([['FORM_EXPORTED', 'meeting_pledge']]);
      const t = flat(pdfText(r.bytes));
      expect(t).toContain('誓約書');
      expect(t).toContain(flat('支援会議（8050世帯）'));
      expect(t).toMatch(/令和\d+年\d+月\d+日/);
      expect(t).toContain('守秘義務について（社会福祉法第106条の6第5項）');
      expect(t).toContain('1年以下の拘禁刑又は100万円以下の罰金');
      expect(t).toContain('根拠条文：社会福祉法第106条の6第5項');
      expect(t).toContain('私は、上記の守秘義務を理解し、本会議で知り得た秘密を漏らさないことを誓約します。');
      for (const blank of ['日付', '所属', '氏名（署名）']) expect(t).toContain(blank);
      expect(t).toContain(flat('出力者：総括 課長'));
      for (const secret of [SUMMARY, '見守り体制と役割分担の確認のため', '山田', '住まいの確保']) expect(t).not.toContain(flat(secret));
      expect((await pdfOf(member, `/meetings/${mid}/pledge.pdf`)).status).toBe(403);
      expect((await pdfOf(leadCw, `/meetings/${mid}/pledge.pdf`)).status).toBe(404);
      expect((await pdfOf(chair, `/meetings/${MISSING}/pledge.pdf`)).status).toBe(404);
    });

    it('membership per agenda item: an excluded member reads nothing of that case (materials, agenda PDF, tasks, tabling); the header shows only their count', async () => {
      await ok(call(teamCw, 'POST', `/meetings/${mid}/acknowledge`), 200);
      const url = `/meetings/${mid}/cases/${k.caseId}/exclusions`;
      // Chair only; the case must be on the agenda and the user a member other than the chair.
      expect((await call(member, 'POST', url, { userId: teamCw.id })).status).toBe(403);
      expect((await call(leadCw, 'POST', url, { userId: member.id })).status).toBe(404);
      const offAgenda = await call(chair, 'POST', `/meetings/${mid}/cases/${MISSING}/exclusions`, { userId: member.id });
      expect(offAgenda.status).toBe(422);
      expect(paths(offAgenda)).toEqual(['caseId']);
      expect(messageAt(offAgenda, 'caseId')).toMatch(JA);
      const notMember = await call(chair, 'POST', url, { userId: leadCw.id });
      expect(notMember.status).toBe(422);
      expect(paths(notMember)).toEqual(['userId']);
      expect(messageAt(notMember, 'userId')).toMatch(JA);
      expect(paths(await call(chair, 'POST', url, { userId: chair.id }))).toEqual(['userId']);
      expect((await call(chair, 'POST', url, {})).status).toBe(400);

      const before = await ok(call(member, 'GET', `/meetings/${mid}/materials`), 200);
      expect(before.cases.map((c: any) => c.caseId)).toContain(k.caseId);
      const { res, events } = await audited(() => call(chair, 'POST', url, { userId: member.id }));
      expect(res.status).toBe(201);
      expect(res.json.excluded.map((e: any) => e.userId)).toEqual([member.id]);
      expect(events.map((e) => [e.type, e.caseId, (e.payload as any)?.userId])).toEqual([['MEETING_CASE_EXCLUSION_ADDED', k.caseId, member.id]]);
      const twice = await audited(() => call(chair, 'POST', url, { userId: member.id }));
      expect(twice.res.status).toBe(200);
      expect(twice.events).toEqual([]);

      // The excluded member: the case is gone from the materials, the agenda PDF and the tasks; no tabling into it.
      const mat = await call(member, 'GET', `/meetings/${mid}/materials`);
      expect(mat.status).toBe(200);
      expect(mat.json.cases.map((c: any) => c.caseId)).not.toContain(k.caseId);
      expect(mat.text).not.toContain(k.caseId);
      expect(mat.text).not.toContain(SUMMARY);
      expect(mat.text).not.toContain('見守り体制と役割分担の確認のため');
      const agenda = await pdfOf(member, `/meetings/${mid}/agenda.pdf`);
      expect(agenda.status).toBe(200);
      expect(flat(pdfText(agenda.bytes))).not.toContain(flat(SUMMARY));
      const tasks = await ok(call(member, 'GET', `/meetings/${mid}/assignments`), 200);
      expect(tasks.items.map((t: any) => t.caseId)).not.toContain(k.caseId);
      const tabled = await call(member, 'POST', `/meetings/${mid}/table`, { caseId: k.caseId, recordIds: [records.lead] });
      expect(tabled.status).toBe(422);
      expect(paths(tabled)).toEqual(['caseId']);
      // The header: the viewer's own count only, no ids, nothing about the others.
      const mine = await ok(call(member, 'GET', `/meetings/${mid}`), 200);
      expect(mine.me.excludedCaseCount).toBe(1);
      expect(JSON.stringify(mine)).not.toContain(k.caseId);
      expect((await ok(call(teamCw, 'GET', `/meetings/${mid}`), 200)).me.excludedCaseCount).toBe(0);
      expect((await ok(call(chair, 'GET', `/meetings/${mid}`), 200)).me.excludedCaseCount).toBe(0);
      // Positive control: another acknowledged member still reads the case.
      const other = await call(teamCw, 'GET', `/meetings/${mid}/materials`);
      expect(other.json.cases.map((c: any) => c.caseId)).toContain(k.caseId);
      expect(other.text).toContain(SUMMARY);
      expect(flat(pdfText((await pdfOf(teamCw, `/meetings/${mid}/agenda.pdf`)).bytes))).toContain(flat(SUMMARY));

      // Lifting it (chair; audited) opens the case again; lifting twice 404.
      const del = `${url}/${member.id}`;
      expect((await call(member, 'DELETE', del)).status).toBe(403);
      expect(paths(await call(chair, 'DELETE', `/meetings/${mid}/cases/${MISSING}/exclusions/${member.id}`))).toEqual(['caseId']);
      const lifted = await audited(() => call(chair, 'DELETE', del));
      expect(lifted.res.status).toBe(200);
      expect(lifted.res.json.excluded).toEqual([]);
      expect(lifted.events.map((e) => [e.type, e.caseId, (e.payload as any)?.userId])).toEqual([['MEETING_CASE_EXCLUSION_REMOVED', k.caseId, member.id]]);
      expect((await call(chair, 'DELETE', del)).status).toBe(404);
      expect((await ok(call(member, 'GET', `/meetings/${mid}/materials`), 200)).cases.map((c: any) => c.caseId)).toContain(k.caseId);
      expect((await ok(call(member, 'GET', `/meetings/${mid}`), 200)).me.excludedCaseCount).toBe(0);
    });

    it('removing a member ends their access at once (header, materials, minutes: 404)', async () => {
      await ok(call(outsider, 'POST', `/meetings/${mid}/acknowledge`), 200);
      expect((await call(outsider, 'GET', `/meetings/${mid}/materials`)).status).toBe(200);
      const { res, events } = await audited(() => call(chair, 'DELETE', `/meetings/${mid}/members/${outsider.id}`));
      expect(res.status).toBe(200);
      expect(res.json.map((m: any) => m.userId)).not.toContain(outsider.id);
      expect(events.map((e) => e.type)).toEqual(['MEETING_MEMBER_REMOVED']);
      for (const p of ['', '/materials', '/minutes']) expect((await call(outsider, 'GET', `/meetings/${mid}${p}`)).status, p).toBe(404);
      expect((await call(chair, 'DELETE', `/meetings/${mid}/members/${outsider.id}`)).status).toBe(404);
    });

    it('after the window: materials 403 for everyone; the chair keeps the minutes; the assignee keeps its task text', async () => {
      const header = await ok(call(chair, 'GET', `/meetings/${mid}`), 200);
      const later = Date.parse(header.materialsCloseAt) + 60_000;
      const started = Date.now();
      const restore = setClock(() => later + (Date.now() - started));
      try {
        const again = async (a: Account) => ({
          ...a,
          token: (await ok(s.call(null, 'POST', '/auth/token', { loginId: a.loginId, password: a.password }), 200)).token,
        });
        const [c, m, t] = [await again(chair), await again(member), await again(teamCw)];
        const closed = await audited(() => call(m, 'GET', `/meetings/${mid}/materials`));
        expect(closed.res.status).toBe(403);
        expect(closed.res.text).not.toContain(SUMMARY);
        expect(closed.events.map((e) => [e.type, e.payload?.reason])).toEqual([['ACCESS_DENIED', 'rule.materials_closed']]);
        expect((await call(c, 'GET', `/meetings/${mid}/materials`)).status).toBe(403);
        expect((await call(c, 'GET', `/meetings/${mid}/agenda.pdf`)).status).toBe(403);
        expect((await call(m, 'GET', `/meetings/${mid}/minutes`)).status).toBe(403);
        expect((await call(c, 'GET', `/meetings/${mid}/minutes`)).json.body).toBe('会議記録：月1回の訪問で見守る。');
        expect((await call(t, 'POST', `/meetings/${mid}/table`, { caseId: k.caseId, recordIds: [records.team] })).status).toBe(403);
        const tasks = await ok(call(t, 'GET', '/tasks'), 200);
        expect(tasks.items.map((x: any) => x.task)).toContain('月1回の見守り訪問（包括）');
        // The header (no case content) and the notice stay readable to members.
        expect((await call(m, 'GET', `/meetings/${mid}`)).json.materialsOpen).toBe(false);
      } finally {
        restore();
      }
    });
  });

  it('the chair, too, acknowledges before reading the minutes (rule 5)', async () => {
    const m = await ok(call(chair, 'POST', '/meetings', supportBody({ memberUserIds: [member.id] })), 201);
    await ok(call(chair, 'POST', `/meetings/${m.id}/minutes`, { body: '議長の記録' }), 200);
    const refused = await call(chair, 'GET', `/meetings/${m.id}/minutes`);
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('議長の記録');
    await ok(call(chair, 'POST', `/meetings/${m.id}/acknowledge`), 200);
    expect((await ok(call(chair, 'GET', `/meetings/${m.id}/minutes`), 200)).body).toBe('議長の記録');
  });

  describe('a 重層的支援会議 on the same case: refused until the persons consent, then works, drops the case on withdrawal', () => {
    let k3: typeof k;
    let consentId: string;
    let mid: string;
    const body = () => ({
      kind: 'multilayer',
      title: '重層的支援会議（プランの確認）',
      startsAt: inDays(3),
      chairUserId: chair.id,
      memberUserIds: [teamCw.id],
      caseIds: [k3.caseId],
    });

    beforeAll(async () => {
      k3 = await f.caseWith({
        lead: leadCw,
        persons: [
          { familyName: '鈴木', givenName: '健', birthDate: '1970-02-02' },
          { familyName: '鈴木', givenName: '静', birthDate: '1940-03-03' },
        ],
        problemsOf: [0],
        summary: '重層的支援会議で確認するプラン',
        teamOrgIds: [T.id],
      });
    });

    it('refused (422) naming, in Japanese, the person and the organizations the consents do not cover; nothing stored', async () => {
      const before = await auditHeadSeq(s);
      const res = await call(chair, 'POST', '/meetings', body());
      expect(res.status).toBe(422);
      expect(paths(res)).toEqual(['caseIds.0']);
      const msg = messageAt(res, 'caseIds.0')!;
      expect(msg).toMatch(JA);
      expect(msg).toContain('鈴木 健');
      expect(msg).toContain(L.name);
      expect(msg).toContain(T.name);
      expect(msg).not.toContain('鈴木 静'); // no problem: not required
      expect((await auditSince(s, before)).filter((e) => e.type.startsWith('MEETING'))).toEqual([]);
      // A consent naming only the lead still leaves the team organization uncovered.
      const partial = await f.consent(leadCw, k3.persons[0]!.id, [L.id]);
      const still = await call(chair, 'POST', '/meetings', body());
      expect(messageAt(still, 'caseIds.0')).toContain(T.name);
      expect(messageAt(still, 'caseIds.0')).not.toContain(L.name);
      await f.withdraw(leadCw, partial.id);
      // A case conference declaring consent follows the same gate; declaring art106-6 it is a 支援会議.
      expect((await call(chair, 'POST', '/meetings', { ...body(), kind: 'case_conference', legalBasis: 'consent' })).status).toBe(422);
      const conf = await call(chair, 'POST', '/meetings', {
        ...body(),
        kind: 'case_conference',
        legalBasis: 'art106-6',
        purposes: { [k3.caseId]: '複合課題の検討' },
      });
      expect(conf.status).toBe(201);
      expect(conf.json.legalBasis).toBe('art106-6');
      expect((await call(chair, 'POST', '/meetings', { ...body(), legalBasis: 'art106-6' })).status).toBe(422);
    });

    it('works once the person consents naming every member’s organization; members without a problem or consent show as relationship and age only', async () => {
      consentId = (await f.consent(leadCw, k3.persons[0]!.id, [L.id, T.id])).id;
      const res = await call(chair, 'POST', '/meetings', body());
      expect(res.status).toBe(201);
      mid = res.json.id;
      expect(res.json).toMatchObject({ kind: 'multilayer', legalBasis: 'consent', statutoryConfidentiality: false });
      await ok(call(teamCw, 'POST', `/meetings/${mid}/acknowledge`), 200);
      const mat = await audited(() => call(teamCw, 'GET', `/meetings/${mid}/materials`));
      expect(mat.res.status).toBe(200);
      expect(mat.res.json.label).toBeNull();
      expect(mat.res.text).toContain('重層的支援会議で確認するプラン');
      expect(mat.res.text).toContain('鈴木 健');
      expect(mat.res.text).not.toContain('静');
      const core = mat.res.json.cases[0].materials.find((x: any) => x.kind === 'case_core').content;
      expect(core.members.find((x: any) => x.personId === k3.persons[1]!.id)).toMatchObject({ name: null, relationship: '子' });
      for (const e of mat.events.filter((x) => x.type === 'MEETING_MATERIALS_OPENED'))
        expect(e.basis).toEqual([{ ground: 'meeting', meetingId: mid, legalBasis: 'consent' }]);
      // Rule 3: a record about the member without a problem or consent is not tabled; one about the consenting person is.
      const aboutQ = await f.record(teamCw, k3.caseId, '静さんの様子（機微）', 'sensitive', k3.persons[1]!.id);
      const aboutP = await f.record(teamCw, k3.caseId, '健さんの就労相談', 'normal', k3.persons[0]!.id);
      const q = await call(teamCw, 'POST', `/meetings/${mid}/table`, { caseId: k3.caseId, recordIds: [aboutQ.id] });
      expect(q.status).toBe(422);
      expect(messageAt(q, 'recordIds.0')).toContain('鈴木 静');
      expect((await call(teamCw, 'POST', `/meetings/${mid}/table`, { caseId: k3.caseId, recordIds: [aboutP.id] })).status).toBe(201);
      expect((await call(teamCw, 'GET', `/meetings/${mid}/materials`)).text).toContain('健さんの就労相談');
      // A member whose organization the consent does not name is refused, naming it.
      const add = await call(chair, 'POST', `/meetings/${mid}/members`, { userId: member.id });
      expect(add.status).toBe(422);
      expect(messageAt(add, 'userId')).toContain(O.name);
      // And the unconsented case of the 支援会議 cannot be put on its agenda.
      const unconsented = await call(chair, 'POST', `/meetings/${mid}/cases`, { caseId: k.caseId, purpose: '共有' });
      expect(unconsented.status).toBe(422);
      expect(messageAt(unconsented, 'caseId')).toContain('山田 一郎');
    });

    it('drops the case from the materials the moment the consent is withdrawn', async () => {
      await f.withdraw(leadCw, consentId, '2025-06-01');
      const res = await call(teamCw, 'GET', `/meetings/${mid}/materials`);
      expect(res.status).toBe(200);
      expect(res.json.cases).toEqual([]);
      expect(res.json.dropped).toEqual([{ caseId: k3.caseId, reason: 'consent_missing' }]);
      expect(res.text).not.toContain('重層的支援会議で確認するプラン');
      expect(res.text).not.toContain('健さんの就労相談');
      expect(res.text).not.toContain('鈴木');
    });
  });

  it('tax is never opened by a meeting: tabled only when a tax-including consent names every member organization', async () => {
    const k4 = await f.caseWith({ lead: leadCw, persons: [{ familyName: '高橋', givenName: '勇' }], teamOrgIds: [T.id] });
    await f.consent(leadCw, k4.persons[0]!.id, [L.id, T.id], { includesTaxInfo: true });
    const tax = await f.record(leadCw, k4.caseId, '固定資産税の滞納（税情報）', 'tax', k4.persons[0]!.id);
    const m = await ok(
      call(chair, 'POST', '/meetings', { ...supportBody(), kind: 'multilayer', memberUserIds: [teamCw.id], caseIds: [k4.caseId], purposes: undefined }),
      201,
    );
    await ok(call(chair, 'POST', `/meetings/${m.id}/acknowledge`), 200);
    expect((await call(chair, 'POST', `/meetings/${m.id}/table`, { caseId: k4.caseId, recordIds: [tax.id] })).status).toBe(201);
    await ok(call(teamCw, 'POST', `/meetings/${m.id}/acknowledge`), 200);
    expect((await call(teamCw, 'GET', `/meetings/${m.id}/materials`)).text).toContain('固定資産税の滞納');
    // At a 支援会議 with a member the tax consent does not name: refused.
    const sm = await ok(
      call(chair, 'POST', '/meetings', supportBody({ memberUserIds: [member.id], caseIds: [k4.caseId], purposes: { [k4.caseId]: '確認' } })),
      201,
    );
    await ok(call(chair, 'POST', `/meetings/${sm.id}/acknowledge`), 200);
    const refused = await call(chair, 'POST', `/meetings/${sm.id}/table`, { caseId: k4.caseId, recordIds: [tax.id] });
    expect(refused.status).toBe(422);
    expect(paths(refused)).toEqual(['recordIds.0']);
  });

  it('a regular series (定例): one request, seriesMeetingIds, the same time each month', async () => {
    const { res, events } = await audited(() =>
      call(chair, 'POST', '/meetings', supportBody({ startsAt: '2027-01-15T05:00:00Z', recurrence: { frequency: 'monthly', count: 3 } })),
    );
    expect(res.status).toBe(201);
    expect(res.json.seriesMeetingIds).toHaveLength(3);
    expect(res.json.seriesMeetingIds[0]).toBe(res.json.id);
    expect(events.filter((e) => e.type === 'MEETING_CONVENED')).toHaveLength(3);
    const heads = await Promise.all(res.json.seriesMeetingIds.map((id: string) => ok(call(member, 'GET', `/meetings/${id}`), 200)));
    expect(heads.map((h) => h.startsAt)).toEqual(['2027-01-15T05:00:00.000Z', '2027-02-15T05:00:00.000Z', '2027-03-15T05:00:00.000Z']);
    expect(new Set(heads.map((h) => h.seriesId)).size).toBe(1);
    expect(heads[0].seriesId).toBeTruthy();
    expect(heads.map((h) => h.caseCount)).toEqual([1, 0, 0]);
    const weekly = await ok(
      call(chair, 'POST', '/meetings', supportBody({ caseIds: [], purposes: undefined, recurrence: { frequency: 'weekly', count: 2 } })),
      201,
    );
    expect(weekly.seriesMeetingIds).toHaveLength(2);
    expect((await call(chair, 'POST', '/meetings', supportBody({ recurrence: { frequency: 'monthly', count: 1 } }))).status).toBe(400);
  });

  it('administrators and auditors without another role sit in no meeting (they see no case content, rule 1)', async () => {
    const auditor = await f.user(undefined, undefined, ['auditor']);
    const refused = await call(chair, 'POST', '/meetings', supportBody({ memberUserIds: [teamCw.id, auditor.id, s.admin.id] }));
    expect(refused.status).toBe(422);
    expect(paths(refused)).toEqual(['memberUserIds.1', 'memberUserIds.2']);
    expect(messageAt(refused, 'memberUserIds.1')).toMatch(JA);
    const m = await ok(call(chair, 'POST', '/meetings', supportBody()), 201);
    expect((await call(chair, 'POST', `/meetings/${m.id}/members`, { userId: auditor.id })).status).toBe(422);
  });

  it('an external member sees nothing but their meetings', async () => {
    const list = await ok(call(external, 'GET', '/meetings'), 200);
    const mine = await s.services.db.selectFrom('meetingMembers').select('meetingId').where('userId', '=', external.id).execute();
    expect(list.items.map((m: any) => m.id).sort()).toEqual(mine.map((m) => m.meetingId).sort());
    expect(list.items.length).toBeGreaterThan(0);
    expect((await call(external, 'GET', `/cases/${k.caseId}`)).status).toBe(404);
    expect((await call(external, 'GET', `/persons/${k.persons[0]!.id}`)).status).toBe(404);
    const cases = await call(external, 'GET', '/cases');
    expect(cases.status === 403 || (cases.status === 200 && cases.json.items.length === 0)).toBe(true);
    expect((await ok(call(outsider, 'GET', '/meetings'), 200)).items.map((m: any) => m.id)).not.toContain(list.items[0].id);
  });
});
