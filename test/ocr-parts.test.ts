import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { densestGlyphInk } from "../src/ocr/cells.js";
import { findLabels, sameSize } from "../src/ocr/checkbox-cell.js";
import { findCheckboxes, type PixelCheckbox } from "../src/ocr/checkboxes.js";
import { confirmShort } from "../src/ocr/confirm.js";
import { mergeDoubled } from "../src/ocr/doubled-rulings.js";
import type { OcrLine } from "../src/ocr/engine.js";
import { binarize, type GrayImage, type PixelBox } from "../src/ocr/image.js";
import { findTextLines } from "../src/ocr/lines.js";
import { repairMoney } from "../src/ocr/numbers.js";
import { readOperatorGlyph } from "../src/ocr/operator-glyph.js";
import { joinPieces } from "../src/ocr/paddle.js";
import { toOcrLine } from "../src/ocr/paddle-read.js";
import type { PageReader } from "../src/ocr/page-reader.js";
import { attributeStrokes } from "../src/ocr/pen-strokes.js";
import { findPerspective, homography, warp } from "../src/ocr/rectify.js";
import { detectPixelRulings } from "../src/ocr/rulings.js";
import { withBars, withRangeJoin } from "../src/ocr/target-signs.js";
import { lineText, normalizeOcrText } from "../src/ocr/text.js";
import { downscale } from "../src/ocr/transform.js";
import { openPdf } from "../src/pdf/open.js";
import { pageImage } from "../src/pdf/page-image.js";
import { ROOT } from "./helpers/cli.js";
import { readPart } from "./helpers/pgm.js";

/**
 * The OCR path's pixel readers on drawn inputs whose truth is known: comparison signs in five CJK
 * faces at 150–400 dpi, pen-marked and empty boxes, a table photographed at an angle. Fonts come
 * from Debian's fonts-wqy-zenhei, fonts-noto-cjk and fonts-arphic-uming/ukai (.ci/run installs them).
 */

const require = createRequire(import.meta.url);
const { createCanvas, GlobalFonts } = require("@napi-rs/canvas") as typeof import("@napi-rs/canvas");
const FONTS: Record<string, string> = {
  "WenQuanYi Zen Hei": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
  "Noto Sans CJK SC": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
  "Noto Serif CJK SC": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
  "AR PL UMing CN": "/usr/share/fonts/truetype/arphic/uming.ttc",
  "AR PL UKai CN": "/usr/share/fonts/truetype/arphic/ukai.ttc",
};
for (const [family, path] of Object.entries(FONTS)) GlobalFonts.registerFromPath(path, family);

type Ctx = ReturnType<ReturnType<typeof createCanvas>["getContext"]>;

/** Draws at 4× and box-filters down, as a scanner's optics do; 8-bit gray at `dpi`. */
function drawn(
  widthPt: number,
  heightPt: number,
  dpi: number,
  draw: (ctx: Ctx, px: number) => void,
): GrayImage {
  const s = 4;
  const px = (dpi * s) / 72;
  const c = createCanvas(Math.ceil(widthPt * px), Math.ceil(heightPt * px));
  const ctx = c.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.fillStyle = "#000";
  ctx.strokeStyle = "#000";
  draw(ctx, px);
  const rgba = ctx.getImageData(0, 0, c.width, c.height).data;
  const data = new Uint8Array(c.width * c.height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4]!;
  return downscale({ width: c.width, height: c.height, data, dpi: dpi * s }, s);
}

const cleaned = (g: GrayImage): GrayImage => ({ ...g, data: binarize(g).ink.map((v) => (v ? 0 : 255)) });

/** Column runs of ink across a line's ink rows: one per glyph. */
function glyphRuns(img: GrayImage, top: number, bottom: number, x0: number, x1: number): PixelBox[] {
  const out: PixelBox[] = [];
  let start = -1;
  for (let x = x0; x <= x1; x++) {
    let inked = false;
    for (let y = top; y < bottom && x < x1; y++) if (img.data[y * img.width + x]! < 128) inked = true;
    if (inked && start < 0) start = x;
    if (!inked && start >= 0) {
      out.push([start, top, x, bottom]);
      start = -1;
    }
  }
  return out;
}

