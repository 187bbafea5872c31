import type { Cell, LineItem } from "../layout/model.js";
import type { BBox } from "../schema.js";
import { type CellJob, cellOf } from "./cells.js";
import { findCheckboxes, type PixelCheckbox } from "./checkboxes.js";
import type { PixelBox } from "./image.js";
import { snapToKnown } from "./known-text.js";
import { linesConfidence, type PageReader, toPt } from "./page-reader.js";

/**
 * A checkbox group's cell on a scanned page: the boxes and their states from pixels, the option
 * labels from OCR (with the boxes blanked first), each stretch of text between boxes snapped to
 * the option it spells, boxes and labels interleaved in print order as the text path gives them.
 */
export async function readCheckboxCell(
  reader: PageReader,
  job: CellJob,
  options: readonly string[],
): Promise<Cell> {
  const { clean, dpi } = reader;
  const boxes = findCheckboxes(reader.ink, job.px, dpi);
  // Boxes (and any tick drawn past them) are blanked so OCR reads only the option labels.
  for (const b of boxes) {
    const m = Math.round((b.bbox[2] - b.bbox[0]) * 0.2);
    for (let y = Math.max(0, b.bbox[1] - m); y < Math.min(clean.height, b.bbox[3] + m); y++)
      clean.data.fill(
        255,
        y * clean.width + Math.max(0, b.bbox[0] - m),
        y * clean.width + Math.min(clean.width, b.bbox[2] + m),
      );
  }
  const lines = await reader.readLines(job.px);
  const boxItem = (b: PixelCheckbox): LineItem => ({
    kind: "box",
    checked: b.checked,
    bbox: b.bbox.map((v) => toPt(v, dpi)) as BBox,
    source: "ocr",
    confidence: b.confidence,
  });
  // Each box joins the line whose middle is nearest its own, if within a box's height.
  const mid = (b: PixelBox) => (b[1] + b[3]) / 2;
  const lineOf = new Map<PixelCheckbox, number>();
  for (const b of boxes) {
    let best = -1;
    lines.forEach((l, i) => {
      const d = Math.abs(mid(l.bbox) - mid(b.bbox));
      if (d <= b.bbox[3] - b.bbox[1] && (best < 0 || d < Math.abs(mid(lines[best]!.bbox) - mid(b.bbox))))
        best = i;
    });
    if (best >= 0) lineOf.set(b, best);
  }
  const rows: Array<{ y: number; items: LineItem[] }> = lines.map((line, li) => {
    const mine = boxes.filter((b) => lineOf.get(b) === li).sort((a, b) => a.bbox[0] - b.bbox[0]);
    // Text between boxes, each piece snapped to the option it spells.
    const cuts = mine.map((b) => (b.bbox[0] + b.bbox[2]) / 2);
    const pieces: string[] = [...cuts.map(() => ""), ""];
    for (const w of line.words) {
      const cx = (w.bbox[0] + w.bbox[2]) / 2;
      pieces[cuts.filter((c) => c < cx).length] += w.text.trim();
    }
    const items: LineItem[] = [];
    pieces.forEach((p, k) => {
      if (p !== "") items.push({ kind: "text", text: snapToKnown(p, options) ?? p });
      const b = mine[k];
      if (b) items.push(boxItem(b));
    });
    return { y: line.bbox[1], items };
  });
  // Boxes on no line OCR found (an option label it could not read) still count.
  for (const b of boxes) if (!lineOf.has(b)) rows.push({ y: b.bbox[1], items: [boxItem(b)] });
  const items = rows.sort((a, b) => a.y - b.y).map((r) => r.items);
  const confidence = Math.min(linesConfidence(lines), ...boxes.map((b) => b.confidence));
  return cellOf(reader, job, items, confidence);
}
