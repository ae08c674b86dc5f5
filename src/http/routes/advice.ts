/**
 * 複合課題解決アドバイザー: the roster by field, advice requests on a case (made by the lead, on
 * a consent or a 支援会議 decision — src/policy/advice.ts), and the advisors' answers, which
 * the case team reads. An advisor sees only the requests addressed to them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AdviceAnswerBody, AdviceRequestBody, AdvisorListQuery, AdvisorProfileBody } from '../../domain/lifecycle.ts';
import { IdParams } from '../../domain/schemas.ts';
import { ageOn, todayInTokyo } from '../../ja/wareki.ts';
import { nowIso } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { hasRole } from '../../policy/actor.ts';
import { adviceGround, advisorMeetingStanding, isAddressee } from '../../policy/advice.ts';
import { personsConsentingTo } from '../../policy/consentScope.ts';
import { type LifecycleScope, lifecycleScope } from '../../policy/lifecycle.ts';
import { consentGaps } from '../../policy/meeting.ts';
import type { Services } from '../../services.ts';
import { parseRoles } from '../auth.ts';
import { actorOf, requireRole } from '../context.ts';
import { conflict, type FieldError, forbidden, invalid, notFound, unknownReference } from '../errors.ts';
import { authorsOf, currentPlan, householdOf, loadLifecycle, presentAssessment, presentPlan } from '../lifecycle.ts';
import { notify } from '../notifications.ts';
import { gapText } from '../presenters.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

const GROUND_FAILURE_TEXT = {
  consent_missing: {
    ja: '本人同意が撤回されたか、アドバイザーの所属機関を含まなくなったため、資料は表示できません（ルール3）。',
    en: 'The consent was withdrawn or no longer names your organization: the material is closed (rule 3).',
  },
  meeting_ground_lost: {
    ja: '依頼の根拠である会議の構成員でなくなったため、資料は表示できません。',
    en: 'You are no longer a member of the meeting this request was made under: the material is closed.',
  },
} as const;

export async function adviceRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  async function advisorsQuery(field?: string) {
    const rows = await db
      .selectFrom('users as u')
      .innerJoin('organizations as o', 'o.id', 'u.organizationId')
      .leftJoin('advisorProfiles as p', 'p.userId', 'u.id')
      .select(['u.id as userId', 'u.displayName', 'u.roles', 'o.name as organizationName', 'p.fields', 'p.affiliation', 'p.note'])
      .where('u.disabledAt', 'is', null)
      .orderBy('u.displayName')
      .execute();
    return rows
      .filter((u) => parseRoles(u.roles).includes('advisor'))
      .map((u) => ({
        userId: u.userId,
        displayName: u.displayName,
        organizationName: u.organizationName,
        fields: u.fields ? (JSON.parse(u.fields) as string[]) : [],
        affiliation: u.affiliation,
        note: u.note,
      }))
      .filter((u) => !field || u.fields.includes(field));
  }

  r.get('/advisors', { schema: { tags: ['advice'], summary: 'アドバイザー名簿（分野別）', querystring: AdvisorListQuery } }, async (req) => {
    requireRole(req, 'coordinator', 'chair', 'caseworker', 'advisor', 'admin');
    return { items: await advisorsQuery(req.query.field) };
  });

  r.put(
    '/advisors/:id',
    { schema: { tags: ['advice'], summary: 'アドバイザー名簿の分野・所属を登録する', params: IdParams, body: AdvisorProfileBody } },
    async (req) => {
      const actor = actorOf(req);
      if (!hasRole(actor, 'coordinator', 'admin')) throw forbidden('rule.roster_keepers');
      const user = await db.selectFrom('users').select(['id', 'roles', 'disabledAt']).where('id', '=', req.params.id).executeTakeFirst();
      if (!user || user.disabledAt || !parseRoles(user.roles).includes('advisor')) throw invalid({ path: 'id', key: 'field.not_an_advisor' });
      const b = req.body;
      const row = {
        userId: user.id,
        fields: JSON.stringify([...new Set(b.fields)]),
        affiliation: b.affiliation ?? null,
        note: b.note ?? null,
        updatedAt: nowIso(),
        updatedByUserId: actor.userId,
      };
      await writeWithAudit(services, req, async (tx) => {
        await tx.deleteFrom('advisorProfiles').where('userId', '=', user.id).execute();
        await tx.insertInto('advisorProfiles').values(row).execute();
        return { result: null, events: [{ type: 'ADVISOR_PROFILE_SAVED', subjectType: 'user', subjectId: user.id, payload: { fields: b.fields.length } }] };
      });
      return (await advisorsQuery()).find((a) => a.userId === user.id);
    },
  );

  /** What a request tables for the advisor: a snapshot, never 税情報 (rule 4), cut by the basis (rule 3). */
  async function snapshotFor(req: FastifyRequest, caseId: string, include: string[], advisorOrganizationId: string, statutory: boolean) {
    const household = await householdOf(db, caseId);
    // On consent, a member without a problem whose consent does not name the advisor's
    // organization appears only as relationship and age (rule 3).
    const covered = new Set<string>();
    if (!statutory) {
      const named = await personsConsentingTo(db, advisorOrganizationId)
        .where(
          'ac.personId',
          'in',
          household.members.map((m) => m.personId),
        )
        .execute();
      for (const n of named) covered.add(n.personId);
    }
    // The advisor's view: no case grant of theirs, so a withheld member is named only by relationship.
    const scope: LifecycleScope = { caseId, access: null, all: statutory, personIds: covered, household: true, bases: [], meetingId: null, indexOnly: false };
    const snapshot: Record<string, unknown> = {};
    if (include.includes('core')) {
      const kase = await db.selectFrom('cases').select(['summary', 'referralRoute', 'urgency']).where('id', '=', caseId).executeTakeFirstOrThrow();
      const problems = await db.selectFrom('caseProblems').select(['personId', 'type', 'note']).where('caseId', '=', caseId).orderBy('position').execute();
      const seen = (personId: string) => statutory || covered.has(personId);
      snapshot.core = {
        summary: kase.summary,
        referralRoute: kase.referralRoute,
        urgency: kase.urgency,
        members: household.members.map((m) =>
          seen(m.personId)
            ? { personId: m.personId, name: m.name, relationship: m.relationship, birthDate: m.birthDate }
            : { relationship: m.relationship, age: m.birthDate ? ageOn(m.birthDate, todayInTokyo()) : null },
        ),
        problems: problems.filter((p) => seen(p.personId)),
      };
    }
    if (include.includes('assessment')) {
      const row = await db.selectFrom('assessments').selectAll().where('caseId', '=', caseId).orderBy('version', 'desc').executeTakeFirst();
      snapshot.assessment = row ? presentAssessment(row, scope, household.members, await authorsOf(db, [row.authoredByUserId]), req.lang) : null;
    }
    if (include.includes('plan')) {
      const plan = await currentPlan(db, caseId);
      const view = plan ? await presentPlan(db, plan, scope, household.members, advisorOrganizationId, req.lang) : null;
      if (view) {
        const { abilities: _, ...tabled } = view;
        snapshot.plan = tabled;
      } else snapshot.plan = null;
    }
    return snapshot;
  }

  r.post(
    '/cases/:id/advice-requests',
    { schema: { tags: ['advice'], summary: 'アドバイザーに相談する（主担当）', params: IdParams, body: AdviceRequestBody } },
    async (req, reply) => {
      const { actor, scope, abilities } = await loadLifecycle(services, req, req.params.id);
      if (!abilities.requestAdvice) throw forbidden(scope.access?.breakGlassGrantId ? 'rule.break_glass_read_only' : 'rule.lead_only');
      const b = req.body;
      const advisor = await db.selectFrom('users').select(['id', 'roles', 'disabledAt', 'organizationId']).where('id', '=', b.advisorUserId).executeTakeFirst();
      if (!advisor || advisor.disabledAt || !parseRoles(advisor.roles).includes('advisor'))
        throw invalid({ path: 'advisorUserId', key: 'field.not_an_advisor' });
      const errors: FieldError[] = [];
      let statutory = false;
      if (b.basis.kind === 'meeting') {
        const standing = await advisorMeetingStanding(db, advisor.id, b.basis.meetingId, scope.caseId);
        if (standing === 'unknown_meeting') errors.push(unknownReference('basis.meetingId', 'meeting'));
        else if (standing !== 'ok' && standing !== 'not_acknowledged')
          errors.push({ path: 'basis.meetingId', key: 'field.advice_meeting', params: { reason: standing } });
        statutory = true;
      } else {
        const gaps = await consentGaps(db, scope.caseId, [advisor.organizationId]);
        if (gaps.length) errors.push({ path: 'basis', key: 'field.consent_gap', params: { gaps: gapText(gaps) } });
      }
      if (errors.length) throw invalid(...errors);
      const snapshot = await snapshotFor(req, scope.caseId, b.include, advisor.organizationId, statutory);
      const row = {
        id: newId(),
        caseId: scope.caseId,
        advisorUserId: advisor.id,
        question: b.question,
        basisKind: b.basis.kind,
        meetingId: b.basis.kind === 'meeting' ? b.basis.meetingId : null,
        include: JSON.stringify(b.include),
        snapshot: JSON.stringify(snapshot),
        dueOn: b.dueOn ?? null,
        status: 'open',
        requestedByUserId: actor.userId,
        requestedByOrganizationId: actor.organizationId,
        createdAt: nowIso(),
        answer: null,
        answeredAt: null,
      };
      await writeWithAudit(services, req, async (tx) => {
        await tx.insertInto('adviceRequests').values(row).execute();
        await notify(
          tx,
          { userId: advisor.id },
          {
            kind: 'advice_request',
            title: 'アドバイスの依頼が届きました',
            body: `${actor.organizationName} から複合課題についての相談があります。`,
            subjectType: 'advice_request',
            subjectId: row.id,
            createdAt: row.createdAt,
          },
        );
        return {
          result: null,
          events: [
            {
              type: 'ADVICE_REQUESTED',
              caseId: scope.caseId,
              subjectType: 'advice_request',
              subjectId: row.id,
              basis: scope.bases,
              payload: { advisorUserId: advisor.id, basis: b.basis.kind, meetingId: row.meetingId, include: b.include },
            },
          ],
        };
      });
      reply.status(201);
      return presentRequest(row, await names(row.advisorUserId, row.requestedByUserId));
    },
  );

  async function names(...userIds: string[]) {
    return authorsOf(db, userIds);
  }

  function presentRequest(row: RequestRow, people: Awaited<ReturnType<typeof names>>) {
    return {
      id: row.id,
      caseId: row.caseId,
      advisor: people.get(row.advisorUserId) ?? null,
      question: row.question,
      basis: row.basisKind === 'meeting' ? { kind: 'meeting', meetingId: row.meetingId } : { kind: 'consent' },
      include: JSON.parse(row.include) as string[],
      dueOn: row.dueOn,
      status: row.status,
      createdAt: row.createdAt,
      requestedBy: people.get(row.requestedByUserId) ?? null,
      answer: row.answer,
      answeredAt: row.answeredAt,
    };
  }

  r.get(
    '/cases/:id/advice-requests',
    { schema: { tags: ['advice'], summary: 'ケースのアドバイザー相談と回答（支援チーム）', params: IdParams } },
    async (req) => {
      const { scope } = await loadLifecycle(services, req, req.params.id);
      if (!scope.access?.onTeam) throw forbidden('rule.team_only');
      const rows = await db.selectFrom('adviceRequests').selectAll().where('caseId', '=', scope.caseId).orderBy('createdAt', 'desc').execute();
      const people = await names(...rows.flatMap((r) => [r.advisorUserId, r.requestedByUserId]));
      await auditReads(services, req, [
        {
          type: 'ADVICE_REQUESTS_VIEWED',
          caseId: scope.caseId,
          subjectType: 'case',
          subjectId: scope.caseId,
          basis: scope.bases,
          payload: { count: rows.length },
        },
      ]);
      return { items: rows.map((row) => presentRequest(row, people)) };
    },
  );

  r.get('/advice-requests', { schema: { tags: ['advice'], summary: 'アドバイザーへの依頼（自分宛て）' } }, async (req) => {
    const actor = requireRole(req, 'advisor');
    const rows = await db
      .selectFrom('adviceRequests as a')
      .innerJoin('cases as c', 'c.id', 'a.caseId')
      .innerJoin('households as h', 'h.id', 'c.householdId')
      .select(['a.id', 'a.caseId', 'a.meetingId', 'h.name as householdName', 'a.question', 'a.status', 'a.dueOn', 'a.createdAt', 'a.basisKind'])
      .where('a.advisorUserId', '=', actor.userId)
      .orderBy('a.createdAt', 'desc')
      .execute();
    // Rule 3: once the ground of a request is gone, the household and the question go with it.
    const items = [];
    for (const { meetingId, ...r } of rows) {
      const ground = await adviceGround(db, actor, { ...r, advisorUserId: actor.userId, meetingId });
      items.push(ground.ok ? { ...r, open: true } : { ...r, householdName: null, question: null, open: false });
    }
    await auditReads(services, req, [{ type: 'ADVICE_REQUESTS_VIEWED', subjectType: 'user', subjectId: actor.userId, payload: { count: rows.length } }]);
    return { items };
  });

  type RequestRow = NonNullable<Awaited<ReturnType<typeof loadRequest>>>;
  async function loadRequest(id: string) {
    return db.selectFrom('adviceRequests').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The request as its addressee or the case team may see it; 404 for anyone else. */
  async function readable(req: FastifyRequest, id: string) {
    const actor = actorOf(req);
    const row = await loadRequest(id);
    if (!row) throw notFound();
    if (isAddressee(actor, row)) return { actor, row, addressee: true as const, teamAccess: null };
    // The case team as GET /cases/:id/advice-requests sees it: a team organization without any
    // consent-opened part reads no question nor answer (rules 2, 3).
    const scope = await lifecycleScope(db, actor, row.caseId);
    const access = scope && !scope.indexOnly ? scope.access : null;
    if (!access?.onTeam) {
      await auditReads(services, req, [{ type: 'ACCESS_DENIED', outcome: 'denied', caseId: row.caseId, subjectType: 'advice_request', subjectId: row.id }]);
      throw notFound();
    }
    return { actor, row, addressee: false as const, teamAccess: access };
  }

  r.get('/advice-requests/:id', { schema: { tags: ['advice'], summary: 'アドバイザーへの依頼（依頼された資料つき）', params: IdParams } }, async (req) => {
    const { actor, row, addressee, teamAccess } = await readable(req, req.params.id);
    const household = await db
      .selectFrom('cases as c')
      .innerJoin('households as h', 'h.id', 'c.householdId')
      .select('h.name')
      .where('c.id', '=', row.caseId)
      .executeTakeFirstOrThrow();
    const people = await names(row.advisorUserId, row.requestedByUserId);
    const base = { ...presentRequest(row, people), householdName: household.name };
    if (!addressee) {
      await auditReads(services, req, [
        { type: 'ADVICE_REQUESTS_VIEWED', caseId: row.caseId, subjectType: 'advice_request', subjectId: row.id, basis: teamAccess?.bases ?? [] },
      ]);
      return { ...base, tabled: null };
    }
    const ground = await adviceGround(db, actor, row);
    if (!ground.ok) {
      await auditReads(services, req, [
        { type: 'ACCESS_DENIED', outcome: 'denied', caseId: row.caseId, subjectType: 'advice_request', subjectId: row.id, payload: { reason: ground.reason } },
      ]);
      // Rule 3: the sharing that depended on the ground stops — the household and the question too;
      // the advisor keeps their own answer.
      return {
        ...base,
        householdName: null,
        question: null,
        tabled: null,
        withheld: { reason: ground.reason, message: GROUND_FAILURE_TEXT[ground.reason][req.lang] },
      };
    }
    const tabled = JSON.parse(row.snapshot) as Record<string, unknown>;
    const personIds = new Set<string>();
    JSON.stringify(tabled, (k, v) => {
      if (k === 'personId' && typeof v === 'string') personIds.add(v);
      return v;
    });
    const events = [...personIds].map((personId) => ({
      type: 'ADVICE_REQUESTS_VIEWED' as const,
      caseId: row.caseId,
      personId,
      subjectType: 'advice_request',
      subjectId: row.id,
      basis: [ground.basis],
    }));
    await auditReads(
      services,
      req,
      events.length
        ? events
        : [{ type: 'ADVICE_REQUESTS_VIEWED', caseId: row.caseId, subjectType: 'advice_request', subjectId: row.id, basis: [ground.basis] }],
    );
    return { ...base, tabled };
  });

  r.post(
    '/advice-requests/:id/answer',
    { schema: { tags: ['advice'], summary: 'アドバイザーが回答する', params: IdParams, body: AdviceAnswerBody } },
    async (req) => {
      const { actor, row, addressee } = await readable(req, req.params.id);
      if (!addressee) throw forbidden('rule.advisor_only');
      if (row.status === 'answered') throw conflict('conflict.already_answered');
      const answeredAt = nowIso();
      await writeWithAudit(services, req, async (tx) => {
        await tx.updateTable('adviceRequests').set({ status: 'answered', answer: req.body.answer, answeredAt }).where('id', '=', row.id).execute();
        await notify(
          tx,
          { organizationId: row.requestedByOrganizationId },
          {
            kind: 'advice_answered',
            title: 'アドバイザーから回答がありました',
            body: `${actor.displayName} さんが相談に回答しました。`,
            subjectType: 'case',
            subjectId: row.caseId,
            createdAt: answeredAt,
          },
        );
        return {
          result: null,
          events: [
            { type: 'ADVICE_ANSWERED', caseId: row.caseId, subjectType: 'advice_request', subjectId: row.id, payload: { length: req.body.answer.length } },
          ],
        };
      });
      const people = await names(row.advisorUserId, row.requestedByUserId);
      return presentRequest({ ...row, status: 'answered', answer: req.body.answer, answeredAt }, people);
    },
  );
}
