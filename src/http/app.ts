/**
 * The Fastify application: JSON API under /api/v1 and the web UI from web/dist.
 * One request: parse with zod → load through a policy scope → authorize → command in one
 * transaction with its audit event → present (docs/ARCHITECTURE.md walks through one).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifySchema } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { newId } from '../lib/ids.ts';
import type { Services } from '../services.ts';
import { actorForApiToken, findSession, loadActor, SESSION_COOKIE, safeEqual, secondFactorState, sha256 } from './auth.ts';
import './context.ts';
import { AppError, type FieldError, fieldErrorFromIssue, problemBody } from './errors.ts';
import { langOf } from './messages.ts';
import { adminRoutes } from './routes/admin.ts';
import { adviceRoutes } from './routes/advice.ts';
import { assessmentRoutes } from './routes/assessments.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { caseRoutes } from './routes/cases.ts';
import { consentRoutes } from './routes/consents.ts';
import { conveningRequestRoutes } from './routes/conveningRequests.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { householdRoutes } from './routes/households.ts';
import { lifecycleFormRoutes } from './routes/lifecycleForms.ts';
import { meetingRoutes } from './routes/meetings.ts';
import { metaRoutes } from './routes/meta.ts';
import { monitoringRoutes } from './routes/monitoring.ts';
import { personRoutes } from './routes/persons.ts';
import { planRoutes } from './routes/plans.ts';
import { recordRoutes } from './routes/records.ts';
import { requestRoutes } from './routes/requests.ts';
import { SECOND_FACTOR_SETUP_ROUTES, secondFactorRoutes } from './routes/secondFactor.ts';
import { taskRoutes } from './routes/tasks.ts';
import { terminationRoutes } from './routes/termination.ts';

export const BODY_LIMIT = 1024 * 1024;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_DIST = join(ROOT, 'web', 'dist');

export interface AppOptions {
  logger?: boolean;
}

/** One registered route as the server itself knows it (method, full url, schema). */
export interface RouteEntry {
  method: string;
  url: string;
  schema?: FastifySchema;
  public: boolean;
}
const ROUTE_TABLES = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route `app` registered: the safety nets enumerate it, so a new route is covered the day it is written. */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return ROUTE_TABLES.get(app) ?? [];
}

/** The headers every answer carries: the CSP loads nothing from outside (no CDN, no internet needed). */
const SECURITY_HEADERS: [string, string][] = [
  [
    'Content-Security-Policy',
    [
      "default-src 'self'",
      "base-uri 'self'",
      "font-src 'self' data:",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "img-src 'self' data:",
      "object-src 'none'",
      "script-src 'self'",
      "script-src-attr 'none'",
      "style-src 'self' 'unsafe-inline'",
      "connect-src 'self'",
    ].join(';'),
  ],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

export async function buildApp(services: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger
      ? {
          level: 'info',
          redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
          // The query string may carry personal data (GET /persons?q=<a name>): the log keeps the path only.
          serializers: { req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }) },
        }
      : false,
    bodyLimit: BODY_LIMIT,
    genReqId: () => newId(),
    // Names in JSON bodies may legitimately contain "__proto__"-looking strings; reject the keys.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Errors raised before routing (an undecodable URL, an over-long parameter, a request the
    // HTTP parser rejects) get the same problem+json as every other refusal (rule 10).
    frameworkErrors: (error, req, reply) => {
      const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      const problem = new AppError('validation', 'detail.bad_url', {}, [], status);
      (reply as FastifyReply)
        .status(status)
        .type('application/problem+json')
        .send(problemBody(problem, langOf(req.headers['accept-language']), req.id));
    },
    clientErrorHandler: (error, socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      const problem =
        status === 431 ? new AppError('too_large', 'detail.headers_too_large', {}, [], 431) : new AppError('validation', 'detail.bad_request', {}, [], status);
      const body = JSON.stringify(problemBody(problem, 'ja', newId()));
      // A response to HEAD carries no body (a client would read it as the next response).
      const head = Buffer.isBuffer(error.rawPacket) && error.rawPacket.toString('latin1', 0, 5) === 'HEAD ';
      if (socket.writable) {
        const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
        socket.write(
          `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${head ? '' : body}`,
        );
      }
      socket.destroy(error);
    },
  });
  const routes: RouteEntry[] = [];
  ROUTE_TABLES.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url ?? r.path, schema: r.schema, public: r.config?.public === true });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);
  app.decorateRequest('lang', 'ja');
  app.decorateRequest('authKind', null);

  await app.register(cookie);
  // The security headers (what @fastify/helmet sent with these options), written out once:
  // helmet rebuilt them on every request, 5 % of a read's CPU (issue 6). A route may replace
  // one (the inline SVG's stricter CSP, lifecycleForms.ts).
  app.addHook('onRequest', async (_req, reply) => {
    for (const [name, value] of SECURITY_HEADERS) reply.raw.setHeader(name, value);
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Kasane API', version: '1', description: '重層的支援体制整備事業のための情報共有基盤 Kasane の HTTP API' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onRequest', async (req, reply) => {
    req.lang = langOf(req.headers['accept-language']);
    reply.header('cache-control', 'no-store');
    if (!req.url.startsWith('/api/')) return;
    await authenticate(services, req);
    if (!req.routeOptions.config?.public && !req.actor) throw new AppError('unauthenticated', 'detail.unauthenticated');
    if (req.actor && !SECOND_FACTOR_SETUP_ROUTES.has(req.routeOptions.url ?? '')) {
      const factor = SECOND_FACTOR.get(req) ?? (await secondFactorState(services.db, req.actor));
      if (factor.required && !factor.enabled) throw new AppError('forbidden', 'detail.mfa_setup_required');
    }
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    const problem = toAppError(error);
    if (problem.kind === 'internal') req.log.error({ err: error }, 'unhandled error');
    reply
      .status(problem.status)
      .type('application/problem+json')
      .send(problemBody(problem, req.lang, req.id));
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || !existsSync(join(WEB_DIST, 'index.html'))) {
      reply
        .status(404)
        .type('application/problem+json')
        .send(problemBody(new AppError('not_found', 'detail.not_found'), req.lang, req.id));
      return;
    }
    // The web UI is a single-page app: unknown paths get index.html and route in the browser.
    reply.type('text/html').send(readFileSync(join(WEB_DIST, 'index.html')));
  });

  await app.register(
    async (api) => {
      await metaRoutes(api, services);
      await authRoutes(api, services);
      await adminRoutes(api, services);
      await personRoutes(api, services);
      await householdRoutes(api, services);
      await caseRoutes(api, services);
      await consentRoutes(api, services);
      await recordRoutes(api, services);
      await auditRoutes(api, services);
      await secondFactorRoutes(api, services);
      await meetingRoutes(api, services);
      await taskRoutes(api, services);
      await requestRoutes(api, services);
      await conveningRequestRoutes(api, services);
      await assessmentRoutes(api, services);
      await planRoutes(api, services);
      await monitoringRoutes(api, services);
      await adviceRoutes(api, services);
      await terminationRoutes(api, services);
      await dashboardRoutes(api, services);
      await lifecycleFormRoutes(api, services);
    },
    { prefix: '/api/v1' },
  );

  if (existsSync(WEB_DIST)) {
    // wildcard: files are looked up per request, so a rebuilt UI is served without a restart.
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: true, index: 'index.html' });
  }
  return app;
}

