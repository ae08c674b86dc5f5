/**
 * Authentication: browser sessions (HttpOnly SameSite=Strict cookie + CSRF header) and API
 * bearer tokens, both stored server-side as SHA-256 hashes and expiring; login throttling
 * per account and per address, kept in the database so that it survives a restart.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { dummyPasswordHash, verifyPassword } from '../commands/passwords.ts';
import { verifyTotp } from '../commands/totp.ts';
import { prepareQuery } from '../db/prepared.ts';
import type { DB } from '../db/schema.ts';
import { nowIso, nowMs } from '../lib/clock.ts';
import { safeEqual } from '../lib/safeEqual.ts';
import { type Actor, ROLES, type Role } from '../policy/actor.ts';

export { safeEqual };

export const SESSION_COOKIE = 'kasane_session';
/** Absolute lifetime of a browser session and of an API token. */
export const SESSION_HOURS = 12;
export const API_TOKEN_HOURS = 12;
/** A browser session unused for this long ends (ASVS 7.3.1). */
export const IDLE_MINUTES = 30;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;
export const LOCK_MINUTES = 15;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const secret = () => randomBytes(32).toString('base64url');
const inMinutes = (m: number) => new Date(nowMs() + m * 60_000).toISOString();

export function parseRoles(json: string): Role[] {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.filter((r): r is Role => (ROLES as readonly string[]).includes(r)) : [];
  } catch {
    return [];
  }
}

/** Loads the actor afresh: a disabled user or changed roles count from the next request on. */
const actorQuery = prepareQuery(['userId'], (db, a: { userId: string }) =>
  db
    .selectFrom('users')
    .innerJoin('organizations', 'organizations.id', 'users.organizationId')
    .select([
      'users.id',
      'users.loginId',
      'users.displayName',
      'users.organizationId',
      'users.roles',
      'users.disabledAt',
      'organizations.name as organizationName',
      'organizations.fields as organizationFields',
    ])
    .where('users.id', '=', a.userId),
);

