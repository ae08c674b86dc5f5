import { describe, expect, it } from 'vitest';
import { type DemoHousehold, households } from '../../demo/demoData.ts';
import { COMPOSITION_HIDDEN_NOTE, escapeXml, renderGenogram, wrapText } from './genogram.ts';
import type { GenogramInput, GenogramMember } from './types.ts';

const AS_OF = '2026-04-01';

function demo(name: string): DemoHousehold {
  const h = households.find((x) => x.name === name);
  if (!h) throw new Error(`no demo household ${name}`);
  return h;
}

/** The demo household as the lead sees it; 本人 = the first member with a problem in its case. */
function genogramOf(h: DemoHousehold): GenogramInput {
  const index = h.case.problems[0]?.person;
  return {
    householdName: h.name,
    asOf: AS_OF,
    members: h.members.map((m) => {
      const p = h.persons.find((x) => x.key === m.person);
      if (!p) throw new Error(`no person ${m.person}`);
      return {
        personId: p.key,
        name: `${p.familyName} ${p.givenName}`,
        sex: p.sex,
        birthDate: p.birthDate,
        deceased: false,
        relationship: m.relationship,
        livesTogether: m.livesTogether ?? false,
        keyPerson: m.keyPerson ?? false,
        index: p.key === index,
      };
    }),
  };
}

const count = (svg: string, s: string): number => svg.split(s).length - 1;

/** Centre (x) and label baseline (y) of each member, read from its name label. */
function names(svg: string): Map<string, { x: number; y: number }> {
  const out = new Map<string, { x: number; y: number }>();
  for (const m of svg.matchAll(/<text class="name" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]+)<\/text>/gu)) {
    out.set(m[3] as string, { x: Number(m[1]), y: Number(m[2]) });
  }
  return out;
}

function at(svg: string, name: string): { x: number; y: number } {
  const p = names(svg).get(name);
  if (!p) throw new Error(`${name} not drawn`);
  return p;
}

function rects(svg: string, cls: string): { x: number; y: number; w: number; h: number }[] {
  return [...svg.matchAll(new RegExp(`<rect class="${cls}" x="([\\d.]+)" y="([\\d.]+)" width="([\\d.]+)" height="([\\d.]+)"`, 'gu'))].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    w: Number(m[3]),
    h: Number(m[4]),
  }));
}

function member(over: Partial<GenogramMember> & Pick<GenogramMember, 'personId' | 'name' | 'relationship'>): GenogramMember {
  return { sex: 'unknown', birthDate: null, deceased: false, livesTogether: true, keyPerson: false, index: false, ...over };
}

