/**
 * Starting a worker thread from a module that may run as TypeScript source (tsx, vitest) or
 * from the ahead-of-time bundle (dist/server, bin/server-bundle.mjs).
 *
 * From source the worker is `<name>.ts` beside the calling module, and it needs the tsx loader
 * registered first: a worker thread does not inherit the loader of the thread that starts it.
 * From the bundle the worker is the bundled `<name>.mjs` beside dist/server/kasane.mjs.
 */
import { Worker } from 'node:worker_threads';

export interface WorkerEntry {
  worker: string;
  tsx: string | null;
}

export function workerEntry(moduleUrl: string, name: string): WorkerEntry {
  const fromSource = moduleUrl.endsWith('.ts');
  return {
    worker: new URL(`./${name}.${fromSource ? 'ts' : 'mjs'}`, moduleUrl).href,
    tsx: fromSource ? import.meta.resolve('tsx/esm/api') : null,
  };
}

/** Registers the loader if there is one, then loads the worker module (which reads workerData). */
const BOOTSTRAP = `const { workerData } = require('node:worker_threads');
(workerData.tsx ? import(workerData.tsx).then((tsx) => tsx.register()) : Promise.resolve()).then(() => import(workerData.worker));`;

export function startWorker(entry: WorkerEntry, data: Record<string, unknown>): Worker {
  return new Worker(BOOTSTRAP, { eval: true, workerData: { ...data, ...entry } });
}
