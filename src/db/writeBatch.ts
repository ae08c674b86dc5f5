/**
 * The write transactions of concurrent requests, committed together (SQLite, issue 6).
 *
 * better-sqlite3 commits on the server's one thread, and a `synchronous = FULL` commit waits
 * for the disk there: about half a millisecond of every registration, with nothing else served
 * meanwhile. Requests that write at the same moment therefore share one transaction: each runs
 * in a savepoint of its own (a request that fails rolls back to it and gets its error, the
 * others go on), the transaction commits once, and only then does every request get its
 * answer — nothing is acknowledged before it is durable, as with a transaction each. A
 * request's audit events are written inside its savepoint, so they commit with its change or
 * not at all (rule 6).
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';

interface Job {
  work(tx: Transaction<DB>): Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export interface WriteBatcherOptions {
  /** Requests per transaction at most (default 64): a long batch keeps the others waiting. */
  maxPerCommit?: number;
  /** Runs each batch in its turn (the audit log's, beside the append worker); default: at once. */
  turn?: <T>(work: () => Promise<T>) => Promise<T>;
}

export class WriteBatcher {
  private readonly db: Kysely<DB>;
  private readonly maxPerCommit: number;
  private readonly turn: <T>(work: () => Promise<T>) => Promise<T>;
  private queue: Job[] = [];
  private running = false;

  constructor(db: Kysely<DB>, options: WriteBatcherOptions = {}) {
    this.db = db;
    this.maxPerCommit = options.maxPerCommit ?? 64;
    this.turn = options.turn ?? ((work) => work());
  }

  /** Runs `work` in the next batch; resolves after the batch has committed. */
  run<T>(work: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.start();
    });
  }

  private start(): void {
    if (this.running) return;
    this.running = true;
    // One turn of the event loop first, so the requests that arrived together share the batch.
    setImmediate(() => {
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.turn(() => this.commitBatch());
    this.running = false;
  }

  private async commitBatch(): Promise<void> {
    let trx: Awaited<ReturnType<ReturnType<Kysely<DB>['startTransaction']>['execute']>>;
    try {
      trx = await this.db.startTransaction().execute();
    } catch (err) {
      for (const job of this.queue.splice(0, this.maxPerCommit)) job.reject(err);
      return;
    }
    const done: [Job, unknown][] = [];
    try {
      while (this.queue.length > 0 && done.length < this.maxPerCommit) {
        const job = this.queue.shift()!;
        const savepoint = await trx.savepoint('request').execute();
        try {
          const value = await job.work(savepoint);
          await savepoint.releaseSavepoint('request').execute();
          done.push([job, value]);
        } catch (err) {
          job.reject(err);
          await savepoint.rollbackToSavepoint('request').execute();
          await savepoint.releaseSavepoint('request').execute();
        }
      }
      await trx.commit().execute();
    } catch (err) {
      // The transaction is lost (a failed commit, or a rollback to a savepoint that no longer
      // exists): nothing of the batch is stored, and every request in it is told so.
      await trx
        .rollback()
        .execute()
        .catch(() => {});
      for (const [job] of done) job.reject(err);
      return;
    }
    for (const [job, value] of done) job.resolve(value);
  }
}
