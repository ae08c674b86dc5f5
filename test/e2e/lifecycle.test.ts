/**
 * The support lifecycle journey in Debian's Chromium (playwright-core, never a downloaded
 * browser), on a consented household registered for this test in the demo municipality (小野寺家:
 * the father out of work, the mother in arrears — the demo's own households already carry their
 * stories): the coordinator of the lead organization records the assessment, makes a household plan
 * with goals and actions for two agencies (one already overdue for review) and submits it; the
 * coordinator's dashboard lists it as awaiting approval; the chair approves it as a decision of
 * a 重層的支援会議 that lists the case and whose every member's organization is named by the
 * consents; the 社会福祉協議会 records monitoring of its action; the coordinator revises the
 * plan (a readable diff) and closes the case — refused first, in Japanese, while a goal is not
 * evaluated — and the case shows 終結 with the evaluation. Apart from that, the health centre
 * asks the 複合課題解決アドバイザー about the unconsented 齋藤家 under a 複合課題ケース検討会 (法106条の6)
 * and the advisor answers from the tabled case core.
 *
 * Screenshots go to test-output/lifecycle-*.png; axe checks the pages on the way (WCAG 2.1 A/AA).
 * A missing Chromium or font package fails this test with the package names; it never skips.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demoData.ts';
import { formatWareki, todayInTokyo } from '../../src/ja/wareki.ts';
import { type DemoBrowser, daysFromTodayInTokyo, expectNoAxeViolations, OUT, startDemoBrowser, textOf, waitForText } from './browser.ts';

const HOUSEHOLD = '小野寺家';
const APPROVAL_MEETING = '重層的支援会議（臨時）— 小野寺家の支援プランの承認';
const CONFERENCE = '複合課題ケース検討会 — 齋藤家の8050世帯の支援方針';
const GOAL_WORK = '夫が生活のリズムを取り戻し、調理の経験を活かして働き始める。';
const GOAL_MONEY = '妻が家計の全体を把握し、滞納を計画的に解消する。';
const ACTION_WORK = 'ハローワークで求職登録を続け、給食センター等の求人を紹介する。';
const ACTION_MONEY = '家計表を毎月一緒に見直し、公共料金と家賃の支払いを優先する。';
const QUESTION = '長男への家族を通じた関わりを続けるうえで、精神保健の観点から留意すべき点を教えてください。';
const ANSWER = '本人のペースを尊重し、母を通じた手紙などの間接的な関わりから始めることを勧めます。';

const HELLOWORK = 'ハローワークデモ（デモ公共職業安定所）';
const SHAKYO = 'デモ市社会福祉協議会（生活困窮者自立相談支援機関）';

/** Chooses the option whose text contains `text` (selectOption matches whole labels only). */
async function selectContaining(select: Locator, text: string) {
  const option = select.locator('option').filter({ hasText: text }).first();
  await option.waitFor({ state: 'attached', timeout: 15_000 });
  await select.selectOption((await option.getAttribute('value')) ?? '');
}

