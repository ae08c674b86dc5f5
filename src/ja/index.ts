/** Public API of the Japanese-language helpers (search keys, 和暦, code lists). */

export type { CodeEntry, CodeOf } from './codeLists.ts';
export {
  caseStatuses,
  closingReasons,
  codesOf,
  consentMethods,
  givenByRelations,
  label,
  organizationFields,
  organizationKinds,
  problemTypes,
  recordClassifications,
  referralRoutes,
  relationships,
  roles,
  sexes,
  TAX_FIELD,
  teamBases,
  urgencies,
} from './codeLists.ts';
export { holidayName } from './holidays.ts';
export type { ControlCharOptions, PersonNameParts, PersonSearchKeys, QueryKeys } from './searchKeys.ts';
export {
  hasForbiddenControlChars,
  isKana,
  personSearchKeys,
  queryKeys,
  toKanaKey,
  toNameKey,
} from './searchKeys.ts';
export { foldVariants, variantTable } from './variants.ts';
export type { WarekiOptions } from './wareki.ts';
export {
  ageOn,
  fiscalYear,
  formatWareki,
  formatWarekiDateTime,
  parseWareki,
  todayInTokyo,
  toTokyoDate,
} from './wareki.ts';
