import { mergeRulings, type Ruling, type Rulings } from "../layout/rulings.js";
import { bridgeDottedRules } from "./dotted-bridge.js";
import { detectDottedRulings } from "./dotted-rulings.js";
import { mergeDoubled } from "./doubled-rulings.js";
import type { InkImage } from "./image.js";

/**
 * Ruling lines from a (straightened) page's ink: runs of ink longer than any stroke of a glyph,
 * found row by row and column by column, then merged exactly as the text path merges vector
 * rulings, so `buildGrid` turns them into cells the same way. Output units: PDF points, origin
 * top-left (pixels · 72 / dpi).
 */

/** Shortest ruling piece, points: longer than a CJK glyph's stroke (≈ 10.5 pt), shorter than a one-line row. */
const MIN_RULING_PT = 14;
/** Gaps a scan leaves in a printed line (noise, 1-bit thresholding), points. */
const MAX_GAP_PT = 0.8;

/**
 * Runs of ink along `lines` lines of `length` pixels: pixel `pos` of line `line` is
 * `ink[line * lineStride + pos * posStride]` (strides, not a closure per pixel: this visits every pixel).
 */
function runs(
  ink: Uint8Array,
  length: number,
  lines: number,
  lineStride: number,
  posStride: number,
  minLen: number,
  maxGap: number,
  push: (line: number, from: number, to: number) => void,
): void {
  for (let line = 0; line < lines; line++) {
    let start = -1;
    let lastInk = -1;
    let i = line * lineStride;
    for (let pos = 0; pos < length; pos++, i += posStride) {
      if (ink[i] === 1) {
        if (start < 0) start = pos;
        lastInk = pos;
      } else if (start >= 0 && pos - lastInk > maxGap) {
        if (lastInk - start + 1 >= minLen) push(line, start, lastInk + 1);
        start = -1;
      }
    }
    // Past the line's end: a run closes there only when its gap has grown past maxGap already.
    if (start >= 0 && length - lastInk > maxGap && lastInk - start + 1 >= minLen)
      push(line, start, lastInk + 1);
  }
}

/**
 * `runs` along rows (posStride 1): the same runs, found by jumping between ink and paper with
 * `indexOf` (native, over contiguous bytes) instead of testing every pixel in JS.
 */
function rowRuns(
  ink: Uint8Array,
  w: number,
  h: number,
  minLen: number,
  maxGap: number,
  push: (line: number, from: number, to: number) => void,
): void {
  for (let y = 0; y < h; y++) {
    const row = ink.subarray(y * w, (y + 1) * w);
    let from = row.indexOf(1);
    while (from >= 0) {
      // Through each stretch of ink, then across the paper after it while the gap is short.
      let last = from;
      let next: number;
      for (;;) {
        const paper = row.indexOf(0, last + 1);
        const end = paper < 0 ? w : paper;
        last = end - 1;
        next = end >= w ? -1 : row.indexOf(1, end);
        if (next < 0 || next - 1 - last > maxGap) break;
        last = next;
      }
      // As in `runs`: a run still open at the row's end closes only if its gap is long already.
      if ((next >= 0 || w - last > maxGap) && last - from + 1 >= minLen) push(y, from, last + 1);
      from = next;
    }
  }
}

/** How far past the table's top and bottom rule a vertical line may run and still be the table's. */
const STREAK_OVERRUN_PT = 12;
/** Pieces of one streak lie this close across (points): it is straight on the sheet, not level here. */
const STREAK_WIDTH_PT = 4;
/** A rule's end meets another rule within this (points). */
const END_PT = 3;

/**
 * What a fax or a dirty glass adds that is not the table's: a streak down the whole sheet (in
 * pieces, at one place across) crosses the table's rules but runs on past both its top and its
 * bottom; a dark line part way across a cell ends in the middle of it at both ends, where a
 * rule ends at a rule it meets. Neither is a ruling (they would split cells and the title); streaks are erased
 * like rulings.
 */
