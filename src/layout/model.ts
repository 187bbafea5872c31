import type { BBox } from "../schema.js";

/**
 * The page-independent document model every source produces (text dump, PDF text layer, OCR):
 * an ordered stream of free lines and table rows. Field recovery reads only this.
 * Geometry: PDF points, origin top-left of the page; null where the source has none (dump).
 */

export type Source = "text" | "ocr" | "acroform" | "dump";

/** A checkbox as found: glyph, vector box, widget, pixels or dump `<input>`. */
export interface CheckMark {
  kind: "box";
  checked: boolean;
  bbox: BBox | null;
  source: Source;
  confidence: number;
}

export interface TextRun {
  kind: "text";
  text: string;
}

/** One printed line of a cell, left to right: text runs and checkboxes interleaved. */
export type LineItem = TextRun | CheckMark;

export interface Cell {
  /** Position in the row: the left edge in points (PDF), or the tab index (dump). */
  col: number;
  /** True when the cell starts in the table's leftmost (label) column. */
  inLabelColumn: boolean;
  lines: LineItem[][];
  /** Text drawn in the cell but hidden by its clip path, in reading order (PDF only). */
  hiddenLines: string[];
  page: number | null;
  bbox: BBox | null;
  source: Source;
  confidence: number;
  /** Scans: label-column cells beside this value cell; 2 or more means the rules between rows were lost. */
  labelsBeside?: number;
}

export interface Row {
  cells: Cell[];
  page: number | null;
  /** First row of a table fragment that continues from the previous page. */
  startsPage: boolean;
}

export interface FreeLine {
  text: string;
  page: number | null;
  bbox: BBox | null;
  source: Source;
  confidence: number;
}

export type Block = { kind: "line"; line: FreeLine } | { kind: "row"; row: Row };

export function cellIsEmpty(cell: Cell): boolean {
  return cell.lines.every((line) => line.every((it) => (it.kind === "text" ? it.text.trim() === "" : false)));
}
