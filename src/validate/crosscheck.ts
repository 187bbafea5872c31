import { type Flag, makeFlag } from "../flags.js";
import type { Form } from "../schema.js";

/** Cross-field checks over the normalized form: sums, totals, dates, checkbox counts. All collected. */
export function crossCheck(form: Form): Flag[] {
  const flags: Flag[] = [];
  const amounts = form.subProjects.map((s) => s.amount);
  if (form.currentYearBudget !== null && amounts.length > 0 && amounts.every((a) => a !== null)) {
    const sum = Math.round((amounts as number[]).reduce((a, b) => a + b, 0) * 100) / 100;
    if (sum !== form.currentYearBudget) {
      flags.push(
        makeFlag(
          "SUBPROJECT_SUM_MISMATCH",
          "form.subProjects",
          `sub-projects add up to ${sum}, currentYearBudget is ${form.currentYearBudget}`,
        ),
      );
    }
  }
  if (
    form.currentYearBudget !== null &&
    form.totalBudget !== null &&
    form.currentYearBudget > form.totalBudget
  ) {
    flags.push(
      makeFlag(
        "CURRENT_EXCEEDS_TOTAL",
        "form.currentYearBudget",
        `currentYearBudget ${form.currentYearBudget} exceeds totalBudget ${form.totalBudget}`,
      ),
    );
  }
  if (
    form.priorYearExecuted !== null &&
    form.priorYearBudget !== null &&
    form.priorYearExecuted > form.priorYearBudget
  ) {
    flags.push(
      makeFlag(
        "EXECUTED_EXCEEDS_PRIOR",
        "form.priorYearExecuted",
        `executed ${form.priorYearExecuted} exceeds prior-year budget ${form.priorYearBudget}`,
      ),
    );
  }
  if (form.startDate && form.endDate && form.endDate < form.startDate) {
    flags.push(
      makeFlag("DATE_ORDER", "form.endDate", `endDate ${form.endDate} is before startDate ${form.startDate}`),
    );
  }
  if (form.year !== null) {
    for (const key of ["startDate", "endDate"] as const) {
      const d = form[key];
      if (d && Number(d.slice(0, 4)) !== form.year) {
        flags.push(makeFlag("DATE_OUTSIDE_YEAR", `form.${key}`, `${key} ${d} is outside ${form.year}`));
      }
    }
  }
  for (const key of ["projectType", "fundUse"] as const) {
    if (form[key].length === 0)
      flags.push(makeFlag("CHECKBOX_NONE", `form.${key}`, `no option checked in ${key}`));
    if (form[key].length > 1) {
      flags.push(
        makeFlag("CHECKBOX_MULTIPLE", `form.${key}`, `${form[key].length} options checked in ${key}`),
      );
    }
  }
  return flags;
}