describe("comparison signs read from their pixels", () => {
  const SIGNS: Record<string, string> = { "≥": ">=", "≤": "<=", ">": ">", "<": "<", "=": "=" };
  it("never reads a sign as another one, and reads most, over five faces at 150–400 dpi", () => {
    let right = 0;
    let total = 0;
    const wrong: string[] = [];
    for (const dpi of [150, 200, 300, 400])
      for (const family of Object.keys(FONTS))
        for (const [sign, want] of Object.entries(SIGNS)) {
          const img = cleaned(
            drawn(60, 18, dpi, (ctx, px) => {
              ctx.font = `${9 * px}px "${family}"`;
              ctx.fillText(`${sign}85%`, 4 * px, 12 * px);
            }),
          );
          const [line] = findTextLines(img, [0, 0, img.width, img.height], (3 * dpi) / 72);
          const runs = glyphRuns(img, line!.inkTop, line!.inkBottom, line!.box[0], line!.box[2]);
          const digitTop = Math.min(
            ...Array.from({ length: runs[1]![2] - runs[1]![0] }, (_, k) => {
              for (let y = line!.inkTop; y < line!.inkBottom; y++)
                if (img.data[y * img.width + runs[1]![0] + k]! < 128) return y;
              return line!.inkBottom;
            }),
          );
          const got = readOperatorGlyph(img, runs[0]!, line!.inkBottom - digitTop);
          total++;
          if (got === want) right++;
          else if (got !== null) wrong.push(`${dpi} ${family} ${sign} read ${got}`);
        }
    expect(wrong).toEqual([]);
    expect(right / total).toBeGreaterThanOrEqual(0.9);
  });
  it("reads a Kai ⩾ whose slanted bar merged into the lower arm at 200 and 150 dpi as ≥, not >", () => {
    // [file, dpi, the sign's columns, the digits' ink height]
    for (const [name, dpi, [from, to], digitHeight] of [
      ["kai-geq-200dpi.pgm", 200, [0, 15], 18],
      ["kai-geq-200dpi-b.pgm", 200, [0, 15], 17],
      // At 150 dpi the bar reaches a column past the upper arm: that column's only ink is low.
      ["kai-geq-150dpi.pgm", 150, [1, 11], 12],
      ["kai-geq-150dpi-b.pgm", 150, [1, 10], 12],
    ] as const) {
      const img = readPart(name, dpi);
      expect(readOperatorGlyph(img, [from, 0, to, img.height], digitHeight), name).toBe(">=");
      // Without the digits' height to compare with, the strokes alone say a chevron.
      expect(readOperatorGlyph(img, [from, 0, to, img.height]), name).toBe(">");
    }
  });
});

/**
 * `text` drawn at `dpi`, as the one line the recognizer gives: one word per character, boxed by
 * its advance, without the characters at `dropped` (the recognizer's CTC merged or lost them).
 */
function drawnLine(
  family: string,
  dpi: number,
  text: string,
  dropped: number[],
  widthPt = 90,
): { img: GrayImage; line: OcrLine; read: string } {
  const chars = [...text];
  let starts: number[] = [];
  let px = 1;
  const img = cleaned(
    drawn(widthPt, 18, dpi, (ctx, p) => {
      px = p;
      ctx.font = `${9 * p}px "${family}"`;
      starts = chars.map((_, i) => 4 * p + ctx.measureText(chars.slice(0, i).join("")).width);
      starts.push(4 * p + ctx.measureText(text).width);
      ctx.fillText(text, 4 * p, 12 * p);
    }),
  );
  const [found] = findTextLines(img, [0, 0, img.width, img.height], (3 * dpi) / 72);
  const scale = px / (dpi / 72);
  const line: OcrLine = {
    bbox: [found!.box[0], found!.inkTop, found!.box[2], found!.inkBottom],
    words: chars.flatMap((ch, i) => {
      if (dropped.includes(i)) return [];
      const b: PixelBox = [
        Math.round(starts[i]! / scale),
        found!.inkTop,
        Math.round(starts[i + 1]! / scale),
        found!.inkBottom,
      ];
      return [{ text: ch, bbox: b, confidence: 0.9, symbols: [{ text: ch, bbox: b }] }];
    }),
  };
  const read = chars.filter((_, i) => !dropped.includes(i)).join("");
  return { img, line, read };
}

