import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { AssessmentFormData, PlanFormData } from './types.ts';
import { assessmentWorkbook, planWorkbook } from './xlsx.ts';

const stamp = {
  exportedBy: 'デモ市 子ども家庭課 原田 恭子 & 同席者',
  exportedAt: '2026-04-30T15:05:00Z', // 令和8年5月1日 00:05 in Tokyo
  municipalityName: 'デモ市（架空・デモ用）',
};

async function read(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as never);
  return book;
}

function sheet(book: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = book.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

/** Each row's values from column A, as strings ('' for empty cells). */
function rows(ws: ExcelJS.Worksheet): string[][] {
  const out: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    const values = (row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)));
    out.push(values);
  });
  return out;
}

function expectStamped(ws: ExcelJS.Worksheet, form: string): void {
  expect(ws.getCell('A1').value).toBe('出力者');
  expect(ws.getCell('B1').value).toBe('デモ市 子ども家庭課 原田 恭子 & 同席者');
  expect(ws.getCell('A2').value).toBe('出力日時');
  expect(ws.getCell('B2').value).toBe('令和8年5月1日 00:05');
  expect(String(ws.getCell('B3').value)).toContain('この文書の出力は監査ログに記録されています。');
  // Printed header and footer; "&" doubled as Excel's codes require.
  expect(ws.headerFooter.oddHeader).toBe(`&Lデモ市（架空・デモ用） ${form}&R取扱注意（個人情報）`);
  expect(ws.headerFooter.oddFooter).toBe('&L出力者：デモ市 子ども家庭課 原田 恭子 && 同席者　出力日時：令和8年5月1日 00:05&R&P / &N');
  expect(ws.pageSetup.paperSize).toBe(9);
}

const assessment: AssessmentFormData = {
  stamp,
  householdName: '濵田家',
  caseId: 'case-hamada',
  version: 1,
  authoredBy: 'デモ市 福祉総合相談課 相沢 遥',
  authoredAt: '2026-04-30T15:30:00Z', // 5月1日 in Tokyo
  members: [
    {
      name: '濵田 蓮',
      relationship: '長男',
      birthDate: '2009-05-03',
      items: { socialTies: '中学校卒業後からひきこもり。', wishes: '=「ゲームの仕事がしたい」' },
      note: null,
    },
    { name: '濵田 由美子', relationship: '世帯主', birthDate: '1979-01-25', items: {}, note: '\u0007パートの掛け持ち。\uD800' },
    { name: '濵田 ？', relationship: '同居人', birthDate: null, items: {}, note: null },
  ],
  household: { keyPersonName: '濵田 由美子', supports: [], ifOneFallsIll: null, strengths: '母は相談に前向き。', note: null },
  withheld: [],
};

describe('assessmentWorkbook', () => {
  it('writes the assessment in Japanese sheets with the export stamp, 和暦 dates and one row per member and domain', async () => {
    const book = await read(await assessmentWorkbook(assessment));
    expect(book.worksheets.map((w) => w.name)).toEqual(['アセスメント', '世帯全体', '表示されない世帯員']);
    for (const ws of book.worksheets) expectStamped(ws, 'アセスメントシート');

    const main = sheet(book, 'アセスメント');
    const r = rows(main);
    expect(r).toContainEqual(['世帯', '濵田家']);
    expect(r).toContainEqual(['版', '第1版']);
    expect(r).toContainEqual(['作成日', '令和8年5月1日（金）']);
    const header = r.findIndex((x) => x[0] === '世帯員');
    expect(r[header]).toEqual(['世帯員', '続柄', '生年月日（年齢）', '分野', '内容']);
    expect(main.getRow(header + 1).getCell(1).font?.bold).toBe(true);
    expect(main.pageSetup.printTitlesRow).toBe(`${header + 1}:${header + 1}`);
    expect(r.slice(header + 1)).toEqual([
      ['濵田 蓮', '長男', '平成21年5月3日（16歳）', '社会とのつながり・孤立', '中学校卒業後からひきこもり。'],
      // Stays text: a leading "=" is not a formula.
      ['濵田 蓮', '長男', '平成21年5月3日（16歳）', '本人の思い・希望', '=「ゲームの仕事がしたい」'],
      // Controls and lone surrogates would corrupt the file: dropped.
      ['濵田 由美子', '世帯主', '昭和54年1月25日（47歳）', '備考', 'パートの掛け持ち。'],
      ['濵田 ？', '同居人', '不明', '—', '（記載なし）'],
    ]);
    expect(main.getCell(`E${header + 2}`).type).toBe(ExcelJS.ValueType.String);
    expect(main.getColumn(5).width).toBe(80);

    const whole = rows(sheet(book, '世帯全体'));
    expect(whole).toContainEqual(['キーパーソン', '濵田 由美子']);
    expect(whole).toContainEqual(['誰かが倒れたら', '（記載なし）']);
    expect(whole).toContainEqual(['世帯の強み', '母は相談に前向き。']);
    expect(whole.slice(-2)).toEqual([['支える人', '支えられる人', '内容'], ['（なし）']]);
    expect(rows(sheet(book, '表示されない世帯員')).slice(-2)).toEqual([['氏名', '理由'], ['（なし）']]);
  });
});

