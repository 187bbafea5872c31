import { describe, expect, it } from "vitest";
import type { CheckMark } from "../src/layout/model.js";
import type { CellJob } from "../src/ocr/cells.js";
import { readCheckboxCell } from "../src/ocr/checkbox-cell.js";
import type { OcrLine } from "../src/ocr/engine.js";
import type { InkImage, PixelBox } from "../src/ocr/image.js";
import type { PageReader } from "../src/ocr/page-reader.js";

/**
 * A 1-bit scan of a ticked box printed with a thin gray outline (bw200 corpus scan c027): at the
 * ink threshold the outline is dots and the tick thin, so no box is found there; at the lighter
 * rule threshold the outline is whole. Drawn at 200 dpi: two options, each label followed by its
 * box; the first box empty and solid, the second ticked with a dotted outline. The OCR lines are
 * given (the labels as a recognizer reads them): what is tested is where the marks are found.
 */

const DPI = 200;
const W = 700;
const H = 60;
const SIDE = 30; // ≈ 3.8 mm

function image(draw: (set: (x: number, y: number) => void) => void): InkImage {
  const ink = new Uint8Array(W * H);
  draw((x, y) => {
    if (x >= 0 && y >= 0 && x < W && y < H) ink[y * W + x] = 1;
  });
  return { width: W, height: H, ink };
}

const square = (set: (x: number, y: number) => void, x0: number, y0: number, every = 1) => {
  for (let d = 0; d < SIDE; d += every)
    for (const [x, y] of [
      [x0 + d, y0],
      [x0 + d, y0 + SIDE - 1],
      [x0, y0 + d],
      [x0 + SIDE - 1, y0 + d],
    ] as const)
      set(x, y);
};
const tick = (set: (x: number, y: number) => void, x0: number, y0: number) => {
  // Two pixels thick: over CHECKED_FILL of the box's inside, as a printed ☑'s tick is.
  for (let d = 0; d < 8; d++) for (const t of [0, 1]) set(x0 + 6 + d, y0 + 14 + d + t);
  for (let d = 0; d < 14; d++) for (const t of [0, 1]) set(x0 + 14 + d, y0 + 21 - d + t);
};

// Labels: 结转项目 at x 20–140, 其他一次性项目 at 220–430; boxes after them at 150 and 440.
const BOX1: [number, number] = [150, 15];
const BOX2: [number, number] = [440, 15];
const glyphs = (set: (x: number, y: number) => void, from: number, count: number) => {
  for (let k = 0; k < count; k++) for (let d = 0; d < 26; d++) set(from + k * 30 + 4 + (d % 20), 17 + d);
};

function cellReader(dotted: boolean): PageReader {
  const draw = (outlineEvery: number) => (set: (x: number, y: number) => void) => {
    glyphs(set, 20, 4);
    glyphs(set, 220, 7);
    square(set, ...BOX1);
    square(set, BOX2[0], BOX2[1], outlineEvery);
    tick(set, ...BOX2);
  };
  const ink = image(draw(dotted ? 4 : 1));
  const ruleInk = image(draw(1));
  const line = (text: string, x0: number): OcrLine["words"][number] => ({
    text,
    bbox: [x0, 15, x0 + 30 * [...text].length, 45],
    confidence: 0.95,
    symbols: [...text].map((ch, i) => ({
      text: ch,
      bbox: [x0 + 30 * i, 15, x0 + 30 * (i + 1), 45] as PixelBox,
    })),
  });
  const lines: OcrLine[] = [
    { words: [line("结转项目", 20), line("其他一次性项目", 220)], bbox: [20, 15, 430, 45] },
  ];
  return {
    page: 1,
    dpi: DPI,
    ink,
    ruleInk,
    clean: { width: W, height: H, data: new Uint8Array(W * H).fill(255), dpi: DPI },
    primary: "paddle",
    softened: false,
    read: async () => lines,
    readLines: async () => lines,
  };
}