describe("a comparison sign the recognizer dropped", () => {
  it("is shown as its pixels read it, the target still under review (fax200/c022's ≥20张 read 20张)", async () => {
    const wrong: string[] = [];
    for (const dpi of [200, 300])
      for (const family of ["Noto Sans CJK SC", "AR PL UMing CN"]) {
        // The recognizer's line without the sign: only the pixels show it.
        const { img, line } = drawnLine(family, dpi, "≥20张", [0], 60);
        const bbox: PixelBox = [0, 0, img.width, img.height];
        // Tesseract, the second reader, agrees on the number and unit: only the pixels show the sign.
        const reader = {
          page: 1,
          dpi,
          clean: img,
          softened: false,
          read: async () => [{ bbox, words: [{ text: "20张", bbox, confidence: 0.9, symbols: [] }] }],
        } as unknown as PageReader;
        const job = { bbox: [0, 0, 60, 18] as PixelBox, px: bbox, inLabelColumn: false, empty: false };
        const first = {
          col: 0,
          inLabelColumn: false,
          lines: [[{ kind: "text" as const, text: "20张" }]],
          hiddenLines: [],
          page: 1,
          bbox: job.bbox,
          source: "ocr" as const,
          confidence: 0.99,
        };
        const cell = await confirmShort(reader, job, first, [line], "target");
        const shown = lineText({
          bbox,
          words: cell.lines[0]!.map((i) => ({ text: i.kind === "text" ? i.text : "", bbox, confidence: 1 })),
        });
        if (shown !== "≥20张" || cell.confidence >= 0.5)
          wrong.push(`${family} ${dpi}: ${shown} ${cell.confidence}`);
      }
    expect(wrong).toEqual([]);
  });
});

describe("a range's join `&&` read from its pixels", () => {
  const readAs = (family: string, dpi: number, text: string, dropped: number[]) => {
    const { img, line, read } = drawnLine(family, dpi, text, dropped);
    return withRangeJoin(read, img, [line]);
  };

  it("writes `&&` where one `&` or none was read between two drawn ones, over five faces at 200–400 dpi", () => {
    const wrong: string[] = [];
    for (const dpi of [200, 300, 400])
      for (const family of Object.keys(FONTS)) {
        if (readAs(family, dpi, "≥42篇&&≤58篇", [4]) !== "≥42篇&&≤58篇") wrong.push(`${family} ${dpi} one`);
        if (readAs(family, dpi, "≥64小时&&≤94小时", [5, 6]) !== "≥64小时&&≤94小时")
          wrong.push(`${family} ${dpi} none`);
      }
    expect(wrong).toEqual([]);
  });

  it("leaves a drawn single `&`, and a range read whole, as read", () => {
    for (const dpi of [150, 200, 300, 400])
      for (const family of Object.keys(FONTS)) {
        expect(readAs(family, dpi, "≥42篇&≤58篇", []), `${family} ${dpi}`).toBe("≥42篇&≤58篇");
        expect(readAs(family, dpi, "≥64小时&≤94小时", []), `${family} ${dpi}`).toBe("≥64小时&≤94小时");
        expect(readAs(family, dpi, "≥42篇&&≤58篇", []), `${family} ${dpi}`).toBe("≥42篇&&≤58篇");
        expect(readAs(family, dpi, "≥42篇≤58篇", []), `${family} ${dpi}`).toBe("≥42篇≤58篇");
      }
  });
});

