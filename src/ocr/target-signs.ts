import { normalizeCompatIdeographs, toHalfWidth } from "../text/normalize.js";
import type { OcrLine } from "./engine.js";
import type { GrayImage, PixelBox } from "./image.js";
import { type OperatorGlyph, readOperatorGlyph } from "./operator-glyph.js";
import { inkRuns } from "./unread-ink.js";

/**
 * A target's comparison signs and range join checked against its pixels, the method beside the
 * two recognizers (confirm.ts): a sign read that the pixels do not show, one they show that was
 * not read, a bar under `>` missed, `&&` read as one `&`. Boxes: page pixels of the cleaned
 * image, origin top-left.
 */

/** Text compared across engines: width, compatibility forms and blanks do not count. */
export function comparable(text: string): string {
  return toHalfWidth(normalizeCompatIdeographs(text)).replace(/\s+/gu, "");
}

const SIGNS: Record<string, OperatorGlyph> = { "≥": ">=", "≤": "<=", ">": ">", "<": "<", "=": "=" };
/** How a sign read from its pixels is written. */
export const SIGN_OF: Record<OperatorGlyph, string> = { ">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=" };

const blankColumn = (img: GrayImage, x: number, top: number, bottom: number) => {
  for (let y = top; y < bottom; y++) if (img.data[y * img.width + x]! < 128) return false;
  return true;
};

function inkIn(img: GrayImage, box: PixelBox): number {
  let n = 0;
  for (let y = box[1]; y < box[3]; y++)
    for (let x = box[0]; x < box[2]; x++) if (img.data[y * img.width + x]! < 128) n++;
  return n;
}

/** How many rows of `box` hold ink, top to bottom: a glyph's ink height. */
function inkRows(img: GrayImage, box: PixelBox): number {
  let top = -1;
  let bottom = -1;
  for (let y = box[1]; y < box[3]; y++)
    for (let x = box[0]; x < box[2]; x++)
      if (img.data[y * img.width + x]! < 128) {
        if (top < 0) top = y;
        bottom = y;
        break;
      }
  return top < 0 ? 0 : bottom - top + 1;
}

/** The run of inked columns around `x` on the line: one glyph, unless it touches its neighbour. */
function glyphAt(img: GrayImage, x: number, line: OcrLine): PixelBox | null {
  const [x0, top, x1, bottom] = line.bbox;
  let a = Math.round(x);
  // A recognizer's character position may fall in the gap beside its glyph: the nearest ink within
  // a fifth of the line's height is that glyph.
  const reach = Math.max(1, Math.round((bottom - top) / 5));
  for (let d = 1; d <= reach && a >= x0 && a < x1 && blankColumn(img, a, top, bottom); d++) {
    const k = [Math.round(x) - d, Math.round(x) + d].find(
      (c) => c >= x0 && c < x1 && !blankColumn(img, c, top, bottom),
    );
    if (k !== undefined) a = k;
  }
  if (a < x0 || a >= x1 || blankColumn(img, a, top, bottom)) return null;
  let b = a;
  while (a > x0 && !blankColumn(img, a - 1, top, bottom)) a--;
  while (b < x1 - 1 && !blankColumn(img, b + 1, top, bottom)) b++;
  return [a, top, b + 1, bottom];
}

/**
 * Every comparison sign the recognizer read is the one drawn there, and no sign it missed is
 * drawn before a line's leading number (`≥85%` read as `85%`). `barred`: for each sign read, in
 * order, whether its pixels show a bar the recognizer missed (a Kai `⩾` read as `>`).
 */
