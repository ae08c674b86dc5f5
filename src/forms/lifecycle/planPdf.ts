/**
 * 支援プラン (PDF, A4) in the shape of a プラン兼利用申込書: the plan's status and the meeting
 * that approved it, per member the 見立て, the goals, the actions (who does what from when,
 * reviewed when), the members withheld from this reader, and at the end the box in which the
 * person agrees to the plan and applies for the support. The export stamp is on every page
 * (rule 7).
 */
import { PLAN_STATUSES } from '../../domain/lifecycle.ts';
import { formatWareki } from '../../ja/wareki.ts';
import { clean, contentWidth, ensureSpace, heading, paragraph, toBuffer, warekiWithWeekday } from '../meetings/pdf.ts';
import { type Column, commonFacts, type Fact, frame, NOT_RECORDED, openForm, subheading, tableOrNone, withheldSection } from './assessmentPdf.ts';
import type { PlanFormData } from './types.ts';

type Doc = PDFKit.PDFDocument;

export const PLAN_CONSENT_SENTENCE = '上記のプランに同意し、関係機関による支援の利用を申し込みます。';

/** 作成中 / 承認待ち / 承認済み / 改訂済み; an unknown code is printed as it is. */
export function planStatusLabel(status: string): string {
  return PLAN_STATUSES.find((s) => s.code === status)?.ja ?? clean(status);
}

/** The person's agreement and application: date and signature lines to fill in by hand. */
function consentBox(doc: Doc, planName: string): void {
  const x = doc.page.margins.left;
  const w = contentWidth(doc);
  const pad = 12;
  const boxH = 136;
  doc.moveDown(1);
  ensureSpace(doc, boxH + 8);
  const y0 = doc.y;
  doc.rect(x, y0, w, boxH).lineWidth(1).strokeColor('#000000').stroke();
  doc
    .fontSize(11)
    .fillColor('#000000')
    .text(`本人（申込者）の同意・利用申込（${clean(planName)}）`, x + pad, y0 + pad, { width: w - pad * 2 });
  doc.moveDown(0.5);
  doc.fontSize(10.5).text(PLAN_CONSENT_SENTENCE, x + pad, doc.y, { width: w - pad * 2 });
  doc.moveDown(1);
  doc.text('　　　　年　　　月　　　日', x + pad, doc.y, { width: w - pad * 2, align: 'right' });
  doc.moveDown(0.9);
  doc.text('氏名　＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿', x + pad, doc.y, { width: w - pad * 2, align: 'right' });
  doc.moveDown(0.9);
  doc
    .fontSize(9.5)
    .text('（代理人が記入する場合）氏名　＿＿＿＿＿＿＿＿＿＿　本人との関係　＿＿＿＿＿＿', x + pad, doc.y, { width: w - pad * 2, align: 'right' });
  doc.x = x;
  doc.y = y0 + boxH + 4;
  doc.fontSize(10.5);
}

/** The common facts, then the plan's status and its approval. */
export function planFacts(data: PlanFormData): Fact[] {
  const [household, caseId, version, ...authored] = commonFacts(data);
  const approval: Fact[] = data.approval
    ? [
        ['承認した会議', data.approval.meetingTitle],
        ['会議の開催日', warekiWithWeekday(data.approval.meetingStartsAt)],
        ['承認日', formatWareki(data.approval.approvedAt)],
        ['承認者', data.approval.approvedBy],
      ]
    : [['承認', '未承認（会議での承認前）']];
  return [household, caseId, version, ['状態', planStatusLabel(data.status)], ...authored, ...approval] as Fact[];
}

export const GOAL_COLUMNS: Column[] = [
  { header: '番号', share: 0.1 },
  { header: '対象', share: 0.2 },
  { header: '目標', share: 0.7 },
];

const goalLabel = (i: number): string => `目標${i + 1}`;
const whom = (personName: string | null): string => personName ?? '世帯全体';

export function goalRows(data: PlanFormData): string[][] {
  return data.goals.map((g, i) => [goalLabel(i), whom(g.personName), g.text]);
}

export const ACTION_COLUMNS: Column[] = [
  { header: '目標', share: 0.08 },
  { header: '支援内容', share: 0.29 },
  { header: '対象', share: 0.1 },
  { header: '担当機関', share: 0.17 },
  // wide enough for 令和10年12月31日 on one line
  { header: '開始日', share: 0.18 },
  { header: '見直し日', share: 0.18 },
];

/** One row per action; its goal by number (目標2), 「—」 when it has none. */
export function actionRows(data: PlanFormData): string[][] {
  const goalOf = new Map(data.goals.map((g, i) => [g.key, goalLabel(i)]));
  return data.actions.map((a) => [
    (a.goalKey && goalOf.get(a.goalKey)) || '—',
    a.text,
    whom(a.personName),
    a.organizationName,
    formatWareki(a.startOn),
    formatWareki(a.reviewOn),
  ]);
}

export async function renderPlanPdf(data: PlanFormData): Promise<Buffer> {
  const doc = openForm({
    documentName: '支援プラン（プラン兼利用申込書）',
    subject: '支援プラン',
    stamp: data.stamp,
    householdName: data.householdName,
    facts: planFacts(data),
  });

  heading(doc, '支援の見立て', 12);
  if (data.members.length === 0) paragraph(doc, NOT_RECORDED, { indent: 12 });
  for (const m of data.members) {
    subheading(doc, `${m.name}（${m.relationship}）`);
    paragraph(doc, m.view, { indent: 12 });
  }
  heading(doc, '目標', 12);
  tableOrNone(doc, GOAL_COLUMNS, goalRows(data));
  heading(doc, '支援内容', 12);
  tableOrNone(doc, ACTION_COLUMNS, actionRows(data));

  withheldSection(doc, data.withheld);
  consentBox(doc, `${data.householdName} 支援プラン 第${data.version}版`);

  frame(doc, {
    runningHeader: `${data.stamp.municipalityName}　支援プラン　${data.householdName}（第${data.version}版・${planStatusLabel(data.status)}）`,
    stamp: data.stamp,
    caseId: data.caseId,
  });
  return toBuffer(doc);
}
