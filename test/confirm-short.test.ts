import { describe, expect, it } from "vitest";
import type { Cell } from "../src/layout/model.js";
import { type CellJob, cellText } from "../src/ocr/cells.js";
import { confirmShort } from "../src/ocr/confirm.js";
import type { OcrLine } from "../src/ocr/engine.js";
import type { PageReader } from "../src/ocr/page-reader.js";

/**
 * The second reading of a short value (tesseract, after PaddleOCR): what it is asked for and what
 * the cell shows when the two disagree. The reader is a stand-in that records its calls and
 * answers with a fixed reading; the first reading is the cell passed in.
 */

const job: CellJob = {
  bbox: [100, 200, 250, 220],
  px: [278, 556, 694, 611],
  inLabelColumn: false,
  empty: false,
};

function line(text: string): OcrLine {
  const bbox: [number, number, number, number] = [0, 0, 10 * text.length, 20];
  return { bbox, words: [{ text, bbox, confidence: 0.9, symbols: [] }] };
}

function standIn(answer: string) {
  const calls: string[] = [];
  const reader = {
    page: 1,
    dpi: 200,
    primary: "paddle",
    read: async (_px: unknown, _mode: unknown, whitelist = "") => {
      calls.push(whitelist);
      return [line(answer)];
    },
  } as unknown as PageReader;
  return { reader, calls };
}

const first = (text: string, confidence = 0.97): Cell => ({
  col: 100,
  inLabelColumn: false,
  lines: [[{ kind: "text", text }]],
  hiddenLines: [],
  page: 1,
  bbox: job.bbox,
  source: "ocr",
  confidence,
});

describe("a short value read a second time", () => {
  it("an amount or a date is read again with digits and date signs only; other text is not", async () => {
    for (const [kind, wants] of [
      ["money", true],
      ["date", true],
      ["text", false],
    ] as const) {
      const { reader, calls } = standIn("2940000");
      await confirmShort(reader, job, first("2940000"), [], kind);
      expect(calls.length).toBe(1);
      expect(calls[0]!.includes("0123456789") && calls[0]!.includes("年")).toBe(wants);
    }
  });

  it("agreeing readings are trusted; disagreeing ones stay under review", async () => {
    const agreed = await confirmShort(standIn("2,940,000").reader, job, first("2940000", 0.6), [], "money");
    expect(agreed.confidence).toBeGreaterThanOrEqual(0.9);
    const differ = await confirmShort(standIn("2840000").reader, job, first("2940000"), [], "money");
    expect(cellText(differ)).toBe("2940000");
    expect(differ.confidence).toBeLessThan(0.5);
  });

  it("an amount the first reading cannot parse shows the second's, still under review", async () => {
    const cell = await confirmShort(
      standIn("27,520,000.00").reader,
      job,
      first("2/.520.000.00"),
      [],
      "money",
    );
    expect(cellText(cell)).toBe("27,520,000.00");
    expect(cell.confidence).toBeLessThan(0.5);
    const neither = await confirmShort(standIn("2x.5").reader, job, first("2/.520.000.00"), [], "money");
    expect(cellText(neither)).toBe("2/.520.000.00");
  });

  it("readers that agree by both missing a glyph the pixels show stay under review", async () => {
    // A page where the cell holds three glyph-sized blobs, ink height 24 px: `3`, `1` and a `门`.
    const width = 800;
    const clean = { width, height: 700, data: new Uint8Array(width * 700).fill(255), dpi: 200 };
    const blob = (x0: number, x1: number) => {
      for (let y = 570; y < 594; y++) for (let x = x0; x < x1; x++) clean.data[y * width + x] = 0;
    };
    blob(300, 310);
    blob(316, 322);
    blob(340, 362);
    const reader = { ...standIn("31").reader, clean } as PageReader;
    const word = (text: string, x0: number, x1: number) => ({
      text,
      bbox: [x0, 570, x1, 594] as [number, number, number, number],
      confidence: 0.99,
    });
    const read = (words: ReturnType<typeof word>[]): OcrLine[] => [{ bbox: [300, 570, 362, 594], words }];
    const two = [word("3", 299, 311), word("1", 313, 325)];
    const missed = await confirmShort(reader, job, first("31", 0.99), read(two), "money");
    expect(cellText(missed)).toBe("31");
    expect(missed.confidence).toBeLessThan(0.5);
    const both = { ...standIn("31门").reader, clean } as PageReader;
    const all = await confirmShort(
      both,
      job,
      first("31门", 0.99),
      read([...two, word("门", 339, 363)]),
      "text",
    );
    expect(all.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it("on a black-and-white page, a name both readers agree on is trusted only if PaddleOCR's other view of the line says it too", async () => {
    // fax200/c022: PaddleOCR (softened) and tesseract both read 创新环境 as 创新坏境; the deskewed gray read 环.
    const softenedReader = (plainAnswer: string) => {
      const plainCalls: boolean[] = [];
      const reader = {
        ...standIn("创新坏境").reader,
        softened: true,
        readLines: async (_px: unknown, plain = false) => {
          plainCalls.push(plain);
          return [line(plainAnswer)];
        },
      } as PageReader;
      return { reader, plainCalls };
    };
    const differs = softenedReader("创新环境");
    const doubted = await confirmShort(differs.reader, job, first("创新坏境", 0.99), [], "text");
    expect(differs.plainCalls).toEqual([true]);
    expect(cellText(doubted)).toBe("创新坏境");
    expect(doubted.confidence).toBeLessThan(0.5);
    const same = softenedReader("创新坏境");
    expect(
      (await confirmShort(same.reader, job, first("创新坏境", 0.99), [], "text")).confidence,
    ).toBeGreaterThanOrEqual(0.9);
    // A first reading from the gray view is checked against the softened one, read then or given.
    const grayFirst = softenedReader("创新坏境");
    await confirmShort(grayFirst.reader, job, first("创新坏境", 0.99), [], "text", { plainFirst: true });
    expect(grayFirst.plainCalls).toEqual([false]);
    const given = softenedReader("x");
    const checked = await confirmShort(given.reader, job, first("创新坏境", 0.99), [], "text", {
      other: [line("创新环境")],
    });
    expect(given.plainCalls).toEqual([]);
    expect(checked.confidence).toBeLessThan(0.5);
    // An amount has its own second reading (digits only); a gray page has no softened view to ask.
    const money = softenedReader("2840000");
    await confirmShort(money.reader, job, first("2940000"), [], "money");
    expect(money.plainCalls).toEqual([]);
    const gray = { ...softenedReader("创新环境").reader, softened: false } as PageReader;
    expect(
      (await confirmShort(gray, job, first("创新坏境", 0.99), [], "text")).confidence,
    ).toBeGreaterThanOrEqual(0.9);
  });
});
