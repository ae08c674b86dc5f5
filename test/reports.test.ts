/**
 * The yearly report query (src/reports/yearly.ts) over a generated city (bench/city.ts), on
 * both databases: its counts equal the same counts taken row by row, months follow Japan
 * time, and the generated city's audit chain verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCity } from '../bench/city.ts';
import { verifyAuditChain } from '../src/audit/verify.ts';
import { type KasaneDatabase, openDatabase } from '../src/db/connect.ts';
import { yearlyReport } from '../src/reports/yearly.ts';
import { freshLocation, KINDS } from './helpers/server.ts';

describe.each(KINDS)('yearly report (%s)', (kind) => {
  let database: KasaneDatabase;
  let cleanup = () => {};
  beforeAll(async () => {
    const fresh = await freshLocation(kind);
    cleanup = fresh.cleanup;
    const city = await generateCity(fresh.location, { persons: 3000, recordsPerCase: 2, seed: 6 });
    expect(city.counts.persons).toBe(3000);
    expect(city.readerCases.length).toBeGreaterThan(0);
    database = openDatabase(fresh.location);
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    cleanup();
  });

  it('the generated city has a verifiable audit chain and searchable persons', async () => {
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(true);
    expect(result.entries).toBeGreaterThan(3000);
    const persons = await database.db
      .selectFrom('persons')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const indexed = await database.db
      .selectFrom('personSearchKeys')
      .select((eb) => eb.fn.count<number>('personId').distinct().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(indexed.n)).toBe(Number(persons.n));
  });

  it('counts consultations per Japan month, problems, referral routes and meetings as the rows do', async () => {
    const { db } = database;
    // Two cases on the fiscal year's first instant, either side of it (Japan time, UTC+9).
    const [a, b] = await db.selectFrom('cases').select('id').orderBy('id').limit(2).execute();
    await db.updateTable('cases').set({ openedAt: '2026-03-31T15:00:00.000Z' }).where('id', '=', a!.id).execute();
    await db.updateTable('cases').set({ openedAt: '2026-03-31T14:59:59.999Z' }).where('id', '=', b!.id).execute();
    for (const fy of [2025, 2026]) {
      const report = await yearlyReport(db, fy);
      const from = fy === 2025 ? '2025-03-31T15:00:00.000Z' : '2026-03-31T15:00:00.000Z';
      const to = fy === 2025 ? '2026-03-31T15:00:00.000Z' : '2027-03-31T15:00:00.000Z';
      expect([report.from, report.to]).toEqual([from, to]);
      const cases = (await db.selectFrom('cases').select(['id', 'openedAt', 'referralRoute']).execute()).filter((c) => c.openedAt >= from && c.openedAt < to);
      expect(report.consultations).toBe(cases.length);
      expect(report.consultationsByMonth).toHaveLength(12);
      expect(report.consultationsByMonth[0]!.month).toBe(`${fy}-04`);
      expect(report.consultationsByMonth[11]!.month).toBe(`${fy + 1}-03`);
      const jstMonth = (iso: string) => new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 7);
      for (const m of report.consultationsByMonth) expect(m.count).toBe(cases.filter((c) => jstMonth(c.openedAt) === m.month).length);
      const ids = new Set(cases.map((c) => c.id));
      const problems = (await db.selectFrom('caseProblems').select(['caseId', 'type']).execute()).filter((p) => ids.has(p.caseId));
      const byType = new Map<string, Set<string>>();
      for (const p of problems) byType.set(p.type, (byType.get(p.type) ?? new Set()).add(p.caseId));
      expect(Object.fromEntries(report.casesByProblemType.map((p) => [p.type, p.count]))).toEqual(Object.fromEntries([...byType].map(([t, s]) => [t, s.size])));
      const byRoute = new Map<string, number>();
      for (const c of cases) byRoute.set(c.referralRoute, (byRoute.get(c.referralRoute) ?? 0) + 1);
      expect(Object.fromEntries(report.casesByReferralRoute.map((r) => [r.route, r.count]))).toEqual(Object.fromEntries(byRoute));
      const meetings = (await db.selectFrom('meetings').select(['kind', 'startsAt']).execute()).filter((m) => m.startsAt >= from && m.startsAt < to);
      const byKind = new Map<string, number>();
      for (const m of meetings) byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
      expect(Object.fromEntries(report.meetingsByKind.map((m) => [m.kind, m.count]))).toEqual(Object.fromEntries(byKind));
    }
    const fy2026 = await yearlyReport(db, 2026);
    const fy2025 = await yearlyReport(db, 2025);
    expect(fy2026.consultationsByMonth[0]!.count).toBeGreaterThanOrEqual(1);
    expect(fy2025.consultationsByMonth[11]!.count).toBeGreaterThanOrEqual(1);
  });
});
