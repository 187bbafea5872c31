import { isCjk } from "../text/normalize.js";

/**
 * What chi_sim's output needs before it is a cell's text: half-width punctuation that stands
 * beside CJK text was printed full-width (the glyph shapes are alike, the model picks ASCII),
 * document numbers keep their 〔〕, and an opening quote tesseract invents before 《 is dropped.
 */

const FULL_WIDTH: Record<string, string> = {
  ",": "，",
  ":": "：",
  ";": "；",
  "(": "（",
  ")": "）",
  "?": "？",
  "!": "！",
};

/** CJK on either side (ignoring the other punctuation around it) makes ASCII punctuation full-width. */
function besideCjk(chars: readonly string[], i: number): boolean {
  const look = (from: number, step: number): boolean => {
    for (let j = from; j >= 0 && j < chars.length; j += step) {
      const ch = chars[j]!;
      if (/\s/.test(ch) || ch in FULL_WIDTH) continue;
      // A digit or Latin letter beside it: ASCII context (`4,100`, `(1)`), unless CJK is on the other side.
      return isCjk(ch) && !/[\uFF10-\uFF19\uFF21-\uFF5A]/.test(ch);
    }
    return false;
  };
  return look(i - 1, -1) || look(i + 1, 1);
}

export function normalizeOcrText(text: string): string {
  const chars = [...text];
  const out = chars.map((ch, i) => (FULL_WIDTH[ch] && besideCjk(chars, i) ? FULL_WIDTH[ch] : ch)).join("");
  return (
    out
      // 〔2014〕86号: the year brackets of a document number, whatever bracket OCR saw.
      .replace(/[[【〔［(（]\s*((?:19|20)\d{2})\s*[\]】〕］)）](?=\s*\d+\s*号)/gu, "〔$1〕")
      .replace(/[“"](?=《)/gu, "")
  );
}