describe("checkboxes from pixels", () => {
  /** A row of three printed boxes at `dpi`; `marks[i]` draws on box i (pen strokes past its sides). */
  const boxes = (dpi: number, marks: Array<((ctx: Ctx, x: number, y: number, s: number) => void) | null>) =>
    binarize(
      drawn(120, 30, dpi, (ctx, px) => {
        marks.forEach((mark, i) => {
          const [x, y, s] = [(10 + i * 35) * px, 10 * px, 8 * px];
          ctx.lineWidth = 0.6 * px;
          ctx.strokeRect(x, y, s, s);
          mark?.(ctx, x, y, s);
        });
      }),
    );
  const tick = (ctx: Ctx, x: number, y: number, s: number) => {
    ctx.lineWidth = s * 0.16;
    ctx.beginPath();
    ctx.moveTo(x + s * 0.15, y + s * 0.5);
    ctx.lineTo(x + s * 0.4, y + s * 0.9);
    ctx.lineTo(x + s * 1.6, y - s * 0.9);
    ctx.stroke();
  };
  const cross = (ctx: Ctx, x: number, y: number, s: number) => {
    ctx.lineWidth = s * 0.14;
    ctx.beginPath();
    ctx.moveTo(x - s * 0.3, y - s * 0.3);
    ctx.lineTo(x + s * 1.3, y + s * 1.3);
    ctx.moveTo(x + s * 1.3, y - s * 0.3);
    ctx.lineTo(x - s * 0.3, y + s * 1.3);
    ctx.stroke();
  };

  for (const dpi of [150, 200, 300])
    it(`finds boxes under pen ticks and crosses that run past them, empty ones unchecked (${dpi} dpi)`, () => {
      const ink = boxes(dpi, [tick, null, cross]);
      const found = findCheckboxes(ink, [0, 0, ink.width, ink.height], dpi);
      expect(found.map((b) => b.checked)).toEqual([true, false, true]);
    });

  it("finds a 1-bit page's box whose sides break in two-pixel gaps and step a pixel aside only when told the page is 1-bit", () => {
    // A 20 px box at 200 dpi (7 pt), sides 2 px thick, as fax200/c045's came out deskewed and thresholded.
    const dpi = 200;
    const w = 40;
    const ink = { width: w, height: w, ink: new Uint8Array(w * w) };
    const set = (x: number, y: number) => {
      ink.ink[y * w + x] = 1;
    };
    for (let k = 10; k < 30; k++) {
      // Top and bottom: gaps of two at k 15–16 and 24–25; the right side steps one column at k 20.
      if (k !== 15 && k !== 16 && k !== 24 && k !== 25) for (const y of [10, 11, 28, 29]) set(k, y);
      if (k !== 18 && k !== 19) for (const x of [10, 11]) set(x, k);
      for (const x of k < 20 ? [28, 29] : [27, 28]) set(x, k);
    }
    expect(findCheckboxes(ink, [0, 0, w, w], dpi)).toHaveLength(0);
    const found = findCheckboxes(ink, [0, 0, w, w], dpi, { gap: 2, broken: true });
    expect(found).toHaveLength(1);
    expect(found[0]!.checked).toBe(false);
    expect(found[0]!.bbox[0]).toBeLessThanOrEqual(11);
    expect(found[0]!.bbox[2]).toBeGreaterThanOrEqual(28);
  });
});

