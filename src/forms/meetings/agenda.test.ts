import { describe, expect, it } from 'vitest';
import { renderAgendaPdf } from './agenda.ts';
import { confidentialityClause, isStatutoryConfidentiality, MEETING_LEGAL_BASIS_CODES } from './legalBasis.ts';
import { AGENDA, bodyFlat, flat, pages, pdfText } from './testSupport.ts';
import type { AgendaData } from './types.ts';

async function agendaText(data: AgendaData): Promise<{ pdf: Buffer; text: string; flat: string }> {
  const pdf = await renderAgendaPdf(data);
  const text = pdfText(pdf);
  return { pdf, text, flat: flat(text) };
}

function kindFor(code: string): AgendaData['kind'] {
  return code === 'consent' ? 'multilayer' : 'support';
}

describe('renderAgendaPdf', () => {
  it('prints the header, each case with its purpose and exactly what was tabled', async () => {
    const { flat: t } = await agendaText(AGENDA);
    expect(t).toContain('レジュメ');
    expect(t).toContain(flat(AGENDA.title));
    expect(t).toContain('令和8年12月3日（木）14:00〜15:30');
    for (const m of AGENDA.members) expect(t).toContain(flat(`${m.displayName}（${m.organizationName}）`));
    expect(t).toContain('議題（2件）');
    expect(t).toContain('事例1𠮷田さん世帯');
    expect(t).toContain('目的：8050世帯の見守り体制と役割分担の確認');
    expect(t).toContain('母（要介護2）と長男（ひきこもり）の二人世帯。家計の滞納がある。');
    expect(t).toContain('・𠮷田太郎（本人、52歳）');
    expect(t).toContain('・𠮷田ハナ（母、84歳）');
    expect(t).toContain('・𠮷田次郎（弟）');
    expect(t).toContain('・𠮷田太郎：ひきこもり');
    expect(t).toContain('関係機関髙島市地域包括支援センター、髙島市保健センター');
    expect(t).toContain('提出された記録（3件）');
    expect(t).toContain('【通常】髙島市地域包括支援センター令和8年11月20日対象者：𠮷田ハナ');
    expect(t).toContain('訪問。母は通所介護の利用を希望。');
    expect(t).toContain('【機微】髙島市保健センター令和8年11月21日対象者：𠮷田太郎');
    expect(t).toContain('【税情報】髙島市税務課令和8年11月22日');
    expect(t).toContain('固定資産税の滞納あり（同意に基づき提出）。');
    expect(t).toContain('事例2齋藤さん世帯');
    expect(t).toContain('目的：不登校の長女への支援方針の共有');
    expect(t).toContain('提出された記録（0件）');
  });

  it('wraps and paginates long text without losing any of it', async () => {
    const { text } = await agendaText(AGENDA);
    expect(pages(text).length).toBeGreaterThan(1);
    const body = bodyFlat(text);
    expect(body).toContain(flat(AGENDA.cases[0]!.records[1]!.body));
    expect(body).toContain(`記録末尾【終】${flat('【税情報】髙島市税務課')}`);
  });

  it('labels every page 支援会議限り and stamps every page (支援会議)', async () => {
    const { text } = await agendaText(AGENDA);
    const all = pages(text);
    expect(all.length).toBeGreaterThan(1);
    all.forEach((page, i) => {
      const p = flat(page);
      expect(p, `page ${i + 1}`).toContain('支援会議限り');
      expect(p, `page ${i + 1}`).toContain('出力者：髙橋一郎（髙島市社会福祉協議会）');
      expect(p, `page ${i + 1}`).toContain('出力日時：令和8年12月1日09:30');
      expect(p, `page ${i + 1}`).toContain(`${i + 1}/${all.length}`);
    });
  });

  it.each(MEETING_LEGAL_BASIS_CODES.map((code) => [code]))('%s: the right clause and article; 支援会議限り only when statutory', async (code) => {
    const { text, flat: t } = await agendaText({ ...AGENDA, kind: kindFor(code), legalBasis: code });
    const clause = confidentialityClause(code);
    expect(t).toContain(flat(clause.title));
    expect(t).toContain(flat(`根拠条文：${clause.article}`));
    expect(t).toContain(flat(clause.text.slice(0, 40)));
    for (const page of pages(text)) {
      const firstLines = flat(page.split('\n').slice(0, 3).join(''));
      if (isStatutoryConfidentiality(code)) expect(firstLines).toContain('支援会議限り');
      else expect(firstLines).toContain('取扱注意');
    }
    if (isStatutoryConfidentiality(code)) {
      expect(t).toContain('拘禁刑');
    } else {
      for (const word of ['支援会議限り', '拘禁刑', '罰金']) expect(t).not.toContain(word);
    }
  });

  it('art106-6 carries 106条の6 with 拘禁刑 and 100万円; consent carries no 拘禁刑', async () => {
    const support = await agendaText(AGENDA);
    expect(support.flat).toContain('社会福祉法第106条の6');
    expect(support.flat).toContain('1年以下の拘禁刑又は100万円以下の罰金');
    const consent = await agendaText({ ...AGENDA, kind: 'multilayer', legalBasis: 'consent' });
    expect(consent.flat).not.toContain('拘禁刑');
    expect(consent.flat).not.toContain('106条の6');
  });

  it('a case without a tabled core prints its purpose and records only', async () => {
    const { flat: t } = await agendaText({ ...AGENDA, cases: [AGENDA.cases[1]!] });
    expect(t).toContain('事例1齋藤さん世帯');
    expect(t).not.toContain('事例の概要');
    expect(t).not.toContain('𠮷田さん世帯');
    expect(t).not.toContain('𠮷田太郎');
  });

  it('prints an agenda without cases', async () => {
    const { flat: t } = await agendaText({ ...AGENDA, cases: [] });
    expect(t).toContain('議題（0件）');
    expect(t).toContain('（検討事例なし）');
  });

  it('refuses an unknown record classification and a kind that contradicts its basis', async () => {
    const bad = { ...AGENDA.cases[0]!, records: [{ ...AGENDA.cases[0]!.records[0]!, classification: 'secret' as never }] };
    await expect(renderAgendaPdf({ ...AGENDA, cases: [bad] })).rejects.toThrow(/classification/);
    await expect(renderAgendaPdf({ ...AGENDA, kind: 'multilayer' })).rejects.toThrow(RangeError);
  });

  it('strips control and bidi-override characters from what it prints', async () => {
    const label = 'A\u202Eevil\u0007世帯';
    const { flat: t } = await agendaText({ ...AGENDA, cases: [{ ...AGENDA.cases[1]!, label }] });
    expect(t).toContain('事例1Aevil世帯');
  });

  it('stays small: the font is subset', async () => {
    const { pdf } = await agendaText(AGENDA);
    expect(pdf.length).toBeLessThan(250_000);
  });
});
