import type { OcrLine, OcrWord } from "./engine.js";
import { restoreEnumeration } from "./enumeration.js";

/**
 * What chi_sim's words need before they are a cell's text. Spaces go between Latin words only
 * (chi_sim puts one between every two CJK characters). Punctuation that has a half-width and a
 * full-width form (`,` `，`) looks alike in pixels and the model picks either: the space the mark
 * takes on the line decides (a full-width mark takes a whole em). Quotes alternate “ ”, a 一
 * between digits is a dash, document numbers keep their 〔〕, and an opening quote tesseract
 * invents before 《 is dropped.
 */

const PAIRS: ReadonlyArray<[string, string]> = [
  [",", "，"],
  [":", "："],
  [";", "；"],
  ["(", "（"],
  [")", "）"],
  ["?", "？"],
  ["!", "！"],
];
const TO_FULL = new Map(PAIRS);
const TO_HALF = new Map(PAIRS.map(([h, f]) => [f, h]));
/** Share of an em the room between a mark's neighbours must reach for the full-width form. */
const FULL_WIDTH_ADVANCE = 0.72;
/**
 * After a digit or letter the bar is higher: an ASCII mark and the space after it (`子项目1: 完`)
 * measure 0.70 em, a full-width one (`目标1：新`) 0.95–1.19 em (symbol boxes on 300 dpi scans).
 */
const FULL_WIDTH_AFTER_ALNUM = 0.85;

const isCjkChar = (ch: string) => /[\u3400-\u9FFF\uF900-\uFAFF]/u.test(ch);

/** The line's em: the median ink width of its single CJK characters, or its height. */
function emOf(line: OcrLine): number {
  const widths = line.words
    .filter((w) => [...w.text.trim()].length === 1 && isCjkChar(w.text.trim()))
    .map((w) => w.bbox[2] - w.bbox[0])
    .sort((a, b) => a - b);
  return widths[Math.floor(widths.length / 2)] ?? line.bbox[3] - line.bbox[1];
}

const isMark = (ch: string) => TO_FULL.has(ch) || TO_HALF.has(ch);

/**
 * Full-width (true) or half-width (false) for each mark tesseract gave a box of its own (a
 * symbol, even inside a longer word): the room from the end of the character before it to the
 * start of the one after, against the line's em. Keyed by word and the mark's index in it.
 */
function measureMarks(lines: readonly OcrLine[]): Map<OcrWord, Map<number, boolean>> {
  const out = new Map<OcrWord, Map<number, boolean>>();
  for (const line of lines) {
    const em = emOf(line);
    const seq = line.words.flatMap((w) =>
      w.symbols && w.symbols.length === [...w.text].length
        ? w.symbols.map((s, k) => ({ word: w, k, text: s.text, bbox: s.bbox }))
        : [{ word: w, k: -1, text: w.text, bbox: w.bbox }],
    );
    seq.forEach((s, i) => {
      const prev = seq[i - 1];
      const next = seq[i + 1];
      if (s.k < 0 || !isMark(s.text) || !prev || !next) return;
      const room = next.bbox[0] - prev.bbox[2];
      const marks = out.get(s.word) ?? new Map<number, boolean>();
      // A closing bracket is measured as any mark (`（1）内` and `(1)内` both close a number).
      const afterAlnum = /[0-9A-Za-z]$/.test(prev.text) && !/[)）]/.test(s.text);
      marks.set(s.k, room >= (afterAlnum ? FULL_WIDTH_AFTER_ALNUM : FULL_WIDTH_ADVANCE) * em);
      out.set(s.word, marks);
    });
  }
  return out;
}

/**
 * The text of a cell's lines. Each lone mark takes the form its room says; the others (glued
 * into a token, or at a line's end) follow the cell's majority, since a cell keeps one
 * convention; with nothing measured they stay as read.
 */