describe("text lines in a cell", () => {
  // A lone 一 is still not found: a band that thin is taken for a rule's remnant.
  for (const glyph of ["7", "无", "0"])
    it(`finds a lone ${glyph} in a wide cell, under the noise floor of the cell's width`, () => {
      const dpi = 300;
      const img = cleaned(
        drawn(400, 21, dpi, (ctx, px) => {
          ctx.font = `${10.5 * px}px "Noto Serif CJK SC"`;
          ctx.fillText(glyph, 6 * px, 15 * px);
        }),
      );
      const lines = findTextLines(img, [0, 0, img.width, img.height], (3 * dpi) / 72);
      expect(lines).toHaveLength(1);
      // Too little ink for the cell's area, enough for one glyph's square: the cell is not empty.
      expect(densestGlyphInk(binarize(img), [0, 0, img.width, img.height], dpi)).toBeGreaterThan(0.04);
      expect(lines[0]!.box[0]).toBeLessThan((12 * dpi) / 72);
    });
  it("takes scattered specks for no glyph", () => {
    const dpi = 300;
    const w = 1600;
    const h = 90;
    const ink = new Uint8Array(w * h);
    // One speck of 2×2 pixels every 40 pixels: more ink than a lone 7 over the whole cell.
    for (let y = 5; y + 2 < h; y += 40)
      for (let x = 3; x + 2 < w; x += 40) for (const k of [0, 1, w, w + 1]) ink[y * w + x + k] = 1;
    expect(densestGlyphInk({ width: w, height: h, ink }, [0, 0, w, h], dpi)).toBeLessThan(0.04);
  });
});

describe("a checkbox group's labels and boxes", () => {
  /** An OCR line of one word whose characters are 10 px wide, from `x`. */
  const line = (text: string, x: number, y: number): OcrLine => {
    const chars = [...text];
    const symbols = chars.map((c, i) => ({
      text: c,
      bbox: [x + i * 10, y, x + i * 10 + 10, y + 10] as PixelBox,
    }));
    const bbox: PixelBox = [x, y, x + chars.length * 10, y + 10];
    return { bbox, words: [{ text, bbox, confidence: 0.95, symbols }] };
  };
  it("finds a label wrapped at the cell's edge on both lines, not its first half alone", () => {
    const lines = [line("经常性专项业务费口其他经常性", 0, 0), line("项目口", 0, 20)];
    const labels = findLabels(lines, ["经常性专项业务费", "其他经常性项目"]);
    const wrapped = labels.find((l) => l.option === "其他经常性项目");
    expect(wrapped?.parts.map((p) => [p.line, p.x0, p.x1])).toEqual([
      [0, 90, 140],
      [1, 0, 20],
    ]);
  });
  it("drops squares well under the group's box size (口 in 项), keeps the boxes", () => {
    const box = (x: number, s: number): PixelCheckbox => ({
      bbox: [x, 0, x + s, s],
      inner: [x + 2, 2, x + s - 2, s - 2],
      checked: false,
      confidence: 1,
      fill: 0,
    });
    const kept = sameSize([box(0, 38), box(100, 40), box(200, 39), box(300, 22), box(400, 40)]);
    expect(kept.map((b) => b.bbox[0])).toEqual([0, 100, 200, 400]);
  });
});

describe("pen strokes given to the box they were made in", () => {
  for (const dpi of [150, 200, 300])
    it(`a thin tick whose arm runs up through the box above marks its own box only (${dpi} dpi)`, () => {
      // Box A on the upper line, box B on the line below, a little left of A; B's tick, drawn in
      // a fine pen, overshoots up and right across A, as the corpus's pen ticks do.
      const ink = binarize(
        drawn(80, 50, dpi, (ctx, px) => {
          ctx.lineWidth = 0.6 * px;
          const s = 8 * px;
          ctx.strokeRect(32 * px, 8 * px, s, s);
          ctx.strokeRect(28 * px, 30 * px, s, s);
          ctx.lineWidth = 0.45 * px;
          ctx.beginPath();
          ctx.moveTo(28 * px + s * 0.1, 30 * px + s * 0.45);
          ctx.lineTo(28 * px + s * 0.45, 30 * px + s * 1.1);
          ctx.lineTo(28 * px + s * 1.0, 2 * px);
          ctx.stroke();
        }),
      );
      const cell: PixelBox = [0, 0, ink.width, ink.height];
      const found = findCheckboxes(ink, cell, dpi);
      expect(found).toHaveLength(2);
      const judged = attributeStrokes(ink, cell, found, []);
      expect(judged.map((b) => b.checked)).toEqual([false, true]);
      expect(Math.min(...judged.map((b) => b.confidence))).toBeGreaterThanOrEqual(0.8);
    });
});

