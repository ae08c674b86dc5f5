/**
 * The audit append worker thread (appender.ts starts it for a SQLite file): appends the read
 * events the main thread sends, on a connection of its own.
 */
/* v8 ignore file -- runs only inside a worker thread, which V8 coverage does not see; the logic is serveAppends in appender.ts, tested in-process. */
import { parentPort, workerData } from 'node:worker_threads';
import { serveAppends } from './appender.ts';

serveAppends(parentPort!, workerData);
