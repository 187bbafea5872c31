import type { Grid } from "../layout/grid.js";
import type { Cell, LineItem } from "../layout/model.js";
import type { BBox } from "../schema.js";
import type { OcrLine } from "./engine.js";
import { countInk, type InkImage, type PixelBox } from "./image.js";
import { snapToKnown } from "./known-text.js";
import { linesConfidence, type PageReader, toPx } from "./page-reader.js";
import { cellLinesText, normalizeOcrText } from "./text.js";

/** A table cell of a scanned page to be read: its box in points, its inner box in pixels. */
export interface CellJob {
  /** PDF points, origin top-left of the upright page. */
  bbox: BBox;
  /** Page pixels inside the cell's rulings. */
  px: PixelBox;
  inLabelColumn: boolean;
  /** No ink to speak of: nothing to read. */
  empty: boolean;
}

/** Ink below this share of a cell's area is scan noise, not writing... */
const EMPTY_CELL_INK = 0.002;
/** ...unless one glyph's square holds this share of ink: a lone `无` or `7` in a wide cell. */
const GLYPH_INK = 0.04;
/** A small glyph's square, inches (9 pt). */
const GLYPH_IN = 0.125;

/** The most ink any glyph-sized square of `px` holds, as a share of the square (summed-area table). */
export function densestGlyphInk(ink: InkImage, px: PixelBox, dpi: number): number {
  const [x0, y0, x1, y1] = px;
  const w = x1 - x0;
  const h = y1 - y0;
  const side = Math.max(2, Math.round(GLYPH_IN * dpi));
  if (w < side || h < side) return 0;
  const sum = new Int32Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += ink.ink[(y0 + y) * ink.width + x0 + x]!;
      sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1]! + row;
    }
  }
  let best = 0;
  // Half a square's steps: a glyph straddling two windows still fills one of them by half or more.
  const step = Math.max(1, Math.floor(side / 4));
  for (let y = 0; y + side <= h; y += step) {
    for (let x = 0; x + side <= w; x += step) {
      const at = (xx: number, yy: number) => sum[yy * (w + 1) + xx]!;
      const n = at(x + side, y + side) - at(x, y + side) - at(x + side, y) + at(x, y);
      if (n > best) best = n;
    }
  }
  return best / (side * side);
}
/** How far inside a cell's rulings its pixels are taken from, points. */
const INSET_PT = 2;

export function cellJobs(grid: Grid | null, reader: PageReader): CellJob[] {
  const { dpi, ink } = reader;
  const inset = toPx(INSET_PT, dpi);
  return (grid?.cells ?? []).map((c) => {
    const px: PixelBox = [
      Math.round(toPx(c.bbox[0], dpi) + inset),
      Math.round(toPx(c.bbox[1], dpi) + inset),
      Math.round(toPx(c.bbox[2], dpi) - inset),
      Math.round(toPx(c.bbox[3], dpi) - inset),
    ];
    const area = Math.max(1, (px[2] - px[0]) * (px[3] - px[1]));
    return {
      bbox: c.bbox.map((v) => Math.round(v * 10) / 10) as BBox,
      px,
      inLabelColumn: grid ? Math.abs(c.bbox[0] - grid.extent[0]) < 2 : false,
      empty: countInk(ink, px) / area < EMPTY_CELL_INK && densestGlyphInk(ink, px, dpi) < GLYPH_INK,
    };
  });
}

export function cellOf(reader: PageReader, job: CellJob, lines: LineItem[][], confidence: number): Cell {
  return {
    col: job.bbox[0],
    inLabelColumn: job.inLabelColumn,
    lines,
    hiddenLines: [],
    page: reader.page,
    bbox: job.bbox,
    source: "ocr",
    confidence,
  };
}

/** OCR lines to a cell; a cell that reads as one of `labels` comes out as that label. */
export function textCell(
  reader: PageReader,
  job: CellJob,
  lines: OcrLine[],
  labels: readonly string[] | null,
): Cell {
  const raw = cellLinesText(lines).filter((t) => t !== "");
  const known = labels ? snapToKnown(raw.join(""), labels) : null;
  // Fixes that need the whole cell (quote pairs, a document number across a line break) are
  // made on the joined text, then the lines are cut back where they were.
  const texts = known ? [known] : normalizeOcrText(raw.join("\u0000")).split("\u0000");
  const items = texts.map((t): LineItem[] => [{ kind: "text", text: t }]);
  return cellOf(reader, job, items, known ? 1 : linesConfidence(lines));
}

export function cellText(cell: Cell): string {
  return cell.lines.map((l) => l.map((i) => (i.kind === "text" ? i.text : "")).join("")).join("");
}

export function withText(cell: Cell, text: string): Cell {
  return { ...cell, lines: [[{ kind: "text", text }]] };
}