describe("rulings found in steps", () => {
  it("merges a slanted or doubled rule's pieces into one, keeps rules a cell apart", () => {
    // A vertical rule a phone photo left slanted 7 pt over the table's height, found in steps
    // 1.8 pt apart (one piece per pixel column it crosses), beside a true rule 100 pt right of it.
    const steps = [86.2, 88, 89.8, 91.6, 93.4].map((at, i) => ({
      at,
      from: 620 - i * 115,
      to: 785 - i * 115,
    }));
    const { merged, pieces } = mergeDoubled([
      ...steps,
      { at: 190, from: 162, to: 785 },
      { at: 200, from: 162, to: 785 },
    ]);
    expect(merged.map((r) => [Math.round(r.at), Math.round(r.from), Math.round(r.to)])).toEqual([
      [90, 160, 785],
      [190, 162, 785],
      [200, 162, 785],
    ]);
    expect(pieces).toHaveLength(5);
  });
});

describe("a table photographed at an angle", () => {
  it("is warped flat: its rules come out level and whole", () => {
    const dpi = 150;
    const table = drawn(500, 700, dpi, (ctx, px) => {
      ctx.lineWidth = 0.8 * px;
      for (let r = 0; r <= 12; r++) {
        ctx.beginPath();
        ctx.moveTo(50 * px, (60 + r * 50) * px);
        ctx.lineTo(450 * px, (60 + r * 50) * px);
        ctx.stroke();
      }
      for (const x of [50, 150, 450]) {
        ctx.beginPath();
        ctx.moveTo(x * px, 60 * px);
        ctx.lineTo(x * px, 660 * px);
        ctx.stroke();
      }
    });
    // The table's corners seen as a trapezoid (the far, top edge shorter, the sheet turned 2°), as
    // a phone tilted toward the sheet sees it; the warp maps each photo pixel back to the sheet.
    const { width: w, height: h } = table;
    const k = dpi / 72;
    const sheet: Array<[number, number]> = [
      [50 * k, 60 * k],
      [450 * k, 60 * k],
      [450 * k, 660 * k],
      [50 * k, 660 * k],
    ];
    const seen: Array<[number, number]> = [
      [85 * k, 75 * k],
      [430 * k, 62 * k],
      [462 * k, 640 * k],
      [40 * k, 655 * k],
    ];
    const photo = warp(table, homography(seen, sheet));
    // Rules as long as nine tenths of the table's width (400 pt) and level: whole rules.
    const level = (img: GrayImage) =>
      detectPixelRulings(binarize(img), dpi).horizontal.filter((r) => r.to - r.from > 360);
    expect(level(photo).length).toBeLessThan(6);
    const hom = findPerspective(photo);
    expect(hom).not.toBeNull();
    const flat = warp(photo, hom!);
    expect(level(flat).length).toBeGreaterThanOrEqual(12);
    expect([w, h]).toEqual([flat.width, flat.height]);
  });

  it("leaves a plain scan alone", () => {
    const scan = drawn(300, 300, 150, (ctx, px) => {
      ctx.lineWidth = 0.8 * px;
      ctx.strokeRect(40 * px, 40 * px, 220 * px, 220 * px);
      ctx.beginPath();
      ctx.moveTo(40 * px, 150 * px);
      ctx.lineTo(260 * px, 150 * px);
      ctx.stroke();
    });
    expect(findPerspective(scan)).toBeNull();
  });
});

