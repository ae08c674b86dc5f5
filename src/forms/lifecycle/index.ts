/**
 * Lifecycle printables: pure renderers (data in, SVG text / PDF or xlsx bytes out) for the
 * 家族構成図, the エコマップ, the アセスメントシート and the 支援プラン. The routes pass only what
 * the reader may see (rule 1) and log FORM_EXPORTED; nothing here reads the database.
 */
export { AUDIT_NOTE, HANDLING_LABEL, renderAssessmentPdf, stampLine } from './assessmentPdf.ts';
export { ECOMAP_RELATIONS, renderEcomap } from './ecomap.ts';
export { COMPOSITION_HIDDEN_NOTE, renderGenogram } from './genogram.ts';
export { PLAN_CONSENT_SENTENCE, planStatusLabel, renderPlanPdf } from './planPdf.ts';
export type * from './types.ts';
export { assessmentWorkbook, planWorkbook, XLSX_CONTENT_TYPE } from './xlsx.ts';

/** Content types for the routes. */
export const SVG_CONTENT_TYPE = 'image/svg+xml; charset=utf-8';
export const PDF_CONTENT_TYPE = 'application/pdf';
