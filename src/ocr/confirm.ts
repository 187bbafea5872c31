import type { Cell } from "../layout/model.js";
import { normalizeCompatIdeographs, toHalfWidth } from "../text/normalize.js";
import { parseDate } from "../values/date.js";
import { parseMoney } from "../values/money.js";
import { type CellJob, cellText, textCell, withText } from "./cells.js";
import type { OcrLine } from "./engine.js";
import type { GrayImage, PixelBox } from "./image.js";
import { NUMERIC_WHITELIST, repairDate, repairMoney } from "./numbers.js";
import { type OperatorGlyph, readOperatorGlyph } from "./operator-glyph.js";
import type { PageReader } from "./page-reader.js";
import { inkRuns, unreadInk } from "./unread-ink.js";

/**
 * A short value read by a second, independent method: PaddleOCR reads it first, tesseract again,
 * and a target's comparison signs (which tesseract reads as 二 or 主) are read from their pixels.
 * Where the methods agree the value is trusted; where they differ it is left under any sane review
 * threshold, keeping the first reading (PaddleOCR is the more accurate, BENCHMARKS.md).
 */

/** What a short cell holds, which decides how two readings are compared. */
export type ShortKind = "money" | "date" | "target" | "text";

/** Two readings that say the same thing are trusted at least this much. */
export const AGREEING_CONFIDENCE = 0.95;
/** A value the two methods read differently: under any sane review threshold. */
export const DISAGREEING_CONFIDENCE = 0.3;

/** Text compared across engines: width, compatibility forms and blanks do not count. */
export function comparable(text: string): string {
  return toHalfWidth(normalizeCompatIdeographs(text)).replace(/\s+/gu, "");
}

const SIGNS: Record<string, OperatorGlyph> = { "≥": ">=", "≤": "<=", ">": ">", "<": "<", "=": "=" };
/** How a sign read from its pixels is written. */
const SIGN_OF: Record<OperatorGlyph, string> = { ">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=" };
/** What tesseract's chi_sim makes of a comparison sign before a number (`二85%`, `主1500个`). */
const SIGN_MISREADS = /[≥≤<>=二主三之Z]+(?=\d)/gu;

/** A target's text without its comparison signs: what tesseract can be trusted to confirm. */
const unsigned = (text: string) => comparable(text).replace(SIGN_MISREADS, "");

/** An amount's or a date's value as its grammar repairs and reads it, or null. */
const numberOf = (kind: "money" | "date", text: string) =>
  kind === "money" ? parseMoney(repairMoney(text)) : parseDate(repairDate(text));

function sameValue(kind: ShortKind, a: string, b: string): boolean {
  if (kind === "money" || kind === "date") {
    const x = numberOf(kind, a);
    return x !== null && x === numberOf(kind, b);
  }
  if (kind === "target") return unsigned(a) !== "" && unsigned(a) === unsigned(b);
  return comparable(a) !== "" && comparable(a) === comparable(b);
}

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
function signsMatchPixels(
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

/**
 * On a black-and-white page PaddleOCR has two views of a line, softened and the deskewed gray
 * unsoftened, and tesseract reads the same stair-stepped glyphs as the softened one: both took a
 * fax's 环 for 坏 alike. A name or a target is trusted there only when the other view says the
 * same too (`plainFirst`: the first reading was the gray one; `read`: the other view, if read already).
 */
async function otherViewAgrees(
  reader: PageReader,
  job: CellJob,
  kind: ShortKind,
  text: string,
  plainFirst: boolean,
  read?: readonly OcrLine[],
): Promise<boolean> {
  if (!reader.softened || kind === "money" || kind === "date") return true;
  const lines = read ? [...read] : await reader.readLines(job.px, !plainFirst);
  const other = cellText(textCell(reader, job, lines, null));
  return comparable(other) === comparable(text);
}

export async function confirmShort(
  reader: PageReader,
  job: CellJob,
  first: Cell,
  lines: readonly OcrLine[],
  kind: ShortKind,
  plainFirst = false,
  otherView?: readonly OcrLine[],
): Promise<Cell> {
  // An amount or a date is read again with digits and its signs only: unconstrained, tesseract
  // spells a 150 dpi or 1-bit 日 as 电 or 晶 and the two readings never agree.
  const numeric = kind === "money" || kind === "date";
  const second = textCell(
    reader,
    job,
    await reader.read(job.px, "block", numeric ? NUMERIC_WHITELIST : ""),
    null,
  );
  const repair = kind === "date" ? repairDate : kind === "money" ? repairMoney : (t: string) => t;
  const read = repair(cellText(first));
  const text = kind === "target" ? withRangeJoin(read, reader.clean, lines) : read;
  const cell = text === cellText(first) ? first : withText(first, text);
  const signs =
    kind === "target" ? signsMatchPixels(reader.clean, lines) : { match: true, barred: [], dropped: null };
  // Both readers may miss the same glyph: ink no character of the first reading reaches is doubt.
  const unread = unreadInk(reader.clean, job.px, lines);
  const agree =
    sameValue(kind, text, cellText(second)) &&
    signs.match &&
    unread === null &&
    (await otherViewAgrees(reader, job, kind, text, plainFirst, otherView));
  if (agree) return { ...cell, confidence: Math.max(AGREEING_CONFIDENCE, cell.confidence) };
  // The methods differ: the value stays under review. An amount or date the first reading cannot
  // parse is shown as the second reads it, if that parses; a bar the pixels show is written in.
  const other = repair(cellText(second));
  if (numeric && numberOf(kind, text) === null && numberOf(kind, other) !== null)
    return { ...withText(cell, other), confidence: Math.min(cell.confidence, DISAGREEING_CONFIDENCE) };
  // A sign the recognizer dropped that the pixels read is shown; still under review.
  const signed = signs.dropped && /^\d/u.test(text) ? `${SIGN_OF[signs.dropped]}${text}` : text;
  const barredText = withBars(signed, signs.barred);
  const shown = barredText === text ? cell : withText(cell, barredText);
  return { ...shown, confidence: Math.min(cell.confidence, DISAGREEING_CONFIDENCE) };
}
