/**
 * The yearly report of the 重層的支援体制整備事業 (事業実績報告): counts for one fiscal year
 * (年度, 1 April to 31 March in Japan time) — consultations received per month, cases by
 * problem type, by referral route, and meetings by kind. Counts only: no personal data, so
 * nothing to audit per person. Each figure is one aggregate query over indexed ranges, in the
 * SQL common to both dialects (timestamps are ISO-8601 UTC text, so month boundaries are
 * computed here in Japan time and compared as text).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export interface YearlyReport {
  fiscalYear: number;
  from: string;
  to: string;
  /** Consultations (cases opened) per month, April first. */
  consultationsByMonth: { month: string; count: number }[];
  consultations: number;
  /** Cases opened in the year with at least one problem of the type (a case counts once per type). */
  casesByProblemType: { type: string; count: number }[];
  casesByReferralRoute: { route: string; count: number }[];
  meetingsByKind: { kind: string; count: number }[];
}

/** The UTC instant of midnight on the 1st of `month` (1–12) of `year`, Japan time (UTC+9, no DST). */
function tokyoMonthStart(year: number, month: number): string {
  return new Date(Date.UTC(year, month - 1, 1) - 9 * 3_600_000).toISOString();
}

export async function yearlyReport(db: Kysely<DB>, fiscalYear: number): Promise<YearlyReport> {
  const months = Array.from({ length: 13 }, (_, i) => {
    const m = 4 + i;
    return {
      label: `${fiscalYear + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}`,
      start: tokyoMonthStart(fiscalYear + Math.floor((m - 1) / 12), ((m - 1) % 12) + 1),
    };
  });
  const from = months[0]!.start;
  const to = months[12]!.start;
  const opened = await db
    .selectFrom('cases')
    .select((eb) =>
      months.slice(0, 12).map((m, i) =>
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.and([eb('openedAt', '>=', m.start), eb('openedAt', '<', months[i + 1]!.start)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as(`m${i}`),
      ),
    )
    .where('openedAt', '>=', from)
    .where('openedAt', '<', to)
    .executeTakeFirst();
  const consultationsByMonth = months
    .slice(0, 12)
    .map((m, i) => ({ month: m.label, count: Number((opened as Record<string, unknown> | undefined)?.[`m${i}`] ?? 0) }));
  const byProblem = await db
    .selectFrom('caseProblems as p')
    .innerJoin('cases as c', 'c.id', 'p.caseId')
    .select(['p.type', (eb) => eb.fn.count<number>('p.caseId').distinct().as('count')])
    .where('c.openedAt', '>=', from)
    .where('c.openedAt', '<', to)
    .groupBy('p.type')
    .orderBy('p.type')
    .execute();
  const byRoute = await db
    .selectFrom('cases')
    .select(['referralRoute', (eb) => eb.fn.countAll<number>().as('count')])
    .where('openedAt', '>=', from)
    .where('openedAt', '<', to)
    .groupBy('referralRoute')
    .orderBy('referralRoute')
    .execute();
  const meetings = await db
    .selectFrom('meetings')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('count')])
    .where('startsAt', '>=', from)
    .where('startsAt', '<', to)
    .groupBy('kind')
    .orderBy('kind')
    .execute();
  return {
    fiscalYear,
    from,
    to,
    consultationsByMonth,
    consultations: consultationsByMonth.reduce((n, m) => n + m.count, 0),
    casesByProblemType: byProblem.map((p) => ({ type: p.type, count: Number(p.count) })),
    casesByReferralRoute: byRoute.map((r) => ({ route: r.referralRoute, count: Number(r.count) })),
    meetingsByKind: meetings.map((m) => ({ kind: m.kind, count: Number(m.count) })),
  };
}
