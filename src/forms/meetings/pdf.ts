/**
 * Shared layout for the meeting documents (開催通知, レジュメ): an A4 pdfkit document with an
 * embedded, subset Japanese font (so the text is extractable), the meeting header, the
 * confidentiality clause box, and — on every page — the running header, the 支援会議限り label
 * where the basis is statutory, and the export stamp (who and when, rule 7).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type PDFDocumentClass from 'pdfkit';
import { formatWareki, formatWarekiDateTime, toTokyoDate } from '../../ja/wareki.ts';
import { confidentialityClause, isStatutoryConfidentiality, meetingLegalBasis } from './legalBasis.ts';
import type { MeetingHeaderData, MeetingKindCode } from './types.ts';

type Doc = PDFKit.PDFDocument;

const FONT = 'NotoSansJP';
const FONT_FILE = 'NotoSansJP_400Regular.ttf';

export const PAGE = {
  margin: { top: 78, bottom: 80, left: 56, right: 56 },
} as const;

export const STATUTORY_LABEL = '支援会議限り';
export const CONSENT_LABEL = '取扱注意（本人同意の範囲内）';

let fontCache: Buffer | null = null;

/**
 * Noto Sans JP Regular (SIL OFL 1.1; src/forms/fonts/ has the licence) from the npm package
 * `@expo-google-fonts/noto-sans-jp`, a runtime dependency: `npm ci` installs it with the rest,
 * so no 5 MB copy is kept in the repository, and nothing is fetched at run time.
 */
export function japaneseFont(): Buffer {
  fontCache ??= readFileSync(createRequire(import.meta.url).resolve(`@expo-google-fonts/noto-sans-jp/400Regular/${FONT_FILE}`));
  return fontCache;
}

// C0/C1 controls (except newline), DEL, and bidirectional embedding/override/isolate controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const UNPRINTABLE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Printable text: CRLF → LF, tabs → space, controls and bidi overrides removed. */
export function clean(s: string | null | undefined): string {
  if (s == null) return '';
  return String(s).replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(UNPRINTABLE, '');
}

const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'] as const;

