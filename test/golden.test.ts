import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "./helpers/extract.js";
import { compareGolden, type ExpectedForm } from "./helpers/golden.js";

const FIXTURES = join(import.meta.dirname, "../fixtures");
const pdfs = readdirSync(join(FIXTURES, "pdf")).filter((f) => f.endsWith(".pdf"));

describe("golden: text-layer fixtures reproduce fixtures/expected", () => {
  it("has the fixtures the issue names", () => {
    expect(pdfs.length).toBeGreaterThanOrEqual(11);
  });

  for (const pdf of pdfs) {
    it(pdf, async () => {
      const expected = JSON.parse(
        readFileSync(join(FIXTURES, "expected", pdf.replace(/\.pdf$/, ".json")), "utf8"),
      ) as ExpectedForm[];
      const result = await extractFile(join(FIXTURES, "pdf", pdf));
      expect(result.forms.length).toBe(expected.length);
      const diffs = result.forms.flatMap((form, i) =>
        compareGolden(form, expected[i]!).map((d) => `form ${i + 1}: ${d}`),
      );
      expect(diffs).toEqual([]);
    });
  }

  it("the seed text dump reproduces the hand-checked seed forms exactly", async () => {
    const result = await extractFile(join(FIXTURES, "seed/forms-2018.txt"));
    const expected = [1, 2, 3, 4].map(
      (n) => JSON.parse(readFileSync(join(FIXTURES, `expected/seed/form-${n}.json`), "utf8")) as ExpectedForm,
    );
    expect(result.forms).toHaveLength(4);
    result.forms.forEach((form, i) => {
      expect(compareGolden(form, expected[i]!)).toEqual([]);
      // The dump's provenance is the dump itself: no page, no box.
      expect(Object.values(form.fields).every((f) => f.source === "dump" && f.page === null)).toBe(true);
    });
  });
});

describe("golden comparison can fail", () => {
  it("reports a changed amount, a lost flag and a moved field", async () => {
    const expected = JSON.parse(
      readFileSync(join(FIXTURES, "expected/f1-ballot-glyphs.json"), "utf8"),
    ) as ExpectedForm[];
    const result = await extractFile(join(FIXTURES, "pdf/f1-ballot-glyphs.pdf"));
    const form = structuredClone(result.forms[0]!);
    form.form.totalBudget = 4100001;
    form.flags = form.flags.slice(1);
    form.fields["form.overview"] = { ...form.fields["form.overview"]!, page: 2 };
    const diffs = compareGolden(form, expected[0]!);
    expect(diffs.some((d) => d.startsWith("form.totalBudget"))).toBe(true);
    expect(diffs.some((d) => d.startsWith("flags"))).toBe(true);
    expect(diffs.some((d) => d.includes("form.overview") && d.includes("page"))).toBe(true);
  });
});
