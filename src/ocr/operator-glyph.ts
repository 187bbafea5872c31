import type { GrayImage, PixelBox } from "./image.js";

/**
 * A target's comparison sign read from its pixels, as a second method beside the recognizer.
 * Counted column by column, a chevron `>`/`<` is crossed twice (its two arms) and once at its
 * vertex; `≥`/`≤` add a bar under it, straight or slanted as in Ming and Kai faces (`⩾`), so
 * their middle columns are crossed three times; `=` is two level bars. Anything else is `null`:
 * not known. Pixel geometry: page pixels of the cleaned image (ink black), origin top-left.
 */

export type OperatorGlyph = ">" | "<" | ">=" | "<=" | "=";

const INK = 128;

interface Column {
  /** Vertical runs of ink, top to bottom, as [first, last] rows. */
  runs: Array<[number, number]>;
}

function columns(img: GrayImage, box: PixelBox): Column[] {
  const [x0, y0, x1, y1] = box;
  const out: Column[] = [];
  for (let x = x0; x < x1; x++) {
    const runs: Array<[number, number]> = [];
    let start = -1;
    for (let y = y0; y <= y1; y++) {
      const on = y < y1 && img.data[y * img.width + x]! < INK;
      if (on && start < 0) start = y;
      if (!on && start >= 0) {
        runs.push([start, y - 1]);
        start = -1;
      }
    }
    out.push({ runs });
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/**
 * Two level bars: most columns cross two runs at the same two heights; columns at the ends may
 * cross one (the bars' ends need not line up), at one of those heights.
 */
function isEquals(cols: Column[]): boolean {
  const two = cols.filter((c) => c.runs.length === 2);
  if (two.length < 3 || two.length < 0.6 * cols.length) return false;
  const centre = (r: [number, number]) => (r[0] + r[1]) / 2;
  const level = (k: number) => {
    const ys = two.map((c) => centre(c.runs[k]!));
    return { y: mean(ys), spread: Math.max(...ys) - Math.min(...ys) };
  };
  const [upper, lower] = [level(0), level(1)];
  if (upper.spread > 1.5 || lower.spread > 1.5) return false;
  return cols.every(
    (c) =>
      c.runs.length === 2 ||
      (c.runs.length === 1 &&
        Math.min(Math.abs(centre(c.runs[0]!) - upper.y), Math.abs(centre(c.runs[0]!) - lower.y)) <= 1.5),
  );
}

/**
 * Slope of the top stroke across the columns (rows per column; y grows downward): the median of
 * the slopes between every two columns (Theil–Sen), so an end column whose only ink is the tip of
 * the lower stroke (a Kai `⩾`'s bar reaches past its upper arm) does not flatten the fall.
 */
function topSlope(cols: Column[]): number {
  const ys = cols.map((c) => (c.runs[0]![0] + c.runs[0]![1]) / 2);
  const slopes: number[] = [];
  for (let i = 0; i < ys.length; i++)
    for (let j = i + 1; j < ys.length; j++) slopes.push((ys[j]! - ys[i]!) / (j - i));
  return slopes.length === 0 ? 0 : median(slopes);
}

/** Ink height of a chevron alone against the digits beside it: at most this (measured 0.57–0.68 over five faces). */
const CHEVRON_TO_DIGIT = 0.7;
/** …and with its bar under it: at least this (measured 0.71–1.45). */
const BARRED_TO_DIGIT = 0.66;

function inkHeight(cols: Column[]): number {
  const top = Math.min(...cols.map((c) => c.runs[0]![0]));
  const bottom = Math.max(...cols.map((c) => c.runs.at(-1)![1]));
  return bottom - top + 1;
}

/**
 * The sign drawn in `box` (one glyph's columns, the line's ink rows), or null. `digitHeight`: the
 * ink height of the number beside it, when known: a sign whose strokes say `>` but that stands as
 * tall as the digits has a bar the strokes merged into (and the other way round): not known.
 */
export function readOperatorGlyph(img: GrayImage, box: PixelBox, digitHeight?: number): OperatorGlyph | null {
  const sign = readStrokes(img, box);
  if (sign === null || sign === "=" || !digitHeight) return sign;
  const cols = columns(img, box).filter((c) => c.runs.length > 0);
  const ratio = inkHeight(cols) / digitHeight;
  const barred = sign === ">=" || sign === "<=";
  if (barred) return ratio >= BARRED_TO_DIGIT ? sign : null;
  if (ratio <= CHEVRON_TO_DIGIT) return sign;
  // As tall as the digits, with a lower arm twice as thick as the upper: a slanted bar (⩾) merged into it.
  if (ratio >= MERGED_BAR_TO_DIGIT && lowerArmThickening(cols, sign) >= MERGED_BAR_THICKENING)
    return sign === ">" ? ">=" : "<=";
  return null;
}

/** A chevron with a merged bar stands at least this tall against the digits (measured 0.89–0.94 in Kai at 200 dpi). */
const MERGED_BAR_TO_DIGIT = 0.8;
/** …and its lower stroke is this many times as thick as the upper (measured 2 at 200 dpi, 1.5 at 150 where a pixel is a third of a stroke; a plain chevron's arms ≈ 1). */
const MERGED_BAR_THICKENING = 1.5;

/** Across the chevron's open half, the lower stroke's thickness over the upper one's (median rows). */
function lowerArmThickening(cols: Column[], sign: ">" | "<"): number {
  const half = Math.floor(cols.length / 2);
  const open = (sign === ">" ? cols.slice(0, half) : cols.slice(cols.length - half)).filter(
    (c) => c.runs.length === 2,
  );
  if (open.length < 2) return 0;
  const thick = (r: [number, number]) => r[1] - r[0] + 1;
  const upper = median(open.map((c) => thick(c.runs[0]!)));
  return upper === 0 ? 0 : median(open.map((c) => thick(c.runs[1]!))) / upper;
}

function readStrokes(img: GrayImage, box: PixelBox): OperatorGlyph | null {
  const cols = columns(img, box).filter((c) => c.runs.length > 0);
  if (cols.length < 3) return null;
  if (isEquals(cols)) return "=";
  // A chevron's upper arm runs down toward its vertex: rightward for `>`, leftward for `<`.
  // Across its width the arm falls about half the glyph's height; a level bar (=) does not.
  const fall = (topSlope(cols) * cols.length) / inkHeight(cols);
  const d = fall > 0.25 ? ">" : fall < -0.25 ? "<" : null;
  const third = Math.max(1, Math.floor(cols.length / 3));
  const middle = median(cols.slice(third, cols.length - third).map((c) => c.runs.length));
  if (d === null || middle < 2 || middle > 3) return null;
  if (middle === 2) return d;
  return d === ">" ? ">=" : "<=";
}
