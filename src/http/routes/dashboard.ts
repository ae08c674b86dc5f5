/**
 * The coordinator's dashboard: what needs attention across the municipality — cases by status,
 * overdue plan reviews, stalled actions, tasks due, cases without consent waiting for a 支援会議,
 * plans awaiting approval. It stays within the coordinator's index (rule 1: household name,
 * status, lead, team, next meeting): counts, dates and organizations, never plan text; a task's
 * text only for the coordinator's own organization.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { todayInTokyo } from '../../ja/wareki.ts';
import { nowIso } from '../../lib/clock.ts';
import type { Services } from '../../services.ts';
import { requireRole } from '../context.ts';
import { auditReads } from '../transaction.ts';

const TASK_HORIZON_DAYS = 14;

export async function dashboardRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.get('/dashboard', { schema: { tags: ['lifecycle'], summary: '推進員のダッシュボード（索引の範囲）' } }, async (req) => {
    const actor = requireRole(req, 'coordinator');
    const today = todayInTokyo();
    const horizon = new Date(Date.parse(`${today}T00:00:00Z`) + TASK_HORIZON_DAYS * 86_400_000).toISOString().slice(0, 10);

    const byStatus = await db
      .selectFrom('cases')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const casesByStatus: Record<string, number> = { intake: 0, assessment: 0, planning: 0, in_support: 0, closed: 0 };
    for (const row of byStatus) casesByStatus[row.status] = Number(row.n);

    // The plan in force per open case: the latest approved version, else the latest version.
    const inForce = db
      .selectFrom('plans as p')
      .innerJoin('cases as c', 'c.id', 'p.caseId')
      .select(['p.id', 'p.caseId'])
      .where('c.status', '!=', 'closed')
      .where((eb) =>
        eb(
          'p.version',
          '=',
          eb
            .selectFrom('plans as q')
            .select((q) => q.fn.max('q.version').as('v'))
            .whereRef('q.caseId', '=', 'p.caseId')
            .where((q) =>
              q.or([
                q('q.status', '=', 'approved'),
                q.not(q.exists(q.selectFrom('plans as z').select('z.id').whereRef('z.caseId', '=', 'p.caseId').where('z.status', '=', 'approved'))),
              ]),
            ),
        ),
      );
    const actions = await db
      .selectFrom(inForce.as('f'))
      .innerJoin('planActions as a', 'a.planId', 'f.id')
      .innerJoin('cases as c', 'c.id', 'a.caseId')
      .innerJoin('households as h', 'h.id', 'c.householdId')
      .innerJoin('organizations as lo', 'lo.id', 'c.leadOrganizationId')
      .innerJoin('organizations as o', 'o.id', 'a.organizationId')
      .select(['a.caseId', 'a.actionKey', 'a.reviewOn', 'h.name as householdName', 'lo.name as leadOrganizationName', 'o.name as organizationName'])
      .select((eb) => [
        eb
          .selectFrom('monitoringEntries as m')
          .select('m.status')
          .whereRef('m.caseId', '=', 'a.caseId')
          .whereRef('m.actionKey', '=', 'a.actionKey')
          .orderBy('m.createdAt', 'desc')
          .limit(1)
          .as('lastStatus'),
        eb
          .selectFrom('monitoringEntries as m')
          .select('m.nextReviewOn')
          .whereRef('m.caseId', '=', 'a.caseId')
          .whereRef('m.actionKey', '=', 'a.actionKey')
          .orderBy('m.createdAt', 'desc')
          .limit(1)
          .as('movedReviewOn'),
      ])
      .execute();
    const overdue = new Map<
      string,
      { caseId: string; householdName: string | null; leadOrganizationName: string; organizationName: string; reviewOn: string; actions: number }
    >();
    const stalled = new Map<string, { caseId: string; householdName: string | null; count: number }>();
    for (const a of actions) {
      const reviewOn = a.movedReviewOn ?? a.reviewOn;
      if (reviewOn < today && a.lastStatus !== 'done') {
        const key = `${a.caseId}/${a.organizationName}`;
        const o = overdue.get(key) ?? {
          caseId: a.caseId,
          householdName: a.householdName,
          leadOrganizationName: a.leadOrganizationName,
          organizationName: a.organizationName,
          reviewOn,
          actions: 0,
        };
        o.actions += 1;
        if (reviewOn < o.reviewOn) o.reviewOn = reviewOn;
        overdue.set(key, o);
      }
      if (a.lastStatus === 'stalled' || a.lastStatus === 'new_problem') {
        const s = stalled.get(a.caseId) ?? { caseId: a.caseId, householdName: a.householdName, count: 0 };
        s.count += 1;
        stalled.set(a.caseId, s);
      }
    }

    const tasks = await db
      .selectFrom('tasks as t')
      .innerJoin('cases as c', 'c.id', 't.caseId')
      .innerJoin('households as h', 'h.id', 'c.householdId')
      .innerJoin('organizations as o', 'o.id', 't.organizationId')
      .select(['t.id as taskId', 't.caseId', 'h.name as householdName', 't.organizationId', 'o.name as organizationName', 't.dueOn', 't.status', 't.task'])
      .where('t.status', '!=', 'done')
      .where('t.dueOn', 'is not', null)
      .where('t.dueOn', '<=', horizon)
      .orderBy('t.dueOn')
      .limit(200)
      .execute();

    // Cases with a person with a problem and no active consent at all: only a 支援会議 may discuss them (rule 2).
    const awaiting = await db
      .selectFrom('cases as c')
      .innerJoin('households as h', 'h.id', 'c.householdId')
      .select(['c.id as caseId', 'h.name as householdName'])
      .select((eb) => [
        eb
          .selectFrom('caseProblems as p')
          .select((q) => q.fn.count<number>('p.personId').distinct().as('n'))
          .whereRef('p.caseId', '=', 'c.id')
          .where((q) =>
            q.not(q.exists(q.selectFrom('consents as k').select('k.id').whereRef('k.personId', '=', 'p.personId').where('k.withdrawnAt', 'is', null))),
          )
          .as('withoutConsent'),
        eb
          .selectFrom('meetingCases as mc')
          .innerJoin('meetings as m', 'm.id', 'mc.meetingId')
          .select((q) => q.fn.min('m.startsAt').as('s'))
          .whereRef('mc.caseId', '=', 'c.id')
          .where('m.legalBasis', '!=', 'consent')
          .where('m.startsAt', '>=', nowIso())
          .as('nextSupportMeetingAt'),
      ])
      .where('c.status', '!=', 'closed')
      .execute();

    const plans = await db
      .selectFrom('plans as p')
      .innerJoin('cases as c', 'c.id', 'p.caseId')
      .innerJoin('households as h', 'h.id', 'c.householdId')
      .select(['p.caseId', 'h.name as householdName', 'p.version', 'p.submittedAt'])
      .where('p.status', '=', 'submitted')
      .orderBy('p.submittedAt')
      .execute();

    await auditReads(services, req, [
      { type: 'DASHBOARD_VIEWED', basis: [{ ground: 'coordinator_index' }], payload: { cases: Object.values(casesByStatus).reduce((a, b) => a + b, 0) } },
    ]);
    return {
      today,
      casesByStatus,
      overdueReviews: [...overdue.values()].sort((a, b) => a.reviewOn.localeCompare(b.reviewOn)),
      stalledActions: [...stalled.values()],
      tasksDue: tasks.map((t) => ({ ...t, overdue: (t.dueOn ?? '') < today, task: t.organizationId === actor.organizationId ? t.task : null })),
      awaitingSupportMeeting: awaiting
        .filter((c) => Number(c.withoutConsent) > 0)
        .map((c) => ({
          caseId: c.caseId,
          householdName: c.householdName,
          withoutConsent: Number(c.withoutConsent),
          nextSupportMeetingAt: c.nextSupportMeetingAt ?? null,
        })),
      plansAwaitingApproval: plans,
    };
  });
}
