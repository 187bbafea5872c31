/**
 * One error class per failure kind, each with a stable `code` and `name`; docs/codes.md documents
 * each. `unrecoverable` inputs are not retried by the queue (BullMQ's UnrecoverableError there).
 */

export interface ErrorContext {
  file?: string;
  /** 1-based page number, when the failure belongs to one page. */
  page?: number;
}

export abstract class FormexError extends Error {
  abstract readonly code: string;
  /** True when retrying the same input cannot succeed. */
  readonly unrecoverable: boolean = true;
  readonly file: string | undefined;
  readonly page: number | undefined;

  constructor(message: string, ctx: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.file = ctx.file;
    this.page = ctx.page;
  }

  /** `file.pdf p.3: message` — the one-line form the CLI prints. */
  describe(): string {
    const where = [this.file, this.page !== undefined ? `p.${this.page}` : undefined]
      .filter(Boolean)
      .join(" ");
    return `${where ? `${where}: ` : ""}${this.message}`;
  }
}

export class NotAPdfError extends FormexError {
  override readonly name = "NotAPdfError";
  readonly code = "NOT_A_PDF";
}
export class EncryptedPdfError extends FormexError {
  override readonly name = "EncryptedPdfError";
  readonly code = "ENCRYPTED_PDF";
}
export class DamagedPdfError extends FormexError {
  override readonly name = "DamagedPdfError";
  readonly code = "DAMAGED_PDF";
}
/** An image file (PNG, JPEG) that is truncated or whose header makes no sense: refused before decoding. */
export class DamagedImageError extends FormexError {
  override readonly name = "DamagedImageError";
  readonly code = "DAMAGED_IMAGE";
}
export class EmptyDocumentError extends FormexError {
  override readonly name = "EmptyDocumentError";
  readonly code = "EMPTY_DOCUMENT";
}
export class NotAFormError extends FormexError {
  override readonly name = "NotAFormError";
  readonly code = "NOT_A_FORM";
}
export class UnsupportedInputError extends FormexError {
  override readonly name = "UnsupportedInputError";
  readonly code = "UNSUPPORTED_INPUT";
}
export class InputTooLargeError extends FormexError {
  override readonly name = "InputTooLargeError";
  readonly code = "INPUT_TOO_LARGE";
}
export class NeedsOcrError extends FormexError {
  override readonly name = "NeedsOcrError";
  readonly code = "NEEDS_OCR";
}
/** OCR of a scanned page failed (the engine could not start, or a page's pixels could not be read). */
export class OcrFailedError extends FormexError {
  override readonly name = "OcrFailedError";
  readonly code = "OCR_FAILED";
}
export class PageTimeoutError extends FormexError {
  override readonly name = "PageTimeoutError";
  readonly code = "PAGE_TIMEOUT";
}
/** A page whose rendering would exceed the pixel cap (a huge MediaBox): refused before any allocation. */
export class PageTooLargeError extends FormexError {
  override readonly name = "PageTooLargeError";
  readonly code = "PAGE_TOO_LARGE";
}
/** PostgreSQL is unreachable or closed the connection (a restart, an outage): a retry later succeeds. */
export class DatabaseUnavailableError extends FormexError {
  override readonly name = "DatabaseUnavailableError";
  readonly code = "DATABASE_UNAVAILABLE";
  override readonly unrecoverable: boolean = false;
}
/** Redis is unreachable, so a registered document could not be queued; it is queued again later. */
export class QueueUnavailableError extends FormexError {
  override readonly name = "QueueUnavailableError";
  readonly code = "QUEUE_UNAVAILABLE";
  override readonly unrecoverable: boolean = false;
}
export class FileReadError extends FormexError {
  override readonly name = "FileReadError";
  readonly code = "FILE_READ";
  override readonly unrecoverable: boolean = false;
}

/** Every error code, for the registry test and the CLI summary. */
export const ERROR_CODES = [
  "NOT_A_PDF",
  "ENCRYPTED_PDF",
  "DAMAGED_PDF",
  "DAMAGED_IMAGE",
  "EMPTY_DOCUMENT",
  "NOT_A_FORM",
  "UNSUPPORTED_INPUT",
  "INPUT_TOO_LARGE",
  "PAGE_TIMEOUT",
  "NEEDS_OCR",
  "OCR_FAILED",
  "PAGE_TOO_LARGE",
  "FILE_READ",
  "DATABASE_UNAVAILABLE",
  "QUEUE_UNAVAILABLE",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes a retry can fix (a file briefly unreadable, a crashed worker, an outage); every other code is final. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  "FILE_READ",
  "INTERNAL",
  "DATABASE_UNAVAILABLE",
  "QUEUE_UNAVAILABLE",
]);
export const isRetryable = (code: ErrorCode): boolean => RETRYABLE.has(code);

export function errorCode(err: unknown): ErrorCode {
  return err instanceof FormexError ? (err.code as ErrorCode) : "INTERNAL";
}

/** Codes the HTTP API answers with besides the error codes above (`{ code, message }` bodies). */
export const RESPONSE_CODES = [
  "UNAUTHORIZED",
  "BAD_HOST",
  "CROSS_ORIGIN",
  "NOT_FOUND",
  "BAD_REQUEST",
  "NO_FILE",
  "INVALID_EDIT",
  "STALE_EDIT",
] as const;
export type ResponseCode = (typeof RESPONSE_CODES)[number];
