import type { Cell, CheckMark, LineItem } from "../layout/model.js";
import type { BBox } from "../schema.js";
import { editDistance } from "../text/distance.js";
import { labelKey } from "../text/normalize.js";
import { type CellJob, cellOf } from "./cells.js";
import { CHECKED_FILL, findCheckboxes, type OutlineTolerance, type PixelCheckbox } from "./checkboxes.js";
import type { OcrLine } from "./engine.js";
import { countInk, type PixelBox } from "./image.js";
import { linesConfidence, type PageReader, toPt } from "./page-reader.js";
import { attributeStrokes } from "./pen-strokes.js";

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
  /** The word's confidence, 0..1. */
  confidence: number;
}

/** A label's characters on one line, pixels: a label wrapped at the cell's edge has two. */
interface LabelPart {
  line: number;
  x0: number;
  x1: number;
  /** Character indices in the line's characters. */
  from: number;
  to: number;
}

interface LabelSpan {
  option: string;
  parts: LabelPart[];
}

const firstPart = (l: LabelSpan): LabelPart => l.parts[0]!;
const lastPart = (l: LabelSpan): LabelPart => l.parts[l.parts.length - 1]!;

/** Confidence of a mark read from the ink where a box should be, not from a box. */
const GUESSED_MARK_CONFIDENCE = 0.3;
/** Marks a producer prints in a box's place, as OCR reads them. */
const TICKS = ["√", "✓", "✔", "☑", "☒", "■", "▇", "●", "✗", "✘"];
/** A printed tick read this surely is a mark at this confidence; less surely, a guess. */
const SURE_TICK = 0.9;

function charsOf(line: OcrLine): Char[] {
  return line.words.flatMap((w) =>
    w.symbols && w.symbols.length === [...w.text].length
      ? w.symbols.map((s) => ({ text: s.text, x0: s.bbox[0], x1: s.bbox[2], confidence: w.confidence }))
      : [{ text: w.text, x0: w.bbox[0], x1: w.bbox[2], confidence: w.confidence }],
  );
}

/** Characters in reading order with their line: one line, or the end of one and the start of the next. */
type Run = Array<Char & { line: number; index: number }>;

function runsOf(lines: readonly OcrLine[]): Array<{ run: Run; cut: number }> {
  const perLine = lines.map((l, li) => charsOf(l).map((c, index) => ({ ...c, line: li, index })));
  const runs = perLine.map((run) => ({ run, cut: -1 }));
  // A label wrapped at the cell's edge: its match must cross the break (`cut`, the next line's first).
  for (let li = 0; li + 1 < perLine.length; li++)
    runs.push({ run: [...perLine[li]!, ...perLine[li + 1]!], cut: perLine[li]!.length });
  return runs;
}

function partsOf(run: Run, from: number, to: number): LabelPart[] {
  const parts: LabelPart[] = [];
  for (const c of run.slice(from, to)) {
    const p = parts[parts.length - 1];
    if (p && p.line === c.line) {
      p.x1 = c.x1;
      p.to = c.index + 1;
    } else parts.push({ line: c.line, x0: c.x0, x1: c.x1, from: c.index, to: c.index + 1 });
  }
  return parts;
}

/** Where each option's label is printed: its best match in the lines, labels not overlapping. */
export function findLabels(lines: readonly OcrLine[], options: readonly string[]): LabelSpan[] {
  const found: Array<LabelSpan & { d: number }> = [];
  for (const { run, cut } of runsOf(lines)) {
    const keys = run.map((c) => labelKey(c.text));
    for (const option of options) {
      const want = labelKey(option);
      const n = [...want].length;
      const allowed = n <= 3 ? 0 : n <= 6 ? 1 : 2;
      let best: { d: number; from: number; to: number } | null = null;
      for (let from = 0; from < run.length; from++) {
        for (let len = Math.max(1, n - allowed); len <= n + allowed && from + len <= run.length; len++) {
          if (cut >= 0 && (from >= cut || from + len <= cut)) continue;
          const d = editDistance(keys.slice(from, from + len).join(""), want);
          if (d <= allowed && (!best || d < best.d)) best = { d, from, to: from + len };
        }
      }
      if (best) found.push({ option, d: best.d, parts: partsOf(run, best.from, best.to) });
    }
  }
  // Closest matches first; a label whose characters another label already took is dropped.
  found.sort((a, b) => a.d - b.d);
  const clash = (a: LabelSpan, b: LabelSpan) =>
    a.parts.some((p) => b.parts.some((q) => p.line === q.line && p.from < q.to && p.to > q.from));
  const taken: typeof found = [];
  for (const f of found) if (!taken.some((t) => t.option === f.option || clash(t, f))) taken.push(f);
  return taken.map(({ option, parts }) => ({ option, parts }));
}

