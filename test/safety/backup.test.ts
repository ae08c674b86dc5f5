/**
 * T6 — backup and restore. For each engine: a `kasane serve` child process keeps writing
 * (persons, households, cases, records through the API) while `kasane backup` runs; the backup
 * must be a consistent snapshot (every case with its lead team row, first status row and
 * problems; every household with its members; every row with its audit event; the audit head
 * on the last audit row), and restores into a fresh SQLite database and a fresh PostgreSQL
 * database with the digest recorded in the backup (checked by restore, and recomputed here);
 * the restored chains verify and a server on the restored copy lets the user in. Once the
 * writers stop, the digest of the source equals the backup's and the restored copy's, across
 * engines both ways.
 *
 * Encrypted backups (AES-256-GCM, key from KASANE_BACKUP_KEY or --key-file) round-trip; a wrong
 * key, a flipped byte, a cut file or a missing key are refused with a clear message and leave
 * no restored content behind; restore refuses a database that already holds a municipality.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { hasMunicipality } from '../../src/commands/municipalityCreator.ts';
import { BACKUP_TABLES, databaseDigest, restoreDatabase } from '../../src/db/backup.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { type DbKind, freshLocation, KINDS } from '../helpers/server.ts';
import { Driver } from './driver.ts';
import { adminToken, anchorOf, api, type CliResult, caseworker, childEnv, expectOk, initDatabase, kasane, rng, seedFrom, serve } from './proc.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kasane-backup-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh location of `kind`, with the environment its commands need (the anchor path for PostgreSQL). */
async function target(kind: DbKind) {
  const dir = tempDir();
  const location = kind === 'sqlite' ? join(dir, 'kasane.sqlite') : (await freshLocation('postgres')).location;
  const anchorPath = kind === 'postgres' ? join(dir, 'audit-anchor') : undefined;
  return { kind, location, anchorPath, env: childEnv({ KASANE_AUDIT_ANCHOR: anchorPath }) };
}

const digestOf = (stdout: string) => /digest ([0-9a-f]{64})/.exec(stdout)?.[1];

/** The tables of an unencrypted backup file. */
function readBackup(file: string) {
  const lines = gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const tables = new Map<string, Record<string, any>[]>();
  for (const l of lines.slice(1, -1)) tables.set(l.t, [...(tables.get(l.t) ?? []), l.r]);
  return { header: lines[0], trailer: lines[lines.length - 1], tables, rows: (t: string) => tables.get(t) ?? [] };
}

/** Invariants a consistent snapshot keeps; returns the violations. */
function snapshotViolations(b: ReturnType<typeof readBackup>): string[] {
  const out: string[] = [];
  const events = b.rows('auditEvents');
  const subjects = (type: string) => new Set(events.filter((e) => e.type === type).map((e) => e.subjectId));
  const same = (what: string, ids: string[], type: string) => {
    const s = subjects(type);
    if (s.size !== ids.length || ids.some((id) => !s.has(id))) out.push(`${what}: ${ids.length} rows, ${s.size} ${type} events`);
  };
  same(
    'persons',
    b.rows('persons').map((p) => p.id),
    'PERSON_CREATED',
  );
  same(
    'households',
    b.rows('households').map((p) => p.id),
    'HOUSEHOLD_CREATED',
  );
  same(
    'cases',
    b.rows('cases').map((p) => p.id),
    'CASE_OPENED',
  );
  same(
    'records',
    b.rows('records').map((p) => p.id),
    'RECORD_ADDED',
  );
  const opened = new Map(events.filter((e) => e.type === 'CASE_OPENED').map((e) => [e.subjectId, JSON.parse(e.payload)]));
  for (const c of b.rows('cases')) {
    if (!b.rows('caseTeam').some((t) => t.caseId === c.id && t.basis === 'lead' && t.organizationId === c.leadOrganizationId))
      out.push(`case ${c.id} without its lead team row`);
    if (!b.rows('caseStatusChanges').some((s) => s.caseId === c.id && s.fromStatus === null)) out.push(`case ${c.id} without its first status row`);
    if (b.rows('caseProblems').filter((p) => p.caseId === c.id).length !== opened.get(c.id)?.problemCount)
      out.push(`case ${c.id}: problems differ from its event`);
  }
  for (const h of b.rows('households')) if (!b.rows('householdMembers').some((m) => m.householdId === h.id)) out.push(`household ${h.id} without members`);
  const head = b.rows('auditHead');
  const last = events[events.length - 1];
  if (head.length !== 1 || Number(head[0]!.seq) !== events.length || Number(last?.seq) !== events.length || head[0]!.hash !== last?.hash)
    out.push('audit head is not on the last audit row');
  return out;
}