describe("reading grammar", () => {
  it("a point before three digits in an amount is a thousands separator; nothing else changes", () => {
    expect(repairMoney("22.450.000")).toBe("22,450,000");
    expect(repairMoney("3.014,000")).toBe("3,014,000");
    expect(repairMoney("2.356.000.80")).toBe("2,356,000.80");
    expect(repairMoney("1.5")).toBe("1.5");
    expect(repairMoney("4100000.00")).toBe("4100000.00");
  });

  it("丶 is 、 and a full-width or doubled hyphen between words is a dash", () => {
    expect(normalizeOcrText("前期调研丶方案制定")).toBe("前期调研、方案制定");
    expect(normalizeOcrText("2018年1月－3月")).toBe("2018年1月—3月");
    expect(normalizeOcrText("2018年1月--3月")).toBe("2018年1月—3月");
    expect(normalizeOcrText("2018-01-01")).toBe("2018-01-01");
  });

  it("a point between two CJK characters is a comma; in a number or after a Latin letter it stays", () => {
    expect(normalizeOcrText("做好资料归档.做到资料齐全")).toBe("做好资料归档，做到资料齐全");
    expect(normalizeOcrText("完成率97.5%")).toBe("完成率97.5%");
    expect(normalizeOcrText("Ver.2版本")).toBe("Ver.2版本");
  });
});

describe("scanned page images packed other than their dictionary says", () => {
  it("reads a one-component JPEG under a DeviceRGB dictionary as gray, not as three tiles", async () => {
    const { PDFDocument, PDFName } = await import("pdf-lib");
    const jpeg = readFileSync(join(ROOT, "fixtures/parts/one-component.jpg"));
    const doc = await PDFDocument.create();
    const page = doc.addPage([200, 100]);
    const stream = doc.context.stream(jpeg, {
      Type: "XObject",
      Subtype: "Image",
      Width: 200,
      Height: 100,
      ColorSpace: "DeviceRGB",
      BitsPerComponent: 8,
      Filter: "DCTDecode",
    });
    const ref = doc.context.register(stream);
    page.node.setXObject(PDFName.of("Im0"), ref);
    const content = doc.context.stream("q 200 0 0 100 0 0 cm /Im0 Do Q");
    page.node.set(PDFName.of("Contents"), doc.context.register(content));
    const pdf = await openPdf(await doc.save(), "one-component.pdf");
    try {
      const { image: gray, embedded } = await pageImage(pdf, 1);
      expect(embedded).toBe(true);
      expect([gray.width, gray.height]).toEqual([200, 100]);
      // The square drawn at x 20–80, y 20–60 is dark there and nowhere to its right.
      expect(gray.data[40 * 200 + 50]!).toBeLessThan(60);
      expect(gray.data[40 * 200 + 150]!).toBeGreaterThan(200);
      expect(gray.data[80 * 200 + 50]!).toBeGreaterThan(200);
    } finally {
      await pdf.destroy();
    }
  });
});

describe("a long line read in pieces", () => {
  const c = (text: string, x: number) => ({ text, p: 0.99, x });
  // Two pieces of a line 48 px high cut at x = 300; each crop reaches 36 px past the cut.
  const piece = (from: number, to: number, chars: ReturnType<typeof c>[]) => ({
    from,
    to,
    a: Math.max(0, from - 36),
    b: to + 36,
    chars,
  });
  it("takes a glyph both pieces saw near the cut once, even when a reading falls past the cut", () => {
    const left = piece(0, 300, [c("主", 230), c("管", 262), c("门", 296)]);
    const right = piece(300, 600, [c("门", 302), c("和", 330), c("单", 362)]);
    expect(
      joinPieces([left, right], 48)
        .map((x) => x.text)
        .join(""),
    ).toBe("主管门和单");
  });
  it("keeps a glyph whose two readings fall on the wrong sides of the cut", () => {
    const left = piece(0, 300, [c("项", 270), c("目", 304)]);
    const right = piece(300, 600, [c("目", 297), c("管", 335)]);
    expect(
      joinPieces([left, right], 48)
        .map((x) => x.text)
        .join(""),
    ).toBe("项目管");
  });
  it("keeps real doubled characters a glyph apart, and a line read whole as it was read", () => {
    const left = piece(0, 300, [c("谢", 250), c("谢", 290)]);
    const right = piece(300, 600, [c("谢", 290), c("你", 330)]);
    expect(
      joinPieces([left, right], 48)
        .map((x) => x.text)
        .join(""),
    ).toBe("谢谢你");
    const whole = piece(0, 100, [c("一", 10), c("一", 40)]);
    expect(joinPieces([whole], 48).map((x) => x.text)).toEqual(["一", "一"]);
  });
});

