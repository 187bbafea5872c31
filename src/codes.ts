/**
 * The one registry of codes users see: flags on a form, errors on a file or page, and the API's
 * answers. Each says what it is about, how bad it is (severity or HTTP status), whether the queue
 * retries it, and its doc line; src/flags.ts, src/errors.ts and the server derive from it, and
 * test/registry.test.ts holds docs/codes.md to it both ways.
 */

export type Severity = "error" | "warning" | "info";

/**
 * What a code is about: `form` a value in a form (a flag), `input` a file that cannot be read,
 * `page` one page of it, `transient` an outage a retry outlives, `internal` a bug or crashed
 * worker, `request` an API request refused.
 */
export type CodeClass = "form" | "input" | "page" | "transient" | "internal" | "request";

interface FlagDef {
  class: "form";
  severity: Severity;
  doc: string;
}
interface ErrorDef {
  class: "input" | "page" | "transient" | "internal";
  /** The queue retries the job (with backoff) or ends it as BullMQ's UnrecoverableError. */
  retry: boolean;
  /** The status the API answers with when this code is why a request failed. */
  status: number;
  doc: string;
}
interface ResponseDef {
  class: "request";
  status: number;
  doc: string;
}

const flag = (severity: Severity, doc: string) => ({ class: "form", severity, doc }) as const;
const input = (doc: string, status = 422) => ({ class: "input", retry: false, status, doc }) as const;
const page = (doc: string, status = 422) => ({ class: "page", retry: false, status, doc }) as const;
const transient = (doc: string, status = 503) => ({ class: "transient", retry: true, status, doc }) as const;
const request = (status: number, doc: string) => ({ class: "request", status, doc }) as const;

export const FLAGS = {
  SUBPROJECT_SUM_MISMATCH: flag("error", "sub-project amounts do not add up to currentYearBudget"),
  CURRENT_EXCEEDS_TOTAL: flag("error", "currentYearBudget > totalBudget"),
  EXECUTED_EXCEEDS_PRIOR: flag("warning", "priorYearExecuted > priorYearBudget"),
  DATE_ORDER: flag("error", "endDate before startDate"),
  DATE_OUTSIDE_YEAR: flag("warning", "a date outside the declared year"),
  CHECKBOX_NONE: flag("error", "no option checked in projectType or fundUse"),
  CHECKBOX_MULTIPLE: flag("warning", "more than one option checked in a group"),
  TRUNCATED_TEXT: flag(
    "info",
    "a text or target cell was cut off and could not be recovered (the paper cut it: nothing for a reviewer to fix)",
  ),
  RECOVERED_CLIPPED_TEXT: flag("info", "text hidden by the cell's clip was recovered from the text layer"),
  MISSING_FIELD: flag(
    "error",
    "a required field is empty or was not found; an optional one whose row was not found; an indicator with no category",
  ),
  UNPARSEABLE_VALUE: flag("error", "a money, date or year value cannot be read as one"),
  LOW_CONFIDENCE: flag("warning", "OCR confidence under the configured threshold"),
  TARGET_RANGE_INVALID: flag("error", "a between target with min > max"),
  UNKNOWN_LABEL: flag("warning", "a row label that the template does not know"),
  FUNDS_SUM_MISMATCH: flag(
    "error",
    "the parts of a funds total do not add up to it (fiscal + other != total)",
  ),
  INDICATOR_LEVEL_INVALID: flag(
    "warning",
    "a sub-level printed under a level it is not one of the standard levels of",
  ),
} as const satisfies Record<string, FlagDef>;

export const ERRORS = {
  NOT_A_PDF: input("a .pdf file without a %PDF- header"),
  ENCRYPTED_PDF: input("the PDF needs a password"),
  DAMAGED_PDF: input("pdf.js cannot parse the file (truncated, broken xref)"),
  DAMAGED_IMAGE: input("a PNG, JPEG or TIFF file that is empty, truncated or has no size in its header"),
  EMPTY_DOCUMENT: input("the PDF has no pages, or nothing is drawn on any of them"),
  NOT_A_FORM: input("the file was read but holds no form formex knows"),
  UNSUPPORTED_INPUT: input("neither a PDF, a scan image nor a text dump"),
  INPUT_TOO_LARGE: input("over --max-mb bytes or --max-pages pages", 413),
  PAGE_TIMEOUT: page("a page overran its time budget; the other pages are still read"),
  NEEDS_OCR: page("a page has no usable text layer and OCR is switched off"),
  OCR_FAILED: page("OCR of a scanned page failed; the other pages are still read"),
  PAGE_TOO_LARGE: page("a page or image too large to render: refused before any memory is taken"),
  FILE_READ: transient("the file cannot be opened or read", 415),
  DATABASE_UNAVAILABLE: transient("PostgreSQL is down, restarting or unreachable"),
  QUEUE_UNAVAILABLE: transient("Redis is down, so a registered document could not be queued"),
  INTERNAL: { class: "internal", retry: true, status: 500, doc: "a bug or a crashed page worker" },
} as const satisfies Record<string, ErrorDef>;

export const RESPONSES = {
  UNAUTHORIZED: request(401, "a token is configured and the request has none or a wrong one"),
  BAD_HOST: request(403, "the Host header is not a name of the bound address"),
  CROSS_ORIGIN: request(403, "a POST from another site's page"),
  NOT_FOUND: request(404, "no such route, document, form or page"),
  BAD_REQUEST: request(400, "a request the server cannot parse"),
  NO_FILE: request(400, "an upload without the multipart field file"),
  INVALID_EDIT: request(400, "a correction the schema or plausibility checks refuse"),
  STALE_EDIT: request(409, "a correction or decision made on an outdated version of the form"),
} as const satisfies Record<string, ResponseDef>;

export type FlagCode = keyof typeof FLAGS;
export type ErrorCode = keyof typeof ERRORS;
export type ResponseCode = keyof typeof RESPONSES;
export type Code = FlagCode | ErrorCode | ResponseCode;

/** Every code, by name: the registry the docs test reads. */
export const CODES: Readonly<Record<Code, FlagDef | ErrorDef | ResponseDef>> = {
  ...FLAGS,
  ...ERRORS,
  ...RESPONSES,
};

/** A retry can fix it (a file briefly unreadable, a crashed worker, an outage); every other code is final. */
export const isRetryable = (code: ErrorCode): boolean => ERRORS[code].retry;

/** The HTTP status the API answers with for a code. */
export const httpStatus = (code: ErrorCode | ResponseCode): number =>
  code in RESPONSES ? RESPONSES[code as ResponseCode].status : ERRORS[code as ErrorCode].status;