/** Rows of restorable content in a database (missing tables count as none). */
async function contentRows(location: string): Promise<number> {
  const database = openDatabase(location);
  try {
    if (
      !(await database.db
        .selectFrom('municipality')
        .select('id')
        .execute()
        .then(
          () => true,
          () => false,
        ))
    )
      return 0;
    let n = 0;
    for (const [table] of BACKUP_TABLES) {
      if (table === 'auditHead') continue;
      const r = await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      n += Number(r.n);
    }
    return n;
  } finally {
    await database.close();
  }
}

async function digestAndVerify(t: Awaited<ReturnType<typeof target>>) {
  const database = openDatabase(t.location);
  try {
    const { digest } = await databaseDigest(database.db);
    const verdict = await verifyAuditChain(database.db, anchorOf(t.location, t.anchorPath));
    return { digest, verdict };
  } finally {
    await database.close();
  }
}

describe.each(KINDS)('T6 online backup of %s while a server writes', (kind) => {
  it('is a consistent snapshot that restores into fresh SQLite and PostgreSQL with the same digest; quiet, source = backup = restored', async () => {
    const seed = seedFrom(`backup ${kind}`);
    const src = await target(kind);
    await initDatabase(src.location, src.env, 'バックアップ試験市');
    const server = await serve(src.location, src.env);
    const admin = await adminToken(server.url);
    const who = await caseworker(server.url, admin, `bk${kind}${seed.toString(36)}`);
    const driver = new Driver(rng(seed), who, seed.toString(36).slice(0, 4));
    const stop = { value: false };
    const writers = Array.from({ length: 4 }, () => driver.writer(server.url, stop));
    const file = join(tempDir(), 'online.kbk');
    let backup: CliResult | undefined;
    let duringBackup = 0;
    try {
      await new Promise((r) => setTimeout(r, 400));
      const before = driver.acknowledged;
      backup = await kasane(['backup', '--db', src.location, '--out', file], src.env);
      duringBackup = driver.acknowledged - before;
      await new Promise((r) => setTimeout(r, 150));
    } finally {
      stop.value = true;
      await Promise.all(writers);
      await server.kill('SIGTERM');
    }
    if (!backup) throw new Error('no backup was taken');
    expect(backup.code, backup.stderr).toBe(0);
    expect(driver.tally.unexpected).toEqual([]);
    const backupDigest = digestOf(backup.stdout)!;
    expect(backupDigest).toMatch(/^[0-9a-f]{64}$/);
    // Writers were acknowledged while the backup ran: it was taken online.
    expect(duringBackup).toBeGreaterThan(0);

    const snapshot = readBackup(file);
    expect(snapshot.trailer).toMatchObject({ end: true, digest: backupDigest });
    expect(snapshotViolations(snapshot)).toEqual([]);
    const finalRows = await contentRows(src.location);
    const snapshotRows = snapshot.trailer.rows as number;

    // Restore into a fresh database of each engine (side by side).
    const restored: Record<string, string> = {};
    await Promise.all(
      KINDS.map(async (into) => {
        const t = await target(into);
        const res = await kasane(['restore', '--db', t.location, '--from', file], t.env);
        expect(res.code, `restore into ${into}: ${res.stdout}${res.stderr}`).toBe(0);
        expect(digestOf(res.stdout)).toBe(backupDigest);
        const { digest, verdict } = await digestAndVerify(t);
        expect(digest).toBe(backupDigest);
        expect(verdict).toMatchObject({ ok: true, anchor: 'checked', entries: snapshot.rows('auditEvents').length });
        restored[into] = digest;
        if (into !== kind) {
          // The cross-engine copy boots, and the caseworker signs in and sees a case of the snapshot.
          const s = await serve(t.location, t.env);
          try {
            const tok = expectOk(
              await api(s.url, null, 'POST', '/auth/token', { loginId: who.loginId, password: who.password }),
              200,
              'sign in on the restored copy',
            );
            const someCase = snapshot.rows('cases')[0];
            if (someCase) expectOk(await api(s.url, tok.json.token, 'GET', `/cases/${someCase.id}`), 200, 'GET a restored case');
          } finally {
            await s.kill('SIGTERM');
          }
        }
      }),
    );

    // Quiet now: the source's digest is the backup's, and the restored copy's on the other engine.
    const quietFile = join(tempDir(), 'quiet.kbk');
    const quiet = await kasane(['backup', '--db', src.location, '--out', quietFile], src.env);
    expect(quiet.code, quiet.stderr).toBe(0);
    const { digest: sourceDigest, verdict: sourceVerdict } = await digestAndVerify(src);
    expect(sourceVerdict.ok).toBe(true);
    expect(digestOf(quiet.stdout)).toBe(sourceDigest);
    const other = await target(kind === 'sqlite' ? 'postgres' : 'sqlite');
    const back = await kasane(['restore', '--db', other.location, '--from', quietFile], other.env);
    expect(back.code, back.stderr).toBe(0);
    expect((await digestAndVerify(other)).digest).toBe(sourceDigest);

    console.log(
      `[backup ${kind}] seed ${seed}: online backup of ${snapshotRows} rows in ${backup.ms} ms while ${duringBackup} writes were acknowledged (source grew to ${finalRows} content rows); ` +
        `snapshot consistent; digest ${backupDigest}; restored → sqlite ${restored.sqlite === backupDigest ? 'equal' : 'DIFFERENT'}, → postgres ${restored.postgres === backupDigest ? 'equal' : 'DIFFERENT'}; ` +
        `quiet source digest ${sourceDigest} = backup = restored on ${other.kind}`,
    );
  }, 120_000);
});

