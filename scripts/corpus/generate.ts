import type { Option, PrintedForm, PrintedRow } from "../fixtures/printed.js";
import { CULTURE, EDUCATION, ENVIRONMENT, HEALTH_SCREENING, TRANSPORT } from "./bank-domains-a.js";
import { AGRICULTURE, CIVIL, ELDERLY, IT_SYSTEMS, SCIENCE, URBAN } from "./bank-domains-b.js";
import type { Domain } from "./bank-types.js";
import { makeIndicators } from "./indicators.js";
import { budget, executed, formatMoney, type MoneyFormat, split, yuan } from "./money.js";
import { Rand, seedOf } from "./prng.js";
import { cutInSource, type LongField, longText, remarks, type TextContext } from "./text.js";
import { type FormTruth, FUND_USES, PROJECT_TYPES, printDate } from "./truth.js";

/**
 * One generated form of the family: its truth (the `form` object of the expected file, before a
 * producer cuts any cell) and its printed content (what the renderers draw). Deterministic from
 * the id; `defects` plant the errors whose flags the corpus must carry.
 */

export const DOMAINS: Domain[] = [
  HEALTH_SCREENING,
  EDUCATION,
  TRANSPORT,
  ENVIRONMENT,
  CULTURE,
  AGRICULTURE,
  IT_SYSTEMS,
  ELDERLY,
  CIVIL,
  SCIENCE,
  URBAN,
];
const DISTRICTS = [
  "黄浦区",
  "徐汇区",
  "长宁区",
  "静安区",
  "普陀区",
  "虹口区",
  "杨浦区",
  "闵行区",
  "宝山区",
].concat(["嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区"]);
const STREETS = [
  "南京东路",
  "打浦桥",
  "湖南路",
  "江苏路",
  "曹家渡",
  "长寿路",
  "四川北路",
  "五角场",
  "江川路",
].concat(["古美", "吴淞", "菊园新区", "方松", "夏阳", "南桥", "城桥", "殷行", "天平路"]);
const EXTRA_SUBS = ["项目管理费", "宣传及培训", "专家评审及咨询", "第三方绩效评价", "办公耗材及印刷"];

export type Defect =
  | "sum-off"
  | "current-exceeds-total"
  | "executed-exceeds-prior"
  | "date-order"
  | "date-outside-year"
  | "checkbox-none"
  | "checkbox-multiple"
  | "missing-text"
  | "missing-target";

export interface GeneratedForm {
  id: string;
  domain: string;
  form: FormTruth;
  printed: PrintedForm;
  /** Notable features, for the corpus index. */
  features: string[];
  shapes: string[];
}

const LONG_FIELDS: Array<[LongField, string]> = [
  ["overview", "项目概况"],
  ["basis", "立项依据"],
  ["necessity", "项目设立的必要性"],
  ["safeguards", "保证项目实施的制度、措施"],
  ["implementationPlan", "项目实施计划"],
  ["overallGoal", "项目总目标"],
  ["annualGoal", "年度绩效目标"],
];

/**
 * @param bundle the forms of one bundle share their applicant (one department's submission) and
 *   each takes another of its domain's projects.
 */
