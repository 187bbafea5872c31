import type { Cell } from "../layout/model.js";
import { type CellJob, cellText, textCell } from "./cells.js";
import { confirmShort, type ShortKind } from "./confirm.js";
import type { OcrLine } from "./engine.js";
import type { PixelBox } from "./image.js";
import { CELL_LABELS, snapToKnown, TABLE_HEADER_CELLS } from "./known-text.js";
import { confirmNumber } from "./numbers.js";
import { linesConfidence, OCR_DPI, type PageReader } from "./page-reader.js";
import type { RowKind } from "./template-text.js";
import { lineText } from "./text.js";

/**
 * How a scanned page's cells are read (the `labels`, `marks` and `values` stages of
 * scan-stages.ts use these): labels snapped to the template, value cells read as their row's
 * label says, short values read twice. Geometry: PDF points, origin top-left of the upright page.
 */

/** Labels are read at this reduction (×1/2): enough to tell one template label from another. */
const LABEL_SCALE = 2;

/**
 * A label is template text: read small (a quarter of the pixels) and matched to the template;
 * only a cell that matches nothing is read again at full size.
 */
const isLabel = (lines: readonly OcrLine[]) =>
  snapToKnown(lines.map((l) => lineText(l)).join(""), CELL_LABELS) !== null;

export async function readLabel(reader: PageReader, px: PixelBox): Promise<OcrLine[]> {
  if (reader.primary === "paddle") {
    const lines = await reader.readLines(px);
    if (!reader.softened || isLabel(lines)) return lines;
    // A black-and-white page's label that matches nothing, read softened, may read unsoftened (a fax's Kai 效果目标).
    const plain = await reader.readLines(px, true);
    return isLabel(plain) ? plain : lines;
  }
  const quick = await reader.read(px, "block", "", LABEL_SCALE);
  if (isLabel(quick)) return quick;
  return reader.read(px, "block");
}

/**
 * A value cell's text. A low-resolution scan's text is also read softened and enlarged toward
 * 300 dpi (stair-stepped small glyphs are what tesseract misreads most), and each line is taken
 * from whichever reading tesseract is surer of.
 */
async function readText(reader: PageReader, px: PixelBox): Promise<OcrLine[]> {
  if (reader.primary === "paddle") return reader.readLines(px);
  if (reader.dpi >= OCR_DPI * 0.85) return reader.read(px, "block");
  const [plain, soft] = await Promise.all([reader.read(px, "block"), reader.read(px, "block", "", 1, true)]);
  if (plain.length !== soft.length) return linesConfidence(soft) > linesConfidence(plain) ? soft : plain;
  return plain.map((line, i) => {
    const other = soft[i]!;
    return linesConfidence([other]) > linesConfidence([line]) ? other : line;
  });
}

/** The confidence of a table cell read once: under any review bar (`--min-confidence`). */
const UNCONFIRMED = 0.5;
/** A value cell short enough to be read twice: one line of at most this many characters. */
const SHORT_CELL_CHARS = 40;
/** A sub-table's value cell (no row label says what it is) is read twice up to this many lines. */
const TABLE_CELL_LINES = 3;

/**
 * What a second reading compares, for a cell read by PaddleOCR: money and dates by the value they
 * parse to, any other one-line value (targets, names, amounts in sub-tables) by its text; long
 * free text (several lines) is read once.
 */
/** A row of a table: no label of its own (a span covers it), or a level or header in the label column. */
const inTable = (rowKind: RowKind | undefined) => rowKind === undefined || rowKind.kind === "table";

function shortKind(cell: Cell, rowKind: RowKind | undefined): ShortKind | null {
  if (rowKind?.kind === "money") return "money";
  if (rowKind?.kind === "date") return "date";
  const text = cellText(cell);
  // A sub-table's cell (a target, a name) is read twice even over a few lines: it is one value.
  const maxLines = inTable(rowKind) ? TABLE_CELL_LINES : 1;
  const maxChars = inTable(rowKind) ? SHORT_CELL_CHARS * 2 : SHORT_CELL_CHARS;
  if (cell.lines.length > maxLines || [...text].length > maxChars || text.trim() === "") return null;
  return /^[\d,.\s]+$/.test(text) ? "money" : /\d/.test(text) ? "target" : "text";
}

/**
 * A value cell read by PaddleOCR: short values are confirmed by tesseract. Inside a table only
 * its headers are known text: an indicator's name is never taken for a form label (开放时间 is
 * one character from 开始时间).
 */
export async function readValueCell(
  reader: PageReader,
  j: CellJob,
  rowKind: RowKind | undefined,
): Promise<Cell> {
  // On a 1-bit page a table's value or an amount reads best unsoftened from the deskewed gray
  // (names, amounts), long text softened (punctuation): BENCHMARKS.md, bw200 and fax200.
  const plainFirst =
    reader.softened && (inTable(rowKind) || rowKind?.kind === "money" || rowKind?.kind === "date");
  const lines = plainFirst ? await reader.readLines(j.px, true) : await readText(reader, j.px);
  // Rows of a table, and rows a span covers (no label of their own), know only the headers.
  const known = !rowKind || rowKind.kind === "table" ? TABLE_HEADER_CELLS : CELL_LABELS;
  const cell = textCell(reader, j, lines, known);
  const text = cellText(cell);
  if (cell.confidence === 1 && known.includes(text)) return cell;
  if (reader.primary === "tesseract") {
    const numeric = rowKind?.kind === "money" || rowKind?.kind === "date" || /^[\d,.\s]{3,}$/.test(text);
    return numeric ? confirmNumber(reader, j, cell, rowKind?.kind === "date") : cell;
  }
  const kind = shortKind(cell, rowKind);
  // A target's signs and units read best softened: that view comes first, the gray one checks it.
  if (kind === "target" && plainFirst) {
    const softLines = await reader.readLines(j.px);
    return confirmShort(reader, j, textCell(reader, j, softLines, known), softLines, kind, { other: lines });
  }
  if (kind) return confirmShort(reader, j, cell, lines, kind, { plainFirst });
  // A table's value too long to read twice (a sentence as a target) is one reading, unconfirmed:
  // its confidence says nothing (a fax's target lost its 《》 at 0.994), so it is in doubt.
  return rowKind === undefined && text.trim() !== ""
    ? { ...cell, confidence: Math.min(cell.confidence, UNCONFIRMED) }
    : cell;
}

/**
 * A value cell beside two or more labels of the label column has lost the rulings between their
 * rows (a photo's slanted rules): what it holds belongs to several fields, so it is in doubt.
 */
export function inDoubt(job: CellJob, cell: Cell, labelJobs: readonly CellJob[]): Cell {
  if (job.inLabelColumn || cell.lines.length === 0) return cell;
  const [, top, , bottom] = job.bbox;
  // A label beside the cell for most of its height (a photo's rows are a few points off).
  const beside = labelJobs.filter((l) => {
    const overlap = Math.min(bottom, l.bbox[3]) - Math.max(top, l.bbox[1]);
    return overlap >= 0.5 * (l.bbox[3] - l.bbox[1]);
  });
  return beside.length >= 2 ? { ...cell, confidence: 0, labelsBeside: beside.length } : cell;
}
