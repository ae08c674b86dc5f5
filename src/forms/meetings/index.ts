/** Meeting documents: pure renderers (data in, PDF bytes out) and the legal bases they cite. */
export { CLASSIFICATION_LABELS, renderAgendaPdf } from './agenda.ts';
export {
  type ClauseLang,
  type ConfidentialityClause,
  confidentialityClause,
  isKnownLegalBasis,
  isStatutoryConfidentiality,
  MEETING_LEGAL_BASES,
  MEETING_LEGAL_BASIS_CODES,
  type MeetingLegalBasis,
  meetingLegalBasis,
} from './legalBasis.ts';
export { renderNoticePdf } from './notice.ts';
export { CONSENT_LABEL, kindLabel, meetingDateTime, STATUTORY_LABEL } from './pdf.ts';
export { PLEDGE_SENTENCE, renderPledgePdf } from './pledge.ts';
export type * from './types.ts';
