import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseDump } from "../src/dump/parse.js";
import { formFromBlocks, splitForms } from "../src/forms.js";
import type { Block, Cell } from "../src/layout/model.js";
import { OCR_DEFAULTS } from "../src/ocr/settings.js";
import { DEFAULT_OPTIONS, loadOptions } from "../src/options.js";
import { TEMPLATES } from "../src/templates/registry.js";
import { SH_PERF_2018 } from "../src/templates/sh-perf-2018.js";

/** Options are explicit: built at the entry point and passed down, never read from the environment below it. */

const ROOT = join(import.meta.dirname, "..");
const SEED = readFileSync(join(ROOT, "fixtures/seed/forms-2018.txt"), "utf8");
const FORM1 = SEED.slice(0, SEED.indexOf("上海市财政支出项目绩效目标申报表", 10));

/** Seed form 1 as if OCR had read every cell at confidence 0.9. */
function ocrBlocks(): Block[] {
  const asOcr = (c: Cell): Cell => ({ ...c, source: "ocr", confidence: 0.9 });
  const [form] = splitForms(parseDump(FORM1), TEMPLATES);
  return form!.map((b) =>
    b.kind === "row" ? { ...b, row: { ...b.row, cells: b.row.cells.map(asOcr) } } : b,
  );
}

const source = { file: "seed.txt", sha256: "0".repeat(64) };
const lowConfidence = (blocks: Block[], t = DEFAULT_OPTIONS.ocr) =>
  formFromBlocks(blocks, SH_PERF_2018, source, 1, t)
    .flags.filter((f) => f.code === "LOW_CONFIDENCE")
    .map((f) => f.field);

const ENV_KEYS = ["FORMEX_MIN_CONFIDENCE", "FORMEX_MIN_TEXT_CONFIDENCE"] as const;
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe("options", () => {
  it("the same blocks give the same flags whatever process.env says", () => {
    const blocks = ocrBlocks();
    for (const k of ENV_KEYS) delete process.env[k];
    const plain = lowConfidence(blocks);
    // Defaults: 0.9 is over the 0.8 bar for values read twice, under the 0.99 bar for long texts.
    expect(plain).toContain("form.overview");
    expect(plain).not.toContain("form.totalBudget");
    process.env.FORMEX_MIN_CONFIDENCE = "0.95";
    process.env.FORMEX_MIN_TEXT_CONFIDENCE = "0.1";
    expect(lowConfidence(blocks)).toEqual(plain);
  });

  it("explicit thresholds are what change the flags", () => {
    const flagged = lowConfidence(ocrBlocks(), {
      ...DEFAULT_OPTIONS.ocr,
      minConfidence: 0.95,
      minTextConfidence: 0.1,
    });
    expect(flagged).toContain("form.totalBudget");
    expect(flagged).not.toContain("form.overview");
  });

  it("flags win over the environment, which wins over defaults", () => {
    const env = { FORMEX_MIN_CONFIDENCE: "0.6", FORMEX_OCR_ENGINE: "tesseract", FORMEX_LOG_LEVEL: "debug" };
    const fromEnv = loadOptions(env);
    expect(fromEnv.ocr).toMatchObject({
      minConfidence: 0.6,
      engine: "tesseract",
      minTextConfidence: OCR_DEFAULTS.minTextConfidence,
    });
    expect(fromEnv.logLevel).toBe("debug");
    const flagged = loadOptions(env, { ocr: { minConfidence: 0.7, engine: undefined }, logLevel: "info" });
    expect(flagged.ocr).toMatchObject({ minConfidence: 0.7, engine: "tesseract" });
    expect(flagged.logLevel).toBe("info");
    expect(loadOptions({ FORMEX_WORKER_HEAP_MB: "512" }).workerHeapMb).toBe(512);
    expect(DEFAULT_OPTIONS).toMatchObject({ workerHeapMb: 256, logLevel: "warn" });
  });

  it("nothing under src/ but the CLI entry points references process.env", () => {
    const files = readdirSync(join(ROOT, "src"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".ts"))
      .map((e) => relative(ROOT, join(e.parentPath, e.name)));
    expect(files.length).toBeGreaterThan(50);
    const entry = (f: string) => /^src\/(cli[^/]*|bin)\.ts$/.test(f);
    const readers = files.filter(
      (f) => !entry(f) && /process\s*\.\s*env|process\s*\[/.test(readFileSync(join(ROOT, f), "utf8")),
    );
    expect(readers).toEqual([]);
  });
});