describe('renderGenogram: the demo households', () => {
  it('齋藤家 (8050): father, mother and two sons, the father 本人, the elder son key person', async () => {
    const svg = renderGenogram(genogramOf(demo('齋藤家')));
    await expect(svg).toMatchFileSnapshot('./__snapshots__/genogram-saito.svg');
    expect(count(svg, '<rect class="symbol male"')).toBe(3);
    expect(count(svg, '<circle class="symbol female"')).toBe(1);
    expect(count(svg, 'class="symbol other"')).toBe(0);
    expect(count(svg, 'class="index-ring"')).toBe(1);
    // The double line belongs to the father's square: an inner square at the same centre.
    expect(svg).toMatch(/<rect class="symbol male" x="([\d.]+)" y="([\d.]+)" width="44" height="44"[^>]*\/>\n<rect class="index-ring"/u);
    expect(count(svg, '<g class="kp">')).toBe(1);
    expect(count(svg, 'class="marriage"')).toBe(1);
    expect(count(svg, 'class="deceased"')).toBe(0);
    expect(count(svg, 'class="cohabitation"')).toBe(1);
    expect(svg).not.toContain(COMPOSITION_HIDDEN_NOTE);
    // Generations: the couple side by side, the sons one row lower, the elder on the left.
    const father = at(svg, '齋藤 義雄');
    const mother = at(svg, '齋藤 和子');
    const elder = at(svg, '齋藤 浩一');
    const younger = at(svg, '齋藤 健二');
    expect(father.y).toBe(mother.y);
    expect(father.x).toBeLessThan(mother.x);
    expect(elder.y).toBeGreaterThan(father.y);
    expect(elder.y).toBe(younger.y);
    expect(elder.x).toBeLessThan(younger.x);
    // Ages on 令和8年4月1日.
    expect(svg).toContain('>83歳<');
    expect(svg).toContain('>81歳<');
    expect(svg).toContain('>55歳<');
    expect(svg).toContain('>51歳<');
    expect(svg).toContain('齋藤家 家族構成図（令和8年4月1日現在）');
  });

  it('髙橋家: the father alone at the top, the hikikomori son under him', async () => {
    const svg = renderGenogram(genogramOf(demo('髙橋家')));
    await expect(svg).toMatchFileSnapshot('./__snapshots__/genogram-takahashi.svg');
    expect(count(svg, '<rect class="symbol male"')).toBe(2);
    expect(count(svg, 'class="symbol female"')).toBe(0);
    expect(count(svg, 'class="marriage"')).toBe(0);
    expect(count(svg, '<g class="kp">')).toBe(1);
    expect(count(svg, 'class="descent"')).toBeGreaterThan(0);
    expect(at(svg, '髙橋 誠').y).toBeGreaterThan(at(svg, '髙橋 正雄').y);
    expect(at(svg, '髙橋 誠').x).toBe(at(svg, '髙橋 正雄').x);
  });

  it('渡邉家: the couple and their two children; the wife is the key person', async () => {
    const svg = renderGenogram(genogramOf(demo('渡邉家')));
    await expect(svg).toMatchFileSnapshot('./__snapshots__/genogram-watanabe.svg');
    expect(count(svg, '<rect class="symbol male"')).toBe(2);
    expect(count(svg, '<circle class="symbol female"')).toBe(2);
    expect(count(svg, 'class="marriage"')).toBe(1);
    const father = at(svg, '渡邉 隆');
    const mother = at(svg, '渡邉 恵美');
    const son = at(svg, '渡邉 翔太');
    const daughter = at(svg, '渡邉 美咲');
    expect(son.y).toBe(daughter.y);
    expect(son.y).toBeGreaterThan(father.y);
    expect(son.x).toBeLessThan(daughter.x); // the elder on the left
    // The children hang from the middle of the couple's line.
    expect((son.x + daughter.x) / 2).toBe((father.x + mother.x) / 2);
    // The KP badge sits at the wife's symbol.
    const kp = /<g class="kp"><rect x="([\d.]+)"/u.exec(svg);
    expect(Number(kp?.[1])).toBe(mother.x + 10);
  });

  it('濵田家: a mother (世帯主) and her son; 本人 is the son', async () => {
    const svg = renderGenogram(genogramOf(demo('濵田家')));
    await expect(svg).toMatchFileSnapshot('./__snapshots__/genogram-hamada.svg');
    expect(count(svg, '<circle class="symbol female"')).toBe(1);
    expect(count(svg, '<rect class="symbol male"')).toBe(1);
    // The son's square is the double-lined one.
    const son = at(svg, '濵田 蓮');
    expect(svg).toContain(`<rect class="index-ring" x="${son.x - 17.5}"`);
  });

  it('桒原家 with a deceased husband: crossed out, no age, outside the enclosure', async () => {
    const input = genogramOf(demo('桒原家'));
    input.members.push(
      member({ personId: 'shigeru', name: '桒原 茂', sex: 'male', birthDate: '1930-02-11', deceased: true, relationship: '夫', livesTogether: false }),
    );
    const svg = renderGenogram(input);
    await expect(svg).toMatchFileSnapshot('./__snapshots__/genogram-kuwabara-deceased.svg');
    expect(count(svg, 'class="deceased"')).toBe(1);
    // A husband stands left of his wife, the 世帯主.
    const husband = at(svg, '桒原 茂');
    const wife = at(svg, '桒原 フミ');
    expect(husband.x).toBeLessThan(wife.x);
    // The cross is centred on his square: its first stroke runs through the symbol's centre.
    const cross = /<path class="deceased" d="M([\d.]+) ([\d.]+)L([\d.]+) ([\d.]+)/u.exec(svg);
    expect(((Number(cross?.[1]) + Number(cross?.[3])) / 2).toFixed(1)).toBe(husband.x.toFixed(1));
    // 92 and 64; none for him (he would be 96).
    expect(svg).toContain('>92歳<');
    expect(svg).toContain('>64歳<');
    expect(svg).not.toContain('>96歳<');
    expect(svg).toContain('桒原 茂（夫、男性、死亡、別居）');
    // He does not live there: the enclosure(s) hold mother and daughter only.
    const boxes = rects(svg, 'cohabitation');
    const inside = (p: { x: number; y: number }) => boxes.some((b) => p.x > b.x && p.x < b.x + b.w && p.y > b.y && p.y < b.y + b.h);
    expect(inside(husband)).toBe(false);
    expect(inside(wife)).toBe(true);
    expect(inside(at(svg, '桒原 典子'))).toBe(true);
  });

  it('髙橋家 as a team agency sees it: no composition, so no enclosure, no KP and a note', async () => {
    const input = genogramOf(demo('髙橋家'));
    for (const m of input.members) {
      m.livesTogether = null;
      m.keyPerson = null;
    }
    const svg = renderGenogram(input);
    await expect(svg).toMatchFileSnapshot('./__snapshots__/genogram-takahashi-hidden.svg');
    expect(count(svg, 'class="cohabitation"')).toBe(0);
    expect(count(svg, 'class="kp"')).toBe(0);
    expect(svg).not.toContain('>キーパーソン</text>'); // no legend entry
    expect(svg).toContain(`※${COMPOSITION_HIDDEN_NOTE}`);
    expect(svg).not.toContain('同居（点線の囲み）');
    expect(svg).not.toContain('別居');
  });
});

