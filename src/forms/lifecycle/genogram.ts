/**
 * 家族構成図 (genogram) as a standalone, printable SVG: no scripts, no external references,
 * byte-identical output for the same input, every text escaped.
 *
 * Symbols (the usual genogram conventions, as in 支援会議 resumes):
 * - square = male, circle = female; other / unknown / not recorded = a diamond (◇), chosen over
 *   a rounded square because it cannot be mistaken for either of the other two at print size;
 * - 本人 (the index person) double-lined; a deceased member crossed out (×) and without an age;
 * - the age on `asOf` (a Japan calendar date) inside the symbol, name and 続柄 under it;
 * - the key person with a "KP" badge, the members who live together inside a dotted enclosure —
 *   both only when the reader may see the household's composition (rule 1: the lead only);
 *   otherwise a note says why they are missing.
 *
 * Layout comes from the 続柄 relative to the 世帯主: grandparents, parents (and the spouse's
 * parents above the spouse), the head with the spouse (married: a horizontal line; a husband
 * stands left of his wife) and the head's siblings on the head's outer side, the children
 * hanging from the couple's line, the grandchildren below. 続柄 do not say whose child a 孫 is
 * or whose parent a 祖父 is, so those two links are drawn dashed ("inferred"). Members whose
 * 続柄 places them nowhere (同居人, その他, anything unknown) stand in a column at the side.
 *
 * The helpers at the end (printable, escapeXml, wrapText, svgDocument) are shared with the
 * ecomap.
 */
import { ageOn, formatWareki, toTokyoDate } from '../../ja/wareki.ts';
import { clean } from '../meetings/pdf.ts';
import type { GenogramInput, GenogramMember } from './types.ts';

export const COMPOSITION_HIDDEN_NOTE = '同居・キーパーソンは主担当機関のみ表示';

const W = 116; // slot width per member
const S = 44; // symbol size (square side, circle diameter)
const BAR = 34; // room above a symbol for the connecting bar and the KP badge
const LINE = 14; // label line height
const MARGIN = 24;
const TOP = 62; // below the visible heading
const NAME_EM = (W - 12) / 12;

type Kind =
  | 'head'
  | 'spouse'
  | 'father'
  | 'mother'
  | 'fatherInLaw'
  | 'motherInLaw'
  | 'grandfather'
  | 'grandmother'
  | 'sibling'
  | 'child'
  | 'childInLaw'
  | 'grandchild'
  | 'other';

const SINGLE: Readonly<Record<string, Kind>> = {
  世帯主: 'head',
  本人: 'head',
  妻: 'spouse',
  夫: 'spouse',
  配偶者: 'spouse',
  父: 'father',
  母: 'mother',
  義父: 'fatherInLaw',
  義母: 'motherInLaw',
  祖父: 'grandfather',
  祖母: 'grandmother',
  兄: 'sibling',
  姉: 'sibling',
  弟: 'sibling',
  妹: 'sibling',
  子: 'child',
  養子: 'child',
  養女: 'child',
  嫁: 'childInLaw',
  婿: 'childInLaw',
  子の妻: 'childInLaw',
  子の夫: 'childInLaw',
  子の配偶者: 'childInLaw',
};
/** Only one of each of these can stand in its place; a second one goes to the side column. */
const UNIQUE: ReadonlySet<Kind> = new Set(['head', 'spouse', 'father', 'mother', 'fatherInLaw', 'motherInLaw', 'grandfather', 'grandmother']);
const BIRTH_ORDER = /^(長|次|二|三|四|五|六|七|八|九|十|末)(男|女)$/u;
const RANKS = '長次二三四五六七八九十末';

function normalizeRelationship(rel: string): string {
  return printable(rel).normalize('NFKC').replace(/\s+/gu, '');
}

function kindOf(rel: string): Kind {
  const r = normalizeRelationship(rel);
  const single = SINGLE[r];
  if (single) return single;
  if (BIRTH_ORDER.test(r)) return 'child';
  if (r.startsWith('孫')) return 'grandchild';
  return 'other';
}

const SEX_LABEL = { male: '男性', female: '女性', other: 'その他', unknown: '不明' } as const;

interface Node {
  m: GenogramMember;
  kind: Kind;
  /** Input position: the last tie-breaker, so the layout never depends on sort stability. */
  seq: number;
  age: number | null;
  x: number;
  cy: number;
  /** Which row (generation) or 'side' — the enclosure's fallback works lane by lane. */
  lane: string;
  labels: Label[];
}

