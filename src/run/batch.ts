import { readdir, stat } from "node:fs/promises";
import { basename, extname, join, relative } from "node:path";
import type { Logger } from "pino";
import type { FileError } from "../errors.js";
import type { Extraction } from "../schema.js";
import { type DocumentOutcome, readDocument } from "./document.js";
import type { PagePool } from "./pool.js";

export type { FileError };

/** Runs a batch of files: one bad file is an error record, never the end of the batch. */

/** A file's outcome, named by its path and by the name its forms carry in `source.file`. */
export interface FileSummary extends DocumentOutcome {
  path: string;
  name: string;
}

export interface BatchOptions {
  maxBytes: number;
  maxPages: number;
  /** Pages per worker task: large PDFs are read by every worker at once, in chunks. */
  chunkPages: number;
  onForm: (form: Extraction, path: string) => void | Promise<void>;
  onFile?: (summary: FileSummary) => void | Promise<void>;
  onPage?: (path: string, page: number, pages: number) => void;
  /** The name a file's forms carry in `source.file`, by path (default: the file's base name). */
  names?: ReadonlyMap<string, string>;
  log?: Logger;
}

/** A file to read and the name its forms carry: its path relative to the folder it was found under. */
export interface NamedInput {
  path: string;
  name: string;
}

const INPUT_EXTENSIONS = new Set([".pdf", ".txt", ".png", ".jpg", ".jpeg", ".tif", ".tiff"]);

/**
 * Files named on the command line, and the PDFs, scan images and dumps found under named folders,
 * sorted; a file found under a folder is named by its path relative to that folder
 * (`2018/a/form.pdf` under `2018` is `a/form.pdf`), a file named itself by its base name.
 */
export async function expandNamedInputs(inputs: readonly string[]): Promise<NamedInput[]> {
  const out: NamedInput[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (info?.isDirectory()) {
      const entries = await readdir(input, { recursive: true, withFileTypes: true });
      const files = entries
        .filter((e) => e.isFile() && INPUT_EXTENSIONS.has(extname(e.name).toLowerCase()))
        .map((e) => join(e.parentPath, e.name))
        .sort();
      out.push(...files.map((path) => ({ path, name: relative(input, path) })));
    } else out.push({ path: input, name: basename(input) });
  }
  return out;
}

/** The paths of `expandNamedInputs`. */
export async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  return (await expandNamedInputs(inputs)).map((f) => f.path);
}

/** One file through the pipeline (src/run/document.ts), as `formex extract` reads it. */
export async function extractOne(path: string, pool: PagePool, opts: BatchOptions): Promise<FileSummary> {
  let done = 0;
  const name = nameOf(path, opts);
  const outcome = await readDocument(path, name, pool, {
    limits: opts,
    chunkPages: opts.chunkPages,
    onForm: (form) => opts.onForm(form, path),
    onChunk: (chunk, pages) => {
      for (const _ of chunk.pages) opts.onPage?.(path, ++done, pages);
    },
    ...(opts.log ? { log: opts.log } : {}),
  });
  return { path, name, ...outcome };
}

const nameOf = (path: string, opts: BatchOptions) => opts.names?.get(path) ?? basename(path);

/** Runs files with `concurrency` in flight; summaries come back in input order. */
export async function runBatch(
  paths: readonly string[],
  pool: PagePool,
  opts: BatchOptions,
  concurrency = pool.size,
): Promise<FileSummary[]> {
  const summaries: FileSummary[] = new Array(paths.length);
  let next = 0;
  const lane = async () => {
    while (next < paths.length) {
      const i = next++;
      const path = paths[i]!;
      const log = opts.log?.child({ file: path });
      try {
        summaries[i] = await extractOne(path, pool, { ...opts, ...(log ? { log } : {}) });
      } catch (err) {
        summaries[i] = {
          path,
          name: nameOf(path, opts),
          sha256: null,
          pages: 0,
          forms: 0,
          errors: [{ code: "INTERNAL", message: (err as Error).message, page: null }],
          status: "failed",
          frames: [],
        };
      }
      log?.info({ forms: summaries[i]!.forms, errors: summaries[i]!.errors.length }, "file done");
      await opts.onFile?.(summaries[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return summaries;
}