describe('renderGenogram: layout from the 続柄', () => {
  const wide: GenogramInput = {
    householdName: '試験家',
    asOf: AS_OF,
    members: [
      member({ personId: 'p1', name: '試験 一郎', sex: 'male', birthDate: '1965-06-01', relationship: '世帯主', index: true }),
      member({ personId: 'p2', name: '試験 春子', sex: 'female', birthDate: '1967-03-03', relationship: '妻', keyPerson: true }),
      member({ personId: 'p3', name: '試験 次子', sex: 'female', birthDate: '1995-09-09', relationship: '次女' }),
      member({ personId: 'p4', name: '試験 長子', sex: 'female', birthDate: '1992-01-01', relationship: '長女', livesTogether: false }),
      member({ personId: 'p5', name: '試験 三太', sex: 'male', birthDate: '1998-12-12', relationship: '三男' }),
      member({ personId: 'p6', name: '試験 父男', sex: 'male', birthDate: '1935-01-01', relationship: '父', deceased: true, livesTogether: false }),
      member({ personId: 'p7', name: '試験 母子', sex: 'female', birthDate: '1938-02-02', relationship: '母' }),
      member({ personId: 'p8', name: '試験 兄太', sex: 'male', birthDate: '1962-04-04', relationship: '兄', livesTogether: false }),
      member({ personId: 'p9', name: '試験 義母', sex: 'female', birthDate: '1940-05-05', relationship: '義母', livesTogether: false }),
      member({ personId: 'p10', name: '試験 孫子', sex: 'female', birthDate: '2020-10-10', relationship: '孫' }),
      member({ personId: 'p11', name: '同居 人', sex: 'other', relationship: '同居人' }),
      member({ personId: 'p12', name: '不明 続柄', sex: null, relationship: 'いとこ', livesTogether: false }),
      member({ personId: 'p13', name: '試験 祖母', sex: 'female', birthDate: '1910-01-01', relationship: '祖母', deceased: true, livesTogether: false }),
    ],
  };

  it('places each generation in its row and the unplaceable at the side', async () => {
    const svg = renderGenogram(wide);
    await expect(svg).toMatchFileSnapshot('./__snapshots__/genogram-generations.svg');
    const y = (n: string) => at(svg, n).y;
    expect(y('試験 祖母')).toBeLessThan(y('試験 父男'));
    expect(y('試験 父男')).toBe(y('試験 母子'));
    expect(y('試験 父男')).toBe(y('試験 義母'));
    expect(y('試験 母子')).toBeLessThan(y('試験 一郎'));
    expect(y('試験 兄太')).toBe(y('試験 一郎'));
    expect(y('試験 春子')).toBe(y('試験 一郎'));
    expect(y('試験 長子')).toBeGreaterThan(y('試験 一郎'));
    expect(y('試験 孫子')).toBeGreaterThan(y('試験 長子'));
    // Children by birth, the eldest on the left, whatever order they were entered in.
    const x = (n: string) => at(svg, n).x;
    expect(x('試験 長子')).toBeLessThan(x('試験 次子'));
    expect(x('試験 次子')).toBeLessThan(x('試験 三太'));
    // The sibling on the head's side away from the spouse; the spouse's mother above the spouse.
    expect(x('試験 兄太')).toBeLessThan(x('試験 一郎'));
    expect(x('試験 一郎')).toBeLessThan(x('試験 春子'));
    expect(x('試験 義母')).toBe(x('試験 春子'));
    // 同居人 and an unknown 続柄 in the side column, right of everybody else.
    const placed = ['試験 一郎', '試験 春子', '試験 三太', '試験 義母', '試験 孫子'].map(x);
    expect(x('同居 人')).toBeGreaterThan(Math.max(...placed));
    expect(x('不明 続柄')).toBe(x('同居 人'));
    expect(count(svg, 'class="symbol other"')).toBe(2);
    expect(count(svg, 'class="deceased"')).toBe(2);
    expect(count(svg, 'class="descent inferred"')).toBeGreaterThan(0);
    expect(svg).toContain('親子（続柄からの推定）');
  });

  it('never encloses a member who lives elsewhere', () => {
    const svg = renderGenogram(wide);
    const boxes = rects(svg, 'cohabitation');
    expect(boxes.length).toBeGreaterThan(1);
    for (const m of wide.members) {
      const p = at(svg, m.name);
      const inside = boxes.some((b) => p.x > b.x && p.x < b.x + b.w && p.y > b.y && p.y < b.y + b.h);
      expect(inside, m.name).toBe(m.livesTogether === true);
    }
  });

  it('puts a second 世帯主 or a second 妻 at the side instead of guessing', () => {
    const svg = renderGenogram({
      householdName: '重複家',
      asOf: AS_OF,
      members: [
        member({ personId: 'a', name: '甲', sex: 'male', relationship: '世帯主' }),
        member({ personId: 'b', name: '乙', sex: 'female', relationship: '妻' }),
        member({ personId: 'c', name: '丙', sex: 'female', relationship: '妻' }),
      ],
    });
    expect(count(svg, 'class="marriage"')).toBe(1);
    expect(at(svg, '丙').x).toBeGreaterThan(at(svg, '乙').x);
    expect(svg).toContain('その他の世帯員');
  });
});

