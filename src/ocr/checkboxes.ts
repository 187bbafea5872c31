import type { InkImage, PixelBox } from "./image.js";

/**
 * Checkboxes from pixels: small squares whose four sides are inked lines, inside a checkbox cell,
 * classified by the ink inside their border (tick, cross, fill, ■). A pen mark drawn over a box
 * and past it (a tick overshooting up and right) adds ink across its sides but takes none away,
 * so sides are found as runs of ink at least as long as the side. OCR is never asked: tesseract
 * reads ☐ as 口 and ☑ as junk. Units: pixels of the page image, origin top-left.
 */

export interface PixelCheckbox {
  bbox: PixelBox;
  checked: boolean;
  /** 0.5 at the decision threshold, 1 far from it. */
  confidence: number;
  /** Share of the square inside its border that is inked. */
  fill: number;
  /** The square inside its border, where a mark's ink is counted. */
  inner: PixelBox;
}

/** Box side range, inches: 2–6 mm covers every producer seen (☐ at 9–14 pt). */
const MIN_SIDE_IN = 0.08;
const MAX_SIDE_IN = 0.24;
/** Share of the inside ink above which a box counts as marked (empty boxes with scan noise stay under 3%). */
export const CHECKED_FILL = 0.07;
/** A side is this share of the box's length inked, at least. */
const SIDE_SHARE = 0.85;

/**
 * Run lengths of ink rightward and downward from every pixel of `area`, across gaps of up to
 * `gap` pixels. `broken` (a 1-bit page): a side's ink may step to the next row or column.
 */
function runLengths(
  ink: InkImage,
  area: PixelBox,
  gap: number,
  broken: boolean,
): { right: Int32Array; down: Int32Array } {
  const [x0, y0, x1, y1] = area;
  const w = x1 - x0;
  const h = y1 - y0;
  const px = (x: number, y: number) => x < w && y < h && ink.ink[(y0 + y) * ink.width + x0 + x] === 1;
  const alongX = (x: number, y: number) => px(x, y) || (broken && px(x, y + 1));
  const alongY = (x: number, y: number) => px(x, y) || (broken && px(x + 1, y));
  // A blank pixel `ahead` short of the next ink is bridged when ink lies behind it within the gap.
  const inkWithin = (ahead: number, behind: (k: number) => boolean) => {
    for (let k = 1; k + ahead - 1 <= gap; k++) if (behind(k)) return true;
    return false;
  };
  const right = new Int32Array(w * h);
  const down = new Int32Array(w * h);
  for (let y = 0; y < h; y++) {
    let last = -1;
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x;
      if (alongX(x, y)) {
        right[i] = 1 + (x + 1 < w ? right[i + 1]! : 0);
        last = x;
      } else if (last >= 0 && inkWithin(last - x, (k) => x - k >= 0 && alongX(x - k, y)))
        right[i] = 1 + right[i + 1]!;
    }
  }
  for (let x = 0; x < w; x++) {
    let last = -1;
    for (let y = h - 1; y >= 0; y--) {
      const i = y * w + x;
      if (alongY(x, y)) {
        down[i] = 1 + (y + 1 < h ? down[i + w]! : 0);
        last = y;
      } else if (last >= 0 && inkWithin(last - y, (k) => y - k >= 0 && alongY(x, y - k)))
        down[i] = 1 + down[i + w]!;
    }
  }
  return { right, down };
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

/**
 * How far in from one side the border reaches: the found square may sit a pixel outside the
 * printed one, then the side's ink. Measured at a third, half and two thirds along; the median.
 */
function sideInset(ink: InkImage, b: PixelBox, side: "top" | "bottom" | "left" | "right"): number {
  const size = b[2] - b[0];
  const on = (x: number, y: number) => ink.ink[y * ink.width + x] === 1;
  const depths = [1 / 3, 1 / 2, 2 / 3].map((f) => {
    const along = Math.round((side === "top" || side === "bottom" ? b[0] : b[1]) + size * f);
    const step = (k: number): [number, number] =>
      side === "top"
        ? [along, b[1] + k]
        : side === "bottom"
          ? [along, b[3] - 1 - k]
          : side === "left"
            ? [b[0] + k, along]
            : [b[2] - 1 - k, along];
    let k = 0;
    while (k < 2 && !on(...step(k))) k++;
    while (k < size / 3 && on(...step(k))) k++;
    // Ink a third of the way in is not a border but a fill (■): inset as for a thin border.
    return k >= size / 3 ? Math.round(size * 0.15) : k;
  });
  return depths.sort((x, y) => x - y)[1]! + 1;
}

