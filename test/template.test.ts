import { describe, expect, it } from "vitest";
import { setAt } from "../src/review/corrections.js";
import type { Form } from "../src/schema.js";
import { MOF_PROJECT } from "../src/templates/mof-project.js";
import { SH_PERF_2018 } from "../src/templates/sh-perf-2018.js";
import { optionalFields, reviewLabels } from "../src/templates/template.js";
import { formSchemaOf } from "../src/templates/zod.js";
import { crossCheck } from "../src/validate/crosscheck.js";

describe("sh-perf-2018 as a template value", () => {
  it("its cross-field rules raise the flags and messages the hand-written checks did", () => {
    const form = {
      year: 2018,
      currentYearBudget: 500,
      totalBudget: 400,
      priorYearBudget: 100,
      priorYearExecuted: 120,
      subProjects: [{ amount: 100 }, { amount: 200.5 }],
      startDate: "2018-06-01",
      endDate: "2017-12-31",
      projectType: [],
      fundUse: ["a", "b"],
    };
    expect(crossCheck(form, SH_PERF_2018).map((f) => `${f.code} ${f.field} ${f.message}`)).toEqual([
      "SUBPROJECT_SUM_MISMATCH form.subProjects sub-projects add up to 300.5, currentYearBudget is 500",
      "CURRENT_EXCEEDS_TOTAL form.currentYearBudget currentYearBudget 500 exceeds totalBudget 400",
      "EXECUTED_EXCEEDS_PRIOR form.priorYearExecuted executed 120 exceeds prior-year budget 100",
      "DATE_ORDER form.endDate endDate 2017-12-31 is before startDate 2018-06-01",
      "DATE_OUTSIDE_YEAR form.endDate endDate 2017-12-31 is outside 2018",
      "CHECKBOX_NONE form.projectType no option checked in projectType",
      "CHECKBOX_MULTIPLE form.fundUse 2 options checked in fundUse",
    ]);
  });

  it("a check failing only with a value OCR is unsure of says so as a warning, not the document's error", () => {
    const form = {
      year: 2018,
      currentYearBudget: 27520000,
      totalBudget: 21520000,
      subProjects: [{ amount: 27520000 }],
      startDate: "2018-01-01",
      endDate: "2018-12-31",
      projectType: [],
      fundUse: ["a"],
    };
    const flags = crossCheck(form, SH_PERF_2018, new Set(["form.totalBudget", "form.projectType"]));
    expect(flags.map((f) => `${f.code} ${f.severity} ${f.field}`)).toEqual([
      "CROSS_CHECK_UNSURE warning form.currentYearBudget",
      "CROSS_CHECK_UNSURE warning form.projectType",
    ]);
    expect(flags[0]!.message).toBe(
      "CURRENT_EXCEEDS_TOTAL: currentYearBudget 27520000 exceeds totalBudget 21520000 (read with low confidence: form.totalBudget)",
    );
    // A value no check reads being unsure changes nothing; a sub-project's amount is read by the sum.
    expect(crossCheck(form, SH_PERF_2018, new Set(["form.year"])).map((f) => f.code)).toEqual([
      "CURRENT_EXCEEDS_TOTAL",
      "CHECKBOX_NONE",
    ]);
    const sum = crossCheck(
      { ...form, subProjects: [{ amount: 1 }] },
      SH_PERF_2018,
      new Set(["form.subProjects[0].amount"]),
    );
    expect(sum.map((f) => `${f.code} ${f.field}`)).toContain("CROSS_CHECK_UNSURE form.subProjects");
    // A doubt on the whole table (rows run together) covers the amounts the sum reads.
    const table = crossCheck(
      { ...form, subProjects: [{ amount: 1 }] },
      SH_PERF_2018,
      new Set(["form.subProjects"]),
    );
    expect(table.map((f) => `${f.code} ${f.field}`)).toContain("CROSS_CHECK_UNSURE form.subProjects");
  });

  it("names its optional fields and the review label of every field", () => {
    expect([...optionalFields(SH_PERF_2018)]).toEqual(["priorYearBudget", "priorYearExecuted", "remarks"]);
    const labels = reviewLabels(SH_PERF_2018);
    expect(labels.applicant).toBe("申报单位名称");
    expect(labels.totalBudget).toBe("项目总预算（元）");
    expect(Object.keys(labels)).toHaveLength(SH_PERF_2018.fields.length);
  });

  it("an edited target is parsed again, as the template's target column says", () => {
    const form = {
      indicators: [{ category: "产出目标", name: "参与学会数", target: "80", parsed: null }],
    } as unknown as Form;
    const next = setAt(form, "form.indicators[0].target", "≥3人&&≤5人", SH_PERF_2018);
    expect(next.indicators[0]!.parsed).toEqual({ op: "between", min: 3, max: 5, unit: "人" });
  });
});

describe("mof-project as a template value", () => {
  it("its rules: funds that do not add up, a 二级 not among its 一级's standard levels", () => {
    const form = {
      funds: { total: 600000, fiscal: 500000, other: null },
      indicators: [
        { level1: "产出指标", level2: "数量指标" },
        { level1: "效益指标", level2: "数量指标" },
        { level1: "自定指标", level2: "某指标" },
      ],
      projectAttribute: ["新增项目"],
    };
    expect(crossCheck(form, MOF_PROJECT).map((f) => `${f.code} ${f.severity} ${f.field}`)).toEqual([
      "FUNDS_SUM_MISMATCH error form.funds.total",
      "INDICATOR_LEVEL_INVALID warning form.indicators[1].level2",
      "INDICATOR_LEVEL_INVALID warning form.indicators[2].level2",
    ]);
    // An empty optional part counts 0.
    expect(
      crossCheck({ ...form, funds: { total: 500000, fiscal: 500000, other: null } }, MOF_PROJECT),
    ).toHaveLength(2);
  });

  it("names its optional fields as the spec does, and nests funds in the schema", () => {
    expect([...optionalFields(MOF_PROJECT)]).toEqual([
      "departmentCode",
      "projectPeriod",
      "fundsOther",
      "remarks",
    ]);
    const shape = formSchemaOf(MOF_PROJECT).shape as Record<string, unknown>;
    expect(Object.keys(shape)).toContain("funds");
    expect(Object.keys(shape)).not.toContain("fundsTotal");
  });
});
