/**
 * The policy as a table (style.md: role × relation × consent × classification).
 *
 * The EXPECTED column is written from product.md, not from src/policy:
 * - rule 1: own work (an organization sees the persons it registered and the records it
 *   wrote); the case team sees the header and member identity; the lead also sees the case
 *   core (summary, problems); the coordinator sees the municipality-wide index only; nothing
 *   else grants access — not the administrator role, not a consent on its own. Advisors,
 *   outreach workers, external members, community staff and auditors see only what a request
 *   or meeting gives them (none here), the auditor never case content.
 * - rule 3: a team organization named in a person's ACTIVE consent sees that person's
 *   problems and the team's 通常/機微 records about that person; the summary once every person
 *   with a problem consented naming it; a withdrawn consent opens nothing.
 * - rule 4: a 税情報 record is visible to its writer and to a team organization named in an
 *   active consent of that person that itself includes tax; nothing else opens it.
 * - rule 8: break-glass gives the coordinator a read-only view of the case and its 通常/機微
 *   records, never tax.
 *
 * Each row is checked against the per-item rule (caseAccess / personGrants) AND the SQL scope
 * (casesVisibleTo / personsVisibleTo / recordsVisibleTo), which must also agree with each other.
 * The fixtures are made through the HTTP API on one database per dialect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../src/http/auth.ts';
import type { Actor } from '../src/policy/actor.ts';
import { type CaseAccess, caseAccess, casesVisibleTo } from '../src/policy/case.ts';
import { personGrants, personsVisibleTo } from '../src/policy/person.ts';
import { recordsVisibleTo } from '../src/policy/record.ts';
import { type Account, factories, type Role } from './helpers/factories.ts';
import { expectStatus, KINDS, startServer, type TestServer } from './helpers/server.ts';

type Ground = 'own_work' | 'team_referral' | 'lead' | 'coordinator_index' | 'outsider' | 'break_glass';
type ConsentState = 'none' | 'active_naming_reader' | 'active_not_naming' | 'includes_tax' | 'withdrawn';
type Classification = 'normal' | 'sensitive' | 'tax';

const CONSENT_STATES: ConsentState[] = ['none', 'active_naming_reader', 'active_not_naming', 'includes_tax', 'withdrawn'];
const CLASSIFICATIONS: Classification[] = ['normal', 'sensitive', 'tax'];

interface ReaderSpec {
  name: string;
  ground: Ground;
  role: Role;
}

/** Readers: each ground with its natural role, and the team ground with every other role. */
const READERS: ReaderSpec[] = [
  { name: 'writer (own work, on the team)', ground: 'own_work', role: 'caseworker' },
  { name: 'team caseworker', ground: 'team_referral', role: 'caseworker' },
  { name: 'team coordinator', ground: 'team_referral', role: 'coordinator' },
  { name: 'team administrator', ground: 'team_referral', role: 'admin' },
  { name: 'team auditor', ground: 'team_referral', role: 'auditor' },
  { name: 'team advisor', ground: 'team_referral', role: 'advisor' },
  { name: 'team outreach worker', ground: 'team_referral', role: 'outreach' },
  { name: 'team external member', ground: 'team_referral', role: 'external_member' },
  { name: 'team community coordinator', ground: 'team_referral', role: 'community' },
  { name: 'lead caseworker', ground: 'lead', role: 'caseworker' },
  { name: 'coordinator off the team', ground: 'coordinator_index', role: 'coordinator' },
  { name: 'outsider caseworker', ground: 'outsider', role: 'caseworker' },
  { name: 'outsider coordinator-less administrator', ground: 'outsider', role: 'admin' },
  { name: 'coordinator with break-glass', ground: 'break_glass', role: 'coordinator' },
];

/** Roles through which a user works on case data for their organization (rule 1). */
const WORKS_CASES: Role[] = ['caseworker', 'coordinator'];

// ---- the expected table, from product.md -------------------------------------------------

function expectedCaseView(r: ReaderSpec): 'header' | 'index' | null {
  if (!WORKS_CASES.includes(r.role)) return null;
  switch (r.ground) {
    case 'own_work':
    case 'team_referral':
    case 'lead':
    case 'break_glass':
      return 'header';
    case 'coordinator_index':
      return 'index';
    case 'outsider':
      return null;
  }
}

