/**
 * A generated city for the benchmark (issue 6): up to a million persons, households, open
 * cases with problems, teams, consents, records, a year of meetings and a long audit
 * history — seeded, so the same flags give the same city.
 *
 * Speed: the municipality and its schema come from the real code (createMunicipality runs
 * the migrations); the bulk rows then go in through the raw driver of each database in large
 * transactions — prepared single-row statements on SQLite (synchronous off while loading),
 * `INSERT … SELECT FROM unnest($1::text[], …)` on PostgreSQL — and the statistics are
 * refreshed afterwards (ANALYZE). Every row carries the same search keys and substring index
 * entries as the API computes, and the audit history is a real chain (hash, row MAC, anchor),
 * so `audit verify` checks every entry. The load itself is recorded as one BULK_IMPORTED
 * event per batch.
 *
 * Memory stays flat: rows are built a batch at a time; only small samples (the cases, persons
 * and names the load generator will ask for) are kept.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { anchorFor } from '../src/audit/anchor.ts';
import { hashAuditRow } from '../src/audit/chain.ts';
import { SYSTEM_CONTEXT } from '../src/audit/events.ts';
import { AuditLog } from '../src/audit/writer.ts';
import { createMunicipality } from '../src/commands/municipalityCreator.ts';
import { hashPassword } from '../src/commands/passwords.ts';
import { isPostgresUrl, openDatabase } from '../src/db/connect.ts';
import type { AuditEventRow, DB } from '../src/db/schema.ts';
import { problemTypes, referralRoutes } from '../src/ja/codeLists.ts';
import { personSearchKeys, substringSearchKeys } from '../src/ja/searchKeys.ts';
import { rng } from './generate.ts';
import { AGENCIES, FAMILY_NAMES, GIVEN_NAMES } from './names.ts';

export interface CityOptions {
  persons: number;
  seed?: number;
  /** Support records per case (default 50: a million records for 20,000 cases). */
  recordsPerCase?: number;
  /** Audit history entries per person (default 1). */
  auditPerPerson?: number;
  password?: string;
  log?: (line: string) => void;
}

export interface NameSample {
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
}

export interface City {
  password: string;
  organizations: { id: string; name: string }[];
  users: { id: string; loginId: string; organizationId: string; roles: string[] }[];
  /** The caseworker whose reads are measured, and the chair who convenes the bench meeting. */
  readerLogin: string;
  chairLogin: string;
  /** Cases led by the reader's organization (a sample), with their household members. */
  readerCases: { id: string; personIds: string[] }[];
  /** Cases led by the chair's organization (a sample): the agenda of the bench meeting. */
  chairCases: string[];
  /** Names of persons the reader's organization registered (a sample): search terms. */
  readerNames: NameSample[];
  counts: Record<string, number>;
  seconds: number;
}

const SAMPLE = 3000;
const HOUSEHOLD_BATCH = 4000;
const PERSON_BATCH = 25000;

