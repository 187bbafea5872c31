/**
 * The 2018 form template: every label, option list and vocabulary the pipeline knows.
 * Field recovery matches against this; nothing else in the code spells a label.
 */

export type TextFieldKey =
  | "projectName"
  | "overview"
  | "basis"
  | "necessity"
  | "safeguards"
  | "implementationPlan"
  | "overallGoal"
  | "annualGoal"
  | "remarks";

export type MoneyFieldKey = "totalBudget" | "currentYearBudget" | "priorYearBudget" | "priorYearExecuted";
export type DateFieldKey = "startDate" | "endDate";
export type CheckboxFieldKey = "projectType" | "fundUse";

export type LabelKind =
  | { kind: "text"; field: TextFieldKey }
  | { kind: "money"; field: MoneyFieldKey }
  | { kind: "date"; field: DateFieldKey }
  | { kind: "checkbox"; field: CheckboxFieldKey }
  | { kind: "subProjects" }
  | { kind: "subProjectHeader" }
  | { kind: "indicators" }
  | { kind: "indicatorHeader" }
  | { kind: "category"; category: IndicatorCategory }
  | { kind: "applicant" };

export const INDICATOR_CATEGORIES = ["投入和管理目标", "产出目标", "效果目标", "影响力目标"] as const;
export type IndicatorCategory = (typeof INDICATOR_CATEGORIES)[number];

/** Row labels as printed; matching ignores width, spaces, line breaks and `(元)` vs `（元）`. */
export const LABELS: ReadonlyArray<{ label: string; def: LabelKind }> = [
  // Printed above the table in the seed; some producers put it in the table's first row.
  { label: "申报单位名称", def: { kind: "applicant" } },
  { label: "申报单位", def: { kind: "applicant" } },
  { label: "项目名称", def: { kind: "text", field: "projectName" } },
  { label: "项目类型", def: { kind: "checkbox", field: "projectType" } },
  { label: "资金用途", def: { kind: "checkbox", field: "fundUse" } },
  { label: "开始时间", def: { kind: "date", field: "startDate" } },
  { label: "结束时间", def: { kind: "date", field: "endDate" } },
  { label: "项目概况", def: { kind: "text", field: "overview" } },
  { label: "立项依据", def: { kind: "text", field: "basis" } },
  { label: "项目设立的必要性", def: { kind: "text", field: "necessity" } },
  { label: "保证项目实施的制度、措施", def: { kind: "text", field: "safeguards" } },
  { label: "项目总预算（元）", def: { kind: "money", field: "totalBudget" } },
  { label: "项目当年预算（元）", def: { kind: "money", field: "currentYearBudget" } },
  { label: "同名项目上年预算额（元）", def: { kind: "money", field: "priorYearBudget" } },
  { label: "同名项目上年预算执行数（元）", def: { kind: "money", field: "priorYearExecuted" } },
  { label: "项目当年投入资金构成", def: { kind: "subProjects" } },
  { label: "子项目名称", def: { kind: "subProjectHeader" } },
  { label: "项目实施计划", def: { kind: "text", field: "implementationPlan" } },
  { label: "项目总目标", def: { kind: "text", field: "overallGoal" } },
  { label: "年度绩效目标", def: { kind: "text", field: "annualGoal" } },
  { label: "分解目标", def: { kind: "indicators" } },
  { label: "分解目标内容", def: { kind: "indicatorHeader" } },
  ...INDICATOR_CATEGORIES.map((category) => ({
    label: category,
    def: { kind: "category", category } as const,
  })),
  { label: "备注", def: { kind: "text", field: "remarks" } },
];

/** Header cells of the two sub-tables: they are skipped, never read as data. */
export const SUBPROJECT_HEADER_CELLS = ["子项目名称", "预算金额（元）"];
export const INDICATOR_HEADER_CELLS = ["分解目标内容", "绩效指标", "指标目标值"];

export const CHECKBOX_OPTIONS: Record<CheckboxFieldKey, readonly string[]> = {
  projectType: [
    "市委市政府已确定的新增项目",
    "结转项目",
    "其他一次性项目",
    "经常性专项业务费",
    "其他经常性项目",
  ],
  fundUse: ["基本建设工程类", "信息化建设类", "政策补贴类", "政府购买服务", "资产购置类", "其他事业专业类"],
};

export const FORM_TITLE = "上海市财政支出项目绩效目标申报表";
export const APPLICANT_LABEL = "申报单位名称";
/** Every form of this family is for one budget year, printed `(2018年)` under the title. */
export const FORM_YEAR = 2018;

/** The free-text fields, in print order. */
export const TEXT_FIELDS: readonly TextFieldKey[] = [
  "projectName",
  "overview",
  "basis",
  "necessity",
  "safeguards",
  "implementationPlan",
  "overallGoal",
  "annualGoal",
  "remarks",
];
/** Fields whose cut-off ends matter: the long free texts (a project name is short by nature). */
export const LONG_TEXT_FIELDS: ReadonlySet<TextFieldKey> = new Set(
  TEXT_FIELDS.filter((f) => f !== "projectName" && f !== "remarks"),
);

/** Required fields: all but the prior-year cells (empty for a new project) and remarks. */
export const OPTIONAL_FIELDS = new Set(["priorYearBudget", "priorYearExecuted", "remarks"]);

/**
 * Measure words a target's number may carry, longest first so `人次` wins over `人`.
 * `万`/`亿` prefixes and a `次` suffix are composed in `parseTarget`.
 */
export const MEASURE_WORDS = [
  "平方米",
  "立方米",
  "公里",
  "千米",
  "公顷",
  "吨/日",
  "吨/年",
  "人/年",
  "小时",
  "分钟",
  "课时",
  "学时",
  "个月",
  "台套",
  "场次",
  "人次",
  "户次",
  "台次",
  "批次",
  "车次",
  "架次",
  "班次",
  "册次",
  "篇次",
  "期次",
  "家次",
  "%",
  "‰",
  "元",
  "人",
  "个",
  "家",
  "名",
  "所",
  "幢",
  "座",
  "台",
  "件",
  "处",
  "项",
  "起",
  "张",
  "种",
  "篇",
  "场",
  "天",
  "次",
  "期",
  "部",
  "册",
  "本",
  "套",
  "份",
  "条",
  "批",
  "户",
  "吨",
  "米",
  "亩",
  "辆",
  "年",
  "月",
  "日",
  "周",
  "季",
  "届",
  "门",
  "节",
  "位",
  "支",
  "株",
  "棵",
  "只",
  "头",
  "间",
  "床",
  "款",
  "集",
  "章",
  "页",
  "组",
  "队",
  "轮",
  "票",
  "单",
  "例",
  "类",
  "点",
  "道",
  "块",
  "字",
] as const;

/**
 * A cell is "cut off" when its text ends mid-sentence at (or near) the cell's capacity.
 * The seed's cut long texts run 124–215 characters and its cut targets 37–39; complete
 * ones end with `。` or are short phrases (`制度健全，执行力强`), hence these lengths.
 */
export const TRUNCATION = {
  /** A long-text cell this long that ends mid-sentence is treated as cut off. */
  minTextLength: 40,
  /** A target cell this long that ends mid-sentence is treated as cut off. */
  minTargetLength: 20,
  /** Characters that end a sentence or a complete item. */
  terminalChars: "。．.！!？?；;…）)》」』”’】〕",
} as const;
