import type { Flag } from "../flags.js";
import type { Block, Cell, LineItem } from "../layout/model.js";
import type { BBox, Provenance } from "../schema.js";
import { cleanFreeText, joinLines } from "../text/normalize.js";
import { cellLines } from "./labels.js";

/** What field recovery hands to normalization: each field's cells as read, before parsing. */

/** A value as read from one or more cells, before normalization. */
export interface RawValue {
  lines: string[];
  hiddenLines: string[];
  cells: Cell[];
}

/** One table row: its value columns' cells, and its level columns' values (continued or printed). */
export interface RawRow {
  values: Record<string, RawValue>;
  levels: Record<string, string | null>;
  /** The cells a level was printed in on this row (none when it continues the one above). */
  levelCells: Record<string, Cell[]>;
}

export interface RawForm {
  /** Text, money, date and year fields by key. */
  values: Record<string, RawValue>;
  checkboxes: Record<string, { items: LineItem[]; cells: Cell[] }>;
  tables: Record<string, RawRow[]>;
  flags: Flag[];
  pages: number[];
  /** Value fields whose label a scanned page shows with no value cell in its row (its rules lost): unread. */
  unplaced: string[];
}

export function emptyRaw(): RawValue {
  return { lines: [], hiddenLines: [], cells: [] };
}

export function appendCell(target: RawValue, cell: Cell): void {
  target.lines.push(...cellLines(cell));
  target.hiddenLines.push(...cell.hiddenLines);
  target.cells.push(cell);
}

export function rawText(value: RawValue | null | undefined): string {
  return value ? cleanFreeText(joinLines(value.lines)) : "";
}

export function bboxOf(cells: readonly Cell[]): { page: number | null; bbox: BBox | null } {
  const first = cells.find((c) => c.bbox);
  if (!first?.bbox) return { page: cells[0]?.page ?? null, bbox: null };
  const same = cells.filter((c) => c.page === first.page && c.bbox);
  const b = same.reduce<BBox>(
    (acc, c) => [
      Math.min(acc[0], c.bbox![0]),
      Math.min(acc[1], c.bbox![1]),
      Math.max(acc[2], c.bbox![2]),
      Math.max(acc[3], c.bbox![3]),
    ],
    [...first.bbox] as BBox,
  );
  return { page: first.page, bbox: b.map((v) => Math.round(v * 10) / 10) as BBox };
}

export function provenanceOf(cells: readonly Cell[]): Provenance | null {
  if (cells.length === 0) return null;
  const { page, bbox } = bboxOf(cells);
  const source = cells[0]!.source;
  const confidence = Math.min(...cells.map((c) => c.confidence));
  return { page, bbox, source, confidence };
}

/** A free line as a one-line cell, for provenance. */
export function lineCell(block: Extract<Block, { kind: "line" }>): Cell {
  const { line } = block;
  return {
    col: 0,
    inLabelColumn: false,
    lines: [[{ kind: "text", text: line.text }]],
    hiddenLines: [],
    page: line.page,
    bbox: line.bbox,
    source: line.source,
    confidence: line.confidence,
  };
}
