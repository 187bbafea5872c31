import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { type FileError, InputError } from "../errors.js";
import { readDocument, storeOutcome } from "../run/document.js";
import { inspectFile, sha256File } from "../run/stages.js";
import type { Extraction } from "../schema.js";
import { localFile, putFile } from "../store/files.js";
import {
  type DocumentRow,
  getDocument,
  registerDocument,
  type SubmittedVia,
  setDocumentStatus,
} from "../store/repo.js";
import type { Context } from "./context.js";

/** Submitting and processing documents: shared by the CLI, the upload API and both runners. */

export interface Submitted {
  document: DocumentRow;
  /** False when this file (by content) was submitted before: nothing new is queued. */
  created: boolean;
  kind: "paged" | "dump" | null;
}

/**
 * A file name fit to store and show: no path, no control characters (a NUL cannot go into
 * PostgreSQL text, a newline would forge log and CLI lines), at most 200 characters.
 */
export function cleanName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? "";
  const clean = base
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
    .trim()
    .slice(0, 200);
  return clean === "" || clean === "." || clean === ".." ? "upload" : clean;
}

/**
 * Stores a file by content and registers it. Input that cannot be read is recorded on the
 * document as failed (it still gets a row, so a resubmission reports the same error).
 */
export async function submitFile(
  ctx: Context,
  path: string,
  givenName = basename(path),
  via: SubmittedVia = "ingest",
): Promise<Submitted> {
  const name = cleanName(givenName);
  const info = await stat(path).catch((err: Error) => {
    throw new InputError({ code: "FILE_READ", message: `cannot read: ${err.message}`, page: null });
  });
  const sha256 = await sha256File(path);
  let kind: "paged" | "dump" | null = null;
  let pages: number | null = null;
  let failure: FileError | null = null;
  let errors: FileError[] = [];
  try {
    const inspected = await inspectFile(path, name, ctx.pool, ctx.limits, sha256);
    kind = inspected.kind;
    pages = inspected.pages;
    errors = inspected.errors;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    failure = err.record();
  }
  const size = info.size;
  await putFile(ctx.db, ctx.config.dataDir, sha256, path);
  const { document, created } = await registerDocument(ctx.db, { sha256, name, size, pages, errors, via });
  if (created && failure) {
    await setDocumentStatus(ctx.db, sha256, { status: "failed", errors: [failure] });
    return { document: (await getDocument(ctx.db, sha256))!, created, kind: null };
  }
  return { document, created, kind };
}

/** Reads a stored document start to finish in this process and stores its forms. */
export async function processDocument(ctx: Context, sha256: string): Promise<Extraction[]> {
  const doc = await getDocument(ctx.db, sha256);
  if (!doc) throw new Error(`no document ${sha256}`);
  const log = ctx.log.child({ document: doc.id, file: doc.name });
  await setDocumentStatus(ctx.db, sha256, { status: "processing" });
  const path = await localFile(ctx.db, ctx.config.dataDir, sha256);
  const forms: Extraction[] = [];
  let done = 0;
  const outcome = await readDocument(path, doc.name, ctx.pool, {
    limits: ctx.limits,
    chunkPages: 10,
    sha256,
    onForm: (f) => {
      forms.push(f);
    },
    onChunk: async (chunk, pages) => {
      done += chunk.pages.length + chunk.errors.length;
      await setDocumentStatus(ctx.db, sha256, { pages, pagesDone: Math.min(done, pages) });
    },
  });
  await storeOutcome(ctx.db, doc, forms, outcome, ctx.options.review);
  log.info({ forms: forms.length, errors: outcome.errors.length }, "document processed");
  return forms;
}
