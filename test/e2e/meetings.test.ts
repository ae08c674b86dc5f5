/**
 * The meetings journey in Debian's Chromium (playwright-core, never a downloaded browser), on
 * the demo municipality: the chair convenes a 支援会議 on the unconsented 齋藤家 (after the
 * consent gate refuses it as a 重層的支援会議), the health centre's worker finds the notice,
 * is refused the materials until the electronic pledge, acknowledges, reads the case core
 * labelled 支援会議限り and tables a record; the chair records and signs the minutes and
 * assigns a role to the health centre, which marks its task done. Screenshots go to
 * test-output/meetings-*.png; axe checks the pages on the way (WCAG 2.1 A/AA).
 *
 * A missing Chromium or font package fails this test with the package names; it never skips.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demoData.ts';
import { formatWareki } from '../../src/ja/wareki.ts';
import { type DemoBrowser, daysFromTodayInTokyo, expectNoAxeViolations, OUT, startDemoBrowser, textOf, waitForText } from './browser.ts';

const TITLE = '支援会議（随時）— 齋藤家の退院後の在宅生活';
const PURPOSE = '父と長男の退院後の在宅生活を支えるため、各機関の把握している状況を共有し、役割分担を決める。';
const TASK = '二男への家族を通じた関わりを続け、要望があれば訪問する。';

describe('meetings journey (Chromium)', () => {
  let browser: DemoBrowser;
  let url = '';
  let page: Page;
  let meetingPath = '';

  async function signIn(loginId: string) {
    await page.goto(`${url}/login`);
    await page.getByLabel('ログインID').fill(loginId);
    await page.getByLabel('パスワード').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/cases');
    await page.getByTestId('nav-meetings').waitFor();
  }

  async function signOut() {
    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
  }

  beforeAll(async () => {
    browser = await startDemoBrowser('kasane-e2e-meetings-');
    url = browser.url;
    page = browser.page;
  }, 120_000);

  afterAll(() => browser?.stop());

  it('the chair convenes a 支援会議 on 齋藤家 after the consent gate refuses a 重層的支援会議', async () => {
    await signIn('chair');
    await page.getByTestId('nav-meetings').click();
    await page.waitForURL('**/meetings');
    // The demo's meetings are listed with 和暦 dates and in the calendar.
    expect(await textOf(page.getByTestId('meetings-upcoming'))).toContain('令和');
    expect(await textOf(page.getByTestId('calendar-month'))).toMatch(/^令和.+年\d+月$/);
    await expectNoAxeViolations(page, 'meetings list');
    await page.screenshot({ path: join(OUT, 'meetings-1-list.png'), fullPage: true });

    await page.getByTestId('meeting-new').click();
    await page.waitForURL('**/meetings/new');
    await page.getByLabel('重層的支援会議', { exact: true }).check();
    await page.getByTestId('meeting-title').fill(TITLE);
    await page.getByTestId('meeting-place').fill('市役所本庁舎 3階 第1会議室');
    await page.getByTestId('member-filter').fill('三浦');
    await page.getByLabel(/三浦 由紀/).check();
    await page.getByTestId('member-filter').fill('');
    const saito = page.getByTestId('case-option').filter({ hasText: '齋藤家' });
    await saito.getByRole('checkbox').check();
    await saito.getByTestId('meeting-purpose').fill(PURPOSE);
    await expectNoAxeViolations(page, 'convene form');
    await page.getByTestId('convene-submit').click();
    // Rule 3: the server refuses the unconsented case and names the persons and organizations.
    const refusal = await waitForText(page.getByTestId('convene-errors'), '本人同意が足りません');
    expect(refusal).toContain('齋藤');
    expect(refusal).toContain('デモ市保健センター');
    await page.screenshot({ path: join(OUT, 'meetings-2-consent-gate.png'), fullPage: true });

    // As a 支援会議 (社会福祉法106条の6) the same case may be discussed without consent.
    await page.getByLabel('支援会議', { exact: true }).check();
    await page.getByTestId('convene-submit').click();
    await page.waitForURL((u) => /^\/meetings\/(?!new$)[^/]+$/.test(u.pathname));
    meetingPath = new URL(page.url()).pathname;
    expect(meetingPath).not.toBe('/meetings/new');
    expect(await textOf(page.getByTestId('meeting-title-heading'))).toBe(TITLE);
    expect(await textOf(page.getByTestId('meeting-kind'))).toBe('支援会議');
    expect(await textOf(page.getByTestId('meeting-basis'))).toContain('社会福祉法第106条の6');
    expect(await textOf(page.getByTestId('meeting-starts-at'))).toMatch(/^令和/);
    expect(await textOf(page.getByTestId('members-table'))).toContain('三浦 由紀');
    expect(await page.getByTestId('notice-pdf').getAttribute('href')).toBe(`/api/v1${meetingPath}/notice.pdf`);
    await page.getByTestId('status-message').waitFor();
    await expectNoAxeViolations(page, 'meeting (chair)');
    await page.screenshot({ path: join(OUT, 'meetings-3-convened.png'), fullPage: true });
    await signOut();
  }, 120_000);

  it('the health centre is refused the materials until the pledge, then reads them and tables a record', async () => {
    await signIn('hoken');
    await page.getByTestId('nav-inbox').click();
    const notice = page.getByTestId('inbox-item').filter({ hasText: TITLE });
    expect(await textOf(notice)).toContain('開催通知');
    await expectNoAxeViolations(page, 'inbox');
    await notice.getByRole('link', { name: '会議を開く' }).click();
    await page.waitForURL(`**${meetingPath}`);

    // Before the pledge the UI says why, and the server refuses the materials with that reason.
    expect(await textOf(page.getByTestId('materials-refused'))).toContain('守秘義務の確認');
    expect(await page.getByTestId('materials').count()).toBe(0);
    const refused = await page.request.get(`${url}/api/v1${meetingPath}/materials`);
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toContain('守秘義務の確認');
    await expectNoAxeViolations(page, 'meeting (before the pledge)');
    await page.screenshot({ path: join(OUT, 'meetings-4-before-pledge.png'), fullPage: true });

    await page.getByTestId('pledge-open').click();
    await page.waitForURL(`**${meetingPath}/pledge`);
    const clause = await textOf(page.getByTestId('pledge-clause'));
    expect(clause).toContain('社会福祉法第106条の6第5項');
    expect(clause).toContain('1年以下の拘禁刑又は100万円以下の罰金');
    expect(await page.getByTestId('pledge-submit').isDisabled()).toBe(true);
    await expectNoAxeViolations(page, 'pledge');
    await page.screenshot({ path: join(OUT, 'meetings-5-pledge.png'), fullPage: true });
    await page.getByTestId('pledge-agree').check();
    await page.getByTestId('pledge-submit').click();
    await page.waitForURL(`**${meetingPath}`);

    expect(await textOf(page.getByTestId('materials-label'))).toContain('支援会議限り');
    expect(await textOf(page.getByTestId('case-core-summary'))).toContain('新型コロナウイルス感染症');
    expect(await textOf(page.getByTestId('case-core-problems'))).toContain('ひきこもり');
    expect(await textOf(page.getByTestId('agenda-case'))).toContain(PURPOSE);

    const option = page.getByTestId('table-record-option').filter({ hasText: '退院前カンファレンス' });
    await option.getByRole('checkbox').check();
    await page.getByTestId('table-submit').click();
    const tabled = page.getByTestId('tabled-record').filter({ hasText: '退院前カンファレンス' });
    expect(await textOf(tabled.getByTestId('tabled-record-classification'))).toBe('機微');
    expect(await textOf(tabled)).toContain('デモ市保健センター');
    expect(await textOf(page.getByTestId('agenda-pdf'))).toContain('レジュメ');
    await expectNoAxeViolations(page, 'meeting (materials)');
    await page.screenshot({ path: join(OUT, 'meetings-6-materials.png'), fullPage: true });
    await signOut();
  }, 120_000);

  it('the chair records and signs the minutes and assigns a role that hoken completes', async () => {
    const due = daysFromTodayInTokyo(14);
    await signIn('chair');
    await page.goto(`${url}${meetingPath}`);
    expect(await textOf(page.getByTestId('members-table'))).toContain('確認済み');
    // The minutes are a material too: the chair acknowledges before writing them.
    expect(await textOf(page.getByTestId('minutes-locked'))).toContain('守秘義務の確認後');
    await page.getByTestId('pledge-open').click();
    await page.getByTestId('pledge-agree').check();
    await page.getByTestId('pledge-submit').click();
    await page.waitForURL(`**${meetingPath}`);
    expect(await textOf(page.getByTestId('tabled-record'))).toContain('退院前カンファレンス');
    await page.getByTestId('minutes-body').fill('退院後の在宅生活について各機関の状況を共有した。');
    await page.getByTestId('minutes-decisions').fill('母のデイケア再開を調整する\n二男への関わりは保健センターが担う');
    await page
      .getByTestId('minutes-form')
      .getByLabel(/三浦 由紀/)
      .check();
    await page.getByTestId('minutes-save').click();
    await page.getByTestId('minutes-sign').click();
    const minutes = await waitForText(page.getByTestId('minutes-view'), '総括者確定済み');
    expect(minutes).toContain('二男への関わりは保健センターが担う');
    expect(minutes).toContain('三浦 由紀');

    await page.locator('#assign-case').selectOption({ label: '齋藤家' });
    await page.getByTestId('assign-org').selectOption({ label: 'デモ市保健センター' });
    await page.getByTestId('assign-task').fill(TASK);
    await page.getByTestId('assign-due').fill(due);
    await page.getByTestId('assignment-submit').click();
    const row = await textOf(page.getByTestId('assignment-row'));
    expect(row).toContain('デモ市保健センター');
    expect(row).toContain(formatWareki(due));
    await expectNoAxeViolations(page, 'meeting (minutes and assignments)');
    await page.screenshot({ path: join(OUT, 'meetings-7-minutes.png'), fullPage: true });
    await signOut();

    await signIn('hoken');
    await page.getByTestId('nav-tasks').click();
    await page.waitForURL('**/tasks');
    const task = page.getByTestId('task-row').filter({ hasText: TASK });
    expect(await textOf(task)).toContain(formatWareki(due));
    expect(await textOf(task.getByTestId('task-status'))).toBe('未着手');
    await expectNoAxeViolations(page, 'tasks');
    await task.getByTestId('task-status-select').selectOption('done');
    await task.getByTestId('task-status-save').click();
    await waitForText(page.getByTestId('task-row').filter({ hasText: TASK }).getByTestId('task-status'), '完了');
    expect(await textOf(page.getByTestId('status-message'))).toContain('完了');
    await page.screenshot({ path: join(OUT, 'meetings-8-task-done.png'), fullPage: true });

    await page.getByTestId('nav-inbox').click();
    expect(await textOf(page.getByTestId('inbox-item').filter({ hasText: '役割分担' }))).toContain(TITLE);
    await page.screenshot({ path: join(OUT, 'meetings-9-inbox.png'), fullPage: true });
  }, 120_000);
});
