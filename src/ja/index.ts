/** Public API of the Japanese-language helpers (search keys, 和暦, code lists). */
export { foldVariants, variantTable } from './variants.ts';
export {
  toKanaKey,
  toNameKey,
  isKana,
  personSearchKeys,
  queryKeys,
  hasForbiddenControlChars,
} from './searchKeys.ts';
export type { PersonNameParts, PersonSearchKeys, QueryKeys, ControlCharOptions } from './searchKeys.ts';
export {
  formatWareki,
  formatWarekiDateTime,
  todayInTokyo,
  toTokyoDate,
  ageOn,
  fiscalYear,
  parseWareki,
} from './wareki.ts';
export type { WarekiOptions } from './wareki.ts';
export {
  organizationKinds,
  organizationFields,
  problemTypes,
  relationships,
  referralRoutes,
  closingReasons,
  caseStatuses,
  urgencies,
  consentMethods,
  givenByRelations,
  recordClassifications,
  roles,
  teamBases,
  sexes,
  TAX_FIELD,
  label,
  codesOf,
} from './codeLists.ts';
export type { CodeEntry, CodeOf } from './codeLists.ts';
