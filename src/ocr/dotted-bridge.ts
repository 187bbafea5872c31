import type { Ruling } from "../layout/rulings.js";
import { BAND_PT, CLEAR_PT, clearAcross, type InkLines } from "./dotted-rulings.js";
import type { InkImage } from "./image.js";

/**
 * A black-and-white scan's dotted rule breaks where its dots thin out (gaps of 20–30 pt measured
 * at 200 dpi), and a row's rule found in pieces lets the cells above and below run together. A
 * gap between two pieces of one line, or between a piece and the next rule across it, is bridged
 * when the gap still holds the rule's thinned dots: clear dots on that line, ten times as many
 * as the paper's specks (≈ 0.03 per 10 pt) and more than the glyph ink there.
 * Only horizontal rules: a vertical line through a column of CJK text meets glyph strokes all along.
 * Units: PDF points, origin top-left.
 */

/** Widest gap bridged, points: past it a row's rule is taken as truly absent (a spanning cell). */
const MAX_BRIDGE_PT = 330;
/** Fewest clear dots per 10 points of a bridged gap. */
const MIN_DOTS_PER_10PT = 0.3;
/** Fewest clear dots in any bridged gap: two specks on one line are chance. */
const MIN_DOTS = 3;
/** Pieces within this of each other across are one line, points. */
const SAME_LINE_PT = 1.5;

/** Clear and glyph dots in the row band around `y` between columns x0 and x1, pixels. */
function dotsAlong(ink: InkImage, y: number, x0: number, x1: number, band: number, clear: number) {
  const { width: w, height: h } = ink;
  const rows: InkLines = { ink: ink.ink, lines: h, length: w, lineStride: w, posStride: 1 };
  const on = (x: number, yy: number) => yy >= 0 && yy < h && ink.ink[yy * w + x] === 1;
  const hit = (x: number) => {
    for (let d = -band; d <= band; d++) if (on(x, y + d)) return true;
    return false;
  };
  let clearDots = 0;
  let glyphDots = 0;
  for (let x = Math.max(0, x0); x < Math.min(w, x1); x++) {
    if (!hit(x)) continue;
    let end = x;
    while (end + 1 < Math.min(w, x1) && hit(end + 1)) end++;
    if (clearAcross(rows, y, x, end, band + 2, band + 2 + clear)) clearDots++;
    else glyphDots++;
    x = end;
  }
  return { clearDots, glyphDots };
}

/** Horizontal dotted rules with their thinned stretches bridged; `walls`: the vertical rules. */
export function bridgeDottedRules(
  ink: InkImage,
  dpi: number,
  horizontal: readonly Ruling[],
  walls: readonly Ruling[],
): Ruling[] {
  const px = dpi / 72;
  const band = Math.max(1, Math.round(BAND_PT * px));
  const clear = Math.max(1, Math.round(CLEAR_PT * px));
  const holdsRule = (at: number, from: number, to: number) => {
    const gap = to - from;
    if (gap <= 0) return true;
    if (gap > MAX_BRIDGE_PT) return false;
    const { clearDots, glyphDots } = dotsAlong(
      ink,
      Math.round(at * px - 0.5),
      Math.round(from * px),
      Math.round(to * px),
      band,
      clear,
    );
    return clearDots >= Math.max(MIN_DOTS, (MIN_DOTS_PER_10PT * gap) / 10) && glyphDots <= clearDots;
  };
  const sorted = [...horizontal].sort((a, b) => a.at - b.at || a.from - b.from);
  const lines: Ruling[][] = [];
  for (const r of sorted) {
    const line = lines.find((l) => Math.abs(l[0]!.at - r.at) <= SAME_LINE_PT);
    if (line) line.push(r);
    else lines.push([r]);
  }
  const out: Ruling[] = [];
  for (const line of lines) {
    line.sort((a, b) => a.from - b.from);
    const joined: Ruling[] = [];
    for (const r of line) {
      const prev = joined.at(-1);
      if (prev && holdsRule(prev.at, prev.to, r.from)) prev.to = Math.max(prev.to, r.to);
      else joined.push({ ...r });
    }
    for (const r of joined) {
      const across = walls.filter((v) => r.at >= v.from - 2 && r.at <= v.to + 2).map((v) => v.at);
      // Carried wall by wall: a spanning cell's missing rule stops it at the wall before.
      for (const x of across.filter((x) => x < r.from - 2).sort((a, b) => b - a)) {
        if (!holdsRule(r.at, x, r.from)) break;
        r.from = x;
      }
      for (const x of across.filter((x) => x > r.to + 2).sort((a, b) => a - b)) {
        if (!holdsRule(r.at, r.to, x)) break;
        r.to = x;
      }
      out.push(r);
    }
  }
  return out;
}
