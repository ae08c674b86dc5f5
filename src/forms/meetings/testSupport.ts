/**
 * Test support for the meeting documents: fixtures with hard-to-print Japanese names
 * (髙 齋 𠮷) and a pdftotext reader. Used by the colocated *.test.ts files only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgendaData, MeetingHeaderData } from './types.ts';

/**
 * The PDF's text as `pdftotext -layout` reads it, pages separated by form feeds. Missing
 * pdftotext fails the test (never skips) with a message naming poppler-utils.
 */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'kasane-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    try {
      return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(
          'pdftotext is not installed: install poppler-utils (e.g. apt-get install poppler-utils) — the PDF tests read the documents back and never skip',
        );
      }
      throw err;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whitespace removed, so wrapped lines and layout spacing do not matter. */
export function flat(s: string): string {
  return s.replace(/\s+/gu, '');
}

export function pages(text: string): string[] {
  return text.split('\f').filter((p) => p.trim() !== '');
}

/**
 * The flowing body text: each page without its running header (first non-empty line) and its
 * export stamp, whitespace removed — so text continued across a page break reads as one.
 */
export function bodyFlat(text: string): string {
  return pages(text)
    .map((page) => {
      const lines = page.split('\n');
      const first = lines.findIndex((l) => l.trim() !== '');
      return lines.filter((l, i) => i !== first && !/出力者：|会議ID：/u.test(l)).join('\n');
    })
    .map(flat)
    .join('');
}

export const HEADER: MeetingHeaderData = {
  municipalityName: '髙島市',
  meetingId: 'mtg-0001',
  title: '第12回 髙島市支援会議（定例）',
  kind: 'support',
  legalBasis: 'art106-6',
  startsAt: '2026-12-03T05:00:00Z', // 14:00 in Tokyo, a Thursday
  endsAt: '2026-12-03T06:30:00Z',
  place: '髙島市保健福祉センター 2階 第1会議室',
  online: false,
  chair: { displayName: '齋藤 健一', organizationName: '髙島市福祉総務課' },
  members: [
    { displayName: '𠮷田 花子', organizationName: '髙島市地域包括支援センター' },
    { displayName: '髙橋 一郎', organizationName: '髙島市社会福祉協議会' },
    { displayName: '齋藤 美咲', organizationName: '髙島市保健センター' },
  ],
  stamp: { displayName: '髙橋 一郎', organizationName: '髙島市社会福祉協議会', at: '2026-12-01T00:30:00Z' }, // 令和8年12月1日 09:30
};

export const LONG_BODY = `${'本人は日中も自室で過ごすことが多く、母の介護負担が増している。'.repeat(70)}記録末尾【終】`;

export const AGENDA: AgendaData = {
  ...HEADER,
  cases: [
    {
      label: '𠮷田さん世帯',
      purpose: '8050世帯の見守り体制と役割分担の確認',
      core: {
        summary: '母（要介護2）と長男（ひきこもり）の二人世帯。家計の滞納がある。',
        members: [
          { name: '𠮷田 太郎', relationship: '本人', age: 52 },
          { name: '𠮷田 ハナ', relationship: '母', age: 84 },
          { name: '𠮷田 次郎', relationship: '弟', age: null },
        ],
        problems: [
          { personName: '𠮷田 太郎', type: 'ひきこもり' },
          { personName: '𠮷田 ハナ', type: '要介護' },
        ],
        organizations: ['髙島市地域包括支援センター', '髙島市保健センター'],
      },
      records: [
        {
          organizationName: '髙島市地域包括支援センター',
          classification: 'normal',
          writtenAt: '2026-11-20T01:00:00Z',
          personName: '𠮷田 ハナ',
          body: '訪問。母は通所介護の利用を希望。',
        },
        { organizationName: '髙島市保健センター', classification: 'sensitive', writtenAt: '2026-11-21', personName: '𠮷田 太郎', body: LONG_BODY },
        {
          organizationName: '髙島市税務課',
          classification: 'tax',
          writtenAt: '2026-11-22T02:00:00Z',
          personName: '𠮷田 ハナ',
          body: '固定資産税の滞納あり（同意に基づき提出）。',
        },
      ],
    },
    {
      label: '齋藤さん世帯',
      purpose: '不登校の長女への支援方針の共有',
      core: null,
      records: [],
    },
  ],
};