interface Label {
  text: string;
  relationship: boolean;
}

function half(n: Node): number {
  return n.m.sex === 'male' || n.m.sex === 'female' ? S / 2 : S / 2 + 3;
}

function ageOf(m: GenogramMember, asOf: string): number | null {
  if (m.deceased || !m.birthDate) return null;
  try {
    return ageOn(m.birthDate, asOf);
  } catch {
    // A birth date after asOf or malformed: print no age rather than a wrong one.
    return null;
  }
}

/** Older first, then by the rank in the 続柄 (長 before 次), then as entered. */
function byBirth(a: Node, b: Node): number {
  const ab = a.m.birthDate ?? '9999-99-99';
  const bb = b.m.birthDate ?? '9999-99-99';
  if (ab !== bb) return ab < bb ? -1 : 1;
  const ar = RANKS.indexOf(normalizeRelationship(a.m.relationship).charAt(0));
  const br = RANKS.indexOf(normalizeRelationship(b.m.relationship).charAt(0));
  if (ar !== br) return (ar < 0 ? 99 : ar) - (br < 0 ? 99 : br);
  return a.seq - b.seq;
}

/** Place `proposed` x positions in order, at least one slot apart (pushing to the right). */
function spread(nodes: { n: Node; x: number }[]): void {
  const sorted = [...nodes].sort((a, b) => a.x - b.x || a.n.seq - b.n.seq);
  let prev = Number.NEGATIVE_INFINITY;
  for (const p of sorted) {
    p.n.x = Math.max(p.x, prev + W);
    prev = p.n.x;
  }
}

