import { buildForm } from "./fields/build.js";
import { labelIndex, matchLabel } from "./fields/labels.js";
import { recoverForm } from "./fields/recover.js";
import type { Block } from "./layout/model.js";
import type { Thresholds } from "./options.js";
import { type Extraction, ExtractionSchema } from "./schema.js";
import { matchTitle } from "./templates/detect.js";
import type { FormTemplate } from "./templates/template.js";
import { crossCheck, unsurePaths } from "./validate/crosscheck.js";

/** A row whose cell is a row label of one of the templates: the blocks hold a form, not notes. */
const hasLabelledRow = (blocks: readonly Block[], templates: readonly FormTemplate[]) => {
  const indexes = templates.map(labelIndex);
  return blocks.some(
    (b) => b.kind === "row" && b.row.cells.some((c) => indexes.some((i) => matchLabel(i, c) !== null)),
  );
};

/**
 * Splits a block stream at form titles as it arrives (a bundle holds many forms back to back), so
 * a long bundle never holds more than one form's blocks. Rows before any title form a form too.
 * A title of an unregistered family splits too, so its rows never join the form before it.
 */
export class FormSplitter {
  private current: Block[] = [];

  constructor(
    private readonly templates: readonly FormTemplate[],
    private readonly emit: (blocks: Block[]) => void,
  ) {}

  push(blocks: readonly Block[]): void {
    for (const block of blocks) {
      if (block.kind === "line" && matchTitle(block.line.text, this.templates)) this.flush();
      this.current.push(block);
    }
  }

  flush(): void {
    if (hasLabelledRow(this.current, this.templates)) this.emit(this.current);
    this.current = [];
  }
}

export function splitForms(blocks: readonly Block[], templates: readonly FormTemplate[]): Block[][] {
  const forms: Block[][] = [];
  const splitter = new FormSplitter(templates, (f) => forms.push(f));
  splitter.push(blocks);
  splitter.flush();
  return forms;
}

export interface SourceInfo {
  file: string;
  sha256: string;
}

/** One form's blocks, read as `template` (see detectTemplate) -> the output contract, validated by the zod schema. */
export function formFromBlocks(
  blocks: readonly Block[],
  template: FormTemplate,
  source: SourceInfo,
  formIndex: number,
  thresholds: Thresholds,
): Extraction {
  const raw = recoverForm(blocks, template);
  const built = buildForm(raw, thresholds, template);
  const extraction: Extraction = {
    schemaVersion: 1,
    template: template.id,
    source: { file: source.file, sha256: source.sha256, pages: raw.pages, formIndex },
    form: built.form,
    fields: built.fields,
    flags: [...built.flags, ...crossCheck(built.form, template, unsurePaths(built.flags))],
  };
  return ExtractionSchema.parse(extraction);
}
