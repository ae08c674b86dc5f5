/**
 * Shared pieces of the lifecycle routes: loading the scope (404 for an invisible case, 403 with
 * the reason for the coordinator's index), the household members, and the views of an
 * assessment and a plan cut to the scope. They decide nothing: src/policy/lifecycle.ts does.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AuditEventInput, AuditEventType, LegalBasis } from '../audit/events.ts';
import type { AssessmentTable, DB, PlanTable } from '../db/schema.ts';
import type { AssessmentContent } from '../domain/lifecycle.ts';
import type { DiffablePlan } from '../domain/planDiff.ts';
import { todayInTokyo } from '../ja/index.ts';
import { nowIso } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { type LifecycleScope, lifecycleAbilities, lifecycleScope, seesPerson } from '../policy/lifecycle.ts';
import type { Services } from '../services.ts';
import { actorOf } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import type { Lang } from './messages.ts';
import { auditReads } from './transaction.ts';

export async function loadLifecycle(services: Services, req: FastifyRequest, caseId: string, opts: { meetings?: boolean; ownWork?: boolean } = {}) {
  const actor = actorOf(req);
  const scope = await lifecycleScope(services.db, actor, caseId, opts);
  if (!scope) {
    const exists = await services.db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
    if (exists) await auditReads(services, req, [{ type: 'ACCESS_DENIED', outcome: 'denied', caseId, subjectType: 'case', subjectId: caseId }]);
    throw notFound();
  }
  if (scope.indexOnly && !(opts.ownWork && scope.access?.onTeam)) {
    await auditReads(services, req, [
      { type: 'ACCESS_DENIED', outcome: 'denied', caseId, subjectType: 'case_lifecycle', subjectId: caseId, payload: { reason: 'index_only' } },
    ]);
    throw forbidden(scope.access?.onTeam ? 'rule.plan_needs_consent' : 'rule.content_needs_ground');
  }
  return { actor, scope, abilities: lifecycleAbilities(scope) };
}

export type HouseholdMember = Awaited<ReturnType<typeof householdOf>>['members'][number];

/** The case's household: members with what the diagrams and forms need. */
export async function householdOf(db: Kysely<DB>, caseId: string) {
  const kase = await db
    .selectFrom('cases')
    .innerJoin('households', 'households.id', 'cases.householdId')
    .select(['cases.id', 'cases.status', 'cases.householdId', 'cases.leadOrganizationId', 'cases.openedAt', 'households.name as householdName'])
    .where('cases.id', '=', caseId)
    .executeTakeFirstOrThrow();
  const members = await db
    .selectFrom('householdMembers as hm')
    .innerJoin('persons as p', 'p.id', 'hm.personId')
    .select(['p.id as personId', 'p.familyName', 'p.givenName', 'p.birthDate', 'p.sex', 'p.deceasedOn', 'hm.relationship', 'hm.livesTogether', 'hm.keyPerson'])
    .where('hm.householdId', '=', kase.householdId)
    .orderBy('hm.position')
    .execute();
  const firstProblem = await db.selectFrom('caseProblems').select('personId').where('caseId', '=', caseId).orderBy('position').executeTakeFirst();
  return {
    ...kase,
    householdName: kase.householdName ?? `${members[0]?.familyName ?? ''}家`,
    indexPersonId: firstProblem?.personId ?? members[0]?.personId ?? null,
    members: members.map((m) => ({ ...m, name: `${m.familyName} ${m.givenName}` })),
  };
}

const WITHHELD_MESSAGE = {
  ja: '本人同意（貴機関を対象とするもの）がないため、この方の部分は表示していません（ルール2・3）。',
  en: 'Hidden: no active consent of this person names your organization (rules 2, 3).',
};

/** Members whose parts are withheld, named as the reader may know them (rule 3: else only relationship). */
export function withheldMembers(scope: LifecycleScope, members: HouseholdMember[], lang: Lang) {
  const knowsIdentity = scope.access?.view === 'header';
  return members
    .filter((m) => !seesPerson(scope, m.personId))
    .map((m) => ({
      personId: knowsIdentity ? m.personId : null,
      name: knowsIdentity ? m.name : m.relationship,
      reason: 'consent_missing' as const,
      message: WITHHELD_MESSAGE[lang],
    }));
}

