import { describe, expect, it } from "vitest";
import type { OcrLine } from "../src/ocr/engine.js";
import type { GrayImage, PixelBox } from "../src/ocr/image.js";
import { unreadInk } from "../src/ocr/unread-ink.js";
import { readPart } from "./helpers/pgm.js";

const word = (text: string, bbox: PixelBox) => ({ text, bbox, confidence: 0.99 });
const line = (bbox: PixelBox, words: ReturnType<typeof word>[]): OcrLine[] => [{ bbox, words }];

describe("unreadInk", () => {
  // A target cell of a JPEG q40–60 scan skewed 3°, cleaned (jpeg-low-skew3/c020, page 1): `31门`,
  // where PaddleOCR read `31` and tesseract, held to digits as for an amount, read `31` too.
  const cell = readPart("kai-men-unread-jpeg.pgm", 300);
  const px: PixelBox = [0, 0, cell.width, cell.height];
  const read = [word("3", [7, 20, 21, 49]), word("1", [28, 20, 43, 49])];

  it("finds the glyph both readers missed, where the pixels show it", () => {
    const box = unreadInk(cell, px, line([3, 20, 84, 49], read));
    expect(box).not.toBeNull();
    expect(box![0]).toBeGreaterThan(43);
    expect(box![2] - box![0]).toBeGreaterThan(15);
  });

  it("is quiet once a character covers that ink", () => {
    expect(unreadInk(cell, px, line([3, 20, 84, 49], [...read, word("门", [52, 20, 80, 49])]))).toBeNull();
  });

  it("takes specks, slivers and a rule's remnant at the cell's side for no glyph", () => {
    const width = 300;
    const img: GrayImage = { width, height: 40, data: new Uint8Array(width * 40).fill(255), dpi: 200 };
    const ink = (x0: number, x1: number, y0: number, y1: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) img.data[y * width + x] = 0;
    };
    ink(100, 110, 8, 32); // a glyph, read
    ink(150, 153, 14, 17); // a speck
    ink(200, 201, 8, 32); // a one-pixel sliver, full height
    ink(0, 3, 6, 34); // the left rule's last columns
    const lines = line([0, 8, 300, 32], [word("1", [98, 8, 112, 32])]);
    expect(unreadInk(img, [0, 0, width, 40], lines)).toBeNull();
    ink(240, 252, 8, 32); // a glyph nothing read
    expect(unreadInk(img, [0, 0, width, 40], lines)).toEqual([240, 8, 252, 32]);
  });
});
