/**
 * Assembles what one actor may see of a case from the policy's CaseAccess: every part is
 * loaded only when the access says so, and every withheld part carries its reason.
 */
import type { Kysely, Selectable } from 'kysely';
import { prepareQuery } from '../db/prepared.ts';
import type { ConsentTable, DB } from '../db/schema.ts';
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

// The statements of a case view, built once (src/db/prepared.ts): a case is the most read page.

/** The header with the lead's name and when the case is next discussed (the coordinator's index shows it, rule 1). */
const caseHeader = prepareQuery(['caseId', 'now'], (db, a: { caseId: string; now: string }) =>
  db
    .selectFrom('cases')
    .innerJoin('households', 'households.id', 'cases.householdId')
    .innerJoin('organizations', 'organizations.id', 'cases.leadOrganizationId')
    .select((eb) => [
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
      eb
        .selectFrom('meetingCases as mc')
        .innerJoin('meetings as m', 'm.id', 'mc.meetingId')
        .select((e) => e.fn.min('m.startsAt').as('startsAt'))
        .where('mc.caseId', '=', a.caseId)
        .where('m.startsAt', '>=', a.now)
        .as('nextMeetingAt'),
    ])
    .where('cases.id', '=', a.caseId),
);
const caseTeam = prepareQuery(['caseId'], (db, a: { caseId: string }) => caseTeamQuery(db, a.caseId));
const householdMembers = prepareQuery(['householdId'], (db, a: { householdId: string }) => householdMembersQuery(db, a.householdId));
/** The tasks (役割分担) assigned to the viewer's own organization. */
const ownTasks = prepareQuery(['caseId', 'organizationId'], (db, a: { caseId: string; organizationId: string }) =>
  db
    .selectFrom('tasks')
    .select(['id', 'meetingId', 'task', 'dueOn', 'status'])
    .where('caseId', '=', a.caseId)
    .where('organizationId', '=', a.organizationId)
    .orderBy('createdAt'),
);
/** Every consent of the household's members with the organizations it names and their names. */
const householdConsents = prepareQuery(['householdId'], (db, a: { householdId: string }) =>
  db
    .selectFrom('consents as c')
    .innerJoin('householdMembers as hm', 'hm.personId', 'c.personId')
    .leftJoin('consentOrganizations as co', 'co.consentId', 'c.id')
    .leftJoin('organizations as o', 'o.id', 'co.organizationId')
    .selectAll('c')
    .select(['co.organizationId as namedOrganizationId', 'o.name as namedOrganizationName'])
    .where('hm.householdId', '=', a.householdId)
    .orderBy('c.createdAt')
    .orderBy('c.id')
    .orderBy('co.organizationId'),
);
const caseProblems = prepareQuery(['caseId'], (db, a: { caseId: string }) =>
  db.selectFrom('caseProblems').select(['id', 'personId', 'type', 'note']).where('caseId', '=', a.caseId).orderBy('position'),
);
const statusHistory = prepareQuery(['caseId'], (db, a: { caseId: string }) =>
  db
    .selectFrom('caseStatusChanges as s')
    .innerJoin('users as u', 'u.id', 's.changedByUserId')
    .select(['s.fromStatus as from', 's.toStatus as to', 's.reason', 's.note', 's.changedAt', 'u.displayName as changedBy'])
    .where('s.caseId', '=', a.caseId)
    .orderBy('s.changedAt'),
);

export async function buildCaseView(db: Kysely<DB>, actor: Actor, access: CaseAccess, lang: Lang) {
  const kase = (await caseHeader.first(db, { caseId: access.caseId, now: nowIso() }))!;
  const team = await caseTeam.all(db, { caseId: kase.id });
  const withheld = access.withheld.map((w) => ({ ...w, message: WITHHELD_TEXT[w.reason]?.[lang] ?? '' }));
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
    nextMeetingAt: kase.nextMeetingAt ?? null,
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
  const tasks = await ownTasks.all(db, { caseId: kase.id, organizationId: actor.organizationId });
  const members = await householdMembers.all(db, { householdId: kase.householdId });
  const personIds = members.map((m) => m.personId);
  const consentRows = await householdConsents.all(db, { householdId: kase.householdId });
  const consents = new Map<string, { consent: Selectable<ConsentTable>; named: string[] }>();
  const orgNames = new Map<string, string>();
  for (const { namedOrganizationId, namedOrganizationName, ...consent } of consentRows) {
    const entry = consents.get(consent.id) ?? consents.set(consent.id, { consent, named: [] }).get(consent.id)!;
    if (namedOrganizationId !== null) {
      entry.named.push(namedOrganizationId);
      orgNames.set(namedOrganizationId, namedOrganizationName ?? namedOrganizationId);
    }
  }
  const problems = await caseProblems.all(db, { caseId: kase.id });
  const history = await statusHistory.all(db, { caseId: kase.id });
  const glass = access.breakGlassGrantId
    ? await db.selectFrom('breakGlassGrants').select(['id', 'expiresAt']).where('id', '=', access.breakGlassGrantId).executeTakeFirst()
    : undefined;

  const view = {
    ...header,
    members: members.map((m) => {
      const own = [...consents.values()].filter((c) => c.consent.personId === m.personId).map((c) => c.consent);
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
            const named = consents.get(c.id)!.named;
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
