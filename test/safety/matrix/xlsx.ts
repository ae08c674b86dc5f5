/**
 * The text an Excel workbook carries, as a reader (or a leak) would get it: every cell's text,
 * sheet names, headers and footers, read back with exceljs — so that a canary is found in an
 * xlsx answer as it is in a JSON or a PDF one.
 */
import ExcelJS from 'exceljs';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function xlsxText(bytes: Buffer): Promise<string> {
  if (bytes.length === 0) return ''; // HEAD: headers only
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: string[] = [wb.creator ?? '', wb.title ?? '', wb.subject ?? '', wb.description ?? '', wb.keywords ?? ''];
  wb.eachSheet((ws) => {
    out.push(ws.name, ...Object.values(ws.headerFooter ?? {}).map(String));
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        out.push(cell.text ?? '');
        if (cell.note) out.push(typeof cell.note === 'string' ? cell.note : JSON.stringify(cell.note));
      });
    });
  });
  return out.join('\n');
}
