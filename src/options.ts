import { DEFAULT_REVIEW_POLICY, parseReviewPolicy, type ReviewPolicy } from "./flags.js";
import { type OcrSettings, ocrSettings } from "./ocr/settings.js";

/**
 * A run's options: built once at its entry point (src/cli*.ts, a test, a script) from flags, then
 * the environment, then defaults, and passed down. Nothing below the entry points reads
 * the process environment, so the same blocks give the same flags whatever the environment holds.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export interface Options {
  /** How scanned pages are read and which OCR confidences are flagged (FORMEX_OCR*, FORMEX_MIN_*). */
  ocr: OcrSettings;
  /** Old-generation heap per page worker, MiB (FORMEX_WORKER_HEAP_MB): a bounded heap collects as it goes. */
  workerHeapMb: number;
  /** pino level for the run's logger (FORMEX_LOG_LEVEL), `warn` by default. */
  logLevel: string;
  /** Which flag codes send a form to review (`--review-codes`, FORMEX_REVIEW_CODES; see src/flags.ts). */
  review: ReviewPolicy;
}

/** What flags can set: each wins over its environment variable. */
export interface OptionFlags {
  ocr?: Partial<OcrSettings>;
  logLevel?: string | undefined;
  /** The review policy's text form (`default,-UNKNOWN_LABEL`). */
  review?: string | undefined;
}

function reviewPolicy(text: string | undefined): ReviewPolicy {
  return text === undefined || text.trim() === "" ? DEFAULT_REVIEW_POLICY : parseReviewPolicy(text);
}

function heapMb(value: string | undefined): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) && n > 0 ? n : 256;
}

/**
 * Flags, then `env`, then defaults; the only place options are read from the environment.
 * Throws on a review policy it cannot read (the entry point reports it as a usage error).
 */
export function loadOptions(env: Env, flags: OptionFlags = {}): Options {
  const ocr = { ...ocrSettings(env) };
  for (const [key, value] of Object.entries(flags.ocr ?? {}))
    if (value !== undefined) Object.assign(ocr, { [key]: value });
  return {
    ocr,
    workerHeapMb: heapMb(env.FORMEX_WORKER_HEAP_MB),
    logLevel: flags.logLevel ?? (env.FORMEX_LOG_LEVEL || "warn"),
    review: reviewPolicy(flags.review ?? env.FORMEX_REVIEW_CODES),
  };
}

/** Defaults alone, for callers that were told nothing (tests, library use). */
export const DEFAULT_OPTIONS: Options = loadOptions({});

/** The confidence bars a form is flagged by: part of the OCR settings, needed where forms are built. */
export type Thresholds = Pick<OcrSettings, "minConfidence" | "minTextConfidence">;
