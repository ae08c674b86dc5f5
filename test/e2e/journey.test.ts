/**
 * The browser journey in Debian's Chromium (playwright-core, never a downloaded browser):
 * sign in as the coordinator of the demo municipality, register an intake (a person, the
 * household, the case), open the household view, and keep screenshots under test-output/.
 * axe checks the key pages for WCAG 2.1 A/AA violations on the way.
 *
 * A missing Chromium or font package fails this test with the package names (npm test
 * installs them when it runs as root); it never skips.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demoData.ts';
import { type DemoBrowser, expectNoAxeViolations, OUT, startDemoBrowser, textOf } from './browser.ts';

describe('browser journey (Chromium)', () => {
  let browser: DemoBrowser;
  let url = '';
  let page: Page;

  beforeAll(async () => {
    browser = await startDemoBrowser('kasane-e2e-');
    url = browser.url;
    page = browser.page;
  }, 120_000);

  afterAll(() => browser?.stop());

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
