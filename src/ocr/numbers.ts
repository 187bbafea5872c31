import type { Cell } from "../layout/model.js";
import { parseDate } from "../values/date.js";
import { parseMoney } from "../values/money.js";
import { type CellJob, cellText, textCell, withText } from "./cells.js";
import { OCR_DPI, type PageReader } from "./page-reader.js";

/** Digits and the date/amount punctuation: the second reading of a number sees nothing else. */
export const NUMERIC_WHITELIST = "0123456789,.-/年月日元";
/** Three differently made readings that parse to the same number are trusted this much at least. */
const AGREEING_READS_CONFIDENCE = 0.95;
/** Confidence left to a number whose readings differ: below any sane review threshold. */
const DISAGREEING_READS_CONFIDENCE = 0.3;

/**
 * `2018年12月31月`: after a year and a month, the day's sign can only be 日 (OCR confuses 日, 月,
 * 曰 and 目); the date grammar fixes it, the numbers are never touched.
 */
export function repairDate(text: string): string {
  return text.replace(/^(\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*)[月曰目](\s*)$/u, "$1日$2");
}

/**
 * `22.450.000`: a low-resolution scan's comma looks like a point. A point followed by exactly
 * three digits and then another separator or the end cannot be a decimal point in yuan (money
 * has two decimals at most), so it is a thousands separator; nothing else is touched.
 */
export function repairMoney(text: string): string {
  const s = text.trim();
  if (!/^\d{1,3}([.,]\d{3})+([.,]\d{1,2})?元?$/u.test(s)) return text;
  return s.replace(/[.,](?=\d{3}(?:[.,]|元?$))/gu, ",");
}

/**
 * A number is read three times: as text (`generic`, already read), with digits only, and at
 * another scale (a different view of the same ink). Unless all three parse to the same value the
 * cell is left under any sane review threshold: a wrong amount must never pass unflagged.
 */
export async function confirmNumber(
  reader: PageReader,
  job: CellJob,
  generic: Cell,
  isDate: boolean,
): Promise<Cell> {
  const [digitLines, rescaledLines] = await Promise.all([
    reader.read(job.px, "block", NUMERIC_WHITELIST),
    reader.read(job.px, "block", "", reader.dpi >= OCR_DPI * 0.85 ? 1.5 : 1 / 1.5),
  ]);
  const fix = (c: Cell) => (isDate ? withText(c, repairDate(cellText(c))) : c);
  const reads = [
    generic,
    textCell(reader, job, digitLines, null),
    textCell(reader, job, rescaledLines, null),
  ].map(fix);
  const values = reads.map((c) => (isDate ? parseDate(cellText(c)) : parseMoney(cellText(c))));
  const first = reads[0]!;
  if (values[0] !== null && values.every((v) => v === values[0]))
    return { ...first, confidence: Math.max(AGREEING_READS_CONFIDENCE, ...reads.map((c) => c.confidence)) };
  // The value most readings give (the first reading's on a tie), at low confidence.
  const votes = (v: unknown) => (v === null ? 0 : values.filter((x) => x === v).length);
  const best = values.reduce<number>((a, v, k) => (votes(v) > votes(values[a]) ? k : a), 0);
  const pick = reads[best]!;
  return { ...pick, confidence: Math.min(pick.confidence, DISAGREEING_READS_CONFIDENCE) };
}
