import type { FormTemplate } from "./template.js";

/**
 * 项目支出绩效目标申报表, template `mof-project` (shared spec `form-mof-project.md`): the Ministry of
 * Finance's project-expenditure performance-target form (财预〔2015〕88号) and its provincial copies.
 * The one place its labels, options, output paths, standard levels and cross-field rules are written.
 */

// Both literal: the form's static type nests the value at its path (FormOf).
const wan = <K extends string, P extends string>(
  key: K,
  path: P,
  printed: readonly string[],
  required = true,
) => ({
  key,
  kind: { kind: "money" as const, unit: "万元" as const },
  printed,
  review: `${printed[0]}（万元）`,
  required,
  path,
});

/** The standard 二级指标 of each 一级指标. */
export const MOF_STANDARD_LEVELS = {
  产出指标: ["数量指标", "质量指标", "时效指标", "成本指标"],
  效益指标: ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"],
  满意度指标: ["服务对象满意度指标"],
} as const;

export const MOF_PROJECT = {
  id: "mof-project",
  name: "mof-project",
  title: "项目支出绩效目标申报表",
  titlePattern: /项目支出绩效目标申报表/u,
  // Each edition prints its own year, `（2018年度）` under the title.
  year: null,
  fields: [
    { key: "year", kind: { kind: "year" }, printed: [], review: "年度", required: true },
    {
      key: "projectName",
      kind: { kind: "text", long: false },
      printed: ["项目名称"],
      review: "项目名称",
      required: true,
    },
    {
      key: "department",
      kind: { kind: "text", long: false },
      printed: ["主管部门及代码", "主管部门"],
      review: "主管部门",
      required: true,
    },
    // Printed in brackets after the department's name, or in its own cell; some copies print none.
    {
      key: "departmentCode",
      kind: { kind: "code", of: "department" },
      printed: [],
      review: "主管部门代码",
      required: false,
    },
    {
      key: "implementingUnit",
      kind: { kind: "text", long: false },
      printed: ["实施单位"],
      review: "实施单位",
      required: true,
    },
    {
      key: "projectAttribute",
      kind: { kind: "checkbox", options: ["新增项目", "延续项目"] },
      printed: ["项目属性"],
      review: "项目属性",
      required: true,
    },
    {
      key: "projectPeriod",
      kind: { kind: "text", long: false },
      printed: ["项目期"],
      review: "项目期",
      required: false,
    },
    // Under the spanning label 项目资金（万元）: amounts in 万元, output in yuan.
    wan("fundsTotal", "funds.total", ["年度资金总额"]),
    wan("fundsFiscal", "funds.fiscal", ["其中：财政拨款", "财政拨款"]),
    wan("fundsOther", "funds.other", ["其他资金"], false),
    {
      key: "annualGoal",
      kind: { kind: "text", long: true },
      printed: ["年度总体目标"],
      review: "年度总体目标",
      required: true,
    },
    {
      key: "indicators",
      kind: {
        kind: "table",
        columns: [
          { key: "level1", header: "一级指标", column: { role: "level", values: null } },
          { key: "level2", header: "二级指标", column: { role: "level", values: null } },
          { key: "name", header: "三级指标", column: { role: "text" }, required: true },
          { key: "target", header: "指标值", column: { role: "target" }, required: true },
        ],
        noun: "indicator",
      },
      printed: ["绩效指标"],
      review: "绩效指标",
      required: true,
    },
    {
      key: "remarks",
      kind: { kind: "text", long: false },
      printed: ["备注", "其他说明的问题"],
      review: "备注",
      required: false,
      emptyString: true,
    },
  ],
  groups: ["项目资金（万元）", "项目资金"],
  rules: [
    { rule: "sumOfFields", parts: ["funds.fiscal", "funds.other"], total: "funds.total" },
    {
      rule: "levelsUnder",
      table: "indicators",
      parent: "level1",
      child: "level2",
      standard: MOF_STANDARD_LEVELS,
    },
  ],
  // The annual funds are the year's budget; the form prints no project total.
  store: {
    applicant: "implementingUnit",
    projectName: "projectName",
    totalBudget: null,
    currentYearBudget: "funds.total",
  },
} as const satisfies FormTemplate;