const JOB: CellJob = {
  bbox: [0, 0, (W * 72) / DPI, (H * 72) / DPI],
  px: [0, 0, W, H],
  inLabelColumn: false,
  empty: false,
};

async function marks(dotted: boolean): Promise<CheckMark[]> {
  const cell = await readCheckboxCell(cellReader(dotted), JOB, ["结转项目", "其他一次性项目"]);
  return cell.lines.flat().filter((i): i is CheckMark => i.kind === "box");
}

describe("a ticked box whose outline a 1-bit scan broke into dots", () => {
  it("solid, it is found at the ink threshold and read checked", async () => {
    const got = await marks(false);
    expect(got.map((m) => m.checked)).toEqual([false, true]);
  });

  it("dotted, it is read checked from the faint square beside its label, in doubt (under the review bar)", async () => {
    const got = await marks(true);
    expect(got.map((m) => m.checked)).toEqual([false, true]);
    expect(got[1]!.confidence).toBeLessThan(0.8);
  });
});

describe("a ticked box found neither at the ink nor at the rule threshold (1-bit 200 dpi, bw200 corpus scan c045)", () => {
  // Three options, each label followed by its box (20 px, a 2-px outline): the first box whole and
  // empty; the second and third broken by 3-px gaps in two sides (no square is found), the second
  // ticked with a printed ☑'s bold stroke (its ink over the room's as measured there: 0.25 against 0.17).
  const side = 20;
  const labels: Array<[string, number]> = [
    ["结转项目", 20],
    ["其他一次性项目", 200],
    ["经常性项目", 480],
  ];
  const boxAt = (i: number) => labels[i]![1] + 30 * [...labels[i]![0]].length + 4;
  const draw = (set: (x: number, y: number) => void) => {
    for (const [text, x0] of labels) glyphs(set, x0, [...text].length);
    labels.forEach((_, i) => {
      const x0 = boxAt(i);
      const y0 = 20;
      for (let d = 0; d < side; d++)
        for (let t = 0; t < 2; t++) {
          const gap = i > 0 && d >= 13 && d < 16;
          set(x0 + d, y0 + t);
          set(x0 + t, y0 + d);
          if (!gap) set(x0 + d, y0 + side - 1 - t);
          if (!gap) set(x0 + side - 1 - t, y0 + d);
        }
      if (i === 1)
        for (let d = 0; d < 13; d++)
          for (let t = 0; t < 6; t++) {
            if (d < 6) set(x0 + 3 + d, y0 + 8 + d + t);
            set(x0 + 8 + d, y0 + 14 - d + t);
          }
    });
  };
  const reader = (): PageReader => {
    const ink = image(draw);
    const words = labels.map(([text, x0]) => ({
      text,
      bbox: [x0, 15, x0 + 30 * [...text].length, 45] as PixelBox,
      confidence: 0.95,
      symbols: [...text].map((ch, i) => ({
        text: ch,
        bbox: [x0 + 30 * i, 15, x0 + 30 * (i + 1), 45] as PixelBox,
      })),
    }));
    const lines: OcrLine[] = [{ words, bbox: [20, 15, 630, 45] }];
    return {
      page: 1,
      dpi: DPI,
      ink,
      ruleInk: ink,
      clean: { width: W, height: H, data: new Uint8Array(W * H).fill(255), dpi: DPI },
      primary: "paddle",
      softened: false,
      read: async () => lines,
      readLines: async () => lines,
    };
  };

  it("reads the room inking well over what the page's empty box inks as checked, in doubt; the broken empty one not", async () => {
    const cell = await readCheckboxCell(
      reader(),
      JOB,
      labels.map(([t]) => t),
    );
    const got = cell.lines.flat().filter((i): i is CheckMark => i.kind === "box");
    expect(got.map((m) => m.checked)).toEqual([false, true, false]);
    expect(got[1]!.confidence).toBeLessThan(0.8);
  });
});
