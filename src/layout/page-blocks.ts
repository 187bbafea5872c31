import type { Glyph } from "../pdf/graphics.js";
import type { PdfPage } from "../pdf/page.js";
import type { BBox } from "../schema.js";
import type { Mark, PageMarks } from "./checkmarks.js";
import type { Grid, GridCell } from "./grid.js";
import type { Block, Cell, LineItem } from "./model.js";

/**
 * A text-layer page to blocks, once its grid and checkbox marks are found (src/layout/text-stages.ts):
 * glyphs and marks -> cells, cells -> printed lines, cells -> rows by their top edge; text outside
 * the table -> free lines.
 * Units: PDF points, origin top-left of the page.
 */

type Token = { kind: "glyph"; glyph: Glyph; bbox: BBox } | { kind: "mark"; mark: Mark; bbox: BBox };

const cx = (b: BBox) => (b[0] + b[2]) / 2;
const cy = (b: BBox) => (b[1] + b[3]) / 2;
const inside = (x: number, y: number, b: BBox, pad = 0) =>
  x >= b[0] - pad && x <= b[2] + pad && y >= b[1] - pad && y <= b[3] + pad;

/** Groups tokens into printed lines (top to bottom), each sorted left to right. */
export function groupLines(tokens: readonly Token[]): Token[][] {
  const sorted = [...tokens].sort((a, b) => cy(a.bbox) - cy(b.bbox));
  const lines: Array<{ top: number; bottom: number; items: Token[] }> = [];
  for (const t of sorted) {
    const c = cy(t.bbox);
    const line = lines.find((l) => c >= l.top && c <= l.bottom);
    if (line) {
      line.items.push(t);
    } else {
      const h = t.bbox[3] - t.bbox[1];
      lines.push({ top: c - h * 0.45, bottom: c + h * 0.45, items: [t] });
    }
  }
  return lines.sort((a, b) => a.top - b.top).map((l) => l.items.sort((a, b) => a.bbox[0] - b.bbox[0]));
}

/** One printed line to items: glyphs joined, a space where the gap is wider than 0.3 em. */
export function lineItems(line: readonly Token[]): LineItem[] {
  const items: LineItem[] = [];
  let prev: Token | null = null;
  for (const t of line) {
    if (t.kind === "mark") {
      items.push({
        kind: "box",
        checked: t.mark.checked,
        bbox: t.bbox,
        source: t.mark.source,
        confidence: 1,
      });
      prev = t;
      continue;
    }
    const last = items.at(-1);
    let text = t.glyph.text;
    if (prev?.kind === "glyph") {
      const gap = t.bbox[0] - prev.bbox[2];
      const prevText = prev.glyph.text;
      if (gap > 0.3 * t.glyph.size && !/\s$/.test(prevText) && !/^\s/.test(text)) text = ` ${text}`;
    }
    if (last?.kind === "text") last.text += text;
    else items.push({ kind: "text", text });
    prev = t;
  }
  return items;
}

const lineText = (line: readonly Token[]) =>
  lineItems(line)
    .map((i) => (i.kind === "text" ? i.text : ""))
    .join("");

function union(boxes: readonly BBox[]): BBox {
  return boxes.reduce<BBox>(
    (a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
}

/** A block and the top edge it is ordered by, in points. */
export type PlacedBlock = { top: number; block: Block };

/** Table cells to rows: cells sharing a top edge (within 2 pt) form a row, left to right. */
export function rowBlocks(cells: readonly Cell[], page: number): PlacedBlock[] {
  const byRow = new Map<number, Cell[]>();
  for (const cell of cells) {
    const y = cell.bbox?.[1] ?? 0;
    const top = [...byRow.keys()].find((t) => Math.abs(t - y) < 2) ?? y;
    byRow.set(top, [...(byRow.get(top) ?? []), cell]);
  }
  return [...byRow.keys()]
    .sort((a, b) => a - b)
    .map((top, k) => ({
      top,
      block: {
        kind: "row",
        row: { cells: byRow.get(top)!.sort((a, b) => a.col - b.col), page, startsPage: k === 0 },
      },
    }));
}

/** The page's glyphs and marks placed into the grid's cells and free lines, in reading order. */
export function pageBlocks(page: PdfPage, grid: Grid | null, { marks, consumed }: PageMarks): Block[] {
  const cells: GridCell[] = grid?.cells ?? [];
  const visible: Array<Token[]> = cells.map(() => []);
  const hidden: Array<Token[]> = cells.map(() => []);
  const free: Token[] = [];

  const cellAt = (x: number, y: number) => cells.findIndex((c) => inside(x, y, c.bbox));
  for (const glyph of page.graphics.glyphs) {
    if (consumed.has(glyph)) continue;
    const token: Token = { kind: "glyph", glyph, bbox: glyph.bbox };
    if (glyph.clipped) {
      // Text drawn past its cell's clip belongs to the cell the clip outlines, not the row below.
      const clip = glyph.clip;
      const i = clip ? cellAt(cx(clip), cy(clip)) : -1;
      const fits =
        i >= 0 &&
        clip &&
        inside(clip[0], clip[1], cells[i]!.bbox, 3) &&
        inside(clip[2], clip[3], cells[i]!.bbox, 3);
      if (fits) hidden[i]!.push(token);
      continue;
    }
    if (glyph.text.trim() === "" && cellAt(cx(glyph.bbox), cy(glyph.bbox)) < 0) continue;
    const i = cellAt(cx(glyph.bbox), cy(glyph.bbox));
    if (i >= 0) visible[i]!.push(token);
    else free.push(token);
  }
  for (const mark of marks) {
    const i = cellAt(cx(mark.bbox), cy(mark.bbox));
    if (i >= 0) visible[i]!.push({ kind: "mark", mark, bbox: mark.bbox });
  }

  const labelX = grid?.extent[0] ?? 0;
  const tableCells = cells.map((gc, i) => {
    const lines = groupLines(visible[i]!);
    const hiddenLines = groupLines(hidden[i]!).map(lineText);
    const cell: Cell = {
      col: gc.bbox[0],
      inLabelColumn: Math.abs(gc.bbox[0] - labelX) < 2,
      lines: lines.map(lineItems),
      hiddenLines,
      page: page.page,
      bbox: gc.bbox.map((v) => Math.round(v * 10) / 10) as BBox,
      source: lines.some((l) => l.some((t) => t.kind === "mark" && t.mark.source === "acroform"))
        ? "acroform"
        : "text",
      confidence: 1,
    };
    return cell;
  });
  const blocks = rowBlocks(tableCells, page.page);

  for (const line of groupLines(free)) {
    const box = union(line.map((t) => t.bbox));
    const text = lineText(line).trim();
    if (text === "") continue;
    blocks.push({
      top: box[1],
      block: { kind: "line", line: { text, page: page.page, bbox: box, source: "text", confidence: 1 } },
    });
  }
  return blocks.sort((a, b) => a.top - b.top).map((b) => b.block);
}
