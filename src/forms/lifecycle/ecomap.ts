/**
 * エコマップ: the household as a circle in the middle (member names inside, 本人 marked) and the
 * agencies around it, evenly spaced on an ellipse, each joined to the household by a line
 * whose style says on what ground the agency takes part. Standalone printable SVG with the
 * same rules as the genogram: deterministic, escaped, role="img" with <title>/<desc>, no
 * scripts, no external references.
 *
 * Line styles are distinguishable in black-and-white print as well as in colour:
 * lead = thick solid, referral = solid, consent = solid blue with an arrowhead (information
 * flows to the agency on the person's consent), meeting = dashed (shared under a
 * 支援会議 / 重層的支援会議), watch = dotted (見守り after the case ended). Each box also names
 * its relation in words, so the colour is never the only carrier of meaning.
 */
import { drawLegend, escapeXml, f, type LegendItem, oneLine, svgDocument, textEm, wrapText } from './genogram.ts';
import type { EcomapInput, EcomapOrganization } from './types.ts';

interface LineStyle {
  ja: string;
  stroke: string;
  width: number;
  dash: string | null;
  arrow: boolean;
}

export const ECOMAP_RELATIONS: Readonly<Record<string, LineStyle>> = {
  lead: { ja: '主担当', stroke: '#000000', width: 5, dash: null, arrow: false },
  referral: { ja: 'つなぎ（紹介）', stroke: '#000000', width: 2, dash: null, arrow: false },
  consent: { ja: '本人同意', stroke: '#1d4ed8', width: 2, dash: null, arrow: true },
  meeting: { ja: '支援会議', stroke: '#000000', width: 2, dash: '9 5', arrow: false },
  watch: { ja: '見守り（終結後）', stroke: '#000000', width: 2.2, dash: '1 5', arrow: false },
};
const OTHER: LineStyle = { ja: 'その他', stroke: '#666666', width: 1.2, dash: '6 3 1 3', arrow: false };

const MARGIN = 24;
const TOP = 56;
const BOX_W = 196;
const PAD = 8;
const NAME_SIZE = 12;
const NAME_LINE = 15;
const ADDED_LATER = '（新）';
/** Width over height of the ellipse the agencies stand on (their boxes are wide). */
export const ORBIT_ASPECT = 1.45;

function styleOf(relation: string): { key: string; style: LineStyle } {
  const key = relation.trim().toLowerCase();
  const style = ECOMAP_RELATIONS[key];
  return style ? { key, style } : { key: 'other', style: OTHER };
}

function lineAttrs(s: LineStyle, arrowId: string): string {
  let a = `stroke="${s.stroke}" stroke-width="${f(s.width)}" fill="none"`;
  if (s.dash) a += ` stroke-dasharray="${s.dash}"`;
  if (s.dash?.startsWith('1 ')) a += ' stroke-linecap="round"';
  if (s.arrow) a += ` marker-end="url(#${arrowId})"`;
  return a;
}

interface Placed {
  org: EcomapOrganization;
  key: string;
  style: LineStyle;
  lines: string[];
  w: number;
  h: number;
  x: number;
  y: number;
}

function overlaps(a: Placed, b: Placed, gap: number): boolean {
  return Math.abs(a.x - b.x) < (a.w + b.w) / 2 + gap && Math.abs(a.y - b.y) < (a.h + b.h) / 2 + gap;
}

/** Distance from a box's centre to its edge along the unit direction (ux, uy). */
function toEdge(w: number, h: number, ux: number, uy: number): number {
  const tx = Math.abs(ux) > 1e-9 ? w / 2 / Math.abs(ux) : Number.POSITIVE_INFINITY;
  const ty = Math.abs(uy) > 1e-9 ? h / 2 / Math.abs(uy) : Number.POSITIVE_INFINITY;
  return Math.min(tx, ty);
}

function openActions(org: EcomapOrganization): number {
  const n = org.openActions;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`openActions must be a non-negative integer: ${String(n)}`);
  return n;
}

