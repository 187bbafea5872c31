import { describe, expect, it } from "vitest";
import type { GrayImage } from "../src/ocr/image.js";
import { findTextLines } from "../src/ocr/lines.js";
import { eraseScanStreaks, findScanStreaks, restoreDroppedScanlines } from "../src/ocr/scanner-lines.js";
import { rotateSmall } from "../src/ocr/transform.js";
import { uprightPage } from "../src/ocr/upright.js";

/** An A4 page at 200 dpi (1654 × 2339 px), white. */
function page(): GrayImage {
  return { width: 1654, height: 2339, data: new Uint8Array(1654 * 2339).fill(255), dpi: 200 };
}

function line(img: GrayImage, x0: number, y0: number, x1: number, y1: number, v = 0): void {
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) img.data[y * img.width + x] = v;
}

/** A table of 3 columns and 20 rows, with a glyph-sized block of ink in each cell. */
function table(img: GrayImage, top: number, bottom: number): void {
  const cols = [125, 420, 830, 1530];
  const rowH = (bottom - top) / 20;
  for (let r = 0; r <= 20; r++)
    line(img, cols[0]!, Math.round(top + r * rowH), cols[3]!, Math.round(top + r * rowH) + 1);
  for (const x of cols) line(img, x, top, x + 1, bottom + 1);
  for (let r = 0; r < 20; r++)
    for (const x of cols.slice(0, 3)) {
      const y = Math.round(top + r * rowH + rowH / 3);
      line(img, x + 20, y, x + 50, y + 25);
    }
}

/** A fax head's streak: one sensor column dark on four scanlines in five, top to bottom. */
function streak(img: GrayImage, x: number): void {
  for (let y = 0; y < img.height; y++) if (y % 5 !== 2) img.data[y * img.width + x] = 70;
}

describe("a line the scanner drew down the sheet (a fax head's dirt, dust on the glass)", () => {
  it("is found as one column and painted out; the table's rules and the glyphs it crosses stay", () => {
    const img = page();
    table(img, 140, 1950);
    streak(img, 450);
    expect(findScanStreaks(img)).toEqual([[450, 450]]);
    const clean = eraseScanStreaks(img);
    const at = (x: number, y: number) => clean.data[y * clean.width + x]!;
    // Gone in the margins and in an empty stretch of a cell...
    expect(at(450, 50)).toBe(255);
    expect(at(450, 2300)).toBe(255);
    expect(at(450, 150)).toBe(255);
    // ...while a row rule and a glyph it crosses (x 440–470) keep their ink.
    expect(at(450, 140)).toBe(0);
    const glyphRow = Math.round(140 + 1810 / 20 / 3) + 5;
    expect(at(450, glyphRow)).toBe(0);
  });

  it("is not a table's frame: a page cropped to its table has verticals the scan's height too, meeting rules at their ends", () => {
    const img = page();
    table(img, 0, img.height - 2);
    expect(findScanStreaks(img)).toEqual([]);
    // Nor a page without one: nothing changes.
    const plain = page();
    table(plain, 140, 1950);
    expect(eraseScanStreaks(plain)).toBe(plain);
  });

  it("leaves no vertical ruling outside the table's columns on a skewed scan, where it would run slanted through every row", () => {
    const sheet = page();
    table(sheet, 140, 1950);
    // Skewed on the feeder, then the streak: the scanner's column stays upright in the scan's pixels.
    const scanned = rotateSmall(sheet, 1);
    streak(scanned, 433);
    const up = uprightPage(scanned);
    const xs = up.rulings.vertical.map((v) => v.at);
    // The four columns' rules (125, 420, 830, 1530 px at 200 dpi: 45, 151, 299, 551 pt), within a
    // few points after deskewing, and nothing else.
    expect(xs).toHaveLength(4);
    for (const [i, want] of [45, 151, 299, 551].entries()) expect(Math.abs(xs[i]! - want)).toBeLessThan(8);
    expect(up.streaks).toEqual([]);
  });
});

describe("a light streak on a gray scan (dust on the glass, lighter than the ink threshold)", () => {
  it("is found at the threshold rules are found at, and leaves no ruling on a skewed scan", () => {
    const sheet = page();
    table(sheet, 140, 1950);
    const scanned = rotateSmall(sheet, 1);
    // Gray 170: paper here is 255 and ink 0, so rules are looked for up to about 190.
    for (let y = 0; y < scanned.height; y++) scanned.data[y * scanned.width + 433] = 170;
    expect(findScanStreaks(scanned)).toEqual([]);
    expect(findScanStreaks(scanned, 190)).toEqual([[433, 433]]);
    const up = uprightPage(scanned);
    expect(up.rulings.vertical).toHaveLength(4);
  });
});

describe("scanlines a fax lost (white across the whole page)", () => {
  it("are filled where rules and glyphs go on either side, so a cut line of text is one line again", () => {
    const img = page();
    table(img, 140, 1950);
    // Glyph blocks of the first column's cells run rows 170–195 (see `table`); lose three rows through them.
    const y = 180;
    for (let k = 0; k < 3; k++) img.data.fill(255, (y + k) * img.width, (y + k + 1) * img.width);
    const cell: [number, number, number, number] = [127, 142, 419, 230];
    expect(findTextLines(img, cell, 8)).toHaveLength(2);
    const fixed = restoreDroppedScanlines(img);
    const at = (x: number, yy: number) => fixed.data[yy * fixed.width + x]!;
    expect(at(125, 181)).toBe(0); // the table's left rule
    expect(at(150, 181)).toBe(0); // the glyph
    expect(at(300, 181)).toBe(255); // paper stays paper
    expect(findTextLines(fixed, cell, 8)).toHaveLength(1);
  });

  it("are not the gap between two lines of text, whose glyphs do not go on across it", () => {
    const img = page();
    // Two lines of glyphs three rows apart, away from any table: tops and bottoms at other columns.
    for (let i = 0; i < 12; i++) {
      line(img, 200 + i * 40, 300, 230 + i * 40, 326);
      line(img, 215 + i * 40, 330, 245 + i * 40, 356);
    }
    for (let i = 0; i < 12; i++) {
      // Their facing rows hold only a short foot and a short head, apart.
      img.data.fill(255, 326 * img.width + 200 + i * 40, 326 * img.width + 224 + i * 40);
      img.data.fill(255, 330 * img.width + 221 + i * 40, 330 * img.width + 245 + i * 40);
    }
    for (let x = 0; x < img.width; x++) for (let yy = 327; yy < 330; yy++) img.data[yy * img.width + x] = 255;
    expect(restoreDroppedScanlines(img)).toBe(img);
  });
});