export async function authorsOf(db: Kysely<DB>, userIds: string[]) {
  if (!userIds.length) return new Map<string, { userId: string; displayName: string; organizationName: string }>();
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('organizations as o', 'o.id', 'u.organizationId')
    .select(['u.id as userId', 'u.displayName', 'o.name as organizationName'])
    .where('u.id', 'in', [...new Set(userIds)])
    .execute();
  return new Map(rows.map((r) => [r.userId, r]));
}

/** An assessment version cut to the scope. */
export function presentAssessment(
  row: Selectable<AssessmentTable>,
  scope: LifecycleScope,
  members: HouseholdMember[],
  authors: Awaited<ReturnType<typeof authorsOf>>,
  lang: Lang,
) {
  const content = JSON.parse(row.content) as AssessmentContent;
  const byId = new Map(members.map((m) => [m.personId, m]));
  const household = scope.all || scope.household;
  return {
    version: row.version,
    authoredAt: row.authoredAt,
    authoredBy: authors.get(row.authoredByUserId) ?? null,
    members: content.members
      .filter((m) => seesPerson(scope, m.personId))
      .map((m) => ({
        personId: m.personId,
        name: byId.get(m.personId)?.name ?? '',
        relationship: byId.get(m.personId)?.relationship ?? '',
        items: m.items,
        note: m.note ?? null,
      })),
    household: household
      ? {
          keyPersonId: content.household.keyPersonId ?? null,
          supports: (content.household.supports ?? []).map((s) => ({ ...s, note: s.note ?? null })),
          ifOneFallsIll: content.household.ifOneFallsIll ?? null,
          strengths: content.household.strengths ?? null,
          note: content.household.note ?? null,
        }
      : null,
    withheld: withheldMembers(scope, members, lang),
  };
}

export type AssessmentView = ReturnType<typeof presentAssessment>;

export interface StoredGoal {
  key: string;
  personId: string | null;
  text: string;
}

/** The plan in force: the latest approved version, else the latest version. */
export async function currentPlan(db: Kysely<DB>, caseId: string) {
  const approved = await db
    .selectFrom('plans')
    .selectAll()
    .where('caseId', '=', caseId)
    .where('status', '=', 'approved')
    .orderBy('version', 'desc')
    .executeTakeFirst();
  return approved ?? (await db.selectFrom('plans').selectAll().where('caseId', '=', caseId).orderBy('version', 'desc').executeTakeFirst());
}

