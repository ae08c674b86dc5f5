/**
 * Authentication: browser sessions (HttpOnly SameSite=Strict cookie + CSRF header) and API
 * bearer tokens, both stored server-side as SHA-256 hashes and expiring; login throttling
 * kept in the database so that it survives a restart.
 */
import { createHash, randomBytes } from 'node:crypto';
import { safeEqual } from '../lib/safeEqual.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { nowIso } from '../lib/clock.ts';
import { type Actor, ROLES, type Role } from '../policy/actor.ts';
import { dummyPasswordHash, verifyPassword } from '../commands/passwords.ts';

export const SESSION_COOKIE = 'kasane_session';
export const SESSION_HOURS = 10;
export const API_TOKEN_HOURS = 12;
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

export { safeEqual };

export function parseRoles(json: string): Role[] {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.filter((r): r is Role => (ROLES as readonly string[]).includes(r)) : [];
  } catch {
    return [];
  }
}

/** Loads the actor afresh: a disabled user or changed roles count from the next request on. */
export async function loadActor(db: Kysely<DB>, userId: string): Promise<Actor | null> {
  const row = await db
    .selectFrom('users')
    .innerJoin('organizations', 'organizations.id', 'users.organizationId')
    .select(['users.id', 'users.loginId', 'users.displayName', 'users.organizationId', 'users.roles', 'users.disabledAt', 'organizations.name as organizationName', 'organizations.fields as organizationFields'])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!row || row.disabledAt) return null;
  return {
    userId: row.id,
    loginId: row.loginId,
    displayName: row.displayName,
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    organizationFields: JSON.parse(row.organizationFields) as string[],
    roles: parseRoles(row.roles),
  };
}

export type CredentialCheck =
  | { ok: true; userId: string }
  | { ok: false; reason: 'bad_credentials' | 'locked'; minutes?: number };

/** Checks a login id and password, counting failures per login id in the database. */
export async function checkCredentials(db: Kysely<DB>, loginId: string, password: string): Promise<CredentialCheck> {
  const now = nowIso();
  const throttle = await db.selectFrom('loginThrottle').selectAll().where('loginId', '=', loginId).executeTakeFirst();
  if (throttle?.lockedUntil && throttle.lockedUntil > now) {
    const minutes = Math.ceil((Date.parse(throttle.lockedUntil) - Date.now()) / 60000);
    return { ok: false, reason: 'locked', minutes };
  }
  const user = await db.selectFrom('users').select(['id', 'passwordHash', 'disabledAt']).where('loginId', '=', loginId).executeTakeFirst();
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (user && valid && !user.disabledAt) {
    if (throttle) await db.deleteFrom('loginThrottle').where('loginId', '=', loginId).execute();
    return { ok: true, userId: user.id };
  }
  const failures = (throttle && !(throttle.lockedUntil && throttle.lockedUntil <= now) ? throttle.failures : 0) + 1;
  const lockedUntil = failures >= MAX_FAILURES ? new Date(Date.now() + LOCK_MINUTES * 60000).toISOString() : null;
  if (throttle) {
    await db.updateTable('loginThrottle').set({ failures: lockedUntil ? 0 : failures, lockedUntil, updatedAt: now }).where('loginId', '=', loginId).execute();
  } else {
    await db.insertInto('loginThrottle').values({ loginId, failures, lockedUntil, updatedAt: now }).execute();
  }
  return { ok: false, reason: 'bad_credentials' };
}

export async function createSession(db: Kysely<DB>, userId: string, kind: 'session' | 'api') {
  const token = kind === 'api' ? `ksn_${secret()}` : secret();
  const csrfToken = kind === 'session' ? secret() : null;
  const hours = kind === 'api' ? API_TOKEN_HOURS : SESSION_HOURS;
  const expiresAt = new Date(Date.now() + hours * 3600_000).toISOString();
  await db
    .insertInto('authSessions')
    .values({ tokenHash: sha256(token), userId, kind, csrfTokenHash: csrfToken ? sha256(csrfToken) : null, createdAt: nowIso(), expiresAt })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function findSession(db: Kysely<DB>, token: string, kind: 'session' | 'api') {
  return db
    .selectFrom('authSessions')
    .selectAll()
    .where('tokenHash', '=', sha256(token))
    .where('kind', '=', kind)
    .where('expiresAt', '>', nowIso())
    .executeTakeFirst();
}

export async function endSession(db: Kysely<DB>, token: string) {
  await db.deleteFrom('authSessions').where('tokenHash', '=', sha256(token)).execute();
}
