import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { type FileSummary, runBatch } from "../../src/run/batch.js";
import { DEFAULTS } from "../../src/run/document.js";
import { PagePool } from "../../src/run/pool.js";
import type { Extraction } from "../../src/schema.js";

/**
 * Reads files exactly as `formex extract` does: runBatch on a page pool, through the one document
 * pipeline (src/run/document.ts), so golden tests check what users run. One pool per test file,
 * closed after it; a file that yields no form is a thrown error naming its codes.
 */

let pool: PagePool | null = null;
let scratch: string | null = null;

afterAll(async () => {
  await pool?.close();
  pool = null;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = null;
});

/** A file's summary (`formCount` forms), its sha256, and the forms themselves. */
export interface FileResult extends Omit<FileSummary, "forms" | "sha256"> {
  sha256: string;
  formCount: number;
  forms: Extraction[];
}

/** The file's outcome and its forms, in order; `forms.length` may be 0 (see `errors`). */
export async function readFile(path: string): Promise<FileResult> {
  pool ??= new PagePool(2, DEFAULTS.pageTimeoutMs);
  const forms: Extraction[] = [];
  const [summary] = await runBatch([path], pool, {
    maxBytes: DEFAULTS.maxBytes,
    maxPages: DEFAULTS.maxPages,
    chunkPages: 25,
    onForm: (form) => {
      forms.push(form);
    },
  });
  return { ...summary!, sha256: summary!.sha256 ?? "", formCount: summary!.forms, forms };
}

/** Like `readFile`, but a file without a form fails the test with its error codes. */
export async function extractFile(path: string): Promise<FileResult> {
  const result = await readFile(path);
  if (result.forms.length === 0)
    throw new Error(`${path}: no form (${result.errors.map((e) => `${e.code}: ${e.message}`).join("; ")})`);
  return result;
}

/** Bytes in memory, read as a file named `name` (its extension matters, as it does for users). */
export async function extractBytes(bytes: Uint8Array, name: string): Promise<FileResult> {
  scratch ??= mkdtempSync(join(tmpdir(), "formex-extract-"));
  // A folder per call, so the file keeps its name (forms carry it in source.file).
  const path = join(mkdtempSync(join(scratch, "f-")), name);
  writeFileSync(path, bytes);
  return extractFile(path);
}

/** Files of one folder read in one batch (spread over the pool's threads), by file name. */
export async function readFolderFiles(
  dir: string,
  files: readonly string[],
): Promise<{ forms: Map<string, Extraction[]>; summaries: Map<string, FileSummary> }> {
  pool ??= new PagePool(2, DEFAULTS.pageTimeoutMs);
  const forms = new Map<string, Extraction[]>();
  const summaries = new Map<string, FileSummary>();
  const results = await runBatch(
    files.map((f) => join(dir, f)),
    pool,
    {
      maxBytes: DEFAULTS.maxBytes,
      maxPages: DEFAULTS.maxPages,
      chunkPages: 10,
      onForm: (form, path) => {
        const name = path.split("/").at(-1)!;
        forms.set(name, [...(forms.get(name) ?? []), form]);
      },
    },
  );
  for (const s of results) summaries.set(s.path.split("/").at(-1)!, s);
  return { forms, summaries };
}
