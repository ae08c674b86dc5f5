/**
 * T3 — fuzz every input (issue 3; ../shared/research/reliability-security.md T3;
 * product rule 10). Every route in the server's own route table is fuzzed over real HTTP with
 * fast-check: valid-ish requests derived from the route's zod schemas (realistic Japanese
 * text, real ids of a small fixture municipality) and hostile mutations (wrong types, missing
 * fields, 100k-character strings, 1,000–10,000-deep nesting, __proto__/constructor keys, NUL,
 * lone surrogates, U+202E, full-width digits, 半角カナ, SQL/HTML/JSON injection, unknown ids,
 * extra keys, invalid JSON, wrong content types, bodies over 1 MiB).
 *
 * Properties: no 5xx; every 4xx is problem+json (title, detail, field errors as
 * {path, message}) without stack traces, SQL or internal paths; a refused request (and any
 * read) stores nothing but read/denial audit events; an accepted one round-trips its
 * Japanese text exactly.
 *
 * CI tier: 1,000 runs per route with an input schema on SQLite, 100 on PostgreSQL.
 * KASANE_FUZZ_RUNS raises the SQLite runs (e.g. 100000 nightly), KASANE_FUZZ_PG_RUNS the
 * PostgreSQL ones, KASANE_FUZZ_SEED replays a run (the seed is printed).
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteEntry, routeTable } from '../../src/http/app.ts';
import { type DbKind, startServer, type TestServer } from '../helpers/server.ts';
import { encodeLoose, HOSTILE_STRINGS, RAW_QUERIES, RAW_SEGMENTS } from './fuzz/arbitraries.ts';
import { changesSince, leaksIn, problemShapeErrors, snapshot } from './fuzz/checks.ts';
import { fuzzRoute, type RouteSpec, type RouteStats, send } from './fuzz/engine.ts';
import { EXEMPT, ROUTE_SPECS } from './fuzz/routes.ts';
import { buildWorld, type World } from './fuzz/world.ts';

const intEnv = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const SQLITE_RUNS = intEnv('KASANE_FUZZ_RUNS', 1000);
const PG_RUNS = intEnv('KASANE_FUZZ_PG_RUNS', 100);
const SEED = process.env.KASANE_FUZZ_SEED ? Number(process.env.KASANE_FUZZ_SEED) : Date.now() ^ (Math.random() * 0x7fffffff);

const keyOf = (method: string, url: string) => `${method} ${url}`;
const hasInput = (e: RouteEntry | undefined) => Boolean(e?.schema && (e.schema.body || e.schema.querystring || e.schema.params));

/** Routes without an input schema take no input to derive from: a tenth of the runs (≥ 20). */
function runsFor(spec: RouteSpec, entry: RouteEntry, base: number): number {
  if (hasInput(entry)) return base;
  return Math.max(20, Math.min(spec.runs ?? base, Math.ceil(base / 10)));
}

const TIERS: { kind: DbKind; runs: number }[] = [
  { kind: 'sqlite', runs: SQLITE_RUNS },
  { kind: 'postgres', runs: PG_RUNS },
];

console.log(`fuzz seed ${SEED} (replay with KASANE_FUZZ_SEED=${SEED})`);