const overlap = (a0: number, a1: number, b0: number, b1: number) =>
  Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/**
 * Boxes found at the ink threshold, and those only the lighter rule threshold shows: a thin
 * gray printed outline (200 dpi, a light photocopy) falls apart at the ink threshold. `marked`:
 * the faint ones with ink inside, kept aside (a glyph's part such as 口 in 购 is one too).
 */
function boxesOf(reader: PageReader, px: PixelBox): { boxes: PixelCheckbox[]; marked: PixelCheckbox[] } {
  // A 1-bit page's outlines break in gaps of two pixels and step a pixel aside (fax200/c045's boxes).
  const strong = findCheckboxes(reader.ink, px, reader.dpi, reader.softened ? BROKEN_OUTLINES : {});
  const shared = (a: PixelBox, b: PixelBox) =>
    overlap(a[0], a[2], b[0], b[2]) * overlap(a[1], a[3], b[1], b[3]) > 0.3 * (b[2] - b[0]) * (b[3] - b[1]);
  const faint = findCheckboxes(reader.ruleInk, px, reader.dpi, { markInk: reader.ink }).filter(
    (b) => !strong.some((s) => shared(s.bbox, b.bbox)),
  );
  // Only empty ones count as boxes: a ticked box usually has the ink to be found at the ink threshold.
  return { boxes: [...strong, ...faint.filter((b) => !b.checked)], marked: faint.filter((b) => b.checked) };
}

const BROKEN_OUTLINES: OutlineTolerance = { gap: 2, broken: true };
/** Where a box must be (the room beside its label), one whose outline fell apart further is looked for. */
const ROOM_OUTLINES: OutlineTolerance = { gap: 3, broken: true, side: 0.7 };
/** Inside such a box a 1-bit page has no noise (empty: 0) and a fax's tick thins to 6–7% of it. */
const ROOM_CHECKED_FILL = CHECKED_FILL / 2;

/** A group's boxes are printed alike: a square well under the others' size is part of a glyph (口 in 项). */
const MIN_SIDE_SHARE = 0.7;