function centred(nodes: Node[], centre: number): { n: Node; x: number }[] {
  return nodes.map((n, i) => ({ n, x: centre + (i - (nodes.length - 1) / 2) * W }));
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

interface Anchor {
  x: number;
  y: number;
}

/** The lowest point of a member's drawing (its last label line). */
function labelBottom(n: Node): number {
  return n.cy + half(n) + 6 + n.labels.length * LINE;
}

/** Where the line to a couple's children starts (their marriage line), or a single parent's (under the labels). */
function anchorOf(a: Node | undefined, b: Node | undefined): Anchor | null {
  if (a && b) return { x: (a.x + b.x) / 2, y: a.cy };
  const one = a ?? b;
  return one ? { x: one.x, y: labelBottom(one) } : null;
}

function connector(out: string[], from: Anchor, barY: number, targets: Node[], dashed: boolean): void {
  if (targets.length === 0) return;
  const cls = dashed ? 'descent inferred' : 'descent';
  const dash = dashed ? ' stroke-dasharray="5 4"' : '';
  const attrs = `class="${cls}" stroke="#000000" stroke-width="1.2"${dash}`;
  out.push(`<line ${attrs} x1="${f(from.x)}" y1="${f(from.y)}" x2="${f(from.x)}" y2="${f(barY)}"/>`);
  const xs = [from.x, ...targets.map((t) => t.x)];
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  if (hi > lo) out.push(`<line ${attrs} x1="${f(lo)}" y1="${f(barY)}" x2="${f(hi)}" y2="${f(barY)}"/>`);
  for (const t of targets) out.push(`<line ${attrs} x1="${f(t.x)}" y1="${f(barY)}" x2="${f(t.x)}" y2="${f(t.cy - half(t))}"/>`);
}

function symbol(out: string[], n: Node): void {
  const { x, cy } = n;
  const h = half(n);
  const stroke = 'fill="#ffffff" stroke="#000000" stroke-width="1.6"';
  const shape = (cls: string, inset: number): string => {
    const r = h - inset;
    if (n.m.sex === 'male') return `<rect class="${cls}" x="${f(x - r)}" y="${f(cy - r)}" width="${f(r * 2)}" height="${f(r * 2)}" ${stroke}/>`;
    if (n.m.sex === 'female') return `<circle class="${cls}" cx="${f(x)}" cy="${f(cy)}" r="${f(r)}" ${stroke}/>`;
    return `<polygon class="${cls}" points="${f(x)},${f(cy - r)} ${f(x + r)},${f(cy)} ${f(x)},${f(cy + r)} ${f(x - r)},${f(cy)}" ${stroke}/>`;
  };
  const sexClass = n.m.sex === 'male' || n.m.sex === 'female' ? n.m.sex : 'other';
  out.push(shape(`symbol ${sexClass}`, 0));
  if (n.m.index) out.push(shape('index-ring', 4.5));
  if (n.m.deceased) {
    const d = h + 4;
    out.push(
      `<path class="deceased" d="M${f(x - d)} ${f(cy - d)}L${f(x + d)} ${f(cy + d)}M${f(x + d)} ${f(cy - d)}L${f(x - d)} ${f(cy + d)}" stroke="#000000" stroke-width="1.6" fill="none"/>`,
    );
  }
  if (n.age !== null) out.push(`<text class="age" x="${f(x)}" y="${f(cy + 4)}" text-anchor="middle" font-size="11">${n.age}歳</text>`);
}

function kpBadge(x: number, y: number, cls: string): string {
  return (
    `<g class="${cls}"><rect x="${f(x)}" y="${f(y)}" width="26" height="15" rx="3" fill="#1d4ed8"/>` +
    `<text x="${f(x + 13)}" y="${f(y + 11.5)}" text-anchor="middle" font-size="10" font-weight="bold" fill="#ffffff">KP</text></g>`
  );
}

function labelLines(m: GenogramMember): Label[] {
  const name = wrapText(oneLine(m.name) || '（氏名なし）', NAME_EM).map((text) => ({ text, relationship: false }));
  const rel = wrapText(oneLine(m.relationship) || '続柄不明', NAME_EM).map((text) => ({ text, relationship: true }));
  return [...name, ...rel];
}

function labels(out: string[], n: Node): void {
  let y = n.cy + half(n) + 16;
  for (const { text, relationship } of n.labels) {
    const style = relationship ? 'font-size="11" fill="#444444"' : 'font-size="12"';
    out.push(`<text class="${relationship ? 'relationship' : 'name'}" x="${f(n.x)}" y="${f(y)}" text-anchor="middle" ${style}>${escapeXml(text)}</text>`);
    y += LINE;
  }
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function boxOf(n: Node): Box {
  return { x0: n.x - W / 2 + 5, y0: n.cy - half(n) - 18, x1: n.x + W / 2 - 5, y1: labelBottom(n) + 4 };
}

function union(boxes: Box[]): Box {
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

function intersects(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/**
 * The dotted enclosure around the members who live together: one box when it touches no one
 * else, otherwise boxes around runs of neighbours in a row, merged wherever the merged box
 * still touches no one else — so that nobody who lives elsewhere is ever drawn inside.
 */
function enclosures(nodes: Node[]): Box[] {
  const together = nodes.filter((n) => n.m.livesTogether === true);
  const elsewhere = nodes.filter((n) => n.m.livesTogether !== true).map(boxOf);
  const clear = (b: Box): boolean => !elsewhere.some((o) => intersects(b, o));
  if (together.length === 0) return [];
  const whole = union(together.map(boxOf));
  if (clear(whole)) return [whole];
  const boxes: Box[] = [];
  for (const lane of [...new Set(nodes.map((n) => n.lane))]) {
    let run: Node[] = [];
    for (const n of [...nodes.filter((x) => x.lane === lane).sort((a, b) => a.x - b.x || a.cy - b.cy), null]) {
      if (n?.m.livesTogether === true) {
        run.push(n);
        continue;
      }
      if (run.length > 0) boxes.push(union(run.map(boxOf)));
      run = [];
    }
  }
  for (let merged = true; merged; ) {
    merged = false;
    for (let i = 0; i < boxes.length && !merged; i++) {
      for (let j = i + 1; j < boxes.length && !merged; j++) {
        const u = union([boxes[i] as Box, boxes[j] as Box]);
        if (clear(u)) {
          boxes.splice(j, 1);
          boxes[i] = u;
          merged = true;
        }
      }
    }
  }
  return boxes;
}

function describe(n: Node, hidden: boolean): string {
  const parts = [oneLine(n.m.relationship) || '続柄不明', SEX_LABEL[n.m.sex ?? 'unknown']];
  if (n.age !== null) parts.push(`${n.age}歳`);
  if (n.m.index) parts.push('本人');
  if (n.m.deceased) parts.push('死亡');
  if (!hidden) {
    parts.push(n.m.livesTogether ? '同居' : '別居');
    if (n.m.keyPerson) parts.push('キーパーソン');
  }
  return `${oneLine(n.m.name) || '（氏名なし）'}（${parts.join('、')}）`;
}

export interface LegendItem {
  draw: (x: number, y: number) => string;
  label: string;
}

function legend(hidden: boolean, inferred: boolean): LegendItem[] {
  const st = 'fill="#ffffff" stroke="#000000" stroke-width="1.4"';
  const items: LegendItem[] = [
    { label: '男性', draw: (x, y) => `<rect x="${f(x)}" y="${f(y - 7)}" width="14" height="14" ${st}/>` },
    { label: '女性', draw: (x, y) => `<circle cx="${f(x + 7)}" cy="${f(y)}" r="7" ${st}/>` },
    {
      label: 'その他・不明',
      draw: (x, y) => `<polygon points="${f(x + 7)},${f(y - 8)} ${f(x + 15)},${f(y)} ${f(x + 7)},${f(y + 8)} ${f(x - 1)},${f(y)}" ${st}/>`,
    },
    {
      label: '本人（二重線）',
      draw: (x, y) => `<rect x="${f(x)}" y="${f(y - 7)}" width="14" height="14" ${st}/><rect x="${f(x + 3)}" y="${f(y - 4)}" width="8" height="8" ${st}/>`,
    },
    {
      label: '死亡',
      draw: (x, y) =>
        `<rect x="${f(x)}" y="${f(y - 7)}" width="14" height="14" ${st}/><path d="M${f(x - 2)} ${f(y - 9)}L${f(x + 16)} ${f(y + 9)}M${f(x + 16)} ${f(y - 9)}L${f(x - 2)} ${f(y + 9)}" stroke="#000000" stroke-width="1.4" fill="none"/>`,
    },
    { label: '夫婦', draw: (x, y) => `<line x1="${f(x - 2)}" y1="${f(y)}" x2="${f(x + 18)}" y2="${f(y)}" stroke="#000000" stroke-width="1.6"/>` },
  ];
  if (inferred) {
    items.push({
      label: '親子（続柄からの推定）',
      draw: (x, y) => `<line x1="${f(x - 2)}" y1="${f(y)}" x2="${f(x + 18)}" y2="${f(y)}" stroke="#000000" stroke-width="1.2" stroke-dasharray="5 4"/>`,
    });
  }
  if (!hidden) {
    items.push({ label: 'キーパーソン', draw: (x, y) => kpBadge(x - 4, y - 7.5, 'legend-kp') });
    items.push({
      label: '同居（点線の囲み）',
      draw: (x, y) =>
        `<rect x="${f(x - 2)}" y="${f(y - 8)}" width="20" height="16" rx="4" fill="none" stroke="#555555" stroke-width="1.2" stroke-dasharray="2 3"/>`,
    });
  }
  return items;
}

/** Legend in a grid under the drawing (each sample `labelAt` wide before its label); returns its height. */
export function drawLegend(out: string[], items: LegendItem[], x0: number, y0: number, width: number, colWidth: number, labelAt = 30): number {
  const cols = Math.max(1, Math.floor(width / colWidth));
  out.push(`<g class="legend">`);
  out.push(`<text x="${f(x0)}" y="${f(y0 + 12)}" font-size="11" fill="#444444">凡例</text>`);
  items.forEach((item, i) => {
    const x = x0 + (i % cols) * colWidth;
    const y = y0 + 32 + Math.floor(i / cols) * 24;
    out.push(item.draw(x + 2, y));
    out.push(`<text x="${f(x + labelAt)}" y="${f(y + 4)}" font-size="11">${escapeXml(item.label)}</text>`);
  });
  out.push('</g>');
  return 32 + Math.ceil(items.length / cols) * 24;
}

export function renderGenogram(input: GenogramInput): string {
  const asOf = toTokyoDate(input.asOf);
  const household = oneLine(input.householdName);
  const nodes: Node[] = input.members.map((m, seq) => ({
    m,
    kind: kindOf(m.relationship),
    seq,
    age: ageOf(m, asOf),
    x: 0,
    cy: 0,
    lane: '',
    labels: labelLines(m),
  }));
  // Rule 1: the composition (who lives together, who is the key person) is the lead's; when
  // any part of it is withheld, show none of it rather than a partial picture.
  const hidden = input.members.some((m) => m.livesTogether === null || m.keyPerson === null);

  const taken = new Map<Kind, Node>();
  for (const n of nodes) {
    if (!UNIQUE.has(n.kind)) continue;
    if (taken.has(n.kind)) n.kind = 'other';
    else taken.set(n.kind, n);
  }
  const one = (k: Kind): Node | undefined => taken.get(k);
  const all = (k: Kind): Node[] => nodes.filter((n) => n.kind === k).sort(byBirth);
  const head = one('head');
  const spouse = one('spouse');
  const siblings = all('sibling');
  const children = all('child');
  const grandchildren = all('grandchild');

  // Generation 0: siblings on the head's outer side, then the couple (the husband on the left).
  const spouseLeft = !!(head && spouse && (normalizeRelationship(spouse.m.relationship) === '夫' || (spouse.m.sex === 'male' && head.m.sex !== 'male')));
  const row0 = head
    ? spouseLeft
      ? [spouse as Node, head, ...siblings]
      : [...siblings, head, ...(spouse ? [spouse] : [])]
    : [...(spouse ? [spouse] : []), ...siblings];
  row0.forEach((n, i) => {
    n.x = i * W;
  });
  const sibship = head ? [head, ...siblings] : siblings;
  const groupCentre = sibship.length > 0 ? mean(sibship.map((n) => n.x)) : row0.length > 0 ? mean(row0.map((n) => n.x)) : 0;
  const coupleCentre = head ? (spouse ? (head.x + spouse.x) / 2 : head.x) : groupCentre;

  const parentPair = [one('father'), one('mother')].filter((n): n is Node => !!n);
  const inLawPair = [one('fatherInLaw'), one('motherInLaw')].filter((n): n is Node => !!n);
  spread([...centred(parentPair, groupCentre), ...centred(inLawPair, spouse ? spouse.x : groupCentre + W * 2)]);
  const parentsCentre = parentPair.length > 0 ? mean(parentPair.map((n) => n.x)) : groupCentre;
  spread(
    centred(
      [one('grandfather'), one('grandmother')].filter((n): n is Node => !!n),
      parentsCentre,
    ),
  );
  const childInLaw = all('childInLaw');
  const childRow = centred(children, coupleCentre);
  const lastChild = childRow.length > 0 ? (childRow[childRow.length - 1]?.x ?? coupleCentre) : coupleCentre - W;
  spread([...childRow, ...childInLaw.map((n, i) => ({ n, x: lastChild + (i + 1) * W }))]);
  spread(centred(grandchildren, children.length > 0 ? mean(children.map((n) => n.x)) : coupleCentre));

  const generation: Record<string, number> = {
    grandfather: -2,
    grandmother: -2,
    father: -1,
    mother: -1,
    fatherInLaw: -1,
    motherInLaw: -1,
    head: 0,
    spouse: 0,
    sibling: 0,
    child: 1,
    childInLaw: 1,
    grandchild: 2,
  };
  const main = nodes.filter((n) => n.kind !== 'other');
  const side = nodes.filter((n) => n.kind === 'other');

  // Horizontal: shift so that the leftmost slot starts at the margin.
  const minX = main.length > 0 ? Math.min(...main.map((n) => n.x)) : 0;
  for (const n of main) n.x += MARGIN + W / 2 - minX;
  const mainRight = main.length > 0 ? Math.max(...main.map((n) => n.x)) + W / 2 : MARGIN;

  // Vertical: one row per generation present, as tall as its longest label.
  const gens = [...new Set(main.map((n) => generation[n.kind] ?? 0))].sort((a, b) => a - b);
  const rowTop = new Map<number, number>();
  let y = TOP;
  for (const g of gens) {
    rowTop.set(g, y);
    const inRow = main.filter((n) => (generation[n.kind] ?? 0) === g);
    for (const n of inRow) {
      n.cy = y + BAR + S / 2 + 3;
      n.lane = `g${g}`;
    }
    y += BAR + S + 6 + Math.max(...inRow.map((n) => n.labels.length)) * LINE + 22;
  }
  let bottom = y;

  // The side column: members whom no 続柄 places in the tree.
  const sideX = (main.length > 0 ? mainRight + 24 : MARGIN) + W / 2;
  let sy = TOP + 16;
  for (const n of side) {
    n.x = sideX;
    n.cy = sy + BAR + S / 2 + 3;
    n.lane = 'side';
    sy += BAR + S + 6 + n.labels.length * LINE + 12;
  }
  bottom = Math.max(bottom, sy);
  const right = side.length > 0 ? sideX + W / 2 : mainRight;

  const out: string[] = [];
  const title = `${household} 家族構成図（${formatWareki(asOf)}現在）`;
  out.push(`<text class="heading" x="${MARGIN}" y="32" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);

  // Lines first, symbols over them.
  const lines: string[] = [];
  let inferred = false;
  if (head && spouse) {
    const [l, r] = head.x < spouse.x ? [head, spouse] : [spouse, head];
    lines.push(
      `<line class="marriage" x1="${f(l.x + half(l))}" y1="${f(l.cy)}" x2="${f(r.x - half(r))}" y2="${f(r.cy)}" stroke="#000000" stroke-width="1.6"/>`,
    );
  }
  for (const [a, b] of [
    [one('father'), one('mother')],
    [one('fatherInLaw'), one('motherInLaw')],
    [one('grandfather'), one('grandmother')],
  ] as const) {
    if (a && b)
      lines.push(
        `<line class="marriage" x1="${f(a.x + half(a))}" y1="${f(a.cy)}" x2="${f(b.x - half(b))}" y2="${f(b.cy)}" stroke="#000000" stroke-width="1.6"/>`,
      );
  }
  const barOf = (n: Node): number => n.cy - half(n) - BAR / 2 - 2;
  const parents = anchorOf(one('father'), one('mother'));
  if (parents && sibship.length > 0) connector(lines, parents, barOf(sibship[0] as Node), sibship, false);
  else if (siblings.length > 0) {
    // Siblings without recorded parents still share a sibship line.
    const first = sibship[0] as Node;
    const cx = mean(sibship.map((n) => n.x));
    connector(lines, { x: cx, y: barOf(first) - 8 }, barOf(first), sibship, false);
  }
  const inLaws = anchorOf(one('fatherInLaw'), one('motherInLaw'));
  if (inLaws && spouse) connector(lines, inLaws, barOf(spouse), [spouse], false);
  const grand = anchorOf(one('grandfather'), one('grandmother'));
  const grandTarget = one('father') ?? one('mother') ?? head;
  if (grand && grandTarget) {
    connector(lines, grand, barOf(grandTarget), [grandTarget], true);
    inferred = true;
  }
  const couple = head ? anchorOf(head, spouse) : null;
  if (couple && children.length > 0) connector(lines, couple, barOf(children[0] as Node), children, false);
  if (grandchildren.length > 0) {
    const g0 = grandchildren[0] as Node;
    const from = children.length > 0 ? { x: mean(children.map((n) => n.x)), y: Math.max(...children.map(labelBottom)) } : couple;
    if (from) {
      connector(lines, from, barOf(g0), grandchildren, true);
      inferred = true;
    }
  }

  if (!hidden) {
    for (const b of enclosures(nodes)) {
      out.push(
        `<rect class="cohabitation" x="${f(b.x0)}" y="${f(b.y0)}" width="${f(b.x1 - b.x0)}" height="${f(b.y1 - b.y0)}" rx="12" fill="none" stroke="#555555" stroke-width="1.2" stroke-dasharray="2 3"/>`,
      );
    }
  }
  out.push(...lines);
  if (side.length > 0)
    out.push(`<text class="side-caption" x="${f(sideX)}" y="${f(TOP + 8)}" text-anchor="middle" font-size="11" fill="#444444">その他の世帯員</text>`);
  for (const n of [...main, ...side]) {
    out.push(`<g class="member">`);
    symbol(out, n);
    labels(out, n);
    if (!hidden && n.m.keyPerson) out.push(kpBadge(n.x + 10, n.cy - half(n) - 16, 'kp'));
    out.push('</g>');
  }
  if (nodes.length === 0) {
    out.push(`<text class="empty" x="${MARGIN}" y="${f(TOP + 24)}" font-size="12">世帯員の登録がありません</text>`);
    bottom = TOP + 48;
  }

  const width = Math.max(right + MARGIN, 600);
  const legendH = drawLegend(out, legend(hidden, inferred), MARGIN, bottom, width - MARGIN * 2, 176);
  let height = bottom + legendH + 12;
  if (hidden) {
    out.push(`<text class="note" x="${MARGIN}" y="${f(height + 4)}" font-size="11" fill="#444444">※${COMPOSITION_HIDDEN_NOTE}</text>`);
    height += 22;
  }

  const ordered = [...main, ...side].sort((a, b) => a.seq - b.seq);
  const desc = [
    `${household}の家族構成図。${formatWareki(asOf)}現在、世帯員${nodes.length}名：${ordered.map((n) => describe(n, hidden)).join('、')}。`,
    hidden ? `${COMPOSITION_HIDDEN_NOTE}。` : '',
  ].join('');
  return svgDocument({ kind: 'genogram', width, height: height + MARGIN / 2, title, desc, body: () => out });
}

// ---------------------------------------------------------------------------------------
// SVG helpers shared with the ecomap
// ---------------------------------------------------------------------------------------

// Lone surrogate halves and the non-characters U+FFFE/U+FFFF are not allowed in XML.
const NOT_XML = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/gu;

/** Text that XML (SVG, xlsx) can carry: clean() (controls, bidi overrides) plus lone surrogates removed. */
export function printable(s: string | null | undefined): string {
  return clean(s).replace(NOT_XML, '');
}

/** One line of printable text: newlines become spaces, outer spaces trimmed. */
export function oneLine(s: string | null | undefined): string {
  return printable(s)
    .replace(/\s*\n\s*/gu, ' ')
    .trim();
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Printable text escaped for XML content and attribute values. */
export function escapeXml(s: string | null | undefined): string {
  return printable(s).replace(/[&<>"']/gu, (c) => ENTITIES[c] ?? c);
}

/** Numbers in coordinates: one decimal at most, never "-0". */
export function f(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Approximate width in em: Latin and half-width kana narrow, everything else full-width. */
export function textEm(s: string): number {
  let em = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    em += cp < 0x2000 ? 0.6 : cp >= 0xff61 && cp <= 0xff9f ? 0.5 : 1;
  }
  return em;
}

// 禁則: these never start a line (they hang at the end of the previous one) …
const NO_START = new Set(Array.from('、。，．,.)）」』】〕〉》・：；:;！？!?ー〜ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々'));
// … and these never end one (they move to the next).
const NO_END = new Set(Array.from('(（「『【〔〈《'));

/**
 * Greedy wrap (Japanese has no spaces to break at) into lines of about `maxEm`, with the basic
 * 禁則 (a line may run one character over to keep 。 or ー off the next line's start);
 * nothing is dropped.
 */
export function wrapText(s: string, maxEm: number): string[] {
  const lines: string[] = [];
  for (const para of s.split('\n')) {
    let line: string[] = [];
    let em = 0;
    for (const ch of para) {
      const w = textEm(ch);
      if (em + w > maxEm && line.length > 0 && !NO_START.has(ch)) {
        const carry: string[] = [];
        while (line.length > 1 && NO_END.has(line[line.length - 1] as string)) carry.unshift(line.pop() as string);
        lines.push(line.join(''));
        line = carry;
        em = carry.reduce((a, c) => a + textEm(c), 0);
      }
      line.push(ch);
      em += w;
    }
    lines.push(line.join(''));
  }
  return lines;
}

/** Japanese UI fonts first (the デジタル庁 design uses BIZ UDPGothic), then common fallbacks. */
export const SVG_FONT_FAMILY = "'BIZ UDPGothic', 'BIZ UDゴシック', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', Meiryo, sans-serif";

/** FNV-1a, so that ids are stable for the same drawing and differ between drawings on one page. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export interface SvgDocument {
  kind: string;
  width: number;
  height: number;
  title: string;
  desc: string;
  /** The drawing; `id` prefixes any element id (markers) so that two drawings can share a page. */
  body: (id: string) => string[];
}

/** The standalone SVG: XML declaration, viewBox, role="img" with <title> and <desc>, white page. */
export function svgDocument(d: SvgDocument): string {
  const id = `kasane-${d.kind}-${hash(`${d.title}\n${d.desc}`)}`;
  const w = f(Math.ceil(d.width));
  const h = f(Math.ceil(d.height));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${SVG_FONT_FAMILY}" font-size="12" fill="#000000">`,
    `<title id="${id}-title">${escapeXml(d.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(d.desc)}</desc>`,
    `<rect class="page" x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>`,
    ...d.body(id),
    '</svg>',
    '',
  ].join('\n');
}
