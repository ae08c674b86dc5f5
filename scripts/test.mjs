// `npm test`: the one test command (README, .ci/run). It makes sure the Debian packages the
// tests need are present — installing them when run as root, otherwise failing with their
// names (a missing browser is never a silent skip) — builds the web UI if needed, then runs
// every vitest project: unit, HTTP integration on SQLite and PostgreSQL, and the browser journey.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const NEEDED = [
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  { pkg: 'fonts-noto-cjk', present: () => dpkgInstalled('fonts-noto-cjk') },
  { pkg: 'poppler-utils', present: () => existsSync('/usr/bin/pdftotext') },
];

function dpkgInstalled(name) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const missing = NEEDED.filter((n) => !n.present()).map((n) => n.pkg);
if (missing.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`npm test needs these Debian packages: ${missing.join(' ')}\n  sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  console.log(`installing Debian packages the tests need: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-qq'], { env }) !== 0 || run('apt-get', ['install', '-y', '-qq', ...missing], { env }) !== 0) {
    console.error(`could not install: ${missing.join(' ')}`);
    process.exit(1);
  }
}

if (!existsSync('web/dist/index.html')) {
  if (run(process.execPath, ['scripts/build-web.mjs']) !== 0) process.exit(1);
}
// The tests that start `kasane` as a process run the server bundle, as users do (about 50 ms).
if (run(process.execPath, ['scripts/build-server.mjs']) !== 0) process.exit(1);

// --coverage enforces full branch coverage of src/policy and src/audit (vitest.config.ts).
process.exit(run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--coverage', ...process.argv.slice(2)]));
