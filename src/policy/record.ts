/**
 * Which support records (支援記録) of a case an actor may see:
 *
 * - own work: an organization always sees the records it wrote;
 * - 通常/機微 about a person: a team organization named in that person's active consent
 *   (rule 3); case-level records (no person) once the case summary is open to it;
 * - 税情報: only its writer, or a team organization named in an active consent of that
 *   person that includes tax information (rule 4, 地方税法22条). No coordinator grant,
 *   meeting, request or break-glass opens it;
 * - break-glass (rule 8): 通常 and 機微, read-only.
 *
 * The rule is applied as a SQL scope, never by filtering in memory.
 */
import { type Kysely, sql } from 'kysely';
import type { LegalBasis } from '../audit/events.ts';
import type { DB } from '../db/schema.ts';
import { type Actor, actsForOrganization, isTaxOrganization } from './actor.ts';
import type { CaseAccess } from './case.ts';
import { personsConsentingTo } from './consentScope.ts';

export function recordsVisibleTo(db: Kysely<DB>, actor: Actor, caseId: string, access: CaseAccess | null) {
  const base = db.selectFrom('records').where('records.caseId', '=', caseId);
  if (!actsForOrganization(actor)) return base.where(sql<boolean>`1 = 0`);
  const org = actor.organizationId;
  return base.where((eb) => {
    const grounds = [eb('records.authorOrganizationId', '=', org)];
    if (access?.onTeam) {
      grounds.push(
        eb.and([eb('records.classification', '!=', 'tax'), eb('records.personId', 'in', personsConsentingTo(db, org))]),
        eb.and([eb('records.classification', '=', 'tax'), eb('records.personId', 'in', personsConsentingTo(db, org, true))]),
      );
      // Case-level records (about no one person) open once every person with a problem on
      // the case has consented naming the organization — the lead included.
      if (access.everyProblemPersonConsented) {
        grounds.push(eb.and([eb('records.classification', '!=', 'tax'), eb('records.personId', 'is', null)]));
      }
    }
    if (access?.breakGlassGrantId) grounds.push(eb('records.classification', '!=', 'tax'));
    return eb.or(grounds);
  });
}

/** The legal basis on which the actor sees one record (for the audit and the UI). */
export function recordBasis(
  actor: Actor,
  access: CaseAccess,
  record: { authorOrganizationId: string; personId: string | null; classification: string },
): LegalBasis {
  if (record.authorOrganizationId === actor.organizationId) return { ground: 'own_work' };
  const consents = record.classification === 'tax' ? access.taxConsentingPersons : access.consentingPersons;
  const consentId = record.personId ? consents.get(record.personId) : undefined;
  if (consentId) return { ground: 'consent', consentId };
  if (access.breakGlassGrantId) return { ground: 'break_glass', grantId: access.breakGlassGrantId };
  return { ground: 'team', caseId: access.caseId, teamBasis: 'summary_open' };
}

/** Rule 4: whatever the writer chose, a tax organization's records are 税情報. */
export function effectiveClassification(writerFields: readonly string[], chosen: string): string {
  return isTaxOrganization(writerFields) ? 'tax' : chosen;
}
