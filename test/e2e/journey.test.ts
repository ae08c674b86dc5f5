/**
 * The browser journey in Debian's Chromium (playwright-core, never a downloaded browser):
 * sign in as the coordinator of the demo municipality, register an intake (a person, the
 * household, the case), open the household view, and keep screenshots under test-output/.
 * axe checks the key pages for WCAG 2.1 A/AA violations on the way.
 *
 * A missing Chromium or font package fails this test with the package names (npm test
 * installs them when it runs as root); it never skips.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/writer.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { DEMO_PASSWORD } from '../../src/demo/demoData.ts';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { buildApp, WEB_DIST } from '../../src/http/app.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUT = join(import.meta.dirname, '..', '..', 'test-output');

/** vitest's expect has no Playwright web-first matchers: wait for the locator, then read it. */
async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor({ timeout: 15_000 });
  return (await locator.first().textContent()) ?? '';
}

async function expectNoAxeViolations(page: Page, name: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = result.violations.map((v) => `${v.id}: ${v.nodes.length} node(s) — ${v.help}`);
  expect(found, `axe violations on ${name}`).toEqual([]);
}

describe('browser journey (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasane-e2e-'));
  let url = '';
  let close: () => Promise<void> = async () => {};
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error('Chromium is missing: apt-get install -y chromium fonts-noto-cjk (npm test installs them when run as root)');
    if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error('web/dist is missing: run npm run build:web (npm test builds it)');
    mkdirSync(OUT, { recursive: true });
    const database = openDatabase(join(dir, 'demo.sqlite'));
    const services = { database, db: database.db, dialect: database.dialect, audit: new AuditLog(database.db, database.dialect) };
    await loadDemo(services);
    const app = await buildApp(services);
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    close = async () => {
      await app.close();
      await database.close();
    };
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'kasane-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo',
      viewport: { width: 1280, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    // The UI must never reach outside this machine (closed municipal networks).
    page.on('request', (req) => {
      const target = new URL(req.url());
      if (!['127.0.0.1', 'localhost'].includes(target.hostname) && !req.url().startsWith('data:')) throw new Error(`external request: ${req.url()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in, registers an intake and opens the household', async () => {
    await page.goto(`${url}/login`);
    await page.getByLabel('ログインID').waitFor();
    expect(await page.getByLabel('ログインID').getAttribute('autocomplete')).toBe('username');
    expect(await page.getByLabel('パスワード').getAttribute('autocomplete')).toBe('current-password');
    await expectNoAxeViolations(page, 'login');
    await page.getByLabel('ログインID').fill('coord');
    await page.getByLabel('パスワード').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/cases');
    await page.getByTestId('demo-banner').waitFor();
    // The demo's households are on the coordinator's list, each linking to its household view.
    const link = page.getByRole('link', { name: '齋藤家' }).first();
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/^\/households\/[0-9a-f]+/);
    await expectNoAxeViolations(page, 'cases');
    await page.screenshot({ path: join(OUT, 'journey-1-cases.png'), fullPage: true });

    await page.getByTestId('nav-intake').click();
    await page.getByTestId('intake-m0-familyName').fill('𠮷田');
    await page.getByTestId('intake-m0-givenName').fill('一郎');
    await page.getByTestId('intake-m0-familyNameKana').fill('よしだ');
    await page.getByTestId('intake-m0-givenNameKana').fill('ｲﾁﾛｳ');
    await page.getByTestId('intake-m0-birthDate').fill('1970-05-05');
    await page.getByTestId('intake-m0-relationship').selectOption({ label: '本人' });
    await page.getByTestId('intake-register-person-0').click();
    await page.getByTestId('intake-member-0-registered').waitFor();
    await expectNoAxeViolations(page, 'intake');
    await page.getByTestId('intake-next-household').click();
    await page.getByTestId('intake-household-name').fill('𠮷田家');
    await page.getByTestId('intake-submit-household').click();
    await page.getByTestId('intake-summary').fill('本人から、仕事を失い家賃を滞納しているとの相談。');
    await page.getByTestId('intake-referralRoute').selectOption({ label: '本人' });
    await page.getByTestId('intake-problems-0').getByLabel('家計・滞納').check();
    await page.getByTestId('intake-submit-case').click();

    await page.waitForURL('**/households/**');
    await page.getByRole('heading', { name: '𠮷田家' }).waitFor();
    const members = await textOf(page.getByTestId('section-members'));
    expect(members).toContain('𠮷田');
    expect(members).toContain('昭和45年5月5日');
    expect(await textOf(page.getByTestId('problems-matrix'))).toContain('家計・滞納');
    expect(await textOf(page.getByTestId('section-summary'))).toContain('家賃を滞納');
    await expectNoAxeViolations(page, 'household');
    await page.screenshot({ path: join(OUT, 'journey-2-household.png'), fullPage: true });

    // The same person is found by another spelling of the name.
    await page.getByTestId('nav-persons').click();
    await page.getByTestId('person-search-input').fill('よしだ いちろう');
    await page.getByTestId('person-search-submit').click();
    expect(await textOf(page.getByTestId('person-row'))).toContain('𠮷田');
    await page.getByTestId('person-search-input').fill('吉田一郎');
    await page.getByTestId('person-search-submit').click();
    expect(await textOf(page.getByTestId('person-row'))).toContain('𠮷田');
    await page.screenshot({ path: join(OUT, 'journey-3-search.png'), fullPage: true });
  }, 120_000);

  it('shows an outsider nothing of a household and says why', async () => {
    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
    await page.getByLabel('ログインID').fill('kodomo');
    await page.getByLabel('パスワード').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/cases');
    await page.getByTestId('nav-cases').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('link', { name: '齋藤家' }).count()).toBe(0);
    await page.screenshot({ path: join(OUT, 'journey-4-outsider.png'), fullPage: true });
  }, 60_000);
});
