import { describe, expect, it } from 'vitest';
import { type DemoHousehold, households, type OrgKey, organizations, users } from '../../demo/demoData.ts';
import { ORBIT_ASPECT, renderEcomap } from './ecomap.ts';
import type { EcomapInput } from './types.ts';

/**
 * The demo household's team as the ecomap shows it: the lead, then each agency in the order it
 * joined (its basis as the relation, (新) unless it joined at intake); `watchers` are the
 * agencies that keep watching after the end. As a stand-in for open actions, the number of
 * records the agency's staff wrote on the case.
 */
function ecomapOf(name: string, watchers: OrgKey[] = []): EcomapInput {
  const h = households.find((x) => x.name === name) as DemoHousehold;
  const team: { key: OrgKey; relation: string; addedLater: boolean }[] = [{ key: h.case.lead, relation: 'lead', addedLater: false }];
  for (const s of h.case.steps) {
    if (s.do === 'team' && !team.some((t) => t.key === s.organization)) {
      team.push({ key: s.organization, relation: watchers.includes(s.organization) ? 'watch' : s.basis, addedLater: !s.atIntake });
    }
  }
  const orgOf = (login: string) => users.find((u) => u.loginId === login)?.organization;
  const index = h.case.problems[0]?.person;
  return {
    householdName: h.name,
    members: h.members.map((m) => {
      const p = h.persons.find((x) => x.key === m.person);
      return { name: `${p?.familyName} ${p?.givenName}`, index: m.person === index };
    }),
    organizations: team.map((t) => ({
      organizationId: t.key,
      name: organizations[t.key].name,
      relation: t.relation,
      addedLater: t.addedLater,
      openActions: h.case.steps.filter((s) => s.do === 'record' && orgOf(s.by) === t.key).length,
    })),
  };
}

const count = (svg: string, s: string): number => svg.split(s).length - 1;

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

function orgBoxes(svg: string): Rect[] {
  return [...svg.matchAll(/<g class="organization [a-z]+">\n<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/gu)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    w: Number(m[3]),
    h: Number(m[4]),
  }));
}

function centre(svg: string): { cx: number; cy: number; r: number } {
  const m = /<g class="household">\n<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"/u.exec(svg);
  if (!m) throw new Error('no household circle');
  return { cx: Number(m[1]), cy: Number(m[2]), r: Number(m[3]) };
}

/** The relation lines: class, start (on the household circle) and end (at the agency's box). */
function relationLines(svg: string): { cls: string; x1: number; y1: number; x2: number; y2: number; attrs: string }[] {
  return [...svg.matchAll(/<line class="relation ([a-z]+)" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)" ([^>]*)\/>/gu)].map((m) => ({
    cls: m[1] as string,
    x1: Number(m[2]),
    y1: Number(m[3]),
    x2: Number(m[4]),
    y2: Number(m[5]),
    attrs: m[6] as string,
  }));
}

/** Structure every ecomap must have, whatever the household. */
function expectWellFormed(svg: string, input: EcomapInput): void {
  const n = input.organizations.length;
  const { cx, cy, r } = centre(svg);
  const boxes = orgBoxes(svg);
  expect(boxes).toHaveLength(n);
  // No two agencies overlap, and none covers the household circle.
  boxes.forEach((a, i) => {
    boxes.slice(i + 1).forEach((b) => {
      expect(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y).toBe(true);
    });
    const nx = Math.max(a.x, Math.min(cx, a.x + a.w));
    const ny = Math.max(a.y, Math.min(cy, a.y + a.h));
    expect(Math.hypot(nx - cx, ny - cy)).toBeGreaterThan(r);
  });
  // Evenly spaced on the ellipse (equal steps of its parameter), starting straight up.
  const angles = relationLines(svg).map((l) => (Math.atan2((l.y1 - cy) * ORBIT_ASPECT, l.x1 - cx) * 180) / Math.PI);
  expect(angles).toHaveLength(n);
  angles.forEach((a, i) => {
    const expected = -90 + (360 * i) / n;
    const diff = ((((a - expected) % 360) + 540) % 360) - 180;
    expect(Math.abs(diff)).toBeLessThan(0.5);
  });
  // Open actions: one badge per agency with any, showing its number.
  const badges = [...svg.matchAll(/<g class="open-actions">.*?>(\d+)<\/text><\/g>/gu)].map((m) => Number(m[1]));
  expect(badges).toEqual(input.organizations.filter((o) => o.openActions > 0).map((o) => o.openActions));
  expect(count(svg, 'class="added-later"')).toBe(input.organizations.filter((o) => o.addedLater).length);
  expect(count(svg, 'class="member index"')).toBe(input.members.filter((m) => m.index).length);
  expect(svg).toContain('<g class="legend">');
}