export function sameSize(boxes: PixelCheckbox[]): PixelCheckbox[] {
  if (boxes.length < 3) return boxes;
  const sides = boxes.map((b) => b.bbox[2] - b.bbox[0]).sort((a, b) => a - b);
  const median = sides[Math.floor(sides.length / 2)]!;
  return boxes.filter((b) => b.bbox[2] - b.bbox[0] >= MIN_SIDE_SHARE * median);
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
  const { boxes: candidates, marked } = boxesOf(reader, job.px);
  const found = sameSize(
    candidates.filter((b) => {
      const li = rowsOf(b.bbox);
      return !labels.some((l) =>
        l.parts.some(
          (p) => p.line === li && overlap(p.x0, p.x1, b.bbox[0], b.bbox[2]) > 0.4 * (b.bbox[2] - b.bbox[0]),
        ),
      );
    }),
  );
  const glyphs = labels.flatMap((l) =>
    l.parts.map((p): PixelBox => [p.x0, lines[p.line]!.bbox[1], p.x1, lines[p.line]!.bbox[3]]),
  );
  const boxes = attributeStrokes(reader.ink, job.px, found, glyphs);
  const mark = (b: PixelCheckbox): CheckMark => ({
    kind: "box",
    checked: b.checked,
    bbox: b.bbox.map((v) => toPt(v, dpi)) as BBox,
    source: "ocr",
    confidence: b.confidence,
  });
  type Placed = { line: number; x: number; item: LineItem };
  const placed: Placed[] = [
    ...labels.map((l) => ({
      line: firstPart(l).line,
      x: firstPart(l).x0,
      item: { kind: "text", text: l.option } as LineItem,
    })),
    ...boxes.map((b) => ({ line: rowsOf(b.bbox), x: b.bbox[0], item: mark(b) as LineItem })),
  ];
  placed.push(...guessMissingMarks(reader, lines, labels, boxes, marked, job.px));
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

/** A room inking this many times what the page's empty boxes ink holds a mark (measured: empty 0.14–0.16, ticked 0.25 at 1-bit 200 dpi). */
const MARKED_OVER_EMPTY = 1.4;

/**
 * Options whose box was not found: the room beside the label where the others have their box.
 * Ink filling that room (a box hidden under a pen mark) reads as a mark, flagged by its confidence;
 * so does a faint marked square there (`marked`: a 1-bit scan's dotted outline with a thin tick).
 */
function guessMissingMarks(
  reader: PageReader,
  lines: readonly OcrLine[],
  labels: readonly LabelSpan[],
  boxes: readonly PixelCheckbox[],
  marked: readonly PixelCheckbox[],
  cell: PixelBox,
): Array<{ line: number; x: number; item: LineItem }> {
  if (boxes.length === 0 || labels.length === 0) return [];
  const side = boxes.map((b) => b.bbox[2] - b.bbox[0]).sort((a, b) => a - b)[Math.floor(boxes.length / 2)]!;
  const gapTo = (l: LabelSpan, after: boolean): number | null => {
    const p = after ? lastPart(l) : firstPart(l);
    const gaps = boxes
      .filter((b) => overlap(lines[p.line]!.bbox[1], lines[p.line]!.bbox[3], b.bbox[1], b.bbox[3]) > 0)
      .map((b) => (after ? b.bbox[0] - p.x1 : p.x0 - b.bbox[2]))
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
  // What an empty box inks of such a room on this page: a 1-bit scan's thin, broken outline inks
  // far under a quarter of it, so a tick there may stay under the absolute bar.
  const roomInk = (r: PixelBox) => {
    const area = (r[2] - r[0]) * (r[3] - r[1]);
    return area > 0 ? countInk(reader.ink, r) / area : 0;
  };
  const emptyRooms = boxes
    .filter((b) => !b.checked)
    .map((b) => {
      const [cx, cy] = [(b.bbox[0] + b.bbox[2]) / 2, (b.bbox[1] + b.bbox[3]) / 2];
      return roomInk(
        [cx - side * 0.75, cy - side * 0.75, cx + side * 0.75, cy + side * 0.75].map(Math.round) as PixelBox,
      );
    })
    .sort((a, b) => a - b);
  const emptyInk = emptyRooms[Math.floor(emptyRooms.length / 2)];
  const out: Array<{ line: number; x: number; item: LineItem }> = [];
  for (const l of labels) {
    if (near(l, after)) continue;
    const p = after ? lastPart(l) : firstPart(l);
    const line = lines[p.line]!;
    const mid = (line.bbox[1] + line.bbox[3]) / 2;
    const x0 = after ? p.x1 + side * 0.1 : p.x0 - side * 1.6;
    // Inside the cell: past its edge lie the ruling and the next cell.
    const room: PixelBox = [
      Math.max(cell[0], Math.round(x0)),
      Math.max(cell[1], Math.round(mid - side * 0.75)),
      Math.min(cell[2], Math.round(x0 + side * 1.5)),
      Math.min(cell[3], Math.round(mid + side * 0.75)),
    ];
    const inked = roomInk(room);
    // A 1-bit outline broken past finding across the cell may still be found where its box must be.
    const outline = reader.softened
      ? findCheckboxes(reader.ink, room, reader.dpi, ROOM_OUTLINES).find(
          (b) => Math.abs(b.bbox[2] - b.bbox[0] - side) <= 0.2 * side,
        )
      : undefined;
    const overEmpty =
      emptyInk !== undefined && inked >= emptyInk * MARKED_OVER_EMPTY && inked - emptyInk >= 0.05;
    // A tick printed in the box's place (`新增项目√`) is a glyph OCR reads, with little ink.
    const printed = charsOf(line).find(
      (c) => TICKS.includes(c.text) && (c.x0 + c.x1) / 2 >= room[0] && (c.x0 + c.x1) / 2 <= room[2],
    );
    const faint = marked.find((b) => {
      const [cx, cy] = [(b.bbox[0] + b.bbox[2]) / 2, (b.bbox[1] + b.bbox[3]) / 2];
      return cx >= room[0] && cx <= room[2] && cy >= room[1] && cy <= room[3];
    });
    // An empty printed box alone inks about a quarter of its room; more is a mark over it. A room
    // too narrow for a box (the label ends at the cell's edge) holds none: unchecked, in doubt.
    out.push({
      line: p.line,
      x: after ? p.x1 + 1 : p.x0 - 1,
      item: {
        kind: "box",
        checked:
          printed !== undefined ||
          faint !== undefined ||
          (outline
            ? outline.fill > ROOM_CHECKED_FILL
            : room[2] - room[0] >= side && (inked > 0.3 || overEmpty)),
        bbox: room.map((v) => toPt(v, reader.dpi)) as BBox,
        source: "ocr",
        confidence: printed && printed.confidence >= SURE_TICK ? SURE_TICK : GUESSED_MARK_CONFIDENCE,
      },
    });
  }
  return out;
}
