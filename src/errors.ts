import { type ErrorCode, isRetryable, type ResponseCode } from "./codes.js";

/**
 * The one error model: a FormexError carries a registry code (src/codes.ts says its class, HTTP
 * status and retry policy), and `record()` is the `{ code, message, page }` every runner stores.
 * A subclass exists where code tells one failure apart by `instanceof`.
 */

export type { ErrorCode, ResponseCode };
export { isRetryable };

export interface ErrorContext {
  file?: string;
  /** 1-based page number, when the failure belongs to one page. */
  page?: number;
}

/** A file or page that could not be read, as runners record, store and print it. */
export interface FileError {
  code: ErrorCode;
  message: string;
  /** 1-based page the error belongs to, when it belongs to one. */
  page: number | null;
}

export abstract class FormexError extends Error {
  abstract readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly page: number | undefined;

  constructor(message: string, ctx: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.file = ctx.file;
    this.page = ctx.page;
  }

  /** The registry's retry policy for this code: retried with backoff, or final (UnrecoverableError). */
  get retryable(): boolean {
    return isRetryable(this.code);
  }

  /** `file.pdf p.3: message` — the one-line form the CLI prints. */
  describe(): string {
    const where = [this.file, this.page !== undefined ? `p.${this.page}` : undefined]
      .filter(Boolean)
      .join(" ");
    return `${where ? `${where}: ` : ""}${this.message}`;
  }

  record(): FileError {
    return { code: this.code, message: this.message, page: this.page ?? null };
  }
}

/** Input refused before or while it is read, with any code: the runners record it and go on. */
export class InputError extends FormexError {
  override readonly name = "InputError";
  readonly code: ErrorCode;
  constructor(error: FileError) {
    super(error.message, error.page === null ? {} : { page: error.page });
    this.code = error.code;
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
export class EmptyDocumentError extends FormexError {
  override readonly name = "EmptyDocumentError";
  readonly code = "EMPTY_DOCUMENT";
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
}
/** Redis is unreachable, so a registered document could not be queued; it is queued again later. */
export class QueueUnavailableError extends FormexError {
  override readonly name = "QueueUnavailableError";
  readonly code = "QUEUE_UNAVAILABLE";
}

export function errorCode(err: unknown): ErrorCode {
  return err instanceof FormexError ? err.code : "INTERNAL";
}
