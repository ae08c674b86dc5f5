/**
 * アセスメントシート (PDF, A4): the household's assessment as the reader may see it — per member
 * the domains that have text, the household part (key person, who supports whom, 「誰かが倒れ
 * たら」, strengths), and the members withheld from this reader with the reason. Every page
 * carries the export stamp, who and when (rule 7).
 *
 * The page frame, the title block and the paginating table are exported for the plan form
 * (planPdf.ts); the document itself, its font and the label/value rows come from the meeting
 * documents (../meetings/pdf.ts).
 */
import { ASSESSMENT_DOMAINS } from '../../domain/lifecycle.ts';
import { ageOn, formatWareki, formatWarekiDateTime, toTokyoDate } from '../../ja/wareki.ts';
import { clean, contentWidth, createDoc, ensureSpace, field, heading, paragraph, toBuffer, warekiWithWeekday } from '../meetings/pdf.ts';
import type { AssessmentFormData, ExportStamp } from './types.ts';

type Doc = PDFKit.PDFDocument;

/** Printed at the top right of every page: the forms carry personal information. */
export const HANDLING_LABEL = '取扱注意（個人情報）';

/** The export stamp as one line (rule 7): 出力者：… 出力日時：令和8年4月1日 09:30 */
export function stampLine(stamp: ExportStamp): string {
  return `出力者：${clean(stamp.exportedBy).replace(/\s*\n\s*/gu, ' ')}　出力日時：${formatWarekiDateTime(stamp.exportedAt)}`;
}

export const AUDIT_NOTE = 'この文書の出力は監査ログに記録されています。';

/** Date of birth in 和暦 with the age on `on` (a Japan date or an instant). */
export function birthAndAge(birthDate: string | null, on: string): string {
  if (!birthDate) return '不明';
  const day = toTokyoDate(on);
  return day >= birthDate ? `${formatWareki(birthDate)}（${ageOn(birthDate, day)}歳）` : formatWareki(birthDate);
}

/** Municipality, the document's name and the household, centred, at the top of page 1. */
export function titleBlock(doc: Doc, municipalityName: string, documentName: string, householdName: string): void {
  const x = doc.page.margins.left;
  const w = contentWidth(doc);
  doc.fontSize(11).fillColor('#000000').text(clean(municipalityName), x, doc.y, { width: w, align: 'right' });
  doc.moveDown(0.4);
  doc.fontSize(18).text(documentName, x, doc.y, { width: w, align: 'center' });
  doc.moveDown(0.2);
  doc.fontSize(14).text(clean(householdName), x, doc.y, { width: w, align: 'center' });
  doc.moveDown(0.8);
  doc.fontSize(10.5);
}

/** A small heading for one member or one part inside a section. */
export function subheading(doc: Doc, text: string): void {
  ensureSpace(doc, 48);
  doc.moveDown(0.5);
  doc
    .fontSize(11.5)
    .fillColor('#000000')
    .text(`■ ${clean(text)}`, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.2);
  doc.fontSize(10.5);
}

export interface Column {
  header: string;
  /** Share of the content width; the shares of a table add up to 1. */
  share: number;
}

const CELL_PAD = 4;
const TABLE_SIZE = 9;
const CELL_TEXT = { lineGap: 1 } as const;

/** The longest prefix of `text` (in code points) whose height in `width` is at most `maxH`. */
function splitToFit(doc: Doc, text: string, width: number, maxH: number): [string, string] {
  const chars = Array.from(text);
  if (doc.heightOfString(text || ' ', { ...CELL_TEXT, width }) <= maxH) return [text, ''];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.heightOfString(chars.slice(0, mid).join(''), { ...CELL_TEXT, width }) <= maxH) lo = mid;
    else hi = mid - 1;
  }
  return [chars.slice(0, lo).join(''), chars.slice(lo).join('').replace(/^\n+/u, '')];
}

/**
 * A ruled table whose header row repeats on every page it runs onto. A row that does not fit
 * the rest of the page moves to the next one; a row taller than a whole page is split, each
 * cell continuing where it stopped — nothing is cut off.
 */
