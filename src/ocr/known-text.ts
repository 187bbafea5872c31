import { editDistance } from "../text/distance.js";
import { labelKey } from "../text/normalize.js";
import { KNOWN } from "./template-text.js";

/**
 * Printed template text read by OCR is matched to the template, not trusted character by
 * character: a label with one misread character is still that label, and comes out spelled
 * exactly as the template spells it so field recovery finds it.
 */

/** Every label and header cell the registered templates print in a table cell. */
export const CELL_LABELS: readonly string[] = KNOWN.cellLabels;

/** The header cells of the templates' tables: all a cell inside those tables may be. */
export const TABLE_HEADER_CELLS: readonly string[] = KNOWN.tableHeaders;

/** Most misread characters a known text of this length may have and still be recognised. */
function allowance(length: number): number {
  return length <= 3 ? 0 : length <= 6 ? 1 : Math.floor(length * 0.25);
}

/**
 * The known text `text` was most likely printed as, or null when none is close. Compared by their
 * label keys (width, blanks and `(元)`/`（元）` do not count).
 */
export function snapToKnown(text: string, known: readonly string[]): string | null {
  const key = labelKey(text);
  if (key === "") return null;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const kk = labelKey(k);
    if (Math.abs([...kk].length - [...key].length) > allowance([...kk].length)) continue;
    const d = editDistance(key, kk);
    if (d <= allowance([...kk].length) && d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** A free line above the table: a title, or `申报单位名称：…` with its label made exact. */
export function snapFreeLine(text: string): string {
  const title = snapToKnown(text, KNOWN.titles);
  if (title) return title;
  const m = /^(.{4,8}?)\s*[:：]\s*(.*)$/su.exec(text);
  const label = m ? snapToKnown(m[1] ?? "", KNOWN.lineLabels) : null;
  if (label) return `${label}：${m?.[2] ?? ""}`;
  return text;
}
