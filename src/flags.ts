import { FLAGS, type FlagCode, type Severity } from "./codes.js";

/**
 * Flags: problems found in a form's values, kept as data on the form. Their codes, severities and
 * doc lines are the registry's (src/codes.ts); this module makes them and says, by the review
 * policy, which send a form to review.
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

/**
 * The review policy: which flag codes send a form to review. One value, built at the entry point
 * (`--review-codes`, then FORMEX_REVIEW_CODES, then the default) and passed down; `needsReview` is
 * the one judgement `results --flagged`, the review queue, the API, the stored `needs_review` and
 * the export views all use. A code not in the policy (TRUNCATED_TEXT: the paper cut the text, a
 * reviewer cannot fix it) stays on the form for analysts and sends nothing to review.
 */

export interface ReviewPolicy {
  /** The codes that route a form to review, sorted (so two policies compare as JSON). */
  codes: readonly FlagCode[];
}

const ALL_CODES = Object.keys(FLAGS) as FlagCode[];
const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** The spec's default beyond every `error`: warnings a reviewer can act on. */
export const DEFAULT_REVIEW_WARNINGS: readonly FlagCode[] = [
  "LOW_CONFIDENCE",
  "CHECKBOX_MULTIPLE",
  "EXECUTED_EXCEEDS_PRIOR",
  "DATE_OUTSIDE_YEAR",
  "UNKNOWN_LABEL",
  "CROSS_CHECK_UNSURE",
];

const ofSeverity = (s: Severity) => ALL_CODES.filter((c) => FLAGS[c].severity === s);
const policyOf = (codes: Iterable<FlagCode>): ReviewPolicy => ({ codes: [...new Set(codes)].sort() });

/** Every `error` code of the registry, plus DEFAULT_REVIEW_WARNINGS. */
export const DEFAULT_REVIEW_POLICY: ReviewPolicy = policyOf([
  ...ofSeverity("error"),
  ...DEFAULT_REVIEW_WARNINGS,
]);

/**
 * Reads a policy from its text form: comma-separated words, applied in order, each `default`, a
 * severity (`error`, `warning`, `info`: every code of it), a code (`TRUNCATED_TEXT`) or `-CODE`
 * (not that one). `default,-UNKNOWN_LABEL`; `error,LOW_CONFIDENCE`. Throws on an unknown word.
 */
export function parseReviewPolicy(text: string): ReviewPolicy {
  const codes = new Set<FlagCode>();
  const words = text
    .split(",")
    .map((w) => w.trim())
    .filter(Boolean);
  if (words.length === 0) throw new Error("a review policy needs at least one word (default, error, a code)");
  for (const word of words) {
    const remove = word.startsWith("-");
    const name = remove ? word.slice(1) : word;
    const named: readonly FlagCode[] =
      name === "default"
        ? DEFAULT_REVIEW_POLICY.codes
        : SEVERITIES.includes(name as Severity)
          ? ofSeverity(name as Severity)
          : name in FLAGS
            ? [name as FlagCode]
            : [];
    if (named.length === 0)
      throw new Error(
        `unknown review policy word "${word}" (default, error, warning, info, a flag code, -CODE)`,
      );
    for (const c of named) remove ? codes.delete(c) : codes.add(c);
  }
  return policyOf(codes);
}

/** The flags that route a form to review under the policy, in the form's order. */
export function actionableFlags<F extends { code: string }>(flags: readonly F[], policy: ReviewPolicy): F[] {
  const codes = new Set<string>(policy.codes);
  return flags.filter((f) => codes.has(f.code));
}

/** A form goes to review when any of its flags' codes is in the policy. */
export function needsReview(flags: readonly { code: string }[], policy: ReviewPolicy): boolean {
  return actionableFlags(flags, policy).length > 0;
}
