import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeFlag } from "../src/flags.js";
import { recomputeFlags, setAt } from "../src/review/corrections.js";
import { dismissKey } from "../src/review/history.js";
import { SH_PERF_2018 } from "../src/templates/sh-perf-2018.js";
import { extractFile } from "./helpers/extract.js";

const ROOT = join(import.meta.dirname, "..");

/**
 * A cross-check failing with a value OCR is unsure of: a warning while the value is in doubt, the
 * check's own error once a reviewer confirms the value (dismisses its LOW_CONFIDENCE) or types one.
 */
describe("CROSS_CHECK_UNSURE through review", () => {
  it("turns back into the check's error when the unsure value is confirmed or corrected", async () => {
    const [x] = (await extractFile(join(ROOT, "fixtures/pdf/f1-acroform.pdf"))).forms;
    const current = (x!.form as { currentYearBudget: number }).currentYearBudget;
    const misread = setAt(x!.form, "form.totalBudget", current - 1, SH_PERF_2018);
    const unsure = makeFlag("LOW_CONFIDENCE", "form.totalBudget", "confidence 0.3 < 0.8");
    const base = [...x!.flags, unsure];
    const codes = (flags: { code: string; severity: string }[]) =>
      flags
        .filter((f) => f.code === "CROSS_CHECK_UNSURE" || f.code === "CURRENT_EXCEEDS_TOTAL")
        .map((f) => `${f.code} ${f.severity}`);

    expect(codes(recomputeFlags(x!, misread, new Set(), base))).toEqual(["CROSS_CHECK_UNSURE warning"]);
    // The reviewer says the value is right as read: the document's own inconsistency is an error.
    const confirmed = recomputeFlags(x!, misread, new Set(), base, new Set([dismissKey(unsure)]));
    expect(codes(confirmed)).toEqual(["CURRENT_EXCEEDS_TOTAL error"]);
    // The reviewer types a value that still exceeds: the same.
    expect(codes(recomputeFlags(x!, misread, new Set(["form.totalBudget"]), base))).toEqual([
      "CURRENT_EXCEEDS_TOTAL error",
    ]);
    // The reviewer types the right value: nothing.
    const right = setAt(x!.form, "form.totalBudget", current, SH_PERF_2018);
    expect(codes(recomputeFlags(x!, right, new Set(["form.totalBudget"]), base))).toEqual([]);
  });
});
