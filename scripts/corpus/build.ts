import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ExpectedForm, expectedFor } from "./expected.js";
import { type GeneratedForm, generateForm } from "./generate.js";
import type { CorpusFile } from "./plan.js";
import { formPages, type Printed, printExternal, printPdfLib } from "./producers.js";

/** One corpus file built: its forms, its bytes as printed, and the expected extraction of it. */

export const CORPUS_DIR = join(new URL("../..", import.meta.url).pathname, "fixtures/corpus");

export interface BuiltFile {
  file: CorpusFile;
  forms: GeneratedForm[];
  printed: Printed;
}

export function formsOf(f: CorpusFile): GeneratedForm[] {
  return f.forms.map((p, i) =>
    generateForm(p.seed, p.defects, f.bundle ? { id: f.bundle, index: i } : null, p.domain),
  );
}

/**
 * @param reuseExternal take a Chromium/LibreOffice file already in fixtures/corpus/pdf instead of
 *   printing it again (pdf-lib files are always rebuilt: they come out byte-identical).
 */
export async function buildFile(f: CorpusFile, reuseExternal: boolean): Promise<BuiltFile> {
  const forms = formsOf(f);
  const printedForms = forms.map((g) => g.printed);
  if (f.producer === "pdf-lib") {
    const printed = await printPdfLib(printedForms, f.style!, f.font!, `formex corpus ${f.id}`);
    return { file: f, forms, printed };
  }
  const path = join(CORPUS_DIR, "pdf", `${f.id}.pdf`);
  if (reuseExternal && existsSync(path)) {
    const bytes = new Uint8Array(readFileSync(path));
    return { file: f, forms, printed: { bytes, truths: null, pages: formPages(path, forms.length) } };
  }
  return { file: f, forms, printed: printExternal(printedForms, f.producer, f.html!) };
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The expected file of a built corpus file, or of a scan of it (`asPrinted`, another name and hash). */
export function expectedOf(b: BuiltFile, file: string, bytes: Uint8Array, asPrinted = false): ExpectedForm[] {
  const sha = sha256(bytes);
  return b.forms.map((g, i) =>
    expectedFor(g, b.printed.truths?.[i] ?? null, {
      file,
      sha256: sha,
      pages: b.printed.pages[i] ?? null,
      formIndex: i + 1,
      asPrinted,
    }),
  );
}
