import { mergeRulings, type Ruling, type Rulings } from "../layout/rulings.js";
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

function runs(
  length: number,
  lines: number,
  at: (line: number, pos: number) => number,
  minLen: number,
  maxGap: number,
  push: (line: number, from: number, to: number) => void,
): void {
  for (let line = 0; line < lines; line++) {
    let start = -1;
    let lastInk = -1;
    for (let pos = 0; pos <= length; pos++) {
      const inked = pos < length && at(line, pos) === 1;
      if (inked) {
        if (start < 0) start = pos;
        lastInk = pos;
      } else if (start >= 0 && pos - lastInk > maxGap) {
        if (lastInk - start + 1 >= minLen) push(line, start, lastInk + 1);
        start = -1;
      }
    }
  }
}

export function detectPixelRulings(ink: InkImage, dpi: number): Rulings {
  const pt = 72 / dpi;
  const minLen = Math.round(MIN_RULING_PT / pt);
  const maxGap = Math.max(1, Math.round(MAX_GAP_PT / pt));
  const { width: w, height: h } = ink;
  const horizontal: Ruling[] = [];
  const vertical: Ruling[] = [];
  runs(
    w,
    h,
    (y, x) => ink.ink[y * w + x]!,
    minLen,
    maxGap,
    (y, x0, x1) => horizontal.push({ at: (y + 0.5) * pt, from: x0 * pt, to: x1 * pt }),
  );
  runs(
    h,
    w,
    (x, y) => ink.ink[y * w + x]!,
    minLen,
    maxGap,
    (x, y0, y1) => vertical.push({ at: (x + 0.5) * pt, from: y0 * pt, to: y1 * pt }),
  );
  return tableRulings({ horizontal: mergeRulings(horizontal), vertical: mergeRulings(vertical) });
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

/** Erases ruling ink (runs as long as a ruling piece) so OCR sees only glyphs: tesseract's page
 * segmentation falls apart on table rules. Works in place on `ink`'s pixels of `gray`. */
export function eraseRulings(ink: InkImage, gray: Uint8Array, dpi: number): void {
  const pt = 72 / dpi;
  const minLen = Math.round(MIN_RULING_PT / pt);
  const maxGap = Math.max(1, Math.round(MAX_GAP_PT / pt));
  const { width: w, height: h } = ink;
  const pad = 1;
  runs(
    w,
    h,
    (y, x) => ink.ink[y * w + x]!,
    minLen,
    maxGap,
    (y, x0, x1) => {
      for (let yy = Math.max(0, y - pad); yy <= Math.min(h - 1, y + pad); yy++)
        for (let x = x0; x < x1; x++) gray[yy * w + x] = 255;
    },
  );
  runs(
    h,
    w,
    (x, y) => ink.ink[y * w + x]!,
    minLen,
    maxGap,
    (x, y0, y1) => {
      for (let xx = Math.max(0, x - pad); xx <= Math.min(w - 1, x + pad); xx++)
        for (let y = y0; y < y1; y++) gray[y * w + xx] = 255;
    },
  );
}
