import type { Cell } from "../layout/model.js";
import { parseDate } from "../values/date.js";
import { parseMoney } from "../values/money.js";
import { type CellJob, cellText, textCell, withText } from "./cells.js";
import type { OcrLine } from "./engine.js";
import { NUMERIC_WHITELIST, repairDate, repairMoney } from "./numbers.js";
import type { PageReader } from "./page-reader.js";
import { comparable, SIGN_OF, signsMatchPixels, withBars, withRangeJoin } from "./target-signs.js";
import { unreadInk } from "./unread-ink.js";

export { comparable };

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

/**
 * On a black-and-white page PaddleOCR has two views of a line, softened and the deskewed gray
 * unsoftened, and tesseract reads the same stair-stepped glyphs as the softened one: both took a
 * fax's 环 for 坏 alike. A name or a target is trusted there only when the other view says the
 * same too (`read`: the other view's reading, if made already).
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

/** On a 1-bit page: which of PaddleOCR's two views the first reading came from, and the other's reading if made. */
export interface ReadViews {
  /** The first reading is the deskewed gray's (else the softened ink's). */
  plainFirst?: boolean;
  other?: readonly OcrLine[];
}

export async function confirmShort(
  reader: PageReader,
  job: CellJob,
  first: Cell,
  lines: readonly OcrLine[],
  kind: ShortKind,
  views: ReadViews = {},
): Promise<Cell> {
  const { plainFirst = false, other: otherView } = views;
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