export async function loadActor(db: Kysely<DB>, userId: string): Promise<Actor | null> {
  const row = await actorQuery.first(db, { userId });
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

/**
 * The actor of a live API token, loaded afresh in one query together with what the
 * second-factor check needs (the same rows as findSession + loadActor + secondFactorState,
 * joined: every request authenticates, so this is the hottest query of the server).
 * `null`: no live token; `actor: null`: the token's user is disabled.
 */
const apiTokenQuery = prepareQuery(['tokenHash', 'now'], (db, a: { tokenHash: string; now: string }) =>
  db
    .selectFrom('authSessions as s')
    .innerJoin('users', 'users.id', 's.userId')
    .innerJoin('organizations', 'organizations.id', 'users.organizationId')
    .select([
      'users.id',
      'users.loginId',
      'users.displayName',
      'users.organizationId',
      'users.roles',
      'users.disabledAt',
      'users.totpEnabledAt',
      'organizations.name as organizationName',
      'organizations.fields as organizationFields',
      (eb) => eb.selectFrom('municipality').select('mfaRequiredRoles').limit(1).as('mfaRequiredRoles'),
    ])
    .where('s.tokenHash', '=', a.tokenHash)
    .where('s.kind', '=', 'api')
    .where('s.expiresAt', '>', a.now),
);

export async function actorForApiToken(
  db: Kysely<DB>,
  token: string,
): Promise<{ actor: Actor | null; secondFactor: { enabled: boolean; required: boolean } } | null> {
  const row = await apiTokenQuery.first(db, { tokenHash: sha256(token), now: nowIso() });
  if (!row) return null;
  if (row.disabledAt) return { actor: null, secondFactor: { enabled: false, required: false } };
  const actor: Actor = {
    userId: row.id,
    loginId: row.loginId,
    displayName: row.displayName,
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    organizationFields: JSON.parse(row.organizationFields) as string[],
    roles: parseRoles(row.roles),
  };
  const required = parseRoles(row.mfaRequiredRoles ?? '[]');
  return { actor, secondFactor: { enabled: Boolean(row.totpEnabledAt), required: actor.roles.some((r) => required.includes(r)) } };
}

export type CredentialCheck = { ok: true; userId: string } | { ok: false; reason: 'bad_credentials' | 'locked' | 'totp_required'; minutes?: number };

async function lockedFor(db: Kysely<DB>, key: string): Promise<number | null> {
  const row = await db.selectFrom('loginThrottle').select('lockedUntil').where('throttleKey', '=', key).executeTakeFirst();
  if (row?.lockedUntil && row.lockedUntil > nowIso()) return Math.ceil((Date.parse(row.lockedUntil) - nowMs()) / 60_000);
  return null;
}

async function countFailure(db: Kysely<DB>, key: string, max: number): Promise<void> {
  const now = nowIso();
  const row = await db.selectFrom('loginThrottle').selectAll().where('throttleKey', '=', key).executeTakeFirst();
  const expiredLock = row?.lockedUntil && row.lockedUntil <= now;
  const failures = (row && !expiredLock ? row.failures : 0) + 1;
  const lockedUntil = failures >= max ? inMinutes(LOCK_MINUTES) : null;
  const values = { failures: lockedUntil ? 0 : failures, lockedUntil, updatedAt: now };
  if (row) await db.updateTable('loginThrottle').set(values).where('throttleKey', '=', key).execute();
  else
    await db
      .insertInto('loginThrottle')
      .values({ throttleKey: key, ...values })
      .execute();
}

/**
 * Checks a login id and password. Unknown login ids and wrong passwords take the same time
 * and get the same answer; failures count per account and per address.
 */
export async function checkCredentials(db: Kysely<DB>, loginId: string, password: string, address: string, totp?: string): Promise<CredentialCheck> {
  const accountKey = `login:${loginId}`;
  const addressKey = `ip:${address}`;
  const locked = (await lockedFor(db, accountKey)) ?? (await lockedFor(db, addressKey));
  if (locked !== null) return { ok: false, reason: 'locked', minutes: locked };
  const user = await db.selectFrom('users').select(['id', 'passwordHash', 'disabledAt', 'totpSecret']).where('loginId', '=', loginId).executeTakeFirst();
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (user && valid && !user.disabledAt && user.totpSecret && !totp) return { ok: false, reason: 'totp_required' };
  const secondFactorOk = !user?.totpSecret || (totp !== undefined && verifyTotp(user.totpSecret, totp));
  if (user && valid && !user.disabledAt && secondFactorOk) {
    await db.deleteFrom('loginThrottle').where('throttleKey', '=', accountKey).execute();
    return { ok: true, userId: user.id };
  }
  await countFailure(db, accountKey, MAX_FAILURES_PER_ACCOUNT);
  await countFailure(db, addressKey, MAX_FAILURES_PER_ADDRESS);
  return { ok: false, reason: 'bad_credentials' };
}

export async function createSession(db: Kysely<DB>, userId: string, kind: 'session' | 'api') {
  const token = kind === 'api' ? `ksn_${secret()}` : secret();
  const csrfToken = kind === 'session' ? secret() : null;
  const hours = kind === 'api' ? API_TOKEN_HOURS : SESSION_HOURS;
  const now = nowIso();
  const expiresAt = inMinutes(hours * 60);
  await db
    .insertInto('authSessions')
    .values({ tokenHash: sha256(token), userId, kind, csrfTokenHash: csrfToken ? sha256(csrfToken) : null, createdAt: now, lastSeenAt: now, expiresAt })
    .execute();
  return { token, csrfToken, expiresAt };
}

/** A live session or token: within its absolute lifetime and, for browsers, not idle too long. */
export async function findSession(db: Kysely<DB>, token: string, kind: 'session' | 'api') {
  const now = nowIso();
  const session = await db
    .selectFrom('authSessions')
    .selectAll()
    .where('tokenHash', '=', sha256(token))
    .where('kind', '=', kind)
    .where('expiresAt', '>', now)
    .executeTakeFirst();
  if (!session) return undefined;
  if (kind === 'session') {
    const idleSince = new Date(nowMs() - IDLE_MINUTES * 60_000).toISOString();
    if (session.lastSeenAt <= idleSince) {
      await db.deleteFrom('authSessions').where('tokenHash', '=', session.tokenHash).execute();
      return undefined;
    }
    // Moving lastSeenAt costs a write; once a minute is precise enough for a 30-minute limit.
    if (nowMs() - Date.parse(session.lastSeenAt) > 60_000) {
      await db.updateTable('authSessions').set({ lastSeenAt: now }).where('tokenHash', '=', session.tokenHash).execute();
    }
  }
  return session;
}

export async function endSession(db: Kysely<DB>, token: string) {
  await db.deleteFrom('authSessions').where('tokenHash', '=', sha256(token)).execute();
}

/** Whether the user has a second factor, and whether their roles require one. */
export async function secondFactorState(db: Kysely<DB>, actor: Actor): Promise<{ enabled: boolean; required: boolean }> {
  const user = await db.selectFrom('users').select('totpEnabledAt').where('id', '=', actor.userId).executeTakeFirst();
  const m = await db.selectFrom('municipality').select('mfaRequiredRoles').executeTakeFirst();
  const required = parseRoles(m?.mfaRequiredRoles ?? '[]');
  return { enabled: Boolean(user?.totpEnabledAt), required: actor.roles.some((r) => required.includes(r)) };
}
