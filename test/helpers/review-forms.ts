import { createHash } from "node:crypto";
import { join } from "node:path";
import type { FlagCode } from "../../src/codes.js";
import { makeFlag } from "../../src/flags.js";
import type { Extraction } from "../../src/schema.js";
import type { Context } from "../../src/service/context.js";
import { processDocument, submitFile } from "../../src/service/documents.js";
import { registerDocument, saveForms } from "../../src/store/repo.js";
import { ROOT } from "./cli.js";

/**
 * Many stored forms for queue tests, without reading many PDFs: one real form (f1, read once) is
 * the template; each seeded form is a copy with its own applicant, flags and lowest field
 * confidence, stored by the same saveForms the pipeline uses.
 */

export interface SeedForm {
  applicant: string | null;
  flags: FlagCode[];
  /** The lowest field confidence (one field gets it; the others 0.99). */
  low: number;
}

/** One real stored form to copy: f1-ballot-glyphs.pdf, read by the pipeline. */
export async function baseExtraction(ctx: Context): Promise<Extraction> {
  const s = await submitFile(ctx, join(ROOT, "fixtures/pdf/f1-ballot-glyphs.pdf"));
  const [form] = await processDocument(ctx, s.document.sha256);
  await ctx.db.query("DELETE FROM documents WHERE id = $1", [s.document.id]);
  if (!form) throw new Error("f1 gave no form");
  return form;
}

/** Stores `forms` as the forms of a document named `file`; returns their ids in order. */
export async function seedDocument(
  ctx: Context,
  base: Extraction,
  file: string,
  forms: readonly SeedForm[],
): Promise<number[]> {
  const sha256 = createHash("sha256").update(`${file}:${forms.length}:${Math.random()}`).digest("hex");
  const { document } = await registerDocument(ctx.db, { sha256, name: file, size: 1, pages: forms.length });
  const paths = Object.keys(base.fields);
  const extractions = forms.map((f, i): Extraction => {
    const fields = Object.fromEntries(
      paths.map((p, j) => [p, { ...base.fields[p]!, confidence: j === 0 ? f.low : 0.99 }]),
    );
    return {
      ...base,
      source: { ...base.source, file, sha256, pages: [i + 1], formIndex: i + 1 },
      form: { ...base.form, applicant: f.applicant },
      fields,
      flags: f.flags.map((c) => makeFlag(c, null, `seeded ${c}`)),
    };
  });
  await saveForms(ctx.db, Number(document.id), extractions, ctx.options.review);
  const { rows } = await ctx.db.query<{ id: number | string }>(
    "SELECT id FROM forms WHERE document_id = $1 ORDER BY form_index",
    [document.id],
  );
  return rows.map((r) => Number(r.id));
}
