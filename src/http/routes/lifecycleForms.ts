/**
 * The lifecycle's printables: the 家族構成図 and エコマップ (SVG, drawn from the household data the
 * reader may see) and the assessment and plan forms (PDF, xlsx) — built from the same scoped
 * views as the JSON routes, audited (rule 6) and stamped with who exported them (rule 7).
 * Forms are exported only on a team ground: what a meeting shared stays in the meeting, and
 * break-glass is for reading in an emergency, not for printing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { VersionParams } from '../../domain/lifecycle.ts';
import { IdParams } from '../../domain/schemas.ts';
import {
  type AssessmentFormData,
  assessmentWorkbook,
  type ExportStamp,
  PDF_CONTENT_TYPE,
  type PlanFormData,
  planWorkbook,
  renderAssessmentPdf,
  renderEcomap,
  renderGenogram,
  renderPlanPdf,
  SVG_CONTENT_TYPE,
  XLSX_CONTENT_TYPE,
} from '../../forms/lifecycle/index.ts';
import { todayInTokyo } from '../../ja/wareki.ts';
import { nowIso } from '../../lib/clock.ts';
import type { Actor } from '../../policy/actor.ts';
import type { LifecycleScope } from '../../policy/lifecycle.ts';
import type { Services } from '../../services.ts';
import { forbidden, notFound } from '../errors.ts';
import { authorsOf, householdOf, lifecycleReadEvents, loadLifecycle, presentAssessment, presentPlan } from '../lifecycle.ts';
import { caseTeamQuery } from '../queries.ts';
import { auditReads } from '../transaction.ts';

export async function lifecycleFormRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  async function stampFor(actor: Actor): Promise<ExportStamp> {
    const m = await db.selectFrom('municipality').select('name').executeTakeFirst();
    return { exportedBy: `${actor.organizationName} ${actor.displayName}`, exportedAt: nowIso(), municipalityName: m?.name ?? '' };
  }

  function requireTeamExport(scope: LifecycleScope) {
    if (!scope.access?.onTeam) throw forbidden('rule.export_needs_team');
  }

  function send(reply: FastifyReply, body: Buffer | string, type: string, name: string) {
    reply.header('content-type', type);
    reply.header('content-disposition', `attachment; filename="${name}"`);
    return reply.send(body);
  }

  /** Inline, and nothing inside may load or run anything (the SVG needs no more). */
  function sendSvg(reply: FastifyReply, svg: string) {
    reply.header('content-type', SVG_CONTENT_TYPE);
    reply.header('content-disposition', 'inline');
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    return reply.send(svg);
  }

  async function exported(req: FastifyRequest, scope: LifecycleScope, form: string, subjectId: string, personIds: string[], bytes: number) {
    await auditReads(services, req, lifecycleReadEvents('FORM_EXPORTED', scope, personIds, form, subjectId, { form, bytes }));
  }

  r.get('/cases/:id/genogram.svg', { schema: { tags: ['lifecycle'], summary: '家族構成図（ジェノグラム・SVG）', params: IdParams } }, async (req, reply) => {
    const { scope } = await loadLifecycle(services, req, req.params.id);
    if (scope.access?.view !== 'header') throw forbidden('rule.content_needs_ground');
    const household = await householdOf(db, scope.caseId);
    // Identity and relationship are the case header; who lives together and the key person are the lead's composition (rule 1).
    const composition = scope.access.seesComposition;
    const svg = renderGenogram({
      householdName: household.householdName,
      asOf: todayInTokyo(),
      members: household.members.map((m) => ({
        personId: m.personId,
        name: m.name,
        sex: (m.sex as 'male' | 'female' | 'other' | 'unknown' | null) ?? null,
        birthDate: m.birthDate,
        deceased: Boolean(m.deceasedOn),
        relationship: m.relationship,
        livesTogether: composition ? m.livesTogether === 1 : null,
        keyPerson: composition ? m.keyPerson === 1 : null,
        index: m.personId === household.indexPersonId,
      })),
    });
    await auditReads(
      services,
      req,
      lifecycleReadEvents(
        'CASE_DIAGRAM_VIEWED',
        scope,
        household.members.map((m) => m.personId),
        'genogram',
        scope.caseId,
      ),
    );
    return sendSvg(reply, svg);
  });

  r.get('/cases/:id/ecomap.svg', { schema: { tags: ['lifecycle'], summary: 'エコマップ（SVG）', params: IdParams } }, async (req, reply) => {
    const { scope } = await loadLifecycle(services, req, req.params.id);
    if (scope.access?.view !== 'header') throw forbidden('rule.content_needs_ground');
    const household = await householdOf(db, scope.caseId);
    const team = await caseTeamQuery(db, scope.caseId).execute();
    const open = await db
      .selectFrom('tasks')
      .select(['organizationId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('caseId', '=', scope.caseId)
      .where('status', '!=', 'done')
      .groupBy('organizationId')
      .execute();
    const openBy = new Map(open.map((o) => [o.organizationId, Number(o.n)]));
    const termination = await db
      .selectFrom('terminations')
      .select('watchers')
      .where('caseId', '=', scope.caseId)
      .orderBy('createdAt', 'desc')
      .executeTakeFirst();
    const watchers = termination && household.status === 'closed' ? (JSON.parse(termination.watchers) as { organizationId: string }[]) : [];
    const watcherNames = watchers.length
      ? await db
          .selectFrom('organizations')
          .select(['id', 'name'])
          .where(
            'id',
            'in',
            watchers.map((w) => w.organizationId),
          )
          .execute()
      : [];
    const onTeam = new Set(team.map((t) => t.organizationId));
    const watcherIds = new Set(watchers.map((w) => w.organizationId));
    const svg = renderEcomap({
      householdName: household.householdName,
      members: household.members.map((m) => ({ name: m.name, index: m.personId === household.indexPersonId })),
      organizations: [
        // After the end, the organizations that keep watching (見守り) are drawn as such.
        ...team.map((t) => ({
          organizationId: t.organizationId,
          name: t.organizationName,
          relation: watcherIds.has(t.organizationId) ? 'watch' : t.basis,
          addedLater: t.basis !== 'lead' && t.joinedAt > household.openedAt,
          openActions: openBy.get(t.organizationId) ?? 0,
        })),
        ...watcherNames
          .filter((w) => !onTeam.has(w.id))
          .map((w) => ({ organizationId: w.id, name: w.name, relation: 'watch', addedLater: false, openActions: 0 })),
      ],
    });
    await auditReads(
      services,
      req,
      lifecycleReadEvents(
        'CASE_DIAGRAM_VIEWED',
        scope,
        household.members.map((m) => m.personId),
        'ecomap',
        scope.caseId,
      ),
    );
    return sendSvg(reply, svg);
  });

  async function assessmentForm(req: FastifyRequest, caseId: string, version: number) {
    // Rule 7: an export carries only what a team ground opens, never what a meeting shared.
    const { actor, scope } = await loadLifecycle(services, req, caseId, { meetings: false });
    requireTeamExport(scope);
    const row = await db.selectFrom('assessments').selectAll().where('caseId', '=', scope.caseId).where('version', '=', version).executeTakeFirst();
    if (!row) throw notFound();
    const household = await householdOf(db, scope.caseId);
    const view = presentAssessment(row, scope, household.members, await authorsOf(db, [row.authoredByUserId]), req.lang);
    const byId = new Map(household.members.map((m) => [m.personId, m]));
    const data: AssessmentFormData = {
      stamp: await stampFor(actor),
      householdName: household.householdName,
      caseId: scope.caseId,
      version: view.version,
      authoredBy: view.authoredBy ? `${view.authoredBy.organizationName} ${view.authoredBy.displayName}` : '',
      authoredAt: view.authoredAt,
      members: view.members.map((m) => ({
        name: m.name,
        relationship: m.relationship,
        birthDate: byId.get(m.personId)?.birthDate ?? null,
        items: m.items,
        note: m.note,
      })),
      household: {
        keyPersonName: view.household?.keyPersonId ? (byId.get(view.household.keyPersonId)?.name ?? null) : null,
        supports: (view.household?.supports ?? []).map((s) => ({
          from: byId.get(s.fromPersonId)?.name ?? '',
          to: byId.get(s.toPersonId)?.name ?? '',
          note: s.note,
        })),
        ifOneFallsIll: view.household?.ifOneFallsIll ?? null,
        strengths: view.household?.strengths ?? null,
        note: view.household?.note ?? null,
      },
      withheld: view.withheld.map((w) => ({ name: w.name, reason: w.message })),
    };
    return { scope, row, data, personIds: view.members.map((m) => m.personId) };
  }

  async function planForm(req: FastifyRequest, caseId: string, version: number) {
    // Rule 7: an export carries only what a team ground opens, never what a meeting shared.
    const { actor, scope } = await loadLifecycle(services, req, caseId, { meetings: false });
    requireTeamExport(scope);
    const plan = await db.selectFrom('plans').selectAll().where('caseId', '=', scope.caseId).where('version', '=', version).executeTakeFirst();
    if (!plan) throw notFound();
    const household = await householdOf(db, scope.caseId);
    const view = await presentPlan(db, plan, scope, household.members, actor.organizationId, req.lang);
    const nameOf = new Map(household.members.map((m) => [m.personId, m.name]));
    const data: PlanFormData = {
      stamp: await stampFor(actor),
      householdName: household.householdName,
      caseId: scope.caseId,
      version: view.version,
      status: view.status,
      authoredBy: view.authoredBy ? `${view.authoredBy.organizationName} ${view.authoredBy.displayName}` : '',
      authoredAt: view.authoredAt,
      approval: view.approval
        ? {
            meetingTitle: view.approval.meetingTitle,
            meetingStartsAt: view.approval.meetingStartsAt,
            approvedAt: view.approval.approvedAt,
            approvedBy: view.approval.approvedBy ?? '',
          }
        : null,
      members: view.members.map((m) => ({ name: m.name, relationship: m.relationship, view: m.view })),
      goals: view.goals.map((g) => ({ key: g.key, personName: g.personId ? (nameOf.get(g.personId) ?? null) : null, text: g.text })),
      actions: view.actions
        .filter((a) => a.source === 'plan')
        .map((a) => ({
          key: a.key,
          goalKey: a.goalKey,
          personName: a.personId ? (nameOf.get(a.personId) ?? null) : null,
          text: a.text,
          organizationName: a.organizationName,
          startOn: a.startOn,
          reviewOn: a.nextReviewOn ?? a.reviewOn ?? '',
        })),
      withheld: view.withheld.map((w) => ({ name: w.name, reason: w.message })),
    };
    const personIds = [...view.members.map((m) => m.personId), ...view.goals.flatMap((g) => (g.personId ? [g.personId] : []))];
    return { scope, plan, data, personIds };
  }

  /** The four forms: one route each, the same scoped view behind the PDF and the workbook. */
  const FORMS = [
    { path: 'assessments/:version/assessment.pdf', summary: 'アセスメントシート（PDF）', kind: 'assessment', format: 'pdf' },
    { path: 'assessments/:version/assessment.xlsx', summary: 'アセスメントシート（Excel）', kind: 'assessment', format: 'xlsx' },
    { path: 'plans/:version/plan.pdf', summary: '支援プラン（PDF・プラン兼利用申込書）', kind: 'plan', format: 'pdf' },
    { path: 'plans/:version/plan.xlsx', summary: '支援プラン（Excel）', kind: 'plan', format: 'xlsx' },
  ] as const;

  for (const form of FORMS) {
    r.get(`/cases/:id/${form.path}`, { schema: { tags: ['lifecycle'], summary: form.summary, params: VersionParams } }, async (req, reply) => {
      const built =
        form.kind === 'assessment'
          ? await assessmentForm(req, req.params.id, req.params.version).then(async (f) => ({
              ...f,
              subject: f.row,
              bytes: form.format === 'pdf' ? await renderAssessmentPdf(f.data) : await assessmentWorkbook(f.data),
            }))
          : await planForm(req, req.params.id, req.params.version).then(async (f) => ({
              ...f,
              subject: f.plan,
              bytes: form.format === 'pdf' ? await renderPlanPdf(f.data) : await planWorkbook(f.data),
            }));
      await exported(req, built.scope, `${form.kind}_${form.format}`, built.subject.id, built.personIds, built.bytes.length);
      const type = form.format === 'pdf' ? PDF_CONTENT_TYPE : XLSX_CONTENT_TYPE;
      return send(reply, built.bytes, type, `${form.kind}-${built.subject.version}.${form.format}`);
    });
  }
}