/** Raw bulk writer: one transaction per batch, rows keyed by camelCase column names. */
interface Loader {
  insert<T extends keyof DB>(table: T, rows: DB[T][]): Promise<void>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  finish(): Promise<void>;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function sqliteLoader(location: string): Loader {
  const d = new Database(location);
  d.pragma('journal_mode = WAL');
  d.pragma('synchronous = OFF');
  d.pragma('cache_size = -262144');
  const stmts = new Map<string, Database.Statement>();
  return {
    async insert(table, rows) {
      if (rows.length === 0) return;
      const cols = Object.keys(rows[0] as object);
      const key = `${table}:${cols.join(',')}`;
      let stmt = stmts.get(key);
      if (!stmt) {
        stmt = d.prepare(`INSERT INTO ${snake(table)} (${cols.map(snake).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
        stmts.set(key, stmt);
      }
      for (const row of rows) stmt.run(...cols.map((c) => (row as unknown as Record<string, unknown>)[c]));
    },
    async begin() {
      d.exec('BEGIN');
    },
    async commit() {
      d.exec('COMMIT');
    },
    async finish() {
      d.exec('ANALYZE');
      d.pragma('wal_checkpoint(TRUNCATE)');
      d.close();
    },
  };
}

async function postgresLoader(url: string): Promise<Loader> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('SET synchronous_commit = off');
  // The substring index (ten rows per person) is built once after the load, not row by row.
  await c.query('ALTER TABLE person_search_keys DROP CONSTRAINT person_search_keys_pk');
  const types = new Map<string, Map<string, string>>();
  return {
    async insert(table, rows) {
      if (rows.length === 0) return;
      const name = snake(table);
      let t = types.get(name);
      if (!t) {
        const r = await c.query('SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1', [name]);
        t = new Map(r.rows.map((x: { column_name: string; data_type: string }) => [x.column_name, x.data_type]));
        types.set(name, t);
      }
      const cols = Object.keys(rows[0] as object);
      const text = `INSERT INTO ${name} (${cols.map(snake).join(', ')}) SELECT * FROM unnest(${cols.map((col, i) => `$${i + 1}::${t.get(snake(col))}[]`).join(', ')})`;
      for (let i = 0; i < rows.length; i += 20000) {
        const chunk = rows.slice(i, i + 20000) as unknown as Record<string, unknown>[];
        await c.query(
          text,
          cols.map((col) => chunk.map((row) => row[col])),
        );
      }
    },
    async begin() {
      await c.query('BEGIN');
    },
    async commit() {
      await c.query('COMMIT');
    },
    async finish() {
      await c.query('SET maintenance_work_mem = ' + "'1GB'");
      await c.query('ALTER TABLE person_search_keys ADD CONSTRAINT person_search_keys_pk PRIMARY KEY (key, person_id)');
      await c.query('ANALYZE');
      await c.end();
    },
  };
}

export async function generateCity(location: string, opts: CityOptions): Promise<City> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const r = rng(opts.seed ?? 20261128);
  const password = opts.password ?? 'bench-password-2026';
  const recordsPerCase = opts.recordsPerCase ?? 50;
  const auditPerPerson = opts.auditPerPerson ?? 1;

  // The municipality, its administrator and the schema, through the real code.
  const database = openDatabase(location);
  const anchor = anchorFor(location, { create: true });
  await createMunicipality(
    { database, db: database.db, dialect: database.dialect, audit: new AuditLog(database.db, database.dialect, anchor) },
    { name: '生成市', adminLogin: 'admin', adminPassword: 'admin-password-2026' },
  );
  const head = await database.db.selectFrom('auditHead').select(['seq', 'hash']).executeTakeFirstOrThrow();
  await database.close();
  const loader = isPostgresUrl(location) ? await postgresLoader(location) : sqliteLoader(location);

  const now = new Date().toISOString();
  const nowMs = Date.parse(now);
  const passwordHash = await hashPassword(password);
  const id = (() => {
    // Time-ordered ids like newId(), but seeded: the time part steps forward with each id.
    let t = nowMs - 3 * 365 * 86_400_000;
    return () => {
      t += 1;
      const rand = Array.from({ length: 5 }, () => (r.int(0x10000) >>> 0).toString(16).padStart(4, '0')).join('');
      return `${t.toString(16).padStart(12, '0')}${rand}`;
    };
  })();
  const daysAgo = (max: number) => new Date(nowMs - Math.floor(r.next() * max * 86_400_000)).toISOString();

  const organizations = AGENCIES.map((a) => ({
    id: id(),
    name: `生成市 ${a.name}`,
    kind: a.kind,
    fields: JSON.stringify(a.fields),
    area: null,
    createdAt: now,
  }));
  const users: City['users'] = [];
  const userRows: DB['users'][] = [];
  organizations.forEach((o, i) => {
    const roles = i === 0 ? ['coordinator', 'chair'] : ['caseworker'];
    for (let n = 0; n < 3; n += 1) {
      const u = { id: id(), loginId: `u${i}_${n}`, organizationId: o.id, roles };
      users.push(u);
      userRows.push({
        id: u.id,
        loginId: u.loginId,
        displayName: `職員${i}-${n}`,
        organizationId: o.id,
        roles: JSON.stringify(roles),
        passwordHash,
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      } as DB['users']);
    }
  });
  const auditor = { id: id(), loginId: 'auditor', organizationId: organizations[0]!.id, roles: ['auditor'] };
  users.push(auditor);
  userRows.push({
    id: auditor.id,
    loginId: 'auditor',
    displayName: '監査担当',
    organizationId: auditor.organizationId,
    roles: '["auditor"]',
    passwordHash,
    disabledAt: null,
    createdAt: now,
    updatedAt: now,
  } as DB['users']);
  const creator = users[0]!.id;
  const staff = users.filter((u) => u.roles.includes('caseworker') || u.roles.includes('coordinator'));
  const actorJson = new Map(
    staff.map((u) => {
      const o = organizations.find((x) => x.id === u.organizationId)!;
      const actor = {
        userId: u.id,
        loginId: u.loginId,
        displayName: `職員${u.loginId.slice(1)}`,
        organizationId: o.id,
        organizationName: o.name,
        roles: u.roles,
      };
      return [u.id, JSON.stringify(actor)];
    }),
  );

  // The audit chain continues from the municipality's first entries.
  let seq = Number(head.seq);
  let prevHash = head.hash;
  const totalAudit = Math.max(1, opts.persons * auditPerPerson);
  const historyStart = nowMs - 365 * 86_400_000;
  let historyN = 0;
  const auditRows: AuditEventRow[] = [];
  const appendAudit = (e: Partial<AuditEventRow> & { type: string; actorUserId: string | null; actor: string }) => {
    seq += 1;
    historyN += 1;
    const row: Omit<AuditEventRow, 'hash' | 'mac'> = {
      seq,
      id: id(),
      at: new Date(historyStart + Math.floor((historyN / totalAudit) * 364 * 86_400_000)).toISOString(),
      type: e.type,
      outcome: 'success',
      actorUserId: e.actorUserId,
      actor: e.actor,
      requestId: e.requestId ?? null,
      ip: e.ip ?? null,
      personId: e.personId ?? null,
      caseId: e.caseId ?? null,
      subjectType: e.subjectType ?? null,
      subjectId: e.subjectId ?? null,
      basis: e.basis ?? '[]',
      payload: e.payload ?? '{}',
      prevHash,
    };
    prevHash = hashAuditRow(row);
    auditRows.push({ ...row, hash: prevHash, mac: anchor ? anchor.rowMac(prevHash) : null });
  };
  const bulkImported = (payload: Record<string, number>) =>
    appendAudit({ type: 'BULK_IMPORTED', actorUserId: null, actor: JSON.stringify(SYSTEM_CONTEXT.actor), payload: JSON.stringify(payload) });
  /** Past reads and searches of the persons just loaded, by random staff. */
  const history = (personIds: string[], caseOf: Map<string, string>) => {
    const n = Math.round(personIds.length * auditPerPerson);
    for (let i = 0; i < n; i += 1) {
      const u = r.pick(staff);
      const personId = r.pick(personIds);
      const caseId = caseOf.get(personId) ?? null;
      const kind = r.int(3);
      const type = caseId && kind === 0 ? 'CASE_VIEWED' : kind === 1 ? 'PERSONS_SEARCHED' : 'PERSON_VIEWED';
      appendAudit({
        type,
        actorUserId: u.id,
        actor: actorJson.get(u.id)!,
        requestId: id(),
        ip: '10.0.0.1',
        personId,
        caseId: type === 'CASE_VIEWED' ? caseId : null,
        subjectType: type === 'CASE_VIEWED' ? 'case' : 'person',
        subjectId: type === 'CASE_VIEWED' ? caseId : personId,
        basis: type === 'PERSONS_SEARCHED' ? '[]' : JSON.stringify([{ ground: 'own_work' }]),
        payload: type === 'PERSONS_SEARCHED' ? '{"queryLength":4}' : '{}',
      });
    }
  };
  const flushAudit = async () => {
    await loader.insert('auditEvents', auditRows);
    auditRows.length = 0;
  };

  await loader.begin();
  await loader.insert('organizations', organizations);
  await loader.insert('users', userRows);
  bulkImported({ organizations: organizations.length, users: userRows.length });
  await flushAudit();
  await loader.commit();

  const reader = users.find((u) => u.loginId === 'u1_0')!;
  const chair = users.find((u) => u.loginId === 'u0_0')!;
  const city: City = {
    password,
    organizations: organizations.map((o) => ({ id: o.id, name: o.name })),
    users,
    readerLogin: reader.loginId,
    chairLogin: chair.loginId,
    readerCases: [],
    chairCases: [],
    readerNames: [],
    counts: { persons: 0, households: 0, cases: 0, records: 0, consents: 0, meetings: 0, searchKeys: 0, auditEvents: Number(head.seq) },
    seconds: 0,
  };
  const sample = <T>(xs: T[], x: T, seen: number) => {
    // Reservoir sampling: a uniform sample of what the loader wrote, in constant memory.
    if (xs.length < SAMPLE) xs.push(x);
    else {
      const j = Math.floor(r.next() * seen);
      if (j < SAMPLE) xs[j] = x;
    }
  };
  let readerCasesSeen = 0;
  let chairCasesSeen = 0;
  let readerNamesSeen = 0;

  /** A name as one of the city's windows wrote it: 異体字, hiragana or half-width kana, spaces. */
  const HALF = 'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ';
  const FULL = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン';
  const DAKU: Record<string, string> = {
    ガ: 'ｶﾞ',
    ギ: 'ｷﾞ',
    グ: 'ｸﾞ',
    ゲ: 'ｹﾞ',
    ゴ: 'ｺﾞ',
    ザ: 'ｻﾞ',
    ジ: 'ｼﾞ',
    ズ: 'ｽﾞ',
    ゼ: 'ｾﾞ',
    ゾ: 'ｿﾞ',
    ダ: 'ﾀﾞ',
    ヅ: 'ﾂﾞ',
    デ: 'ﾃﾞ',
    ド: 'ﾄﾞ',
    バ: 'ﾊﾞ',
    ビ: 'ﾋﾞ',
    ブ: 'ﾌﾞ',
    ベ: 'ﾍﾞ',
    ボ: 'ﾎﾞ',
    パ: 'ﾊﾟ',
    ピ: 'ﾋﾟ',
    プ: 'ﾌﾟ',
    ペ: 'ﾍﾟ',
    ポ: 'ﾎﾟ',
    ョ: 'ｮ',
    ュ: 'ｭ',
    ャ: 'ｬ',
    ッ: 'ｯ',
    ー: 'ｰ',
  };
  const half = (s: string) => [...s].map((ch) => DAKU[ch] ?? (FULL.includes(ch) ? HALF[FULL.indexOf(ch)] : ch)).join('');
  const hira = (s: string) => s.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
  const writtenKana = (k: string) => {
    const x = r.next();
    return x < 0.7 ? k : x < 0.85 ? hira(k) : x < 0.95 ? half(k) : `${k} `;
  };
  const newPerson = (orgId: string, family: (typeof FAMILY_NAMES)[number]) => {
    const given = r.pick(GIVEN_NAMES);
    const x = r.next();
    // Most windows write the family name as given; some add a space or a full-width space.
    const familyName = `${r.pick(family.kanji)}${x < 0.03 ? ' ' : x < 0.05 ? '\u3000' : ''}`;
    const names = { familyName, givenName: given.kanji, familyNameKana: writtenKana(family.kana), givenNameKana: writtenKana(given.kana) };
    const keys = personSearchKeys(names);
    const year = 1935 + r.int(88);
    const row: DB['persons'] = {
      id: id(),
      ...names,
      ...keys,
      birthDate: `${year}-${String(1 + r.int(12)).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}`,
      sex: given.sex,
      address: `生成市中央${1 + r.int(9)}丁目${1 + r.int(30)}番${1 + r.int(20)}号`,
      registeredByOrganizationId: orgId,
      createdByUserId: creator,
      createdAt: daysAgo(3 * 365),
    };
    if (orgId === reader.organizationId) sample(city.readerNames, names, ++readerNamesSeen);
    return { row, keys: substringSearchKeys(keys).map((key) => ({ key, personId: row.id })) };
  };

  // Households (one in ten persons lives in a household the city knows), their cases.
  const householdCount = Math.max(1, Math.round(opts.persons / 10));
  let personsLeft = opts.persons;
  for (let start = 0; start < householdCount && personsLeft > 0; start += HOUSEHOLD_BATCH) {
    const end = Math.min(householdCount, start + HOUSEHOLD_BATCH);
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
    const caseOf = new Map<string, string>();
    for (let h = start; h < end && personsLeft > 0; h += 1) {
      const family = r.pick(FAMILY_NAMES);
      const org = r.pick(organizations.slice(0, 6));
      const size = Math.min(personsLeft, 1 + r.int(4));
      personsLeft -= size;
      const householdId = id();
      const memberIds: string[] = [];
      for (let m = 0; m < size; m += 1) {
        const p = newPerson(org.id, family);
        persons.push(p.row);
        searchKeys.push(...p.keys);
        memberIds.push(p.row.id);
        members.push({
          householdId,
          personId: p.row.id,
          relationship: m === 0 ? '世帯主' : r.pick(['妻', '夫', '子', '母', '父']),
          livesTogether: 1,
          keyPerson: m === 0 ? 1 : 0,
          position: m,
        });
      }
      households.push({
        id: householdId,
        name: `${family.kanji[0]}家`,
        address: null,
        createdByOrganizationId: org.id,
        createdByUserId: creator,
        createdAt: now,
      });
      // One household in five is a case (20,000 for a city of a million).
      if (r.next() < 0.2) {
        const caseId = id();
        const openedAt = daysAgo(600);
        const closed = r.next() < 0.1;
        caseRows.push({
          id: caseId,
          householdId,
          leadOrganizationId: org.id,
          referralRoute: r.pick(referralRoutes).code,
          summary: `生成された相談概要 ${h}`,
          urgency: r.next() < 0.1 ? 'high' : 'normal',
          status: closed ? 'closed' : r.pick(['intake', 'assessment', 'planning', 'in_support']),
          closingReason: closed ? 'goal_reached' : null,
          openedAt,
          openedByUserId: creator,
          updatedAt: openedAt,
        });
        team.push({ caseId, organizationId: org.id, basis: 'lead', joinedAt: openedAt, addedByUserId: creator });
        const other = r.pick(organizations.filter((o) => o.id !== org.id));
        team.push({ caseId, organizationId: other.id, basis: 'referral', joinedAt: openedAt, addedByUserId: creator });
        statusRows.push({ id: id(), caseId, fromStatus: null, toStatus: 'intake', reason: null, note: null, changedAt: openedAt, changedByUserId: creator });
        memberIds.forEach((personId, i) => {
          caseOf.set(personId, caseId);
          if (i === 0 || r.next() < 0.3) problems.push({ id: id(), caseId, personId, type: r.pick(problemTypes).code, note: null, position: i });
          if (r.next() < 0.5) {
            const consentId = id();
            consents.push({
              id: consentId,
              personId,
              obtainedOn: openedAt.slice(0, 10),
              method: 'written',
              givenByRelation: 'self',
              givenByName: null,
              purposes: '[]',
              includesTaxInfo: 0,
              recordedByUserId: creator,
              recordedByOrganizationId: org.id,
              createdAt: openedAt,
              withdrawnOn: null,
              withdrawnAt: null,
              withdrawnByUserId: null,
            });
            consentOrgs.push({ consentId, organizationId: org.id }, { consentId, organizationId: other.id });
          }
        });
        for (let n = 0; n < recordsPerCase; n += 1) {
          records.push({
            id: id(),
            caseId,
            personId: r.pick(memberIds),
            body: `生成された支援記録 ${h}-${n}：訪問し、生活の状況と今後の支援について話し合った。`,
            classification: r.pick(['normal', 'normal', 'normal', 'sensitive']),
            authorOrganizationId: r.next() < 0.7 ? org.id : other.id,
            authorUserId: creator,
            createdAt: daysAgo(500),
          });
        }
        if (org.id === reader.organizationId) sample(city.readerCases, { id: caseId, personIds: memberIds }, ++readerCasesSeen);
        if (org.id === chair.organizationId) sample(city.chairCases, caseId, ++chairCasesSeen);
      }
    }
    // In key order, the index pages fill one after another instead of at random.
    searchKeys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    await loader.begin();
    await loader.insert('persons', persons);
    await loader.insert('personSearchKeys', searchKeys);
    await loader.insert('households', households);
    await loader.insert('householdMembers', members);
    await loader.insert('cases', caseRows);
    await loader.insert('caseProblems', problems);
    await loader.insert('caseTeam', team);
    await loader.insert('caseStatusChanges', statusRows);
    await loader.insert('consents', consents);
    await loader.insert('consentOrganizations', consentOrgs);
    await loader.insert('records', records);
    bulkImported({ persons: persons.length, households: households.length, cases: caseRows.length, records: records.length });
    history(
      persons.map((p) => p.id),
      caseOf,
    );
    await flushAudit();
    await loader.commit();
    city.counts.persons! += persons.length;
    city.counts.households! += households.length;
    city.counts.cases! += caseRows.length;
    city.counts.records! += records.length;
    city.counts.consents! += consents.length;
    city.counts.searchKeys! += searchKeys.length;
    log(`  households ${end}/${householdCount}, persons ${city.counts.persons}`);
  }

  // The other persons the city's agencies registered without a household.
  while (personsLeft > 0) {
    const n = Math.min(PERSON_BATCH, personsLeft);
    personsLeft -= n;
    const persons: DB['persons'][] = [];
    const searchKeys: DB['personSearchKeys'][] = [];
    for (let i = 0; i < n; i += 1) {
      const p = newPerson(r.pick(organizations.slice(0, 6)).id, r.pick(FAMILY_NAMES));
      persons.push(p.row);
      searchKeys.push(...p.keys);
    }
    searchKeys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    await loader.begin();
    await loader.insert('persons', persons);
    await loader.insert('personSearchKeys', searchKeys);
    bulkImported({ persons: persons.length });
    history(
      persons.map((p) => p.id),
      new Map(),
    );
    await flushAudit();
    await loader.commit();
    city.counts.persons! += persons.length;
    city.counts.searchKeys! += searchKeys.length;
    log(`  persons ${city.counts.persons}/${opts.persons}`);
  }

  // A year of meetings (one for every twenty cases), their members and agendas.
  const meetingCount = Math.max(12, Math.round(city.counts.cases! / 20));
  const meetings: DB['meetings'][] = [];
  const meetingMembers: DB['meetingMembers'][] = [];
  const chairCaseIds = city.chairCases;
  const meetingCases: DB['meetingCases'][] = [];
  for (let i = 0; i < meetingCount; i += 1) {
    const kind = r.pick(['support', 'support', 'multilayer', 'case_conference'] as const);
    const startsAt = daysAgo(540);
    const meetingId = id();
    meetings.push({
      id: meetingId,
      kind,
      legalBasis: kind === 'multilayer' ? 'consent' : 'art106-6',
      title: `${kind === 'support' ? '支援会議' : kind === 'multilayer' ? '重層的支援会議' : 'ケース検討会'} 第${i + 1}回`,
      startsAt,
      place: '市役所 会議室',
      online: 0,
      chairUserId: chair.id,
      convenedByUserId: chair.id,
      convenedAt: startsAt,
      materialsCloseDays: 7,
      seriesId: null,
      minutesBody: null,
      decisions: null,
      attendeeUserIds: null,
      minutesRecordedAt: null,
      minutesSignedAt: null,
      createdAt: startsAt,
    });
    const memberIds = new Set([chair.id, r.pick(staff).id, r.pick(staff).id]);
    for (const userId of memberIds) meetingMembers.push({ meetingId, userId, addedAt: startsAt, addedByUserId: chair.id, acknowledgedAt: startsAt });
    const agenda = new Set(Array.from({ length: 1 + r.int(4) }, () => r.pick(chairCaseIds)).filter(Boolean));
    for (const caseId of agenda) meetingCases.push({ meetingId, caseId, purpose: '支援方針の検討', addedAt: startsAt, addedByUserId: chair.id });
  }
  await loader.begin();
  await loader.insert('meetings', meetings);
  await loader.insert('meetingMembers', meetingMembers);
  await loader.insert('meetingCases', meetingCases);
  bulkImported({ meetings: meetings.length });
  await flushAudit();
  await loader.commit();
  city.counts.meetings = meetings.length;

  // The chain head, then the anchor outside the database (as every commit does).
  const headDb = openDatabase(location);
  await headDb.db.updateTable('auditHead').set({ seq, hash: prevHash }).where('id', '=', 1).execute();
  await headDb.close();
  anchor?.record({ seq, hash: prevHash });
  city.counts.auditEvents = seq;
  await loader.finish();
  city.seconds = (performance.now() - started) / 1000;
  return city;
}