/** Share of the rows strictly inside a box whose ink spans at least 85% of its inner width. */
function interiorBars(ink: InkImage, inner: PixelBox): number {
  const [x0, y0, x1, y1] = inner;
  if (x1 - x0 < 3 || y1 - y0 < 3) return 0;
  let bars = 0;
  for (let y = y0; y < y1; y++) {
    let n = 0;
    for (let x = x0; x < x1; x++) n += ink.ink[y * ink.width + x]!;
    if (n >= 0.85 * (x1 - x0)) bars++;
  }
  return bars / (y1 - y0);
}

/** How a box's outline may have come out of the scan. */
export interface OutlineTolerance {
  /** The ink a box's fill is judged on, when its outline was found at a lighter threshold. */
  markInk?: InkImage;
  /** Longest gap bridged along a side, pixels (1: scan noise). */
  gap?: number;
  /** A side's ink may step a pixel aside (a 1-bit page, deskewed). */
  broken?: boolean;
  /** Share of a side that must be inked (SIDE). */
  side?: number;
}

export function findCheckboxes(
  ink: InkImage,
  area: PixelBox,
  dpi: number,
  tolerance: OutlineTolerance = {},
): PixelCheckbox[] {
  const { markInk = ink, gap = 1, broken = false, side: SIDE = SIDE_SHARE } = tolerance;
  const [ax0, ay0, ax1, ay1] = area;
  const w = ax1 - ax0;
  const h = ay1 - ay0;
  if (w <= 0 || h <= 0) return [];
  const minSide = Math.round(MIN_SIDE_IN * dpi);
  const maxSide = Math.round(MAX_SIDE_IN * dpi);
  const { right, down } = runLengths(ink, area, gap, broken);
  const at = (a: Int32Array, x: number, y: number) =>
    x >= 0 && y >= 0 && x < w && y < h ? a[y * w + x]! : 0;
  const candidates: Array<{ x: number; y: number; s: number }> = [];
  for (let y = 0; y < h - minSide; y++) {
    for (let x = 0; x < w - minSide; x++) {
      // The top-left corner: the top side runs right and the left side runs down from it.
      const r = right[y * w + x]!;
      const d = down[y * w + x]!;
      if (r < SIDE * minSide || d < SIDE * minSide) continue;
      // The largest square whose right and bottom sides are inked lines, within one pixel.
      for (let s = Math.min(maxSide, Math.round(Math.min(r, d) / SIDE)); s >= minSide; s--) {
        if (r < SIDE * s || d < SIDE * s) continue;
        const rightSide = Math.max(at(down, x + s - 1, y), at(down, x + s - 2, y), at(down, x + s, y));
        if (rightSide < SIDE * s) continue;
        const bottom = Math.max(at(right, x, y + s - 1), at(right, x, y + s - 2), at(right, x, y + s));
        if (bottom < SIDE * s) continue;
        candidates.push({ x, y, s });
        break;
      }
    }
  }
  // Each box gives many candidates (its border is a few pixels thick): the biggest one wins.
  candidates.sort((a, b) => b.s - a.s);
  const found: PixelCheckbox[] = [];
  const overlaps = (b: PixelBox) =>
    found.some((f) => b[0] < f.bbox[2] && b[2] > f.bbox[0] && b[1] < f.bbox[3] && b[3] > f.bbox[1]);
  for (const c of candidates) {
    const bbox: PixelBox = [ax0 + c.x, ay0 + c.y, ax0 + c.x + c.s, ay0 + c.y + c.s];
    if (overlaps(bbox)) continue;
    const pad = Math.round(c.s * 0.06);
    const inner: PixelBox = [
      bbox[0] + sideInset(ink, bbox, "left") + pad,
      bbox[1] + sideInset(ink, bbox, "top") + pad,
      bbox[2] - sideInset(ink, bbox, "right") - pad,
      bbox[3] - sideInset(ink, bbox, "bottom") - pad,
    ];
    // Bars right across the inside: none in a box (a tick or cross is diagonal), every row in a ■,
    // one or two in a glyph such as 目 or 日, which is not a box at all.
    const bars = interiorBars(ink, inner);
    if (bars > 0.12 && bars < 0.6) continue;
    const fill = inkShare(markInk, inner);
    const checked = fill > CHECKED_FILL;
    const margin = Math.abs(fill - CHECKED_FILL) / CHECKED_FILL;
    found.push({ bbox, inner, checked, fill, confidence: Math.min(1, 0.5 + margin / 2) });
  }
  return found.sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
}
