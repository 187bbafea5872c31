import type { OcrLine } from "./engine.js";

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
/** Share of an em a mark's advance must reach to be the full-width form. */
const FULL_WIDTH_ADVANCE = 0.72;

const isCjkChar = (ch: string) => /[\u3400-\u9FFF\uF900-\uFAFF]/u.test(ch);

/** The line's em: the median width of its single CJK characters, or its height. */
function emOf(line: OcrLine): number {
  const widths = line.words
    .filter((w) => [...w.text.trim()].length === 1 && isCjkChar(w.text.trim()))
    .map((w) => w.bbox[2] - w.bbox[0])
    .sort((a, b) => a - b);
  return widths[Math.floor(widths.length / 2)] ?? line.bbox[3] - line.bbox[1];
}

export function lineText(line: OcrLine): string {
  const words = line.words.filter((w) => w.text.trim() !== "");
  const em = emOf(line);
  let out = "";
  words.forEach((w, i) => {
    let text = w.text.trim();
    const mark = TO_FULL.has(text) || TO_HALF.has(text);
    if (mark) {
      // The advance: from the end of what is before it to the start of what is after it.
      const prev = words[i - 1];
      const next = words[i + 1];
      const width = w.bbox[2] - w.bbox[0];
      const before = prev ? w.bbox[0] - prev.bbox[2] : Number.NaN;
      const after = next ? next.bbox[0] - w.bbox[2] : Number.NaN;
      const gaps = [before, after].filter((g) => !Number.isNaN(g));
      // At a line end only one gap is known: the mark's ink sits at one side of its box.
      const advance = gaps.length === 2 ? before + width + after : width + 2 * (gaps[0] ?? 0);
      const full = advance >= FULL_WIDTH_ADVANCE * em;
      text = full ? (TO_FULL.get(text) ?? text) : (TO_HALF.get(text) ?? text);
    }
    const last = out.at(-1) ?? "";
    if (/[A-Za-z]/.test(last) && /^[A-Za-z]/.test(text)) out += " ";
    out += text;
  });
  return out;
}

/** Cell-level fixes over the joined text of all its lines. */
export function normalizeOcrText(text: string): string {
  let open = true;
  return (
    text
      // 〔2014〕86号: the year brackets of a document number, whatever brackets OCR saw.
      .replace(/[[【〔［(（]{1,2}\s*((?:19|20)\d{2})\s*[\]】〕］)）]{1,2}(?=\s*\d+\s*号)/gu, "〔$1〕")
      .replace(/[“"](?=《)/gu, "")
      .replace(/(?<=\d)\s*一\s*(?=\d)/gu, "—")
      .replace(/["“”]/gu, () => {
        const q = open ? "“" : "”";
        open = !open;
        return q;
      })
  );
}