/** A plan version cut to the scope, with its actions, the tasks meetings assigned, and the latest monitoring of each action. */
export async function presentPlan(
  db: Kysely<DB>,
  plan: Selectable<PlanTable>,
  scope: LifecycleScope,
  members: HouseholdMember[],
  actorOrganizationId: string,
  lang: Lang,
) {
  const byId = new Map(members.map((m) => [m.personId, m]));
  const actions = await db
    .selectFrom('planActions as a')
    .innerJoin('organizations as o', 'o.id', 'a.organizationId')
    .selectAll('a')
    .select('o.name as organizationName')
    .where('a.planId', '=', plan.id)
    .orderBy('a.position')
    .execute();
  const monitoring = await db
    .selectFrom('monitoringEntries')
    .select(['actionKey', 'status', 'createdAt', 'nextReviewOn'])
    .where('caseId', '=', plan.caseId)
    .where('actionKey', 'is not', null)
    .orderBy('createdAt', 'desc')
    .execute();
  const lastMonitoring = new Map<string, { status: string; createdAt: string; nextReviewOn: string | null }>();
  for (const m of monitoring)
    if (m.actionKey && !lastMonitoring.has(m.actionKey))
      lastMonitoring.set(m.actionKey, { status: m.status, createdAt: m.createdAt, nextReviewOn: m.nextReviewOn });
  const today = todayInTokyo();
  // Role assignments (役割分担) of meetings appear as actions: the lead sees all of the case's,
  // another organization the ones assigned to itself (their ground is the task, rule 1).
  const tasks = await db
    .selectFrom('tasks as t')
    .innerJoin('organizations as o', 'o.id', 't.organizationId')
    .select(['t.id', 't.task', 't.organizationId', 'o.name as organizationName', 't.createdAt', 't.dueOn', 't.status'])
    .where('t.caseId', '=', plan.caseId)
    .$if(!scope.access?.isLead, (q) => q.where('t.organizationId', '=', actorOrganizationId))
    .orderBy('t.createdAt')
    .execute();
  const goals = (JSON.parse(plan.goals) as StoredGoal[]).filter((g) => seesPerson(scope, g.personId));
  const views = (JSON.parse(plan.memberViews) as { personId: string; view: string }[]).filter((v) => seesPerson(scope, v.personId));
  const approval = plan.approvedMeetingId
    ? await db
        .selectFrom('meetings as m')
        .innerJoin('users as u', 'u.id', 'm.chairUserId')
        .select(['m.id', 'm.title', 'm.startsAt'])
        .where('m.id', '=', plan.approvedMeetingId)
        .executeTakeFirst()
    : undefined;
  const approver = plan.approvedByUserId
    ? await db.selectFrom('users').select('displayName').where('id', '=', plan.approvedByUserId).executeTakeFirst()
    : undefined;
  const authors = await authorsOf(db, [plan.authoredByUserId]);
  const abilities = lifecycleAbilities(scope);
  return {
    version: plan.version,
    status: plan.status,
    authoredAt: plan.authoredAt,
    authoredBy: authors.get(plan.authoredByUserId) ?? null,
    submittedAt: plan.submittedAt,
    changeNote: plan.changeNote,
    approval:
      approval && plan.approvedAt
        ? {
            meetingId: approval.id,
            meetingTitle: approval.title,
            meetingStartsAt: approval.startsAt,
            approvedAt: plan.approvedAt,
            approvedBy: approver?.displayName ?? null,
            note: plan.approvalNote,
          }
        : null,
    members: views.map((v) => ({
      personId: v.personId,
      name: byId.get(v.personId)?.name ?? '',
      relationship: byId.get(v.personId)?.relationship ?? '',
      view: v.view,
    })),
    goals,
    actions: [
      ...actions
        .filter((a) => seesPerson(scope, a.personId))
        .map((a) => {
          const last = lastMonitoring.get(a.actionKey) ?? null;
          return {
            key: a.actionKey,
            goalKey: a.goalKey,
            personId: a.personId,
            text: a.text,
            organizationId: a.organizationId,
            organizationName: a.organizationName,
            startOn: a.startOn,
            reviewOn: a.reviewOn,
            nextReviewOn: last?.nextReviewOn ?? a.reviewOn,
            source: 'plan' as const,
            taskId: null,
            lastMonitoring: last,
            overdue: (last?.nextReviewOn ?? a.reviewOn) < today && last?.status !== 'done',
          };
        }),
      ...tasks.map((t) => ({
        key: `task-${t.id}`,
        goalKey: null,
        personId: null,
        text: t.task,
        organizationId: t.organizationId,
        organizationName: t.organizationName,
        startOn: t.createdAt.slice(0, 10),
        reviewOn: t.dueOn,
        nextReviewOn: t.dueOn,
        source: 'meeting' as const,
        taskId: t.id,
        lastMonitoring: t.status === 'done' ? { status: 'done', createdAt: t.createdAt, nextReviewOn: null } : null,
        overdue: !!t.dueOn && t.dueOn < today && t.status !== 'done',
      })),
    ],
    withheld: withheldMembers(scope, members, lang),
    abilities: {
      edit: abilities.editPlan,
      submit: abilities.editPlan && plan.status === 'draft',
      /** Set by the route: only the chair of a started 重層的支援会議 listing the case approves. */
      approve: false,
    },
  };
}

export type PlanView = Awaited<ReturnType<typeof presentPlan>>;