export function table(doc: Doc, columns: Column[], rows: string[][]): void {
  const x0 = doc.page.margins.left;
  const widths = columns.map((c) => c.share * contentWidth(doc));
  const inner = (i: number): number => (widths[i] ?? 0) - CELL_PAD * 2;
  const heightOf = (cells: string[]): number =>
    Math.max(...columns.map((_, i) => doc.fontSize(TABLE_SIZE).heightOfString(cells[i] || ' ', { ...CELL_TEXT, width: inner(i) }))) + CELL_PAD * 2;
  const draw = (cells: string[], h: number, header: boolean): void => {
    const y = doc.y;
    let x = x0;
    columns.forEach((_, i) => {
      const w = widths[i] ?? 0;
      doc.rect(x, y, w, h).lineWidth(0.5);
      if (header) doc.fillAndStroke('#eeeeee', '#666666');
      else doc.strokeColor('#666666').stroke();
      // `height` keeps pdfkit from ever starting a page inside a cell.
      doc
        .fontSize(TABLE_SIZE)
        .fillColor('#000000')
        .text(cells[i] ?? '', x + CELL_PAD, y + CELL_PAD, { ...CELL_TEXT, width: inner(i), height: h });
      x += w;
    });
    doc.x = x0;
    doc.y = y + h;
  };
  const headerCells = columns.map((c) => c.header);
  const header = (): void => draw(headerCells, heightOf(headerCells), true);
  const room = (): number => doc.page.maxY() - doc.y;
  const nextPage = (): void => {
    doc.addPage();
    header();
  };

  ensureSpace(doc, heightOf(headerCells) + 40);
  header();
  for (const row of rows) {
    let cells = row.map((c) => clean(c));
    for (let guard = 0; guard < 500; guard++) {
      const h = heightOf(cells);
      if (h <= room()) {
        draw(cells, h, false);
        break;
      }
      const fresh = doc.page.maxY() - doc.page.margins.top - heightOf(headerCells);
      if (h <= fresh || room() < 60) {
        nextPage();
        continue;
      }
      const avail = room() - CELL_PAD * 2 - 1;
      const parts = cells.map((c, i) => splitToFit(doc.fontSize(TABLE_SIZE), c, inner(i), avail));
      draw(
        parts.map((p) => p[0]),
        room(),
        false,
      );
      cells = parts.map((p) => p[1]);
      nextPage();
    }
  }
  doc.fontSize(10.5).fillColor('#000000');
  doc.moveDown(0.4);
}

export interface Frame {
  /** Top left of every page: municipality, form and household. */
  runningHeader: string;
  stamp: ExportStamp;
  caseId: string;
}

const NO_MARGINS = { top: 0, bottom: 0, left: 0, right: 0 };

/**
 * Running header, 取扱注意 label and the export stamp (rule 7) on every buffered page, drawn
 * with the page's margins lifted (and restored even if drawing fails), so that nothing here
 * can start a new page.
 */
export function frame(doc: Doc, fr: Frame): void {
  const { start, count } = doc.bufferedPageRange();
  const stamp = stampLine(fr.stamp);
  for (let n = 1; n <= count; n++) {
    doc.switchToPage(start + n - 1);
    const { width, height, margins } = doc.page;
    const x = margins.left;
    const w = width - margins.left - margins.right;
    const foot = height - 66;
    const one = { lineBreak: false, ellipsis: true } as const;
    // text, size, colour, x, y, options
    const texts: [string, number, string, number, number, PDFKit.Mixins.TextOptions][] = [
      [clean(fr.runningHeader), 8.5, '#555555', x, 36, { ...one, width: w - 120, height: 12 }],
      [HANDLING_LABEL, 8.5, '#b00020', x + w - 116, 36, { ...one, width: 116, align: 'right' }],
      [stamp, 8.5, '#000000', x, foot + 5, { width: w, height: 24, ellipsis: true }],
      [`ケースID：${clean(fr.caseId)}　${AUDIT_NOTE}`, 7.5, '#555555', x, foot + 31, { ...one, width: w - 70, height: 11 }],
      [`${n} / ${count}`, 8.5, '#000000', x + w - 70, foot + 30, { ...one, width: 70, align: 'right' }],
    ];
    doc.page.margins = NO_MARGINS;
    try {
      for (const [text, size, colour, tx, ty, options] of texts) doc.fontSize(size).fillColor(colour).text(text, tx, ty, options);
      for (const ly of [54, foot]) doc.moveTo(x, ly).lineTo(x + w, ly);
      doc.lineWidth(0.4).strokeColor('#999999').stroke();
    } finally {
      doc.page.margins = margins;
    }
  }
  doc.fillColor('#000000');
}

export const NOT_RECORDED = '（記載なし）';

/** A table, or 「（記載なし）」 when there is no row. */
export function tableOrNone(doc: Doc, columns: Column[], rows: string[][]): void {
  if (rows.length === 0) paragraph(doc, NOT_RECORDED, { indent: 12 });
  else table(doc, columns, rows);
}

export const WITHHELD_COLUMNS: Column[] = [
  { header: '氏名', share: 0.3 },
  { header: '理由', share: 0.7 },
];

