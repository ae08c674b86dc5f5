import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LoginBody } from '../../domain/schemas.ts';
import type { Services } from '../../services.ts';
import { checkCredentials, createSession, endSession, loadActor, SESSION_COOKIE, SESSION_HOURS } from '../auth.ts';
import { AppError } from '../errors.ts';
import { auditReads } from '../transaction.ts';

export async function authRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function signIn(req: FastifyRequest, loginId: string, password: string, totp: string | undefined) {
    const check = await checkCredentials(services.db, loginId, password, req.ip, totp);
    if (!check.ok) {
      await auditReads(services, req, [{ type: 'USER_SIGN_IN_FAILED', outcome: 'denied', payload: { loginId, reason: check.reason } }]);
      if (check.reason === 'locked') throw new AppError('throttled', 'detail.throttled', { minutes: check.minutes });
      if (check.reason === 'totp_required') throw new AppError('unauthenticated', 'detail.totp_required');
      throw new AppError('unauthenticated', 'detail.bad_credentials');
    }
    const actor = await loadActor(services.db, check.userId);
    if (!actor) throw new AppError('unauthenticated', 'detail.bad_credentials');
    req.actor = actor;
    return actor;
  }

  r.post(
    '/auth/login',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'ブラウザのログイン（Cookie + CSRF）', body: LoginBody } },
    async (req, reply) => {
      const actor = await signIn(req, req.body.loginId, req.body.password, req.body.totp);
      // A new session id at every sign-in: a session fixed before login is never promoted.
      const previous = req.cookies[SESSION_COOKIE];
      if (previous) await endSession(services.db, previous);
      const session = await createSession(services.db, actor.userId, 'session');
      await auditReads(services, req, [{ type: 'USER_SIGNED_IN', subjectType: 'user', subjectId: actor.userId, payload: { kind: 'session' } }]);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: req.protocol === 'https',
        maxAge: SESSION_HOURS * 3600,
      });
      return {
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt,
        user: {
          id: actor.userId,
          loginId: actor.loginId,
          displayName: actor.displayName,
          organizationId: actor.organizationId,
          organizationName: actor.organizationName,
          roles: actor.roles,
        },
      };
    },
  );

  r.post('/auth/token', { config: { public: true }, schema: { tags: ['auth'], summary: 'APIトークンの発行', body: LoginBody } }, async (req) => {
    const actor = await signIn(req, req.body.loginId, req.body.password, req.body.totp);
    const session = await createSession(services.db, actor.userId, 'api');
    await auditReads(services, req, [{ type: 'API_TOKEN_ISSUED', subjectType: 'user', subjectId: actor.userId }]);
    return { token: session.token, expiresAt: session.expiresAt };
  });

  r.post('/auth/logout', { config: { public: true }, schema: { tags: ['auth'], summary: 'ログアウト' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await endSession(services.db, token);
    if (req.actor) await auditReads(services, req, [{ type: 'USER_SIGNED_OUT', subjectType: 'user', subjectId: req.actor.userId }]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
}
