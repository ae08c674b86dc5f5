/**
 * Read events appended on a thread of their own (SQLite, issue 6).
 *
 * better-sqlite3 is synchronous: a COMMIT with `synchronous = FULL` waits for the disk (fsync)
 * on the thread that runs it. On the server's main thread every group commit of read events
 * stopped all requests for that wait — on this machine about 2.9 ms per commit under load,
 * more than half of what a read of a person cost. The append worker has its own connection to
 * the same file and does the whole append there: lock the chain head, hash, insert, commit
 * (and fsync). The main thread goes on serving while the disk works, and each response still
 * waits for the commit of its own entries (rule 6) — the reply comes after the COMMIT.
 *
 * Both connections append to one chain: every transaction takes SQLite's write lock when it
 * begins (BEGIN IMMEDIATE, src/db/connect.ts) and reads the head under it, so the chain stays
 * linear, and a write transaction on the main thread (with its own audit events) waits for an
 * append in progress under busy_timeout.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { nowIso } from '../lib/clock.ts';
import { startWorker, workerEntry } from '../lib/workers.ts';
import { type AuditAnchor, type ChainHead, rowMacs } from './anchor.ts';
import { AUDIT_INSERT_ONE_SQLITE, chainRows } from './chain.ts';
import type { AuditEntry } from './writer.ts';

export interface AuditAppender {
  /** False once the worker failed: the audit log then appends on its own thread. */
  readonly usable: boolean;
  append(entries: AuditEntry[]): Promise<ChainHead | null>;
  close(): Promise<void>;
}

export interface AppendWorkerData {
  location: string;
  anchor: { path: string; key: Uint8Array } | null;
}

interface AppendRequest {
  id: number;
  /** The entries' time, from the main thread's clock (src/lib/clock.ts). */
  at: string;
  entries: AuditEntry[];
}

type AppendReply = { id: number; head: ChainHead | null } | { id: number; error: string };

/**
 * The worker's side: one connection, one transaction per request, answered in order. It uses
 * the driver directly (no query builder), so the thread stays small: the statements are the
 * four of an append.
 */
export function serveAppends(port: MessagePort, data: AppendWorkerData): { close(): void } {
  const sqlite = new Database(data.location);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  const rowMac = data.anchor ? rowMacs(data.anchor.key) : null;
  const readHead = sqlite.prepare<[], ChainHead>('SELECT seq, hash FROM audit_head WHERE id = 1');
  const insert = sqlite.prepare(AUDIT_INSERT_ONE_SQLITE);
  const moveHead = sqlite.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1');
  // BEGIN IMMEDIATE: the head is read under the write lock (see src/db/connect.ts).
  const transaction = sqlite.transaction((request: AppendRequest) => {
    const { rows, head } = chainRows(readHead.get()!, request.entries, request.at, rowMac);
    for (const values of rows) insert.run(values);
    moveHead.run(head.seq, head.hash);
    return head;
  });
  port.on('message', (request: AppendRequest) => {
    let reply: AppendReply;
    try {
      reply = { id: request.id, head: request.entries.some((e) => e.events.length > 0) ? transaction.immediate(request) : null };
    } catch (err) {
      reply = { id: request.id, error: String(err) };
    }
    port.postMessage(reply);
  });
  return {
    close: () => {
      port.close();
      sqlite.close();
    },
  };
}

/** The main thread's side: starts the worker on the first append. */
export class WorkerAppender implements AuditAppender {
  private readonly start: () => Worker;
  private worker: Worker | null = null;
  private failed = false;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(head: ChainHead | null): void; reject(err: Error): void }>();

  /** `start` makes the worker thread (tests start it differently); by default appendWorker.ts. */
  constructor(data: AppendWorkerData, start: (data: AppendWorkerData) => Worker = (d) => startWorker(workerEntry(import.meta.url, 'appendWorker'), { ...d })) {
    this.start = () => start(data);
  }

  /** A SQLite file's appender, with the anchor's key for the row MACs. */
  static forSqlite(location: string, anchor: AuditAnchor | null): WorkerAppender {
    return new WorkerAppender({ location, anchor: anchor?.forWorker() ?? null });
  }

  get usable(): boolean {
    return !this.failed;
  }

  append(entries: AuditEntry[]): Promise<ChainHead | null> {
    const worker = this.worker ?? this.spawn();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Keep the process alive while an append is in flight, not while the worker idles.
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      // Only the entries cross: the group commit's waiting requests carry their callbacks along.
      worker.postMessage({ id, at: nowIso(), entries: entries.map(({ ctx, events }) => ({ ctx, events })) } satisfies AppendRequest);
    });
  }

  private spawn(): Worker {
    const worker = this.start();
    this.worker = worker;
    worker.unref();
    worker.on('message', (reply: AppendReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in reply) waiting.reject(new Error(`audit append failed: ${reply.error}`));
      else waiting.resolve(reply.head);
    });
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => this.fail(new Error(`audit append worker exited with code ${code}`)));
    return worker;
  }

  /**
   * The worker is gone: its unanswered appends fail (their responses show nothing; whether
   * the entries were committed, the chain says), and the log appends on its own thread.
   */
  private fail(err: Error): void {
    if (this.worker === null) return;
    this.worker = null;
    this.failed = true;
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
