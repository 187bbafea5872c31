/** The one registry of flag codes (spec: "Flag codes"); docs/codes.md documents each. */

export type Severity = "error" | "warning" | "info";

export const FLAG_CODES = {
  SUBPROJECT_SUM_MISMATCH: {
    severity: "error",
    when: "sub-project amounts do not add up to currentYearBudget",
  },
  CURRENT_EXCEEDS_TOTAL: { severity: "error", when: "currentYearBudget > totalBudget" },
  EXECUTED_EXCEEDS_PRIOR: { severity: "warning", when: "priorYearExecuted > priorYearBudget" },
  DATE_ORDER: { severity: "error", when: "endDate before startDate" },
  DATE_OUTSIDE_YEAR: { severity: "warning", when: "a date outside the declared year" },
  CHECKBOX_NONE: { severity: "error", when: "no option checked in projectType or fundUse" },
  CHECKBOX_MULTIPLE: { severity: "warning", when: "more than one option checked in a group" },
  TRUNCATED_TEXT: {
    severity: "warning",
    when: "a text or target cell was cut off and could not be recovered",
  },
  RECOVERED_CLIPPED_TEXT: {
    severity: "info",
    when: "text hidden by the cell's clip was recovered from the text layer",
  },
  MISSING_FIELD: { severity: "error", when: "a required field is empty or was not found" },
  UNPARSEABLE_VALUE: { severity: "error", when: "a money, date or year value cannot be read as one" },
  LOW_CONFIDENCE: { severity: "warning", when: "OCR confidence under the configured threshold" },
  TARGET_RANGE_INVALID: { severity: "error", when: "a between target with min > max" },
  UNKNOWN_LABEL: { severity: "warning", when: "a row label that the template does not know" },
} as const satisfies Record<string, { severity: Severity; when: string }>;

export type FlagCode = keyof typeof FLAG_CODES;

export interface Flag {
  code: FlagCode;
  severity: Severity;
  /** Form path (`form.overview`, `form.indicators[3].target`) or null for the whole form. */
  field: string | null;
  message: string;
}

export function makeFlag(code: FlagCode, field: string | null, message: string): Flag {
  return { code, severity: FLAG_CODES[code].severity, field, message };
}

/** A form goes to review when any flag is an error or a warning; info does not. */
export function needsReview(flags: readonly Flag[]): boolean {
  return flags.some((f) => f.severity !== "info");
}
