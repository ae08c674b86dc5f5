/** The external anchor and the row seals: key files, the environment key, forged and torn lines. */
import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KasaneDatabase, openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AuditAnchor, anchorFor } from './anchor.ts';
import { hashAuditRow } from './chain.ts';
import { SYSTEM_CONTEXT } from './events.ts';
import { verifyAuditChain } from './verify.ts';
import { AuditLog, recordAudit } from './writer.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'kasane-anchor-test-'));

describe('anchorFor', () => {
  const saved = { key: process.env.KASANE_AUDIT_KEY, anchor: process.env.KASANE_AUDIT_ANCHOR };
  afterEach(() => {
    process.env.KASANE_AUDIT_KEY = saved.key;
    process.env.KASANE_AUDIT_ANCHOR = saved.anchor;
    if (saved.key === undefined) delete process.env.KASANE_AUDIT_KEY;
    if (saved.anchor === undefined) delete process.env.KASANE_AUDIT_ANCHOR;
  });

  it('creates a key file beside a SQLite database only when asked, and reads it back', () => {
    delete process.env.KASANE_AUDIT_KEY;
    const db = join(dir(), 'k.sqlite');
    expect(anchorFor(db, { create: false })).toBeNull();
    const created = anchorFor(db, { create: true })!;
    expect(created.path).toBe(`${db}.audit-anchor`);
    expect(readFileSync(`${db}.audit-key`, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    const again = anchorFor(db, { create: false })!;
    expect(again.rowMac('h')).toBe(created.rowMac('h'));
  });

  it('takes the key from KASANE_AUDIT_KEY when set', () => {
    const db = join(dir(), 'k.sqlite');
    process.env.KASANE_AUDIT_KEY = 'a key kept in the environment';
    const a = anchorFor(db, { create: false })!;
    expect(existsSync(`${db}.audit-key`)).toBe(false);
    expect(a.rowMac('h')).toBe(new AuditAnchor('x', Buffer.from('a key kept in the environment')).rowMac('h'));
  });

  it('PostgreSQL: no anchor unless KASANE_AUDIT_ANCHOR names a file; its key sits beside it', () => {
    delete process.env.KASANE_AUDIT_KEY;
    delete process.env.KASANE_AUDIT_ANCHOR;
    expect(anchorFor('postgres://u@127.0.0.1/db', { create: true })).toBeNull();
    const path = join(dir(), 'pg-anchor');
    process.env.KASANE_AUDIT_ANCHOR = path;
    const a = anchorFor('postgres://u@127.0.0.1/db', { create: true })!;
    expect(a.path).toBe(path);
    expect(existsSync(`${path}.key`)).toBe(true);
  });
});

describe('AuditAnchor', () => {
  it('keeps the newest authentic head; counts forged, malformed and foreign lines; skips a torn last line', () => {
    const path = join(dir(), 'anchor');
    const a = new AuditAnchor(path, randomBytes(32));
    expect(a.latest()).toEqual({ head: null, forged: 0 });
    a.record({ seq: 2, hash: 'b'.repeat(64) });
    a.record({ seq: 1, hash: 'a'.repeat(64) });
    appendFileSync(path, '\n');
    appendFileSync(path, `3 ${'c'.repeat(64)}\n`);
    appendFileSync(path, `x ${'d'.repeat(64)} ${'0'.repeat(64)}\n`);
    appendFileSync(path, 'one-word\n');
    new AuditAnchor(path, randomBytes(32)).record({ seq: 9, hash: 'e'.repeat(64) });
    appendFileSync(path, `10 ${'f'.repeat(64)} 12ab`);
    expect(a.latest()).toEqual({ head: { seq: 2, hash: 'b'.repeat(64) }, forged: 4 });
  });

  it('a new chain at the same path sets the old anchor aside instead of deleting it', () => {
    const d = dir();
    const a = new AuditAnchor(join(d, 'anchor'), randomBytes(32));
    a.startNewChain();
    a.record({ seq: 1, hash: 'a'.repeat(64) });
    a.startNewChain();
    expect(existsSync(a.path)).toBe(false);
    expect(readdirSync(d).some((f) => f.startsWith('anchor.replaced-'))).toBe(true);
  });
});

describe('verify with row seals and the anchor', () => {
  let database: KasaneDatabase;
  let anchor: AuditAnchor;
  beforeEach(async () => {
    database = openDatabase(':memory:');
    await migrateToLatest(database.db, 'sqlite');
    anchor = new AuditAnchor(join(dir(), 'anchor'), randomBytes(32));
  });
  afterEach(() => database.close());

  it('a chain longer than one page verifies page by page', async () => {
    const log = new AuditLog(database.db, 'sqlite', anchor);
    await log.recordReads(
      SYSTEM_CONTEXT,
      Array.from({ length: 25 }, (_, i) => ({ type: 'PERSON_VIEWED' as const, personId: `p${i}` })),
    );
    expect(await verifyAuditChain(database.db, anchor, 10)).toEqual({ ok: true, entries: 25, anchor: 'checked' });
  });

  it('a chain replaced from the first row, without seals, is caught by the anchor', async () => {
    const log = new AuditLog(database.db, 'sqlite', anchor);
    await log.recordReads(SYSTEM_CONTEXT, [
      { type: 'PERSON_VIEWED', personId: 'p1' },
      { type: 'PERSON_VIEWED', personId: 'p2' },
    ]);
    await sql`DROP TRIGGER audit_events_no_update`.execute(database.db);
    const rows = await database.db.selectFrom('auditEvents').selectAll().orderBy('seq').execute();
    let prev = '0'.repeat(64);
    for (const row of rows) {
      const { hash: _, mac: __, ...rest } = { ...row, payload: '{"rewritten":true}', prevHash: prev };
      const hash = hashAuditRow(rest);
      await database.db.updateTable('auditEvents').set({ payload: rest.payload, prevHash: prev, hash, mac: null }).where('seq', '=', row.seq).execute();
      prev = hash;
    }
    await database.db.updateTable('auditHead').set({ hash: prev }).execute();
    expect(await verifyAuditChain(database.db, anchor)).toMatchObject({ ok: false, firstBrokenSeq: 2, problem: expect.stringMatching(/external anchor/) });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('nothing to append appends nothing', async () => {
    expect(await recordAudit(database.db, 'sqlite', SYSTEM_CONTEXT, [], anchor)).toBeNull();
    await new AuditLog(database.db, 'sqlite', anchor).recordReads(SYSTEM_CONTEXT, []);
    expect(await verifyAuditChain(database.db, anchor)).toEqual({ ok: true, entries: 0, anchor: 'not checked' });
  });

  it('a row without a seal after sealed rows is caught', async () => {
    await recordAudit(database.db, 'sqlite', SYSTEM_CONTEXT, [{ type: 'CASE_OPENED', caseId: 'c' }], anchor);
    await recordAudit(database.db, 'sqlite', SYSTEM_CONTEXT, [{ type: 'CASE_VIEWED', caseId: 'c' }]);
    expect(await verifyAuditChain(database.db, anchor)).toMatchObject({ ok: false, firstBrokenSeq: 2, problem: expect.stringMatching(/no MAC/) });
  });

  it('a read whose transaction fails rejects every waiting response', async () => {
    const log = new AuditLog(database.db, 'sqlite', anchor);
    await sql`DROP TABLE audit_head`.execute(database.db);
    await expect(log.recordReads(SYSTEM_CONTEXT, [{ type: 'PERSON_VIEWED', personId: 'p' }])).rejects.toThrow();
  });

  it('an anchor file of an earlier chain is not this chain (guard against mixing)', async () => {
    writeFileSync(anchor.path, '');
    anchor.record({ seq: 1, hash: 'f'.repeat(64) });
    await recordAudit(database.db, 'sqlite', SYSTEM_CONTEXT, [{ type: 'CASE_OPENED', caseId: 'c' }], anchor);
    expect(await verifyAuditChain(database.db, anchor)).toMatchObject({ ok: false, firstBrokenSeq: 1 });
  });
});

describe('row MAC', () => {
  // The MAC is computed from precomputed HMAC pads (one per row of a long log): it must be
  // exactly HMAC-SHA256 for keys of every length, including keys longer than a block.
  it.each([1, 32, 64, 65, 200])('equals HMAC-SHA256 for a %i-byte key', (length) => {
    const key = randomBytes(length);
    const anchor = new AuditAnchor(join(dir(), 'a'), key);
    for (const h of ['0'.repeat(64), randomBytes(32).toString('hex')]) {
      expect(anchor.rowMac(h)).toBe(createHmac('sha256', key).update(`row:${h}`).digest('hex'));
    }
  });
});
