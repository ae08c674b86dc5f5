import { describe, expect, it } from 'vitest';
import { renderNoticePdf } from './notice.ts';
import { AGENDA, flat, HEADER, pages, pdfText } from './testSupport.ts';
import type { NoticeData } from './types.ts';

const NOTICE: NoticeData = { ...HEADER, caseCount: 2 };

async function noticeText(data: NoticeData): Promise<{ pdf: Buffer; text: string; flat: string }> {
  const pdf = await renderNoticePdf(data);
  const text = pdfText(pdf);
  return { pdf, text, flat: flat(text) };
}

describe('renderNoticePdf', () => {
  it('prints the meeting as extractable Japanese text (髙 齋 𠮷 included)', async () => {
    const { pdf, flat: t } = await noticeText(NOTICE);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(t).toContain('開催通知');
    expect(t).toContain('髙島市');
    expect(t).toContain(flat('第12回 髙島市支援会議（定例）'));
    expect(t).toContain('令和8年12月3日（木）14:00〜15:30');
    expect(t).toContain(flat('髙島市保健福祉センター 2階 第1会議室'));
    expect(t).toContain(flat('会議の種別 支援会議'));
    expect(t).toContain(flat('齋藤 健一（髙島市福祉総務課）'));
    for (const m of HEADER.members) expect(t).toContain(flat(`${m.displayName}（${m.organizationName}）`));
    expect(t).toContain('構成員（3名）');
    expect(t).toContain('検討事例数2件');
  });

  it('carries the 支援会議 clause: 106条の6 with 拘禁刑 and 100万円, citing its article', async () => {
    const { flat: t } = await noticeText(NOTICE);
    expect(t).toContain('守秘義務について（社会福祉法第106条の6第5項）');
    expect(t).toContain('1年以下の拘禁刑又は100万円以下の罰金');
    expect(t).toContain('根拠条文：社会福祉法第106条の6第5項、社会福祉法（第106条の6第5項違反の罰則）');
  });

  it('stamps every page with who exported it and when', async () => {
    const { text } = await noticeText(NOTICE);
    for (const page of pages(text)) {
      expect(flat(page)).toContain(flat('出力者：髙橋 一郎（髙島市社会福祉協議会）'));
      expect(flat(page)).toContain('出力日時：令和8年12月1日09:30');
      expect(flat(page)).toContain('会議ID：mtg-0001');
    }
  });

  it('carries no case content, even when handed an agenda', async () => {
    // The type has no field for it …
    // @ts-expect-error — a notice never accepts cases
    const typed: NoticeData = { ...HEADER, caseCount: 2, cases: AGENDA.cases };
    // … and at run time the renderer prints only the notice's own fields.
    const { flat: t } = await noticeText({ ...(AGENDA as unknown as NoticeData), caseCount: AGENDA.cases.length });
    expect(typed.caseCount).toBe(2);
    expect(t).toContain('検討事例数2件');
    const caseContent = AGENDA.cases.flatMap((c) => [
      c.label,
      c.purpose,
      c.core?.summary ?? '',
      ...(c.core?.members.map((m) => m.name) ?? []),
      ...(c.core?.problems.map((p) => p.type) ?? []),
      ...c.records.map((r) => r.body.slice(0, 20)),
    ]);
    for (const s of caseContent.filter(Boolean)) expect(t).not.toContain(flat(s));
    expect(t).not.toContain('𠮷田さん');
    expect(t).not.toContain('事例1');
  });

  it('consent basis (重層的支援会議): a reminder without 拘禁刑 or 罰金', async () => {
    const { flat: t } = await noticeText({ ...NOTICE, kind: 'multilayer', legalBasis: 'consent' });
    expect(t).toContain(flat('会議の種別 重層的支援会議'));
    expect(t).toContain('秘密の保持について（本人同意に基づく会議）');
    expect(t).toContain('本人同意（重層的支援体制整備事業実施要綱）');
    for (const word of ['拘禁刑', '罰金', '106条の6', '支援会議限り']) expect(t).not.toContain(word);
  });

  it('a designated body prints its own name, law and penalty', async () => {
    const { flat: t } = await noticeText({ ...NOTICE, legalBasis: 'designated:child-protection', bodyName: '髙島市要保護児童対策地域協議会' });
    expect(t).toContain('髙島市要保護児童対策地域協議会（支援会議として開催）');
    expect(t).toContain('児童福祉法第25条の2');
    expect(t).toContain('児童福祉法第25条の5');
    expect(t).toContain('1年以下の拘禁刑又は50万円以下の罰金');
    expect(t).not.toContain('社会福祉法第106条の6');
  });

  it('a case conference states the basis it declared', async () => {
    const onConsent = await noticeText({ ...NOTICE, kind: 'case_conference', legalBasis: 'consent' });
    expect(onConsent.flat).toContain('複合課題ケース検討会（本人同意に基づき開催）');
    expect(onConsent.flat).not.toContain('拘禁刑');
    const on106 = await noticeText({ ...NOTICE, kind: 'case_conference', legalBasis: 'art106-6' });
    expect(on106.flat).toContain('複合課題ケース検討会（支援会議として開催）');
    expect(on106.flat).toContain('1年以下の拘禁刑又は100万円以下の罰金');
  });

  it('prints オンライン for an online meeting', async () => {
    expect((await noticeText({ ...NOTICE, place: null, online: true })).flat).toContain(flat('場所 オンライン'));
    expect((await noticeText({ ...NOTICE, online: true })).flat).toContain('第1会議室（オンライン併用）');
  });

  it('refuses a kind that contradicts its basis, an unknown basis and a bad case count', async () => {
    await expect(renderNoticePdf({ ...NOTICE, kind: 'multilayer', legalBasis: 'art106-6' })).rejects.toThrow(RangeError);
    await expect(renderNoticePdf({ ...NOTICE, kind: 'support', legalBasis: 'consent' })).rejects.toThrow(RangeError);
    await expect(renderNoticePdf({ ...NOTICE, legalBasis: 'art999' })).rejects.toThrow(/Unknown meeting legal basis/);
    await expect(renderNoticePdf({ ...NOTICE, caseCount: -1 })).rejects.toThrow(RangeError);
    await expect(renderNoticePdf({ ...NOTICE, startsAt: 'tomorrow' })).rejects.toThrow(RangeError);
  });

  it('stays small: the font is subset', async () => {
    const { pdf } = await noticeText(NOTICE);
    expect(pdf.length).toBeLessThan(150_000);
  });
});