function tableLinesOnly(r: Rulings): Rulings & { streaks: Ruling[] } {
  if (r.horizontal.length < 2) return { ...r, streaks: [] };
  // The table's top and bottom: among the rules that run most of its width (a dark line part way
  // across the page is not one).
  const widest = Math.max(...r.horizontal.map((h) => h.to - h.from));
  const long = r.horizontal.filter((h) => h.to - h.from >= widest / 2);
  const top = Math.min(...long.map((h) => h.at));
  const bottom = Math.max(...long.map((h) => h.at));
  const near = (v: Ruling) => r.vertical.filter((o) => Math.abs(o.at - v.at) <= STREAK_WIDTH_PT);
  const streak = (v: Ruling) => {
    const group = near(v);
    return (
      Math.min(...group.map((g) => g.from)) < top - STREAK_OVERRUN_PT &&
      Math.max(...group.map((g) => g.to)) > bottom + STREAK_OVERRUN_PT
    );
  };
  const vertical = trimLoneOverrun(
    r.vertical.filter((v) => !streak(v)),
    top,
    bottom,
  );
  const meets = (x: number, y: number) =>
    vertical.some((v) => Math.abs(v.at - x) <= END_PT && y >= v.from - END_PT && y <= v.to + END_PT);
  return {
    // One end is enough: a rule a seal or a scanner's dropout broke still starts at the table's side.
    horizontal: r.horizontal.filter((h) => meets(h.from, h.at) || meets(h.to, h.at)),
    vertical,
    streaks: r.vertical.filter(streak),
  };
}

/**
 * A vertical that alone runs on past the table's top (or bottom) rule runs through a glyph of the
 * line beyond it (the 申 or 名 of 申报单位名称 at 150 dpi or in 1 bit), and the glyph's strokes it
 * meets would pass for rules: it is cut at the rule. A row a page break left open has two or more
 * running on, closed by the grid.
 */
function trimLoneOverrun(vertical: readonly Ruling[], top: number, bottom: number): Ruling[] {
  const above = vertical.filter((v) => v.from < top - END_PT);
  const below = vertical.filter((v) => v.to > bottom + END_PT);
  return vertical
    .map((v) => ({
      ...v,
      from: above.length === 1 && above[0] === v ? top : v.from,
      to: below.length === 1 && below[0] === v ? bottom : v.to,
    }))
    .filter((v) => v.to - v.from > END_PT);
}

/**
 * On a black-and-white page, runs across its dithering gaps join a glyph's strokes into short
 * lines: a short vertical is a rule only from one row's rule to the next (a stroke of 项 standing
 * on the rule under 子项目名称 split that header cell).
 */
const SHORT_WALL_PT = 25;

/** Shortest horizontal taken for a row's rule when a short vertical is checked against it, points: a glyph's strokes are shorter. */
const ROW_RULE_PT = 50;

function spansRows(v: Ruling, rows: readonly Ruling[]): boolean {
  const meets = (y: number) =>
    rows.some(
      (h) =>
        h.to - h.from >= ROW_RULE_PT &&
        Math.abs(h.at - y) <= END_PT &&
        v.at >= h.from - END_PT &&
        v.at <= h.to + END_PT,
    );
  return meets(v.from) && meets(v.to);
}

/** Gaps a black-and-white scan (a fax) leaves in a thin gray rule it dithered into dots, points. */
const MAX_DOTTED_GAP_PT = 2.5;

