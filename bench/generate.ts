/**
 * A reproducible generated municipality (seeded): agencies and staff through the real
 * account code, then persons, households, cases, problems, teams, consents and records
 * inserted in bulk, in transactions, with the same search keys the API computes. The bulk
 * load is itself audited as one BULK_IMPORTED event per batch (a data migration would be
 * audited the same way); reads and writes made afterwards through the API are audited as usual.
 */
import type { Kysely } from 'kysely';
import { SYSTEM_CONTEXT } from '../src/audit/events.ts';
import { recordAudit } from '../src/audit/writer.ts';
import { hashPassword } from '../src/commands/passwords.ts';
import type { DB } from '../src/db/schema.ts';
import { problemTypes, referralRoutes } from '../src/ja/codeLists.ts';
import { personSearchKeys, substringSearchKeys } from '../src/ja/searchKeys.ts';
import { newId } from '../src/lib/ids.ts';
import type { Services } from '../src/services.ts';
import { AGENCIES, FAMILY_NAMES, GIVEN_NAMES } from './names.ts';

/** mulberry32: a small, fast, seeded PRNG — the same seed gives the same municipality. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
  };
}

export interface GenerateOptions {
  households: number;
  /** Share of households with an open case (0–1). */
  caseShare?: number;
  seed?: number;
  password?: string;
}

export interface Generated {
  password: string;
  organizations: { id: string; name: string; tax: boolean }[];
  users: { loginId: string; organizationId: string; roles: string[] }[];
  personIds: string[];
  caseIds: string[];
  /** Cases with their lead org, for picking callers who may see them. */
  cases: { id: string; leadOrganizationId: string; personIds: string[] }[];
}

const BATCH = 1000;

