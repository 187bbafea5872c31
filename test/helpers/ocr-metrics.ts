import { as2018, type Extraction, type Form } from "../../src/schema.js";
import { SH_PERF_2018 } from "../../src/templates/sh-perf-2018.js";
import { characterErrorRate, editDistance } from "../../src/text/distance.js";
import type { ExpectedForm } from "./golden.js";

/**
 * Accuracy of an OCR extraction against its expected form, on the measures issue 3 names:
 * checkbox groups, numbers and dates (money, dates, year, sub-project amounts), long-text
 * character error rate (edit distance over expected length, whitespace ignored), and rows.
 */

export interface OcrScore {
  checkboxes: { right: number; total: number };
  numbers: { right: number; total: number; wrong: string[] };
  longText: { errors: number; length: number; cer: number; worst: Array<{ field: string; cer: number }> };
  rows: { subProjects: [number, number]; indicators: [number, number] };
}

/** The long free texts the character error rate is measured on (the template's list). */
type TextKey = { [K in keyof Form]: Form[K] extends string | null ? K : never }[keyof Form];
export const LONG_TEXT = SH_PERF_2018.fields.flatMap((f) =>
  f.kind.kind === "text" && f.kind.long ? [f.key as TextKey] : [],
);
/** The form's dates and money cells (the year is scored with them). */
export const DATE_AND_MONEY_FIELDS = [
  "startDate",
  "endDate",
  "totalBudget",
  "currentYearBudget",
  "priorYearBudget",
  "priorYearExecuted",
] as const;

export function scoreOcr(got: Extraction, want: ExpectedForm): OcrScore {
  const g = as2018(got).form;
  const w = want.form;
  const checkboxes = { right: 0, total: 0 };
  for (const key of ["projectType", "fundUse"] as const) {
    checkboxes.total++;
    if (JSON.stringify(g[key]) === JSON.stringify(w[key])) checkboxes.right++;
  }
  const numbers = { right: 0, total: 0, wrong: [] as string[] };
  const compare = (name: string, a: unknown, b: unknown) => {
    numbers.total++;
    if (a === b) numbers.right++;
    else numbers.wrong.push(`${name}: got ${String(a)} want ${String(b)}`);
  };
  for (const key of ["year", ...DATE_AND_MONEY_FIELDS] as const) compare(key, g[key], w[key]);
  w.subProjects.forEach((sp, i) => {
    compare(`subProjects[${i}].amount`, g.subProjects[i]?.amount, sp.amount);
  });

  let errors = 0;
  let length = 0;
  const worst: Array<{ field: string; cer: number }> = [];
  for (const key of LONG_TEXT) {
    const want = (w[key] ?? "").replace(/\s+/g, "");
    const have = (g[key] ?? "").replace(/\s+/g, "");
    errors += editDistance(have, want);
    length += [...want].length;
    worst.push({ field: key, cer: characterErrorRate(have, want) });
  }
  worst.sort((a, b) => b.cer - a.cer);
  return {
    checkboxes,
    numbers,
    longText: { errors, length, cer: length === 0 ? 0 : errors / length, worst: worst.slice(0, 3) },
    rows: {
      subProjects: [g.subProjects.length, w.subProjects.length],
      indicators: [g.indicators.length, w.indicators.length],
    },
  };
}
