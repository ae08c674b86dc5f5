/**
 * The shared fixture of the matrix (T1) and the sweep (T2): one municipality, built through
 * the HTTP API, with every reader organization in its relation to every case, a unique
 * canary in every restricted field, and the oracle's model of it kept in step.
 *
 * Organizations (keys) and their ground on every case:
 *   L  lead (主担当)                 TR team, basis referral    TC team, basis consent
 *   TM team, basis meeting           TX team, a 税務 organization (writes only 税情報)
 *   R  registered the persons and the household, off the team (its coordinator took the intake
 *      and named L the lead)
 *   XW wrote records, then was removed from the team
 *   O  outsider                      BG a coordinator holding an active break-glass grant
 *   BX a coordinator whose grant has expired                  Z  no users: a harmless target for writes
 * One case per consent state of the person with the problem (P; Q is a member without one).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { setClock } from '../../../src/lib/clock.ts';
import { expectStatus, type Res } from '../../helpers/server.ts';
import { type Canary, type CanaryKind, type Cls, emptyWorld, ROLES, type Role, type World } from '../oracle.ts';

export type OrgKey = 'L' | 'TR' | 'TC' | 'TM' | 'TX' | 'R' | 'XW' | 'O' | 'BG' | 'BX' | 'Z';
export type ConsentState = 'none' | 'naming' | 'not_naming' | 'naming_tax' | 'withdrawn';
export const CONSENT_STATES: ConsentState[] = ['none', 'naming', 'not_naming', 'naming_tax', 'withdrawn'];

/** Reader roles per organization: every role where a ground exists for all, the organization roles elsewhere. */
export const ORG_READERS: Record<Exclude<OrgKey, 'Z'>, Role[]> = {
  L: ROLES,
  TR: ROLES,
  R: ROLES,
  O: ROLES,
  TC: ['coordinator', 'chair', 'caseworker'],
  TM: ['coordinator', 'chair', 'caseworker'],
  TX: ['coordinator', 'chair', 'caseworker'],
  XW: ['coordinator', 'chair', 'caseworker'],
  BG: ['coordinator'],
  BX: ['coordinator'],
};
export const GROUND_OF: Record<Exclude<OrgKey, 'Z'>, string> = {
  L: 'lead',
  TR: 'team (referral)',
  TC: 'team (consent)',
  TM: 'team (meeting)',
  TX: 'team (tax organization)',
  R: 'registered the persons (off the team)',
  XW: 'wrote records, removed from the team',
  O: 'outsider',
  BG: 'break-glass active',
  BX: 'break-glass expired',
};

export interface Reader {
  key: string; // e.g. "TR.caseworker"
  org: Exclude<OrgKey, 'Z'>;
  role: Role;
  id: string;
  loginId: string;
  password: string;
  token: string;
}

export interface CaseFixture {
  state: ConsentState;
  caseId: string;
  householdId: string;
  P: string;
  Q: string;
  /** P's family-name kana in hiragana: a search as another window would type it. */
  searchKana: string;
  /** The consent carrying the state (absent for none). */
  consentId?: string;
  /** A consent naming only Z: the target of withdrawal probes. */
  probeConsentId: string;
  records: { id: string; author: OrgKey; chosen: Cls; person: 'P' | 'Q' | null }[];
  canaries: Canary[];
}

export type Call = (token: string | null, method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Res>;

export interface Fixture {
  world: World;
  orgs: Record<OrgKey, string>;
  orgName: Record<OrgKey, string>;
  readers: Reader[];
  reader: (key: string) => Reader;
  cases: CaseFixture[];
  canaries: Canary[];
  /** A user with no role in any case: the target of the administrator's account probes. */
  sacrificialUserId: string;
  signIn: (r: Reader) => Promise<string>;
  /** Another case like the others (for temporal checks that change it). */
  addCase: (state: ConsentState) => Promise<CaseFixture>;
  /** Another reader account (for temporal checks that disable or re-role it). */
  addReader: (org: Exclude<OrgKey, 'Z'>, role: Role) => Promise<Reader>;
}

const KATAKANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';
export const hex = () => randomBytes(5).toString('hex');
/** CANARY-<field>-<random>; kana fields take kana only: カナリア + random katakana. */
export function canaryValue(field: string, kana = false): string {
  if (kana) return `カナリア${Array.from({ length: 8 }, () => KATAKANA[randomInt(KATAKANA.length)]).join('')}`;
  return `CANARY-${field}-${hex()}`;
}
const FULL_KATA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';
const HALF_KATA = 'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜ';
/** The same kana in half-width katakana (半角カナ, as older systems print it). */
export const toHalfWidth = (s: string) => [...s].map((ch) => (FULL_KATA.includes(ch) ? HALF_KATA[FULL_KATA.indexOf(ch)] : ch)).join('');
/** The same kana in hiragana (search and duplicate checks fold them together). */
export const toHiragana = (s: string) => s.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));

