/**
 * Presenters: the one place rows become API objects. Each takes only what the policy has
 * already allowed, so a presenter can never widen what a caller sees.
 */
import type { Selectable } from 'kysely';
import type { ConsentTable, OrganizationTable, PersonTable, UserTable } from '../db/schema.ts';
import { parseRoles } from './auth.ts';

export function presentOrganization(o: Selectable<OrganizationTable>) {
  return { id: o.id, name: o.name, kind: o.kind, fields: JSON.parse(o.fields) as string[], area: o.area, createdAt: o.createdAt };
}

type UserRow = Pick<Selectable<UserTable>, 'id' | 'loginId' | 'displayName' | 'organizationId' | 'roles' | 'disabledAt' | 'createdAt'> & {
  updatedAt?: string;
} & { totpEnabledAt?: string | null };

export function presentUser(u: UserRow) {
  return {
    id: u.id,
    loginId: u.loginId,
    displayName: u.displayName,
    organizationId: u.organizationId,
    roles: parseRoles(u.roles),
    disabled: u.disabledAt !== null,
    disabledAt: u.disabledAt,
    secondFactor: Boolean(u.totpEnabledAt),
    createdAt: u.createdAt,
  };
}

/** Identity is what team membership opens; address and sex need a stronger ground. */
export function presentPerson(p: Selectable<PersonTable>, opts: { seesContact: boolean }) {
  return {
    id: p.id,
    familyName: p.familyName,
    givenName: p.givenName,
    familyNameKana: p.familyNameKana,
    givenNameKana: p.givenNameKana,
    birthDate: p.birthDate,
    ...(opts.seesContact ? { sex: p.sex, address: p.address } : {}),
    registeredByOrganizationId: p.registeredByOrganizationId,
    createdAt: p.createdAt,
  };
}

/**
 * A consent. Its details — the purposes and the name of the representative who gave it — are
 * personal data: shown to the organization that recorded it, the organizations it names, the
 * lead and break-glass; a team organization it does not name sees its state and scope only.
 */
export function presentConsent(c: Selectable<ConsentTable>, organizationIds: string[], orgNames: Map<string, string>, opts: { details?: boolean } = {}) {
  const details = opts.details !== false;
  return {
    id: c.id,
    personId: c.personId,
    obtainedOn: c.obtainedOn,
    method: c.method,
    givenBy: { relation: c.givenByRelation, ...(c.givenByName && details ? { name: c.givenByName } : {}) },
    organizationIds,
    organizationNames: organizationIds.map((id) => orgNames.get(id) ?? id),
    purposes: details ? (JSON.parse(c.purposes) as string[]) : [],
    ...(details ? {} : { detailsWithheld: true }),
    includesTaxInfo: c.includesTaxInfo === 1,
    recordedByOrganizationId: c.recordedByOrganizationId,
    createdAt: c.createdAt,
    withdrawnOn: c.withdrawnOn,
    withdrawnAt: c.withdrawnAt,
    active: c.withdrawnAt === null,
  };
}

/** Rule 3's refusal names the persons and the organizations their consents do not cover. */
export const gapText = (gaps: { personId?: string; personName: string; organizationIds?: string[]; organizationNames: string[] }[]) =>
  gaps.map((g) => `${g.personName}（${g.organizationNames.join('、')}）`).join('／');
