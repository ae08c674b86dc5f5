/**
 * Runs one route's fuzz property over real HTTP (keep-alive fetch against the listening
 * server): builds the arbitrary from the route's own zod schemas, sends each case, and checks
 * the properties of ./checks.ts plus the route's round-trip.
 */
import http from 'node:http';
import fc from 'fast-check';
import type { z } from 'zod';
import type { RouteEntry } from '../../../src/http/app.ts';
import { BODY_LIMIT } from '../../../src/http/app.ts';
import {
  applyMutation,
  Deep,
  describe,
  type Envelope,
  encodeLoose,
  envelopeArb,
  fromZod,
  HOSTILE_STRINGS,
  hostileValue,
  mutationArb,
  queryString,
  RAW_QUERIES,
  RAW_SEGMENTS,
  Ref,
  type RefKind,
  refKindOfKey,
  unknownId,
} from './arbitraries.ts';
import { changesSince, problemShapeErrors, type Snapshot, snapshot, type TableName } from './checks.ts';
import { materialize, type PoolOverride, type PrincipalName, type World } from './world.ts';

export type Caller = PrincipalName | 'none' | 'bogus';

export interface Accepted {
  w: World;
  /** The body as the server parsed it from the wire (JSON.parse of what was sent). */
  sent: any;
  /** Path parameters as sent (ids resolved). */
  params: Record<string, string>;
  json: any;
  caller: Caller;
  /** Fails the property with a message. */
  fail(message: string): never;
}

export interface RouteSpec {
  method: string;
  url: string;
  /** Who calls the route in most runs (others, nobody and a bogus token now and then). */
  who: Caller[];
  /** Pool kind of each path parameter (default: by name, e.g. organizationId → organization). */
  params?: Record<string, RefKind>;
  /** Pool kind of an id field of the body or query by its path, when the key alone does not say. */
  refKind?: (path: readonly (string | number)[]) => RefKind | undefined;
  /** The route's own pools (by kind), e.g. { ownOrg: (w) => [w.accounts.lead.organizationId] }. */
  pools?: PoolOverride;
  /** Extra valid-ish bodies (e.g. real credentials) mixed into the schema-derived ones. */
  extraValid?: (w: World) => fc.Arbitrary<unknown>;
  /** Weight of valid-ish bodies against mutated (40) and envelope (15) ones. Default 45. */
  validWeight?: number;
  /** Tables a refused request may legitimately change (failed sign-ins count in loginThrottle). */
  mayChange?: TableName[];
  /** Positive control: at least one run must be accepted (2xx). Default true. */
  expectAccepted?: boolean;
  /** Round-trip and pool bookkeeping after a 2xx. */
  onAccepted?: (a: Accepted) => Promise<void>;
  /** Runs before every case is sent (outside the before/after snapshot): refreshes w.cache or keeps the fixture usable. */
  prepare?: (w: World) => Promise<void>;
  /** Restores state the rest of the run depends on (e.g. MFA settings) after every run. */
  after?: (w: World) => Promise<void>;
  /** Runs for this route instead of the tier's default (schemaless routes only). */
  runs?: number;
}

export interface FuzzCase {
  caller: Caller;
  head: boolean;
  params: Record<string, { ref: Ref } | { text: string } | { raw: string }>;
  query: { obj: unknown } | { raw: string } | undefined;
  body: { value: unknown; label: string } | undefined;
  envelope: Envelope;
  lang: string | undefined;
}

export interface RouteStats {
  route: string;
  runs: number;
  statuses: Record<number, number>;
  accepted: number;
  fiveXX: number;
  ms: number;
}

const PRINCIPALS: PrincipalName[] = ['admin', 'lead', 'member', 'coordinator', 'auditor', 'outsider', 'mfaUser', 'chair', 'external', 'advisor'];
const LANGS = [undefined, undefined, undefined, 'ja', 'en', 'en-US,en;q=0.9', 'zh', '*', 'ja;q=abc', 'xx'];

function shapeOf(schema: unknown): Record<string, z.ZodType> {
  return ((schema as { _zod?: { def?: { shape?: Record<string, z.ZodType> } } })?._zod?.def?.shape ?? {}) as Record<string, z.ZodType>;
}

