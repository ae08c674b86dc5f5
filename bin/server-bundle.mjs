// The server as one ahead-of-time bundle (dist/server/kasane.mjs), so `kasane serve` starts
// without compiling TypeScript through a loader thread: faster to healthy, less memory
// (docs/PERFORMANCE.md). `npm ci` builds it (prepare), as it builds the web UI; the tests and
// the bench rebuild it. npm packages stay external (loaded from node_modules as they are).
//
// A bundle older than any source file is stale: `bin/kasane.mjs` then runs the sources through
// tsx as before, so an edit never runs old code.
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The bundle's entry (the CLI) under a checkout. */
export function bundlePath(root = ROOT) {
  return `${root}/dist/server/kasane.mjs`;
}

/** The worker threads the server starts, each found beside the bundle (src/lib/workers.ts). */
const WORKERS = ['audit/verifyWorker', 'audit/appendWorker'];

/** Entry points: the CLI and its workers. */
function entryPoints(root) {
  const entries = { kasane: `${root}/src/cli/main.ts` };
  for (const path of WORKERS) {
    const source = `${root}/src/${path}.ts`;
    if (existsSync(source)) entries[path.split('/').pop()] = source;
  }
  return entries;
}

/** The newest modification time of the sources that go into the bundle (tests excluded). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/server holds every entry point, built after the last change to src/. */
export function bundleIsFresh(root = ROOT) {
  const outputs = Object.keys(entryPoints(root)).map((name) => `${root}/dist/server/${name}.mjs`);
  if (!outputs.every((o) => existsSync(o))) return false;
  const built = Math.min(...outputs.map((o) => statSync(o).mtimeMs));
  return built >= newestSource(`${root}/src`);
}

/** Builds dist/server (about 50 ms). */
export async function buildServerBundle(root = ROOT) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: entryPoints(root),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: `${root}/dist/server`,
    outExtension: { '.js': '.mjs' },
    // Packages load from node_modules at run time (native drivers, lazily required pdfkit and exceljs).
    packages: 'external',
    logLevel: 'warning',
    legalComments: 'none',
  });
  // esbuild leaves an unchanged output file as it was: mark every output as built now.
  const now = new Date();
  for (const name of Object.keys(entryPoints(root))) utimesSync(`${root}/dist/server/${name}.mjs`, now, now);
}
