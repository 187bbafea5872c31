import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FileSummary, runBatch } from "../src/run/batch.js";
import { PagePool } from "../src/run/pool.js";
import { type Extraction, ExtractionSchema } from "../src/schema.js";
import { ROOT } from "./helpers/cli.js";
import type { ExpectedForm } from "./helpers/golden.js";
import { scoreOcr } from "./helpers/ocr-metrics.js";

/**
 * Issue 3's acceptance thresholds on the scanned fixtures (fixtures/scan, made by
 * scripts/make-scans.ts from the text fixtures): checkbox states 100% right; money, dates and
 * year 100% at 300 dpi and at least 98% at 200 dpi 1-bit; long-text character error rate at most
 * 2% (edit distance over expected length, whitespace ignored); every sub-project and indicator
 * row recovered. These numbers are the issue's; they are not to be loosened to pass.
 */

const SCAN_DIR = join(ROOT, "fixtures/scan");
const scans = readdirSync(SCAN_DIR)
  .filter((f) => f.endsWith(".pdf"))
  .sort();
const DPI: Record<string, number> = {};
for (const f of scans) DPI[f] = /200/.test(f) ? 200 : 300;

const MAX_CER = 0.02;
const NUMBERS_AT_200_DPI = 0.98;

let pool: PagePool;
const forms = new Map<string, Extraction[]>();
const summaries = new Map<string, FileSummary>();

const expectedFor = (file: string) =>
  JSON.parse(
    readFileSync(join(ROOT, "fixtures/expected/scan", file.replace(/\.pdf$/, ".json")), "utf8"),
  ) as ExpectedForm[];

beforeAll(async () => {
  pool = new PagePool(2, 20_000);
  const results = await runBatch(
    scans.map((f) => join(SCAN_DIR, f)),
    pool,
    {
      maxBytes: 200 * 1024 * 1024,
      maxPages: 100,
      chunkPages: 10,
      onForm: (form, path) => {
        const name = path.split("/").at(-1)!;
        forms.set(name, [...(forms.get(name) ?? []), form]);
      },
    },
  );
  for (const s of results) summaries.set(s.path.split("/").at(-1)!, s);
}, 300_000);

afterAll(async () => {
  await pool?.close();
});

describe("scanned fixtures: issue 3's thresholds", () => {
  it("has the scanned variants the issue names (300 dpi gray, 200 dpi 1-bit, a turned page, a photocopy)", () => {
    expect(scans.length).toBeGreaterThanOrEqual(4);
    expect(scans.some((f) => DPI[f] === 200)).toBe(true);
  });

  it("every scan is read without a file error, one schema-valid form each, on the expected pages", () => {
    for (const f of scans) {
      expect(summaries.get(f)?.errors, f).toEqual([]);
      const got = forms.get(f) ?? [];
      const want = expectedFor(f);
      expect(got.length, f).toBe(want.length);
      got.forEach((form, i) => {
        expect(ExtractionSchema.safeParse(form).success, f).toBe(true);
        expect(form.source.pages, f).toEqual(want[i]!.source.pages);
        expect(
          Object.values(form.fields).every((p) => p.source === "ocr"),
          f,
        ).toBe(true);
      });
    }
  });

  it("checkbox states: 100% right", () => {
    for (const f of scans) {
      const s = scoreOcr(forms.get(f)![0]!, expectedFor(f)[0]!);
      expect(s.checkboxes.right, f).toBe(s.checkboxes.total);
    }
  });

  it("money, dates and year: 100% at 300 dpi, at least 98% at 200 dpi 1-bit", () => {
    let right200 = 0;
    let total200 = 0;
    for (const f of scans) {
      const s = scoreOcr(forms.get(f)![0]!, expectedFor(f)[0]!);
      if (DPI[f] === 300) expect(s.numbers.wrong, f).toEqual([]);
      else {
        right200 += s.numbers.right;
        total200 += s.numbers.total;
      }
    }
    expect(total200).toBeGreaterThan(0);
    expect(right200 / total200).toBeGreaterThanOrEqual(NUMBERS_AT_200_DPI);
  });

  it("long-text character error rate at most 2% on every scan", () => {
    const rates = scans.map(
      (f) => [f, scoreOcr(forms.get(f)![0]!, expectedFor(f)[0]!).longText.cer] as const,
    );
    for (const [f, cer] of rates)
      expect(cer, `${f}: CER ${(cer * 100).toFixed(2)}%`).toBeLessThanOrEqual(MAX_CER);
  });

  it("every sub-project and indicator row recovered, with its category", () => {
    for (const f of scans) {
      const got = forms.get(f)![0]!.form;
      const want = expectedFor(f)[0]!.form;
      expect(got.subProjects.length, f).toBe(want.subProjects.length);
      expect(
        got.indicators.map((i) => i.category),
        f,
      ).toEqual(want.indicators.map((i) => i.category));
    }
  });

  it("no wrong number goes unflagged: a misread amount or date carries a flag on its field", () => {
    for (const f of scans) {
      const form = forms.get(f)![0]!;
      const want = expectedFor(f)[0]!.form;
      const flagged = new Set(form.flags.filter((x) => x.severity !== "info").map((x) => x.field));
      const check = (path: string, got: unknown, expected: unknown) => {
        if (got !== expected)
          expect(flagged.has(path), `${f} ${path}: ${String(got)} is wrong and unflagged`).toBe(true);
      };
      for (const key of [
        "startDate",
        "endDate",
        "totalBudget",
        "currentYearBudget",
        "priorYearBudget",
        "priorYearExecuted",
      ] as const)
        check(`form.${key}`, form.form[key], want[key]);
      want.subProjects.forEach((sp, i) => {
        check(`form.subProjects[${i}].amount`, form.form.subProjects[i]?.amount, sp.amount);
      });
    }
  });

  it("field boxes land on the printed cells, on turned and skewed pages too (IoU >= 0.5)", () => {
    const iou = (a: readonly number[], b: readonly number[]) => {
      const ix = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
      const iy = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
      const area = (r: readonly number[]) => (r[2]! - r[0]!) * (r[3]! - r[1]!);
      return (ix * iy) / (area(a) + area(b) - ix * iy);
    };
    for (const f of scans) {
      const form = forms.get(f)![0]!;
      const want = expectedFor(f)[0]!.fields!;
      for (const path of [
        "form.projectName",
        "form.projectType",
        "form.totalBudget",
        "form.implementationPlan",
        "form.remarks",
      ]) {
        const w = want[path];
        const g = form.fields[path];
        if (!w?.bbox) continue;
        expect(g?.page, `${f} ${path}`).toBe(w.page);
        expect(
          iou(g!.bbox!, w.bbox),
          `${f} ${path} ${JSON.stringify(g?.bbox)} vs ${JSON.stringify(w.bbox)}`,
        ).toBeGreaterThanOrEqual(0.5);
      }
    }
  });
});