/** The arbitrary of one route's requests, from its schemas in the server's route table. */
export function caseArbitrary(spec: RouteSpec, entry: RouteEntry, w: World): fc.Arbitrary<FuzzCase> {
  const schema = entry.schema ?? {};
  const isGet = spec.method === 'GET';
  const opts = { refKind: spec.refKind };

  const callerArb: fc.Arbitrary<Caller> = fc.oneof(
    { weight: 88, arbitrary: fc.constantFrom(...spec.who) },
    { weight: 4, arbitrary: fc.constant<Caller>('outsider') },
    { weight: 3, arbitrary: fc.constantFrom<Caller>('none', 'bogus') },
    { weight: 5, arbitrary: fc.constantFrom<Caller>(...PRINCIPALS) },
  );

  const paramNames = [...spec.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const paramShape = shapeOf(schema.params);
  const paramArbs: Record<string, fc.Arbitrary<FuzzCase['params'][string]>> = {};
  for (const name of paramNames) {
    if (!paramShape[name]) throw new Error(`${spec.method} ${spec.url}: path parameter :${name} has no zod schema`);
    const kind = spec.params?.[name] ?? refKindOfKey(name);
    if (!kind) throw new Error(`${spec.method} ${spec.url}: say which pool :${name} draws from (spec.params)`);
    paramArbs[name] = fc.oneof(
      { weight: 17, arbitrary: fc.nat().map((n) => ({ ref: new Ref(kind, n) })) },
      { weight: 2, arbitrary: fc.oneof(unknownId, fc.constantFrom(...HOSTILE_STRINGS)).map((text) => ({ text })) },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((raw) => ({ raw })) },
    );
  }
  const paramsArb = fc.record(paramArbs);

  let queryArb: fc.Arbitrary<FuzzCase['query']> = fc.constant(undefined);
  if (schema.querystring) {
    const valid = fromZod(schema.querystring as z.ZodType, opts);
    queryArb = fc.oneof(
      { weight: 10, arbitrary: valid.map((obj) => ({ obj })) },
      { weight: 7, arbitrary: fc.tuple(valid, mutationArb).map(([v, m]) => ({ obj: applyMutation(v, m).value })) },
      { weight: 3, arbitrary: fc.constantFrom(...RAW_QUERIES).map((raw) => ({ raw })) },
    );
  } else if (isGet) {
    queryArb = fc.oneof({ weight: 18, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constantFrom(...RAW_QUERIES).map((raw) => ({ raw })) });
  }

  let bodyArb: fc.Arbitrary<{ body: FuzzCase['body']; envelope: Envelope }> = fc.constant({ body: undefined, envelope: { kind: 'json' } as Envelope });
  if (schema.body) {
    let valid = fromZod(schema.body as z.ZodType, opts);
    if (spec.extraValid) valid = fc.oneof(valid, spec.extraValid(w));
    bodyArb = fc.oneof(
      { weight: spec.validWeight ?? 45, arbitrary: valid.map((value) => ({ body: { value, label: 'valid-ish' }, envelope: { kind: 'json' } as Envelope })) },
      {
        weight: 40,
        arbitrary: fc.tuple(valid, mutationArb).map(([v, m]) => {
          const r = applyMutation(v, m);
          return { body: { value: r.value, label: r.label }, envelope: { kind: 'json' } as Envelope };
        }),
      },
      { weight: 15, arbitrary: fc.tuple(valid, envelopeArb).map(([value, envelope]) => ({ body: { value, label: `envelope ${envelope.kind}` }, envelope })) },
    );
  } else if (!isGet) {
    bodyArb = fc.oneof(
      { weight: 15, arbitrary: fc.constant({ body: undefined, envelope: { kind: 'json' } as Envelope }) },
      {
        weight: 3,
        arbitrary: hostileValue.map((value) => ({ body: { value, label: `unexpected body ${describe(value)}` }, envelope: { kind: 'json' } as Envelope })),
      },
      { weight: 2, arbitrary: envelopeArb.map((envelope) => ({ body: { value: {}, label: `envelope ${envelope.kind}` }, envelope })) },
    );
  }

  return fc
    .record({
      caller: callerArb,
      head: isGet ? fc.oneof({ weight: 19, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) : fc.constant(false),
      params: paramsArb,
      query: queryArb,
      b: bodyArb,
      lang: fc.constantFrom(...LANGS),
    })
    .map(({ b, ...rest }) => ({ ...rest, body: b.body, envelope: b.envelope }));
}

/** JSON text with Deep markers expanded into raw nested JSON. */
function serialize(value: unknown): string | undefined {
  const deeps: Deep[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (v instanceof Deep) {
      deeps.push(v);
      return `\u0001DEEP${deeps.length - 1}\u0001`;
    }
    return v;
  });
  if (text === undefined) return undefined;
  return text.replace(/"\\u0001DEEP(\d+)\\u0001"/g, (_m, i) => deeps[Number(i)]!.text());
}

