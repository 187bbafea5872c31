import { buildForm } from "./fields/build.js";
import { isTitle, matchLabel, recoverForm } from "./fields/recover.js";
import type { Block } from "./layout/model.js";
import type { Thresholds } from "./options.js";
import { type Extraction, ExtractionSchema } from "./schema.js";
import { SH_PERF_2018 } from "./templates/sh-perf-2018.js";
import { crossCheck } from "./validate/crosscheck.js";

const hasLabelledRow = (blocks: readonly Block[]) =>
  blocks.some((b) => b.kind === "row" && b.row.cells.some((c) => matchLabel(c) !== null));

/**
 * Splits a block stream at form titles as it arrives (a bundle holds many forms back to back), so
 * a long bundle never holds more than one form's blocks. Rows before any title form a form too.
 */
export class FormSplitter {
  private current: Block[] = [];

  constructor(private readonly emit: (blocks: Block[]) => void) {}

  push(blocks: readonly Block[]): void {
    for (const block of blocks) {
      if (block.kind === "line" && isTitle(block.line.text)) this.flush();
      this.current.push(block);
    }
  }

  flush(): void {
    if (hasLabelledRow(this.current)) this.emit(this.current);
    this.current = [];
  }
}

export function splitForms(blocks: readonly Block[]): Block[][] {
  const forms: Block[][] = [];
  const splitter = new FormSplitter((f) => forms.push(f));
  splitter.push(blocks);
  splitter.flush();
  return forms;
}

export interface SourceInfo {
  file: string;
  sha256: string;
}

/** One form's blocks -> the output contract, validated by the zod schema. */
export function formFromBlocks(
  blocks: readonly Block[],
  source: SourceInfo,
  formIndex: number,
  thresholds: Thresholds,
): Extraction {
  const raw = recoverForm(blocks);
  const built = buildForm(raw, thresholds);
  const extraction: Extraction = {
    schemaVersion: 1,
    template: "sh-perf-2018",
    source: { file: source.file, sha256: source.sha256, pages: raw.pages, formIndex },
    form: built.form,
    fields: built.fields,
    flags: [...built.flags, ...crossCheck(built.form, SH_PERF_2018)],
  };
  return ExtractionSchema.parse(extraction);
}
