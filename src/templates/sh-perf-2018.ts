import type { FormTemplate } from "./template.js";

/**
 * 上海市财政支出项目绩效目标申报表 (2018), template `sh-perf-2018` (shared spec `form-2018.md`): the
 * one place its labels, options, required fields and cross-field rules are written.
 */

// Keys stay literal types, so the form's static type is derived from this value (FormOf).
const text = <K extends string>(key: K, label: string, long = true) => ({
  key,
  kind: { kind: "text" as const, long },
  printed: [label],
  review: label,
  required: true,
});
const yuan = <K extends string>(key: K, label: string, required = true) => ({
  key,
  kind: { kind: "money" as const, unit: "元" as const },
  printed: [label],
  review: label,
  required,
});
const date = <K extends string>(key: K, label: string) => ({
  key,
  kind: { kind: "date" as const },
  printed: [label],
  review: label,
  required: true,
});

export const INDICATOR_CATEGORIES = ["投入和管理目标", "产出目标", "效果目标", "影响力目标"] as const;

export const SH_PERF_2018 = {
  id: "sh-perf-2018",
  name: "2018",
  title: "上海市财政支出项目绩效目标申报表",
  titlePattern: /上海市财政支出项目绩效目标申报表/u,
  // Every form of this family is for one budget year, printed `(2018年)` under the title.
  year: 2018,
  fields: [
    { key: "year", kind: { kind: "year" }, printed: [], review: "年度", required: true },
    // Printed above the table in the seed; some producers put it in the table's first row.
    {
      key: "applicant",
      kind: { kind: "text", long: false },
      printed: ["申报单位名称", "申报单位"],
      review: "申报单位名称",
      required: true,
      line: true,
    },
    text("projectName", "项目名称", false),
    {
      key: "projectType",
      kind: {
        kind: "checkbox",
        options: [
          "市委市政府已确定的新增项目",
          "结转项目",
          "其他一次性项目",
          "经常性专项业务费",
          "其他经常性项目",
        ],
      },
      printed: ["项目类型"],
      review: "项目类型",
      required: true,
    },
    {
      key: "fundUse",
      kind: {
        kind: "checkbox",
        options: [
          "基本建设工程类",
          "信息化建设类",
          "政策补贴类",
          "政府购买服务",
          "资产购置类",
          "其他事业专业类",
        ],
      },
      printed: ["资金用途"],
      review: "资金用途",
      required: true,
    },
    date("startDate", "开始时间"),
    date("endDate", "结束时间"),
    text("overview", "项目概况"),
    text("basis", "立项依据"),
    text("necessity", "项目设立的必要性"),
    text("safeguards", "保证项目实施的制度、措施"),
    yuan("totalBudget", "项目总预算（元）"),
    yuan("currentYearBudget", "项目当年预算（元）"),
    // A new project prints the prior-year cells empty.
    yuan("priorYearBudget", "同名项目上年预算额（元）", false),
    yuan("priorYearExecuted", "同名项目上年预算执行数（元）", false),
    {
      key: "subProjects",
      kind: {
        kind: "table",
        columns: [
          { key: "name", header: "子项目名称", column: { role: "text" }, required: true },
          {
            key: "amount",
            header: "预算金额（元）",
            column: { role: "money", unit: "元" },
            required: true,
          },
        ],
        noun: "sub-project",
      },
      printed: ["项目当年投入资金构成"],
      review: "项目当年投入资金构成",
      required: true,
    },
    text("implementationPlan", "项目实施计划"),
    text("overallGoal", "项目总目标"),
    text("annualGoal", "年度绩效目标"),
    {
      key: "indicators",
      kind: {
        kind: "table",
        columns: [
          {
            key: "category",
            header: "分解目标内容",
            column: { role: "level", values: INDICATOR_CATEGORIES },
          },
          { key: "name", header: "绩效指标", column: { role: "text" } },
          { key: "target", header: "指标目标值", column: { role: "target" }, required: true },
        ],
        noun: "indicator",
      },
      printed: ["分解目标"],
      review: "分解目标",
      required: true,
    },
    { ...text("remarks", "备注", false), required: false, emptyString: true },
  ],
  rules: [
    {
      rule: "sumOfColumn",
      code: "SUBPROJECT_SUM_MISMATCH",
      table: "subProjects",
      column: "amount",
      total: "currentYearBudget",
      what: "sub-projects",
    },
    {
      rule: "notAbove",
      code: "CURRENT_EXCEEDS_TOTAL",
      field: "currentYearBudget",
      limit: "totalBudget",
      message: "currentYearBudget {value} exceeds totalBudget {limit}",
    },
    {
      rule: "notAbove",
      code: "EXECUTED_EXCEEDS_PRIOR",
      field: "priorYearExecuted",
      limit: "priorYearBudget",
      message: "executed {value} exceeds prior-year budget {limit}",
    },
    { rule: "dateOrder", code: "DATE_ORDER", start: "startDate", end: "endDate" },
    { rule: "inYear", code: "DATE_OUTSIDE_YEAR", fields: ["startDate", "endDate"] },
  ],
  store: {
    applicant: "applicant",
    projectName: "projectName",
    totalBudget: "totalBudget",
    currentYearBudget: "currentYearBudget",
  },
} as const satisfies FormTemplate;