describe('T6 encrypted backups and refusals', () => {
  const key = randomBytes(32).toString('hex');
  let dir: string;
  let source: string;
  let plain: string;
  let enc: string;
  let sourceDigest: string;
  let canary: string;

  beforeAll(async () => {
    dir = tempDir();
    source = join(dir, 'source.sqlite');
    const demo = await kasane(['demo', '--db', source]);
    expect(demo.code, demo.stderr).toBe(0);
    const database = openDatabase(source);
    canary = (await database.db.selectFrom('persons').select('familyName').executeTakeFirstOrThrow()).familyName;
    sourceDigest = (await databaseDigest(database.db)).digest;
    await database.close();
    plain = join(dir, 'plain.kbk');
    enc = join(dir, 'enc.kbk');
    const [p, e] = await Promise.all([
      kasane(['backup', '--db', source, '--out', plain]),
      kasane(['backup', '--db', source, '--out', enc], childEnv({ KASANE_BACKUP_KEY: key })),
    ]);
    expect(p.code, p.stderr).toBe(0);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/encrypted \(AES-256-GCM\)/);
    expect(digestOf(e.stdout)).toBe(sourceDigest);
  }, 60_000);

  const keyFile = (hex: string) => {
    const f = join(dir, `key-${randomBytes(4).toString('hex')}`);
    writeFileSync(f, `${hex}\n`, { mode: 0o600 });
    return f;
  };
  const altered = (from: string, change: (b: Buffer) => Buffer) => {
    const f = join(dir, `altered-${randomBytes(4).toString('hex')}.kbk`);
    writeFileSync(f, change(Buffer.from(readFileSync(from))));
    return f;
  };

  it('an encrypted backup holds no plaintext and round-trips with --key-file: digest equal, chain verifies', async () => {
    const bytes = readFileSync(enc);
    expect(bytes.subarray(0, 8).toString()).toBe('KSNENC1\n');
    expect(gunzipSync(readFileSync(plain)).includes(Buffer.from(canary))).toBe(true); // positive control
    expect(bytes.includes(Buffer.from(canary))).toBe(false);
    expect(bytes.includes(Buffer.from('kasane-backup'))).toBe(false);
    const into = join(tempDir(), 'restored.sqlite');
    const res = await kasane(['restore', '--db', into, '--from', enc, '--key-file', keyFile(key)]);
    expect(res.code, res.stderr).toBe(0);
    expect(digestOf(res.stdout)).toBe(sourceDigest);
    const database = openDatabase(into);
    expect((await databaseDigest(database.db)).digest).toBe(sourceDigest);
    expect(await verifyAuditChain(database.db, anchorOf(into))).toMatchObject({ ok: true, anchor: 'checked' });
    await database.close();
    console.log(`[backup encrypted] ${readFileSync(enc).length} bytes, AES-256-GCM; restored digest ${sourceDigest} = source`);
  }, 60_000);

  it('a wrong key or a flipped byte is refused with a clear message and leaves no restored content (CLI)', async () => {
    const into = join(tempDir(), 'refused.sqlite');
    const flipped = altered(enc, (b) => {
      b[Math.floor(b.length / 2)]! ^= 0x04;
      return b;
    });
    const cases = [
      {
        what: 'wrong key',
        args: ['--from', enc, '--key-file', keyFile(randomBytes(32).toString('hex'))],
        message: /cannot be decrypted: the key is wrong, or the file was altered/,
      },
      { what: 'flipped ciphertext byte', args: ['--from', flipped, '--key-file', keyFile(key)], message: /cannot be decrypted/ },
      {
        what: 'flipped byte, unencrypted',
        args: [
          '--from',
          altered(plain, (b) => {
            b[Math.floor(b.length / 2)]! ^= 0x04;
            return b;
          }),
        ],
        message: /the backup file is damaged or altered/,
      },
    ];
    for (const c of cases) {
      const res = await kasane(['restore', '--db', into, ...c.args]);
      expect(res.code, `${c.what}: ${res.stdout}`).toBe(1);
      expect(res.stderr, c.what).toMatch(c.message);
      expect(res.stderr, c.what).not.toMatch(/\n\s+at /); // a message, not a stack trace
      expect(await contentRows(into), c.what).toBe(0);
    }
    // Nothing was left in the way: the right key restores into the same database.
    const ok = await kasane(['restore', '--db', into, '--from', enc], childEnv({ KASANE_BACKUP_KEY: key }));
    expect(ok.code, ok.stderr).toBe(0);
    expect(digestOf(ok.stdout)).toBe(sourceDigest);
  }, 60_000);

  it('a cut file, an altered tag, a missing key and re-gzipped altered contents are refused before anything is kept (SQLite and PostgreSQL)', async () => {
    const keyBuf = Buffer.from(key, 'hex');
    const cut = altered(enc, (b) => b.subarray(0, b.length - 100));
    const tag = altered(enc, (b) => {
      b[b.length - 1]! ^= 0x80;
      return b;
    });
    // Altered contents, well-formed gzip, the trailer's digest left as it was: the digest check catches it.
    const regz = altered(plain, (b) => {
      const text = gunzipSync(b).toString('utf8').replace(canary, `${canary}改`);
      return gzipSync(Buffer.from(text));
    });
    for (const kind of KINDS) {
      const t = await target(kind);
      const database = openDatabase(t.location);
      try {
        await expect(restoreDatabase(database, cut, keyBuf)).rejects.toThrow(/cannot be decrypted/);
        await expect(restoreDatabase(database, tag, keyBuf)).rejects.toThrow(/cannot be decrypted/);
        await expect(restoreDatabase(database, enc)).rejects.toThrow(/this backup is encrypted: give its key/);
        await expect(restoreDatabase(database, regz)).rejects.toThrow(/restored contents differ from the backup/);
        expect(await hasMunicipality(database)).toBe(false);
      } finally {
        await database.close();
      }
      expect(await contentRows(t.location), kind).toBe(0);
    }
  }, 60_000);

  it('restore refuses a database that already holds a municipality, and leaves it as it was', async () => {
    const res = await kasane(['restore', '--db', source, '--from', plain]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/already holds a municipality; restore into a fresh database/);
    const database = openDatabase(source);
    try {
      await expect(restoreDatabase(database, plain)).rejects.toThrow(/already holds a municipality/);
      expect((await databaseDigest(database.db)).digest).toBe(sourceDigest);
    } finally {
      await database.close();
    }
    expect(existsSync(`${source}.audit-anchor`)).toBe(true);
  }, 60_000);
});
