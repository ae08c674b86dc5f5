// Builds the web UI into web/dist (run by `npm ci` through the prepare script). Skipped
// quietly only when the web sources are absent (a server-only checkout).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('web/vite.config.ts')) process.exit(0);
const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
