/**
 * Accounts and organizations: the administrator's work. The administrator manages who may
 * sign in; by default they see no case content (rule 1).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { hashPassword } from '../../commands/passwords.ts';
import { IdParams, OrganizationCreateBody, UserCreateBody, UserRolesBody } from '../../domain/schemas.ts';
import { nowIso } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import type { Services } from '../../services.ts';
import { actorOf, requireRole } from '../context.ts';
import { conflict, invalid, notFound, unknownReference } from '../errors.ts';
import { presentOrganization, presentUser } from '../presenters.ts';
import { writeWithAudit } from '../transaction.ts';

export async function adminRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.get('/organizations', { schema: { tags: ['accounts'], summary: '関係機関の一覧' } }, async (req) => {
    actorOf(req);
    const rows = await db.selectFrom('organizations').selectAll().orderBy('createdAt').execute();
    return { items: rows.map(presentOrganization) };
  });

  r.post('/organizations', { schema: { tags: ['accounts'], summary: '関係機関の登録（管理者）', body: OrganizationCreateBody } }, async (req, reply) => {
    requireRole(req, 'admin');
    const b = req.body;
    const row = { id: newId(), name: b.name, kind: b.kind, fields: JSON.stringify(b.fields ?? []), area: b.area ?? null, createdAt: nowIso() };
    await writeWithAudit(services, req, async (tx) => {
      await tx.insertInto('organizations').values(row).execute();
      return { result: null, events: [{ type: 'ORGANIZATION_CREATED', subjectType: 'organization', subjectId: row.id }] };
    });
    reply.status(201);
    return presentOrganization(row);
  });

  r.get('/users', { schema: { tags: ['accounts'], summary: '利用者の一覧（管理者）' } }, async (req) => {
    requireRole(req, 'admin');
    const rows = await db.selectFrom('users').selectAll().orderBy('createdAt').execute();
    return { items: rows.map(presentUser) };
  });

  // The staff directory (no client data): names, organizations and roles, so that a chair can
  // invite members and a caseworker can see who is on a team. External members see none.
  r.get('/directory/users', { schema: { tags: ['accounts'], summary: '職員名簿（会議の構成員選択用）' } }, async (req) => {
    requireRole(req, 'admin', 'coordinator', 'chair', 'caseworker');
    const rows = await db
      .selectFrom('users')
      .innerJoin('organizations', 'organizations.id', 'users.organizationId')
      .select(['users.id', 'users.displayName', 'users.organizationId', 'organizations.name as organizationName', 'users.roles'])
      .where('users.disabledAt', 'is', null)
      .orderBy('organizations.name')
      .orderBy('users.displayName')
      .execute();
    // Administrators and auditors who hold no other role take part in no meeting.
    const people = rows.map((u) => ({
      id: u.id,
      displayName: u.displayName,
      organizationId: u.organizationId,
      organizationName: u.organizationName,
      roles: JSON.parse(u.roles) as string[],
    }));
    return { items: people.filter((u) => u.roles.some((role) => role !== 'admin' && role !== 'auditor')) };
  });

  r.post('/users', { schema: { tags: ['accounts'], summary: '利用者の登録（管理者）', body: UserCreateBody } }, async (req, reply) => {
    requireRole(req, 'admin');
    const b = req.body;
    const org = await db.selectFrom('organizations').select('id').where('id', '=', b.organizationId).executeTakeFirst();
    if (!org) throw invalid(unknownReference('organizationId', 'organization'));
    const taken = await db.selectFrom('users').select('id').where('loginId', '=', b.loginId).executeTakeFirst();
    if (taken) throw conflict('conflict.login_taken');
    const now = nowIso();
    const row = {
      id: newId(),
      loginId: b.loginId,
      displayName: b.displayName,
      organizationId: b.organizationId,
      roles: JSON.stringify([...new Set(b.roles)]),
      passwordHash: await hashPassword(b.password),
      disabledAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await writeWithAudit(services, req, async (tx) => {
      await tx.insertInto('users').values(row).execute();
      return {
        result: null,
        events: [{ type: 'USER_CREATED', subjectType: 'user', subjectId: row.id, payload: { roles: b.roles, organizationId: b.organizationId } }],
      };
    });
    reply.status(201);
    return presentUser(row);
  });

  r.post('/users/:id/disable', { schema: { tags: ['accounts'], summary: '利用者の無効化（次の要求から有効）', params: IdParams } }, async (req) => {
    requireRole(req, 'admin');
    const user = await db.selectFrom('users').selectAll().where('id', '=', req.params.id).executeTakeFirst();
    if (!user) throw notFound();
    const now = nowIso();
    await writeWithAudit(services, req, async (tx) => {
      await tx
        .updateTable('users')
        .set({ disabledAt: user.disabledAt ?? now, updatedAt: now })
        .where('id', '=', user.id)
        .execute();
      // Sessions and tokens end with the account, not at their expiry.
      await tx.deleteFrom('authSessions').where('userId', '=', user.id).execute();
      return { result: null, events: [{ type: 'USER_DISABLED', subjectType: 'user', subjectId: user.id }] };
    });
    return presentUser({ ...user, disabledAt: user.disabledAt ?? now, updatedAt: now });
  });

  r.post(
    '/users/:id/roles',
    { schema: { tags: ['accounts'], summary: '利用者の役割変更（次の要求から有効）', params: IdParams, body: UserRolesBody } },
    async (req) => {
      requireRole(req, 'admin');
      const user = await db.selectFrom('users').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!user) throw notFound();
      const roles = JSON.stringify([...new Set(req.body.roles)]);
      const now = nowIso();
      await writeWithAudit(services, req, async (tx) => {
        await tx.updateTable('users').set({ roles, updatedAt: now }).where('id', '=', user.id).execute();
        // Rule 8: a break-glass grant is the coordinator's; it ends with the role (ASVS 8.3.2: at once).
        let breakGlassEnded = 0;
        if (!req.body.roles.includes('coordinator')) {
          const ended = await tx
            .updateTable('breakGlassGrants')
            .set({ expiresAt: now })
            .where('userId', '=', user.id)
            .where('expiresAt', '>', now)
            .executeTakeFirst();
          breakGlassEnded = Number(ended.numUpdatedRows);
        }
        return {
          result: null,
          events: [
            {
              type: 'USER_ROLES_CHANGED',
              subjectType: 'user',
              subjectId: user.id,
              payload: { from: JSON.parse(user.roles), to: req.body.roles, ...(breakGlassEnded > 0 ? { breakGlassEnded } : {}) },
            },
          ],
        };
      });
      return presentUser({ ...user, roles, updatedAt: now });
    },
  );
}