describe('support lifecycle journey (Chromium)', () => {
  let browser: DemoBrowser;
  let url = '';
  let page: Page;
  let casePath = '';
  let saitoPath = '';
  const tokens = new Map<string, string>();

  /** Set-up through the HTTP API with a bearer token (what the UI does not need to show). */
  async function call<T>(loginId: string, method: string, path: string, body?: unknown): Promise<T> {
    let token = tokens.get(loginId);
    if (!token) {
      const res = await fetch(`${url}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ loginId, password: DEMO_PASSWORD }),
      });
      token = ((await res.json()) as { token: string }).token;
      tokens.set(loginId, token);
    }
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'accept-language': 'ja', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`set-up refused: ${loginId} ${method} ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async function signIn(loginId: string) {
    // A step that failed half-way must not leave its user signed in for the next one.
    await browser.context.clearCookies();
    await page.goto(`${url}/login`);
    await page.getByLabel('ログインID').fill(loginId);
    await page.getByLabel('パスワード').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/cases');
    await page.getByTestId('current-user').waitFor();
  }

  async function signOut() {
    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
  }

  async function openTab(path: string, tab: string) {
    await page.goto(`${url}${path}${tab === 'overview' ? '' : `&tab=${tab}`}`);
    await page.getByTestId('case-tabs').waitFor();
  }

  beforeAll(async () => {
    browser = await startDemoBrowser('kasane-e2e-lifecycle-');
    url = browser.url;
    page = browser.page;
    const users = (await call<{ items: { id: string; loginId: string }[] }>('admin', 'GET', '/users')).items;
    const user = (loginId: string) => users.find((u) => u.loginId === loginId)?.id as string;
    const orgs = (await call<{ items: { id: string; name: string }[] }>('coord', 'GET', '/organizations')).items;
    const org = (name: string) => orgs.find((o) => o.name === name)?.id as string;
    const fukushi = org('デモ市 福祉総合相談課');
    // 小野寺家: registered, consented and teamed by the coordinator as at intake.
    const address = 'デモ市北町三丁目2番5号';
    const kenichi = await call<{ id: string }>('coord', 'POST', '/persons', {
      familyName: '小野寺',
      givenName: '健一',
      familyNameKana: 'オノデラ',
      givenNameKana: 'ケンイチ',
      birthDate: '1973-09-12',
      sex: 'male',
      address,
    });
    const yuka = await call<{ id: string }>('coord', 'POST', '/persons', {
      familyName: '小野寺',
      givenName: '由香',
      familyNameKana: 'オノデラ',
      givenNameKana: 'ユカ',
      birthDate: '1976-02-03',
      sex: 'female',
      address,
    });
    const household = await call<{ id: string }>('coord', 'POST', '/households', {
      name: HOUSEHOLD,
      address,
      members: [
        { personId: kenichi.id, relationship: '世帯主', livesTogether: true, keyPerson: false },
        { personId: yuka.id, relationship: '妻', livesTogether: true, keyPerson: true },
      ],
    });
    const kase = await call<{ id: string }>('coord', 'POST', '/cases', {
      householdId: household.id,
      leadOrganizationId: fukushi,
      referralRoute: '本人',
      summary: '妻から、夫が勤め先の倒産で失業し、家賃と公共料金の滞納が続いていると相談。夫は昼間から飲酒している。',
      urgency: 'normal',
      problems: [
        { personId: kenichi.id, type: '就労', note: '勤め先の倒産で失業。' },
        { personId: yuka.id, type: '家計・滞納', note: '家賃と公共料金の滞納。' },
      ],
      team: [],
    });
    for (const personId of [kenichi.id, yuka.id]) {
      await call('coord', 'POST', `/persons/${personId}/consents`, {
        obtainedOn: todayInTokyo(),
        method: 'written',
        givenBy: { relation: 'self' },
        organizationIds: [fukushi, org(SHAKYO), org(HELLOWORK)],
        purposes: ['世帯全体の課題の整理と支援プランの作成', '重層的支援会議での支援プランの共有と役割分担'],
        includesTaxInfo: false,
      });
    }
    for (const name of [SHAKYO, HELLOWORK]) await call('coord', 'POST', `/cases/${kase.id}/team`, { organizationId: org(name), basis: 'consent' });
    await call('coord', 'POST', `/cases/${kase.id}/status`, { to: 'assessment', note: '世帯全体の課題を解きほぐす。' });
    casePath = `/households/${household.id}?case=${kase.id}`;
    const cases = (await call<{ items: { id: string; householdId: string; householdName: string }[] }>('coord', 'GET', '/cases')).items;
    const saito = cases.find((c) => c.householdName === '齋藤家');
    if (!saito) throw new Error('demo household 齋藤家 missing');
    saitoPath = `/households/${saito.householdId}?case=${saito.id}`;
    // A 重層的支援会議 held an hour ago on 小野寺家: its members' organizations (福祉総合相談課, 社協,
    // ハローワーク) are named by the consent of every person with a problem (rule 3's gate).
    await call('chair', 'POST', '/meetings', {
      kind: 'multilayer',
      title: APPROVAL_MEETING,
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      online: true,
      chairUserId: user('chair'),
      memberUserIds: ['coord', 'shakyo', 'hellowork'].map(user),
      caseIds: [kase.id],
      purposes: { [kase.id]: '支援プランの適切性を確認し、承認する。' },
    });
    // A 複合課題ケース検討会 held as a 支援会議 (法106条の6) on the unconsented 齋藤家 with the advisor as
    // a member, who has made the electronic pledge.
    const conference = await call<{ id: string }>('chair', 'POST', '/meetings', {
      kind: 'case_conference',
      legalBasis: 'art106-6',
      title: CONFERENCE,
      startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      place: '市役所本庁舎 3階 第1会議室',
      chairUserId: user('chair'),
      memberUserIds: ['hoken', 'advisor'].map(user),
      caseIds: [saito.id],
      purposes: { [saito.id]: '長男への関わり方について、アドバイザーの助言を得て支援方針を整理する。' },
    });
    await call('advisor', 'POST', `/meetings/${conference.id}/acknowledge`, {});
  }, 180_000);

  afterAll(() => browser?.stop());

  it('the coordinator records the assessment and a plan for two agencies, and submits it', async () => {
    await signIn('coord');
    await openTab(casePath, 'maps');
    const genogram = page.getByTestId('genogram-img');
    await genogram.waitFor();
    // The SVG arrived and was drawn (a refused image falls back to a notice instead).
    await genogram.evaluate(
      (img) =>
        new Promise<void>((resolve, reject) => {
          const el = img as unknown as { complete: boolean; naturalWidth: number; addEventListener: (e: string, f: () => void) => void };
          if (el.complete) return el.naturalWidth > 0 ? resolve() : reject(new Error('genogram not drawn'));
          el.addEventListener('load', () => resolve());
          el.addEventListener('error', () => reject(new Error('genogram refused')));
        }),
    );
    await expectNoAxeViolations(page, 'family maps');
    await page.screenshot({ path: join(OUT, 'lifecycle-1-maps.png'), fullPage: true });

    await page.getByTestId('case-tab-assessment').click();
    await page.getByTestId('assessment-new').click();
    const father = page.getByTestId('assessment-form-member').filter({ hasText: '小野寺 健一' });
    await father.getByLabel('就労', { exact: true }).fill('飲食店の倒産後、無職。調理の経験が長い。');
    await father.getByLabel('精神保健・こころの状態', { exact: true }).fill('昼間からの飲酒とパチンコ。「やめたいがやめられない」と話す。');
    await father.getByLabel('本人の思い・希望', { exact: true }).fill('もう一度、料理の仕事がしたい。');
    const mother = page.getByTestId('assessment-form-member').filter({ hasText: '小野寺 由香' });
    await mother.getByLabel('家計・収入・債務', { exact: true }).fill('家計の全体を把握できておらず、公共料金と市税の滞納がある。');
    await mother.getByLabel('社会とのつながり・孤立', { exact: true }).fill('近隣から疎まれ、相談相手がいない。');
    const household = page.getByTestId('assessment-form-household');
    await household.getByLabel('キーパーソン', { exact: true }).selectOption({ label: '小野寺 由香' });
    await page.getByTestId('support-add').click();
    await household.getByLabel('支える人（1行目）').selectOption({ label: '小野寺 由香' });
    await household.getByLabel('支えられる人（1行目）').selectOption({ label: '小野寺 健一' });
    await household.getByLabel('どのように（1行目）').fill('食事と通院の付き添い、家計のやりくり');
    await household.getByLabel('誰かが倒れたら（何が立ちゆかなくなるか）').fill('妻が倒れると、家計の管理と夫の生活の支えが途切れる。');
    await household.getByLabel('世帯の強み').fill('妻が支援を求める力を持っている。夫も変わりたいと話している。');
    await expectNoAxeViolations(page, 'assessment form');
    await page.getByTestId('assessment-submit').click();
    const assessment = await waitForText(page.getByTestId('assessment-view'), 'もう一度、料理の仕事がしたい。');
    expect(assessment).toContain('（最新）');
    expect(assessment).toContain('小野寺 由香 → 小野寺 健一');
    expect(await textOf(page.getByTestId('assessment-view'))).toMatch(/令和/);
    await expectNoAxeViolations(page, 'assessment');
    await page.screenshot({ path: join(OUT, 'lifecycle-2-assessment.png'), fullPage: true });

    await page.getByTestId('case-tab-plan').click();
    await page.getByTestId('plan-edit').click();
    await page.getByLabel('小野寺 健一の見立て').fill('依存の背景に失業と孤立がある。就労の再開と依存症相談を並行する。');
    await page.getByLabel('小野寺 由香の見立て').fill('家計の見える化から始めれば、滞納は分納で解消できる見込み。');
    const goals = page.getByTestId('plan-goal-row');
    await goals.nth(0).getByLabel('目標1の対象').selectOption({ label: '小野寺 健一' });
    await goals.nth(0).getByLabel('目標1', { exact: true }).fill(GOAL_WORK);
    await page.getByTestId('plan-goal-add').click();
    await goals.nth(1).getByLabel('目標2の対象').selectOption({ label: '小野寺 由香' });
    await goals.nth(1).getByLabel('目標2', { exact: true }).fill(GOAL_MONEY);

    await page.getByTestId('plan-action-add').click();
    const a1 = page.getByTestId('plan-action-form-row').nth(0);
    await a1.getByLabel('支援内容1の内容').fill(ACTION_WORK);
    await a1.getByLabel('支援内容1の担当機関').selectOption({ label: HELLOWORK });
    await a1.getByLabel('支援内容1の対象').selectOption({ label: '小野寺 健一' });
    await a1.getByLabel('支援内容1の目標').selectOption({ index: 1 });
    await page.getByTestId('plan-action-add').click();
    const a2 = page.getByTestId('plan-action-form-row').nth(1);
    await a2.getByLabel('支援内容2の内容').fill(ACTION_MONEY);
    await a2.getByLabel('支援内容2の担当機関').selectOption({ label: SHAKYO });
    await a2.getByLabel('支援内容2の対象').selectOption({ label: '小野寺 由香' });
    await a2.getByLabel('支援内容2の目標').selectOption({ index: 2 });
    // The household budget was last reviewed a while ago: its review date is already past.
    await a2.getByLabel('支援内容2の開始日').fill(daysFromTodayInTokyo(-60));
    await a2.getByLabel('支援内容2の見直し日').fill(daysFromTodayInTokyo(-1));
    await expectNoAxeViolations(page, 'plan form');
    await page.screenshot({ path: join(OUT, 'lifecycle-3-plan-form.png'), fullPage: true });
    await page.getByTestId('plan-save').click();

    await waitForText(page.getByTestId('plan-status'), '作成中');
    const actions = await textOf(page.getByTestId('plan-actions'));
    expect(actions).toContain(HELLOWORK);
    expect(actions).toContain(SHAKYO);
    expect(actions).toContain(formatWareki(daysFromTodayInTokyo(-1)));
    const overdueRow = page.getByTestId('plan-action-row').filter({ hasText: ACTION_MONEY });
    expect(await textOf(overdueRow.getByTestId('action-overdue'))).toBe('期限超過');
    await page.getByTestId('plan-submit').click();
    await waitForText(page.getByTestId('plan-status'), '承認待ち');
    expect(await textOf(page.getByTestId('plan-awaiting'))).toContain('重層的支援会議の総括者');
    await expectNoAxeViolations(page, 'plan (submitted)');
    await page.screenshot({ path: join(OUT, 'lifecycle-4-plan-submitted.png'), fullPage: true });

    // The coordinator's dashboard: the plan awaits approval, the budget review is overdue.
    await page.getByTestId('nav-dashboard').click();
    await page.waitForURL('**/dashboard');
    expect(await waitForText(page.getByTestId('dash-awaiting-approval'), HOUSEHOLD)).toMatch(/第\d+版/);
    expect(await textOf(page.getByTestId('dash-overdue'))).toContain(SHAKYO);
    expect(await textOf(page.getByTestId('dash-awaiting-meeting'))).toContain('齋藤家');
    await expectNoAxeViolations(page, 'dashboard');
    await page.screenshot({ path: join(OUT, 'lifecycle-5-dashboard.png'), fullPage: true });
    await signOut();
  }, 180_000);

  it('the chair approves the plan as a decision of the 重層的支援会議', async () => {
    await signIn('chair');
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dash-awaiting-approval').getByRole('link', { name: HOUSEHOLD }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/households/') && u.searchParams.get('tab') === 'plan');
    await page.getByTestId('plan-approve-form').waitFor();
    await selectContaining(page.getByLabel('承認した会議'), APPROVAL_MEETING);
    await page.getByLabel('決定事項のメモ').fill('各機関の役割分担を確認し、支援プランを承認した。');
    await page.getByTestId('plan-approve-submit').click();
    await waitForText(page.getByTestId('plan-status'), '承認済み');
    expect(await textOf(page.getByTestId('plan-approval'))).toContain(APPROVAL_MEETING);
    await expectNoAxeViolations(page, 'plan (approved)');
    await page.screenshot({ path: join(OUT, 'lifecycle-6-plan-approved.png'), fullPage: true });
    // The printed forms are the server's (audited, stamped); the links reach them with the session.
    const pdf = await page.request.get(`${url}${await page.getByTestId('plan-export-pdf').getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    // Printing the page leaves out the chrome (banner, header, navigation, tabs, buttons).
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('app-header').isVisible()).toBe(false);
    expect(await page.getByTestId('case-tabs').isVisible()).toBe(false);
    expect(await page.getByTestId('plan-view').isVisible()).toBe(true);
    await page.screenshot({ path: join(OUT, 'lifecycle-6b-plan-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await signOut();
  }, 120_000);

  it('the 社会福祉協議会 records monitoring of its own action', async () => {
    await signIn('shakyo');
    await openTab(casePath, 'monitoring');
    await page.getByTestId('monitoring-new').click();
    const form = page.getByTestId('monitoring-form');
    // Another organization may choose only the actions it holds.
    await selectContaining(form.getByLabel('支援内容'), ACTION_MONEY);
    const options = await form.getByLabel('支援内容').locator('option').allTextContents();
    expect(options.some((o) => o.includes(ACTION_WORK))).toBe(false);
    await form.getByLabel('実施中').check();
    await form.getByLabel('経過', { exact: true }).fill('家計表を一緒に見直した。電気料金の滞納は解消。');
    await form.getByLabel('本人の思い').fill('「先が見えて少し楽になった」');
    await form.getByLabel('次回見直し日').fill(daysFromTodayInTokyo(30));
    await expectNoAxeViolations(page, 'monitoring form');
    await page.getByTestId('monitoring-submit').click();
    const row = await waitForText(page.getByTestId('monitoring-row'), '実施中');
    expect(row).toContain('先が見えて少し楽になった');
    expect(row).toContain(formatWareki(daysFromTodayInTokyo(30)));
    await page.getByTestId('case-tab-plan').click();
    const action = page.getByTestId('plan-action-row').filter({ hasText: ACTION_MONEY });
    expect(await waitForText(action, '実施中')).toContain(formatWareki(daysFromTodayInTokyo(30)));
    await expectNoAxeViolations(page, 'plan (team agency)');
    await page.getByTestId('case-tab-monitoring').click();
    await page.getByTestId('monitoring-table').waitFor();
    await page.screenshot({ path: join(OUT, 'lifecycle-7-monitoring.png'), fullPage: true });
    await signOut();
  }, 120_000);

  it('the coordinator revises the plan, is refused closing without every goal evaluated, then closes the case', async () => {
    await signIn('coord');
    await openTab(casePath, 'plan');
    await page.getByTestId('plan-edit').click();
    // The new version starts as a copy of the current one, with the same goal and action keys.
    expect(await page.getByLabel('支援内容2の内容').inputValue()).toBe(ACTION_MONEY);
    await page.getByLabel('支援内容2の見直し日').fill(daysFromTodayInTokyo(45));
    await page.getByLabel('改訂の理由').fill('家計の見直しが進んだため、次の見直しを延ばす。');
    await page.getByTestId('plan-save').click();
    await waitForText(page.getByTestId('plan-status'), '作成中');
    await page.getByTestId('plan-version-row').first().getByTestId('plan-diff-open').click();
    const diff = await waitForText(page.getByTestId('plan-diff'), '支援内容の変更');
    expect(diff).toMatch(/第\d+版から第\d+版への変更点/);
    expect(diff).toContain(formatWareki(daysFromTodayInTokyo(45)));
    await expectNoAxeViolations(page, 'plan versions and diff');
    await page.screenshot({ path: join(OUT, 'lifecycle-8-plan-diff.png'), fullPage: true });

    await page.getByTestId('case-tab-closing').click();
    await page.getByTestId('termination-open').click();
    const form = page.getByTestId('termination-form');
    await form.getByLabel('終結理由').selectOption({ label: '目標達成' });
    const goal1 = page.getByTestId('termination-goal').filter({ hasText: GOAL_WORK });
    await goal1.getByLabel('達成', { exact: true }).check();
    await goal1.getByLabel(/評価の理由$/).fill('給食センターで週4日の勤務を始め、3か月続いている。');
    await page.getByTestId('termination-submit').click();
    // Rule: closing is refused while a goal is not evaluated (and no agency keeps watching).
    const refusal = await waitForText(page.getByTestId('termination-errors'), '評価されていない目標があります');
    expect(refusal).toContain(GOAL_MONEY);
    expect(await textOf(page.getByTestId('termination-evaluations-error'))).toContain('評価されていない目標があります');
    expect(await textOf(page.getByTestId('case-status'))).not.toContain('終結');
    await expectNoAxeViolations(page, 'termination (refused)');
    await page.screenshot({ path: join(OUT, 'lifecycle-9-termination-refused.png'), fullPage: true });

    const goal2 = page.getByTestId('termination-goal').filter({ hasText: GOAL_MONEY });
    await goal2.getByLabel('一部達成', { exact: true }).check();
    await goal2.getByLabel(/評価の理由$/).fill('滞納は分納で計画的に解消中。家計の把握はできるようになった。');
    const watcher = page.getByTestId('watcher-row').first();
    await watcher.getByLabel('機関（1行目）').selectOption({ label: SHAKYO });
    await watcher.getByLabel('見守りの方法（1行目）').fill('月1回の家計相談を継続し、変化があれば連絡する。');
    await form.getByLabel('再確認の時期').fill(daysFromTodayInTokyo(90));
    await page.getByTestId('termination-submit').click();
    await waitForText(page.getByTestId('case-status'), '終結');
    const evaluation = await textOf(page.getByTestId('termination-view'));
    expect(evaluation).toContain('目標達成');
    expect(evaluation).toContain(GOAL_WORK);
    expect(evaluation).toContain('一部達成');
    expect(evaluation).toContain(SHAKYO);
    expect(evaluation).toContain(formatWareki(daysFromTodayInTokyo(90)));
    await page.getByTestId('reopen-open').waitFor();
    // A closed case's plan is read-only: no submission, no new version.
    await page.getByTestId('case-tab-plan').click();
    await page.getByTestId('plan-view').waitFor();
    expect(await page.getByTestId('plan-submit').count()).toBe(0);
    expect(await page.getByTestId('plan-edit').count()).toBe(0);
    await page.getByTestId('case-tab-closing').click();
    await page.getByTestId('termination-view').waitFor();
    await expectNoAxeViolations(page, 'termination (closed)');
    await page.screenshot({ path: join(OUT, 'lifecycle-10-closed.png'), fullPage: true });

    // A new problem reopens the closed case; the evaluation stays on record.
    await page.getByTestId('reopen-open').click();
    const reopen = page.getByTestId('reopen-form');
    await reopen.getByLabel('世帯員（1行目）').selectOption({ label: '小野寺 健一' });
    await selectContaining(reopen.getByLabel('課題の種類（1行目）'), '依存症');
    await reopen.getByLabel('内容（1行目）').fill('職場の人間関係から飲酒が再び増えていると妻から連絡。');
    await reopen.getByLabel('再開の理由').fill('妻からの連絡を受け、依存症の相談につなぎ直す。');
    await expectNoAxeViolations(page, 'reopen form');
    await page.getByTestId('reopen-submit').click();
    await waitForText(page.getByTestId('case-status'), 'アセスメント');
    expect(await textOf(page.getByTestId('termination-view'))).toContain(GOAL_WORK);
    await page.screenshot({ path: join(OUT, 'lifecycle-10b-reopened.png'), fullPage: true });
    await signOut();
  }, 180_000);

  it("the demo's 髙橋家 shows the plan approved at its 重層的支援会議 and the termination evaluation", async () => {
    await signIn('coord');
    await page.getByRole('link', { name: '髙橋家' }).first().click();
    await page.getByTestId('case-tabs').waitFor();
    await page.getByTestId('case-tab-closing').click();
    const evaluation = await textOf(page.getByTestId('termination-view'));
    expect(evaluation).toContain('目標達成');
    expect(evaluation).toContain('NPO法人ひだまりの会');
    await page.getByTestId('case-tab-plan').click();
    expect(await waitForText(page.getByTestId('plan-approval'), '重層的支援会議')).toMatch(/令和/);
    await signOut();
  }, 120_000);

  it('the health centre asks the advisor about 齋藤家 under the case conference, and the advisor answers', async () => {
    await signIn('hoken');
    await openTab(saitoPath, 'advice');
    await page.getByTestId('advice-new').click();
    const form = page.getByTestId('advice-form');
    // The roster by field: the advisor for 精神保健.
    await form.getByLabel('分野で絞り込む').selectOption({ label: '精神保健' });
    await selectContaining(form.getByLabel('アドバイザー', { exact: true }), '小西 誠一');
    await form.getByLabel('相談内容').fill(QUESTION);
    await form.getByLabel('支援会議・複合課題ケース検討会の決定').check();
    await selectContaining(form.getByLabel('会議', { exact: true }), CONFERENCE);
    await form.getByLabel('最新のアセスメント').check();
    await expectNoAxeViolations(page, 'advice request form');
    await page.getByTestId('advice-submit').click();
    expect(await waitForText(page.getByTestId('advice-item').filter({ hasText: QUESTION }), '回答待ち')).toContain('小西 誠一');
    await signOut();

    await signIn('advisor');
    await page.getByTestId('nav-advice').click();
    await page.waitForURL('**/advice');
    const row = page.getByTestId('advice-inbox-row').filter({ hasText: QUESTION });
    expect(await textOf(row)).toContain('回答待ち');
    await expectNoAxeViolations(page, 'advisor inbox');
    await page.screenshot({ path: join(OUT, 'lifecycle-11-advisor-inbox.png'), fullPage: true });
    await row.getByRole('link', { name: '齋藤家' }).click();
    expect(await textOf(page.getByTestId('advice-question'))).toBe(QUESTION);
    expect(await textOf(page.getByTestId('tabled-core-summary'))).toContain('新型コロナウイルス感染症');
    await expectNoAxeViolations(page, 'advice request (advisor)');
    await page.getByRole('textbox', { name: '回答' }).fill(ANSWER);
    await page.getByTestId('advice-answer-submit').click();
    await waitForText(page.getByTestId('advice-status'), '回答済み');
    expect(await textOf(page.getByTestId('advice-answer'))).toContain(ANSWER);
    await expectNoAxeViolations(page, 'advice request (answered)');
    await page.screenshot({ path: join(OUT, 'lifecycle-12-advice-answered.png'), fullPage: true });
    await signOut();

    // The lead hears of the answer in its inbox and reads it on the case.
    await signIn('hoken');
    await page.getByTestId('nav-inbox').click();
    await page.getByRole('link', { name: 'ケースのアドバイザー相談を開く' }).first().click();
    await page.waitForURL((u) => u.pathname.startsWith('/households/') && u.searchParams.get('tab') === 'advice');
    expect(await waitForText(page.getByTestId('advice-item').filter({ hasText: QUESTION }), '回答済み')).toContain(ANSWER);
    await signOut();
  }, 180_000);
});
