/**
 * Sub-queries for "an active consent of this person names this organization" (rule 3).
 * A consent is active from the moment it is recorded until the moment its withdrawal is
 * recorded; purposes are shown but never decide access.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** Person ids that have an active consent naming the organization: a scope sub-query. */
export function personsConsentingTo(db: Kysely<DB>, organizationId: string, taxOnly = false) {
  return db
    .selectFrom('consents as ac')
    .innerJoin('consentOrganizations as aco', 'aco.consentId', 'ac.id')
    .select('ac.personId')
    .where('aco.organizationId', '=', organizationId)
    .where('ac.withdrawnAt', 'is', null)
    .$if(taxOnly, (q) => q.where('ac.includesTaxInfo', '=', 1));
}
