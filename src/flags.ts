import { FLAGS, type FlagCode, type Severity } from "./codes.js";

/**
 * Flags: problems found in a form's values, kept as data on the form. Their codes, severities and
 * doc lines are the registry's (src/codes.ts); this module makes and judges them.
 */

export type { FlagCode, Severity };

export interface Flag {
  code: FlagCode;
  severity: Severity;
  /** Form path (`form.overview`, `form.indicators[3].target`) or null for the whole form. */
  field: string | null;
  message: string;
}

/** A flag with the registry's severity for its code, so no caller can give it another. */
export function makeFlag(code: FlagCode, field: string | null, message: string): Flag {
  return { code, severity: FLAGS[code].severity, field, message };
}

/** The flags a reviewer must look at: errors and warnings; info (a recovered clip) is only noted. */
export function reviewFlags<F extends Pick<Flag, "severity">>(flags: readonly F[]): F[] {
  return flags.filter((f) => f.severity !== "info");
}

/** A form goes to review when any flag is an error or a warning; info does not. */
export function needsReview(flags: readonly Pick<Flag, "severity">[]): boolean {
  return reviewFlags(flags).length > 0;
}
