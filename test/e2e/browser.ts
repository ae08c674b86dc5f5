/**
 * The browser journeys' common ground: a demo municipality served on loopback, Debian's
 * Chromium through playwright-core (never a downloaded browser; a persistent context on a
 * fresh profile), the closed-network guard, and small helpers for vitest's expect (which has
 * no Playwright web-first matchers).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { AuditLog } from '../../src/audit/writer.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { buildApp, WEB_DIST } from '../../src/http/app.ts';
import { todayInTokyo } from '../../src/ja/wareki.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const OUT = join(import.meta.dirname, '..', '..', 'test-output');

export interface DemoBrowser {
  url: string;
  page: Page;
  context: BrowserContext;
  stop(): Promise<void>;
}

/** Serves a fresh demo municipality and opens Chromium on it; fails naming what is missing. */
export async function startDemoBrowser(prefix: string): Promise<DemoBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error('Chromium is missing: apt-get install -y chromium fonts-noto-cjk (npm test installs them when run as root)');
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error('web/dist is missing: run npm run build:web (npm test builds it)');
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const database = openDatabase(join(dir, 'demo.sqlite'));
  const services = { database, db: database.db, dialect: database.dialect, audit: new AuditLog(database.db, database.dialect) };
  await loadDemo(services);
  const app = await buildApp(services);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'kasane-chromium-')), {
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
  const page = context.pages()[0] ?? (await context.newPage());
  // The UI must never reach outside this machine (closed municipal networks).
  page.on('request', (req) => {
    const target = new URL(req.url());
    if (!['127.0.0.1', 'localhost'].includes(target.hostname) && !req.url().startsWith('data:')) throw new Error(`external request: ${req.url()}`);
  });
  return {
    url,
    page,
    context,
    stop: async () => {
      await context.close();
      await app.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits for the locator, then reads its text. */
export async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor({ timeout: 15_000 });
  return (await locator.first().textContent()) ?? '';
}

/** axe, WCAG 2.1 A/AA: no violation on the page as it stands. */
export async function expectNoAxeViolations(page: Page, name: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = result.violations.map((v) => `${v.id}: ${v.nodes.length} node(s) — ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(found, `axe violations on ${name}`).toEqual([]);
}

/** vitest's expect has no Playwright web-first matchers: wait for the locator, then read it. */
export async function waitForText(locator: Locator, expected: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  let text = '';
  while (Date.now() < deadline) {
    text =
      (await locator
        .first()
        .textContent()
        .catch(() => null)) ?? '';
    if (text.includes(expected)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for "${expected}" (last text: ${text.slice(0, 300)})`);
}

/** A Japan date `days` from today (Asia/Tokyo, whatever the machine's zone). */
export function daysFromTodayInTokyo(days: number): string {
  const d = new Date(`${todayInTokyo()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
