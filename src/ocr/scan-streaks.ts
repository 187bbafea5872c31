import type { GrayImage } from "./image.js";

/**
 * A fax's dirty head or dust on a sheet-feeder's glass draws one line down the whole scan: the
 * same sensor column for every scanline, so it is exactly vertical in the scan's own pixels
 * (deskewing the page slants it, and then it passes for pieces of rules and strokes of glyphs).
 * It is found and painted out here, before anything else looks at the page. Pixels of the scan,
 * origin top-left.
 */

/** A column this dark over the scan's height is a line down the sheet, ink fraction. */
const STREAK_INK = 0.5;
/** Each end of the sheet (this share of its height) must hold the line as densely: it crosses the margins. */
const END_SHARE = 0.04;
/** A streak is this narrow at most, points: a scanner's dark border or a shadow is wider. */
const MAX_WIDTH_PT = 1.5;
/** The columns either side of a streak are mostly paper, ink fraction. */
const SIDE_INK = 0.25;
/** A horizontal run of ink this long at an end of the column is a table's corner, points. */
const CORNER_PT = 14;

const DARK = 128;

/** Ink share of column `x` over rows `[y0, y1)`. */
function columnInk(img: GrayImage, x: number, y0: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) if (img.data[y * img.width + x]! < DARK) n++;
  return n / Math.max(1, y1 - y0);
}

/** True when a horizontal run of ink at least CORNER_PT long touches column band `[x0, x1]` near row `y`. */
function cornerAt(img: GrayImage, x0: number, x1: number, y: number): boolean {
  const px = img.dpi / 72;
  const min = CORNER_PT * px;
  for (let yy = Math.max(0, y - 3); yy <= Math.min(img.height - 1, y + 3); yy++) {
    const row = yy * img.width;
    let a = x0;
    let b = x1;
    while (a > 0 && img.data[row + a - 1]! < DARK) a--;
    while (b < img.width - 1 && img.data[row + b + 1]! < DARK) b++;
    if (b - a + 1 - (x1 - x0 + 1) >= min) return true;
  }
  return false;
}

/** The first (or last) row of column band `[x0, x1]` holding ink. */
function endRow(img: GrayImage, x0: number, x1: number, fromTop: boolean): number {
  for (let k = 0; k < img.height; k++) {
    const y = fromTop ? k : img.height - 1 - k;
    for (let x = x0; x <= x1; x++) if (img.data[y * img.width + x]! < DARK) return y;
  }
  return fromTop ? img.height : -1;
}

/** Column bands `[x0, x1]` (inclusive) of the scan that are lines down the whole sheet. */
export function findScanStreaks(img: GrayImage): Array<[number, number]> {
  const { width: w, height: h } = img;
  const ends = Math.max(1, Math.round(h * END_SHARE));
  const dense: boolean[] = new Array(w).fill(false);
  for (let x = 0; x < w; x++) {
    // Cheapest test first: most columns fail it on the first band.
    dense[x] =
      columnInk(img, x, 0, ends) >= STREAK_INK &&
      columnInk(img, x, h - ends, h) >= STREAK_INK &&
      columnInk(img, x, 0, h) >= STREAK_INK;
  }
  const maxWidth = Math.max(1, Math.round((MAX_WIDTH_PT * img.dpi) / 72));
  const bands: Array<[number, number]> = [];
  for (let x = 0; x < w; x++) {
    if (!dense[x]) continue;
    let x1 = x;
    while (x1 + 1 < w && dense[x1 + 1]) x1++;
    const band: [number, number] = [x, x1];
    x = x1;
    if (band[1] - band[0] + 1 > maxWidth || band[0] < 2 || band[1] > w - 3) continue;
    if (columnInk(img, band[0] - 2, 0, h) >= SIDE_INK || columnInk(img, band[1] + 2, 0, h) >= SIDE_INK)
      continue;
    // A page cropped to its table: the frame's verticals run the scan's height too, and meet a rule at their ends.
    const top = endRow(img, band[0], band[1], true);
    const bottom = endRow(img, band[0], band[1], false);
    if (cornerAt(img, band[0], band[1], top) || cornerAt(img, band[0], band[1], bottom)) continue;
    bands.push(band);
  }
  return bands;
}

/**
 * The scan with its streaks painted out: each pixel of a streak takes the lighter of the pixels
 * just beside it, so a glyph's stroke or a rule crossing the streak (ink on both sides) stays.
 */
export function eraseScanStreaks(img: GrayImage): GrayImage {
  const bands = findScanStreaks(img);
  if (bands.length === 0) return img;
  const data = img.data.slice();
  const w = img.width;
  for (const [x0, x1] of bands) {
    for (let y = 0; y < img.height; y++) {
      const row = y * w;
      const paper = Math.max(data[row + x0 - 1]!, data[row + x1 + 1]!);
      for (let x = x0; x <= x1; x++) data[row + x] = paper;
    }
  }
  return { ...img, data };
}