describe('renderEcomap: the demo households', () => {
  it('齋藤家: the 保健センター leads, three agencies referred at intake, three joined through the 支援会議', async () => {
    const input = ecomapOf('齋藤家');
    const svg = renderEcomap(input);
    await expect(svg).toMatchFileSnapshot('./__snapshots__/ecomap-saito.svg');
    expectWellFormed(svg, input);
    const lines = relationLines(svg);
    expect(lines.map((l) => l.cls)).toEqual(['lead', 'referral', 'referral', 'referral', 'meeting', 'meeting', 'meeting']);
    expect(lines[0]?.attrs).toBe('stroke="#000000" stroke-width="5" fill="none"');
    expect(lines[1]?.attrs).toBe('stroke="#000000" stroke-width="2" fill="none"');
    expect(lines[4]?.attrs).toContain('stroke-dasharray="9 5"');
    expect(count(svg, 'class="added-later"')).toBe(3);
    expect(svg).toContain('>齋藤 義雄（本人）</text>');
    expect(svg).toContain('>デモ市保健センター</text>');
  });

  it('髙橋家 after the end: the NPO and the care manager keep watching (dotted lines)', async () => {
    // The watchers of the demo's termination evaluation (src/demo/lifecycleDemo.ts).
    const input = ecomapOf('髙橋家', ['npo', 'kyotaku']);
    const svg = renderEcomap(input);
    await expect(svg).toMatchFileSnapshot('./__snapshots__/ecomap-takahashi.svg');
    expectWellFormed(svg, input);
    expect(relationLines(svg).map((l) => l.cls)).toEqual(['lead', 'watch', 'consent', 'consent', 'watch']);
    const watch = relationLines(svg).filter((l) => l.cls === 'watch');
    for (const l of watch) expect(l.attrs).toBe('stroke="#000000" stroke-width="2.2" fill="none" stroke-dasharray="1 5" stroke-linecap="round"');
    expect(svg).toContain('見守り（終結後）');
  });

  it('渡邉家: agencies on the person’s consent, drawn blue with an arrowhead', async () => {
    const input = ecomapOf('渡邉家');
    const svg = renderEcomap(input);
    await expect(svg).toMatchFileSnapshot('./__snapshots__/ecomap-watanabe.svg');
    expectWellFormed(svg, input);
    const consent = relationLines(svg).filter((l) => l.cls === 'consent');
    expect(consent).toHaveLength(4);
    const marker = /<marker id="(kasane-ecomap-[0-9a-f]{8}-arrow)"/u.exec(svg)?.[1];
    expect(marker).toBeDefined();
    for (const l of consent) expect(l.attrs).toContain(`stroke="#1d4ed8" stroke-width="2" fill="none" marker-end="url(#${marker})"`);
  });

  it('濵田家 and 桒原家', async () => {
    for (const [name, file] of [
      ['濵田家', 'hamada'],
      ['桒原家', 'kuwabara'],
    ] as const) {
      const input = ecomapOf(name);
      const svg = renderEcomap(input);
      await expect(svg).toMatchFileSnapshot(`./__snapshots__/ecomap-${file}.svg`);
      expectWellFormed(svg, input);
    }
  });
});

describe('renderEcomap: edge cases', () => {
  const base: EcomapInput = {
    householdName: '試験家',
    members: [
      { name: '試験 太郎', index: true },
      { name: '試験 花子', index: false },
    ],
    organizations: [],
  };

  it('stays well formed from one to twelve agencies with long names', () => {
    for (let n = 1; n <= 12; n++) {
      const input: EcomapInput = {
        ...base,
        organizations: Array.from({ length: n }, (_, i) => ({
          organizationId: `o${i}`,
          name: i % 2 ? `デモ市こころの健康センター（精神保健福祉センター）第${i}支所` : `機関${i}`,
          relation: ['lead', 'referral', 'consent', 'meeting', 'watch'][i % 5] as string,
          addedLater: i % 3 === 0,
          openActions: i % 4,
        })),
      };
      expectWellFormed(renderEcomap(input), input);
    }
  });

  it('draws a household without agencies, and an unknown relation as その他 with its legend entry', () => {
    expect(renderEcomap(base)).toContain('関係機関の登録がありません');
    const svg = renderEcomap({ ...base, organizations: [{ organizationId: 'x', name: '謎の機関', relation: 'gossip', addedLater: false, openActions: 0 }] });
    expect(relationLines(svg)[0]?.cls).toBe('other');
    expect(svg).toContain('>その他</text>');
  });

  it('escapes names and refuses a negative or fractional number of open actions', () => {
    const svg = renderEcomap({
      householdName: '<b>&家',
      members: [{ name: '"<i>"', index: true }],
      organizations: [{ organizationId: 'x', name: 'A&B <script>', relation: 'lead', addedLater: true, openActions: 1 }],
    });
    expect(svg).not.toMatch(/<script|<b>|<i>/u);
    expect(svg).toContain('&lt;b&gt;&amp;家');
    expect(svg).toContain('&quot;&lt;i&gt;&quot;（本人）');
    expect(svg).toContain('A&amp;B &lt;script&gt;');
    for (const openActions of [-1, 1.5, Number.NaN]) {
      expect(() => renderEcomap({ ...base, organizations: [{ organizationId: 'x', name: 'A', relation: 'lead', addedLater: false, openActions }] })).toThrow(
        RangeError,
      );
    }
  });

  it('is deterministic, standalone and accessible', () => {
    const input = ecomapOf('渡邉家');
    const svg = renderEcomap(input);
    expect(renderEcomap(structuredClone(input))).toBe(svg);
    expect(svg).toMatch(/viewBox="0 0 \d+ \d+" role="img" aria-labelledby="(kasane-ecomap-[0-9a-f]{8})-title \1-desc"/u);
    expect(svg).toContain('<title id="kasane-ecomap-');
    expect(svg).toContain('渡邉家のエコマップ。世帯員：渡邉 隆（本人）、渡邉 恵美、渡邉 翔太、渡邉 美咲。関係機関6機関：デモ市 福祉総合相談課（主担当');
    expect(svg).toContain("font-family=\"'BIZ UDPGothic'");
    // Only internal references (the arrowhead marker); no scripts, links or images.
    expect(svg).not.toMatch(/<script|href=|@import|<image|<foreignObject/iu);
    for (const m of svg.matchAll(/url\(([^)]*)\)/gu)) expect(m[1]).toMatch(/^#kasane-ecomap-[0-9a-f]{8}-arrow$/u);
  });
});
