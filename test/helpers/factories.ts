/**
 * Factories that go through the HTTP API (so every row they make was made the way a client
 * makes it, audit included). Each creates its missing parents: a user without an
 * organization gets a new one, a person without an author gets a new caseworker, a case
 * without a household gets one with fresh persons, and so on.
 */
import { randomBytes } from 'node:crypto';
import { expectStatus, type TestServer } from './server.ts';

export type Role = 'admin' | 'coordinator' | 'chair' | 'caseworker' | 'advisor' | 'outreach' | 'community' | 'auditor' | 'external_member';

export interface Account {
  id: string;
  token: string;
  loginId: string;
  password: string;
  organizationId: string;
  roles: Role[];
}

export interface PersonInput {
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  birthDate?: string;
  sex?: 'male' | 'female' | 'other' | 'unknown';
  address?: string;
}

let counter = 0;
/** A short unique suffix: tests of one file share a database, so names must not collide. */
export const uniq = (prefix = 'x') => `${prefix}${(++counter).toString(36)}${randomBytes(3).toString('hex')}`;

const KANA = ['アオイ', 'イツキ', 'ウミ', 'エマ', 'カイト', 'キョウコ', 'クミ', 'ケンタ', 'コハル', 'サクラ', 'シオン', 'スミレ', 'セイジ', 'ソラ'];
const KANJI_GIVEN = ['葵', '樹', '海', '恵麻', '海斗', '京子', '久美', '健太', '小春', '桜', '紫苑', '菫', '誠二', '空'];

/** A plausible person whose names do not collide with other tests' searches. */
export function samplePerson(over: Partial<PersonInput> = {}): PersonInput {
  const i = counter++ % KANA.length;
  return {
    familyName: `試験${uniq('')}`.slice(0, 20),
    givenName: KANJI_GIVEN[i]!,
    familyNameKana: 'シケン',
    givenNameKana: KANA[i]!,
    birthDate: '1980-04-01',
    sex: 'unknown',
    address: '市内1-2-3',
    ...over,
  };
}

