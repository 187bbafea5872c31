import type { Cell, CheckMark, LineItem } from "../layout/model.js";
import type { BBox } from "../schema.js";
import { editDistance } from "../text/distance.js";
import { labelKey } from "../text/normalize.js";
import { type CellJob, cellOf } from "./cells.js";
import { findCheckboxes, type PixelCheckbox } from "./checkboxes.js";
import type { OcrLine } from "./engine.js";
import { countInk, type PixelBox } from "./image.js";
import { linesConfidence, type PageReader, toPt } from "./page-reader.js";

/**
 * A checkbox group's cell on a scanned page. OCR reads the line(s); each option label of the
 * template is found in them (a misread character or two allowed), which tells where the labels
 * are; boxes come from pixels, and a square that lies on a label is a glyph's part (府, 置), not
 * a box. Boxes and labels are interleaved in print order, as the text path gives them. An option
 * whose box was not found although ink fills its place (a pen mark that hides the printed box)
 * gets a mark read from that ink, at a confidence under any review threshold.
 */

interface Char {
  text: string;
  x0: number;
  x1: number;
}

interface LabelSpan {
  option: string;
  line: number;
  x0: number;
  x1: number;
}

/** Confidence of a mark read from the ink where a box should be, not from a box. */
const GUESSED_MARK_CONFIDENCE = 0.3;

function charsOf(line: OcrLine): Char[] {
  return line.words.flatMap((w) =>
    w.symbols && w.symbols.length === [...w.text].length
      ? w.symbols.map((s) => ({ text: s.text, x0: s.bbox[0], x1: s.bbox[2] }))
      : [{ text: w.text, x0: w.bbox[0], x1: w.bbox[2] }],
  );
}

/** Where each option's label is printed: its best match in the lines, labels not overlapping. */
function findLabels(lines: readonly OcrLine[], options: readonly string[]): LabelSpan[] {
  const found: Array<LabelSpan & { d: number; from: number; to: number }> = [];
  lines.forEach((line, li) => {
    const chars = charsOf(line);
    const keys = chars.map((c) => labelKey(c.text));
    for (const option of options) {
      const want = labelKey(option);
      const n = [...want].length;
      const allowed = n <= 3 ? 0 : n <= 6 ? 1 : 2;
      let best: { d: number; from: number; to: number } | null = null;
      for (let from = 0; from < chars.length; from++) {
        for (let len = Math.max(1, n - allowed); len <= n + allowed && from + len <= chars.length; len++) {
          const d = editDistance(keys.slice(from, from + len).join(""), want);
          if (d <= allowed && (!best || d < best.d)) best = { d, from, to: from + len };
        }
      }
      if (best)
        found.push({ option, line: li, x0: chars[best.from]!.x0, x1: chars[best.to - 1]!.x1, ...best });
    }
  });
  // Closest matches first; a label whose characters another label already took is dropped.
  found.sort((a, b) => a.d - b.d);
  const taken: typeof found = [];
  for (const f of found)
    if (!taken.some((t) => t.option === f.option || (t.line === f.line && f.from < t.to && f.to > t.from)))
      taken.push(f);
  return taken.map(({ option, line, x0, x1 }) => ({ option, line, x0, x1 }));
}

const overlap = (a0: number, a1: number, b0: number, b1: number) =>
  Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/**
 * Boxes found at the ink threshold, and those only the lighter rule threshold shows: a thin
 * gray printed outline (200 dpi, a light photocopy) falls apart at the ink threshold.
 */
function boxesOf(reader: PageReader, px: PixelBox): PixelCheckbox[] {
  const strong = findCheckboxes(reader.ink, px, reader.dpi);
  const shared = (a: PixelBox, b: PixelBox) =>
    overlap(a[0], a[2], b[0], b[2]) * overlap(a[1], a[3], b[1], b[3]) > 0.3 * (b[2] - b[0]) * (b[3] - b[1]);
  // Only empty ones: a faint square with ink inside is a glyph's part (口 in 购), and a ticked box
  // has the ink to be found at the ink threshold.
  const faint = findCheckboxes(reader.ruleInk, px, reader.dpi, reader.ink).filter(
    (b) => !b.checked && !strong.some((s) => shared(s.bbox, b.bbox)),
  );
  return [...strong, ...faint];
}

