import { looksCut, MIN_CUT_TARGET, MIN_CUT_TEXT } from "../fixtures/cut-text.js";
import type { FormTruth } from "./truth.js";

/**
 * The flags an extraction of a form must carry, computed from the truth by the spec's rules
 * (shared/spec/form-2018.md, flag table as amended: TRUNCATED_TEXT is info). Nothing here comes
 * from src/: the corpus measures that code.
 */

export interface ExpectedFlag {
  code: string;
  severity: "error" | "warning" | "info";
  field: string | null;
}

const SEVERITY: Record<string, ExpectedFlag["severity"]> = {
  SUBPROJECT_SUM_MISMATCH: "error",
  CURRENT_EXCEEDS_TOTAL: "error",
  EXECUTED_EXCEEDS_PRIOR: "warning",
  DATE_ORDER: "error",
  DATE_OUTSIDE_YEAR: "warning",
  CHECKBOX_NONE: "error",
  CHECKBOX_MULTIPLE: "warning",
  TRUNCATED_TEXT: "info",
  RECOVERED_CLIPPED_TEXT: "info",
  MISSING_FIELD: "error",
};

const LONG_TEXTS = [
  "overview",
  "basis",
  "necessity",
  "safeguards",
  "implementationPlan",
  "overallGoal",
  "annualGoal",
] as const;

/**
 * @param form the values the extraction should report (cut cells already their visible text)
 * @param recovered form paths whose clipped rest is in the text layer (RECOVERED_CLIPPED_TEXT)
 */
export function expectedFlags(form: FormTruth, recovered: readonly string[] = []): ExpectedFlag[] {
  const flags: ExpectedFlag[] = [];
  const add = (code: string, field: string | null) => flags.push({ code, severity: SEVERITY[code]!, field });

  if (!form.applicant) add("MISSING_FIELD", "form.applicant");
  if (!form.projectName) add("MISSING_FIELD", "form.projectName");
  for (const key of LONG_TEXTS) {
    const text = form[key];
    if (recovered.includes(`form.${key}`)) add("RECOVERED_CLIPPED_TEXT", `form.${key}`);
    if (!text) add("MISSING_FIELD", `form.${key}`);
    else if (looksCut(text, MIN_CUT_TEXT)) add("TRUNCATED_TEXT", `form.${key}`);
  }
  for (const key of ["totalBudget", "currentYearBudget"] as const)
    if (form[key] === null) add("MISSING_FIELD", `form.${key}`);
  for (const key of ["startDate", "endDate"] as const)
    if (form[key] === null) add("MISSING_FIELD", `form.${key}`);
  if (form.subProjects.length === 0) add("MISSING_FIELD", "form.subProjects");
  form.subProjects.forEach((s, i) => {
    if (s.name === "") add("MISSING_FIELD", `form.subProjects[${i}].name`);
    if (s.amount === null) add("MISSING_FIELD", `form.subProjects[${i}].amount`);
  });
  if (form.indicators.length === 0) add("MISSING_FIELD", "form.indicators");
  form.indicators.forEach((ind, i) => {
    if (ind.target === "") add("MISSING_FIELD", `form.indicators[${i}].target`);
    else if (looksCut(ind.target, MIN_CUT_TARGET)) add("TRUNCATED_TEXT", `form.indicators[${i}].target`);
  });

  // Cross-field checks.
  const amounts = form.subProjects.map((s) => s.amount);
  if (form.currentYearBudget !== null && amounts.length > 0 && amounts.every((a) => a !== null)) {
    const fen = (amounts as number[]).reduce((a, b) => a + Math.round(b * 100), 0);
    if (fen !== Math.round(form.currentYearBudget * 100)) add("SUBPROJECT_SUM_MISMATCH", "form.subProjects");
  }
  if (
    form.currentYearBudget !== null &&
    form.totalBudget !== null &&
    form.currentYearBudget > form.totalBudget
  )
    add("CURRENT_EXCEEDS_TOTAL", "form.currentYearBudget");
  if (
    form.priorYearExecuted !== null &&
    form.priorYearBudget !== null &&
    form.priorYearExecuted > form.priorYearBudget
  )
    add("EXECUTED_EXCEEDS_PRIOR", "form.priorYearExecuted");
  if (form.startDate && form.endDate && form.endDate < form.startDate) add("DATE_ORDER", "form.endDate");
  for (const key of ["startDate", "endDate"] as const) {
    const d = form[key];
    if (d && Number(d.slice(0, 4)) !== form.year) add("DATE_OUTSIDE_YEAR", `form.${key}`);
  }
  for (const key of ["projectType", "fundUse"] as const) {
    if (form[key].length === 0) add("CHECKBOX_NONE", `form.${key}`);
    if (form[key].length > 1) add("CHECKBOX_MULTIPLE", `form.${key}`);
  }
  return flags;
}
