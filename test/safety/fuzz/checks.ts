/**
 * The properties every fuzzed response must have (T3, product rule 10): no 5xx; every 4xx is
 * application/problem+json with a title and detail, field errors as {path, message}, and no
 * stack trace, SQL, or internal path; a refused request stores nothing (row counts of every
 * table and the write-type audit events unchanged; read/denial audit events are fine).
 */
import type { TestServer } from '../../helpers/server.ts';

/** Audit event types that record a read, a denial or a sign-in — never a change. */
// biome-ignore format: a packed list reads better than one item per line
export const READ_AUDIT_TYPES = new Set([
  'PERSON_VIEWED', 'PERSONS_SEARCHED', 'HOUSEHOLD_VIEWED', 'CASE_VIEWED', 'CASES_LISTED', 'CONSENTS_VIEWED', 'RECORDS_VIEWED', 'ACCESS_DENIED',
  'AUDIT_LOG_VIEWED', 'AUDIT_CHAIN_VERIFIED', 'USER_SIGN_IN_FAILED', 'USER_SIGNED_IN', 'USER_SIGNED_OUT', 'API_TOKEN_ISSUED',
  'MEETINGS_LISTED', 'MEETING_VIEWED', 'MEETING_MATERIALS_OPENED', 'MEETING_MINUTES_VIEWED', 'TASKS_VIEWED', 'FORM_EXPORTED', 'INFORMATION_REQUESTS_VIEWED', 'CONVENING_REQUESTS_VIEWED',
  'ASSESSMENT_VIEWED', 'PLAN_VIEWED', 'MONITORING_VIEWED', 'ADVICE_REQUESTS_VIEWED', 'TERMINATION_VIEWED', 'CASE_DIAGRAM_VIEWED', 'DASHBOARD_VIEWED',
]);

/** Every table but the audit trail (checked by event type instead). */
export const TABLES = [
  'municipality',
  'organizations',
  'users',
  'authSessions',
  'loginThrottle',
  'persons',
  'households',
  'householdMembers',
  'cases',
  'caseProblems',
  'caseTeam',
  'caseStatusChanges',
  'consents',
  'consentOrganizations',
  'records',
  'breakGlassGrants',
  'notifications',
  'meetings',
  'meetingMembers',
  'meetingCases',
  'meetingMaterials',
  'meetingCaseExclusions',
  'tasks',
  'informationRequests',
  'honoraria',
  'conveningRequests',
  'assessments',
  'plans',
  'planActions',
  'monitoringEntries',
  'advisorProfiles',
  'adviceRequests',
  'terminations',
] as const;
export type TableName = (typeof TABLES)[number];

export interface Snapshot {
  counts: Record<string, number>;
  auditSeq: number;
}

/** Row counts of every table and the audit head, in one round trip. */
export async function snapshot(s: TestServer): Promise<Snapshot> {
  const row = (await s.services.db
    .selectNoFrom((eb) => [
      ...TABLES.map((t) => eb.selectFrom(t).select(eb.fn.countAll().as('n')).as(t)),
      eb.selectFrom('auditHead').select('seq').where('id', '=', 1).as('auditSeq'),
    ])
    .executeTakeFirstOrThrow()) as Record<string, unknown>;
  const counts: Record<string, number> = {};
  for (const t of TABLES) counts[t] = Number(row[t]);
  return { counts, auditSeq: Number(row.auditSeq) };
}

/** What changed since `before`: tables whose counts moved, and audit events that are not reads. */
export async function changesSince(s: TestServer, before: Snapshot, mayChange: readonly string[] = []) {
  const after = await snapshot(s);
  const tables = TABLES.filter((t) => !mayChange.includes(t) && after.counts[t] !== before.counts[t]).map((t) => `${t} ${before.counts[t]}→${after.counts[t]}`);
  const events =
    after.auditSeq === before.auditSeq
      ? []
      : await s.services.db.selectFrom('auditEvents').select(['type', 'outcome']).where('seq', '>', before.auditSeq).orderBy('seq').execute();
  const writes = events.filter((e) => !READ_AUDIT_TYPES.has(e.type)).map((e) => `${e.type}/${e.outcome}`);
  return { tables, writes };
}

/** Internals that must never reach a client in an error body. */
// biome-ignore format: a packed list reads better than one item per line
const LEAK_PATTERNS: [string, RegExp][] = [
  ['stack frame', /\n\s*at\s|\bat\s+[\w$.<>]+\s+\(|\bat\s+(file:|node:|\/)/], ['source path', /\.(ts|js|mjs|cjs):\d+/], ['node_modules', /node_modules/],
  ['internal path', /\/work\/|\/home\/|\/usr\/|\/tmp\/|[A-Z]:\\/],
  ['SQL', /\bSELECT\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b|\bWHERE\b|\bsyntax error\b/],
  ['database', /sqlite|postgres|SQLSTATE|\bkysely\b|better-sqlite3|\bpg\b|relation "|violates|constraint/i],
  ['framework code', /FST_ERR_|ERR_[A-Z_]{4,}|ZodError|TypeError|RangeError|SyntaxError|ReferenceError/],
];

export function leaksIn(text: string): string[] {
  return LEAK_PATTERNS.filter(([, re]) => re.test(text)).map(([name]) => name);
}

/** Problems with a 4xx response, or [] when it is a proper problem+json refusal. */
export function problemShapeErrors(status: number, contentType: string | null, text: string): string[] {
  const out: string[] = [];
  if (!contentType?.startsWith('application/problem+json')) out.push(`content-type ${contentType}`);
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    out.push('body is not JSON');
    return out;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [...out, 'body is not an object'];
  if (typeof body.title !== 'string' || body.title.length === 0) out.push('no title');
  if (typeof body.detail !== 'string' || body.detail.length === 0) out.push('no detail');
  if (typeof body.type !== 'string') out.push('no type');
  if (body.status !== status) out.push(`status field ${body.status} ≠ ${status}`);
  if (body.errors !== undefined) {
    if (!Array.isArray(body.errors) || body.errors.length === 0) out.push('errors is not a non-empty array');
    else
      for (const e of body.errors) {
        if (!e || typeof e.path !== 'string' || typeof e.message !== 'string' || e.message.length === 0) out.push(`bad field error ${JSON.stringify(e)}`);
        else if (Object.keys(e).some((k) => k !== 'path' && k !== 'message')) out.push(`field error has extra keys ${JSON.stringify(e)}`);
      }
  }
  // 422 is always about fields: the client must be told which ones.
  if (status === 422 && !Array.isArray(body.errors)) out.push('422 without field errors');
  const leaks = leaksIn(text);
  if (leaks.length) out.push(`leaks ${leaks.join(', ')}`);
  return out;
}
