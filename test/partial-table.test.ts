import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Grid } from "../src/layout/grid.js";
import { isPartialTable } from "../src/ocr/free-lines.js";
import { readFile } from "./helpers/extract.js";

const ROOT = join(import.meta.dirname, "..");

const gridOver = (x0: number, x1: number): Grid => ({ cells: [], extent: [x0, 60, x1, 780] });

describe("a scanned page whose table is found over only part of its width", () => {
  it("is told from a whole table by the share of the page's width the grid spans", () => {
    // An A4 page is 595 pt wide; the family's table spans about 520 of it.
    expect(isPartialTable(gridOver(42, 560), 595)).toBe(false);
    expect(isPartialTable(gridOver(42, 94), 595)).toBe(true);
    expect(isPartialTable(gridOver(42, 311), 595)).toBe(true);
    expect(isPartialTable(null, 595)).toBe(false);
  });

  it("a fax whose rules survive only by the label column is refused page by page as OCR_FAILED, not NOT_A_FORM", async () => {
    // Made by `npm run corpus:scans -- --edge`: the title reads, the table's right side is lost.
    const r = await readFile(join(ROOT, "fixtures/corpus/scan-edge/fax200-c021.pdf"));
    expect(r.errors.map((e) => e.code)).not.toContain("NOT_A_FORM");
    const partial = r.errors.filter(
      (e) => e.code === "OCR_FAILED" && /only part of its width/.test(e.message),
    );
    expect(partial.map((e) => e.page)).toEqual([1, 2]);
    // Nothing is half read in silence: no form comes out of pages whose values were not read.
    expect(r.forms).toHaveLength(0);
  });
});
