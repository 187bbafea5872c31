import { cleanText } from "../fixtures/cut-text.js";
import type { Truth } from "../fixtures/layout.js";
import { type ExpectedFlag, expectedFlags } from "./flags.js";
import type { GeneratedForm } from "./generate.js";
import type { FormTruth } from "./truth.js";

/**
 * The expected extraction of one generated form as one producer printed it, in the format of
 * fixtures/expected/*.json (plus `template`): the truth with each cut cell's visible text, the
 * pages and cell boxes the layout drew (null when a browser or office suite laid the page out),
 * and the flags the spec's rules give.
 */

export interface ExpectedForm {
  schemaVersion: 1;
  template: "sh-perf-2018";
  source: { file: string; sha256: string; pages: number[] | null; formIndex: number };
  form: FormTruth;
  fields: Record<string, { page: number; bbox: number[] }> | null;
  flags: ExpectedFlag[];
  [extra: string]: unknown;
}

export interface Placement {
  file: string;
  sha256: string;
  pages: number[] | null;
  formIndex: number;
  /** What paper shows: text under a clip is not on it (the expected file of a scan). */
  asPrinted?: boolean;
}

export function expectedFor(g: GeneratedForm, truth: Truth | null, at: Placement): ExpectedForm {
  const form = structuredClone(g.form);
  const recovered: string[] = [];
  const fields: Record<string, { page: number; bbox: number[] }> = {};
  if (truth) {
    for (const [path, cut] of Object.entries(truth.cut)) {
      const key = path.replace(/^form\./, "") as keyof FormTruth;
      if (cut.mode === "drop" || at.asPrinted)
        (form as unknown as Record<string, unknown>)[key] = cleanText(cut.visible);
      else recovered.push(path);
    }
    for (const [path, f] of Object.entries(truth.fields))
      fields[path] = { page: f.page, bbox: f.bbox.map((v) => Math.round(v * 10) / 10) };
  }
  return {
    schemaVersion: 1,
    template: "sh-perf-2018",
    source: { file: at.file, sha256: at.sha256, pages: truth?.pages ?? at.pages, formIndex: at.formIndex },
    form,
    fields: truth ? fields : null,
    flags: expectedFlags(form, recovered),
  };
}