/** The second-factor state found with a bearer token's actor (same query), per request. */
const SECOND_FACTOR = new WeakMap<FastifyRequest, { enabled: boolean; required: boolean }>();

async function authenticate(services: Services, req: FastifyRequest): Promise<void> {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const found = await actorForApiToken(services.db, header.slice(7).trim());
    if (found) {
      req.actor = found.actor;
      req.authKind = 'bearer';
      SECOND_FACTOR.set(req, found.secondFactor);
    }
    return;
  }
  const cookieToken = req.cookies[SESSION_COOKIE];
  if (!cookieToken) return;
  const session = await findSession(services.db, cookieToken, 'session');
  if (!session) return;
  // A cookie rides along on any request the browser makes; state changes also need the
  // CSRF token that only our own pages can read.
  if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !session.csrfTokenHash || !safeEqual(sha256(sent), session.csrfTokenHash)) {
      // A public route (sign-in) goes on unauthenticated: a stale cookie must not block a new
      // sign-in, and the sign-in itself replaces that session.
      if (req.routeOptions.config?.public) return;
      throw new AppError('forbidden', 'detail.csrf');
    }
  }
  req.actor = await loadActor(services.db, session.userId);
  req.authKind = 'cookie';
}

/**
 * Two requests racing to add the same row (a team member, a login id) both pass the
 * application's check; the database's unique key refuses the second. That is a conflict,
 * not a server failure.
 */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function toAppError(error: FastifyError | AppError): AppError {
  if (error instanceof AppError) return error;
  if (isUniqueViolation(error)) return new AppError('conflict', 'conflict.duplicate');
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as FastifyError & { validationContext?: string }).validationContext;
    const fields: FieldError[] = error.validation.map((v) => {
      const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const prefixed = where && where !== 'body' ? (path ? `${where}.${path}` : where) : path;
      return fieldErrorFromIssue(prefixed, v.keyword, v.params as Record<string, unknown>);
    });
    return new AppError('validation', 'detail.validation', {}, fields, 400);
  }
  const code = (error as FastifyError).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('too_large', 'detail.too_large', { limit: '1 MiB' });
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new AppError('unsupported_media_type', 'detail.unsupported_media_type');
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return new AppError('validation', 'detail.invalid_json', {}, [], 400);
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) {
    if (status === 413) return new AppError('too_large', 'detail.too_large', { limit: '1 MiB' });
    if (status === 415) return new AppError('unsupported_media_type', 'detail.unsupported_media_type');
    return new AppError('validation', 'detail.invalid_json', {}, [], 400);
  }
  return new AppError('internal', 'detail.internal');
}
