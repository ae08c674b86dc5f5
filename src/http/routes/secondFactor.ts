/**
 * The TOTP second factor, open to every user, and the municipality setting that makes it
 * mandatory for chosen roles (recommended for administrators and auditors).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { generateTotpSecret, otpauthUri, verifyTotp } from '../../commands/totp.ts';
import { IdParams } from '../../domain/schemas.ts';
import { nowIso } from '../../lib/clock.ts';
import { ROLES } from '../../policy/actor.ts';
import type { Services } from '../../services.ts';
import { parseRoles, secondFactorState } from '../auth.ts';
import { actorOf, requireRole } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { writeWithAudit } from '../transaction.ts';

const EnableBody = z.object({ code: z.string().regex(/^\d{6}$/) });
const SettingsBody = z.object({ mfaRequiredRoles: z.array(z.enum(ROLES)).max(ROLES.length) });

/** Routes a user whose role requires a second factor may still use before setting it up. */
export const SECOND_FACTOR_SETUP_ROUTES = new Set([
  '/api/v1/me',
  '/api/v1/auth/totp/setup',
  '/api/v1/auth/totp/enable',
  '/api/v1/auth/logout',
  '/api/v1/code-lists',
]);

export async function secondFactorRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.post('/auth/totp/setup', { schema: { tags: ['auth'], summary: '二要素認証（TOTP）の設定を始める' } }, async (req) => {
    const actor = actorOf(req);
    const secret = generateTotpSecret();
    await db.updateTable('users').set({ totpPendingSecret: secret }).where('id', '=', actor.userId).execute();
    const m = await db.selectFrom('municipality').select('name').executeTakeFirst();
    return { secret, otpauthUri: otpauthUri(secret, actor.loginId, `Kasane ${m?.name ?? ''}`.trim()) };
  });

  r.post('/auth/totp/enable', { schema: { tags: ['auth'], summary: '確認コードで二要素認証を有効にする', body: EnableBody } }, async (req) => {
    const actor = actorOf(req);
    const user = await db.selectFrom('users').select(['totpPendingSecret']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
    if (!user.totpPendingSecret) throw new AppError('conflict', 'detail.totp_no_pending');
    if (!verifyTotp(user.totpPendingSecret, req.body.code)) throw new AppError('validation', 'detail.totp_wrong', {}, [{ path: 'code', key: 'field.invalid' }]);
    await writeWithAudit(services, req, async (tx) => {
      await tx
        .updateTable('users')
        .set({ totpSecret: user.totpPendingSecret, totpPendingSecret: null, totpEnabledAt: nowIso() })
        .where('id', '=', actor.userId)
        .execute();
      return { result: null, events: [{ type: 'USER_SECOND_FACTOR_ENABLED', subjectType: 'user', subjectId: actor.userId }] };
    });
    return { enabled: true };
  });

  r.post('/users/:id/totp/reset', { schema: { tags: ['accounts'], summary: '二要素認証のリセット（管理者）', params: IdParams } }, async (req) => {
    requireRole(req, 'admin');
    const user = await db.selectFrom('users').select('id').where('id', '=', req.params.id).executeTakeFirst();
    if (!user) throw notFound();
    await writeWithAudit(services, req, async (tx) => {
      await tx.updateTable('users').set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null }).where('id', '=', user.id).execute();
      await tx.deleteFrom('authSessions').where('userId', '=', user.id).execute();
      return { result: null, events: [{ type: 'USER_SECOND_FACTOR_RESET', subjectType: 'user', subjectId: user.id }] };
    });
    return { enabled: false };
  });

  r.get('/settings', { schema: { tags: ['accounts'], summary: '自治体の設定（管理者）' } }, async (req) => {
    requireRole(req, 'admin');
    const m = await db.selectFrom('municipality').select(['name', 'isDemo', 'mfaRequiredRoles']).executeTakeFirstOrThrow();
    return { name: m.name, isDemo: m.isDemo === 1, mfaRequiredRoles: parseRoles(m.mfaRequiredRoles) };
  });

  r.put('/settings', { schema: { tags: ['accounts'], summary: '自治体の設定の変更（管理者）', body: SettingsBody } }, async (req) => {
    requireRole(req, 'admin');
    const roles = [...new Set(req.body.mfaRequiredRoles)];
    await writeWithAudit(services, req, async (tx) => {
      await tx
        .updateTable('municipality')
        .set({ mfaRequiredRoles: JSON.stringify(roles) })
        .execute();
      return { result: null, events: [{ type: 'SETTINGS_CHANGED', payload: { mfaRequiredRoles: roles } }] };
    });
    return { mfaRequiredRoles: roles, secondFactor: await secondFactorState(db, actorOf(req)) };
  });
}
