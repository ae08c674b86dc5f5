import { describe, expect, it } from 'vitest';
import { flat, LONG_BODY, pages, pdfText } from '../meetings/testSupport.ts';
import { HANDLING_LABEL, renderAssessmentPdf, stampLine } from './assessmentPdf.ts';
import { PLAN_CONSENT_SENTENCE, renderPlanPdf } from './planPdf.ts';
import type { AssessmentFormData, ExportStamp, PlanFormData } from './types.ts';

const STAMP: ExportStamp = {
  exportedBy: 'デモ市 福祉総合相談課 相沢 遥',
  exportedAt: '2026-04-01T00:30:00Z', // 令和8年4月1日 09:30 in Tokyo
  municipalityName: 'デモ市（架空・デモ用）',
};

const ASSESSMENT: AssessmentFormData = {
  stamp: STAMP,
  householdName: '齋藤家',
  caseId: 'case-saito',
  version: 2,
  authoredBy: 'デモ市保健センター 三浦 由紀',
  authoredAt: '2026-03-31T23:30:00Z', // already 4月1日 in Tokyo
  members: [
    {
      name: '齋藤 義雄',
      relationship: '世帯主',
      birthDate: '1942-05-14',
      items: {
        health: LONG_BODY,
        care: '入院前は介護サービス未利用。長期入院で筋力・認知機能の低下が危惧される。',
        wishes: '「家に帰りたい」',
      },
      note: '介護保険は未申請。',
    },
    { name: '齋藤 和子', relationship: '妻', birthDate: '1944-09-02', items: { care: '要介護1。デイケアの利用が止まったまま。' }, note: null },
    { name: '齋藤 浩一', relationship: '長男', birthDate: null, items: {}, note: null },
  ],
  household: {
    keyPersonName: '齋藤 浩一',
    supports: [{ from: '齋藤 浩一', to: '齋藤 和子', note: '勤務後に買い物と食事の準備' }],
    ifOneFallsIll: '長男が倒れると、母と二男だけでは食事が確保できない。',
    strengths: '長男は自宅生活の継続を強く望んでいる。',
    note: null,
  },
  withheld: [{ name: '齋藤 健二', reason: '本人同意の範囲外（支援会議でのみ共有）' }],
};

const PLAN: PlanFormData = {
  stamp: STAMP,
  householdName: '髙橋家',
  caseId: 'case-takahashi',
  version: 3,
  status: 'approved',
  authoredBy: 'デモ市 福祉総合相談課 相沢 遥',
  authoredAt: '2026-01-10T01:00:00Z',
  approval: {
    meetingTitle: '第3回 重層的支援会議',
    meetingStartsAt: '2026-01-15T05:00:00Z', // a Thursday
    approvedAt: '2026-01-15T06:10:00Z',
    approvedBy: '大森 直樹',
  },
  members: [
    { name: '髙橋 正雄', relationship: '世帯主', view: '入院治療とリハビリが必要。不在中の息子の生活が気がかりで入院を迷っている。' },
    { name: '髙橋 誠', relationship: '長男', view: '20年以上のひきこもり。「働きたいが自信がない」。' },
  ],
  goals: [
    { key: 'g1', personName: '髙橋 正雄', text: '安心して入院治療を受け、退院後も自宅で暮らす。' },
    { key: 'g2', personName: '髙橋 誠', text: '週2回の就労体験を続ける。' },
    { key: 'g3', personName: null, text: '親亡き後の生活の見通しを持つ。' },
  ],
  actions: [
    ...Array.from({ length: 24 }, (_, i) => ({
      key: `a${i + 1}`,
      goalKey: i % 2 ? 'g2' : 'g1',
      personName: i % 2 ? '髙橋 誠' : '髙橋 正雄',
      text: `支援内容${i + 1}番：訪問と電話による状況確認、関係機関への共有。`,
      organizationName: i % 2 ? 'NPO法人ひだまりの会' : '居宅介護支援事業所あおば',
      startOn: '2026-01-20',
      reviewOn: '2028-12-31',
    })),
    {
      key: 'z',
      goalKey: null,
      personName: null,
      text: '世帯全体の見守り',
      organizationName: 'デモ市 福祉総合相談課',
      startOn: '2019-04-30',
      reviewOn: '2019-05-01',
    },
  ],
  withheld: [{ name: '髙橋 ハナ', reason: '本人同意がない世帯員' }],
};

/** The body of every page: running header, 取扱注意, export stamp, page number and table headers left out, whitespace removed. */
function body(text: string): string {
  return pages(text)
    .map((page) =>
      page
        .split('\n')
        .filter((l) => !l.includes(HANDLING_LABEL) && !/出力者：|ケースID：|^\s*\d+ \/ \d+\s*$|^\s*分野\s+内容\s*$/u.test(l))
        .join('\n'),
    )
    .map(flat)
    .join('');
}

