import { describe, expect, it } from "vitest";
import { buildForm } from "../src/fields/build.js";
import type { RawForm } from "../src/fields/raw.js";
import type { CheckMark, LineItem } from "../src/layout/model.js";
import { DEFAULT_OPTIONS } from "../src/options.js";
import { SH_PERF_2018 } from "../src/templates/sh-perf-2018.js";
import { crossCheck, unsurePaths } from "../src/validate/crosscheck.js";

/**
 * A checkbox group whose options were read but not one of whose boxes was found (a phone photo's,
 * a fax's) is unread: LOW_CONFIDENCE, and "no option checked" only a CROSS_CHECK_UNSURE. Boxes
 * found and none ticked is the applicant's omission: CHECKBOX_NONE, an error.
 */

const box = (checked: boolean): CheckMark => ({
  kind: "box",
  checked,
  bbox: null,
  source: "ocr",
  confidence: 0.9,
});
const text = (t: string): LineItem => ({ kind: "text", text: t });
const TYPES = ["市委市政府已确定的新增项目", "结转项目", "其他一次性项目"];

function flagsOf(items: LineItem[]) {
  const raw: RawForm = {
    values: {},
    checkboxes: { projectType: { items, cells: [] } },
    tables: {},
    flags: [],
    pages: [1],
    unplaced: [],
  };
  const built = buildForm(raw, DEFAULT_OPTIONS.ocr, SH_PERF_2018);
  const all = [...built.flags, ...crossCheck(built.form, SH_PERF_2018, unsurePaths(built.flags))];
  return all.filter((f) => f.field === "form.projectType").map((f) => `${f.code} ${f.severity}`);
}

describe("a checkbox group with no box found", () => {
  it("is flagged unread, and its empty choice is no error", () => {
    expect(flagsOf(TYPES.map(text))).toEqual(["LOW_CONFIDENCE warning", "CROSS_CHECK_UNSURE warning"]);
  });

  it("boxes found and none ticked stays CHECKBOX_NONE, an error", () => {
    expect(flagsOf(TYPES.flatMap((t) => [text(t), box(false)]))).toEqual(["CHECKBOX_NONE error"]);
    expect(flagsOf(TYPES.flatMap((t, i) => [text(t), box(i === 2)]))).toEqual([]);
  });
});
