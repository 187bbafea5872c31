import { normalizeCompatIdeographs, toHalfWidth } from "../text/normalize.js";

/**
 * Reads a money cell in yuan: `4100000`, `4,100,000`, `4100000.00`, `410万`, `4100000元`.
 * Returns null when the text is not one unambiguous amount (the caller flags it).
 */
export function parseMoney(text: string): number | null {
  const s = toHalfWidth(normalizeCompatIdeographs(text))
    .replace(/[\s,，]/g, "")
    .replace(/元$/u, "");
  const m = /^(\d+(?:\.\d{1,2})?)(万|亿)?$/u.exec(s);
  if (!m) return null;
  const scale = m[2] === "万" ? 10_000 : m[2] === "亿" ? 100_000_000 : 1;
  // Round to fen so 41.5万 is 415000, not 414999.99999999994.
  return Math.round(Number(m[1]) * scale * 100) / 100;
}

/**
 * Reads an amount printed in 万元 (a form whose label says `（万元）`): `120.5`, `120.5万元`,
 * `0.123456`; returns yuan rounded to fen (×10000), null when not one amount.
 */
export function parseMoneyIn(text: string, unit: "万元"): number | null {
  const s = toHalfWidth(normalizeCompatIdeographs(text))
    .replace(/[\s,，]/g, "")
    .replace(new RegExp(`${unit}$`, "u"), "");
  const m = /^(\d+(?:\.\d{1,6})?)$/u.exec(s);
  if (!m) return null;
  return Math.round(Number(m[1]) * 10_000 * 100) / 100;
}