export function withheldRows(withheld: { name: string; reason: string }[]): string[][] {
  return withheld.map((w) => [w.name, w.reason]);
}

export function withheldSection(doc: Doc, withheld: { name: string; reason: string }[]): void {
  if (withheld.length === 0) return;
  heading(doc, '表示されない世帯員', 12);
  paragraph(doc, 'この出力者には次の世帯員の内容は表示されません（理由を示します）。', { size: 9.5, color: '#333333' });
  table(doc, WITHHELD_COLUMNS, withheldRows(withheld));
}

/** A label and its value, printed as a row of the form's header (PDF) or of a sheet (xlsx). */
export type Fact = [label: string, value: string];

/** The facts every lifecycle form starts with. */
export function commonFacts(d: { householdName: string; caseId: string; version: number; authoredBy: string; authoredAt: string }): Fact[] {
  return [
    ['世帯', d.householdName],
    ['ケースID', d.caseId],
    ['版', `第${d.version}版`],
    ['作成者', d.authoredBy],
    ['作成日', warekiWithWeekday(d.authoredAt)],
  ];
}

/** A new A4 document with its title block and facts; `frame` it once the body is written. */
export function openForm(f: { documentName: string; subject: string; stamp: ExportStamp; householdName: string; facts: Fact[] }): Doc {
  const doc = createDoc({ title: `${f.subject} ${f.householdName}`, subject: f.subject, author: f.stamp.municipalityName, createdAt: f.stamp.exportedAt });
  titleBlock(doc, f.stamp.municipalityName, f.documentName, f.householdName);
  for (const [label, value] of f.facts) field(doc, label, value);
  return doc;
}

const present = (s: string | null | undefined): s is string => clean(s).trim() !== '';

export const DOMAIN_COLUMNS: Column[] = [
  { header: '分野', share: 0.24 },
  { header: '内容', share: 0.76 },
];

/** The domains of one member that have text, in the order of the national sheets, then the note. */
export function domainRows(m: AssessmentFormData['members'][number]): string[][] {
  const rows = ASSESSMENT_DOMAINS.flatMap((d) => {
    const text = m.items[d.code];
    return present(text) ? [[d.ja, text]] : [];
  });
  if (present(m.note)) rows.push(['備考', m.note]);
  return rows;
}

export const SUPPORT_COLUMNS: Column[] = [
  { header: '支える人', share: 0.22 },
  { header: '支えられる人', share: 0.22 },
  { header: '内容', share: 0.56 },
];

export function supportRows(h: AssessmentFormData['household']): string[][] {
  return h.supports.map((s) => [s.from, s.to, s.note ?? '']);
}

/** The household part's texts; an empty one reads 「（記載なし）」. */
export function householdTexts(h: AssessmentFormData['household']): Fact[] {
  const or = (s: string | null): string => (present(s) ? s : NOT_RECORDED);
  return [
    ['キーパーソン', or(h.keyPersonName)],
    ['誰かが倒れたら', or(h.ifOneFallsIll)],
    ['世帯の強み', or(h.strengths)],
    ...(present(h.note) ? [['備考', h.note] as Fact] : []),
  ];
}

export async function renderAssessmentPdf(data: AssessmentFormData): Promise<Buffer> {
  const documentName = 'アセスメントシート';
  const doc = openForm({ documentName, subject: documentName, stamp: data.stamp, householdName: data.householdName, facts: commonFacts(data) });

  heading(doc, '世帯員ごとのアセスメント', 12);
  if (data.members.length === 0) paragraph(doc, '（表示できる世帯員はいません）', { indent: 12 });
  for (const m of data.members) {
    subheading(doc, `${m.name}（${m.relationship}）`);
    paragraph(doc, `生年月日：${birthAndAge(m.birthDate, data.authoredAt)}`, { indent: 12, size: 10 });
    tableOrNone(doc, DOMAIN_COLUMNS, domainRows(m));
  }

  heading(doc, '世帯全体', 12);
  const [keyPerson, ...texts] = householdTexts(data.household);
  field(doc, ...(keyPerson as Fact));
  subheading(doc, '世帯内の支え合い（誰が誰を支えているか）');
  tableOrNone(doc, SUPPORT_COLUMNS, supportRows(data.household));
  for (const [label, text] of texts) {
    subheading(doc, label);
    paragraph(doc, text, { indent: 12 });
  }

  withheldSection(doc, data.withheld);

  frame(doc, {
    runningHeader: `${data.stamp.municipalityName}　${documentName}　${data.householdName}（第${data.version}版）`,
    stamp: data.stamp,
    caseId: data.caseId,
  });
  return toBuffer(doc);
}
