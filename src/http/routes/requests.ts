/**
 * 情報提供の求め (社会福祉法106条の6第3項): a 支援会議 asks an agency for documents, information
 * or opinions about a person; the agency sees the request (its legal basis is the request,
 * made under the meeting's statutory duty), and its answer is tabled into that meeting only.
 * 謝金 for external members, exported for the subsidy claim (国庫負担対象経費).
 */
import { createRequire } from 'node:module';
import type ExcelJSModule from 'exceljs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HonorariaQuery, HonorariumBody, IdParams, InformationAnswerBody, InformationRequestBody } from '../../domain/schemas.ts';
import { formatWareki } from '../../ja/wareki.ts';
import { nowIso } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { actsForOrganization } from '../../policy/actor.ts';
import { isStatutoryBasis, meetingAccess } from '../../policy/meeting.ts';
import type { Services } from '../../services.ts';
import { actorOf, requireRole } from '../context.ts';
import { conflict, type FieldError, forbidden, invalid, notFound, unknownReference } from '../errors.ts';
import { notify } from '../notifications.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

export async function requestRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  async function chairOf(req: Parameters<typeof actorOf>[0], meetingId: string) {
    const access = await meetingAccess(db, actorOf(req), meetingId);
    if (!access) throw notFound();
    if (!access.isChair) throw forbidden('rule.chair_only');
    return access;
  }

  r.post(
    '/meetings/:id/information-requests',
    { schema: { tags: ['meetings'], summary: '情報提供の求め（支援会議の総括者）', params: IdParams, body: InformationRequestBody } },
    async (req, reply) => {
      const access = await chairOf(req, req.params.id);
      const b = req.body;
      const errors: FieldError[] = [];
      if (!isStatutoryBasis(access.meeting.legalBasis)) errors.push({ path: 'caseId', key: 'field.not_statutory_meeting' });
      const onAgenda = await db
        .selectFrom('meetingCases')
        .select('caseId')
        .where('meetingId', '=', access.meeting.id)
        .where('caseId', '=', b.caseId)
        .executeTakeFirst();
      if (!onAgenda) errors.push({ path: 'caseId', key: 'field.not_on_agenda' });
      if (b.personId) {
        const member = await db
          .selectFrom('householdMembers as hm')
          .innerJoin('cases as c', 'c.householdId', 'hm.householdId')
          .select('hm.personId')
          .where('c.id', '=', b.caseId)
          .where('hm.personId', '=', b.personId)
          .executeTakeFirst();
        if (!member) errors.push({ path: 'personId', key: 'field.not_household_member' });
      }
      const org = await db.selectFrom('organizations').select('id').where('id', '=', b.organizationId).executeTakeFirst();
      if (!org) errors.push(unknownReference('organizationId', 'organization'));
      if (errors.length) throw invalid(...errors);
      const row = {
        id: newId(),
        meetingId: access.meeting.id,
        caseId: b.caseId,
        personId: b.personId ?? null,
        organizationId: b.organizationId,
        request: b.request,
        dueOn: b.dueOn ?? null,
        status: 'open',
        requestedByUserId: actorOf(req).userId,
        createdAt: nowIso(),
        answeredByUserId: null,
        answeredAt: null,
      };
      await writeWithAudit(services, req, async (tx) => {
        await tx.insertInto('informationRequests').values(row).execute();
        await notify(
          tx,
          { organizationId: b.organizationId },
          {
            kind: 'information_request',
            title: `情報提供の求め：${access.meeting.title}`,
            body: '支援会議から情報提供の求めがありました（社会福祉法106条の6）。期限までに回答してください。',
            subjectType: 'information_request',
            subjectId: row.id,
            createdAt: row.createdAt,
          },
        );
        return {
          result: null,
          events: [
            {
              type: 'INFORMATION_REQUESTED',
              caseId: b.caseId,
              personId: row.personId,
              subjectType: 'information_request',
              subjectId: row.id,
              basis: [access.basis],
              payload: { organizationId: b.organizationId, dueOn: row.dueOn },
            },
          ],
        };
      });
      reply.status(201);
      return row;
    },
  );

  r.get('/information-requests', { schema: { tags: ['meetings'], summary: '自機関への情報提供の求め' } }, async (req) => {
    const actor = actorOf(req);
    if (!actsForOrganization(actor)) return { items: [] };
    const rows = await db
      .selectFrom('informationRequests as ir')
      .innerJoin('meetings as m', 'm.id', 'ir.meetingId')
      .leftJoin('persons as p', 'p.id', 'ir.personId')
      .select([
        'ir.id',
        'ir.meetingId',
        'm.title as meetingTitle',
        'm.legalBasis',
        'ir.caseId',
        'ir.personId',
        'p.familyName',
        'p.givenName',
        'p.birthDate',
        'ir.request',
        'ir.dueOn',
        'ir.status',
        'ir.createdAt',
        'ir.answeredAt',
      ])
      .where('ir.organizationId', '=', actor.organizationId)
      .orderBy('ir.createdAt', 'desc')
      .limit(500)
      .execute();
    const events = rows.map((x) => ({
      type: 'INFORMATION_REQUESTS_VIEWED' as const,
      personId: x.personId,
      caseId: x.caseId,
      subjectType: 'information_request',
      subjectId: x.id,
      basis: [{ ground: 'request' as const, requestId: x.id, meetingId: x.meetingId }],
    }));
    await auditReads(services, req, events.length ? events : [{ type: 'INFORMATION_REQUESTS_VIEWED', payload: { count: 0 } }]);
    return {
      items: rows.map((x) => ({
        id: x.id,
        meetingId: x.meetingId,
        meetingTitle: x.meetingTitle,
        legalBasis: x.legalBasis,
        caseId: x.caseId,
        person: x.personId ? { id: x.personId, familyName: x.familyName, givenName: x.givenName, birthDate: x.birthDate } : null,
        request: x.request,
        dueOn: x.dueOn,
        status: x.status,
        createdAt: x.createdAt,
        answeredAt: x.answeredAt,
      })),
    };
  });

  r.post(
    '/information-requests/:id/answer',
    { schema: { tags: ['meetings'], summary: '情報提供の求めへの回答（その会議にだけ提出）', params: IdParams, body: InformationAnswerBody } },
    async (req, reply) => {
      const actor = actorOf(req);
      const request = await db.selectFrom('informationRequests').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!request || request.organizationId !== actor.organizationId || !actsForOrganization(actor)) throw notFound();
      if (request.status === 'answered') throw conflict('conflict.already_answered');
      const at = nowIso();
      const basis = { ground: 'request' as const, requestId: request.id, meetingId: request.meetingId };
      await writeWithAudit(services, req, async (tx) => {
        await tx
          .updateTable('informationRequests')
          .set({ status: 'answered', answeredByUserId: actor.userId, answeredAt: at })
          .where('id', '=', request.id)
          .execute();
        await tx
          .insertInto('meetingMaterials')
          .values({
            id: newId(),
            meetingId: request.meetingId,
            caseId: request.caseId,
            kind: 'answer',
            recordId: null,
            personId: request.personId,
            classification: 'normal',
            snapshot: JSON.stringify({ request: request.request, answer: req.body.answer, personId: request.personId, writtenAt: at }),
            tabledByUserId: actor.userId,
            tabledByOrganizationId: actor.organizationId,
            tabledAt: at,
          })
          .execute();
        return {
          result: null,
          events: [
            {
              type: 'INFORMATION_REQUEST_ANSWERED',
              caseId: request.caseId,
              personId: request.personId,
              subjectType: 'information_request',
              subjectId: request.id,
              basis: [basis],
            },
          ],
        };
      });
      reply.status(201);
      return { id: request.id, status: 'answered', answeredAt: at };
    },
  );

  r.post(
    '/meetings/:id/honoraria',
    { schema: { tags: ['meetings'], summary: '謝金の記録（外部委員）', params: IdParams, body: HonorariumBody } },
    async (req, reply) => {
      const access = await chairOf(req, req.params.id);
      const member = await db
        .selectFrom('meetingMembers')
        .select('userId')
        .where('meetingId', '=', access.meeting.id)
        .where('userId', '=', req.body.userId)
        .executeTakeFirst();
      if (!member) throw invalid({ path: 'userId', key: 'field.not_member_of_meeting' });
      const row = {
        id: newId(),
        meetingId: access.meeting.id,
        userId: req.body.userId,
        amountYen: req.body.amountYen,
        paidOn: req.body.paidOn ?? null,
        recordedByUserId: actorOf(req).userId,
        createdAt: nowIso(),
      };
      await writeWithAudit(services, req, async (tx) => {
        await tx.insertInto('honoraria').values(row).execute();
        return {
          result: null,
          events: [
            { type: 'HONORARIUM_RECORDED', subjectType: 'meeting', subjectId: access.meeting.id, payload: { userId: row.userId, amountYen: row.amountYen } },
          ],
        };
      });
      reply.status(201);
      return row;
    },
  );

  /** 謝金 rows for the claim: staff names and amounts, no client data. */
  async function honorariaRows(from?: string, to?: string) {
    return db
      .selectFrom('honoraria as h')
      .innerJoin('meetings as m', 'm.id', 'h.meetingId')
      .innerJoin('users as u', 'u.id', 'h.userId')
      .innerJoin('organizations as o', 'o.id', 'u.organizationId')
      .select(['m.startsAt', 'm.title', 'm.kind', 'u.displayName', 'o.name as organizationName', 'h.amountYen', 'h.paidOn'])
      .$if(Boolean(from), (q) => q.where('m.startsAt', '>=', `${from}T00:00:00+09:00`))
      .$if(Boolean(to), (q) => q.where('m.startsAt', '<=', `${to}T23:59:59+09:00`))
      .orderBy('m.startsAt')
      .execute();
  }
  const KIND = { support: '支援会議', multilayer: '重層的支援会議', case_conference: '複合課題ケース検討会' } as Record<string, string>;
  const HEAD = ['開催日', '会議名', '種別', '氏名', '所属', '金額（円）', '支払日'];
  const toRow = (x: Awaited<ReturnType<typeof honorariaRows>>[number]) => [
    formatWareki(x.startsAt),
    x.title,
    KIND[x.kind] ?? x.kind,
    x.displayName,
    x.organizationName,
    x.amountYen,
    x.paidOn ? formatWareki(x.paidOn) : '',
  ];

  r.get('/honoraria.csv', { schema: { tags: ['meetings'], summary: '謝金一覧（CSV・UTF-8 BOM）', querystring: HonorariaQuery } }, async (req, reply) => {
    const actor = requireRole(req, 'chair', 'coordinator', 'admin');
    const rows = await honorariaRows(req.query.from, req.query.to);
    const cell = (v: unknown) => `"${String(v).replace(/"/g, '""')}"`;
    const stamp = `出力者: ${actor.displayName}（${actor.organizationName}） 出力日時: ${new Date().toISOString()}`;
    const csv = `\uFEFF${[[stamp], HEAD, ...rows.map(toRow)].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
    await auditReads(services, req, [{ type: 'FORM_EXPORTED', payload: { form: 'honoraria_csv', rows: rows.length } }]);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="honoraria.csv"').send(csv);
  });

  r.get('/honoraria.xlsx', { schema: { tags: ['meetings'], summary: '謝金一覧（Excel）', querystring: HonorariaQuery } }, async (req, reply) => {
    const actor = requireRole(req, 'chair', 'coordinator', 'admin');
    const rows = await honorariaRows(req.query.from, req.query.to);
    // exceljs (about 25 MB) is loaded on the first export, not at server start (issue 6).
    const ExcelJS = createRequire(import.meta.url)('exceljs') as typeof ExcelJSModule;
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('謝金一覧');
    sheet.addRow([`出力者: ${actor.displayName}（${actor.organizationName}）`, `出力日時: ${new Date().toISOString()}`]);
    sheet.addRow(HEAD);
    for (const x of rows) sheet.addRow(toRow(x));
    const buffer = Buffer.from(await book.xlsx.writeBuffer());
    await auditReads(services, req, [{ type: 'FORM_EXPORTED', payload: { form: 'honoraria_xlsx', rows: rows.length } }]);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', 'attachment; filename="honoraria.xlsx"')
      .send(buffer);
  });
}
