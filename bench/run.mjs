#!/usr/bin/env node
// npm run bench [-- --quick] : loads the TypeScript bench through tsx, like bin/kasane.mjs.
// The server it measures runs from the ahead-of-time bundle, built first (bin/server-bundle.mjs).
import { register } from 'tsx/esm/api';
import { buildServerBundle } from '../bin/server-bundle.mjs';

await buildServerBundle();
register();
const { main } = await import('./bench.ts');
await main(process.argv.slice(2));
