import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Extraction } from "../src/schema.js";
import { extractBytes } from "./helpers/extract.js";

/** Every flag code, triggered by editing seed form 1 the way real submissions go wrong. */

const SEED = readFileSync(join(import.meta.dirname, "../fixtures/seed/forms-2018.txt"), "utf8");
const FORM1 = SEED.slice(0, SEED.indexOf("上海市财政支出项目绩效目标申报表", 10));

async function read(edit: (dump: string) => string): Promise<Extraction> {
  const text = edit(FORM1);
  const { forms } = await extractBytes(new TextEncoder().encode(text), "edited.txt");
  expect(forms).toHaveLength(1);
  return forms[0]!;
}
const codes = (x: Extraction) => x.flags.map((f) => `${f.code}@${f.field ?? ""}`);

describe("flags", () => {
  it("the untouched form has only the truncation warnings the seed really has", async () => {
    const x = await read((d) => d);
    expect(new Set(x.flags.map((f) => f.code))).toEqual(new Set(["TRUNCATED_TEXT"]));
  });
  it("SUBPROJECT_SUM_MISMATCH", async () => {
    const x = await read((d) => d.replace("\t创新驱动助力工程\t200000", "\t创新驱动助力工程\t210000"));
    expect(codes(x)).toContain("SUBPROJECT_SUM_MISMATCH@form.subProjects");
  });
  it("CURRENT_EXCEEDS_TOTAL", async () => {
    const x = await read((d) => d.replace("项目总预算（元）\t4100000", "项目总预算（元）\t4000000"));
    expect(codes(x)).toContain("CURRENT_EXCEEDS_TOTAL@form.currentYearBudget");
  });
  it("EXECUTED_EXCEEDS_PRIOR", async () => {
    const x = await read((d) => d.replace("\t3431179", "\t3731179"));
    expect(codes(x)).toContain("EXECUTED_EXCEEDS_PRIOR@form.priorYearExecuted");
  });
  it("DATE_ORDER and DATE_OUTSIDE_YEAR", async () => {
    const x = await read((d) => d.replace("结束时间\t2018年12月31日", "结束时间\t2017年12月31日"));
    expect(codes(x)).toContain("DATE_ORDER@form.endDate");
    expect(codes(x)).toContain("DATE_OUTSIDE_YEAR@form.endDate");
  });
  it("CHECKBOX_NONE and CHECKBOX_MULTIPLE", async () => {
    const x = await read((d) =>
      d
        .replace(
          '其他一次性项目 <input checked="" type="checkbox"/>',
          '其他一次性项目 <input type="checkbox"/>',
        )
        .replace(
          '基本建设工程类 <input type="checkbox"/>',
          '基本建设工程类 <input checked="" type="checkbox"/>',
        ),
    );
    expect(x.form.projectType).toEqual([]);
    expect(x.form.fundUse).toEqual(["基本建设工程类", "其他事业专业类"]);
    expect(codes(x)).toContain("CHECKBOX_NONE@form.projectType");
    expect(codes(x)).toContain("CHECKBOX_MULTIPLE@form.fundUse");
  });
  it("MISSING_FIELD for an empty required cell, not for empty prior-year cells", async () => {
    const x = await read((d) =>
      d
        .replace("项目名称\t学会改革和发展", "项目名称\t")
        .replace("\t3600000\t", "\t\t")
        .replace("\t3431179", "\t"),
    );
    expect(x.form.projectName).toBeNull();
    expect(x.form.priorYearBudget).toBeNull();
    expect(codes(x)).toContain("MISSING_FIELD@form.projectName");
    expect(codes(x).filter((c) => c.includes("priorYear"))).toEqual([]);
  });
  it("UNPARSEABLE_VALUE for money and dates that are present but unreadable", async () => {
    const x = await read((d) =>
      d
        .replace("项目总预算（元）\t4100000", "项目总预算（元）\t四百一十万")
        .replace("2018年1月1日", "2018年13月1日"),
    );
    expect(x.form.totalBudget).toBeNull();
    expect(x.form.startDate).toBeNull();
    expect(codes(x)).toContain("UNPARSEABLE_VALUE@form.totalBudget");
    expect(codes(x)).toContain("UNPARSEABLE_VALUE@form.startDate");
  });
  it("TARGET_RANGE_INVALID", async () => {
    const x = await read((d) => d.replace("参与学会数\t80", "参与学会数\t≥90个&&≤80个"));
    expect(codes(x)).toContain("TARGET_RANGE_INVALID@form.indicators[2].target");
  });
  it("UNKNOWN_LABEL, and the rest of the form is still read", async () => {
    const x = await read((d) => d.replace("项目总目标\t", "项目远景\t"));
    expect(codes(x).some((c) => c.startsWith("UNKNOWN_LABEL"))).toBe(true);
    expect(codes(x)).toContain("MISSING_FIELD@form.overallGoal");
    expect(x.form.annualGoal).not.toBeNull();
  });
  it("TRUNCATED_TEXT only for text that stops mid-sentence", async () => {
    const x = await read((d) => d);
    const truncated = x.flags.filter((f) => f.code === "TRUNCATED_TEXT").map((f) => f.field);
    expect(truncated).toContain("form.overview");
    expect(truncated).not.toContain("form.overallGoal"); // ends with 。
    expect(truncated).not.toContain("form.indicators[1].target"); // ends with 。
  });
});
