/**
 * Assembles what one actor may see of a case from the policy's CaseAccess: every part is
 * loaded only when the access says so, and every withheld part carries its reason.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { nowIso } from '../lib/clock.ts';
import type { Actor } from '../policy/actor.ts';
import { type CaseAccess, caseAbilities } from '../policy/case.ts';
import type { Lang } from './messages.ts';
import { presentConsent } from './presenters.ts';
import { caseTeamQuery, householdMembersQuery } from './queries.ts';

const WITHHELD_TEXT: Record<string, { ja: string; en: string }> = {
  consent_missing: {
    ja: '本人同意（貴機関を対象とするもの）がないため表示していません。共有には本人同意、または支援会議（社会福祉法106条の6）が必要です。',
    en: 'Hidden: no active consent names your organization. Sharing needs consent or a support meeting (Social Welfare Act art. 106-6).',
  },
  not_lead: {
    ja: '世帯の詳しい構成は主担当機関だけが見られます。',
    en: 'The household composition is visible to the lead organization only.',
  },
  index_only: {
    ja: '推進員のケース索引として表示しています。内容は支援チームに加わるか、緊急時の閲覧によってのみ見られます。',
    en: "Shown as the coordinator's case index. Content needs team membership or break-glass.",
  },
};

export async function buildCaseView(db: Kysely<DB>, actor: Actor, access: CaseAccess, lang: Lang) {
  const kase = await db
    .selectFrom('cases')
    .innerJoin('households', 'households.id', 'cases.householdId')
    .innerJoin('organizations', 'organizations.id', 'cases.leadOrganizationId')
    .select([
      'cases.id',
      'cases.householdId',
      'households.name as householdName',
      'cases.status',
      'cases.urgency',
      'cases.openedAt',
      'cases.closingReason',
      'cases.summary',
      'cases.referralRoute',
      'cases.leadOrganizationId',
      'organizations.name as leadOrganizationName',
    ])
    .where('cases.id', '=', access.caseId)
    .executeTakeFirstOrThrow();
  const team = await caseTeamQuery(db, kase.id).execute();
  const withheld = access.withheld.map((w) => ({ ...w, message: WITHHELD_TEXT[w.reason]?.[lang] ?? '' }));
  // The coordinator's index shows when the case is next discussed (rule 1).
  const next = await db
    .selectFrom('meetingCases as mc')
    .innerJoin('meetings as m', 'm.id', 'mc.meetingId')
    .select((eb) => eb.fn.min('m.startsAt').as('startsAt'))
    .where('mc.caseId', '=', kase.id)
    .where('m.startsAt', '>=', nowIso())
    .executeTakeFirst();
  const header = {
    id: kase.id,
    householdId: kase.householdId,
    householdName: kase.householdName,
    status: kase.status,
    urgency: kase.urgency,
    openedAt: kase.openedAt,
    closingReason: kase.closingReason,
    view: access.view,
    leadOrganization: { id: kase.leadOrganizationId, name: kase.leadOrganizationName },
    // (新): organizations the lead or coordinator brought in after intake.
    team: team.map((t) => ({ ...t, addedLater: t.basis !== 'lead' && t.joinedAt > kase.openedAt })),
    nextMeetingAt: next?.startsAt ?? null,
    withheld,
    basis: access.bases,
    abilities: {
      ...caseAbilities(actor, access),
      // The lifecycle (src/policy/lifecycle.ts): the lead assembles it, team organizations monitor their actions.
      editAssessment: access.isLead,
      editPlan: access.isLead,
      terminate: access.isLead,
      requestAdvice: access.isLead,
      monitor: access.onTeam,
    },
  };
  if (access.view === 'index') return { view: header, personIds: [] as string[] };
  // Header: the tasks (役割分担) assigned to the viewer's own organization.
  const tasks = await db
    .selectFrom('tasks')
    .select(['id', 'meetingId', 'task', 'dueOn', 'status'])
    .where('caseId', '=', kase.id)
    .where('organizationId', '=', actor.organizationId)
    .orderBy('createdAt')
    .execute();

  const members = await householdMembersQuery(db, kase.householdId).execute();
  const personIds = members.map((m) => m.personId);
  const consents = personIds.length ? await db.selectFrom('consents').selectAll().where('personId', 'in', personIds).orderBy('createdAt').execute() : [];
  const consentOrgs = consents.length
    ? await db
        .selectFrom('consentOrganizations')
        .selectAll()
        .where(
          'consentId',
          'in',
          consents.map((c) => c.id),
        )
        .execute()
    : [];
  const orgNames = new Map((await db.selectFrom('organizations').select(['id', 'name']).execute()).map((o) => [o.id, o.name]));
  const problems = await db.selectFrom('caseProblems').select(['id', 'personId', 'type', 'note']).where('caseId', '=', kase.id).orderBy('position').execute();
  const history = await db
    .selectFrom('caseStatusChanges as s')
    .innerJoin('users as u', 'u.id', 's.changedByUserId')
    .select(['s.fromStatus as from', 's.toStatus as to', 's.reason', 's.note', 's.changedAt', 'u.displayName as changedBy'])
    .where('s.caseId', '=', kase.id)
    .orderBy('s.changedAt')
    .execute();
  const glass = access.breakGlassGrantId
    ? await db.selectFrom('breakGlassGrants').select(['id', 'expiresAt']).where('id', '=', access.breakGlassGrantId).executeTakeFirst()
    : undefined;

  const view = {
    ...header,
    members: members.map((m) => {
      const own = consents.filter((c) => c.personId === m.personId);
      const state = own.some((c) => c.withdrawnAt === null) ? 'active' : own.length > 0 ? 'withdrawn' : 'none';
      return {
        personId: m.personId,
        familyName: m.familyName,
        givenName: m.givenName,
        familyNameKana: m.familyNameKana,
        givenNameKana: m.givenNameKana,
        birthDate: m.birthDate,
        relationship: m.relationship,
        ...(access.seesComposition ? { livesTogether: m.livesTogether === 1, keyPerson: m.keyPerson === 1 } : {}),
        consent: {
          state,
          consents: own.map((c) => {
            const named = consentOrgs.filter((o) => o.consentId === c.id).map((o) => o.organizationId);
            const details =
              access.isLead || !!access.breakGlassGrantId || c.recordedByOrganizationId === actor.organizationId || named.includes(actor.organizationId);
            return presentConsent(c, named, orgNames, { details });
          }),
        },
      };
    }),
    tasks,
    problems: problems.filter((p) => access.problemPersonIds.has(p.personId)),
    ...(access.seesSummary ? { summary: kase.summary, referralRoute: kase.referralRoute } : {}),
    // A status note is case content the lead wrote: it opens with the summary (the move itself is header).
    statusHistory: access.seesSummary ? history : history.map(({ note: _, ...h }) => h),
    ...(glass ? { breakGlass: { grantId: glass.id, expiresAt: glass.expiresAt, readOnly: true } } : {}),
  };
  return { view, personIds };
}
