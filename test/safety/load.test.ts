/**
 * T9 — load held: a bounded loopback load (autocannon, 50 connections, 60 s by default,
 * KASANE_LOAD_SECONDS to change) of 80 % reads and 20 % writes against a `kasane serve`
 * process over a generated municipality. It asserts zero errors and an intact audit chain
 * afterwards, and prints its figures; latency is reported, never asserted (style: no timing
 * assertions in tests).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMunicipality, rng } from '../../bench/generate.ts';
import { anchorFor } from '../../src/audit/anchor.ts';
import { AuditLog } from '../../src/audit/writer.ts';
import { createMunicipality } from '../../src/commands/municipalityCreator.ts';
import { openDatabase } from '../../src/db/connect.ts';

const SECONDS = Number(process.env.KASANE_LOAD_SECONDS ?? 60);
const HOUSEHOLDS = Number(process.env.KASANE_LOAD_HOUSEHOLDS ?? 4000);
const ROOT = join(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

describe('T9: load held on loopback', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasane-load-'));
  const location = join(dir, 'load.sqlite');
  let server: ReturnType<typeof spawn>;
  let url = '';
  let generated: Awaited<ReturnType<typeof generateMunicipality>>;

  beforeAll(async () => {
    const database = openDatabase(location);
    const services = {
      database,
      db: database.db,
      dialect: database.dialect,
      audit: new AuditLog(database.db, database.dialect, anchorFor(location, { create: true })),
    };
    await createMunicipality(services, { name: '負荷試験市', adminLogin: 'admin', adminPassword: 'admin-password-123' });
    generated = await generateMunicipality(services, { households: HOUSEHOLDS, caseShare: 0.3, seed: 9 });
    await database.close();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [join(ROOT, 'bin/kasane.mjs'), 'serve', '--db', location, '--port', String(port)], { stdio: 'ignore' });
    for (let i = 0; i < 100; i += 1) {
      try {
        if ((await fetch(`${url}/api/v1/health`)).ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('server did not start');
  }, 120_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const gone = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'serves 80 % reads / 20 % writes with 50 connections: no errors, chain intact',
    async () => {
      const lead = generated.organizations[0]!.id;
      const login = generated.users.find((u) => u.organizationId === lead && u.roles.includes('coordinator'))!.loginId;
      const tokenRes = await fetch(`${url}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ loginId: login, password: generated.password }),
      });
      const { token } = (await tokenRes.json()) as { token: string };
      const own = generated.cases.filter((c) => c.leadOrganizationId === lead);
      expect(own.length).toBeGreaterThan(10);
      const r = rng(7);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const pickCase = () => r.pick(own);
      // autocannon carries the previous request's body into the next one unless it is cleared:
      // a GET must go out with no body and no content-type.
      const read = (path: () => string) => ({
        method: 'GET' as const,
        setupRequest: (req: any) => ({ ...req, path: path(), headers: { authorization: headers.authorization }, body: undefined }),
      });
      const reads = [
        read(() => `/api/v1/cases/${pickCase().id}`),
        read(() => `/api/v1/persons/${r.pick(pickCase().personIds)}`),
        read(() => `/api/v1/cases/${pickCase().id}/records`),
        read(() => `/api/v1/persons?q=${encodeURIComponent(r.pick(['さいとう', '斉藤', 'ﾀｶﾊｼ', '渡辺', 'ハマダ', '山崎']))}`),
      ];
      const writes = [
        {
          method: 'POST' as const,
          setupRequest: (req: any) => ({
            ...req,
            path: '/api/v1/persons',
            headers,
            body: JSON.stringify({ familyName: '負荷', givenName: '太郎', familyNameKana: 'フカ', givenNameKana: 'タロウ', birthDate: '1980-01-01' }),
          }),
        },
        {
          method: 'POST' as const,
          setupRequest: (req: any) => {
            const c = pickCase();
            return {
              ...req,
              path: `/api/v1/cases/${c.id}/records`,
              headers,
              body: JSON.stringify({ personId: r.pick(c.personIds), body: '負荷試験の記録', classification: 'normal' }),
            };
          },
        },
      ];
      // 8 reads and 2 writes per round: 80 % / 20 %.
      const requests = [reads[0], reads[1], writes[0], reads[2], reads[3], reads[0], reads[1], writes[1], reads[2], reads[3]];
      const result = await autocannon({ url, connections: 50, duration: SECONDS, requests: requests as any });
      const figures = {
        seconds: SECONDS,
        households: HOUSEHOLDS,
        requests: result.requests.total,
        reqPerSec: result.requests.average,
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p97_5: result.latency.p97_5, p99: result.latency.p99 },
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
      };
      console.log('T9 load figures', JSON.stringify(figures));
      expect(result.errors).toBe(0);
      expect(result.timeouts).toBe(0);
      expect(result.non2xx).toBe(0);
      expect(result.requests.total).toBeGreaterThan(0);

      const verify = spawnSync(process.execPath, [join(ROOT, 'bin/kasane.mjs'), 'audit', 'verify', '--db', location], { encoding: 'utf8' });
      console.log(verify.stdout.trim());
      expect(verify.status).toBe(0);
    },
    (SECONDS + 120) * 1000,
  );
});