export function generateForm(
  id: string,
  defects: readonly Defect[] = [],
  bundle: { id: string; index: number } | null = null,
  domainKey: string | null = null,
): GeneratedForm {
  const r = new Rand(seedOf("corpus-form", id));
  const features: string[] = [];
  const b = bundle ? new Rand(seedOf("corpus-bundle", bundle.id)) : r;
  const drawn = b.pick(DOMAINS);
  const domain = DOMAINS.find((d) => d.key === domainKey) ?? drawn;
  const district = b.pick(DISTRICTS);
  const applicant = b.pick(domain.applicants).replace("{区}", district).replace("{街道}", b.pick(STREETS));
  let projectName = bundle
    ? b.sample(domain.projects, domain.projects.length)[bundle.index % domain.projects.length]!
    : r.pick(domain.projects);
  if (r.chance(0.2)) projectName = `2018年度${projectName}`;
  else if (r.chance(0.12) && applicant.includes(district))
    projectName = `${district.replace(/区$/, "")}${projectName}`;

  const nSubs = r.weighted<number>([
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 4],
    [5, 3],
    [6, 2],
    [7, 1],
    [8, 1],
    [9, 1],
    [10, 1],
  ]);
  const pool = [...r.sample(domain.subProjects, domain.subProjects.length), ...EXTRA_SUBS];
  const subNames = pool.slice(0, nSubs).map((n) => (/[（(]/.test(n) ? n : n + subQualifier(r)));
  const ctx: TextContext = {
    r,
    app: applicant,
    proj: projectName,
    subj: domain.subject,
    work: domain.work,
    field: domain.field,
    subs: subNames,
  };

  // 项目类型 and 资金用途: one option each, from what fits the domain.
  const projectType = defects.includes("checkbox-none") ? [] : [r.pick(domain.projectTypes)];
  const fundUse = [r.pick(domain.fundUses)];
  if (defects.includes("checkbox-multiple")) {
    fundUse.push(r.pick(FUND_USES.filter((f) => f !== fundUse[0])));
    fundUse.sort((a, b) => FUND_USES.indexOf(a) - FUND_USES.indexOf(b));
  }

  // Dates: the budget year, sometimes part of it; defects put the end first or outside the year.
  let start = r.weighted<string>([
    ["2018-01-01", 8],
    ["2018-03-01", 1],
    ["2018-04-01", 1],
    ["2018-07-01", 1],
  ]);
  let end = r.weighted<string>([
    ["2018-12-31", 8],
    ["2018-11-30", 1],
    ["2018-10-31", 1],
    ["2018-06-30", 1],
  ]);
  if (end <= start) end = "2018-12-31";
  if (defects.includes("date-order")) [start, end] = ["2018-09-01", r.pick(["2018-06-30", "2018-03-31"])];
  if (defects.includes("date-outside-year")) {
    if (r.chance(0.5)) start = "2017-07-01";
    else end = "2019-06-30";
  }
  const dateStyle = r.weighted<number>([
    [0, 10],
    [1, 5],
    [2, 3],
    [3, 1],
    [4, 1],
  ]);

  // Money: sub-projects sum exactly to the current-year budget, unless planted otherwise.
  const precise = r.chance(0.3);
  const current = budget(r, precise);
  const parts = split(r, current, nSubs, precise);
  if (defects.includes("sum-off")) {
    const i = r.int(0, parts.length - 1);
    parts[i] = parts[i]! + (r.chance(0.5) || parts[i]! <= 20000 ? 10000 : -10000);
    features.push("sub-project sum off by 100元");
  }
  let total = r.chance(0.55) ? current : Math.round((current * r.range(1.2, 3)) / 1e6) * 1e6;
  if (defects.includes("current-exceeds-total"))
    total = Math.max(100000, Math.round((current * r.range(0.5, 0.9)) / 1e5) * 1e5);
  const newProject = !defects.includes("executed-exceeds-prior") && r.chance(0.22);
  let prior: number | null = null;
  let exec: number | null = null;
  if (!newProject) {
    prior = Math.round((current * r.range(0.7, 1.3)) / 1e6) * 1e6 || current;
    exec = executed(r, prior);
    if (defects.includes("executed-exceeds-prior")) exec = prior + r.int(1, 50) * 100000;
  } else features.push("prior-year cells empty");
  const moneyFormat = r.weighted<MoneyFormat>([
    ["plain", 6],
    ["decimal", 2],
    ["comma", 2],
    ["comma-decimal", 1],
    ["yuan", 1],
  ]);
  const subFormat = r.chance(0.7) ? moneyFormat : r.pick<MoneyFormat>(["plain", "decimal", "comma"]);
  if (precise) features.push("amounts with fen");
  features.push(`money ${moneyFormat}`);

  // Long texts: from short to several hundred characters; some already cut by the source system.
  const texts: Record<string, string | null> = {};
  for (const [field] of LONG_FIELDS) {
    const length = r.weighted<number>([
      [r.int(30, 80), 2],
      [r.int(80, 220), 4],
      [r.int(220, 700), 6],
    ]);
    let t =
      field === "annualGoal" && r.chance(0.12) ? texts.implementationPlan! : longText(ctx, field, length);
    if (r.chance(0.06)) {
      t = cutInSource(r, t);
      features.push(`${field} cut in source`);
    }
    texts[field] = t;
  }
  if (r.chance(0.12)) {
    for (const [field] of LONG_FIELDS)
      texts[field] = texts[field]!.replace(/，/g, (m) => (r.chance(0.3) ? "," : m));
    features.push("mixed ，/, in text");
  }
  const indicators = makeIndicators(r, domain, ctx);
  if (defects.includes("missing-text")) {
    const which = r.pick(["necessity", "overallGoal", "safeguards"]);
    texts[which] = null;
    features.push(`empty ${which}`);
  }
  if (defects.includes("missing-target")) {
    const i = r.int(0, indicators.length - 1);
    Object.assign(indicators[i]!, { target: "", parsed: null, shape: "empty" });
    features.push(`empty target of indicator ${i + 1}`);
  }
  const remark = remarks(ctx);
  const halfWidth = r.chance(0.3);
  if (halfWidth) features.push("half-width (元) and :");

  const form: FormTruth = {
    year: 2018,
    applicant,
    projectName,
    projectType,
    fundUse,
    startDate: start,
    endDate: end,
    overview: texts.overview ?? null,
    basis: texts.basis ?? null,
    necessity: texts.necessity ?? null,
    safeguards: texts.safeguards ?? null,
    totalBudget: yuan(total),
    currentYearBudget: yuan(current),
    priorYearBudget: prior === null ? null : yuan(prior),
    priorYearExecuted: exec === null ? null : yuan(exec),
    subProjects: subNames.map((name, i) => ({ name, amount: yuan(parts[i]!) })),
    implementationPlan: texts.implementationPlan ?? null,
    overallGoal: texts.overallGoal ?? null,
    annualGoal: texts.annualGoal ?? null,
    indicators: indicators.map(({ category, name, target, parsed }) => ({ category, name, target, parsed })),
    remarks: remark,
  };

  const label = (s: string) =>
    halfWidth ? s.replace(/（/g, "(").replace(/）/g, ")").replace(/：/g, ":") : s;
  const money = (fen: number | null, f: MoneyFormat) => (fen === null ? "" : formatMoney(fen, f));
  const options = (all: readonly string[], checked: string[]): Option[] =>
    all.map((o) => ({ label: o, checked: checked.includes(o) }));
  const typeOptions = options(PROJECT_TYPES, projectType);
  const rows: PrintedRow[] = [
    { kind: "text", label: "项目名称", field: "projectName", text: projectName },
    {
      kind: "checkbox",
      label: "项目类型",
      field: "projectType",
      lines: r.chance(0.7) ? [typeOptions.slice(0, 3), typeOptions.slice(3)] : [typeOptions],
    },
    { kind: "checkbox", label: "资金用途", field: "fundUse", lines: [options(FUND_USES, fundUse)] },
    {
      kind: "pair",
      labels: ["开始时间", "结束时间"],
      values: [printDate(start, dateStyle), printDate(end, dateStyle)],
      fields: ["startDate", "endDate"],
    },
    ...LONG_FIELDS.slice(0, 4).map(([field, l]) => ({
      kind: "text" as const,
      label: l,
      field,
      text: texts[field] ?? "",
    })),
    {
      kind: "pair",
      labels: [label("项目总预算（元）"), label("项目当年预算（元）")],
      values: [money(total, moneyFormat), money(current, moneyFormat)],
      fields: ["totalBudget", "currentYearBudget"],
    },
    {
      kind: "pair",
      labels: [label("同名项目上年预算额（元）"), label("同名项目上年预算执行数（元）")],
      values: [money(prior, moneyFormat), money(exec, moneyFormat)],
      fields: ["priorYearBudget", "priorYearExecuted"],
    },
    {
      kind: "subProjects",
      label: r.chance(0.6) ? "项目当年投入 资金构成" : "项目当年投入资金构成",
      header: ["子项目名称", label("预算金额（元）")],
      rows: subNames.map((n, i) => [n, formatMoney(parts[i]!, subFormat)]),
      breakBefore: [],
    },
    ...LONG_FIELDS.slice(4).map(([field, l]) => ({
      kind: "text" as const,
      label: l,
      field,
      text: texts[field] ?? "",
    })),
    { kind: "section", label: "分解目标" },
    { kind: "indicators", header: ["分解目标内容", "绩效指标", "指标目标值"], groups: groupsOf(indicators) },
    { kind: "text", label: "备注", field: "remarks", text: remark },
  ];
  const printed: PrintedForm = {
    title: "上海市财政支出项目绩效目标申报表",
    yearLine: r.chance(0.6) ? "(2018年)" : "（2018年）",
    applicantLine: `${label("申报单位名称：")}${applicant}`,
    rows,
  };
  features.push(`${nSubs} sub-projects`, `${indicators.length} indicators`);
  return { id, domain: domain.key, form, printed, features, shapes: indicators.map((i) => i.shape) };
}

/** What real sub-project names carry after the name: a phase, a scope, a long list that wraps. */
function subQualifier(r: Rand): string {
  return r.weighted<string>([
    ["", 30],
    [`（含${r.pick(["宣传培训", "专家评审", "第三方监理", "设备维护", "数据录入及质控"])}）`, 4],
    [r.pick(["(一期)", "(二期)", "(2018年度)", "(续建)"]), 3],
    ["（含前期调研、方案设计、组织实施、跟踪督导及验收评估等全过程服务）", 3],
  ]);
}

function groupsOf(indicators: ReadonlyArray<{ category: string; name: string; target: string }>) {
  const groups: Array<{ category: string; rows: Array<[string, string]>; breakBefore: number[] }> = [];
  for (const ind of indicators) {
    if (groups.at(-1)?.category !== ind.category)
      groups.push({ category: ind.category, rows: [], breakBefore: [] });
    groups.at(-1)!.rows.push([ind.name, ind.target]);
  }
  return groups;
}
