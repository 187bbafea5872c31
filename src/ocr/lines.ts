import { clampBox, type GrayImage, type PixelBox } from "./image.js";

/**
 * The text lines inside a cell of a cleaned page image (ink black, rulings erased): horizontal
 * bands of ink from the row profile, split where two lines touch, each cropped to its own ink.
 * A line recognizer reads one line at a time. Boxes: page pixels, origin top-left.
 */

/** Body text's ink is at least this many times the least line height (7 pt against 3 pt). */
const LINE_TO_MIN = 7 / 3;
/** A pixel this dark is ink. */
const INK = 128;

function isInk(img: GrayImage, x: number, y: number): boolean {
  return img.data[y * img.width + x]! < INK;
}

/** Rows of ink in the region: [from, to) row ranges, top to bottom; `minHeight`: a line's least height. */
function bands(img: GrayImage, box: PixelBox, minHeight: number): Array<[number, number]> {
  const [x0, y0, x1, y1] = box;
  const counts: number[] = [];
  for (let y = y0; y < y1; y++) {
    let n = 0;
    for (let x = x0; x < x1; x++) if (isInk(img, x, y)) n++;
    counts.push(n);
  }
  // A row is part of a line when it holds more ink than a speck or two of scan noise.
  const minInk = Math.max(2, Math.round((x1 - x0) * 0.004));
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= counts.length; i++) {
    const on = i < counts.length && counts[i]! >= minInk;
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      out.push([y0 + start, y0 + i]);
      start = -1;
    }
  }
  return splitTall(
    joinFragments(out, counts, y0, minHeight).filter(([a, b]) => b - a >= minHeight),
    counts,
    y0,
    minHeight,
  );
}

/**
 * A band shorter than a line next to another across a row or two with no ink is one glyph broken
 * by thresholding (a thin Kai `7` at 150 dpi loses its stem's middle): joined, not dropped as specks.
 */
function joinFragments(
  list: Array<[number, number]>,
  counts: number[],
  y0: number,
  minHeight: number,
): Array<[number, number]> {
  const gap = Math.max(1, Math.round(minHeight / 3));
  const fragment = (b: [number, number]) => b[1] - b[0] < minHeight;
  const blankRows = (from: number, to: number) => {
    let n = 0;
    for (let y = from; y < to; y++) if (counts[y - y0] === 0) n++;
    return n;
  };
  const out: Array<[number, number]> = [];
  for (const band of list) {
    const last = out.at(-1);
    if (last && (fragment(last) || fragment(band)) && blankRows(last[1], band[0]) <= gap) last[1] = band[1];
    else out.push([band[0], band[1]]);
  }
  return out;
}

/** A band much taller than the typical line is two lines touching: cut it at its thinnest row. */
function splitTall(
  list: Array<[number, number]>,
  counts: number[],
  y0: number,
  minHeight: number,
): Array<[number, number]> {
  const heights = list.map(([a, b]) => b - a).sort((a, b) => a - b);
  // No line is thinner than body type: a cell of short lines (digits, `)`) says nothing of height.
  const typical = Math.max(minHeight * LINE_TO_MIN, heights[Math.floor(heights.length * 0.75)] ?? 0);
  const out: Array<[number, number]> = [];
  for (const [a, b] of list) {
    const h = b - a;
    if (h < 1.7 * typical) {
      out.push([a, b]);
      continue;
    }
    const parts = Math.round(h / typical);
    let from = a;
    for (let k = 1; k < parts; k++) {
      const guess = a + Math.round((h * k) / parts);
      let cut = guess;
      const reach = Math.round(typical * 0.3);
      for (let y = guess - reach; y <= guess + reach; y++)
        if (y > from && y < b && counts[y - y0]! < counts[cut - y0]!) cut = y;
      out.push([from, cut]);
      from = cut;
    }
    out.push([from, b]);
  }
  return out;
}

/** The line's horizontal extent: its ink, leaving out specks far from the rest. */
function inkExtent(
  img: GrayImage,
  x0: number,
  x1: number,
  top: number,
  bottom: number,
): [number, number] | null {
  const h = bottom - top;
  const cols: number[] = [];
  for (let x = x0; x < x1; x++) {
    let n = 0;
    for (let y = top; y < bottom; y++) if (isInk(img, x, y)) n++;
    cols.push(n);
  }
  // Runs of inked columns, joined across the gaps inside a character; a speck apart from the
  // text is a run of its own, too light to count.
  const runs: Array<{ from: number; to: number; mass: number }> = [];
  for (let i = 0; i < cols.length; i++) {
    if (cols[i] === 0) continue;
    const last = runs.at(-1);
    if (last && i - last.to <= h * 0.3) {
      last.to = i + 1;
      last.mass += cols[i]!;
    } else runs.push({ from: i, to: i + 1, mass: cols[i]! });
  }
  const solid = runs.filter((r) => r.mass >= Math.max(4, (h * h) / 80));
  if (solid.length === 0) return null;
  return [x0 + solid[0]!.from, x0 + solid.at(-1)!.to];
}

/**
 * Text lines in `box`, each a tight pixel box with a margin of a quarter of its height (the
 * recognizer was trained on detector crops with such a margin). Bands under `minHeight` pixels
 * are specks or rule remnants, not text.
 */
export interface TextLineBox {
  /** The line with its margin: what the recognizer is given. */
  box: PixelBox;
  /** The rows that hold its ink; anything else inside `box` belongs to a neighbour line. */
  inkTop: number;
  inkBottom: number;
}

export function findTextLines(img: GrayImage, box: PixelBox, minHeight: number): TextLineBox[] {
  const region = clampBox(box, img.width, img.height);
  const out = linesIn(img, region, minHeight);
  if (out.length > 0) return out;
  // A lone glyph (`无`, `7`) in a wide cell has rows thinner than the noise floor of the cell's
  // width: look again across its own columns only.
  const ext = inkExtent(img, region[0], region[2], region[1], region[3]);
  if (!ext || ext[1] - ext[0] > (region[2] - region[0]) / 2) return out;
  const m = region[3] - region[1];
  return linesIn(
    img,
    [Math.max(region[0], ext[0] - m), region[1], Math.min(region[2], ext[1] + m), region[3]],
    minHeight,
  );
}

function linesIn(img: GrayImage, region: PixelBox, minHeight: number): TextLineBox[] {
  const out: TextLineBox[] = [];
  for (const [top, bottom] of bands(img, region, minHeight)) {
    const extent = inkExtent(img, region[0], region[2], top, bottom);
    if (!extent) continue;
    const m = Math.round((bottom - top) * 0.25);
    const padded = clampBox([extent[0] - m, top - m, extent[1] + m, bottom + m], img.width, img.height);
    out.push({ box: padded, inkTop: top, inkBottom: bottom });
  }
  return out;
}
