import { describe, expect, it } from "vitest";
import { prng } from "../scripts/corpus/prng.js";
import { detectDottedRulings } from "../src/ocr/dotted-rulings.js";
import type { InkImage } from "../src/ocr/image.js";
import { detectPixelRulings } from "../src/ocr/rulings.js";

/**
 * A 1-bit scan of a table printed with thin gray rules keeps only sparse dots of each rule (bw200
 * corpus scan c044: a dot every 3–9 pt). Drawn here at 200 dpi: a 4×3 table of dotted rules with
 * two lines of glyph-like blobs in its cells, the text's strokes dense but never a long line.
 */

const DPI = 200;
const PX = DPI / 72;

/** Rules at these points (origin top-left): rows and columns of the drawn table. */
const ROWS_PT = [60, 110, 160, 210, 260];
const COLS_PT = [40, 140, 300, 460];

function drawnTable(): InkImage {
  const width = Math.round(500 * PX);
  const height = Math.round(300 * PX);
  const ink = new Uint8Array(width * height);
  const set = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < width && y < height) ink[y * width + x] = 1;
  };
  const rnd = prng(7);
  // Dots one or two pixels long, gaps of 3–9 pt: what thresholding leaves of a 0.5 pt gray rule.
  const dotted = (from: number, to: number, plot: (p: number) => void) => {
    for (let p = from; p < to; p += Math.round((3 + rnd() * 6) * PX)) {
      plot(p);
      if (rnd() < 0.5) plot(p + 1);
    }
  };
  const x0 = Math.round(COLS_PT[0]! * PX);
  const x1 = Math.round(COLS_PT.at(-1)! * PX);
  const y0 = Math.round(ROWS_PT[0]! * PX);
  const y1 = Math.round(ROWS_PT.at(-1)! * PX);
  for (const r of ROWS_PT) dotted(x0, x1, (x) => set(x, Math.round(r * PX)));
  for (const c of COLS_PT) dotted(y0, y1, (y) => set(Math.round(c * PX), y));
  // Glyphs: 10 pt squares of strokes, 1 pt apart, inside each cell (4 pt from its walls).
  for (const r of ROWS_PT.slice(0, -1))
    for (const [c, next] of COLS_PT.slice(0, -1).map((c, i) => [c, COLS_PT[i + 1]!] as const))
      for (let x = (c + 4) * PX; x < (next - 14) * PX; x += 11 * PX) {
        const gx = Math.round(x);
        const gy = Math.round((r + 20) * PX);
        for (let k = 0; k < 4; k++) {
          const at = Math.round(rnd() * 9 * PX);
          for (let d = 0; d < Math.round(10 * PX); d++) {
            set(gx + d, gy + at);
            set(gx + at, gy + d);
          }
        }
      }
  return { width, height, ink };
}

const near = (list: readonly { at: number }[], at: number) => list.some((r) => Math.abs(r.at - at) < 1.5);

describe("dotted rules of a 1-bit scan", () => {
  const img = drawnTable();

  it("are found as rules, each as one line from wall to wall, and the text rows give none", () => {
    const { horizontal, vertical } = detectDottedRulings(img, DPI);
    for (const r of ROWS_PT) expect(near(horizontal, r), `rule at ${r} pt`).toBe(true);
    for (const c of COLS_PT) expect(near(vertical, c), `column rule at ${c} pt`).toBe(true);
    // Nothing between the rules: the glyph rows (at +20..+30 pt) are not rules.
    expect(horizontal.filter((h) => !ROWS_PT.some((r) => Math.abs(h.at - r) < 1.5))).toEqual([]);
    const top = horizontal.find((h) => Math.abs(h.at - ROWS_PT[0]!) < 1.5)!;
    expect(top.from).toBeLessThan(COLS_PT[0]! + 3);
    expect(top.to).toBeGreaterThan(COLS_PT.at(-1)! - 3);
  });

  it("make the table's grid on a black-and-white page (runs of ink alone find none of it)", () => {
    const found = detectPixelRulings(img, DPI, true);
    expect(ROWS_PT.filter((r) => near(found.horizontal, r))).toEqual(ROWS_PT);
    expect(COLS_PT.filter((c) => near(found.vertical, c))).toEqual(COLS_PT);
    const gray = detectPixelRulings(img, DPI, false);
    expect(ROWS_PT.filter((r) => near(gray.horizontal, r))).toEqual([]);
  });
});

/**
 * bw200 corpus scan c044: a row's dotted rule thins out to a dot every 20–30 pt over a stretch
 * (its cells above and below ran together), and thin strokes standing one above another down a
 * column of CJK text (a box's side, a `1`) chained into a vertical rule that split a cell.
 */
