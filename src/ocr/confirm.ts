import type { Cell } from "../layout/model.js";
import { normalizeCompatIdeographs, toHalfWidth } from "../text/normalize.js";
import { parseDate } from "../values/date.js";
import { parseMoney } from "../values/money.js";
import { type CellJob, cellText, textCell, withText } from "./cells.js";
import { repairDate } from "./numbers.js";
import type { PageReader } from "./page-reader.js";

/**
 * A short value read by a second, independent engine: PaddleOCR reads it first, tesseract again.
 * Where the two agree the value is trusted; where they differ it is left under any sane review
 * threshold, keeping the first reading (PaddleOCR is the more accurate of the two, BENCHMARKS.md).
 */

/** What a short cell holds, which decides how two readings are compared. */
export type ShortKind = "money" | "date" | "text";

/** Two readings that say the same thing are trusted at least this much. */
export const AGREEING_CONFIDENCE = 0.95;
/** A value the two engines read differently: under any sane review threshold. */
export const DISAGREEING_CONFIDENCE = 0.3;

/** Text compared across engines: width, compatibility forms and blanks do not count. */
export function comparable(text: string): string {
  return toHalfWidth(normalizeCompatIdeographs(text)).replace(/\s+/gu, "");
}

function sameValue(kind: ShortKind, a: string, b: string): boolean {
  if (kind === "money") {
    const x = parseMoney(a);
    return x !== null && x === parseMoney(b);
  }
  if (kind === "date") {
    const x = parseDate(repairDate(a));
    return x !== null && x === parseDate(repairDate(b));
  }
  return comparable(a) !== "" && comparable(a) === comparable(b);
}

export async function confirmByTesseract(
  reader: PageReader,
  job: CellJob,
  first: Cell,
  kind: ShortKind,
): Promise<Cell> {
  const lines = await reader.read(job.px, "block");
  const second = textCell(reader, job, lines, false);
  const text = kind === "date" ? repairDate(cellText(first)) : cellText(first);
  const cell = kind === "date" ? withText(first, text) : first;
  return sameValue(kind, text, cellText(second))
    ? { ...cell, confidence: Math.max(AGREEING_CONFIDENCE, cell.confidence) }
    : { ...cell, confidence: Math.min(cell.confidence, DISAGREEING_CONFIDENCE) };
}
