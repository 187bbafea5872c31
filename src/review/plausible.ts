/**
 * What the schema lets through but no form can hold: a calendar date that does not exist
 * (`2018-02-30`, `2018-13-45`) and an amount no project has (negative, infinite, over a trillion
 * yuan, `1e308`). A reviewer's value for such a field is refused; the extractor never makes one.
 */

/** 一万亿元: more than Shanghai's whole annual budget, so no single project's. */
export const MAX_YUAN = 1e12;

const DATE_FIELD = /^form\.(startDate|endDate)$/;
const AMOUNT_FIELD =
  /^form\.(totalBudget|currentYearBudget|priorYearBudget|priorYearExecuted|subProjects\[\d+\]\.amount)$/;

function realDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Problems with a reviewer's value for `path`, in the reviewer's language. */
export function implausible(path: string, value: unknown): Array<{ path: string; message: string }> {
  if (value === null || value === undefined) return [];
  if (DATE_FIELD.test(path) && typeof value === "string" && !realDate(value))
    return [{ path, message: `日期不存在或格式不对：${value}（应为 YYYY-MM-DD 的真实日期）` }];
  if (AMOUNT_FIELD.test(path) && typeof value === "number" && !(value >= 0 && value <= MAX_YUAN))
    return [{ path, message: `金额不合理：${value}（应在 0 到 ${MAX_YUAN} 元之间）` }];
  return [];
}
