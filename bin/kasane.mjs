#!/usr/bin/env node
// The kasane command. It loads the TypeScript sources at run time through tsx, so it runs
// right after `npm ci` on a fresh clone with no build step (api.md).
import { register } from 'tsx/esm/api';

register();
// `kasane demo | head` closes the pipe early; that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { main } = await import('../src/cli/main.ts');
try {
  await main(process.argv.slice(2));
} catch (err) {
  const detail = err instanceof Error ? (process.env.KASANE_DEBUG ? (err.stack ?? err.message) : err.message) : String(err);
  process.stderr.write(`kasane: ${detail}\n`);
  process.exit(1);
}