describe('renderGenogram: text, dates and output', () => {
  it('escapes every text and drops control and bidi characters', () => {
    const svg = renderGenogram({
      householdName: '<script>alert(1)</script>家',
      asOf: AS_OF,
      members: [member({ personId: 'x', name: '山田 <&> "太郎\u202E\u0007', sex: 'male', relationship: "世帯主'", index: true })],
    });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;家');
    expect(svg).toContain('>山田 &lt;&amp;&gt; &quot;太郎</text>');
    expect(svg).toContain('世帯主&apos;');
    expect(svg.includes('\u0007') || svg.includes('\u202E')).toBe(false);
    expect(escapeXml('a\uD800b')).toBe('ab');
  });

  it('computes ages on the Japan date, whatever the timestamp form and the TZ of the machine', () => {
    const born = member({ personId: 'a', name: '誕生 日子', sex: 'female', birthDate: '1960-05-14', relationship: '世帯主' });
    // 2026-05-13T15:00Z is 2026-05-14 00:00 in Tokyo: the birthday.
    expect(renderGenogram({ householdName: 'A', asOf: '2026-05-13T15:00:00Z', members: [born] })).toContain('>66歳<');
    expect(renderGenogram({ householdName: 'A', asOf: '2026-05-13', members: [born] })).toContain('>65歳<');
    const leap = member({ personId: 'b', name: '閏 年子', sex: 'female', birthDate: '2004-02-29', relationship: '世帯主' });
    expect(renderGenogram({ householdName: 'A', asOf: '2025-02-28', members: [leap] })).toContain('>20歳<');
    expect(renderGenogram({ householdName: 'A', asOf: '2025-03-01', members: [leap] })).toContain('>21歳<');
    const before = process.env.TZ;
    const input = genogramOf(demo('齋藤家'));
    const utc = renderGenogram(input);
    try {
      process.env.TZ = 'America/Los_Angeles';
      expect(renderGenogram(input)).toBe(utc);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('prints no age for a birth date after asOf, and refuses an invalid asOf', () => {
    const svg = renderGenogram({
      householdName: 'A',
      asOf: AS_OF,
      members: [member({ personId: 'a', name: '未来', birthDate: '2030-01-01', relationship: '子' })],
    });
    expect(svg).not.toContain('歳<');
    expect(() => renderGenogram({ householdName: 'A', asOf: '2026-02-30', members: [] })).toThrow(RangeError);
  });

  it('is deterministic, standalone and accessible', () => {
    const input = genogramOf(demo('渡邉家'));
    const svg = renderGenogram(input);
    expect(renderGenogram(structuredClone(input))).toBe(svg);
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toMatch(/viewBox="0 0 \d+ \d+" role="img" aria-labelledby="(kasane-genogram-[0-9a-f]{8})-title \1-desc"/u);
    expect(svg).toContain("font-family=\"'BIZ UDPGothic', 'BIZ UDゴシック', 'Noto Sans JP'");
    expect(svg).toMatch(/<title id="kasane-genogram-[0-9a-f]{8}-title">渡邉家 家族構成図（令和8年4月1日現在）<\/title>/u);
    expect(svg).toContain('世帯員4名：渡邉 隆（世帯主、男性、47歳、本人、同居）');
    expect(svg).not.toMatch(/<script|href=|url\(|@import|<image|<foreignObject/iu);
  });

  it('draws an empty household with a note', () => {
    const svg = renderGenogram({ householdName: '空家', asOf: AS_OF, members: [] });
    expect(svg).toContain('世帯員の登録がありません');
    expect(count(svg, 'class="symbol')).toBe(0);
  });

  it('wraps long names without dropping a character', () => {
    const long = '寿限無寿限無五劫の擦り切れ海砂利水魚';
    expect(wrapText(long, 8).join('')).toBe(long);
    expect(wrapText(long, 8).length).toBe(3);
    // 禁則: ー and 。 never start a line, （ never ends one.
    expect(wrapText('デモ市南部地域包括支援センター', 14)).toEqual(['デモ市南部地域包括支援センター']);
    expect(wrapText('あいうえお。かきく', 5)).toEqual(['あいうえお。', 'かきく']);
    expect(wrapText('あいうえ（かきく）', 5)).toEqual(['あいうえ', '（かきく）']);
    const svg = renderGenogram({ householdName: 'A', asOf: AS_OF, members: [member({ personId: 'a', name: long, relationship: '世帯主' })] });
    expect([...svg.matchAll(/<text class="name"[^>]*>([^<]+)</gu)].map((m) => m[1]).join('')).toBe(long);
  });
});
