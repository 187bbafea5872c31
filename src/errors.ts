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
  "EMPTY_DOCUMENT",
  "NOT_A_FORM",
  "UNSUPPORTED_INPUT",
  "INPUT_TOO_LARGE",
  "PAGE_TIMEOUT",
  "NEEDS_OCR",
  "OCR_FAILED",
  "FILE_READ",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes a retry can fix (a file briefly unreadable, a crashed worker); every other code is final. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set(["FILE_READ", "INTERNAL"]);
export const isRetryable = (code: ErrorCode): boolean => RETRYABLE.has(code);

export function errorCode(err: unknown): ErrorCode {
  return err instanceof FormexError ? (err.code as ErrorCode) : "INTERNAL";
}
