import type { GrayImage } from "./image.js";

/**
 * Lines a scanner adds or loses, repaired in the scan's own pixels before anything else looks at
 * the page (deskewing would slant them). A fax's dirty head or dust on a sheet-feeder's glass
 * draws one line down the whole scan, the same sensor column for every scanline; a fax that
 * loses a scanline or three leaves them white, cutting every glyph and rule across the page
 * (a line of text then reads as two half-height lines of garbage). Pixels of the scan, origin
 * top-left.
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
function columnInk(img: GrayImage, x: number, y0: number, y1: number, dark: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) if (img.data[y * img.width + x]! < dark) n++;
  return n / Math.max(1, y1 - y0);
}

/** True when a horizontal run of ink at least CORNER_PT long touches column band `[x0, x1]` near row `y`. */
function cornerAt(img: GrayImage, x0: number, x1: number, y: number, dark: number): boolean {
  const px = img.dpi / 72;
  const min = CORNER_PT * px;
  for (let yy = Math.max(0, y - 3); yy <= Math.min(img.height - 1, y + 3); yy++) {
    const row = yy * img.width;
    let a = x0;
    let b = x1;
    while (a > 0 && img.data[row + a - 1]! < dark) a--;
    while (b < img.width - 1 && img.data[row + b + 1]! < dark) b++;
    if (b - a + 1 - (x1 - x0 + 1) >= min) return true;
  }
  return false;
}

/** The first (or last) row of column band `[x0, x1]` holding ink. */
function endRow(img: GrayImage, x0: number, x1: number, fromTop: boolean, dark: number): number {
  for (let k = 0; k < img.height; k++) {
    const y = fromTop ? k : img.height - 1 - k;
    for (let x = x0; x <= x1; x++) if (img.data[y * img.width + x]! < dark) return y;
  }
  return fromTop ? img.height : -1;
}

/**
 * Column bands `[x0, x1]` (inclusive) of the scan that are lines down the whole sheet. `dark`:
 * pixels under it are ink, the threshold rules are looked for at (a light streak would be one).
 */
export function findScanStreaks(img: GrayImage, dark = DARK): Array<[number, number]> {
  const { width: w, height: h } = img;
  const ends = Math.max(1, Math.round(h * END_SHARE));
  const dense: boolean[] = new Array(w).fill(false);
  for (let x = 0; x < w; x++) {
    // Cheapest test first: most columns fail it on the first band.
    dense[x] =
      columnInk(img, x, 0, ends, dark) >= STREAK_INK &&
      columnInk(img, x, h - ends, h, dark) >= STREAK_INK &&
      columnInk(img, x, 0, h, dark) >= STREAK_INK;
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
    if (
      columnInk(img, band[0] - 2, 0, h, dark) >= SIDE_INK ||
      columnInk(img, band[1] + 2, 0, h, dark) >= SIDE_INK
    )
      continue;
    // A page cropped to its table: the frame's verticals run the scan's height too, and meet a rule at their ends.
    const top = endRow(img, band[0], band[1], true, dark);
    const bottom = endRow(img, band[0], band[1], false, dark);
    if (cornerAt(img, band[0], band[1], top, dark) || cornerAt(img, band[0], band[1], bottom, dark)) continue;
    bands.push(band);
  }
  return bands;
}

/**
 * The scan with its streaks painted out: each pixel of a streak takes the lighter of the pixels
 * just beside it, so a glyph's stroke or a rule crossing the streak (ink on both sides) stays.
 */
export function eraseScanStreaks(img: GrayImage, dark = DARK): GrayImage {
  const bands = findScanStreaks(img, dark);
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

/** A fax loses at most this many scanlines in a row, points (three at 200 dpi). */
const MAX_DROPOUT_PT = 1.2;
/** A line down the page (a rule, a tall stroke) cut by lost scanlines goes on this far either side, points. */
const CUT_LINE_PT = 3;

/** Ink runs down from row `y` (step 1) or up (step -1) in column `x` for at least `n` rows. */
function inkRun(img: GrayImage, x: number, y: number, step: 1 | -1, n: number): boolean {
  for (let k = 0; k < n; k++) {
    const yy = y + k * step;
    if (yy < 0 || yy >= img.height || img.data[yy * img.width + x]! >= DARK) return false;
  }
  return true;
}

/** True when the blank rows `[a, b)` were lost in transmission, not a gap between two lines of text. */
function isDropout(img: GrayImage, a: number, b: number): boolean {
  const n = Math.max(2, Math.round((CUT_LINE_PT * img.dpi) / 72));
  // A table's rule (every row of a table has one crossing it) or a tall stroke, cut.
  // Between two lines of text nothing goes on across the gap: the rows would not be blank.
  for (let x = 0; x < img.width; x++)
    if (inkRun(img, x, a - 1, -1, n) && inkRun(img, x, b, 1, n)) return true;
  return false;
}

/**
 * Runs of scanlines without any ink that cut through what goes on either side of them, filled
 * with the lighter of the rows either side: what both sides have (a stroke, a rule) goes on.
 */
export function restoreDroppedScanlines(img: GrayImage): GrayImage {
  const { width: w, height: h } = img;
  const maxRun = Math.max(1, Math.round((MAX_DROPOUT_PT * img.dpi) / 72));
  const blank = new Uint8Array(h);
  for (let y = 0; y < h; y++) {
    let x = y * w;
    const end = x + w;
    while (x < end && img.data[x]! >= DARK) x++;
    blank[y] = x === end ? 1 : 0;
  }
  let data: Uint8Array | null = null;
  for (let a = 1; a < h - 1; a++) {
    if (!blank[a] || blank[a - 1]) continue;
    let b = a;
    while (b < h && blank[b]) b++;
    if (b < h && b - a <= maxRun && isDropout(img, a, b)) {
      data ??= img.data.slice();
      const above = (a - 1) * w;
      const below = b * w;
      for (let y = a; y < b; y++)
        for (let x = 0; x < w; x++) data[y * w + x] = Math.max(img.data[above + x]!, img.data[below + x]!);
    }
    a = b;
  }
  return data ? { ...img, data } : img;
}