/** Identity of household members: the team (incl. lead and writer) and break-glass. */
function expectedSeesPerson(r: ReaderSpec): boolean {
  return expectedCaseView(r) === 'header';
}

const namesReader = (s: ConsentState) => s === 'active_naming_reader' || s === 'includes_tax';

function expectedSeesRecord(r: ReaderSpec, s: ConsentState, c: Classification): boolean {
  if (!WORKS_CASES.includes(r.role)) return false;
  switch (r.ground) {
    case 'own_work':
      return true;
    case 'team_referral':
    case 'lead':
      return c === 'tax' ? s === 'includes_tax' : namesReader(s);
    case 'break_glass':
      return c !== 'tax';
    case 'coordinator_index':
    case 'outsider':
      return false;
  }
}

/** The problems of the one person with a problem, and the summary (that person is all of them). */
function expectedSeesProblemsAndSummary(r: ReaderSpec, s: ConsentState): boolean | null {
  const view = expectedCaseView(r);
  if (view !== 'header') return null;
  if (r.ground === 'lead' || r.ground === 'break_glass') return true;
  return namesReader(s);
}

// ---- fixtures through the API ------------------------------------------------------------

describe.each(KINDS)('policy table: role × ground × consent × classification (%s)', (kind) => {
  let s: TestServer;
  const readers = new Map<string, { spec: ReaderSpec; account: Account; actor: Actor }>();
  const cases = new Map<ConsentState, { caseId: string; withProblem: string; withoutProblem: string; records: Record<Classification, string> }>();
  let ownPerson: { id: string; owner: string };

  beforeAll(async () => {
    s = await startServer(kind);
    const f = factories(s);
    const lead = await f.org('主担当機関');
    const team = await f.org('支援チーム機関');
    const writer = await f.org('記録を書く機関');
    const coordOrg = await f.org('推進員の機関');
    const outsider = await f.org('チーム外の機関');
    const glassOrg = await f.org('緊急対応の機関');
    const unrelated = await f.org('同意だけの機関');
    const orgOf: Record<Ground, string> = {
      own_work: writer.id,
      team_referral: team.id,
      lead: lead.id,
      coordinator_index: coordOrg.id,
      outsider: outsider.id,
      break_glass: glassOrg.id,
    };
    for (const spec of READERS) {
      const account = await f.user(undefined, orgOf[spec.ground], [spec.role]);
      readers.set(spec.name, { spec, account, actor: null as unknown as Actor });
    }
    const leadUser = readers.get('lead caseworker')!.account;
    const writerUser = readers.get('writer (own work, on the team)')!.account;
    const glassUser = readers.get('coordinator with break-glass')!.account;
    const everyReaderOrg = [...new Set(Object.values(orgOf))];

    for (const state of CONSENT_STATES) {
      const c = await f.caseWith({ lead: leadUser, persons: [{}, {}], problemsOf: [0], teamOrgIds: [team.id, writer.id] });
      const [p, q] = c.persons.map((x) => x.id) as [string, string];
      const records = {
        normal: (await f.record(writerUser, c.caseId, `${state} normal`, 'normal', p)).id,
        sensitive: (await f.record(writerUser, c.caseId, `${state} sensitive`, 'sensitive', p)).id,
        tax: (await f.record(writerUser, c.caseId, `${state} tax`, 'tax', p)).id,
      };
      if (state === 'active_naming_reader') await f.consent(leadUser, p, everyReaderOrg, { includesTaxInfo: false });
      if (state === 'active_not_naming') await f.consent(leadUser, p, [unrelated.id], { includesTaxInfo: true });
      if (state === 'includes_tax') await f.consent(leadUser, p, everyReaderOrg, { includesTaxInfo: true });
      if (state === 'withdrawn') {
        const consent = await f.consent(leadUser, p, everyReaderOrg, { includesTaxInfo: true });
        await f.withdraw(leadUser, consent.id);
      }
      expectStatus(await s.call(glassUser.token, 'POST', `/cases/${c.caseId}/break-glass`, { reason: '表の検証', hours: 1 }), 201, 'break-glass');
      cases.set(state, { caseId: c.caseId, withProblem: p, withoutProblem: q, records });
    }
    // Own work on persons: someone the outsider registered, on no case.
    const outsiderUser = readers.get('outsider caseworker')!.account;
    ownPerson = { id: (await f.person(outsiderUser)).id, owner: outsiderUser.id };

    for (const r of readers.values()) r.actor = (await loadActor(s.services.db, r.account.id))!;
  });
  afterAll(() => s?.stop());

  const rows = READERS.flatMap((spec) => CONSENT_STATES.map((state) => ({ reader: spec.name, ground: spec.ground, role: spec.role, state })));

  it.each(rows)('$ground / $role ($reader) × consent $state', async ({ reader, state }) => {
    const db = s.services.db;
    const { spec, actor } = readers.get(reader)!;
    const fx = cases.get(state)!;

    // Case: the rule and the scope.
    const access: CaseAccess | null = await caseAccess(db, actor, fx.caseId);
    const inScope = !!(await casesVisibleTo(db, actor).select('cases.id').where('cases.id', '=', fx.caseId).executeTakeFirst());
    const expectedView = expectedCaseView(spec);
    expect(access?.view ?? null, 'caseAccess view').toBe(expectedView);
    expect(inScope, 'casesVisibleTo').toBe(expectedView !== null);
    expect(inScope, 'rule and scope agree (case)').toBe(access !== null);

    // Problems and summary.
    const problems = expectedSeesProblemsAndSummary(spec, state);
    if (access && problems !== null) {
      expect(access.problemPersonIds.has(fx.withProblem), 'problems').toBe(problems);
      expect(access.seesSummary, 'summary').toBe(problems);
    }
    if (access?.view === 'index') {
      expect(access.problemPersonIds.size, 'index shows no problems').toBe(0);
      expect(access.seesSummary, 'index shows no summary').toBe(false);
    }

    // Persons: the rule and the scope, for the member with and the member without a problem.
    for (const personId of [fx.withProblem, fx.withoutProblem]) {
      const grants = await personGrants(db, actor, personId);
      const scoped = !!(await personsVisibleTo(db, actor).select('persons.id').where('persons.id', '=', personId).executeTakeFirst());
      expect(grants.bases.length > 0, 'personGrants').toBe(expectedSeesPerson(spec));
      expect(scoped, 'personsVisibleTo').toBe(expectedSeesPerson(spec));
    }

    // Records: the expected table, the SQL scope, and the rule as CaseAccess states it.
    const scopedRecords = new Set((await recordsVisibleTo(db, actor, fx.caseId, access).select('records.id').execute()).map((x) => x.id));
    for (const cls of CLASSIFICATIONS) {
      const id = fx.records[cls];
      const expected = expectedSeesRecord(spec, state, cls);
      expect(scopedRecords.has(id), `recordsVisibleTo ${cls}`).toBe(expected);
      const byRule =
        WORKS_CASES.some((r) => actor.roles.includes(r)) &&
        (spec.ground === 'own_work' ||
          (!!access?.onTeam && (cls === 'tax' ? access.taxConsentingPersons.has(fx.withProblem) : access.consentingPersons.has(fx.withProblem))) ||
          (!!access?.breakGlassGrantId && cls !== 'tax'));
      expect(byRule, `CaseAccess rule ${cls}`).toBe(expected);
    }
  });

  it.each(READERS)('own work on persons: only the registering organization sees an unattached person ($name)', async (spec) => {
    const { actor, account } = readers.get(spec.name)!;
    const expected = account.id === ownPerson.owner;
    const grants = await personGrants(s.services.db, actor, ownPerson.id);
    const scoped = !!(await personsVisibleTo(s.services.db, actor).select('persons.id').where('persons.id', '=', ownPerson.id).executeTakeFirst());
    expect(grants.bases.length > 0).toBe(expected);
    expect(scoped).toBe(expected);
    if (expected) expect(grants.bases).toEqual([{ ground: 'own_work' }]);
  });

  it('the stored classification of a writer that chose tax is tax (the table above depends on it)', async () => {
    const row = await s.services.db.selectFrom('records').select('classification').where('id', '=', cases.get('none')!.records.tax).executeTakeFirstOrThrow();
    expect(row.classification).toBe('tax');
  });
});