export function renderEcomap(input: EcomapInput): string {
  const household = oneLine(input.householdName);
  const members = input.members.map((m) => ({ name: oneLine(m.name) || '（氏名なし）', index: m.index }));

  // The household circle: its name, then one line per member.
  const centreLines = [
    { text: household, size: 14, index: false },
    ...members.map((m) => ({ text: m.index ? `${m.name}（本人）` : m.name, size: 12, index: m.index })),
  ];
  const textW = Math.max(...centreLines.map((l) => textEm(l.text) * l.size));
  const textH = centreLines.length * 17;
  const R = Math.max(70, Math.ceil(Math.hypot(textW / 2, textH / 2) + 12));

  const placed: Placed[] = input.organizations.map((org) => {
    openActions(org);
    const { key, style } = styleOf(org.relation);
    const lines = wrapText(oneLine(org.name) || '（機関名なし）', (BOX_W - PAD * 2 - 6) / NAME_SIZE);
    return { org, key, style, lines, w: BOX_W, h: PAD * 2 + lines.length * NAME_LINE + 16, x: 0, y: 0 };
  });

  // Evenly on an ellipse (wider than tall: the boxes are), grown until no two boxes touch and
  // none touches the household circle.
  const n = placed.length;
  const maxH = Math.max(0, ...placed.map((p) => p.h));
  let ry = R + maxH / 2 + 70;
  for (let step = 0; step < 400; step++) {
    const rx = ry * ORBIT_ASPECT;
    placed.forEach((p, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
      p.x = rx * Math.cos(a);
      p.y = ry * Math.sin(a);
    });
    const clash = placed.some((p, i) => placed.some((q, j) => j > i && overlaps(p, q, 14)) || Math.hypot(p.x, p.y) - toEdge(p.w, p.h, p.x, p.y) < R + 50);
    if (!clash) break;
    ry += 10;
  }

  // Bounds, then the centre so that everything sits inside the margins under the heading.
  const lefts = [-R, ...placed.map((p) => p.x - p.w / 2)];
  const rights = [R, ...placed.map((p) => p.x + p.w / 2 + 12)];
  const tops = [-R, ...placed.map((p) => p.y - p.h / 2 - 12)];
  const bottoms = [R, ...placed.map((p) => p.y + p.h / 2)];
  const cx = MARGIN - Math.min(...lefts);
  const cy = TOP - Math.min(...tops);
  const width = Math.max(cx + Math.max(...rights) + MARGIN, 660);
  const bottom = cy + Math.max(...bottoms) + 24;

  const title = `${household} エコマップ（関係機関）`;
  const legendStyles = [...Object.values(ECOMAP_RELATIONS), ...(placed.some((p) => p.key === 'other') ? [OTHER] : [])];
  const body = (id: string): string[] => {
    const arrowId = `${id}-arrow`;
    const out: string[] = [
      '<defs>',
      `<marker id="${arrowId}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto"><path d="M0 0L10 5L0 10z" fill="${ECOMAP_RELATIONS.consent?.stroke}"/></marker>`,
      '</defs>',
      `<text class="heading" x="${MARGIN}" y="32" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ];

    for (const p of placed) {
      const d = Math.hypot(p.x, p.y) || 1;
      const ux = p.x / d;
      const uy = p.y / d;
      const end = d - toEdge(p.w, p.h, ux, uy) - 2;
      out.push(
        `<line class="relation ${p.key}" x1="${f(cx + ux * R)}" y1="${f(cy + uy * R)}" x2="${f(cx + ux * end)}" y2="${f(cy + uy * end)}" ${lineAttrs(p.style, arrowId)}/>`,
      );
    }

    out.push(`<g class="household">`);
    out.push(`<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(R)}" fill="#f3f4f6" stroke="#000000" stroke-width="2"/>`);
    let ty = cy - textH / 2 + 13;
    for (const l of centreLines) {
      const weight = l === centreLines[0] || l.index ? ' font-weight="bold"' : '';
      const cls = l === centreLines[0] ? 'household-name' : l.index ? 'member index' : 'member';
      out.push(`<text class="${cls}" x="${f(cx)}" y="${f(ty)}" text-anchor="middle" font-size="${l.size}"${weight}>${escapeXml(l.text)}</text>`);
      ty += 17;
    }
    out.push('</g>');

    for (const p of placed) {
      const x0 = cx + p.x - p.w / 2;
      const y0 = cy + p.y - p.h / 2;
      const stroke = p.key === 'lead' ? 'stroke-width="2.5"' : 'stroke-width="1.2"';
      out.push(`<g class="organization ${p.key}">`);
      out.push(`<rect x="${f(x0)}" y="${f(y0)}" width="${f(p.w)}" height="${f(p.h)}" rx="8" fill="#ffffff" stroke="#000000" ${stroke}/>`);
      p.lines.forEach((line, i) => {
        out.push(
          `<text class="organization-name" x="${f(x0 + PAD)}" y="${f(y0 + PAD + 12 + i * NAME_LINE)}" font-size="${NAME_SIZE}">${escapeXml(line)}</text>`,
        );
      });
      const added = p.org.addedLater ? `<tspan class="added-later" fill="#b00020">${ADDED_LATER}</tspan>` : '';
      out.push(
        `<text class="relation-label" x="${f(x0 + PAD)}" y="${f(y0 + p.h - PAD - 1)}" font-size="10.5" fill="#444444">${escapeXml(p.style.ja)}${added}</text>`,
      );
      const count = openActions(p.org);
      if (count > 0) {
        out.push(
          `<g class="open-actions"><circle cx="${f(x0 + p.w)}" cy="${f(y0)}" r="11" fill="#c2410c"/><text x="${f(x0 + p.w)}" y="${f(y0 + 4)}" text-anchor="middle" font-size="11" font-weight="bold" fill="#ffffff">${count}</text></g>`,
        );
      }
      out.push('</g>');
    }
    if (n === 0) out.push(`<text class="empty" x="${f(cx + R + 16)}" y="${f(cy + 4)}" font-size="12">関係機関の登録がありません</text>`);

    const items: LegendItem[] = legendStyles.map((s) => ({
      label: s.ja,
      draw: (x, y) => `<line x1="${f(x)}" y1="${f(y)}" x2="${f(x + 40)}" y2="${f(y)}" ${lineAttrs(s, arrowId)}/>`,
    }));
    items.push({
      label: 'インテーク後に加わった機関',
      draw: (x, y) => `<text x="${f(x)}" y="${f(y + 4)}" font-size="11" fill="#b00020">${ADDED_LATER}</text>`,
    });
    items.push({
      label: '未完了の支援・タスクの数',
      draw: (x, y) =>
        `<circle cx="${f(x + 20)}" cy="${f(y)}" r="9" fill="#c2410c"/><text x="${f(x + 20)}" y="${f(y + 4)}" text-anchor="middle" font-size="10" font-weight="bold" fill="#ffffff">2</text>`,
    });
    drawLegend(out, items, MARGIN, bottom, width - MARGIN * 2, 200, 50);
    return out;
  };
  // Relation styles (その他 only when used), the (新) marker and the badge.
  const legendRows = Math.ceil((legendStyles.length + 2) / Math.max(1, Math.floor((width - MARGIN * 2) / 200)));
  const height = bottom + 32 + legendRows * 24 + 16;

  const who = members.map((m) => (m.index ? `${m.name}（本人）` : m.name)).join('、') || 'なし';
  const orgs = placed.map((p) => {
    const parts = [p.style.ja];
    if (p.org.addedLater) parts.push('インテーク後に追加');
    const count = openActions(p.org);
    if (count > 0) parts.push(`未完了${count}件`);
    return `${oneLine(p.org.name) || '（機関名なし）'}（${parts.join('、')}）`;
  });
  const desc = `${household}のエコマップ。世帯員：${who}。関係機関${n}機関${n > 0 ? `：${orgs.join('、')}` : ''}。`;
  return svgDocument({ kind: 'ecomap', width, height, title, desc, body });
}
