import { crossCheck } from "./validate/crosscheck.js";
import { buildForm } from "./fields/build.js";
import { isTitle, recoverForm } from "./fields/recover.js";
import type { Block } from "./layout/model.js";
import { type Extraction, ExtractionSchema } from "./schema.js";
import { matchLabel } from "./fields/recover.js";

/** Splits a document's block stream at form titles: a bundle holds many forms back to back. */
export function splitForms(blocks: readonly Block[]): Block[][] {
  const forms: Block[][] = [];
  let current: Block[] | null = null;
  for (const block of blocks) {
    if (block.kind === "line" && isTitle(block.line.text)) {
      current = [];
      forms.push(current);
    }
    if (!current) {
      // Rows before any title (a file that starts mid-form) still form a form of their own.
      current = [];
      forms.push(current);
    }
    current.push(block);
  }
  return forms.filter((f) => f.some((b) => b.kind === "row" && b.row.cells.some((c) => matchLabel(c) !== null)));
}

export interface SourceInfo {
  file: string;
  sha256: string;
}

/** One form's blocks -> the output contract, validated by the zod schema. */
export function formFromBlocks(blocks: readonly Block[], source: SourceInfo, formIndex: number): Extraction {
  const raw = recoverForm(blocks);
  const built = buildForm(raw);
  const extraction: Extraction = {
    schemaVersion: 1,
    source: { file: source.file, sha256: source.sha256, pages: raw.pages, formIndex },
    form: built.form,
    fields: built.fields,
    flags: [...built.flags, ...crossCheck(built.form)],
  };
  return ExtractionSchema.parse(extraction);
}
