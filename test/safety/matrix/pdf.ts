/**
 * The text a PDF carries, as a reader (or a leak) would get it: `pdftotext` of the document
 * (poppler-utils), plus the raw bytes read as Latin-1 (metadata, file-level strings), so that
 * a canary is found whether it is drawn as text or stored in the file.
 */
import { execFileSync } from 'node:child_process';

export function pdfText(bytes: Buffer): string {
  if (bytes.length === 0) return ''; // HEAD: headers only
  let extracted = '';
  try {
    extracted = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: bytes, maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
  } catch (e) {
    throw new Error(`pdftotext failed (is poppler-utils installed?): ${(e as Error).message}`);
  }
  // In content-stream order too (-raw): a value wrapped inside a narrow table cell comes out as
  // consecutive lines there, where the layout order interleaves it with the next columns.
  const raw = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], { input: bytes, maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
  // Lines are wrapped at the page edge: join them too, so a value split by a wrap is found.
  const join = (t: string) => t.replace(/\s*\n\s*/g, '');
  return `${extracted}\n${join(extracted)}\n${join(raw)}\n${bytes.toString('latin1')}`;
}
