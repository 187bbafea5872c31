import type { Parsed } from "./targets.js";

/** The `form` object of an expected file (schemaVersion 1), and the printed spellings of its values. */

export interface FormTruth {
  year: number;
  applicant: string;
  projectName: string;
  projectType: string[];
  fundUse: string[];
  startDate: string | null;
  endDate: string | null;
  overview: string | null;
  basis: string | null;
  necessity: string | null;
  safeguards: string | null;
  totalBudget: number | null;
  currentYearBudget: number | null;
  priorYearBudget: number | null;
  priorYearExecuted: number | null;
  subProjects: Array<{ name: string; amount: number | null }>;
  implementationPlan: string | null;
  overallGoal: string | null;
  annualGoal: string | null;
  indicators: Array<{ category: string; name: string; target: string; parsed: Parsed }>;
  remarks: string;
}

export const PROJECT_TYPES: readonly string[] = [
  "市委市政府已确定的新增项目",
  "结转项目",
  "其他一次性项目",
  "经常性专项业务费",
  "其他经常性项目",
];
export const FUND_USES: readonly string[] = [
  "基本建设工程类",
  "信息化建设类",
  "政策补贴类",
  "政府购买服务",
  "资产购置类",
  "其他事业专业类",
];

/** An ISO date as printed: `2018年1月1日`, `2018-01-01`, `2018.1.1`, `2018/1/1`, `2018年01月01日`. */
export function printDate(iso: string, style: number): string {
  const [y, m, d] = iso.split("-") as [string, string, string];
  const [mi, di] = [Number(m), Number(d)];
  switch (style) {
    case 1:
      return iso;
    case 2:
      return `${y}.${mi}.${di}`;
    case 3:
      return `${y}/${mi}/${di}`;
    case 4:
      return `${y}年${m}月${d}日`;
    default:
      return `${y}年${mi}月${di}日`;
  }
}
