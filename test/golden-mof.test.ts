import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FormValues } from "../src/schema.js";
import { extractFile } from "./helpers/extract.js";
import { compareGolden, type ExpectedForm } from "./helpers/golden.js";

/**
 * The second family: text-layer mof-project PDFs (scripts/fixtures/mof-specs.ts, written by
 * `npm run fixtures`) read through the one document pipeline reproduce fixtures/expected/mof.
 */

const FIXTURES = join(import.meta.dirname, "../fixtures");
const pdfs = readdirSync(join(FIXTURES, "mof")).filter((f) => f.endsWith(".pdf"));

describe("golden: mof-project fixtures reproduce fixtures/expected/mof", () => {
  it("has the fixtures: wordings, a page break inside spans, flagged figures, a 2-form file", () => {
    expect(pdfs.length).toBeGreaterThanOrEqual(4);
  });

  for (const pdf of pdfs) {
    it(pdf, async () => {
      const expected = JSON.parse(
        readFileSync(join(FIXTURES, "expected/mof", pdf.replace(/\.pdf$/, ".json")), "utf8"),
      ) as ExpectedForm<FormValues>[];
      const result = await extractFile(join(FIXTURES, "mof", pdf));
      expect(result.errors).toEqual([]);
      expect(result.forms.length).toBe(expected.length);
      const diffs = result.forms.flatMap((form, i) =>
        compareGolden(form, expected[i]!).map((d) => `form ${i + 1}: ${d}`),
      );
      expect(diffs).toEqual([]);
    });
  }

  it("the mof text dump reads as mof-project, amounts in yuan", async () => {
    const result = await extractFile(join(FIXTURES, "mof/mof-project-a.txt"));
    expect(result.forms.map((f) => f.template)).toEqual(["mof-project"]);
    expect(result.forms[0]!.form.funds).toEqual({ total: 1205000, fiscal: 1000000, other: 205000 });
    expect(result.forms[0]!.flags).toEqual([]);
  });
});