export async function readCheckboxCell(
  reader: PageReader,
  job: CellJob,
  options: readonly string[],
): Promise<Cell> {
  const { dpi } = reader;
  const lines = await reader.readLines(job.px);
  const labels = findLabels(lines, options);
  const rowsOf = (b: PixelBox) =>
    lines.findIndex((l) => overlap(l.bbox[1], l.bbox[3], b[1], b[3]) >= 0.4 * (b[3] - b[1]));
  // A "box" lying on a label's characters is part of a glyph.
  const boxes = boxesOf(reader, job.px).filter((b) => {
    const li = rowsOf(b.bbox);
    return !labels.some(
      (l) => l.line === li && overlap(l.x0, l.x1, b.bbox[0], b.bbox[2]) > 0.4 * (b.bbox[2] - b.bbox[0]),
    );
  });
  const mark = (b: PixelCheckbox): CheckMark => ({
    kind: "box",
    checked: b.checked,
    bbox: b.bbox.map((v) => toPt(v, dpi)) as BBox,
    source: "ocr",
    confidence: b.confidence,
  });
  type Placed = { line: number; x: number; item: LineItem };
  const placed: Placed[] = [
    ...labels.map((l) => ({ line: l.line, x: l.x0, item: { kind: "text", text: l.option } as LineItem })),
    ...boxes.map((b) => ({ line: rowsOf(b.bbox), x: b.bbox[0], item: mark(b) as LineItem })),
  ];
  placed.push(...guessMissingMarks(reader, lines, labels, boxes));
  const byLine = new Map<number, Placed[]>();
  for (const p of placed) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p]);
  const items = [...byLine.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, ps]) => ps.sort((a, b) => a.x - b.x).map((p) => p.item));
  // An option whose label was not read cannot be told checked or not: the group is in doubt.
  const confidence = Math.min(
    linesConfidence(lines),
    labels.length < options.length ? GUESSED_MARK_CONFIDENCE : 1,
    ...placed.flatMap((p) => (p.item.kind === "box" ? [p.item.confidence] : [])),
  );
  return cellOf(reader, job, items, confidence);
}

/**
 * Options whose box was not found: the room beside the label where the others have their box.
 * Ink filling that room (a box hidden under a pen mark) reads as a mark, flagged by its confidence.
 */
function guessMissingMarks(
  reader: PageReader,
  lines: readonly OcrLine[],
  labels: readonly LabelSpan[],
  boxes: readonly PixelCheckbox[],
): Array<{ line: number; x: number; item: LineItem }> {
  if (boxes.length === 0 || labels.length === 0) return [];
  const side = boxes.map((b) => b.bbox[2] - b.bbox[0]).sort((a, b) => a - b)[Math.floor(boxes.length / 2)]!;
  const gapTo = (l: LabelSpan, after: boolean): number | null => {
    const gaps = boxes
      .filter((b) => overlap(lines[l.line]!.bbox[1], lines[l.line]!.bbox[3], b.bbox[1], b.bbox[3]) > 0)
      .map((b) => (after ? b.bbox[0] - l.x1 : l.x0 - b.bbox[2]))
      .filter((gap) => gap > -side / 2 && gap < side * 2.5);
    return gaps.length > 0 ? Math.min(...gaps) : null;
  };
  const near = (l: LabelSpan, after: boolean) => gapTo(l, after) !== null;
  // A box sits tight against its own label and a space away from the next one: where labels
  // have boxes on both sides, the tighter side is the group's convention; else the commoner one.
  const both = labels.flatMap((l) => {
    const a = gapTo(l, true);
    const b = gapTo(l, false);
    return a !== null && b !== null ? [a - b] : [];
  });
  const after =
    both.length > 0
      ? both.filter((d) => d < 0).length * 2 > both.length
      : labels.filter((l) => near(l, true)).length >= labels.filter((l) => near(l, false)).length;
  const out: Array<{ line: number; x: number; item: LineItem }> = [];
  for (const l of labels) {
    if (near(l, after)) continue;
    const line = lines[l.line]!;
    const mid = (line.bbox[1] + line.bbox[3]) / 2;
    const x0 = after ? l.x1 + side * 0.1 : l.x0 - side * 1.6;
    const room: PixelBox = [
      Math.round(x0),
      Math.round(mid - side * 0.75),
      Math.round(x0 + side * 1.5),
      Math.round(mid + side * 0.75),
    ];
    const area = (room[2] - room[0]) * (room[3] - room[1]);
    const inked = countInk(reader.ink, room) / Math.max(1, area);
    // An empty printed box alone inks about a quarter of its room; more is a mark over it.
    out.push({
      line: l.line,
      x: after ? l.x1 + 1 : l.x0 - 1,
      item: {
        kind: "box",
        checked: inked > 0.3,
        bbox: room.map((v) => toPt(v, reader.dpi)) as BBox,
        source: "ocr",
        confidence: GUESSED_MARK_CONFIDENCE,
      },
    });
  }
  return out;
}
