import type { Logger } from "pino";
import { type FileError, InputError } from "../errors.js";
import type { ReviewPolicy } from "../flags.js";
import type { Thresholds } from "../options.js";
import type { Extraction } from "../schema.js";
import type { Db } from "../store/db.js";
import { type PageFrames, savePageFrames } from "../store/page-frames.js";
import { saveForms, setDocumentStatus } from "../store/repo.js";
import { TEMPLATES } from "../templates/registry.js";
import { FormAssembler } from "./assemble.js";
import type { PagePool } from "./pool.js";
import { type ChunkResult, inspectFile, readPagesInOrder } from "./stages.js";

/**
 * The one document pipeline. `readDocument` reads a file (sniff -> pages -> blocks -> forms),
 * `assembleDocument` turns page results into forms and the file's outcome, `storeOutcome` saves
 * it. The CLI batch, the in-process service, the BullMQ workers and the tests only schedule work
 * and save results through these, so every runner gives the same forms and the same errors.
 */

/** Limits a runner applies unless told otherwise (`formex extract` takes them as flags). */
export const DEFAULTS = { pageTimeoutMs: 20_000, maxBytes: 200 * 1024 * 1024, maxPages: 2000 } as const;

export type Outcome = "done" | "failed";

/** A document with a form in it is done, whatever else failed on the way; without one it failed. */
export const outcomeOf = (forms: number): Outcome => (forms > 0 ? "done" : "failed");

export interface DocumentOutcome {
  /** Null when the file could not be read far enough to hash it. */
  sha256: string | null;
  pages: number;
  forms: number;
  /** In page order: what inspecting the file found, each chunk's, then why no form came out. */
  errors: FileError[];
  status: Outcome;
  /** How each page read by OCR was made upright, by page: its review image is drawn by it. */
  frames: PageFrames;
}

/** Where a document's pages come from: page results in page order, or a text dump's file. */
export type PagesIn =
  | { kind: "paged"; chunks: AsyncIterable<ChunkResult> | Iterable<ChunkResult> }
  | { kind: "dump"; path: string };

/** Forms are handed over as each closes, so a long bundle never holds all of them. */
export type OnForm = (form: Extraction) => void | Promise<void>;

/**
 * Page results (or a dump) -> forms, each given to `onForm` as its title closes it, and the
 * errors and outcome the file ends with. `known`: errors found before reading (a truncated PDF).
 */
export async function assembleDocument(
  source: { file: string; sha256: string },
  thresholds: Thresholds,
  known: readonly FileError[],
  input: PagesIn,
  hooks: { onForm: OnForm; onChunk?: (chunk: ChunkResult) => void | Promise<void> },
): Promise<Omit<DocumentOutcome, "sha256" | "pages">> {
  const errors = [...known];
  const frames: PageFrames = [];
  const pending: Array<Promise<void>> = [];
  let forms = 0;
  const assembler = new FormAssembler(source, thresholds, TEMPLATES, (form) => {
    forms++;
    pending.push(Promise.resolve(hooks.onForm(form)));
  });
  if (input.kind === "paged") {
    for await (const chunk of input.chunks) {
      errors.push(...chunk.errors);
      for (const p of chunk.pages) if (p.frame) frames.push({ page: p.page, frame: p.frame });
      assembler.pushPages(chunk.pages);
      await hooks.onChunk?.(chunk);
    }
  } else await assembler.pushDump(input.path);
  errors.push(...assembler.finish(errors));
  await Promise.all(pending);
  return { forms, errors, status: outcomeOf(forms), frames };
}

export interface ReadOptions {
  limits: { maxBytes: number; maxPages: number };
  /** Pages per worker task: large PDFs are read by every worker at once, in chunks. */
  chunkPages: number;
  /** The file's hash when the caller has it (a stored document): not computed again. */
  sha256?: string;
  onForm: OnForm;
  /** After each chunk is assembled, with the file's page count, for progress. */
  onChunk?: (chunk: ChunkResult, pages: number) => void | Promise<void>;
  log?: Logger;
}

/** Reads one file on the page pool into forms; input that cannot be read is a failed outcome, not a throw. */
export async function readDocument(
  path: string,
  name: string,
  pool: PagePool,
  opts: ReadOptions,
): Promise<DocumentOutcome> {
  let inspected: Awaited<ReturnType<typeof inspectFile>>;
  try {
    inspected = await inspectFile(path, name, pool, opts.limits, opts.sha256);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const errors = [err.record()];
    return { sha256: opts.sha256 ?? null, pages: 0, forms: 0, errors, status: "failed", frames: [] };
  }
  const { sha256, pages } = inspected;
  const input: PagesIn =
    inspected.kind === "paged"
      ? { kind: "paged", chunks: readPagesInOrder(pool, path, name, pages, opts.chunkPages) }
      : { kind: "dump", path };
  const result = await assembleDocument({ file: name, sha256 }, pool.ocrSettings, inspected.errors, input, {
    onForm: opts.onForm,
    onChunk: async (chunk) => {
      for (const e of chunk.errors) opts.log?.warn({ page: e.page, code: e.code }, "page failed; reading on");
      await opts.onChunk?.(chunk, pages);
    },
  });
  return { sha256, pages, ...result };
}

/**
 * Saves a read document's forms (judged for review by `policy`) and its pages' frames, then its
 * outcome: done or failed, its errors, every page read.
 */
export async function storeOutcome(
  db: Db,
  document: { id: number; sha256: string },
  forms: readonly Extraction[],
  outcome: Pick<DocumentOutcome, "errors" | "status" | "pages" | "frames">,
  policy: ReviewPolicy,
): Promise<void> {
  await saveForms(db, document.id, forms, policy);
  await savePageFrames(db, document.id, outcome.frames);
  await setDocumentStatus(db, document.sha256, {
    status: outcome.status,
    errors: outcome.errors,
    pagesDone: outcome.pages,
  });
}