export async function buildFixture(call: Call, adminToken: string, states: ConsentState[]): Promise<Fixture> {
  const w = emptyWorld();
  const ok = async (res: Promise<Res>, status: number, what: string) => expectStatus(await res, status, what).json;

  // Organizations.
  const orgs = {} as Record<OrgKey, string>;
  const orgName = {} as Record<OrgKey, string>;
  for (const key of ['L', 'TR', 'TC', 'TM', 'TX', 'R', 'XW', 'O', 'BG', 'BX', 'Z'] as OrgKey[]) {
    const fields = key === 'TX' ? ['税務'] : ['福祉'];
    const name = `行列${key}機関${hex()}`;
    const o = await ok(call(adminToken, 'POST', '/organizations', { name, kind: key === 'TX' ? '行政機関' : '相談支援機関', fields }), 201, 'org');
    orgs[key] = o.id;
    orgName[key] = name;
    w.orgs[o.id] = { fields };
  }

  // Readers: one account per (organization, role), created and signed in a few at a time.
  const specs = (Object.keys(ORG_READERS) as Exclude<OrgKey, 'Z'>[]).flatMap((org) => ORG_READERS[org].map((role) => ({ org, role })));
  const readers: Reader[] = [];
  const signIn = async (r: Pick<Reader, 'loginId' | 'password'>) =>
    (await ok(call(null, 'POST', '/auth/token', { loginId: r.loginId, password: r.password }), 200, 'token')).token as string;
  const makeReader = async (org: Exclude<OrgKey, 'Z'>, role: Role, key = `${org}.${role}`): Promise<Reader> => {
    const loginId = `m.${org.toLowerCase()}.${role}.${hex()}`;
    const password = `pw-${hex()}-${hex()}`;
    const u = await ok(
      call(adminToken, 'POST', '/users', { loginId, displayName: `${org} ${role}`, organizationId: orgs[org], roles: [role], password }),
      201,
      'user',
    );
    w.users[u.id] = { org: orgs[org], roles: [role], disabled: false };
    return { key, org, role, id: u.id, loginId, password, token: await signIn({ loginId, password }) };
  };
  for (let i = 0; i < specs.length; i += 8) readers.push(...(await Promise.all(specs.slice(i, i + 8).map(({ org, role }) => makeReader(org, role)))));
  const reader = (key: string) => {
    const r = readers.find((x) => x.key === key);
    if (!r) throw new Error(`no reader ${key}`);
    return r;
  };
  const sacrificial = await ok(
    call(adminToken, 'POST', '/users', {
      loginId: `m.sacrificial.${hex()}`,
      displayName: '退職予定',
      organizationId: orgs.Z,
      roles: ['community'],
      password: `pw-${hex()}-${hex()}`,
    }),
    201,
    'user',
  );
  w.users[sacrificial.id] = { org: orgs.Z, roles: ['community'], disabled: false };

  const tok = (k: string) => reader(k).token;
  const readerOrgIds = (['L', 'TR', 'TC', 'TM', 'TX', 'R', 'XW', 'O', 'BG', 'BX'] as OrgKey[]).map((k) => orgs[k]);

  async function buildCase(state: ConsentState): Promise<CaseFixture> {
    const canaries: Canary[] = [];
    const plant = (kind: CanaryKind, owner: string, value: string, extra: Partial<Canary> = {}) => {
      canaries.push({ kind, owner, value, ...extra });
      return value;
    };
    const personBody = () => ({
      familyName: canaryValue('familyName'),
      givenName: canaryValue('givenName'),
      familyNameKana: canaryValue('kana', true),
      givenNameKana: canaryValue('kana', true),
      birthDate: `1970-01-0${String(1 + randomInt(9))}`,
      sex: 'female',
      address: canaryValue('personAddress'),
    });
    const persons: string[] = [];
    let searchKana = '';
    for (let i = 0; i < 2; i++) {
      const body = personBody();
      if (i === 0) searchKana = toHiragana(body.familyNameKana);
      const p = await ok(call(tok('R.coordinator'), 'POST', '/persons', body), 201, 'person');
      persons.push(p.id);
      w.persons[p.id] = { registeredBy: orgs.R };
      plant('person.familyName', p.id, body.familyName);
      plant('person.givenName', p.id, body.givenName);
      plant('person.familyNameKana', p.id, body.familyNameKana);
      plant('person.givenNameKana', p.id, body.givenNameKana);
      plant('person.address', p.id, body.address);
    }
    const [P, Q] = persons as [string, string];
    const hhName = canaryValue('householdName');
    const hhAddress = canaryValue('householdAddress');
    const hh = await ok(
      call(tok('R.coordinator'), 'POST', '/households', {
        name: hhName,
        address: hhAddress,
        members: [
          { personId: P, relationship: '本人', keyPerson: true },
          { personId: Q, relationship: '子', livesTogether: false },
        ],
      }),
      201,
      'household',
    );
    w.households[hh.id] = { registeredBy: orgs.R, members: [P, Q] };
    plant('household.name', hh.id, hhName);
    plant('household.address', hh.id, hhAddress);

    const summary = canaryValue('summary');
    const referral = canaryValue('referralRoute');
    const note = canaryValue('problemNote');
    const kase = await ok(
      call(tok('R.coordinator'), 'POST', '/cases', {
        householdId: hh.id,
        leadOrganizationId: orgs.L,
        referralRoute: referral,
        summary,
        urgency: 'high',
        problems: [{ personId: P, type: 'ひきこもり', note }],
        team: [
          { organizationId: orgs.TR, basis: 'referral' },
          { organizationId: orgs.TC, basis: 'consent' },
          { organizationId: orgs.TM, basis: 'meeting' },
          { organizationId: orgs.TX, basis: 'referral' },
          { organizationId: orgs.XW, basis: 'referral' },
        ],
      }),
      201,
      'case',
    );
    const caseId = kase.id as string;
    w.cases[caseId] = {
      household: hh.id,
      lead: orgs.L,
      team: { [orgs.L]: 'lead', [orgs.TR]: 'referral', [orgs.TC]: 'consent', [orgs.TM]: 'meeting', [orgs.TX]: 'referral', [orgs.XW]: 'referral' },
      problems: [P],
    };
    plant('case.summary', caseId, summary);
    plant('case.referralRoute', caseId, referral);
    plant('case.problemNote', caseId, note, { caseId, personId: P });

    // Records of every class, by the lead, a team organization, the tax organization and the later-removed writer.
    const specs: { author: OrgKey; chosen: Cls; person: 'P' | 'Q' | null }[] = [
      { author: 'L', chosen: 'normal', person: 'P' },
      { author: 'L', chosen: 'sensitive', person: 'P' },
      { author: 'L', chosen: 'tax', person: 'P' },
      { author: 'TR', chosen: 'normal', person: 'P' },
      { author: 'TR', chosen: 'sensitive', person: 'P' },
      { author: 'TR', chosen: 'tax', person: 'P' },
      { author: 'TR', chosen: 'normal', person: null },
      { author: 'TX', chosen: 'normal', person: 'P' }, // rule 4: stored as tax
      { author: 'XW', chosen: 'normal', person: 'P' },
      { author: 'XW', chosen: 'sensitive', person: 'Q' },
      { author: 'XW', chosen: 'tax', person: 'P' },
    ];
    const records: CaseFixture['records'] = [];
    for (const r of specs) {
      const body = canaryValue(`record.${r.chosen}`);
      const personId = r.person === 'P' ? P : r.person === 'Q' ? Q : undefined;
      const rec = await ok(
        call(tok(`${r.author}.caseworker`), 'POST', `/cases/${caseId}/records`, { body, classification: r.chosen, ...(personId ? { personId } : {}) }),
        201,
        'record',
      );
      w.records[rec.id] = { case: caseId, author: orgs[r.author], chosen: r.chosen, person: personId ?? null };
      records.push({ id: rec.id, ...r });
      plant('record.body', rec.id, body);
    }

    // A status move with a note (I3).
    const statusNote = canaryValue('statusNote');
    await ok(call(tok('L.caseworker'), 'POST', `/cases/${caseId}/status`, { to: 'assessment', note: statusNote }), 200, 'status');
    plant('case.statusNote', caseId, statusNote);

    // The consent of P carrying the state; the representative's name and purposes are canaries.
    let consentId: string | undefined;
    if (state !== 'none') {
      const purpose = canaryValue('consentPurpose');
      const givenByName = canaryValue('givenBy');
      const orgIds = state === 'not_naming' ? [orgs.Z] : readerOrgIds;
      const tax = state !== 'naming';
      const k = await ok(
        call(tok('L.caseworker'), 'POST', `/persons/${P}/consents`, {
          obtainedOn: '2025-04-01',
          method: 'written',
          givenBy: { relation: 'guardian', name: givenByName },
          organizationIds: orgIds,
          purposes: [purpose],
          includesTaxInfo: tax,
        }),
        201,
        'consent',
      );
      consentId = k.id;
      w.consents[k.id] = { person: P, orgs: orgIds, tax, active: true, recordedBy: orgs.L };
      plant('consent.purpose', k.id, purpose);
      plant('consent.givenByName', k.id, givenByName);
      if (state === 'withdrawn') {
        await ok(call(tok('L.caseworker'), 'POST', `/consents/${k.id}/withdraw`, { withdrawnOn: '2025-05-01' }), 200, 'withdraw');
        w.consents[k.id]!.active = false;
      }
    }
    const probe = await ok(
      call(tok('L.caseworker'), 'POST', `/persons/${P}/consents`, {
        obtainedOn: '2025-04-01',
        method: 'oral',
        organizationIds: [orgs.Z],
        purposes: ['検証用'],
        includesTaxInfo: false,
      }),
      201,
      'probe consent',
    );
    w.consents[probe.id] = { person: P, orgs: [orgs.Z], tax: false, active: true, recordedBy: orgs.L };

    // The writer leaves the team; its records stay its own work.
    await ok(call(tok('L.caseworker'), 'DELETE', `/cases/${caseId}/team/${orgs.XW}`), 200, 'remove XW');
    delete w.cases[caseId]!.team[orgs.XW];

    // Break-glass: active for BG; for BX opened two days ago for one hour.
    const reason = canaryValue('breakGlassReason');
    const g = await ok(call(tok('BG.coordinator'), 'POST', `/cases/${caseId}/break-glass`, { reason, hours: 24 }), 201, 'break-glass');
    w.grants.push({ id: g.id, user: reader('BG.coordinator').id, case: caseId, active: true, reason });
    plant('breakGlass.reason', g.id, reason);
    return { state, caseId, householdId: hh.id, P, Q, searchKana, consentId, probeConsentId: probe.id, records, canaries };
  }

  const cases: CaseFixture[] = [];
  for (const state of states) cases.push(await buildCase(state));

  // Expired grants: opened with the clock two days back, for one hour. Moving the clock also
  // ages BX's session past its idle limit, so BX signs in again afterwards.
  const bx = reader('BX.coordinator');
  const restore = setClock(() => Date.now() - 48 * 3600_000);
  try {
    const t = await signIn(bx);
    for (const c of cases) {
      const reason = canaryValue('breakGlassReason');
      const g = await ok(call(t, 'POST', `/cases/${c.caseId}/break-glass`, { reason, hours: 1 }), 201, 'expired break-glass');
      w.grants.push({ id: g.id, user: bx.id, case: c.caseId, active: false, reason });
      c.canaries.push({ kind: 'breakGlass.reason', owner: g.id, value: reason });
    }
  } finally {
    restore();
  }
  bx.token = await signIn(bx);

  return {
    world: w,
    orgs,
    orgName,
    readers,
    reader,
    cases,
    canaries: cases.flatMap((c) => c.canaries),
    sacrificialUserId: sacrificial.id,
    signIn,
    addCase: buildCase,
    addReader: (org, role) => makeReader(org, role, `${org}.${role}#${hex()}`),
  };
}

/** Runs `fn` over `items` with at most `n` at a time. */
export async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