describe("dotted rules that thin out, and strokes down a column of text", () => {
  const width = Math.round(500 * PX);
  const height = Math.round(300 * PX);
  const draw = () => {
    const ink = new Uint8Array(width * height);
    const set = (x: number, y: number) => {
      if (x >= 0 && y >= 0 && x < width && y < height) ink[y * width + x] = 1;
    };
    const rnd = prng(11);
    /** Dots of one rule from `from` to `to` points, gaps `gap` to `gap + spread` points. */
    const dots = (from: number, to: number, gap: number, spread: number, plot: (p: number) => void) => {
      for (let p = from * PX; p < to * PX; p += (gap + rnd() * spread) * PX) plot(Math.round(p));
    };
    const row = (y: number) => (x: number) => set(x, Math.round(y * PX));
    const col = (x: number) => (y: number) => set(Math.round(x * PX), y);
    for (const y of [60, 210]) dots(40, 460, 3, 5, row(y));
    for (const x of [40, 460]) dots(60, 210, 3, 5, col(x));
    // The row rule at 110: dense at both ends, one dot every 20–28 pt over 150–320 pt.
    dots(40, 150, 3, 5, row(110));
    dots(150, 320, 20, 8, row(110));
    dots(320, 460, 3, 5, row(110));
    // The rule at 160 stops at 150 pt: past it one cell spans both rows, with paper specks only.
    dots(40, 150, 3, 5, row(160));
    for (const x of [230, 380]) set(Math.round(x * PX), Math.round(160 * PX));
    // Strokes 4 pt tall, 8 pt apart, one above another at 250 pt: a column of `1`s and box sides
    // (as dense along as a thinned rule), not a rule.
    for (let y = 115; y < 155; y += 8)
      for (let d = 0; d < Math.round(4 * PX); d++) set(Math.round(250 * PX), Math.round(y * PX) + d);
    return { width, height, ink };
  };
  const img = draw();
  const found = detectPixelRulings(img, DPI, true);
  const at = (list: readonly { at: number; from: number; to: number }[], pt: number) =>
    list.filter((r) => Math.abs(r.at - pt) < 1.5);

  it("a thinned stretch is bridged: the row's rule runs wall to wall as one rule", () => {
    const rule = at(found.horizontal, 110);
    expect(rule).toHaveLength(1);
    expect(rule[0]!.from).toBeLessThan(43);
    expect(rule[0]!.to).toBeGreaterThan(457);
  });

  it("a rule absent over a spanning cell is not carried across it on a few specks", () => {
    const rule = at(found.horizontal, 160);
    expect(rule.length).toBeGreaterThan(0);
    expect(Math.max(...rule.map((r) => r.to))).toBeLessThan(160);
  });

  it("a few strokes one above another down a column are not a vertical rule", () => {
    expect(at(detectDottedRulings(img, DPI).vertical, 250)).toEqual([]);
    expect(at(found.vertical, 250)).toEqual([]);
  });
});

/**
 * gray150/c039 and bw200/c044: the table's left side (or a stroke in line with a column rule)
 * ran on up through the 申 or 名 of 申报单位名称 above the table, and that glyph's strokes met it:
 * they passed for rules and made a row of the applicant's line.
 */
/** A 1-bit table 40–260 pt across, rules at 60, 100 and 140 pt, sides at 40 and 260 pt; `more` draws on it. */
function ruledTable(
  more: (line: (x0: number, y0: number, x1: number, y1: number) => void) => void,
): InkImage {
  const width = Math.round(300 * PX);
  const height = Math.round(200 * PX);
  const ink = new Uint8Array(width * height);
  const line = (x0: number, y0: number, x1: number, y1: number) => {
    for (let y = Math.round(y0 * PX); y <= Math.round(y1 * PX); y++)
      for (let x = Math.round(x0 * PX); x <= Math.round(x1 * PX); x++) ink[y * width + x] = 1;
  };
  for (const y of [60, 100, 140]) line(40, y, 260, y);
  for (const x of [40, 260]) line(x, 60, x, 140);
  more(line);
  return { width, height, ink };
}

describe("a lone vertical running on past the table's top rule", () => {
  const img = ruledTable((line) => {
    // A column rule at 100 pt, and a glyph above it whose stroke stands on it: down 44–60 pt, across at 48 pt.
    line(100, 60, 100, 140);
    line(100, 44, 100, 60);
    line(92, 48, 112, 48);
  });
  const found = detectPixelRulings(img, DPI);

  it("is cut at the rule, and the glyph's stroke across it is no rule", () => {
    const column = found.vertical.filter((v) => Math.abs(v.at - 100) < 1.5);
    expect(column.length).toBeGreaterThan(0);
    expect(Math.min(...column.map((v) => v.from))).toBeGreaterThan(58);
    expect(found.horizontal.filter((h) => h.at < 58)).toEqual([]);
    expect(found.horizontal.filter((h) => h.at > 58).length).toBe(3);
  });
});

/**
 * bw200/c008: on a black-and-white page runs are joined across the dithering's gaps, and a stroke
 * of 项 standing on the rule under 子项目名称, with the glyph's own strokes across it, passed for
 * a short column rule that split the header cell.
 */
describe("a glyph's stroke standing on a row rule of a 1-bit page", () => {
  const img = ruledTable((line) => {
    // A short column rule that is one: 150 pt, from the rule at 100 to the rule at 140.
    line(150, 100, 150, 140);
    // The glyph: down from the rule at 60 to 76 pt at 200 pt, strokes across it at 66 and 72 pt.
    line(200, 60, 200, 76);
    line(193, 66, 214, 66);
    line(193, 72, 214, 72);
  });
  const found = detectPixelRulings(img, DPI, true);

  it("is no rule; a short column rule from one row's rule to the next is", () => {
    expect(found.vertical.filter((v) => Math.abs(v.at - 200) < 1.5)).toEqual([]);
    expect(found.horizontal.filter((h) => h.at > 62 && h.at < 98)).toEqual([]);
    expect(found.vertical.filter((v) => Math.abs(v.at - 150) < 1.5).length).toBeGreaterThan(0);
  });
});