export function factories(s: TestServer) {
  const admin = s.admin.token;

  async function org(name = uniq('機関'), kind = '相談支援機関', fields: string[] = [], area?: string) {
    const res = expectStatus(await s.call(admin, 'POST', '/organizations', { name, kind, fields, ...(area ? { area } : {}) }), 201, 'POST /organizations');
    return res.json as { id: string; name: string; kind: string; fields: string[]; area: string | null };
  }

  async function user(loginId = uniq('u'), orgId?: string, roles: Role[] = ['caseworker'], displayName = '担当 太郎'): Promise<Account> {
    const organizationId = orgId ?? (await org()).id;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const res = expectStatus(await s.call(admin, 'POST', '/users', { loginId, displayName, organizationId, roles, password }), 201, 'POST /users');
    const tok = expectStatus(await s.call(null, 'POST', '/auth/token', { loginId, password }), 200, 'POST /auth/token');
    return { id: res.json.id, token: tok.json.token, loginId, password, organizationId, roles };
  }

  async function person(by?: Account, over: Partial<PersonInput> = {}) {
    const author = by ?? (await user());
    const res = expectStatus(await s.call(author.token, 'POST', '/persons', samplePerson(over)), 201, 'POST /persons');
    return { ...res.json, by: author } as { id: string; familyName: string; givenName: string; possibleDuplicates: any[]; by: Account };
  }

  async function household(
    by?: Account,
    members?: { personId: string; relationship?: string; livesTogether?: boolean; keyPerson?: boolean }[],
    extra: { name?: string; address?: string } = {},
  ) {
    const author = by ?? (await user());
    const list = members ?? [{ personId: (await person(author)).id, relationship: '本人' }];
    const body = { ...extra, members: list.map((m) => ({ relationship: '本人', ...m })) };
    const res = expectStatus(await s.call(author.token, 'POST', '/households', body), 201, 'POST /households');
    return { ...res.json, by: author } as { id: string; members: { personId: string }[]; by: Account };
  }

  interface CaseOptions {
    /** The lead organization's user (a caseworker of a new organization by default). */
    lead?: Account;
    /** The persons of the household, in order (the first is 本人). Two by default. */
    persons?: Partial<PersonInput>[];
    /** Indexes of the persons who have a problem (default: the first). */
    problemsOf?: number[];
    summary?: string;
    householdName?: string;
    problemNote?: string;
    /** Organizations to add to the team (basis referral). */
    teamOrgIds?: string[];
  }

  /** A household with persons, a case led by `lead`, problems, and optional team members. */
  async function caseWith(o: CaseOptions = {}) {
    const lead = o.lead ?? (await user());
    const specs = o.persons ?? [{}, {}];
    const persons: Awaited<ReturnType<typeof person>>[] = [];
    for (const p of specs) persons.push(await person(lead, p));
    const hh = await household(
      lead,
      persons.map((p, i) => ({ personId: p.id, relationship: i === 0 ? '本人' : '子', keyPerson: i === 0 })),
      { name: o.householdName ?? `${persons[0]!.familyName}世帯`, address: '市内1-2-3' },
    );
    const problemsOf = o.problemsOf ?? [0];
    const res = expectStatus(
      await s.call(lead.token, 'POST', '/cases', {
        householdId: hh.id,
        leadOrganizationId: lead.organizationId,
        referralRoute: 'ケアマネ',
        summary: o.summary ?? '複合的な課題のある世帯',
        urgency: 'normal',
        problems: problemsOf.map((i) => ({ personId: persons[i]!.id, type: 'ひきこもり', ...(o.problemNote ? { note: o.problemNote } : {}) })),
      }),
      201,
      'POST /cases',
    );
    const caseId = res.json.id as string;
    for (const orgId of o.teamOrgIds ?? [])
      expectStatus(await s.call(lead.token, 'POST', `/cases/${caseId}/team`, { organizationId: orgId, basis: 'referral' }), 200, 'POST team');
    return { caseId, case: res.json, lead, persons, household: hh };
  }

  async function consent(
    by: Account,
    personId: string,
    organizationIds: string[],
    opts: { includesTaxInfo?: boolean; obtainedOn?: string; purposes?: string[] } = {},
  ) {
    const res = expectStatus(
      await s.call(by.token, 'POST', `/persons/${personId}/consents`, {
        obtainedOn: opts.obtainedOn ?? '2025-04-01',
        method: 'written',
        givenBy: { relation: 'self' },
        organizationIds,
        purposes: opts.purposes ?? ['支援の調整'],
        includesTaxInfo: opts.includesTaxInfo ?? false,
      }),
      201,
      'POST consent',
    );
    return res.json as { id: string; active: boolean; organizationIds: string[]; includesTaxInfo: boolean };
  }

  async function withdraw(by: Account, consentId: string, withdrawnOn = '2025-05-01') {
    return expectStatus(await s.call(by.token, 'POST', `/consents/${consentId}/withdraw`, { withdrawnOn }), 200, 'withdraw').json;
  }

  async function record(by: Account, caseId: string, body: string, classification: 'normal' | 'sensitive' | 'tax' = 'normal', personId?: string) {
    const res = expectStatus(
      await s.call(by.token, 'POST', `/cases/${caseId}/records`, { body, classification, ...(personId ? { personId } : {}) }),
      201,
      'POST record',
    );
    return res.json as { id: string; classification: string };
  }

  /** A user of an organization whose fields include 税務 (地方税法22条). */
  async function taxUser(roles: Role[] = ['caseworker']) {
    const o = await org(uniq('税務課'), '行政機関', ['税務']);
    return user(uniq('tax'), o.id, roles);
  }

  return { org, user, person, household, caseWith, consent, withdraw, record, taxUser };
}

export type Factories = ReturnType<typeof factories>;
