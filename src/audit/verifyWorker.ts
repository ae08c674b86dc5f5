/**
 * The worker thread of `audit verify` (verify.ts starts it for each range of a long chain):
 * it verifies the range of workerData.job on a connection of its own and posts the result.
 * A failure ends the thread with an error, and the chain is then read on the main thread.
 */
/* v8 ignore file -- runs only inside worker threads, which V8 coverage does not see; the logic is verifyRangeJob in verify.ts, tested in-process. */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyRangeJob } from './verify.ts';

parentPort?.postMessage(await verifyRangeJob(workerData.job));