/** `dotted`: the page is black and white, where thin rules come out as broken dotted lines. */
export function detectPixelRulings(
  ink: InkImage,
  dpi: number,
  dotted = false,
): Rulings & { streaks: Ruling[]; pieces: Rulings } {
  const pt = 72 / dpi;
  const minLen = Math.round(MIN_RULING_PT / pt);
  const maxGap = Math.max(1, Math.round((dotted ? MAX_DOTTED_GAP_PT : MAX_GAP_PT) / pt));
  const { width: w, height: h } = ink;
  const horizontal: Ruling[] = [];
  const vertical: Ruling[] = [];
  rowRuns(ink.ink, w, h, minLen, maxGap, (y, x0, x1) =>
    horizontal.push({ at: (y + 0.5) * pt, from: x0 * pt, to: x1 * pt }),
  );
  runs(ink.ink, h, w, 1, w, minLen, maxGap, (x, y0, y1) =>
    vertical.push({ at: (x + 0.5) * pt, from: y0 * pt, to: y1 * pt }),
  );
  if (dotted) {
    // A 1-bit scan keeps only sparse dots of a thin gray rule, too far apart for a run of ink.
    const sparse = detectDottedRulings(ink, dpi);
    horizontal.push(...sparse.horizontal);
    vertical.push(...sparse.vertical);
  }
  const thin = (r: Ruling, across: "x" | "y") => isThin(ink, r, across, dpi);
  const rows = mergeRulings(horizontal).filter((r) => thin(r, "y"));
  const walls = mergeRulings(vertical)
    .filter((r) => thin(r, "x"))
    .filter((v) => !dotted || v.to - v.from >= SHORT_WALL_PT || spansRows(v, rows));
  const { streaks, ...table } = tableLinesOnly(
    tableRulings({
      // A dotted rule's stretches where its dots thinned out are bridged (dotted-bridge.ts).
      horizontal: dotted ? mergeRulings(bridgeDottedRules(ink, dpi, rows, walls)) : rows,
      vertical: walls,
    }),
  );
  // Only the table's own rules, and not on a black-and-white page, where a dotted rule's pieces
  // and the runs through a line of text lie as close.
  if (dotted) return { ...table, streaks, pieces: { horizontal: [], vertical: [] } };
  const across = mergeDoubled(table.horizontal);
  const down = mergeDoubled(table.vertical);
  // A merged rule is erased where its pieces lie, not only along the one line it became.
  return {
    horizontal: across.merged,
    vertical: down.merged,
    streaks,
    pieces: { horizontal: across.pieces, vertical: down.pieces },
  };
}

/**
 * A printed rule is thin: across it, the ink is no thicker than MAX_RULE_PT at most points along
 * it. A scanner's dark border or a filled band is long too, but thick: it is not a ruling.
 */
function isThin(ink: InkImage, r: Ruling, across: "x" | "y", dpi: number): boolean {
  const px = dpi / 72;
  const maxRun = Math.ceil(MAX_RULE_PT * px);
  const { width: w, height: h } = ink;
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && ink.ink[y * w + x] === 1;
  const [dx, dy] = across === "y" ? [0, 1] : [1, 0];
  const runAt = (x: number, y: number) => {
    let run = on(x, y) ? 1 : 0;
    for (let s = 1; run > 0 && s <= maxRun + 1 && on(x - dx * s, y - dy * s); s++) run++;
    for (let s = 1; run > 0 && s <= maxRun + 1 && on(x + dx * s, y + dy * s); s++) run++;
    return run;
  };
  let thick = 0;
  const samples = 9;
  for (let k = 0; k < samples; k++) {
    const along = Math.round((r.from + ((r.to - r.from) * (k + 0.5)) / samples) * px);
    const at = Math.round(r.at * px);
    // A rule crossing this one is thick along it only over its own width: look a little to either side.
    let run = Number.POSITIVE_INFINITY;
    for (let o = -(maxRun + 2); o <= maxRun + 2; o += 2) {
      const [x, y] = across === "y" ? [along + o, at] : [at, along + o];
      run = Math.min(run, runAt(x, y));
    }
    if (run > maxRun) thick++;
  }
  return thick <= samples / 2;
}

/** Slack (points) for a horizontal and a vertical ruling to count as meeting. */
const TOUCH_PT = 2;

/**
 * The rulings that make up tables: sets of rulings that cross or meet one another, keeping those
 * at least a third as long (in total) as the longest. Strokes of large glyphs (a title) pass the
 * length test but meet nothing of the table, so they are dropped here.
 */
