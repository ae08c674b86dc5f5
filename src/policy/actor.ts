/**
 * The actor: who is asking, loaded fresh from the database on every request so that a
 * disabled user or a changed role takes effect on the very next request.
 */
export const ROLES = ['admin', 'coordinator', 'chair', 'caseworker', 'advisor', 'outreach', 'community', 'auditor', 'external_member'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  userId: string;
  loginId: string;
  displayName: string;
  organizationId: string;
  organizationName: string;
  organizationFields: string[];
  roles: Role[];
}

/**
 * Roles through which a user works on case data for their organization (rule 1's
 * organization grounds). Administrators and auditors see no case content; advisors,
 * outreach workers and external members see only what a request or meeting gives them.
 */
export const ORG_GROUND_ROLES: readonly Role[] = ['coordinator', 'chair', 'caseworker'];

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

export function actsForOrganization(actor: Actor): boolean {
  return hasRole(actor, ...ORG_GROUND_ROLES);
}

/** 地方税法22条: an organization whose fields include 税務 holds tax information only. */
export const TAX_FIELD = '税務';

export function isTaxOrganization(fields: readonly string[]): boolean {
  return fields.includes(TAX_FIELD);
}
