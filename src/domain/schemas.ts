/**
 * Request schemas (zod). Every refusal names the field; messages are translated in
 * src/http/errors.ts from the issue's code and params, Japanese first.
 * Rule 10: names are 1–50 characters, kana fields kana only, no control or bidirectional
 * override characters, dates real and not in the future.
 */
import { z } from 'zod';
import { hasForbiddenControlChars, isKana, todayInTokyo } from '../ja/index.ts';
import { ROLES } from '../policy/actor.ts';
import { CONSENT_METHODS, GIVEN_BY_RELATIONS, RECORD_CLASSIFICATIONS, SEXES, TEAM_BASES, URGENCIES } from './glossary.ts';

const codePoints = (s: string) => [...s].length;

/** Text of `min`–`max` characters (counted as a person counts them: 𠮷 is one). */
export function text(min: number, max: number, opts: { multiline?: boolean } = {}) {
  return z.string().superRefine((s, ctx) => {
    if (hasForbiddenControlChars(s, { allowNewlines: opts.multiline === true })) {
      ctx.addIssue({ code: 'custom', params: { rule: 'control_chars' } });
      return;
    }
    const n = codePoints(s);
    if (n < min || s.trim().length === 0) ctx.addIssue({ code: 'custom', params: { rule: 'required_text', min } });
    else if (n > max) ctx.addIssue({ code: 'custom', params: { rule: 'too_long', max } });
  });
}

const kana = (max: number) =>
  text(1, max).superRefine((s, ctx) => {
    if (!isKana(s)) ctx.addIssue({ code: 'custom', params: { rule: 'kana_only' } });
  });

const isRealDate = (s: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
};

/** A real YYYY-MM-DD Japan date, not after today in Asia/Tokyo. */
export const pastDate = z.string().superRefine((s, ctx) => {
  if (!isRealDate(s)) ctx.addIssue({ code: 'custom', params: { rule: 'date' } });
  else if (s > todayInTokyo()) ctx.addIssue({ code: 'custom', params: { rule: 'future_date' } });
});

export const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9A-Za-z_-]+$/);

/**
 * A string that is matched rather than stored as text (a login id, search words): any length
 * from `min` to `max`, but no control or bidirectional-override characters either —
 * PostgreSQL cannot even compare a NUL.
 */
function matchable(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .superRefine((s, ctx) => {
      if (hasForbiddenControlChars(s)) ctx.addIssue({ code: 'custom', params: { rule: 'control_chars' } });
    });
}

export const LoginBody = z.object({ loginId: matchable(1, 100), password: z.string().min(1).max(1000), totp: z.string().max(12).optional() });

export const OrganizationCreateBody = z.object({
  name: text(1, 100),
  kind: text(1, 50),
  fields: z.array(text(1, 50)).max(30).optional(),
  area: text(1, 100).optional(),
});

export const PASSWORD_MIN = 12;
export const UserCreateBody = z.object({
  loginId: z.string().regex(/^[A-Za-z0-9._@-]{2,64}$/),
  displayName: text(1, 50),
  organizationId: id,
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
  password: z.string().min(PASSWORD_MIN).max(200),
});
export const UserRolesBody = z.object({ roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length) });

export const PersonCreateBody = z.object({
  familyName: text(1, 50),
  givenName: text(1, 50),
  familyNameKana: kana(50),
  givenNameKana: kana(50),
  birthDate: pastDate.optional(),
  sex: z.enum(SEXES).optional(),
  address: text(1, 200).optional(),
  /** A deceased relative still drawn in the genogram (crossed). */
  deceasedOn: pastDate.optional(),
});

