import type { FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/events.ts';
import { type Actor, hasRole, type Role } from '../policy/actor.ts';
import { AppError } from './errors.ts';
import type { Lang } from './messages.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    lang: Lang;
    authKind: 'cookie' | 'bearer' | null;
  }
  interface FastifyContextConfig {
    /** Routes that need no sign-in (health, login, token, OpenAPI). */
    public?: boolean;
  }
}

/** The signed-in actor; the auth hook has already answered 401 for anyone else. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated', 'detail.unauthenticated');
  return req.actor;
}

/** Refuses with 403 unless the actor has one of the roles. */
export function requireRole(req: FastifyRequest, ...roles: Role[]): Actor {
  const actor = actorOf(req);
  if (!hasRole(actor, ...roles)) throw new AppError('forbidden', 'rule.role', { roles });
  return actor;
}

export function auditContext(req: FastifyRequest): AuditContext {
  const a = req.actor;
  return {
    actor: {
      userId: a?.userId ?? null,
      loginId: a?.loginId ?? null,
      displayName: a?.displayName ?? null,
      organizationId: a?.organizationId ?? null,
      organizationName: a?.organizationName ?? null,
      roles: a?.roles ?? [],
    },
    requestId: req.id,
    ip: req.ip,
  };
}