/** 和暦 date with the Japanese weekday (Asia/Tokyo): 令和8年12月3日（木）. */
export function warekiWithWeekday(iso: string): string {
  const [y, m, d] = toTokyoDate(iso).split('-').map(Number) as [number, number, number];
  const wd = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${formatWareki(iso)}（${wd}）`;
}

function tokyoTime(iso: string): string {
  const dt = formatWarekiDateTime(iso);
  return dt.slice(dt.lastIndexOf(' ') + 1);
}

/** 令和8年12月3日（木）14:00〜15:30 (or an end on another day with its own date). */
export function meetingDateTime(startsAt: string, endsAt?: string | null): string {
  let out = `${warekiWithWeekday(startsAt)}${tokyoTime(startsAt)}`;
  if (endsAt) {
    out += toTokyoDate(endsAt) === toTokyoDate(startsAt) ? `〜${tokyoTime(endsAt)}` : `〜${warekiWithWeekday(endsAt)}${tokyoTime(endsAt)}`;
  }
  return out;
}

export function placeLabel(place: string | null | undefined, online: boolean | undefined): string {
  const p = clean(place).trim();
  if (online && p) return `${p}（オンライン併用）`;
  if (online) return 'オンライン';
  return p || '未定';
}

const KIND_ALLOWS: Record<MeetingKindCode, (basis: string) => boolean> = {
  support: (b) => b === 'art106-6' || b.startsWith('designated:'),
  multilayer: (b) => b === 'consent',
  case_conference: (b) => b === 'art106-6' || b === 'consent' || b.startsWith('designated:'),
};

/**
 * 会議の種別 as printed. Throws RangeError when the kind and the basis contradict each other (a
 * 重層的支援会議 is never held under 106条の6, a 支援会議 never on consent alone).
 */
export function kindLabel(kind: MeetingKindCode, legalBasis: string, bodyName?: string | null): string {
  const basis = meetingLegalBasis(legalBasis);
  const allows = KIND_ALLOWS[kind];
  if (!allows) throw new RangeError(`Unknown meeting kind: ${String(kind)}`);
  if (!allows(legalBasis)) throw new RangeError(`Meeting kind ${kind} cannot be held on legal basis ${legalBasis}`);
  if (legalBasis.startsWith('designated:')) {
    const name = clean(bodyName).trim() || basis.meetingName.ja;
    return kind === 'case_conference' ? `複合課題ケース検討会（${name}として開催）` : `${name}（支援会議として開催）`;
  }
  if (kind === 'support') return '支援会議';
  if (kind === 'multilayer') return '重層的支援会議';
  return legalBasis === 'consent' ? '複合課題ケース検討会（本人同意に基づき開催）' : '複合課題ケース検討会（支援会議として開催）';
}

export interface DocMeta {
  title: string;
  subject: string;
  author: string;
  createdAt: string;
}

/** pdfkit (with fontkit, about 25 MB) is loaded on the first document, not at server start (issue 6). */
let PdfDocument: typeof PDFDocumentClass | null = null;

export function createDoc(meta: DocMeta): Doc {
  PdfDocument ??= createRequire(import.meta.url)('pdfkit') as typeof PDFDocumentClass;
  const doc = new PdfDocument({
    size: 'A4',
    margins: { ...PAGE.margin },
    bufferPages: true,
    autoFirstPage: true,
    lang: 'ja-JP',
    displayTitle: true,
    info: {
      Title: clean(meta.title),
      Subject: meta.subject,
      Author: clean(meta.author),
      Producer: 'Kasane',
      Creator: 'Kasane',
      CreationDate: new Date(Date.parse(meta.createdAt) || 0),
    },
  });
  doc.registerFont(FONT, japaneseFont());
  doc.font(FONT).fontSize(10.5).fillColor('#000000');
  return doc;
}

export function toBuffer(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Start a new page unless `height` still fits above the bottom margin. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage();
}

export function heading(doc: Doc, text: string, size = 13): void {
  ensureSpace(doc, size * 3.2);
  doc.moveDown(0.6);
  const x = doc.page.margins.left;
  doc
    .fontSize(size)
    .fillColor('#000000')
    .text(clean(text), x, doc.y, { width: contentWidth(doc) });
  const y = doc.y + 2;
  doc
    .moveTo(x, y)
    .lineTo(x + contentWidth(doc), y)
    .lineWidth(0.6)
    .strokeColor('#555555')
    .stroke();
  doc.y = y + 5;
  doc.fontSize(10.5);
}

const LABEL_WIDTH = 112;

/** One row of a label/value table; the value wraps (and paginates) in its own column. */
export function field(doc: Doc, label: string, value: string): void {
  const x = doc.page.margins.left;
  const width = contentWidth(doc) - LABEL_WIDTH;
  doc.fontSize(10.5);
  ensureSpace(doc, doc.currentLineHeight(true) * 1.4);
  const y0 = doc.y;
  doc.fillColor('#333333').text(clean(label), x, y0, { width: LABEL_WIDTH - 8 });
  const afterLabel = doc.y;
  doc.fillColor('#000000').text(clean(value), x + LABEL_WIDTH, y0, { width });
  if (doc.y < afterLabel) doc.y = afterLabel;
  doc.moveDown(0.25);
  doc.x = x;
}

/** Wrapped paragraph, optionally indented. */
export function paragraph(doc: Doc, text: string, opts: { indent?: number; size?: number; color?: string } = {}): void {
  const x = doc.page.margins.left + (opts.indent ?? 0);
  doc.fontSize(opts.size ?? 10.5).fillColor(opts.color ?? '#000000');
  ensureSpace(doc, doc.currentLineHeight(true) * 1.2);
  doc.text(clean(text), x, doc.y, { width: contentWidth(doc) - (opts.indent ?? 0), lineGap: 1.5 });
  doc.x = doc.page.margins.left;
  doc.fontSize(10.5).fillColor('#000000');
}

/** Title block and the meeting facts shared by both documents. */
export function meetingHeader(doc: Doc, data: Omit<MeetingHeaderData, 'members'>, documentName: string): void {
  const x = doc.page.margins.left;
  const w = contentWidth(doc);
  doc.fontSize(11).fillColor('#000000').text(clean(data.municipalityName), x, doc.y, { width: w, align: 'right' });
  doc.moveDown(0.4);
  doc.fontSize(18).text(documentName, x, doc.y, { width: w, align: 'center' });
  doc.moveDown(0.2);
  doc.fontSize(14).text(clean(data.title), x, doc.y, { width: w, align: 'center' });
  doc.moveDown(0.8);
  doc.fontSize(10.5);
  const basis = meetingLegalBasis(data.legalBasis);
  field(doc, '会議の種別', kindLabel(data.kind, data.legalBasis, data.bodyName));
  field(doc, '根拠', basis.basis.ja);
  field(doc, '日時', meetingDateTime(data.startsAt, data.endsAt));
  field(doc, '場所', placeLabel(data.place, data.online));
  field(doc, '議長（総括者）', `${clean(data.chair.displayName)}（${clean(data.chair.organizationName)}）`);
}

export function memberList(doc: Doc, members: MeetingHeaderData['members']): void {
  heading(doc, `構成員（${members.length}名）`, 12);
  if (members.length === 0) {
    paragraph(doc, '（なし）', { indent: 12 });
    return;
  }
  for (const m of members) paragraph(doc, `・${clean(m.displayName)}（${clean(m.organizationName)}）`, { indent: 12 });
}

/** The clause of the meeting's legal basis, boxed, with its article. */
export function clauseBox(doc: Doc, legalBasis: string): void {
  const clause = confidentialityClause(legalBasis, 'ja');
  const x = doc.page.margins.left;
  const w = contentWidth(doc);
  const pad = 8;
  doc.fontSize(10);
  const titleH = doc.heightOfString(clause.title, { width: w - pad * 2 });
  const textH = doc.heightOfString(clause.text, { width: w - pad * 2, lineGap: 1.5 });
  doc.fontSize(9);
  const articleH = doc.heightOfString(`根拠条文：${clause.article}`, { width: w - pad * 2 });
  const boxH = titleH + textH + articleH + pad * 2 + 10;
  doc.moveDown(0.8);
  ensureSpace(doc, boxH);
  const y0 = doc.y;
  const statutory = isStatutoryConfidentiality(legalBasis);
  doc
    .rect(x, y0, w, boxH)
    .lineWidth(statutory ? 1.4 : 0.8)
    .strokeColor(statutory ? '#b00020' : '#555555')
    .stroke();
  doc
    .fontSize(10)
    .fillColor(statutory ? '#b00020' : '#000000')
    .text(clause.title, x + pad, y0 + pad, { width: w - pad * 2 });
  doc.moveDown(0.2);
  doc.fillColor('#000000').text(clause.text, x + pad, doc.y, { width: w - pad * 2, lineGap: 1.5 });
  doc.moveDown(0.2);
  doc
    .fontSize(9)
    .fillColor('#333333')
    .text(`根拠条文：${clause.article}`, x + pad, doc.y, { width: w - pad * 2 });
  doc.x = x;
  doc.y = y0 + boxH + 4;
  doc.fontSize(10.5).fillColor('#000000');
}

export interface PageDecoration {
  runningHeader: string;
  /** Printed in a box at the top right of every page (支援会議限り / 取扱注意), or null. */
  label: string | null;
  statutory: boolean;
  stamp: MeetingHeaderData['stamp'];
  meetingId: string;
}

/**
 * Draw the running header, the label and the export stamp on every buffered page. Margins are
 * lifted while drawing so that nothing here can start a new page.
 */
export function decoratePages(doc: Doc, deco: PageDecoration): void {
  const range = doc.bufferedPageRange();
  const stampLine = `出力者：${clean(deco.stamp.displayName)}（${clean(deco.stamp.organizationName)}）　出力日時：${formatWarekiDateTime(deco.stamp.at)}`;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const page = doc.page;
    const saved = { ...page.margins };
    page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    const left = saved.left;
    const w = page.width - saved.left - saved.right;

    // running header
    const labelW = deco.label ? (deco.statutory ? 118 : 170) : 0;
    doc
      .fontSize(8.5)
      .fillColor('#555555')
      .text(clean(deco.runningHeader), left, 34, { width: w - labelW - 10, height: 12, ellipsis: true });
    if (deco.label) {
      const color = deco.statutory ? '#b00020' : '#333333';
      const size = deco.statutory ? 15 : 10.5;
      const lx = left + w - labelW;
      const ly = 24;
      const lh = deco.statutory ? 30 : 22;
      doc
        .rect(lx, ly, labelW, lh)
        .lineWidth(deco.statutory ? 2 : 1)
        .strokeColor(color)
        .stroke();
      doc
        .fontSize(size)
        .fillColor(color)
        .text(deco.label, lx, ly + (lh - size * 1.45) / 2, { width: labelW, align: 'center', lineBreak: false });
    }
    doc
      .moveTo(left, 62)
      .lineTo(left + w, 62)
      .lineWidth(0.4)
      .strokeColor('#999999')
      .stroke();

    // export stamp: who and when (rule 7)
    const fy = page.height - 66;
    doc
      .moveTo(left, fy)
      .lineTo(left + w, fy)
      .lineWidth(0.4)
      .strokeColor('#999999')
      .stroke();
    doc
      .fontSize(8.5)
      .fillColor('#000000')
      .text(stampLine, left, fy + 5, { width: w, height: 24, ellipsis: true });
    doc
      .fontSize(7.5)
      .fillColor('#555555')
      .text(`会議ID：${clean(deco.meetingId)}　この文書の出力は監査ログに記録されています。`, left, fy + 31, { width: w - 70, height: 11, ellipsis: true });
    doc
      .fontSize(8.5)
      .fillColor('#000000')
      .text(`${i - range.start + 1} / ${range.count}`, left + w - 70, fy + 30, { width: 70, align: 'right', lineBreak: false });

    page.margins = saved;
  }
  doc.fillColor('#000000');
}
