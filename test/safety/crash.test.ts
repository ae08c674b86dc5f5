/**
 * T4 — crash safety. A real `kasane serve` child process on SQLite and on PostgreSQL; a driver
 * writes persons, households, cases and records through the HTTP API (several requests in
 * flight) and journals every ACKNOWLEDGED write (201 with an id). The server is killed with
 * SIGKILL after a random 50–400 ms of writes, restarted, and the run goes on.
 *
 * After every kill (the server dead): the audit chain verifies against its anchor (the anchor
 * may lag one commit by design — it is appended after the commit — and that is not tampering),
 * and on SQLite `PRAGMA integrity_check` is ok. After the run: every journaled write is there
 * with what was sent, no transaction is partial (each case has its lead team row, its first
 * status row and its problems; each household its members; each row its audit event), audit
 * write events match the rows one for one, `kasane audit verify` exits 0, and the restarted
 * server answers for the journaled ids.
 *
 * CI: 25 cycles per database (50 in all, the figure). KASANE_LONG_NETS=1: 250 per database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, type ExpectStatic, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { type DbKind, freshLocation, KINDS } from '../helpers/server.ts';
import { Driver } from './driver.ts';
import { adminToken, anchorOf, api, caseworker, childEnv, expectOk, initDatabase, kasane, LONG, rng, type ServeProcess, seedFrom, serve } from './proc.ts';

const CYCLES = LONG ? 250 : 25;
const WRITERS = 4;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function crashRun(kind: DbKind, expect: ExpectStatic) {
  const seed = seedFrom(`crash ${kind}`);
  const r = rng(seed);
  const dir = mkdtempSync(join(tmpdir(), 'kasane-crash-'));
  dirs.push(dir);
  const location = kind === 'sqlite' ? join(dir, 'kasane.sqlite') : (await freshLocation('postgres')).location;
  const anchorPath = kind === 'postgres' ? join(dir, 'audit-anchor') : undefined;
  const env = childEnv({ KASANE_AUDIT_ANCHOR: anchorPath });
  await initDatabase(location, env, 'クラッシュ試験市');

  let server: ServeProcess = await serve(location, env);
  const admin = await adminToken(server.url);
  const who = await caseworker(server.url, admin, `${kind}${seed.toString(36)}`);
  const driver = new Driver(r, who, seed.toString(36).slice(0, 4));
  const startTimes: number[] = [];
  let anchorBehind = 0;
  let maxLag = 0;
  const started = Date.now();

  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    if (cycle > 1) {
      server = await serve(location, env);
      startTimes.push(server.startMs);
    }
    const stop = { value: false };
    const writers = Array.from({ length: WRITERS }, () => driver.writer(server.url, stop));
    const killAfter = r.int(50, 400);
    await new Promise((res) => setTimeout(res, killAfter));
    stop.value = true;
    await server.kill('SIGKILL');
    const exit = await server.exited;
    expect(exit.signal, `cycle ${cycle}: the server died of SIGKILL`).toBe('SIGKILL');
    await Promise.all(writers);

    // The server is dead: what is on disk must be a consistent database with a sound chain.
    const checker = openDatabase(location);
    try {
      if (kind === 'sqlite') {
        const rows = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(checker.db);
        expect(
          rows.rows.map((x) => Object.values(x)[0]),
          `cycle ${cycle}: integrity_check`,
        ).toEqual(['ok']);
      }
      const anchor = anchorOf(location, anchorPath);
      const verdict = await verifyAuditChain(checker.db, anchor);
      expect(verdict, `cycle ${cycle}: audit chain after the kill`).toMatchObject({ ok: true, anchor: 'checked' });
      const anchoredSeq = anchor?.latest().head?.seq ?? 0;
      const lag = verdict.entries - anchoredSeq;
      if (lag > 0) anchorBehind += 1;
      maxLag = Math.max(maxLag, lag);
    } finally {
      await checker.close();
    }
  }
  const runMs = Date.now() - started;

  // `kasane audit verify` right after the last kill (the anchor may lag): exit 0.
  const cli = await kasane(['audit', 'verify', '--db', location], env);
  expect(cli.code, `kasane audit verify: ${cli.stdout}${cli.stderr}`).toBe(0);
  expect(cli.stdout).toMatch(/audit chain intact: \d+ entries \(anchor: checked\)/);

  const j = driver.journal;
  const db = openDatabase(location);
  try {
    // Zero acknowledged writes lost, each with what was sent.
    const persons = new Map((await db.db.selectFrom('persons').select(['id', 'familyName']).execute()).map((p) => [p.id, p.familyName]));
    const lostPersons = [...j.persons].filter(([id, p]) => persons.get(id) !== p.familyName);
    const households = new Map<string, string[]>();
    for (const m of await db.db.selectFrom('householdMembers').select(['householdId', 'personId']).orderBy('householdId').orderBy('position').execute()) {
      households.set(m.householdId, [...(households.get(m.householdId) ?? []), m.personId]);
    }
    const householdIds = new Set((await db.db.selectFrom('households').select('id').execute()).map((h) => h.id));
    const lostHouseholds = [...j.households].filter(([id, h]) => !householdIds.has(id) || JSON.stringify(households.get(id)) !== JSON.stringify(h.personIds));
    const cases = new Map((await db.db.selectFrom('cases').select(['id', 'householdId']).execute()).map((c) => [c.id, c.householdId]));
    const lostCases = [...j.cases].filter(([id, c]) => cases.get(id) !== c.householdId);
    const records = new Map((await db.db.selectFrom('records').select(['id', 'body', 'caseId']).execute()).map((x) => [x.id, x]));
    const lostRecords = [...j.records].filter(([id, x]) => records.get(id)?.body !== x.body || records.get(id)?.caseId !== x.caseId);
    expect({ lostPersons, lostHouseholds, lostCases, lostRecords }).toEqual({ lostPersons: [], lostHouseholds: [], lostCases: [], lostRecords: [] });

    // No partial transaction.
    const team = await db.db.selectFrom('caseTeam').select(['caseId', 'organizationId', 'basis']).where('basis', '=', 'lead').execute();
    const leadOf = new Map(team.map((t) => [t.caseId, t.organizationId]));
    const statusCount = new Map<string, number>();
    for (const s of await db.db.selectFrom('caseStatusChanges').select(['caseId', 'toStatus', 'fromStatus']).execute()) {
      if (s.fromStatus === null && s.toStatus === 'intake') statusCount.set(s.caseId, (statusCount.get(s.caseId) ?? 0) + 1);
    }
    const problemCount = new Map<string, number>();
    for (const p of await db.db.selectFrom('caseProblems').select('caseId').execute()) problemCount.set(p.caseId, (problemCount.get(p.caseId) ?? 0) + 1);
    const events = await db.db
      .selectFrom('auditEvents')
      .select(['type', 'subjectId', 'payload'])
      .where('type', 'in', ['PERSON_CREATED', 'HOUSEHOLD_CREATED', 'CASE_OPENED', 'RECORD_ADDED', 'USER_CREATED', 'ORGANIZATION_CREATED'])
      .execute();
    const subjectsOf = (type: string) => events.filter((e) => e.type === type).map((e) => e.subjectId!);
    const opened = new Map(events.filter((e) => e.type === 'CASE_OPENED').map((e) => [e.subjectId!, JSON.parse(e.payload) as { problemCount: number }]));
    const createdHouseholds = new Map(
      events.filter((e) => e.type === 'HOUSEHOLD_CREATED').map((e) => [e.subjectId!, JSON.parse(e.payload) as { personIds: string[] }]),
    );
    const partialCases = [...cases.keys()].filter(
      (id) => !leadOf.has(id) || statusCount.get(id) !== 1 || (problemCount.get(id) ?? 0) !== opened.get(id)?.problemCount,
    );
    const partialHouseholds = [...householdIds].filter(
      (id) => !households.get(id)?.length || JSON.stringify(households.get(id)) !== JSON.stringify(createdHouseholds.get(id)?.personIds),
    );
    expect({ partialCases, partialHouseholds }).toEqual({ partialCases: [], partialHouseholds: [] });

    // Audit write events match the committed rows one for one (no row without its event, no event without its row).
    const sorted = (xs: Iterable<string>) => [...xs].sort();
    const ids = async (table: 'users' | 'organizations') => (await db.db.selectFrom(table).select('id').execute()).map((x) => x.id);
    expect(sorted(subjectsOf('PERSON_CREATED'))).toEqual(sorted(persons.keys()));
    expect(sorted(subjectsOf('HOUSEHOLD_CREATED'))).toEqual(sorted(householdIds));
    expect(sorted(subjectsOf('CASE_OPENED'))).toEqual(sorted(cases.keys()));
    expect(sorted(subjectsOf('RECORD_ADDED'))).toEqual(sorted(records.keys()));
    expect(sorted(subjectsOf('USER_CREATED'))).toEqual(sorted(await ids('users')));
    expect(sorted(subjectsOf('ORGANIZATION_CREATED'))).toEqual(sorted(await ids('organizations')));
    if (kind === 'sqlite') {
      expect((await sql`PRAGMA foreign_key_check`.execute(db.db)).rows).toEqual([]);
    }

    // The driver saw no refusal and no 5xx: every failure was the kill.
    expect(driver.tally.unexpected).toEqual([]);

    // Committed but never acknowledged (cut off by a kill) — allowed, and counted.
    const committedUnacked =
      persons.size - j.persons.size + (cases.size - j.cases.size) + (records.size - j.records.size) + (householdIds.size - j.households.size);

    // The restarted server answers for what was acknowledged (a sample of each kind).
    server = await serve(location, env);
    startTimes.push(server.startMs);
    const sample = <T>(xs: T[], k: number) => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / k)) === 0).slice(0, k);
    for (const id of sample([...j.persons.keys()], 10)) expectOk(await api(server.url, who.token, 'GET', `/persons/${id}`), 200, `GET /persons/${id}`);
    for (const id of sample([...j.households.keys()], 5)) expectOk(await api(server.url, who.token, 'GET', `/households/${id}`), 200, `GET /households/${id}`);
    for (const id of sample([...j.cases.keys()], 5)) {
      expectOk(await api(server.url, who.token, 'GET', `/cases/${id}`), 200, `GET /cases/${id}`);
      const recs = expectOk(await api(server.url, who.token, 'GET', `/cases/${id}/records`), 200, 'GET records').json;
      const mine = [...j.records].filter(([, x]) => x.caseId === id).map(([rid]) => rid);
      const listed = new Set((recs.items as { id: string }[]).map((x) => x.id));
      for (const rid of mine) expect(listed.has(rid), `record ${rid} listed under its case`).toBe(true);
    }
    await server.kill('SIGTERM');
    const after = await kasane(['audit', 'verify', '--db', location], env);
    expect(after.code, after.stdout).toBe(0);

    const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
    console.log(
      `[crash ${kind}] seed ${seed}: ${CYCLES} SIGKILL cycles in ${(runMs / 1000).toFixed(1)} s; writes attempted ${driver.tally.attempted}, ` +
        `acknowledged ${driver.tally.acknowledged} (persons ${j.persons.size}, households ${j.households.size}, cases ${j.cases.size}, records ${j.records.size}), ` +
        `cut off by a kill ${driver.tally.unanswered} (of which committed without an answer: ${committedUnacked}); acknowledged lost: 0; partial transactions: 0; ` +
        `audit entries ${(await verifyAuditChain(db.db)).entries}, chain verified after every kill; anchor behind the head after ${anchorBehind}/${CYCLES} kills (max ${maxLag} entries, by design); ` +
        `restart to listening: mean ${mean(startTimes)} ms, max ${Math.max(...startTimes)} ms`,
    );
  } finally {
    await db.close();
  }
}

// The two databases run side by side: a cycle mostly waits for a child process to start.
describe.concurrent('T4 crash safety: SIGKILL during writes, restart, nothing acknowledged is lost', () => {
  for (const kind of KINDS) {
    it(`${kind}: ${CYCLES} kill cycles`, ({ expect }) => crashRun(kind, expect), (LONG ? 40 : 4) * 60_000);
  }
});
