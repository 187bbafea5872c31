import { buildGrid, type Grid } from "../layout/grid.js";
import type { Block, Cell, LineItem } from "../layout/model.js";
import { type PlacedBlock, rowBlocks } from "../layout/page-blocks.js";
import type { Rulings } from "../layout/rulings.js";
import type { BBox } from "../schema.js";
import { CHECKBOX_OPTIONS, LABELS } from "../template/form-2018.js";
import { parseDate } from "../values/date.js";
import { parseMoney } from "../values/money.js";
import { findCheckboxes, type PixelCheckbox } from "./checkboxes.js";
import { estimateSkew } from "./deskew.js";
import type { OcrEngine, OcrLine, OcrMode } from "./engine.js";
import {
  binarize,
  boxBlur,
  countInk,
  crop,
  downscale,
  type GrayImage,
  type InkImage,
  inkBands,
  type PixelBox,
  rotateQuarter,
  rotateSmall,
  thinStrokes,
  upscale,
} from "./image.js";
import { CELL_LABELS, snapFreeLine, snapToKnown } from "./known-text.js";
import { detectPixelRulings, eraseRulings } from "./rulings.js";
import { cellLinesText, lineText, normalizeOcrText } from "./text.js";

/**
 * A scanned page to the same blocks the text layer gives: turn it upright, straighten it, find
 * the table's rulings and cells, read checkboxes from pixels and every other cell with OCR, and
 * OCR the lines above and below the table. Output geometry: PDF points, origin top-left of the
 * upright page (pixels · 72 / dpi).
 */

export interface OcrPageResult {
  blocks: Block[];
  /** Clockwise turn applied to make the page upright, and the skew undone (degrees). */
  turn: 0 | 90 | 180 | 270;
  skew: number;
}

/** Digits and the date/amount punctuation: money and date cells are read with nothing else. */
const NUMERIC_WHITELIST = "0123456789,.-/年月日元";
/** Three differently made readings that parse to the same number are trusted this much at least. */
const AGREEING_READS_CONFIDENCE = 0.95;
/** Confidence left to a number whose two readings differ: below any sane review threshold. */
const DISAGREEING_READS_CONFIDENCE = 0.3;
/** Labels are read at this reduction (×1/2): enough to tell one template label from another. */
const LABEL_SCALE = 2;
/** The resolution tesseract reads best at: a number's third reading is made away from the scan's own. */
const OCR_DPI = 300;
/** Body text height, points: larger type is scaled down to it before OCR. */
const BODY_PT = 11;
/** Ink below this share of a cell's area is scan noise, not writing. */
const EMPTY_CELL_INK = 0.002;

const LABEL_KIND = new Map(LABELS.map((l) => [l.label, l.def]));

interface Straightened {
  gray: GrayImage;
  ink: InkImage;
  rulings: Rulings;
  grid: Grid | null;
  turn: 0 | 90 | 180 | 270;
  skew: number;
}

/**
 * True when the table's label column (the family's narrow first column) is on the left: the
 * inner vertical rulings that run most of the table's height sit nearer its left edge.
 */
function labelColumnOnLeft(grid: Grid, rulings: Rulings): boolean {
  const [x0, y0, x1, y1] = grid.extent;
  const tall = rulings.vertical.filter(
    (v) => v.to - v.from >= 0.6 * (y1 - y0) && v.at > x0 + 5 && v.at < x1 - 5,
  );
  if (tall.length === 0) return true;
  const left = Math.min(...tall.map((v) => v.at)) - x0;
  const right = x1 - Math.max(...tall.map((v) => v.at));
  return left <= right;
}

function straighten(image: GrayImage, turn: 0 | 90 | 180 | 270): Straightened {
  const turned = rotateQuarter(image, turn);
  const skew = estimateSkew(binarize(turned));
  const gray = rotateSmall(turned, -skew);
  const ink = binarize(gray);
  const rulings = detectPixelRulings(ink, gray.dpi);
  return { gray, ink, rulings, grid: buildGrid(rulings), turn, skew };
}

/** Upright and level: landscape scans are turned a quarter, upside-down ones a half. */
export function uprightPage(image: GrayImage): Straightened {
  const first = straighten(image, image.width > image.height ? 90 : 0);
  if (!first.grid || labelColumnOnLeft(first.grid, first.rulings)) return first;
  // Half a turn more; the straightened image is level, so turning it needs no new deskew.
  const gray = rotateQuarter(first.gray, 180);
  const ink = binarize(gray);
  const rulings = detectPixelRulings(ink, gray.dpi);
  return {
    gray,
    ink,
    rulings,
    grid: buildGrid(rulings),
    turn: first.turn === 0 ? 180 : 270,
    skew: first.skew,
  };
}