export function signsMatchPixels(
  img: GrayImage,
  lines: readonly OcrLine[],
): { match: boolean; barred: boolean[]; dropped: OperatorGlyph | null } {
  const barred: boolean[] = [];
  let match = true;
  let dropped: OperatorGlyph | null = null;
  for (const line of lines) {
    const words = line.words;
    for (const [i, w] of words.entries()) {
      const centre = (w.bbox[0] + w.bbox[2]) / 2;
      const sign = SIGNS[toHalfWidth(w.text)];
      if (sign) {
        const box = glyphAt(img, centre, line);
        const next = words[i + 1];
        const digit =
          next && /\d/.test(next.text) ? glyphAt(img, (next.bbox[0] + next.bbox[2]) / 2, line) : null;
        const digitHeight = digit ? inkRows(img, digit) : undefined;
        const read = box ? readOperatorGlyph(img, box, digitHeight) : null;
        barred.push(read === `${sign}=`);
        if (read !== sign) match = false;
      } else if (i === 0 && /\d/.test(w.text)) {
        // A digit is half an em wide: a wider glyph has a sign stuck to it; ink left of it is a glyph not read.
        const box = glyphAt(img, centre, line);
        const height = line.bbox[3] - line.bbox[1];
        if (!box || box[2] - box[0] > 0.75 * height) match = false;
        else if (inkIn(img, [line.bbox[0], line.bbox[1], box[0] - 1, line.bbox[3]]) > height ** 2 / 40) {
          match = false;
          // The glyph nearest the number, read as a sign from its pixels (`≥20张` read `20张`).
          const near = glyphRunsBetween(img, line.bbox[0] - 1, box[0], line).at(-1);
          if (near && lines.length === 1)
            dropped = readOperatorGlyph(
              img,
              [near[0], line.bbox[1], near[1], line.bbox[3]],
              inkRows(img, box),
            );
        }
      }
    }
  }
  return { match, barred, dropped };
}

/** Column runs of ink across a line's rows strictly between two page columns: one per glyph. */
function glyphRunsBetween(img: GrayImage, from: number, to: number, line: OcrLine): Array<[number, number]> {
  const [, top, , bottom] = line.bbox;
  return inkRuns(img, from, to, top, bottom, 0).map((r) => [r.from, r.to]);
}

/** A range's two halves (`≥42篇` and `≤58篇`) with one `&` or none read between them. */
const SHORT_RANGE = /^[^&＆]*[≥>＞][^≤<＜&＆]*[&＆]?(?=[≤<＜])[^≥>＞&＆]*$/u;

/**
 * The recognizer reads the spec's range join `&&` as one `&` (CTC merges a repeated class when the
 * glyphs stand close) or drops it: where the pixels between the lower bound's last glyph and the
 * upper bound's sign are two half-width glyphs, the join is written `&&`. One-line targets only.
 */
export function withRangeJoin(text: string, img: GrayImage, lines: readonly OcrLine[]): string {
  if (lines.length !== 1 || !SHORT_RANGE.test(comparable(text))) return text;
  const line = lines[0]!;
  const words = line.words;
  const k = words.findIndex((w, i) => i > 0 && /[≤<]/u.test(toHalfWidth(w.text)));
  if (k < 0) return text;
  // The glyph before the join: past the one `&` read, if any.
  const amp = toHalfWidth(words[k - 1]!.text) === "&" ? k - 1 : k;
  const before = words[amp - 1];
  if (!before) return text;
  const centre = (w: { bbox: PixelBox }) => (w.bbox[0] + w.bbox[2]) / 2;
  const left = glyphAt(img, centre(before), line);
  const right = glyphAt(img, centre(words[k]!), line);
  if (!left || !right || left[2] >= right[0]) return text;
  const height = line.bbox[3] - line.bbox[1];
  // Strokes thinner than a fifth of the line are the lower bound's own (时's 寸 stands apart from its 日).
  const runs = glyphRunsBetween(img, left[2], right[0], line).filter((r) => r[1] - r[0] >= 0.2 * height);
  const width = (r: [number, number]) => r[1] - r[0];
  // A `&` is 0.55–0.8 of the line's ink height wide over five faces; two touching are a run as wide as the line or more.
  const apart = runs.length === 2 && runs.every((r) => width(r) <= 0.85 * height);
  const touching =
    runs.length === 1 && img.dpi >= 200 && width(runs[0]!) >= height && width(runs[0]!) <= 1.7 * height;
  if (!apart && !touching) return text;
  return text.replace(/[&＆]?(?=[≤<＜])/u, "&&");
}

/** The text with each `>`/`<` whose pixels show a bar written `≥`/`≤`; unchanged unless the signs line up one to one. */
export function withBars(text: string, barred: readonly boolean[]): string {
  const signs = [...text].filter((ch) => SIGNS[toHalfWidth(ch)] !== undefined).length;
  if (signs !== barred.length || !barred.some(Boolean)) return text;
  let k = 0;
  return [...text]
    .map((ch) => {
      if (SIGNS[toHalfWidth(ch)] === undefined) return ch;
      const bar = barred[k++];
      if (!bar) return ch;
      return toHalfWidth(ch) === ">" ? "≥" : toHalfWidth(ch) === "<" ? "≤" : ch;
    })
    .join("");
}