export function cellLinesText(lines: readonly OcrLine[]): string[] {
  const measured = measureMarks(lines);
  const votes = [...measured.values()].flatMap((m) => [...m.values()]);
  const full = votes.filter(Boolean).length;
  const majority = votes.length === 0 ? null : full * 2 >= votes.length;
  return lines.map((line) => {
    const chars: Array<{ ch: string; measured: boolean }> = [];
    for (const w of line.words) {
      const text = [...w.text.trim()];
      if (text.length === 0) continue;
      const marks = measured.get(w);
      const last = chars.at(-1)?.ch ?? "";
      if (/[A-Za-z]/.test(last) && /^[A-Za-z]/.test(text[0]!)) chars.push({ ch: " ", measured: false });
      text.forEach((ch, k, all) => {
        chars.push(markForm(ch, k, all, marks?.get(k), majority));
      });
    }
    return matchBracketPairs(chars);
  });
}

/** One character of a word: a mark takes the form its room says, else the cell's majority. */
function markForm(
  ch: string,
  k: number,
  all: readonly string[],
  room: boolean | undefined,
  majority: boolean | null,
): { ch: string; measured: boolean } {
  const decided = room ?? majority;
  if (!isMark(ch) || decided === null) return { ch, measured: false };
  // Beside a digit or letter a mark stays as read: `4,100`, `(1)`.
  const near = [all[k - 1], all[k + 1]].filter((c): c is string => c !== undefined);
  if (all.length > 1 && room === undefined && near.some((c) => /[0-9A-Za-z]/.test(c)))
    return { ch, measured: false };
  return { ch: (decided ? TO_FULL : TO_HALF).get(ch) ?? ch, measured: room !== undefined };
}

/**
 * A short bracketed item (`(1)`, `（一）`) is printed with one pair: the closing bracket's width
 * decides, measured between tight neighbours (an opening one often follows a full-width mark
 * whose box is drawn half an em, or starts a line with nothing to measure).
 */
function matchBracketPairs(chars: Array<{ ch: string; measured: boolean }>): string {
  chars.forEach((open, i) => {
    if (open.ch !== "(" && open.ch !== "（") return;
    const j = chars.findIndex((c, k) => k > i && k <= i + 5 && (c.ch === ")" || c.ch === "）"));
    const close = chars[j];
    if (!close || (!open.measured && !close.measured)) return;
    const full = close.measured ? close.ch === "）" : open.ch === "（";
    open.ch = full ? "（" : "(";
    close.ch = full ? "）" : ")";
  });
  return chars.map((c) => c.ch).join("");
}

/** One line's text, its marks decided by the line alone. */
export function lineText(line: OcrLine): string {
  return cellLinesText([line])[0] ?? "";
}

/** Cell-level fixes over the joined text of all its lines. */
export function normalizeOcrText(text: string): string {
  let open = true;
  return restoreEnumeration(
    text
      // 〔2014〕86号: a document number's year brackets, whatever brackets OCR saw (a closing
      // 〕 is also read as 1 when no bracket follows the year at all).
      .replace(
        /[[【〔［(（《〈:：]{1,2}\s*((?:19|20)\d{2})\s*(?:[\]】〕］)）》〉]{1,2}|1(?=\d{1,4}\s*号))(?=\s*\d+\s*号)/gu,
        "〔$1〕",
      )
      .replace(/[“"](?=《)/gu, "")
      .replace(/(?<=\d)\s*一\s*(?=\d)/gu, "—")
      // 丶 (a radical) is how a recognizer reads 、; a full-width hyphen or a doubled one is a dash.
      .replace(/丶/gu, "、")
      .replace(/(?<=[\d\u3400-\u9FFF])\s*(?:－|--)\s*(?=[\d\u3400-\u9FFF])/gu, "—")
      // A point between two CJK characters is a comma whose tail a 1-bit or 150 dpi scan lost.
      .replace(/(?<=[\u3400-\u9FFF])\.(?=[\u3400-\u9FFF])/gu, "，")
      .replace(/["“”]/gu, () => {
        const q = open ? "“" : "”";
        open = !open;
        return q;
      }),
  );
}
