import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { FileSummary } from "../src/run/batch.js";
import { type Extraction, ExtractionSchema } from "../src/schema.js";
import { editDistance } from "../src/text/distance.js";
import { ROOT } from "./helpers/cli.js";
import { readFolderFiles } from "./helpers/extract.js";
import type { ExpectedForm } from "./helpers/golden.js";

/**
 * The scanned mof-project fixtures (fixtures/mof-scan, made by scripts/make-mof-scans.ts from the
 * text fixtures fixtures/mof) held to the text fixtures' goldens with issue 3's thresholds, as
 * test/ocr.test.ts holds the 2018 scans: money (in yuan) exact, the 项目属性 checkbox exact,
 * indicator rows and their 一级/二级 levels exact (across the page break), targets and their parses
 * exact, short texts exact, long text by character error rate at most 2% (edit distance over
 * expected length, whitespace ignored), and no wrong value without a flag on its field. These
 * numbers are the issue's; they are not to be loosened to pass.
 *
 * `it.fails` marks a threshold the scans do not meet today because of an OCR defect outside
 * template-driven recovery (named at each; measured in the session report): the assertion is the
 * threshold itself, and the test turns red the day the defect is fixed, to be made a plain `it`.
 */

interface MofIndicator {
  level1: string | null;
  level2: string | null;
  name: string | null;
  target: string | null;
  parsed: unknown;
}
interface MofForm {
  year: number | null;
  projectName: string | null;
  department: string | null;
  departmentCode: string | null;
  implementingUnit: string | null;
  projectAttribute: string[];
  projectPeriod: string | null;
  funds: { total: number | null; fiscal: number | null; other: number | null };
  annualGoal: string | null;
  indicators: MofIndicator[];
  remarks: string | null;
}

const SCAN_DIR = join(ROOT, "fixtures/mof-scan");
const scans = readdirSync(SCAN_DIR)
  .filter((f) => f.endsWith(".pdf"))
  .sort();
const MAX_CER = 0.02;
const SHORT_TEXT = [
  "projectName",
  "department",
  "departmentCode",
  "implementingUnit",
  "projectPeriod",
  "remarks",
] as const;

let forms = new Map<string, Extraction[]>();
let summaries = new Map<string, FileSummary>();

const expectedFor = (file: string) =>
  JSON.parse(
    readFileSync(join(ROOT, "fixtures/expected/mof-scan", file.replace(/\.pdf$/, ".json")), "utf8"),
  ) as ExpectedForm<MofForm>[];
const got = (file: string) => forms.get(file)![0]!;
const mof = (x: Extraction) => x.form as unknown as MofForm;
const want = (file: string) => expectedFor(file)[0]!;

/** Edit distance over expected length, whitespace ignored. */
function cer(have: string | null, expected: string | null): { errors: number; length: number } {
  const w = (expected ?? "").replace(/\s+/g, "");
  return { errors: editDistance((have ?? "").replace(/\s+/g, ""), w), length: [...w].length };
}

beforeAll(async () => {
  ({ forms, summaries } = await readFolderFiles(SCAN_DIR, scans));
}, 300_000);

