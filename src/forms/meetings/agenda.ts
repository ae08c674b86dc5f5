/**
 * レジュメ (agenda): the meeting header and, per case, its purpose and exactly what was tabled
 * (the case core and the records) as given — the caller has already applied the policy. Every
 * page carries 支援会議限り when the basis is statutory (rule 7), and the export stamp.
 */
import { formatWareki } from '../../ja/wareki.ts';
import { isStatutoryConfidentiality } from './legalBasis.ts';
import {
  CONSENT_LABEL,
  clauseBox,
  clean,
  createDoc,
  decoratePages,
  ensureSpace,
  heading,
  meetingHeader,
  memberList,
  paragraph,
  STATUTORY_LABEL,
  toBuffer,
} from './pdf.ts';
import type { AgendaCase, AgendaData, RecordClassification } from './types.ts';

export const CLASSIFICATION_LABELS: Readonly<Record<RecordClassification, string>> = Object.freeze({
  normal: '通常',
  sensitive: '機微',
  tax: '税情報',
});

function classificationLabel(c: RecordClassification): string {
  const label = CLASSIFICATION_LABELS[c];
  if (!label) throw new RangeError(`Unknown record classification: ${String(c)}`);
  return label;
}

function memberLine(m: { name: string; relationship: string; age?: number | null }): string {
  const parts = [clean(m.relationship).trim()].filter(Boolean);
  if (m.age != null && Number.isFinite(m.age)) parts.push(`${m.age}歳`);
  return `・${clean(m.name)}${parts.length ? `（${parts.join('、')}）` : ''}`;
}

function renderCase(doc: PDFKit.PDFDocument, c: AgendaCase, index: number): void {
  ensureSpace(doc, 120);
  heading(doc, `事例${index + 1}　${clean(c.label)}`, 13);
  paragraph(doc, `目的：${clean(c.purpose)}`);
  if (c.attention && (c.attention.overdueReviews > 0 || c.attention.stalled > 0)) {
    paragraph(doc, `要確認（モニタリング）：見直し期限を過ぎた支援 ${c.attention.overdueReviews}件、停滞・新たな課題 ${c.attention.stalled}件`, {
      color: '#b3261e',
    });
  }

  if (c.core) {
    heading(doc, '事例の概要（提出資料）', 11);
    if (c.core.summary) paragraph(doc, clean(c.core.summary), { indent: 12 });
    paragraph(doc, '世帯構成', { indent: 12, color: '#333333' });
    if (c.core.members.length === 0) paragraph(doc, '（なし）', { indent: 24 });
    for (const m of c.core.members) paragraph(doc, memberLine(m), { indent: 24 });
    paragraph(doc, '課題', { indent: 12, color: '#333333' });
    if (c.core.problems.length === 0) paragraph(doc, '（なし）', { indent: 24 });
    for (const p of c.core.problems) paragraph(doc, `・${clean(p.personName)}：${clean(p.type)}`, { indent: 24 });
    paragraph(doc, '関係機関', { indent: 12, color: '#333333' });
    paragraph(doc, c.core.organizations.length ? c.core.organizations.map(clean).join('、') : '（なし）', { indent: 24 });
  }

  heading(doc, `提出された記録（${c.records.length}件）`, 11);
  if (c.records.length === 0) paragraph(doc, '（なし）', { indent: 12 });
  for (const r of c.records) {
    ensureSpace(doc, 40);
    const who = r.personName ? `　対象者：${clean(r.personName)}` : '';
    paragraph(doc, `【${classificationLabel(r.classification)}】${clean(r.organizationName)}　${formatWareki(r.writtenAt)}${who}`, {
      indent: 12,
      color: '#333333',
    });
    paragraph(doc, clean(r.body), { indent: 24 });
    doc.moveDown(0.3);
  }
}

export async function renderAgendaPdf(data: AgendaData): Promise<Buffer> {
  const statutory = isStatutoryConfidentiality(data.legalBasis);
  const doc = createDoc({ title: `レジュメ ${data.title}`, subject: 'レジュメ', author: data.municipalityName, createdAt: data.stamp.at });

  meetingHeader(doc, data, 'レジュメ');
  memberList(doc, data.members);
  clauseBox(doc, data.legalBasis);

  heading(doc, `議題（${data.cases.length}件）`, 14);
  if (data.cases.length === 0) paragraph(doc, '（検討事例なし）', { indent: 12 });
  for (const [i, c] of data.cases.entries()) renderCase(doc, c, i);

  decoratePages(doc, {
    runningHeader: `${data.municipalityName}　レジュメ　${data.title}`,
    label: statutory ? STATUTORY_LABEL : CONSENT_LABEL,
    statutory,
    stamp: data.stamp,
    meetingId: data.meetingId,
  });
  return toBuffer(doc);
}
