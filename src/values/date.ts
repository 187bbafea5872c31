import { normalizeCompatIdeographs, toHalfWidth } from "../text/normalize.js";

/**
 * Reads a date cell to ISO `YYYY-MM-DD`: `2018年1月1日`, `2018-01-01`, `2018.1.1`, `2018/1/1`.
 * A month without a day, or a day that does not exist, is unreadable (null): never guessed.
 */
export function parseDate(text: string): string | null {
  const s = toHalfWidth(normalizeCompatIdeographs(text)).replace(/\s/g, "");
  const m = /^(\d{4})(?:年|[-./])(\d{1,2})(?:月|[-./])(\d{1,2})日?$/u.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Reads the form's year from `(2018年)` / `（2018年）`. */
export function parseYear(text: string): number | null {
  const m = /(\d{4})\s*年/u.exec(toHalfWidth(normalizeCompatIdeographs(text)));
  return m ? Number(m[1]) : null;
}