describe.each(TIERS)('fuzz every input ($kind, $runs runs per route)', ({ kind, runs }) => {
  let s: TestServer;
  let w: World;
  let routes: Map<string, RouteEntry>;
  const stats: RouteStats[] = [];
  let started = Date.now();

  beforeAll(async () => {
    started = Date.now();
    s = await startServer(kind);
    // Durability is T4's business; here every fsync would only slow the runs down.
    if (kind === 'sqlite') await sql`PRAGMA synchronous = OFF`.execute(s.services.db);
    w = await buildWorld(s);
    routes = new Map(routeTable(s.app).map((r) => [keyOf(r.method, r.url), r]));
  });

  afterAll(async () => {
    await s?.stop();
    const total = stats.reduce((n, r) => n + r.runs, 0);
    const fiveXX = stats.reduce((n, r) => n + r.fiveXX, 0);
    const withInput = stats.filter((r) => hasInput(routes?.get(r.route)));
    const lines = stats.map((r) => {
      const st = Object.entries(r.statuses)
        .map(([k, v]) => `${k}×${v}`)
        .join(' ');
      return `  ${r.route.padEnd(48)} ${String(r.runs).padStart(6)} runs  ${String(r.accepted).padStart(5)} accepted  ${(r.ms / 1000).toFixed(1).padStart(5)} s  ${st}`;
    });
    console.log(
      [
        `fuzz (${kind}): ${stats.length} endpoints, ${total} runs (${withInput.length} endpoints with input schemas at ≥ ${runs} runs each), ${fiveXX} × 5xx, seed ${SEED}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
        ...lines,
      ].join('\n'),
    );
  });

  it('every route in the route table is fuzzed (a new route fails until it has a spec)', () => {
    const specKeys = new Set(ROUTE_SPECS.map((r) => keyOf(r.method, r.url)));
    const missing: string[] = [];
    for (const r of routes.values()) {
      const key = keyOf(r.method, r.url);
      if (!r.url.startsWith('/api/') || EXEMPT.has(key) || specKeys.has(key)) continue;
      // HEAD twins of GET routes are fuzzed by sending HEAD in some of the GET runs.
      if (r.method === 'HEAD' && specKeys.has(keyOf('GET', r.url))) continue;
      missing.push(key);
    }
    expect(missing, 'routes without a fuzz spec in test/safety/fuzz/routes.ts').toEqual([]);
    const stale = [...specKeys].filter((k) => !routes.has(k));
    expect(stale, 'fuzz specs for routes that no longer exist').toEqual([]);
  });

  for (const spec of ROUTE_SPECS) {
    const key = keyOf(spec.method, spec.url);
    it(key, async () => {
      const entry = routes.get(key);
      if (!entry) throw new Error(`no such route: ${key}`);
      const n = runsFor(spec, entry, runs);
      const st: RouteStats = { route: key, runs: 0, statuses: {}, accepted: 0, fiveXX: 0, ms: 0 };
      stats.push(st);
      await fuzzRoute(spec, entry, w, { runs: n, seed: SEED, stats: st });
      expect(st.fiveXX).toBe(0);
      expect(st.runs).toBeGreaterThanOrEqual(n);
      // Positive control: the net must reach the handler, not only bounce off validation.
      if (spec.expectAccepted !== false) expect(st.accepted, `${key}: no run was accepted`).toBeGreaterThan(0);
    }, 600_000);
  }

  // Counterexamples the fuzzer found, kept as fixed cases (each failed before its fix in src/).
  const REGRESSIONS: { name: string; method: string; path: string; body?: string; headers?: Record<string, string>; status: number; errorPath?: string }[] = [
    // Fastify answered an undecodable URL with its own JSON, not problem+json (app.ts frameworkErrors).
    { name: 'undecodable percent-escape in a path parameter', method: 'POST', path: '/api/v1/users/%ZZ/disable', status: 400 },
    { name: 'path parameter over 100 characters', method: 'POST', path: `/api/v1/cases/${'x'.repeat(101)}/status`, body: '{"to":"closed"}', status: 414 },
    // Node's HTTP parser refused an over-long URL with Fastify's default JSON (app.ts clientErrorHandler).
    { name: 'URL over the 16 KiB header limit', method: 'GET', path: `/api/v1/persons?q=${'%E3%81%82'.repeat(2000)}`, status: 431 },
    { name: 'URL over the 16 KiB header limit (HEAD: no body, no parse error)', method: 'HEAD', path: `/api/v1/cases?q=${'a'.repeat(20_000)}`, status: 431 },
    // PostgreSQL refused a NUL in a compared parameter: 500 (schemas.ts matchable()).
    {
      name: 'NUL in a login id (token)',
      method: 'POST',
      path: '/api/v1/auth/token',
      body: '{"loginId":"a\\u0000","password":"x"}',
      status: 400,
      errorPath: 'loginId',
    },
    {
      name: 'NUL in a login id (browser login)',
      method: 'POST',
      path: '/api/v1/auth/login',
      body: '{"loginId":"\\u0000admin","password":"x"}',
      status: 400,
      errorPath: 'loginId',
    },
    { name: 'NUL in the search words', method: 'GET', path: '/api/v1/persons?q=a%00b', status: 400, errorPath: 'querystring.q' },
  ];
  for (const r of REGRESSIONS) {
    it(`regression: ${r.name}`, async () => {
      const before = await snapshot(s);
      const headers: Record<string, string> = {
        authorization: `Bearer ${w.accounts.lead.token}`,
        ...(r.body ? { 'content-type': 'application/json' } : {}),
        ...r.headers,
      };
      const res = await send(`${s.url}${r.path}`, r.method, headers, r.body);
      expect(res.status, res.text).toBe(r.status);
      expect(res.contentType).toContain('application/problem+json');
      if (r.method !== 'HEAD') {
        expect(problemShapeErrors(res.status, res.contentType, res.text)).toEqual([]);
        if (r.errorPath) expect(JSON.parse(res.text).errors.map((e: { path: string }) => e.path)).toContain(r.errorPath);
      } else expect(res.text).toBe('');
      const changed = await changesSince(s, before);
      expect([...changed.tables, ...changed.writes]).toEqual([]);
    });
  }

  it('paths outside the route table and the web UI routes: never 5xx, API misses are problem+json', async () => {
    const st: RouteStats = { route: '(unrouted paths, web UI)', runs: 0, statuses: {}, accepted: 0, fiveXX: 0, ms: 0 };
    stats.push(st);
    const webRoutes = [...routes.values()].filter((r) => !r.url.startsWith('/api/')).map((r) => r.url);
    const t0 = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        fc.oneof(
          fc.constantFrom(...(webRoutes.length ? webRoutes : ['/'])),
          fc.constantFrom(...RAW_SEGMENTS, ...HOSTILE_STRINGS.slice(0, 40).map(encodeLoose)).map((seg) => `/api/v1/${seg}`),
          fc.constantFrom(...RAW_SEGMENTS).map((seg) => `/${seg}`),
          fc.constantFrom('/api', '/api/', '/api/v2/persons', '/api/v1/persons/', '/api/v1//persons', '/api/v1/persons/a/b/c', '/API/V1/PERSONS'),
        ),
        fc.option(fc.constantFrom(...RAW_QUERIES), { nil: undefined }),
        fc.boolean(),
        async (method, path, query, withToken) => {
          const res = await send(`${s.url}${path}${query ? `?${query}` : ''}`, method, withToken ? { authorization: `Bearer ${w.accounts.lead.token}` } : {});
          const text = res.text;
          st.runs++;
          st.statuses[res.status] = (st.statuses[res.status] ?? 0) + 1;
          if (res.status >= 500) st.fiveXX++;
          expect(res.status, `${method} ${path}`).toBeLessThan(500);
          if (res.status >= 400 && path.startsWith('/api/') && method !== 'HEAD')
            expect(problemShapeErrors(res.status, res.contentType, text), `${method} ${path}?${query ?? ''} → ${res.status} ${text.slice(0, 300)}`).toEqual([]);
          if (res.status >= 400) expect(leaksIn(text), `${method} ${path}`).toEqual([]);
        },
      ),
      { numRuns: Math.max(100, Math.ceil(runs / 5)), seed: SEED },
    );
    st.ms = Date.now() - t0;
  }, 300_000);
});
