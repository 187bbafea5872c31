import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTextStages, TEXT_STAGES, type TextRecord, textRecord } from "../src/layout/text-stages.js";
import { openPdf, type PDFDocumentProxy } from "../src/pdf/open.js";
import { blockText } from "./helpers/blocks.js";
import { ROOT } from "./helpers/cli.js";

/** A text-layer page is read by an ordered list of stages, each filling its own slot of one page record. */

const SLOTS = ["view", "rulings", "grid", "marks", "blocks"] as const;
const filled = (rec: TextRecord) => SLOTS.filter((k) => rec[k] !== undefined);

let doc: PDFDocumentProxy;
beforeAll(async () => {
  // Its checkboxes are AcroForm widgets: the marks stage reads them through the view.
  const file = join(ROOT, "fixtures/pdf/f1-acroform.pdf");
  doc = await openPdf(readFileSync(file), file);
});
afterAll(async () => {
  await doc.destroy();
});

describe("text stages", () => {
  it("run in order, each filling one slot more, into the page's blocks", async () => {
    expect(TEXT_STAGES.map((s) => s.name)).toEqual([...SLOTS]);
    const rec = await textRecord(doc, 1);
    for (const [i, stage] of TEXT_STAGES.entries()) {
      await stage.run(rec);
      expect(filled(rec), stage.name).toEqual(SLOTS.slice(0, i + 1));
    }
    expect(rec.rulings!.horizontal.length).toBeGreaterThan(0);
    expect(rec.grid!.cells.length).toBeGreaterThan(0);
    expect(rec.marks!.marks.some((m) => m.source === "acroform" && m.checked)).toBe(true);
    const text = rec.blocks!.map(blockText).join("\n");
    expect(text).toContain("项目名称");
    expect(text).toContain("资金用途");
    rec.pdf.cleanup();
  });

  it("the runner stops after the slot it is told to, and resumes from there to the same blocks", async () => {
    const whole = await runTextStages(await textRecord(doc, 1));
    const rec = await runTextStages(await textRecord(doc, 1), "view");
    expect(filled(rec)).toEqual(["view"]);
    const view = rec.view;
    await runTextStages(rec);
    expect(filled(rec)).toEqual([...SLOTS]);
    // The view is not read again: a scan's check and its blocks see the same page.
    expect(rec.view).toBe(view);
    expect(rec.blocks).toEqual(whole.blocks);
    rec.pdf.cleanup();
  });

  it("a stage run before the one whose slot it reads fails loudly, naming the slot", async () => {
    const rec = await textRecord(doc, 1);
    const grid = TEXT_STAGES.find((s) => s.name === "grid")!;
    const blocks = TEXT_STAGES.find((s) => s.name === "blocks")!;
    expect(() => grid.run(rec)).toThrow('"rulings" is not filled yet');
    await runTextStages(rec, "grid");
    // The grid is there, the marks are not: blocks names the one it lacks.
    expect(() => blocks.run(rec)).toThrow('"marks" is not filled yet');
    rec.pdf.cleanup();
  });
});