function expectStampOnEveryPage(text: string, caseId: string): void {
  const all = pages(text);
  expect(all.length).toBeGreaterThan(1);
  all.forEach((page, i) => {
    const p = flat(page);
    expect(p).toContain(flat(stampLine(STAMP)));
    expect(p).toContain('出力者：デモ市福祉総合相談課相沢遥');
    expect(p).toContain('出力日時：令和8年4月1日09:30');
    expect(p).toContain(`ケースID：${caseId}`);
    expect(p).toContain(flat(HANDLING_LABEL));
    expect(p).toContain(`${i + 1}/${all.length}`);
  });
}

describe('renderAssessmentPdf', () => {
  it('prints the header, each member’s domains with text, the household part and the withheld members', async () => {
    const text = pdfText(await renderAssessmentPdf(ASSESSMENT));
    const all = flat(text);
    expect(all).toContain('アセスメントシート');
    expect(all).toContain('デモ市（架空・デモ用）');
    expect(all).toContain('世帯齋藤家');
    expect(all).toContain('版第2版');
    expect(all).toContain('作成者デモ市保健センター三浦由紀');
    expect(all).toContain('作成日令和8年4月1日（水）');
    expect(all).toContain('■齋藤義雄（世帯主）');
    expect(all).toContain('生年月日：昭和17年5月14日（83歳）');
    expect(all).toContain('生年月日：昭和19年9月2日（81歳）');
    expect(all).toContain('■齋藤浩一（長男）生年月日：不明（記載なし）');
    for (const label of ['健康・医療', '介護・日常生活動作', '本人の思い・希望', '備考']) expect(all).toContain(label);
    for (const absent of ['就学・学校', '就労', '住まい']) expect(all).not.toContain(absent);
    expect(all).toContain('「家に帰りたい」');
    expect(all).toContain('キーパーソン齋藤浩一');
    expect(all).toContain('齋藤浩一齋藤和子勤務後に買い物と食事の準備');
    expect(all).toContain('■誰かが倒れたら長男が倒れると、母と二男だけでは食事が確保できない。');
    expect(all).toContain('■世帯の強み長男は自宅生活の継続を強く望んでいる。');
    expect(all).toContain('表示されない世帯員');
    expect(all).toContain('齋藤健二本人同意の範囲外（支援会議でのみ共有）');
  });

  it('splits a domain longer than a page across pages without losing a character, stamped on every page', async () => {
    const text = pdfText(await renderAssessmentPdf(ASSESSMENT));
    expect(body(text)).toContain(flat(LONG_BODY));
    expectStampOnEveryPage(text, 'case-saito');
  });
});

describe('renderPlanPdf', () => {
  it('prints status and approval, 見立て, goals, the actions with 和暦 dates, the withheld members and the consent box', async () => {
    const text = pdfText(await renderPlanPdf(PLAN));
    const all = flat(text);
    expect(all).toContain('支援プラン（プラン兼利用申込書）');
    expect(all).toContain('世帯髙橋家');
    expect(all).toContain('版第3版');
    expect(all).toContain('状態承認済み');
    expect(all).toContain('作成日令和8年1月10日（土）');
    expect(all).toContain('承認した会議第3回重層的支援会議');
    expect(all).toContain('会議の開催日令和8年1月15日（木）');
    expect(all).toContain('承認日令和8年1月15日');
    expect(all).toContain('承認者大森直樹');
    expect(all).toContain('■髙橋誠（長男）20年以上のひきこもり。「働きたいが自信がない」。');
    expect(all).toContain('目標3世帯全体親亡き後の生活の見通しを持つ。');
    for (let i = 1; i <= 24; i++) expect(all).toContain(`支援内容${i}番`);
    expect(all).toContain('令和8年1月20日');
    expect(all).toContain('令和10年12月31日');
    // An action without a goal; the era boundary in its dates.
    expect(all).toContain('—世帯全体の見守り世帯全体');
    expect(all).toContain('平成31年4月30日令和元年5月1日');
    expect(all).toContain('髙橋ハナ本人同意がない世帯員');
    expect(all).toContain('本人（申込者）の同意・利用申込（髙橋家支援プラン第3版）');
    expect(all).toContain(flat(PLAN_CONSENT_SENTENCE));
    expect(all).toMatch(/年月日氏名＿+/u);
    expect(all).toContain('本人との関係');
    // The consent box comes last.
    expect(all.lastIndexOf(flat(PLAN_CONSENT_SENTENCE))).toBeGreaterThan(all.lastIndexOf('髙橋ハナ'));
    expectStampOnEveryPage(text, 'case-takahashi');
  });

  it('repeats the actions table header on every page the table runs onto', async () => {
    const text = pdfText(await renderPlanPdf(PLAN));
    const withActions = pages(text).filter((p) => /支援内容\d+番/u.test(p));
    expect(withActions.length).toBeGreaterThan(1);
    for (const p of withActions) expect(flat(p)).toContain('目標支援内容対象担当機関開始日見直し日');
  });

  it('says when the plan is not approved yet', async () => {
    const text = flat(pdfText(await renderPlanPdf({ ...PLAN, status: 'draft', approval: null, actions: [], withheld: [] })));
    expect(text).toContain('状態作成中');
    expect(text).toContain('承認未承認（会議での承認前）');
    expect(text).toContain('支援内容（記載なし）');
    expect(text).not.toContain('表示されない世帯員');
  });
});
