/**
 * What a domain of spending supplies to the generator. An indicator row is one string,
 * `name|kind|unit|lo|hi|before|after`:
 * - kind `rate`: a high percentage (完成率, 满意度); `lowrate`: a small one that must stay under a cap;
 *   `count`: a quantity of `unit` between lo and hi; `cap`: a quantity that must stay under a cap; `time`: a time limit in `unit`; `zero`: none
 *   allowed (`0次`); `money`: an amount in `unit` (万元, 万吨 …); `qual`: a qualitative target; `longqual`: a sentence-long one.
 * - before/after: context words printed before the number or after the unit (`重要活动30场次`,
 *   `20篇新闻宣传`); `以上`/`以内` after the unit is read as an operator, not context.
 */

export interface Domain {
  key: string;
  applicants: string[];
  projects: string[];
  subProjects: string[];
  /** Who the project serves, the verb of its work and its field, for the long texts. */
  subject: string;
  work: string;
  field: string;
  output: string[];
  effect: string[];
  /** 项目类型 and 资金用途 options that fit the domain (one is checked). */
  projectTypes: string[];
  fundUses: string[];
}

export interface IndicatorDef {
  name: string;
  kind: "rate" | "lowrate" | "count" | "cap" | "time" | "zero" | "money" | "qual" | "longqual";
  unit: string;
  lo: number;
  hi: number;
  before: string;
  after: string;
}

export function parseIndicatorDef(row: string): IndicatorDef {
  const [name = "", kind = "qual", unit = "", lo = "0", hi = "0", before = "", after = ""] = row.split("|");
  return { name, kind: kind as IndicatorDef["kind"], unit, lo: Number(lo), hi: Number(hi), before, after };
}
