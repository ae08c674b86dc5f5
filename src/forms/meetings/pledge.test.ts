import { describe, expect, it } from 'vitest';
import { PLEDGE_SENTENCE, renderPledgePdf } from './pledge.ts';
import { AGENDA, flat, HEADER, pages, pdfText } from './testSupport.ts';
import type { PledgeData } from './types.ts';

const { members: _members, ...PLEDGE } = HEADER;

async function pledgeText(data: PledgeData): Promise<{ pdf: Buffer; flat: string; text: string }> {
  const pdf = await renderPledgePdf(data);
  const text = pdfText(pdf);
  return { pdf, text, flat: flat(text) };
}

describe('renderPledgePdf', () => {
  it('prints the meeting, its 和暦 date, the pledge sentence and the blanks as text', async () => {
    const { pdf, flat: t } = await pledgeText(PLEDGE);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(t).toContain('誓約書');
    expect(t).toContain('髙島市');
    expect(t).toContain(flat('第12回 髙島市支援会議（定例）'));
    expect(t).toContain(flat('会議の種別 支援会議'));
    expect(t).toContain('令和8年12月3日（木）14:00〜15:30');
    expect(t).toContain(flat(PLEDGE_SENTENCE));
    expect(t).toContain('日付');
    expect(t).toContain(flat('令和　　　年　　　月　　　日'));
    expect(t).toContain('所属');
    expect(t).toContain('氏名（署名）');
  });

  it('carries the 支援会議 clause with its article', async () => {
    const { flat: t } = await pledgeText(PLEDGE);
    expect(t).toContain('守秘義務について（社会福祉法第106条の6第5項）');
    expect(t).toContain('1年以下の拘禁刑又は100万円以下の罰金');
    expect(t).toContain('根拠条文：社会福祉法第106条の6第5項、社会福祉法（第106条の6第5項違反の罰則）');
  });

  it('consent basis: the reminder without 拘禁刑 or 罰金', async () => {
    const { flat: t } = await pledgeText({ ...PLEDGE, kind: 'multilayer', legalBasis: 'consent' });
    expect(t).toContain(flat('会議の種別 重層的支援会議'));
    expect(t).toContain('秘密の保持について（本人同意に基づく会議）');
    for (const word of ['拘禁刑', '罰金', '支援会議限り']) expect(t).not.toContain(word);
  });

  it('a designated body cites its own law', async () => {
    const { flat: t } = await pledgeText({ ...PLEDGE, legalBasis: 'designated:child-protection', bodyName: '髙島市要保護児童対策地域協議会' });
    expect(t).toContain('児童福祉法第25条の5');
    expect(t).not.toContain('社会福祉法第106条の6');
  });

  it('stamps every page with who exported it and when', async () => {
    const { text } = await pledgeText(PLEDGE);
    for (const page of pages(text)) {
      expect(flat(page)).toContain(flat('出力者：髙橋 一郎（髙島市社会福祉協議会）'));
      expect(flat(page)).toContain('出力日時：令和8年12月1日09:30');
      expect(flat(page)).toContain('会議ID：mtg-0001');
    }
  });

  it('carries no case content and no member list, even when handed an agenda', async () => {
    const { flat: t } = await pledgeText(AGENDA as unknown as PledgeData);
    const caseContent = AGENDA.cases.flatMap((c) => [
      c.label,
      c.purpose,
      c.core?.summary ?? '',
      ...(c.core?.members.map((m) => m.name) ?? []),
      ...c.records.map((r) => r.body.slice(0, 20)),
    ]);
    for (const s of caseContent.filter(Boolean)) expect(t).not.toContain(flat(s));
    expect(t).not.toContain('構成員（');
    expect(t).not.toContain('検討事例');
  });

  it('refuses a kind that contradicts its basis', async () => {
    await expect(renderPledgePdf({ ...PLEDGE, kind: 'multilayer', legalBasis: 'art106-6' })).rejects.toThrow(RangeError);
  });
});
