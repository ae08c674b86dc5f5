/**
 * Verifies the audit hash chain from the first row to the head, in pages, so memory stays
 * flat however long the log is.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { AuditAnchor } from './anchor.ts';
import { GENESIS_HASH, HASHED_COLUMNS, hashAuditValues } from './chain.ts';

export interface VerifyResult {
  ok: boolean;
  entries: number;
  firstBrokenId?: string;
  firstBrokenSeq?: number;
  problem?: string;
  /** The external anchor (HMAC of the head kept outside the table) is not configured yet. */
  anchor: 'checked' | 'not checked';
}

const PAGE = 10000;

/** A page of rows as stored: the hashed columns in their hashing order, then hash and mac. */
type StoredRow = Record<string, unknown> & { seq: number | string; id: string; prev_hash: string; hash: string; mac: string | null };

export async function verifyAuditChain(db: Kysely<DB>, anchor: AuditAnchor | null = null, pageSize = PAGE): Promise<VerifyResult> {
  const anchored = anchor?.latest() ?? { head: null, forged: 0 };
  const anchorState: VerifyResult['anchor'] = anchored.head ? 'checked' : 'not checked';
  let anchoredHashSeen: string | null = null;
  let macSeen = false;
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  let lastSeq = 0;
  for (;;) {
    // Unmapped column names (no plugins): the verifier reads millions of rows, and renaming
    // every column of every row costs more than hashing it.
    const { rows } =
      await sql<StoredRow>`SELECT ${sql.raw(HASHED_COLUMNS.join(', '))}, hash, mac FROM audit_events WHERE seq > ${lastSeq} ORDER BY seq LIMIT ${pageSize}`.execute(
        db.withoutPlugins(),
      );
    for (const row of rows) {
      const broken = (problem: string): VerifyResult => ({
        ok: false,
        entries,
        firstBrokenId: row.id,
        firstBrokenSeq: Number(row.seq),
        problem,
        anchor: anchorState,
      });
      if (Number(row.seq) > expectedSeq) {
        // A gap: the chain breaks at the first missing seq (the row found is the one after it).
        return { ...broken(`entry ${expectedSeq} is missing (the next entry found is seq ${row.seq})`), firstBrokenSeq: expectedSeq };
      }
      if (row.prev_hash !== prevHash) return broken('previous hash does not match');
      const { hash, mac } = row;
      const values = HASHED_COLUMNS.map((c) => row[c] ?? null);
      values[0] = Number(row.seq);
      if (hashAuditValues(values) !== hash) return broken('content does not match its hash');
      if (anchor && mac !== null) {
        if (mac !== anchor.rowMac(hash)) return broken('row MAC does not match (written without the anchor key)');
        macSeen = true;
      } else if (anchor && macSeen) {
        return broken('row has no MAC after MAC-protected rows (written without the anchor key)');
      }
      if (anchored.head && Number(row.seq) === anchored.head.seq) {
        anchoredHashSeen = hash;
        // The whole chain up to here was recomputed: its hashes link, but not to the anchor.
        if (hash !== anchored.head.hash) return broken('entry does not match the external anchor (chain replaced?)');
      }
      prevHash = hash;
      expectedSeq += 1;
      entries += 1;
      lastSeq = Number(row.seq);
    }
    if (rows.length < pageSize) break;
  }
  const head = await db.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (head && (Number(head.seq) !== entries || head.hash !== prevHash)) {
    return { ok: false, entries, problem: 'the chain head does not match the last entry (entries removed at the end?)', anchor: anchorState };
  }
  if (anchored.forged > 0)
    return { ok: false, entries, problem: `${anchored.forged} anchor line(s) fail their HMAC (anchor file altered)`, anchor: anchorState };
  if (anchored.head && anchoredHashSeen === null) {
    return {
      ok: false,
      entries,
      problem: `the chain ends at ${entries} entries but the anchor vouches for ${anchored.head.seq} (tail truncated)`,
      anchor: anchorState,
    };
  }
  return { ok: true, entries, anchor: anchorState };
}
