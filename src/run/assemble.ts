import { readFile } from "node:fs/promises";
import { parseDump } from "../dump/parse.js";
import type { FileError } from "../errors.js";
import { FormSplitter, formFromBlocks } from "../forms.js";
import type { Block } from "../layout/model.js";
import type { Thresholds } from "../options.js";
import type { Extraction } from "../schema.js";
import { detectTemplate, formTitle } from "../templates/detect.js";
import type { FormTemplate } from "../templates/template.js";
import type { PageResult } from "./protocol.js";

const pageOf = (blocks: readonly Block[]): number | null => {
  for (const b of blocks) {
    const page = b.kind === "line" ? b.line.page : b.row.page;
    if (page !== null) return page;
  }
  return null;
};

/** Assembles forms from page results (in page order) or a dump, emitting each as its title closes it. */
export class FormAssembler {
  private readonly splitter: FormSplitter;
  private formIndex = 0;
  blankPages = 0;
  readonly scannedPages: number[] = [];
  pagesSeen = 0;
  /** Forms of no registered template: refused, each named in the file's errors. */
  readonly refused: FileError[] = [];

  /**
   * `thresholds`: the run's OCR confidence bars (its pool's settings), never the environment's;
   * `templates`: the families a form may be read as, each form's picked by `detectTemplate`.
   */
  constructor(
    source: { file: string; sha256: string },
    thresholds: Thresholds,
    private readonly templates: readonly FormTemplate[],
    emit: (form: Extraction) => void,
  ) {
    this.splitter = new FormSplitter(templates, (blocks) => {
      const template = detectTemplate(blocks, templates);
      if (template) emit(formFromBlocks(blocks, template, source, ++this.formIndex, thresholds));
      else this.refuse(blocks);
    });
  }

  private refuse(blocks: readonly Block[]): void {
    const title = formTitle(blocks, this.templates)?.title;
    const known = this.templates.map((t) => t.id).join(", ");
    this.refused.push({
      code: "NOT_A_FORM",
      message: `${title ? `a form titled ${title}` : "a form with no title"} is of no registered template (${known}); it was not read`,
      page: pageOf(blocks),
    });
  }

  pushPages(pages: readonly PageResult[]): void {
    for (const p of pages) {
      this.pagesSeen++;
      if (p.blank) this.blankPages++;
      if (p.scanned) this.scannedPages.push(p.page);
      this.splitter.push(p.blocks);
    }
  }

  async pushDump(path: string): Promise<void> {
    this.splitter.push(parseDump(await readFile(path, "utf8")));
  }

  /**
   * Closes the last form. Returns the errors to add to those already recorded (`errors`): scanned
   * pages that need OCR, refused forms, and why no form came out of the file, unless an earlier error says so.
   */
  finish(errors: readonly FileError[]): FileError[] {
    this.splitter.flush();
    const out: FileError[] = [...this.refused];
    const scanned = this.scannedPages;
    if (scanned.length > 0) {
      const many = scanned.length > 1;
      out.push({
        code: "NEEDS_OCR",
        message: `page ${scanned.join(", ")} ${many ? "have" : "has"} no usable text layer and OCR is off (--no-ocr / FORMEX_OCR=off), so ${many ? "they were" : "it was"} not read`,
        page: scanned[0] ?? null,
      });
    }
    if (this.formIndex > 0) return out;
    if (this.pagesSeen > 0 && this.blankPages === this.pagesSeen) {
      return [
        ...out,
        { code: "EMPTY_DOCUMENT", message: "the PDF has no pages with anything drawn on them", page: null },
      ];
    }
    if (errors.length > 0 || out.length > 0) return out;
    return [{ code: "NOT_A_FORM", message: "no form of a registered template found", page: null }];
  }
}
