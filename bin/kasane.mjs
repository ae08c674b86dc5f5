#!/usr/bin/env node
// The kasane command. It runs the ahead-of-time bundle (dist/server, built by `npm ci`) when
// that is up to date with src/, and otherwise loads the TypeScript sources through tsx, so it
// always runs the code as it is now (api.md). KASANE_FROM_SOURCE=1 forces the sources.
import { pathToFileURL } from 'node:url';
import { bundleIsFresh, bundlePath } from './server-bundle.mjs';

// `kasane demo | head` closes the pipe early; that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
let main;
if (!process.env.KASANE_FROM_SOURCE && bundleIsFresh()) {
  ({ main } = await import(pathToFileURL(bundlePath()).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
try {
  await main(process.argv.slice(2));
} catch (err) {
  const detail = err instanceof Error ? (process.env.KASANE_DEBUG ? (err.stack ?? err.message) : err.message) : String(err);
  process.stderr.write(`kasane: ${detail}\n`);
  process.exit(1);
}
