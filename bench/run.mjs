#!/usr/bin/env node
// npm run bench [-- --quick] : loads the TypeScript bench through tsx, like bin/kasane.mjs.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./bench.ts');
await main(process.argv.slice(2));