describe("scanned mof-project fixtures: issue 3's thresholds against the mof goldens", () => {
  it("has the scans: 300 dpi gray with spans across a page break, a colour scan with a seal, 200 dpi", () => {
    expect(scans).toEqual(["ms1-gray300-break.pdf", "ms2-seal300.pdf", "ms3-gray200-flags.pdf"]);
    expect(want("ms1-gray300-break.pdf").source.pages).toEqual([1, 2]);
  });

  it("every scan is read without a file error: one schema-valid mof-project form, on the expected pages, from OCR", () => {
    for (const f of scans) {
      expect(summaries.get(f)?.errors, f).toEqual([]);
      const all = forms.get(f) ?? [];
      expect(all.length, f).toBe(expectedFor(f).length);
      const form = all[0]!;
      expect(ExtractionSchema.safeParse(form).success, f).toBe(true);
      expect(form.template, f).toBe("mof-project");
      expect(form.source.pages, f).toEqual(want(f).source.pages);
      expect(
        Object.values(form.fields).every((p) => p.source === "ocr"),
        f,
      ).toBe(true);
    }
  });

  it("money in yuan (年度资金总额, 财政拨款, 其他资金) and the year: exact", () => {
    for (const f of scans) {
      expect(mof(got(f)).funds, f).toEqual(want(f).form.funds);
      expect(mof(got(f)).year, f).toBe(want(f).form.year);
    }
  });

  it("every indicator row, its 一级 level, its name, its target and the target's parse: exact", () => {
    for (const f of scans) {
      const g = mof(got(f)).indicators;
      const w = want(f).form.indicators;
      expect(g.length, f).toBe(w.length);
      expect(
        g.map((i) => [i.level1, i.name, i.target, JSON.stringify(i.parsed)]),
        f,
      ).toEqual(w.map((i) => [i.level1, i.name, i.target, JSON.stringify(i.parsed)]));
    }
  });

  // 时效指标 is one character from the 2018 table header 绩效指标: it is known table text itself
  // (ocr/template-text.ts), or a right reading would be snapped to the header at confidence 1.
  it("every indicator's 二级 level: exact (continued across the page break)", () => {
    for (const f of scans)
      expect(
        mof(got(f)).indicators.map((i) => i.level2),
        f,
      ).toEqual(want(f).form.indicators.map((i) => i.level2));
  });

  // A √ printed in place of the box (`新增项目√ 延续项目□`) inks little of the box's room: OCR's
  // reading of the tick is what marks it (src/ocr/checkbox-cell.ts).
  it("项目属性 checkbox: exact", () => {
    for (const f of scans) expect(mof(got(f)).projectAttribute, f).toEqual(want(f).form.projectAttribute);
  });

  // The 项目期 label and its value share the 项目属性 row: only the first cell after the label is
  // the checkbox group's (src/ocr/scan-stages.ts).
  it("short texts (names, department and code, 实施单位, 项目期, 备注): exact", () => {
    for (const f of scans)
      for (const key of SHORT_TEXT) expect(mof(got(f))[key], `${f} ${key}`).toBe(want(f).form[key]);
  });

  // A mark after a digit is full-width only with an em of room (src/ocr/text.ts): `目标1：`.
  it("long text (年度总体目标): character error rate at most 2% on every scan", () => {
    for (const f of scans) {
      const { errors, length } = cer(mof(got(f)).annualGoal, want(f).form.annualGoal);
      expect(errors / length, `${f}: ${errors}/${length}`).toBeLessThanOrEqual(MAX_CER);
    }
  });

  it("the golden's flags survive the scan (funds that do not add up, a 二级 under the wrong 一级)", () => {
    const key = (x: { code: string; severity: string; field: string | null }) =>
      `${x.code} ${x.severity} ${x.field}`;
    for (const f of scans) {
      const have = new Set(got(f).flags.map(key));
      for (const flag of want(f).flags) expect(have.has(key(flag)), `${f}: ${key(flag)}`).toBe(true);
    }
    expect(want("ms3-gray200-flags.pdf").flags.length).toBeGreaterThan(0);
  });

  it("no wrong value goes unflagged: a misread value carries a review flag on its field", () => {
    for (const f of scans) {
      const form = got(f);
      const g = mof(form);
      const w = want(f).form;
      const flagged = new Set(form.flags.filter((x) => x.severity !== "info").map((x) => x.field));
      const check = (path: string, have: unknown, expected: unknown) => {
        if (JSON.stringify(have) !== JSON.stringify(expected))
          expect(flagged.has(path), `${f} ${path}: ${JSON.stringify(have)} is wrong and unflagged`).toBe(
            true,
          );
      };
      for (const key of SHORT_TEXT) check(`form.${key}`, g[key], w[key]);
      check("form.projectAttribute", g.projectAttribute, w.projectAttribute);
      check("form.annualGoal", g.annualGoal, w.annualGoal);
      for (const key of ["total", "fiscal", "other"] as const)
        check(`form.funds.${key}`, g.funds[key], w.funds[key]);
      w.indicators.forEach((ind, i) => {
        for (const key of ["level1", "level2", "name", "target"] as const)
          check(`form.indicators[${i}].${key}`, g.indicators[i]?.[key], ind[key]);
      });
    }
  });
});