const toPx = (v: number, dpi: number) => (v * dpi) / 72;
const toPt = (v: number, dpi: number) => Math.round(((v * 72) / dpi) * 10) / 10;

/** Character-weighted mean word confidence, 0..1 (1 for nothing read: nothing to doubt). */
export function linesConfidence(lines: readonly OcrLine[]): number {
  let sum = 0;
  let n = 0;
  for (const l of lines) {
    for (const w of l.words) {
      const len = [...w.text.trim()].length;
      sum += w.confidence * len;
      n += len;
    }
  }
  return n === 0 ? 1 : Math.round((sum / n) * 1000) / 1000;
}

/** Pads a crop with white: tesseract reads glyphs that touch the image edge badly. */
function padded(img: GrayImage, pad: number): GrayImage {
  const w = img.width + 2 * pad;
  const h = img.height + 2 * pad;
  const data = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < img.height; y++)
    data.set(img.data.subarray(y * img.width, (y + 1) * img.width), (y + pad) * w + pad);
  return { width: w, height: h, data, dpi: img.dpi };
}

interface CellJob {
  bbox: BBox;
  px: PixelBox;
  inLabelColumn: boolean;
  empty: boolean;
}

export async function ocrPage(
  image: GrayImage,
  page: number,
  engine: OcrEngine,
  signal?: AbortSignal,
): Promise<OcrPageResult> {
  const { gray, ink, grid, rulings, turn, skew } = uprightPage(image);
  const dpi = gray.dpi;
  // Tesseract gets black and white thresholded once for the page (left to binarize each crop
  // itself, it turns the noise of an empty region into characters), with strokes thinned back
  // to print weight where a photocopy thickened them.
  const glyphInk = thinStrokes(ink, dpi);
  const clean: GrayImage = { ...gray, data: new Uint8Array(ink.ink.length) };
  for (let i = 0; i < ink.ink.length; i++) clean.data[i] = glyphInk.ink[i] ? 0 : 255;
  eraseRulings(ink, clean.data, rulings, dpi);
  /** OCR of a region of the page; `scale` > 1 shrinks it first, < 1 enlarges it. */
  const read = async (
    px: PixelBox,
    mode: OcrMode,
    whitelist = "",
    scale = 1,
    soften = false,
  ): Promise<OcrLine[]> => {
    signal?.throwIfAborted();
    // A low-resolution scan's text is softened and enlarged toward 300 dpi: small stair-stepped
    // glyphs are what tesseract misreads most.
    const k = soften ? 1 / 1.5 : scale;
    const pad = Math.round(dpi / 15 / k);
    const cut = crop(clean, px);
    const input = k < 1 ? upscale(soften ? boxBlur(cut) : cut, 1 / k) : downscale(cut, k);
    const lines = await engine.recognize(padded(input, pad), mode, whitelist);
    // Back to page pixels.
    const at = (v: number, origin: number) => Math.round((v - pad) * k + origin);
    const shift = (b: PixelBox): PixelBox => [
      at(b[0], px[0]),
      at(b[1], px[1]),
      at(b[2], px[0]),
      at(b[3], px[1]),
    ];
    return lines.map((l) => ({
      bbox: shift(l.bbox),
      words: l.words.map((w) => ({
        ...w,
        bbox: shift(w.bbox),
        symbols: w.symbols?.map((sym) => ({ ...sym, bbox: shift(sym.bbox) })),
      })),
    }));
  };

  /**
   * A value cell's text. A low-resolution scan's text is also read softened and enlarged toward
   * 300 dpi (stair-stepped small glyphs are what tesseract misreads most), and each line is taken
   * from whichever reading tesseract is surer of.
   */
  const readText = async (px: PixelBox): Promise<OcrLine[]> => {
    if (dpi >= OCR_DPI * 0.85) return read(px, "block");
    const [plain, soft] = await Promise.all([read(px, "block"), read(px, "block", "", 1, true)]);
    if (plain.length !== soft.length) return linesConfidence(soft) > linesConfidence(plain) ? soft : plain;
    return plain.map((line, i) => {
      const other = soft[i]!;
      return linesConfidence([other]) > linesConfidence([line]) ? other : line;
    });
  };

  /**
   * A label is template text: read small (half resolution, a quarter of the pixels) and matched
   * to the template; only a cell that matches nothing is read again at full size.
   */
  const readLabel = async (px: PixelBox): Promise<OcrLine[]> => {
    const quick = await read(px, "block", "", LABEL_SCALE);
    if (snapToKnown(quick.map((l) => lineText(l)).join(""), CELL_LABELS)) return quick;
    return read(px, "block");
  };

  // Cells, inset past their rulings.
  const inset = toPx(2, dpi);
  const jobs: CellJob[] = (grid?.cells ?? []).map((c) => {
    const px: PixelBox = [
      Math.round(toPx(c.bbox[0], dpi) + inset),
      Math.round(toPx(c.bbox[1], dpi) + inset),
      Math.round(toPx(c.bbox[2], dpi) - inset),
      Math.round(toPx(c.bbox[3], dpi) - inset),
    ];
    const area = Math.max(1, (px[2] - px[0]) * (px[3] - px[1]));
    const inked = countInk(ink, px);
    return {
      bbox: c.bbox.map((v) => Math.round(v * 10) / 10) as BBox,
      px,
      inLabelColumn: grid ? Math.abs(c.bbox[0] - grid.extent[0]) < 2 : false,
      empty: inked / area < EMPTY_CELL_INK,
    };
  });

  const cellOf = (job: CellJob, lines: LineItem[][], confidence: number): Cell => ({
    col: job.bbox[0],
    inLabelColumn: job.inLabelColumn,
    lines,
    hiddenLines: [],
    page,
    bbox: job.bbox,
    source: "ocr",
    confidence,
  });
  const textCell = (job: CellJob, lines: OcrLine[], snap: boolean): Cell => {
    const raw = cellLinesText(lines).filter((t) => t !== "");
    const known = snap ? snapToKnown(raw.join(""), CELL_LABELS) : null;
    // Fixes that need the whole cell (quote pairs, a document number across a line break) are
    // made on the joined text, then the lines are cut back at their old lengths.
    const joined = normalizeOcrText(raw.join("\u0000"));
    const texts = known ? [known] : joined.split("\u0000");
    const items = texts.map((t): LineItem[] => [{ kind: "text", text: t }]);
    return cellOf(job, items, known ? 1 : linesConfidence(lines));
  };

  // Pass 1: the label column tells what every other cell of its row holds.
  const cells = new Map<CellJob, Cell>();
  const labelJobs = jobs.filter((j) => j.inLabelColumn && !j.empty);
  const labelLines = await Promise.all(labelJobs.map((j) => readLabel(j.px)));
  const rowKind = new Map<number, string>();
  labelJobs.forEach((j, i) => {
    const cell = textCell(j, labelLines[i]!, true);
    cells.set(j, cell);
    const text = cell.lines[0]?.[0];
    if (text?.kind === "text") rowKind.set(j.bbox[1], text.text);
  });
  const labelOfRow = (j: CellJob) => {
    for (const [top, label] of rowKind) if (Math.abs(top - j.bbox[1]) < 2) return LABEL_KIND.get(label);
    return undefined;
  };

  // Pass 2: every other cell, as its row's label says.
  const rest = jobs.filter((j) => !cells.has(j));
  await Promise.all(
    rest.map(async (j) => {
      if (j.empty) {
        cells.set(j, cellOf(j, [], 1));
        return;
      }
      const kind = labelOfRow(j);
      if (kind?.kind === "checkbox") {
        cells.set(j, await checkboxCell(j, CHECKBOX_OPTIONS[kind.field]));
        return;
      }
      const lines = await readText(j.px);
      const cell = textCell(j, lines, true);
      const text = texts(cell);
      const isLabel = cell.confidence === 1 && CELL_LABELS.includes(text);
      const numeric = kind?.kind === "money" || kind?.kind === "date" || /^[\d,.\s]{3,}$/.test(text);
      cells.set(j, isLabel || !numeric ? cell : await confirmNumber(j, cell, kind?.kind === "date"));
    }),
  );

  /**
   * A number is read three times: as text, with digits only, and at another scale (a different
   * view of the same ink). Unless all three parse to the same value the cell is left under any
   * sane review threshold: a wrong amount must never pass unflagged.
   */
  async function confirmNumber(j: CellJob, generic: Cell, isDate: boolean): Promise<Cell> {
    const [digitLines, rescaledLines] = await Promise.all([
      read(j.px, "block", NUMERIC_WHITELIST),
      read(j.px, "block", "", dpi >= OCR_DPI * 0.85 ? 1.5 : 1 / 1.5),
    ]);
    const fix = (c: Cell) => (isDate ? withText(c, repairDate(texts(c))) : c);
    const reads = [generic, textCell(j, digitLines, false), textCell(j, rescaledLines, false)].map(fix);
    const values = reads.map((c) => (isDate ? parseDate(texts(c)) : parseMoney(texts(c))));
    const first = reads[0]!;
    if (values[0] !== null && values.every((v) => v === values[0]))
      return { ...first, confidence: Math.max(AGREEING_READS_CONFIDENCE, ...reads.map((c) => c.confidence)) };
    // The value most reads give (the first read's on a tie), at low confidence.
    const votes = (v: unknown) => (v === null ? 0 : values.filter((x) => x === v).length);
    const best = values.reduce<number>((a, v, k) => (votes(v) > votes(values[a]) ? k : a), 0);
    const pick = reads[best]!;
    return { ...pick, confidence: Math.min(pick.confidence, DISAGREEING_READS_CONFIDENCE) };
  }

  async function checkboxCell(j: CellJob, options: readonly string[]): Promise<Cell> {
    const boxes = findCheckboxes(ink, j.px, dpi);
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
    const lines = await read(j.px, "block");
    const boxItem = (b: PixelCheckbox): LineItem => ({
      kind: "box",
      checked: b.checked,
      bbox: b.bbox.map((v) => toPt(v, dpi)) as BBox,
      source: "ocr",
      confidence: b.confidence,
    });
    // Each box joins the line whose middle is nearest its own, if within a line's height.
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
      const ly0 = line.bbox[1];
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
      return { y: ly0, items };
    });
    // Boxes on no line OCR found (an option label it could not read) still count.
    for (const b of boxes) if (!lineOf.has(b)) rows.push({ y: b.bbox[1], items: [boxItem(b)] });
    const items = rows.sort((a, b) => a.y - b.y).map((r) => r.items);
    const confidence = Math.min(linesConfidence(lines), ...boxes.map((b) => b.confidence));
    return cellOf(j, items, confidence);
  }

  const placed: PlacedBlock[] = rowBlocks(
    jobs.map((j) => cells.get(j)!),
    page,
  );

  // Free lines: above the table (title, year, applicant) and below it (footers).
  const top = grid ? Math.round(toPx(grid.extent[1], dpi)) - Math.round(toPx(1, dpi)) : gray.height;
  const bottom = grid ? Math.round(toPx(grid.extent[3], dpi)) + Math.round(toPx(1, dpi)) : gray.height;
  const regions: PixelBox[] = [
    [0, 0, gray.width, Math.max(0, top)],
    [0, bottom, gray.width, gray.height],
  ];
  for (const region of regions) {
    if (region[3] - region[1] < toPx(8, dpi)) continue;
    // Line by line, large type (the title) scaled down to body size first.
    const bands = inkBands(ink, region, Math.max(2, Math.round(toPx(0.6, dpi)))).filter(
      (b) => b[3] - b[1] >= toPx(4, dpi) && countInk(ink, b) >= toPx(3, dpi) ** 2,
    );
    const bodyPx = toPx(BODY_PT, dpi);
    const read1 = (b: PixelBox) => read(b, "line", "", Math.max(1, (b[3] - b[1]) / bodyPx));
    for (const line of (await Promise.all(bands.map(read1))).flat()) {
      const text = snapFreeLine(normalizeOcrText(lineText(line)));
      if (text.trim() === "") continue;
      const bbox = line.bbox.map((v) => toPt(v, dpi)) as BBox;
      placed.push({
        top: bbox[1],
        block: {
          kind: "line",
          line: { text, page, bbox, source: "ocr", confidence: linesConfidence([line]) },
        },
      });
    }
  }
  return { blocks: placed.sort((a, b) => a.top - b.top).map((b) => b.block), turn, skew };
}

/**
 * `2018年12月31月`: after a year and a month, the day's sign can only be 日 (OCR confuses 日, 月,
 * 曰 and 目); the date grammar fixes it, the numbers are never touched.
 */
export function repairDate(text: string): string {
  return text.replace(/^(\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*)[月曰目](\s*)$/u, "$1日$2");
}

function withText(cell: Cell, text: string): Cell {
  return { ...cell, lines: [[{ kind: "text", text }]] };
}

function texts(cell: Cell): string {
  return cell.lines.map((l) => l.map((i) => (i.kind === "text" ? i.text : "")).join("")).join("");
}