describe("a bracket's width from the pitch of its line", () => {
  const line = (read: Array<[string, number]>) => ({
    text: read.map(([t]) => t).join(""),
    chars: read.map(([text, x]) => ({ text, x, p: 0.99 })),
  });
  const text = (read: Array<[string, number]>) => lineText(toOcrLine(line(read), [0, 0, 900, 40], 8, 34));
  it("reads a full-width （ as full-width although one neighbour gap came out wide (CTC steps)", () => {
    // Positions as the recognizer gave them on a 200 dpi scan: pitch ≈ 28 px, steps of 6 px.
    const read: Array<[string, number]> = [
      ["数", 15],
      ["字", 46],
      ["资", 70],
      ["源", 101],
      ["采", 126],
      ["购", 157],
      ["（", 187.5],
      ["电", 207.5],
      ["子", 238.5],
      ["图", 263],
      ["书", 294],
      ["、", 325],
      ["数", 349.5],
      ["据", 380],
      ["库", 405],
      ["）", 429.5],
    ];
    expect(text(read)).toBe("数字资源采购（电子图书、数据库）");
  });
  it("keeps a half-width ( half-width", () => {
    const read: Array<[string, number]> = [
      ["古", 14],
      ["籍", 40],
      ["修", 68],
      ["复", 94],
      ["与", 122],
      ["数", 148],
      ["字", 176],
      ["化", 202],
      ["(", 221],
      ["二", 240],
      ["期", 266],
      [")", 285],
    ];
    expect(text(read)).toBe("古籍修复与数字化(二期)");
  });
});

describe("a bar the pixels show is written into the target", () => {
  it("turns each barred > or < into ≥ or ≤, in order, only when the signs line up one to one", () => {
    expect(withBars(">64小时&&<94小时", [true, false])).toBe("≥64小时&&<94小时");
    expect(withBars(">64小时&&<94小时", [false, true])).toBe(">64小时&&≤94小时");
    expect(withBars(">64小时&&<94小时", [true])).toBe(">64小时&&<94小时");
    expect(withBars("=80%", [true])).toBe("=80%");
  });
});

describe("a mark after a digit", () => {
  /** One line of one-character words at these x positions (em 37 px), as tesseract boxes them. */
  const line = (chars: Array<[string, number, number]>) => ({
    bbox: [0, 0, 600, 40] as [number, number, number, number],
    words: chars.map(([text, x0, x1]) => ({
      text,
      confidence: 0.9,
      bbox: [x0, 2, x1, 38] as [number, number, number, number],
      symbols: [{ text, bbox: [x0, 2, x1, 38] as [number, number, number, number] }],
    })),
  });
  // Symbol boxes measured on 300 dpi scans (fixtures/mof-scan ms1, fixtures/scan s2).
  it("is full-width with an em of room (`目标1：新`: 0.95-1.19 em)", () => {
    const read = line([
      ["目", 0, 37],
      ["标", 40, 77],
      ["1", 80, 99],
      ["：", 116, 135],
      ["新", 143, 180],
    ]);
    expect(lineText(read)).toBe("目标1：新");
  });
  it("is ASCII when it and the space after it take less (`子项目1: 完`: 0.70 em)", () => {
    const read = line([
      ["项", 0, 37],
      ["目", 40, 77],
      ["1", 80, 99],
      [":", 98, 117],
      ["完", 125, 162],
    ]);
    expect(lineText(read)).toBe("项目1:完");
  });
});
