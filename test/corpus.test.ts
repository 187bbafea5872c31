import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FormScore, type ScoredForm, scoreForm, totals } from "../scripts/accuracy/score.js";
import { type FileSummary, runBatch } from "../src/run/batch.js";
import { PagePool } from "../src/run/pool.js";
import type { Extraction } from "../src/schema.js";
import { ROOT } from "./helpers/cli.js";

/**
 * Issue 8's thresholds on a fixed sample of the generated corpus: one scanned form per scan
 * condition (fixtures/corpus/scan, made by `npm run corpus:scans -- --sample` from forms that are
 * not the seed's). The full corpus is `npm run bench:accuracy`. Thresholds are the issue's and
 * are not loosened to pass: checkboxes 100%; money, dates, year and applicant 100% at 200 dpi and
 * more (99% at 150 dpi); long-text CER ≤ 1%; rows F1 ≥ 98%; targets parsed ≥ 98%; no silent wrong
 * field; no false error flag. A phone photo may instead be refused page by page with a code.
 */

const SCAN_DIR = join(ROOT, "fixtures/corpus/scan");
const EXPECTED_DIR = join(ROOT, "fixtures/expected/corpus-scan");
const files = readdirSync(SCAN_DIR)
  .filter((f) => f.endsWith(".pdf"))
  .sort();
const conditionOf = (file: string) => file.replace(/-c\d+\.pdf$/, "");

let pool: PagePool;
const scores = new Map<string, FormScore[]>();
const summaries = new Map<string, FileSummary>();

beforeAll(async () => {
  pool = new PagePool(2, 20_000);
  const got = new Map<string, Extraction[]>();
  const results = await runBatch(
    files.map((f) => join(SCAN_DIR, f)),
    pool,
    {
      maxBytes: 200 * 1024 * 1024,
      maxPages: 100,
      chunkPages: 10,
      onForm: (form, path) => {
        got.set(path, [...(got.get(path) ?? []), form]);
      },
    },
  );
  for (const s of results) {
    const file = s.path.split("/").at(-1)!;
    summaries.set(file, s);
    const want = JSON.parse(
      readFileSync(join(EXPECTED_DIR, file.replace(/\.pdf$/, ".json")), "utf8"),
    ) as ScoredForm[];
    const forms = got.get(s.path) ?? [];
    scores.set(
      file,
      want.map((w, i) => scoreForm(forms[i] as ScoredForm | undefined, w, s.errors.length > 0)),
    );
  }
}, 900_000);

afterAll(async () => {
  await pool?.close();
});

const refused = (file: string) =>
  conditionOf(file) === "phone-photo" && (summaries.get(file)?.errors.some((e) => e.page !== null) ?? false);

describe("generated corpus sample: issue 8's thresholds per scan condition", () => {
  it("holds one scanned form of other applicants for every condition the issue names", () => {
    const conditions = new Set(files.map(conditionOf));
    for (const c of [
      "gray300",
      "gray200",
      "bw200",
      "gray150",
      "gray400",
      "colour-seal300",
      "pen-ticks300",
      "photocopy300",
      "fax200",
      "jpeg-low-skew3",
      "phone-photo",
    ])
      expect(conditions.has(c), c).toBe(true);
  });

  it("no field is wrong without a flag pointing at it (0 silent wrong)", () => {
    for (const f of files) {
      const silent = totals(scores.get(f)!).silentWrong.map(
        (x) => `${x.path}: ${JSON.stringify(x.got)} ≠ ${JSON.stringify(x.want)}`,
      );
      expect(silent, f).toEqual([]);
    }
  });

  it("no false error flags", () => {
    for (const f of files) if (!refused(f)) expect(totals(scores.get(f)!).falseErrors, f).toEqual([]);
  });

  it("checkboxes 100%; money, dates, year and applicant 100% (99% at 150 dpi)", () => {
    for (const f of files) {
      if (refused(f)) continue;
      const t = totals(scores.get(f)!);
      const k = (kind: string) => t.byKind[kind] ?? { right: 0, total: 0 };
      expect(k("checkbox").right, `${f} checkboxes`).toBe(k("checkbox").total);
      const fields = scores.get(f)!.flatMap((s) => s.fields);
      const values = fields.filter(
        (x) => ["money", "date", "year"].includes(x.kind) || x.path === "form.applicant",
      );
      const right = values.filter((x) => x.right).length;
      const floor = /150/.test(f) ? 0.99 : 1;
      expect(
        right / values.length,
        `${f}: ${values.filter((x) => !x.right).map((x) => x.path)}`,
      ).toBeGreaterThanOrEqual(floor);
    }
  });

  it("long-text CER ≤ 1%, rows F1 ≥ 98%, targets parsed ≥ 98%", () => {
    for (const f of files) {
      if (refused(f)) continue;
      const t = totals(scores.get(f)!);
      expect(t.cer, `${f} CER`).toBeLessThanOrEqual(0.01);
      expect(t.rowsF1, `${f} rows F1`).toBeGreaterThanOrEqual(0.98);
      expect(t.targetsParsed, `${f} targets parsed`).toBeGreaterThanOrEqual(0.98);
    }
  });

  it("a refused phone photo names each page it could not read, with a code", () => {
    for (const f of files.filter((x) => conditionOf(x) === "phone-photo")) {
      const s = summaries.get(f)!;
      if (!refused(f)) continue;
      for (const e of s.errors) expect(e.code, `${f} p.${e.page}`).toMatch(/^[A-Z_]+$/);
    }
  });
});
