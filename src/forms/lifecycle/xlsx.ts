/**
 * The assessment and the plan as Excel workbooks (exceljs), for offices that keep their own
 * ledgers: Japanese sheet names, a header row per table, column widths, dates as 和暦 text,
 * and the export stamp (rule 7) both in the first rows of every sheet and in its printed
 * header/footer — so that a copy pasted elsewhere or a printout still says who exported it
 * and when.
 */
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';
import { formatWarekiDateTime } from '../../ja/wareki.ts';
import {
  AUDIT_NOTE,
  birthAndAge,
  type Column,
  commonFacts,
  DOMAIN_COLUMNS,
  domainRows,
  type Fact,
  HANDLING_LABEL,
  householdTexts,
  NOT_RECORDED,
  SUPPORT_COLUMNS,
  stampLine,
  supportRows,
  WITHHELD_COLUMNS,
  withheldRows,
} from './assessmentPdf.ts';
import { printable } from './genogram.ts';
import { ACTION_COLUMNS, actionRows, GOAL_COLUMNS, goalRows, planFacts } from './planPdf.ts';
import type { AssessmentFormData, ExportStamp, PlanFormData } from './types.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Cell = string | number;

const THIN = { style: 'thin', color: { argb: 'FF888888' } } as const;
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Header/footer codes start with "&": a literal ampersand is written twice. */
function hf(s: string): string {
  return printable(s)
    .replace(/\s*\n\s*/gu, ' ')
    .replace(/&/gu, '&&');
}

function text(v: Cell): Cell {
  return typeof v === 'number' ? v : printable(v);
}

/** A sheet that starts with the export stamp and prints it in its header and footer. */
function stampedSheet(book: ExcelJS.Workbook, name: string, formName: string, stamp: ExportStamp, widths: number[]): ExcelJS.Worksheet {
  const ws = book.addWorksheet(name, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    headerFooter: {
      oddHeader: `&L${hf(`${stamp.municipalityName} ${formName}`)}&R${hf(HANDLING_LABEL)}`,
      oddFooter: `&L${hf(stampLine(stamp))}&R&P / &N`,
    },
  });
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  ws.addRow(['出力者', text(stamp.exportedBy)]);
  ws.addRow(['出力日時', formatWarekiDateTime(stamp.exportedAt)]);
  ws.addRow(['出力元', `${text(stamp.municipalityName)}　${AUDIT_NOTE}`]);
  for (let r = 1; r <= 3; r++) ws.getRow(r).font = { size: 9, color: { argb: 'FF555555' } };
  ws.addRow([]);
  return ws;
}

/** Label/value rows (the form's facts), then a blank row. */
function facts(ws: ExcelJS.Worksheet, rows: Fact[]): void {
  for (const [label, value] of rows) {
    const row = ws.addRow([label, text(value)]);
    row.getCell(1).font = { bold: true };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  }
  ws.addRow([]);
}

/** A bordered table with a shaded header row that repeats on every printed page. */
function grid(ws: ExcelJS.Worksheet, header: string[], rows: Cell[][]): void {
  const head = ws.addRow(header);
  head.eachCell((c) => {
    c.font = { bold: true };
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
    c.border = BORDER;
  });
  ws.pageSetup.printTitlesRow = `${head.number}:${head.number}`;
  for (const cells of rows.length > 0 ? rows : [['（なし）']]) {
    const row = ws.addRow(cells.map(text));
    for (let i = 1; i <= header.length; i++) {
      const c = row.getCell(i);
      c.alignment = { wrapText: true, vertical: 'top' };
      c.border = BORDER;
    }
  }
}

/** exceljs loads on the first workbook, not at server start (startup and resident memory, issue 6). */
function newBook(stamp: ExportStamp): ExcelJS.Workbook {
  const { Workbook } = createRequire(import.meta.url)('exceljs') as typeof ExcelJS;
  const book = new Workbook();
  book.creator = 'Kasane';
  book.lastModifiedBy = printable(stamp.exportedBy);
  const at = new Date(Date.parse(stamp.exportedAt) || 0);
  book.created = at;
  book.modified = at;
  return book;
}

async function toBuffer(book: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await book.xlsx.writeBuffer());
}

const headers = (columns: Column[]): string[] => columns.map((c) => c.header);

function withheldSheet(book: ExcelJS.Workbook, formName: string, stamp: ExportStamp, withheld: { name: string; reason: string }[]): void {
  const ws = stampedSheet(book, '表示されない世帯員', formName, stamp, [24, 80]);
  grid(ws, headers(WITHHELD_COLUMNS), withheldRows(withheld));
}

export async function assessmentWorkbook(data: AssessmentFormData): Promise<Buffer> {
  const form = 'アセスメントシート';
  const book = newBook(data.stamp);

  // One row per member and domain: the member's columns repeat so that the sheet filters well.
  const main = stampedSheet(book, 'アセスメント', form, data.stamp, [18, 12, 24, 24, 80]);
  facts(main, commonFacts(data));
  const rows = data.members.flatMap((m) => {
    const who = [m.name, m.relationship, birthAndAge(m.birthDate, data.authoredAt)];
    const domains = domainRows(m);
    return (domains.length > 0 ? domains : [['—', NOT_RECORDED]]).map((d) => [...who, ...d]);
  });
  grid(main, ['世帯員', '続柄', '生年月日（年齢）', ...headers(DOMAIN_COLUMNS)], rows);

  const whole = stampedSheet(book, '世帯全体', form, data.stamp, [22, 22, 80]);
  facts(whole, householdTexts(data.household));
  grid(whole, headers(SUPPORT_COLUMNS), supportRows(data.household));

  withheldSheet(book, form, data.stamp, data.withheld);
  return toBuffer(book);
}

export async function planWorkbook(data: PlanFormData): Promise<Buffer> {
  const form = '支援プラン';
  const book = newBook(data.stamp);

  const main = stampedSheet(book, '支援プラン', form, data.stamp, [20, 12, 90]);
  facts(main, planFacts(data));
  grid(
    main,
    ['世帯員', '続柄', '支援の見立て'],
    data.members.map((m) => [m.name, m.relationship, m.view]),
  );
  grid(stampedSheet(book, '目標', form, data.stamp, [10, 20, 90]), headers(GOAL_COLUMNS), goalRows(data));
  grid(stampedSheet(book, '支援内容', form, data.stamp, [10, 60, 16, 32, 20, 20]), headers(ACTION_COLUMNS), actionRows(data));
  withheldSheet(book, form, data.stamp, data.withheld);
  return toBuffer(book);
}