export async function generateMunicipality(services: Services, opts: GenerateOptions): Promise<Generated> {
  const { db, dialect } = services;
  const r = rng(opts.seed ?? 20261128);
  const password = opts.password ?? 'bench-password-2026';
  const now = new Date().toISOString();
  const passwordHash = await hashPassword(password);

  const organizations = AGENCIES.map((a) => ({
    id: newId(),
    name: `生成市 ${a.name}`,
    kind: a.kind,
    fields: JSON.stringify(a.fields),
    area: null,
    createdAt: now,
    tax: a.fields.includes('税務'),
  }));
  const users: Generated['users'] = [];
  const userRows = organizations.flatMap((o, i) => {
    const roles = i === 0 ? ['coordinator', 'chair'] : ['caseworker'];
    return [0, 1].map((n) => {
      const loginId = `u${i}_${n}`;
      users.push({ loginId, organizationId: o.id, roles });
      return {
        id: newId(),
        loginId,
        displayName: `職員${i}-${n}`,
        organizationId: o.id,
        roles: JSON.stringify(roles),
        passwordHash,
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      };
    });
  });
  userRows.push({
    id: newId(),
    loginId: 'auditor',
    displayName: '監査担当',
    organizationId: organizations[0]!.id,
    roles: JSON.stringify(['auditor']),
    passwordHash,
    disabledAt: null,
    createdAt: now,
    updatedAt: now,
  });
  users.push({ loginId: 'auditor', organizationId: organizations[0]!.id, roles: ['auditor'] });
  const creator = userRows[0]!.id;

  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('organizations')
      .values(organizations.map(({ tax: _, ...o }) => o))
      .execute();
    await tx.insertInto('users').values(userRows).execute();
    await recordAudit(
      tx,
      dialect,
      SYSTEM_CONTEXT,
      [{ type: 'BULK_IMPORTED', payload: { organizations: organizations.length, users: userRows.length } }],
      services.audit.anchor,
    );
  });

  const personIds: string[] = [];
  const cases: Generated['cases'] = [];
  const caseShare = opts.caseShare ?? 0.2;
  for (let start = 0; start < opts.households; start += BATCH) {
    const end = Math.min(opts.households, start + BATCH);
    const persons: DB['persons'][] = [];
    const searchKeys: DB['personSearchKeys'][] = [];
    const households: DB['households'][] = [];
    const members: DB['householdMembers'][] = [];
    const caseRows: DB['cases'][] = [];
    const problems: DB['caseProblems'][] = [];
    const team: DB['caseTeam'][] = [];
    const statusRows: DB['caseStatusChanges'][] = [];
    const consents: DB['consents'][] = [];
    const consentOrgs: DB['consentOrganizations'][] = [];
    const records: DB['records'][] = [];
    for (let h = start; h < end; h += 1) {
      const family = r.pick(FAMILY_NAMES);
      const org = r.pick(organizations.slice(0, 6));
      const size = 1 + r.int(4);
      const householdId = newId();
      const memberIds: string[] = [];
      for (let m = 0; m < size; m += 1) {
        const given = r.pick(GIVEN_NAMES);
        const familyName = r.pick(family.kanji);
        const year = 1935 + r.int(85);
        const birthDate = `${year}-${String(1 + r.int(12)).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}`;
        const names = { familyName, givenName: given.kanji, familyNameKana: family.kana, givenNameKana: given.kana };
        const id = newId();
        memberIds.push(id);
        const keys = personSearchKeys(names);
        for (const key of substringSearchKeys(keys)) searchKeys.push({ key, personId: id });
        persons.push({
          id,
          ...names,
          ...keys,
          birthDate,
          sex: given.sex,
          address: `生成市中央${1 + r.int(9)}丁目${1 + r.int(30)}番`,
          registeredByOrganizationId: org.id,
          createdByUserId: creator,
          createdAt: now,
        });
        members.push({
          householdId,
          personId: id,
          relationship: m === 0 ? '世帯主' : r.pick(['妻', '夫', '子', '母', '父']),
          livesTogether: 1,
          keyPerson: m === 0 ? 1 : 0,
          position: m,
        });
      }
      personIds.push(...memberIds);
      households.push({
        id: householdId,
        name: `${family.kanji[0]}家`,
        address: null,
        createdByOrganizationId: org.id,
        createdByUserId: creator,
        createdAt: now,
      });
      if (r.next() < caseShare) {
        const caseId = newId();
        caseRows.push({
          id: caseId,
          householdId,
          leadOrganizationId: org.id,
          referralRoute: r.pick(referralRoutes).code,
          summary: `生成された相談概要 ${h}`,
          urgency: 'normal',
          status: r.pick(['intake', 'assessment', 'planning', 'in_support']),
          closingReason: null,
          openedAt: now,
          openedByUserId: creator,
          updatedAt: now,
        });
        team.push({ caseId, organizationId: org.id, basis: 'lead', joinedAt: now, addedByUserId: creator });
        const other = r.pick(organizations.filter((o) => o.id !== org.id));
        team.push({ caseId, organizationId: other.id, basis: 'referral', joinedAt: now, addedByUserId: creator });
        statusRows.push({ id: newId(), caseId, fromStatus: null, toStatus: 'intake', reason: null, note: null, changedAt: now, changedByUserId: creator });
        memberIds.forEach((personId, i) => {
          if (i === 0 || r.next() < 0.3) problems.push({ id: newId(), caseId, personId, type: r.pick(problemTypes).code, note: null, position: i });
          if (r.next() < 0.5) {
            const consentId = newId();
            consents.push({
              id: consentId,
              personId,
              obtainedOn: '2026-04-01',
              method: 'written',
              givenByRelation: 'self',
              givenByName: null,
              purposes: '[]',
              includesTaxInfo: 0,
              recordedByUserId: creator,
              recordedByOrganizationId: org.id,
              createdAt: now,
              withdrawnOn: null,
              withdrawnAt: null,
              withdrawnByUserId: null,
            });
            consentOrgs.push({ consentId, organizationId: org.id }, { consentId, organizationId: other.id });
          }
          records.push({
            id: newId(),
            caseId,
            personId,
            body: `生成された支援記録 ${h}-${i}`,
            classification: r.pick(['normal', 'normal', 'sensitive']),
            authorOrganizationId: org.id,
            authorUserId: creator,
            createdAt: now,
          });
        });
        cases.push({ id: caseId, leadOrganizationId: org.id, personIds: memberIds });
      }
    }
    await db.transaction().execute(async (tx) => {
      await insertChunks(tx, 'persons', persons);
      await insertChunks(tx, 'personSearchKeys', searchKeys);
      await insertChunks(tx, 'households', households);
      await insertChunks(tx, 'householdMembers', members);
      await insertChunks(tx, 'cases', caseRows);
      await insertChunks(tx, 'caseProblems', problems);
      await insertChunks(tx, 'caseTeam', team);
      await insertChunks(tx, 'caseStatusChanges', statusRows);
      await insertChunks(tx, 'consents', consents);
      await insertChunks(tx, 'consentOrganizations', consentOrgs);
      await insertChunks(tx, 'records', records);
      await recordAudit(
        tx,
        dialect,
        SYSTEM_CONTEXT,
        [{ type: 'BULK_IMPORTED', payload: { persons: persons.length, households: households.length, cases: caseRows.length, records: records.length } }],
        services.audit.anchor,
      );
    });
  }
  return {
    password,
    organizations: organizations.map((o) => ({ id: o.id, name: o.name, tax: o.tax })),
    users,
    personIds,
    caseIds: cases.map((c) => c.id),
    cases,
  };
}

/** SQLite binds at most 32,766 parameters per statement; insert in slices that stay under it. */
async function insertChunks<T extends keyof DB>(tx: Kysely<DB>, table: T, rows: DB[T][]) {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).length;
  const size = Math.max(1, Math.floor(30000 / columns));
  for (let i = 0; i < rows.length; i += size)
    await tx
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
}
