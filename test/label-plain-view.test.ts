import { describe, expect, it } from "vitest";
import type { OcrLine } from "../src/ocr/engine.js";
import type { PageReader } from "../src/ocr/page-reader.js";
import { readLabel } from "../src/ocr/read-cells.js";
import { lineText } from "../src/ocr/text.js";

/** A label-column cell of a black-and-white page: PaddleOCR reads it softened first, unsoftened on request. */
function reader(softenedReading: string, plainReading: string, softened = true) {
  const calls: boolean[] = [];
  const line = (text: string): OcrLine => {
    const bbox: [number, number, number, number] = [0, 0, 30 * text.length, 30];
    return { bbox, words: [{ text, bbox, confidence: 0.9, symbols: [] }] };
  };
  const r = {
    page: 1,
    dpi: 200,
    primary: "paddle",
    softened,
    readLines: async (_px: unknown, plain = false) => {
      calls.push(plain);
      return [line(plain ? plainReading : softenedReading)];
    },
  } as unknown as PageReader;
  return { r, calls };
}

const text = (lines: OcrLine[]) => lines.map((l) => lineText(l)).join("");

describe("a label of a black-and-white page that matches no template label", () => {
  it("is read again unsoftened, and that reading is kept when it is a label (fax200/c007's Kai 效果目标 read 没果目括)", async () => {
    const { r, calls } = reader("没果目括", "效果目标");
    expect(text(await readLabel(r, [0, 0, 100, 30]))).toBe("效果目标");
    expect(calls).toEqual([false, true]);
  });

  it("keeps the first reading when the second matches nothing either, and is read once when the first is a label", async () => {
    expect(text(await readLabel(reader("没果目括", "没果目活").r, [0, 0, 100, 30]))).toBe("没果目括");
    const once = reader("效果目标", "x");
    expect(text(await readLabel(once.r, [0, 0, 100, 30]))).toBe("效果目标");
    expect(once.calls).toEqual([false]);
    // A gray page has no second view.
    const gray = reader("没果目括", "效果目标", false);
    expect(text(await readLabel(gray.r, [0, 0, 100, 30]))).toBe("没果目括");
    expect(gray.calls).toEqual([false]);
  });
});