export interface Wire {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  /** The JSON text sent, when it is JSON (for round-trips). */
  jsonText: string | undefined;
  params: Record<string, string>;
}

/** Turns a case into the bytes on the wire (refs resolved against the world now). */
export function toWire(spec: RouteSpec, w: World, c: FuzzCase): Wire {
  const params: Record<string, string> = {};
  let path = spec.url;
  for (const [name, p] of Object.entries(c.params)) {
    let seg: string;
    if ('ref' in p) {
      params[name] = String(materialize(w, p.ref, spec.pools));
      seg = encodeURIComponent(params[name]!);
    } else if ('text' in p) {
      params[name] = p.text;
      seg = encodeLoose(p.text);
    } else {
      params[name] = p.raw;
      seg = p.raw;
    }
    path = path.replace(`:${name}`, seg);
  }
  if (c.query) path += `?${'raw' in c.query ? c.query.raw : queryString(materialize(w, c.query.obj, spec.pools))}`;
  const headers: Record<string, string> = {};
  const account = c.caller === 'none' || c.caller === 'bogus' ? undefined : w.accounts[c.caller];
  if (account) headers.authorization = `Bearer ${account.token}`;
  if (c.caller === 'bogus') headers.authorization = 'Bearer ksn_not-a-token';
  if (c.lang) headers['accept-language'] = c.lang;

  let body: string | Uint8Array | undefined;
  let jsonText: string | undefined;
  if (c.body) {
    const value = materialize(w, c.body.value, spec.pools);
    const text = serialize(value) ?? 'null';
    const e = c.envelope;
    headers['content-type'] = 'application/json';
    if (e.kind === 'json') {
      body = jsonText = text;
    } else if (e.kind === 'contentType') {
      body = text;
      jsonText = text;
      if (e.contentType === null) {
        delete headers['content-type'];
        body = new TextEncoder().encode(text);
      } else headers['content-type'] = e.contentType;
    } else if (e.kind === 'rawText') {
      body = e.text;
    } else if (e.kind === 'duplicateKey') {
      const first = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value)[0] : undefined;
      body = jsonText = first ? text.replace(/^\{/, `{${JSON.stringify(first)}:${serialize(HOSTILE_STRINGS[7]) ?? 'null'},`) : text;
    } else {
      body = `{"padding":"${'あ'.repeat(Math.ceil(BODY_LIMIT / 3) + 16)}","rest":${text}}`;
    }
  }
  return { method: c.head ? 'HEAD' : spec.method, url: `${w.s.url}${path}`, headers, body, jsonText, params };
}

function summarize(wire: Wire, c: FuzzCase): string {
  const body = wire.body === undefined ? '' : typeof wire.body === 'string' ? wire.body : new TextDecoder().decode(wire.body);
  return [
    `${wire.method} ${wire.url.length > 300 ? `${wire.url.slice(0, 300)}…` : wire.url}`,
    `  caller ${c.caller}, body: ${c.body?.label ?? 'none'}, envelope: ${JSON.stringify(c.envelope)}, content-type: ${wire.headers['content-type'] ?? '(none)'}`,
    `  sent ${body.length > 400 ? `${body.slice(0, 400)}… (${body.length} chars)` : body}`,
  ].join('\n');
}

// One keep-alive connection, like a browser tab: real HTTP, without paying for a handshake per run
// (node:http is about twice as fast as fetch here, and the client shares the CPU with the server).
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