export const PersonSearchQuery = z.object({
  q: matchable(0, 100).optional(),
  birthDate: pastDate.optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const HouseholdCreateBody = z.object({
  name: text(1, 100).optional(),
  address: text(1, 200).optional(),
  members: z
    .array(
      z.object({
        personId: id,
        relationship: text(1, 30),
        livesTogether: z.boolean().optional(),
        keyPerson: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(30),
});

export const CaseCreateBody = z.object({
  householdId: id,
  leadOrganizationId: id,
  referralRoute: text(1, 100),
  summary: text(1, 4000, { multiline: true }),
  urgency: z.enum(URGENCIES).optional(),
  problems: z.array(z.object({ personId: id, type: text(1, 50), note: text(1, 1000, { multiline: true }).optional() })).max(100),
  /** Agencies already involved at intake; those added later are marked (新) like the seed's charts. */
  team: z
    .array(z.object({ organizationId: id, basis: z.enum(TEAM_BASES).optional() }))
    .max(50)
    .optional(),
});

export const CaseListQuery = z.object({
  status: z.enum(['intake', 'assessment', 'planning', 'in_support', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const TeamAddBody = z.object({ organizationId: id, basis: z.enum(TEAM_BASES).optional() });

export const StatusBody = z.object({
  to: z.enum(['intake', 'assessment', 'planning', 'in_support', 'closed']),
  reason: text(1, 100).optional(),
  note: text(1, 2000, { multiline: true }).optional(),
});

export const BreakGlassBody = z.object({ reason: text(1, 1000, { multiline: true }), hours: z.number().int().min(1).max(24).optional() });

export const ConsentCreateBody = z.object({
  obtainedOn: pastDate,
  method: z.enum(CONSENT_METHODS),
  givenBy: z.object({ relation: z.enum(GIVEN_BY_RELATIONS), name: text(1, 50).optional() }).optional(),
  organizationIds: z.array(id).min(1).max(100),
  purposes: z.array(text(1, 200)).max(20).optional(),
  includesTaxInfo: z.boolean(),
});

export const ConsentWithdrawBody = z.object({ withdrawnOn: pastDate });

export const RecordCreateBody = z
  .object({
    personId: id.optional(),
    body: text(1, 20000, { multiline: true }),
    classification: z.enum(RECORD_CLASSIFICATIONS),
  })
  .superRefine((r, ctx) => {
    if (r.classification !== 'normal' && !r.personId) ctx.addIssue({ code: 'custom', path: ['personId'], params: { rule: 'person_required' } });
  });

export const AuditQuery = z
  .object({ personId: id.optional(), caseId: id.optional(), limit: z.coerce.number().int().min(1).max(500).optional() })
  .refine((q) => q.personId || q.caseId, {
    params: { rule: 'person_or_case' },
    path: ['personId'],
  });

export const IdParams = z.object({ id });
export const TeamMemberParams = z.object({ id, organizationId: id });

/** An instant with its offset, as api.md's times are (2026-12-03T14:00:00+09:00). */
export const instant = z.string().superRefine((s, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(s) || Number.isNaN(Date.parse(s))) {
    ctx.addIssue({ code: 'custom', params: { rule: 'instant' } });
  }
});

/** A real YYYY-MM-DD date (past or future: due dates lie ahead). */
export const anyDate = z.string().superRefine((s, ctx) => {
  if (!isRealDate(s)) ctx.addIssue({ code: 'custom', params: { rule: 'date' } });
});

const LEGAL_BASIS = z.union([
  z.enum(['art106-6', 'consent']),
  z.enum(['designated:support-coordination', 'designated:community-care', 'designated:independence-council', 'designated:child-protection']),
]);

export const MeetingCreateBody = z.object({
  kind: z.enum(['support', 'multilayer', 'case_conference']),
  title: text(1, 200),
  startsAt: instant,
  chairUserId: id,
  memberUserIds: z.array(id).max(100),
  caseIds: z.array(id).max(50),
  legalBasis: LEGAL_BASIS.optional(),
  purposes: z.record(id, text(1, 1000, { multiline: true })).optional(),
  materialsCloseDays: z.number().int().min(0).max(90).optional(),
  place: text(1, 200).optional(),
  online: z.boolean().optional(),
  /** A regular series (定例): this meeting and the next ones at the same time. */
  recurrence: z.object({ frequency: z.enum(['weekly', 'monthly']), count: z.number().int().min(2).max(24) }).optional(),
});

export const MeetingMemberBody = z.object({ userId: id });
export const MeetingMemberParams = z.object({ id, userId: id });
export const MeetingCaseParams = z.object({ id, caseId: id });
export const MeetingCaseExclusionParams = z.object({ id, caseId: id, userId: id });
export const MeetingCaseExclusionBody = z.object({ userId: id });
export const MeetingCaseBody = z.object({ caseId: id, purpose: text(1, 1000, { multiline: true }) });
export const MeetingTableBody = z.object({ caseId: id, recordIds: z.array(id).min(1).max(200) });
export const MeetingMinutesBody = z.object({
  body: text(1, 50000, { multiline: true }),
  decisions: z
    .array(text(1, 2000, { multiline: true }))
    .max(100)
    .optional(),
  attendeeUserIds: z.array(id).max(200).optional(),
});
export const AssignmentBody = z.object({ caseId: id, organizationId: id, task: text(1, 2000, { multiline: true }), dueOn: anyDate.optional() });
export const TaskStatusBody = z.object({ status: z.enum(['open', 'in_progress', 'done']) });

export const InformationRequestBody = z.object({
  caseId: id,
  personId: id.optional(),
  organizationId: id,
  request: text(1, 4000, { multiline: true }),
  dueOn: anyDate.optional(),
});
export const InformationAnswerBody = z.object({ answer: text(1, 20000, { multiline: true }) });
export const HonorariumBody = z.object({ userId: id, amountYen: z.number().int().min(0).max(10_000_000), paidOn: pastDate.optional() });
export const HonorariaQuery = z.object({ from: anyDate.optional(), to: anyDate.optional() });

export const ConveningRequestBody = z.object({
  caseId: id,
  consulted: text(1, 4000, { multiline: true }),
  involvedOrganizationIds: z.array(id).max(50),
  neededOrganizationIds: z.array(id).max(50),
  urgency: z.enum(URGENCIES).optional(),
});
export const ConveningForwardBody = z.object({ chairUserId: id });