const plan: PlanFormData = {
  stamp,
  householdName: '濵田家',
  caseId: 'case-hamada',
  version: 2,
  status: 'submitted',
  authoredBy: 'デモ市 福祉総合相談課 相沢 遥',
  authoredAt: '2026-04-20T01:00:00Z',
  approval: null,
  members: [{ name: '濵田 蓮', relationship: '長男', view: '昼夜逆転。まずはアウトリーチで関係づくり。' }],
  goals: [
    { key: 'g1', personName: '濵田 蓮', text: '週1回、居場所に通う。' },
    { key: 'g2', personName: null, text: '家計の見通しを立てる。' },
  ],
  actions: [
    {
      key: 'a1',
      goalKey: 'g1',
      personName: '濵田 蓮',
      text: '訪問（週1回）',
      organizationName: 'NPO法人ひだまりの会',
      startOn: '2019-04-30',
      reviewOn: '2019-05-01',
    },
    { key: 'a2', goalKey: 'gone', personName: null, text: '家計相談', organizationName: 'デモ市社会福祉協議会', startOn: '2026-05-07', reviewOn: '2026-08-31' },
  ],
  withheld: [{ name: '濵田 花', reason: '本人同意の範囲外' }],
};

describe('planWorkbook', () => {
  it('writes status, goals and actions with 和暦 dates, and the withheld members', async () => {
    const book = await read(await planWorkbook(plan));
    expect(book.worksheets.map((w) => w.name)).toEqual(['支援プラン', '目標', '支援内容', '表示されない世帯員']);
    for (const ws of book.worksheets) expectStamped(ws, '支援プラン');

    const main = rows(sheet(book, '支援プラン'));
    expect(main).toContainEqual(['状態', '承認待ち']);
    expect(main).toContainEqual(['承認', '未承認（会議での承認前）']);
    expect(main).toContainEqual(['作成日', '令和8年4月20日（月）']);
    expect(main.slice(-2)).toEqual([
      ['世帯員', '続柄', '支援の見立て'],
      ['濵田 蓮', '長男', '昼夜逆転。まずはアウトリーチで関係づくり。'],
    ]);
    expect(rows(sheet(book, '目標')).slice(-3)).toEqual([
      ['番号', '対象', '目標'],
      ['目標1', '濵田 蓮', '週1回、居場所に通う。'],
      ['目標2', '世帯全体', '家計の見通しを立てる。'],
    ]);
    const actions = sheet(book, '支援内容');
    expect(rows(actions).slice(-3)).toEqual([
      ['目標', '支援内容', '対象', '担当機関', '開始日', '見直し日'],
      ['目標1', '訪問（週1回）', '濵田 蓮', 'NPO法人ひだまりの会', '平成31年4月30日', '令和元年5月1日'],
      ['—', '家計相談', '世帯全体', 'デモ市社会福祉協議会', '令和8年5月7日', '令和8年8月31日'],
    ]);
    expect(actions.getColumn(2).width).toBe(60);
    expect(rows(sheet(book, '表示されない世帯員')).slice(-1)).toEqual([['濵田 花', '本人同意の範囲外']]);
  });

  it('names the approving meeting once approved', async () => {
    const approved = {
      ...plan,
      status: 'approved',
      approval: { meetingTitle: '第4回 重層的支援会議', meetingStartsAt: '2026-05-14T05:00:00Z', approvedAt: '2026-05-14T15:10:00Z', approvedBy: '大森 直樹' },
    };
    const main = rows(sheet(await read(await planWorkbook(approved)), '支援プラン'));
    expect(main).toContainEqual(['状態', '承認済み']);
    expect(main).toContainEqual(['承認した会議', '第4回 重層的支援会議']);
    expect(main).toContainEqual(['会議の開催日', '令和8年5月14日（木）']);
    expect(main).toContainEqual(['承認日', '令和8年5月15日']); // 00:10 on the 15th in Tokyo
    expect(main).toContainEqual(['承認者', '大森 直樹']);
  });
});
