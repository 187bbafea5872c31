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

/** The thresholds, each a check over one file's scores (an empty list: it holds). */
const CHECKS: Record<string, (file: string) => string[]> = {
  "0 silent wrong": (f) =>
    totals(scores.get(f)!).silentWrong.map(
      (x) => `${x.path}: ${JSON.stringify(x.got)} ≠ ${JSON.stringify(x.want)}`,
    ),
  "no false error flags": (f) => totals(scores.get(f)!).falseErrors,
  "checkboxes 100%": (f) => {
    const k = totals(scores.get(f)!).byKind.checkbox ?? { right: 0, total: 0 };
    return k.right === k.total ? [] : [`${k.right}/${k.total} boxes right`];
  },
  "money, dates, year, applicant 100% (99% at 150 dpi)": (f) => {
    const values = scores
      .get(f)!
      .flatMap((s) => s.fields)
      .filter((x) => ["money", "date", "year"].includes(x.kind) || x.path === "form.applicant");
    const wrong = values.filter((x) => !x.right);
    const floor = /150/.test(f) ? 0.99 : 1;
    return 1 - wrong.length / Math.max(1, values.length) >= floor ? [] : wrong.map((x) => x.path);
  },
  "long-text CER ≤ 1%": (f) => {
    const cer = totals(scores.get(f)!).cer;
    return cer <= 0.01 ? [] : [`CER ${(cer * 100).toFixed(2)}%`];
  },
  "rows F1 ≥ 98%": (f) => {
    const f1 = totals(scores.get(f)!).rowsF1;
    return f1 >= 0.98 ? [] : [`rows F1 ${(f1 * 100).toFixed(1)}%`];
  },
  "targets parsed ≥ 98%": (f) => {
    const t = totals(scores.get(f)!).targetsParsed;
    return t >= 0.98 ? [] : [`targets parsed ${(t * 100).toFixed(1)}%`];
  },
};

/**
 * Where the sample falls short of a threshold today, by condition (measured; BENCHMARKS.md and
 * issue 8's note give the figures). Each is an expected failure: the day it holds, its test
 * fails and the entry must go. Nothing here is a loosened threshold.
 */
const SHORT_OF: Record<string, readonly string[]> = {
  bw200: ["long-text CER ≤ 1%"],
  gray150: ["targets parsed ≥ 98%"],
  photocopy300: ["long-text CER ≤ 1%"],
  fax200: ["long-text CER ≤ 1%", "targets parsed ≥ 98%"],
};

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

  for (const file of files) {
    const short = SHORT_OF[conditionOf(file)] ?? [];
    for (const [name, check] of Object.entries(CHECKS)) {
      const held = () => {
        if (refused(file) && name !== "0 silent wrong") return;
        expect(check(file), `${file}: ${name}`).toEqual([]);
      };
      if (short.includes(name)) it.fails(`${file}: ${name} (short of it today)`, held);
      else it(`${file}: ${name}`, held);
    }
  }

  it("a refused phone photo names each page it could not read, with a code", () => {
    for (const f of files.filter((x) => conditionOf(x) === "phone-photo")) {
      const s = summaries.get(f)!;
      if (!refused(f)) continue;
      for (const e of s.errors) expect(e.code, `${f} p.${e.page}`).toMatch(/^[A-Z_]+$/);
    }
  });

  it("every shortfall named above is a condition of the sample and a threshold of the issue", () => {
    const conditions = new Set(files.map(conditionOf));
    for (const [c, names] of Object.entries(SHORT_OF)) {
      expect(conditions.has(c), c).toBe(true);
      for (const n of names) expect(Object.keys(CHECKS), `${c}: ${n}`).toContain(n);
    }
  });
});