export function tableRulings(r: Rulings): Rulings {
  const all = [...r.horizontal.map((l) => ({ l, h: true })), ...r.vertical.map((l) => ({ l, h: false }))];
  const parent = all.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const hs = all.flatMap((e, i) => (e.h ? [i] : []));
  const vs = all.flatMap((e, i) => (e.h ? [] : [i]));
  for (const i of hs) {
    const h = all[i]!.l;
    for (const j of vs) {
      const v = all[j]!.l;
      const meet =
        v.at >= h.from - TOUCH_PT &&
        v.at <= h.to + TOUCH_PT &&
        h.at >= v.from - TOUCH_PT &&
        h.at <= v.to + TOUCH_PT;
      if (meet) parent[find(i)] = find(j);
    }
  }
  const total = new Map<number, number>();
  all.forEach((e, i) => {
    total.set(find(i), (total.get(find(i)) ?? 0) + e.l.to - e.l.from);
  });
  const longest = Math.max(0, ...total.values());
  const keep = (i: number) => (total.get(find(i)) ?? 0) >= longest / 3;
  return {
    horizontal: hs.filter(keep).map((i) => all[i]!.l),
    vertical: vs.filter(keep).map((i) => all[i]!.l),
  };
}

/** Thickest printed rule, points: ink crossing a ruling that runs longer than this is a glyph. */
const MAX_RULE_PT = 2.5;

/**
 * Erases the table's rulings from `gray` (the OCR input) so OCR sees only glyphs: tesseract's
 * segmentation falls apart on table rules. Only the ink run through each ruling's line is cleared,
 * and only where it is as thin as a rule, so a glyph touching the rule keeps its strokes.
 */
export function eraseRulings(ink: InkImage, gray: Uint8Array, rulings: Rulings, dpi: number): void {
  const px = dpi / 72;
  const maxRun = Math.ceil(MAX_RULE_PT * px);
  const { width: w, height: h } = ink;
  const inkAt = (xx: number, yy: number) =>
    xx >= 0 && yy >= 0 && xx < w && yy < h && ink.ink[yy * w + xx] === 1;
  const clearRun = (x: number, y: number, dx: number, dy: number) => {
    // From the ruling's centre line, walk both ways while there is ink (no closure made per call:
    // this runs for every pixel along every ruling).
    let a = 0;
    let b = 0;
    while (a < maxRun && inkAt(x - dx * (a + 1), y - dy * (a + 1))) a++;
    while (b < maxRun && inkAt(x + dx * (b + 1), y + dy * (b + 1))) b++;
    if (a + b + 1 > maxRun) return;
    for (let k = -a - 1; k <= b + 1; k++) {
      const xx = x + dx * k;
      const yy = y + dy * k;
      if (xx >= 0 && yy >= 0 && xx < w && yy < h) gray[yy * w + xx] = 255;
    }
  };
  /** The ink row (or column) nearest the ruling's position: a ruling's `at` is its centre. */
  const centre = (x: number, y: number, dx: number, dy: number): number => {
    // k before -k (no array of the two per pixel: this runs along every ruling).
    for (let k = 0; k <= Math.ceil(px); k++) {
      if (inkAt(x + dx * k, y + dy * k)) return k;
      if (inkAt(x - dx * k, y - dy * k)) return -k;
    }
    return Number.NaN;
  };
  for (const r of rulings.horizontal) {
    const y = Math.round(r.at * px);
    for (let x = Math.max(0, Math.floor(r.from * px)); x < Math.min(w, Math.ceil(r.to * px)); x++) {
      const s = centre(x, y, 0, 1);
      if (!Number.isNaN(s)) clearRun(x, y + s, 0, 1);
    }
  }
  for (const r of rulings.vertical) {
    const x = Math.round(r.at * px);
    for (let y = Math.max(0, Math.floor(r.from * px)); y < Math.min(h, Math.ceil(r.to * px)); y++) {
      const s = centre(x, y, 1, 0);
      if (!Number.isNaN(s)) clearRun(x + s, y, 1, 0);
    }
  }
}
