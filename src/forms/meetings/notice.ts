/**
 * 開催通知 (meeting notice): readable by every invited member before they acknowledge the
 * confidentiality duty, so it carries no case content — only the NUMBER of cases (rule 5).
 * The renderer reads the fields of NoticeData by name; nothing else in its input is printed.
 */
import { isStatutoryConfidentiality } from './legalBasis.ts';
import { clauseBox, createDoc, decoratePages, field, meetingHeader, memberList, paragraph, toBuffer } from './pdf.ts';
import type { NoticeData } from './types.ts';

export async function renderNoticePdf(data: NoticeData): Promise<Buffer> {
  const caseCount = data.caseCount;
  if (!Number.isInteger(caseCount) || caseCount < 0) throw new RangeError(`caseCount must be a non-negative integer: ${String(caseCount)}`);
  const doc = createDoc({ title: `開催通知 ${data.title}`, subject: '開催通知', author: data.municipalityName, createdAt: data.stamp.at });

  meetingHeader(doc, data, '開催通知');
  field(doc, '検討事例数', `${caseCount}件`);
  paragraph(doc, '下記の構成員により上記のとおり開催しますので、ご出席ください。事例の内容は、守秘義務の確認を行った構成員が会議資料として閲覧できます。', {
    size: 9.5,
    color: '#333333',
  });
  memberList(doc, data.members);
  clauseBox(doc, data.legalBasis);

  decoratePages(doc, {
    runningHeader: `${data.municipalityName}　開催通知　${data.title}`,
    // The notice carries no tabled material: the 支援会議限り label belongs to the materials.
    label: null,
    statutory: isStatutoryConfidentiality(data.legalBasis),
    stamp: data.stamp,
    meetingId: data.meetingId,
  });
  return toBuffer(doc);
}
