import type { InkImage, PixelBox } from "./image.js";

/**
 * Checkboxes from pixels: small squares (top and bottom edges of one length, inked sides between
 * them) inside a checkbox cell, classified by the ink inside (tick, cross, fill, ■). OCR is never
 * asked: tesseract reads ☐ as 口 and ☑ as junk. Units: pixels of the page image, origin top-left.
 */

export interface PixelCheckbox {
  bbox: PixelBox;
  checked: boolean;
  /** 0.5 at the decision threshold, 1 far from it. */
  confidence: number;
  /** Share of the inner square that is inked. */
  fill: number;
}

/** Box side range, inches: 2–6 mm covers every producer seen (☐ at 9–14 pt). */
const MIN_SIDE_IN = 0.08;
const MAX_SIDE_IN = 0.24;
/** Inner-square ink share above which a box counts as marked (empty boxes with scan noise stay under 3%). */
const CHECKED_FILL = 0.07;

interface Run {
  y: number;
  x0: number;
  x1: number;
}

function rowRuns(ink: InkImage, area: PixelBox, minLen: number, maxLen: number): Run[] {
  const out: Run[] = [];
  const [ax0, ay0, ax1, ay1] = area;
  for (let y = ay0; y < ay1; y++) {
    let start = -1;
    let last = -1;
    for (let x = ax0; x <= ax1; x++) {
      const on = x < ax1 && ink.ink[y * ink.width + x] === 1;
      if (on) {
        if (start < 0) start = x;
        last = x;
      } else if (start >= 0 && x - last > 2) {
        const len = last - start + 1;
        if (len >= minLen && len <= maxLen) out.push({ y, x0: start, x1: last + 1 });
        start = -1;
      }
    }
  }
  return out;
}

function columnInk(ink: InkImage, x0: number, x1: number, y0: number, y1: number): number {
  // Share of rows y0..y1 with ink anywhere in columns x0..x1 (a side, allowing for its thickness).
  let hit = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = Math.max(0, x0); x < Math.min(ink.width, x1); x++) {
      if (ink.ink[y * ink.width + x]) {
        hit++;
        break;
      }
    }
  }
  return hit / Math.max(1, y1 - y0);
}

function inkShare(ink: InkImage, b: PixelBox): number {
  let n = 0;
  let total = 0;
  for (let y = b[1]; y < b[3]; y++) {
    for (let x = b[0]; x < b[2]; x++) {
      n += ink.ink[y * ink.width + x]!;
      total++;
    }
  }
  return total === 0 ? 0 : n / total;
}

/** Share of the rows strictly inside a box whose ink spans at least 85% of its inner width. */
function interiorBars(ink: InkImage, b: PixelBox, side: number): number {
  const x0 = b[0] + side;
  const x1 = b[2] - side;
  const y0 = b[1] + side + 1;
  const y1 = b[3] - side - 1;
  if (x1 - x0 < 3 || y1 - y0 < 3) return 0;
  let bars = 0;
  for (let y = y0; y < y1; y++) {
    let n = 0;
    for (let x = x0; x < x1; x++) n += ink.ink[y * ink.width + x]!;
    if (n >= 0.85 * (x1 - x0)) bars++;
  }
  return bars / (y1 - y0);
}

export function findCheckboxes(ink: InkImage, area: PixelBox, dpi: number): PixelCheckbox[] {
  const minSide = Math.round(MIN_SIDE_IN * dpi);
  const maxSide = Math.round(MAX_SIDE_IN * dpi);
  const runs = rowRuns(ink, area, minSide, Math.round(maxSide * 1.15));
  const byRow = new Map<number, Run[]>();
  for (const r of runs) byRow.set(r.y, [...(byRow.get(r.y) ?? []), r]);
  const found: PixelCheckbox[] = [];
  const overlaps = (b: PixelBox) =>
    found.some((f) => b[0] < f.bbox[2] && b[2] > f.bbox[0] && b[1] < f.bbox[3] && b[3] > f.bbox[1]);

  for (const top of runs) {
    const len = top.x1 - top.x0;
    const tol = Math.max(2, Math.round(len * 0.12));
    let bottom: Run | undefined;
    // The bottom edge: the farthest matching run at a square's distance (a ■ matches on every row).
    for (let y = top.y + Math.round(len * 1.25); y >= top.y + Math.round(len * 0.8); y--) {
      bottom = byRow.get(y)?.find((r) => Math.abs(r.x0 - top.x0) <= tol && Math.abs(r.x1 - top.x1) <= tol);
      if (bottom) break;
    }
    if (!bottom) continue;
    const bbox: PixelBox = [Math.min(top.x0, bottom.x0), top.y, Math.max(top.x1, bottom.x1), bottom.y + 1];
    if (overlaps(bbox)) continue;
    const side = Math.max(2, Math.round(len * 0.12));
    const left = columnInk(ink, bbox[0], bbox[0] + side, bbox[1], bbox[3]);
    const right = columnInk(ink, bbox[2] - side, bbox[2], bbox[1], bbox[3]);
    if (left < 0.85 || right < 0.85) continue;
    const w = bbox[2] - bbox[0];
    const h = bbox[3] - bbox[1];
    // Bars right across the inside: none in a box (a tick or cross is diagonal), every row in a ■,
    // one or two in a glyph such as 目 or 日, which is not a box at all.
    const bars = interiorBars(ink, bbox, side);
    if (bars > 0.12 && bars < 0.6) continue;
    const inset = 0.22;
    const inner: PixelBox = [
      Math.round(bbox[0] + w * inset),
      Math.round(bbox[1] + h * inset),
      Math.round(bbox[2] - w * inset),
      Math.round(bbox[3] - h * inset),
    ];
    const fill = inkShare(ink, inner);
    const checked = fill > CHECKED_FILL;
    const margin = Math.abs(fill - CHECKED_FILL) / CHECKED_FILL;
    found.push({ bbox, checked, fill, confidence: Math.min(1, 0.5 + margin / 2) });
  }
  return found.sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
}
