/**
 * 誓約書 (written pledge) for a member without an account, signed on paper (product rule 5):
 * the meeting, the confidentiality clause of its legal basis with its article, the pledge
 * sentence and blanks for 日付・所属・氏名（署名）. It carries no case content — there is no
 * field for it, and the renderer prints only the fields of PledgeData by name.
 */
import { isStatutoryConfidentiality } from './legalBasis.ts';
import { clauseBox, contentWidth, createDoc, decoratePages, ensureSpace, meetingHeader, paragraph, toBuffer } from './pdf.ts';
import type { PledgeData } from './types.ts';

export const PLEDGE_SENTENCE = '私は、上記の守秘義務を理解し、本会議で知り得た秘密を漏らさないことを誓約します。';

/** A label and an underlined blank to write on. */
function blank(doc: PDFKit.PDFDocument, label: string, hint = ''): void {
  const x = doc.page.margins.left;
  const w = contentWidth(doc);
  ensureSpace(doc, 40);
  doc.moveDown(1.2);
  const y = doc.y;
  doc.fontSize(11).fillColor('#000000').text(label, x, y, { width: 110, lineBreak: false });
  if (hint) doc.fontSize(11).text(hint, x + 120, y, { width: w - 120, lineBreak: false });
  doc
    .moveTo(x + 110, y + 18)
    .lineTo(x + w, y + 18)
    .lineWidth(0.6)
    .strokeColor('#333333')
    .stroke();
  doc.x = x;
  doc.y = y + 24;
}

export async function renderPledgePdf(data: PledgeData): Promise<Buffer> {
  const doc = createDoc({ title: `誓約書 ${data.title}`, subject: '誓約書', author: data.municipalityName, createdAt: data.stamp.at });

  meetingHeader(doc, data, '誓約書');
  clauseBox(doc, data.legalBasis);
  doc.moveDown(0.8);
  paragraph(doc, PLEDGE_SENTENCE, { size: 11.5 });
  doc.moveDown(0.6);
  blank(doc, '日付', '令和　　　年　　　月　　　日');
  blank(doc, '所属');
  blank(doc, '氏名（署名）');
  doc.moveDown(1);
  paragraph(doc, '記入後の誓約書は、会議の事務局（総括者）に提出してください。', { size: 9, color: '#333333' });

  decoratePages(doc, {
    runningHeader: `${data.municipalityName}　誓約書　${data.title}`,
    label: null,
    statutory: isStatutoryConfidentiality(data.legalBasis),
    stamp: data.stamp,
    meetingId: data.meetingId,
  });
  return toBuffer(doc);
}
