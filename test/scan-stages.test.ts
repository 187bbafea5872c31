import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_MODEL, OcrEngine } from "../src/ocr/engine.js";
import { PaddleRecognizer } from "../src/ocr/paddle.js";
import type { OcrEngines } from "../src/ocr/page-reader.js";
import { type ScanRecord, scanStages } from "../src/ocr/scan-stages.js";
import { openPdf } from "../src/pdf/open.js";
import { pageImage } from "../src/pdf/page-image.js";
import { blockText } from "./helpers/blocks.js";
import { ROOT } from "./helpers/cli.js";

/** A scanned page is read by an ordered list of stages, each filling its own slot of one page record. */

let engines: OcrEngines | null = null;
afterAll(async () => {
  await Promise.all([engines?.tesseract.close(), engines?.paddle?.close()]);
});

const SLOTS = ["level", "upright", "cells", "labels", "marks", "values", "freeLines", "blocks"] as const;
const filled = (rec: ScanRecord) => SLOTS.filter((k) => rec[k] !== undefined);

describe("scan stages", () => {
  it("run in order, each filling one slot more, into the page's blocks", async () => {
    engines = { tesseract: new OcrEngine(1, DEFAULT_MODEL), paddle: await PaddleRecognizer.load(1) };
    const file = join(ROOT, "fixtures/scan/s1-gray300-skew.pdf");
    const doc = await openPdf(readFileSync(file), file);
    const image = (await pageImage(doc, 1)).image;
    await doc.destroy();
    const stages = scanStages(engines);
    expect(stages.map((s) => s.name)).toEqual([
      "level",
      "table",
      "cells",
      "labels",
      "marks",
      "values",
      "freeLines",
      "blocks",
    ]);
    const rec: ScanRecord = { page: 1, image };
    for (const [i, stage] of stages.entries()) {
      await stage.run(rec);
      expect(filled(rec), stage.name).toEqual(SLOTS.slice(0, i + 1));
    }
    expect(rec.upright!.frame.skew).not.toBe(0);
    expect(rec.marks!.size).toBeGreaterThan(0);
    const text = rec.blocks!.map((b) => blockText(b)).join("\n");
    expect(text).toContain("项目名称");
    expect(text).toContain("资金用途");
  }, 120_000);

  it("a stage run before the one whose slot it reads fails loudly, naming the slot", async () => {
    const stages = scanStages(engines!);
    const values = stages.find((s) => s.name === "values")!;
    await expect(
      Promise.resolve().then(() =>
        values.run({ page: 1, image: { width: 1, height: 1, dpi: 300, data: new Uint8Array(1) } }),
      ),
    ).rejects.toThrow('"cells" is not filled yet');
  });
});