export interface Response {
  status: number;
  contentType: string | null;
  text: string;
}

/** One HTTP request over the shared keep-alive connection. */
export function send(url: string, method: string, headers: Record<string, string>, body?: string | Uint8Array): Promise<Response> {
  return new Promise((resolve, reject) => {
    const h: Record<string, string | number> = { ...headers };
    if (body !== undefined) h['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    const req = http.request(url, { method, headers: h, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface RunOptions {
  runs: number;
  seed?: number;
  stats: RouteStats;
}

/** fast-check over one route; throws (with a shrunk counterexample and the seed) on the first violation. */
export async function fuzzRoute(spec: RouteSpec, entry: RouteEntry, w: World, o: RunOptions): Promise<void> {
  const arb = caseArbitrary(spec, entry, w);
  const t0 = Date.now();
  const details = await fc.check(
    fc.asyncProperty(arb, async (c) => {
      if (spec.prepare) await spec.prepare(w);
      const wire = toWire(spec, w, c);
      const before: Snapshot = await snapshot(w.s);
      const res = await send(wire.url, wire.method, wire.headers, wire.body);
      const text = res.text;
      o.stats.runs++;
      o.stats.statuses[res.status] = (o.stats.statuses[res.status] ?? 0) + 1;
      const fail = (message: string): never => {
        throw new Error(`${message}\n${summarize(wire, c)}\n  → ${res.status} ${res.contentType} ${text.slice(0, 600)}`);
      };
      try {
        if (res.status >= 500) {
          o.stats.fiveXX++;
          fail(`${res.status} (must never happen)`);
        }
        if (res.status >= 400) {
          if (wire.method === 'HEAD') {
            if (!res.contentType?.startsWith('application/problem+json')) fail(`HEAD refusal content-type ${res.contentType}`);
          } else {
            const errors = problemShapeErrors(res.status, res.contentType, text);
            if (errors.length) fail(`refusal is not a clean problem+json: ${errors.join('; ')}`);
          }
          // Authentication runs before the body is read; anyone past it must get 413.
          // (A URL that does not route — an undecodable or over-long segment — is refused first.)
          const passesAuth = (entry.public || (c.caller !== 'none' && c.caller !== 'bogus')) && Object.values(c.params).every((p) => 'ref' in p);
          if (c.envelope.kind === 'oversize' && passesAuth && res.status !== 413) fail(`oversized body answered ${res.status}, not 413`);
          const changed = await changesSince(w.s, before, spec.mayChange);
          if (changed.tables.length || changed.writes.length) fail(`refused request stored something: ${[...changed.tables, ...changed.writes].join(', ')}`);
        } else if (res.status >= 200 && res.status < 300) {
          o.stats.accepted++;
          if (c.envelope.kind === 'oversize') fail('an oversized body was accepted');
          if (wire.method === 'GET' || wire.method === 'HEAD') {
            const changed = await changesSince(w.s, before);
            if (changed.tables.length || changed.writes.length) fail(`a read changed something: ${[...changed.tables, ...changed.writes].join(', ')}`);
          } else if (spec.onAccepted) {
            let json: unknown = null;
            try {
              json = text ? JSON.parse(text) : null;
            } catch {
              fail('2xx body is not JSON');
            }
            let sent: unknown;
            try {
              sent = wire.jsonText === undefined ? undefined : JSON.parse(wire.jsonText);
            } catch {
              sent = undefined;
            }
            await spec.onAccepted({ w, sent, params: wire.params, json, caller: c.caller, fail });
          }
        } else {
          fail(`unexpected status ${res.status}`);
        }
      } finally {
        if (spec.after) await spec.after(w);
      }
    }),
    { numRuns: o.runs, seed: o.seed },
  );
  o.stats.ms += Date.now() - t0;
  if (details.failed) {
    // fast-check's own report prints the whole (possibly 1 MiB) counterexample; ours is short.
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `${spec.method} ${spec.url}: property failed after ${details.numRuns} runs (${details.numShrinks} shrinks)\n${cause}\n` +
        `replay: KASANE_FUZZ_SEED=${details.seed} (path ${details.counterexamplePath})`,
    );
  }
}