/** The diffable shape of a plan view (only what the reader sees is compared). */
export function diffable(view: PlanView): DiffablePlan {
  const names = new Map(view.members.map((m) => [m.personId, m.name]));
  return {
    members: view.members.map((m) => ({ personId: m.personId, name: m.name, view: m.view })),
    goals: view.goals.map((g) => ({ ...g, personName: g.personId ? (names.get(g.personId) ?? null) : null })),
    actions: view.actions
      .filter((a) => a.source === 'plan')
      .map((a) => ({
        key: a.key,
        goalKey: a.goalKey,
        personName: a.personId ? (names.get(a.personId) ?? null) : null,
        text: a.text,
        organizationName: a.organizationName,
        startOn: a.startOn,
        reviewOn: a.reviewOn ?? '',
      })),
  };
}

/** One read event per person whose part was shown (or one for the case when none). */
export function lifecycleReadEvents(type: AuditEventType, scope: LifecycleScope, personIds: string[], subjectType: string, subjectId: string, payload = {}) {
  const ids = [...new Set(personIds)];
  const base = { type, caseId: scope.caseId, subjectType, subjectId, basis: scope.bases, payload };
  return ids.length ? ids.map((personId) => ({ ...base, personId })) : [base];
}

/**
 * What a regular meeting should look at for a case (counts only): actions of the plan in force
 * past their review date and not done, and actions whose latest monitoring is stalled or a new problem.
 */
export async function reviewAttention(db: Kysely<DB>, caseId: string) {
  const plan = await currentPlan(db, caseId);
  if (!plan) return { overdueReviews: 0, stalled: 0 };
  const actions = await db.selectFrom('planActions').select(['actionKey', 'reviewOn']).where('planId', '=', plan.id).execute();
  const entries = await db
    .selectFrom('monitoringEntries')
    .select(['actionKey', 'status', 'nextReviewOn'])
    .where('caseId', '=', caseId)
    .orderBy('createdAt', 'desc')
    .execute();
  const today = todayInTokyo();
  let overdueReviews = 0;
  let stalled = 0;
  for (const a of actions) {
    const last = entries.find((e) => e.actionKey === a.actionKey);
    if ((last?.nextReviewOn ?? a.reviewOn) < today && last?.status !== 'done') overdueReviews += 1;
    if (last?.status === 'stalled' || last?.status === 'new_problem') stalled += 1;
  }
  return { overdueReviews, stalled };
}

/**
 * The lifecycle moves the case's status forward as the seed's path goes — an assessment opens
 * アセスメント, a plan プラン作成, its approval 支援中 — never backwards, with the move's own row and audit event.
 */
export async function advanceStatus(
  tx: Transaction<DB>,
  caseId: string,
  to: 'assessment' | 'planning' | 'in_support',
  userId: string,
  note: string,
  basis: LegalBasis[],
): Promise<AuditEventInput[]> {
  const order = ['intake', 'assessment', 'planning', 'in_support'];
  const kase = await tx.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
  const from = order.indexOf(kase.status);
  if (from < 0 || from >= order.indexOf(to)) return [];
  const now = nowIso();
  await tx.updateTable('cases').set({ status: to, updatedAt: now }).where('id', '=', caseId).execute();
  await tx
    .insertInto('caseStatusChanges')
    .values({ id: newId(), caseId, fromStatus: kase.status, toStatus: to, reason: null, note, changedAt: now, changedByUserId: userId })
    .execute();
  return [{ type: 'CASE_STATUS_CHANGED', caseId, subjectType: 'case', subjectId: caseId, basis, payload: { from: kase.status, to, reason: null } }];
}

/** The 重層的支援会議 at which `userId` may approve this case's plan now: chaired, consent-based, listing it, started. */
export async function approvableMeetings(db: Kysely<DB>, userId: string, caseId: string, now: string) {
  return db
    .selectFrom('meetings as m')
    .innerJoin('meetingCases as mc', 'mc.meetingId', 'm.id')
    .select(['m.id', 'm.title', 'm.startsAt'])
    .where('mc.caseId', '=', caseId)
    .where('m.chairUserId', '=', userId)
    .where('m.kind', '=', 'multilayer')
    .where('m.legalBasis', '=', 'consent')
    .where('m.startsAt', '<=', now)
    .orderBy('m.startsAt', 'desc')
    .execute();
}
