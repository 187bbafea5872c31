import { z } from "zod";
import { FLAGS, type FlagCode } from "./codes.js";
import { TEMPLATES } from "./templates/registry.js";
import { SH_PERF_2018 } from "./templates/sh-perf-2018.js";
import { type FormOf, formSchemaOf, ParsedTargetSchema } from "./templates/zod.js";

/** The output contract, schemaVersion 1 (shared spec `form-2018.md`). */

/** The 2018 form's `form` object: derived from the template value, keys in print order. */
export const FormSchema = formSchemaOf(SH_PERF_2018);
export { ParsedTargetSchema };

/** bbox: PDF points, origin top-left of the page, [x0, y0, x1, y1]. */
export const BBoxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const ProvenanceSchema = z
  .object({
    page: z.number().int().positive().nullable(),
    bbox: BBoxSchema.nullable(),
    source: z.enum(["text", "ocr", "acroform", "dump"]),
    confidence: z.number().min(0).max(1),
  })
  .strict();

const flagCodes = Object.keys(FLAGS) as [FlagCode, ...FlagCode[]];
export const FlagSchema = z
  .object({
    code: z.enum(flagCodes),
    severity: z.enum(["error", "warning", "info"]),
    field: z.string().nullable(),
    message: z.string(),
  })
  .strict();

const EnvelopeSchema = z
  .object({
    schemaVersion: z.literal(1),
    // Rows stored before the key existed were all read as today's form.
    template: z.string().default(SH_PERF_2018.id),
    source: z
      .object({
        file: z.string(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        pages: z.array(z.number().int().positive()),
        formIndex: z.number().int().positive(),
      })
      .strict(),
    form: z.record(z.string(), z.unknown()),
    fields: z.record(z.string(), ProvenanceSchema),
    flags: z.array(FlagSchema),
  })
  .strict();

/** A form's values, as its template's schema (`formSchemaOf`) checked them. */
export type FormValues = Record<string, unknown>;

/**
 * One extracted form: the envelope, and its `form` checked against the schema of the template it
 * names (a registered one), keys in the template's order.
 */
export const ExtractionSchema = EnvelopeSchema.transform((x, ctx) => {
  const t = TEMPLATES.find((y) => y.id === x.template);
  if (!t) {
    ctx.addIssue({ code: "custom", path: ["template"], message: `unknown template ${x.template}` });
    return z.NEVER;
  }
  const r = formSchemaOf(t).safeParse(x.form);
  if (!r.success) {
    for (const issue of r.error.issues)
      ctx.addIssue({ code: "custom", path: ["form", ...issue.path], message: issue.message });
    return z.NEVER;
  }
  return { ...x, form: r.data as FormValues };
});

export type Form = FormOf<typeof SH_PERF_2018>;
export type Indicator = Form["indicators"][number];
export type SubProject = Form["subProjects"][number];
export type Provenance = z.infer<typeof ProvenanceSchema>;
export type Extraction = z.output<typeof ExtractionSchema>;
/** A form read as `sh-perf-2018`, typed by that template. */
export type Extraction2018 = Omit<Extraction, "form"> & { form: Form };
export type BBox = z.infer<typeof BBoxSchema>;

/** The extraction of a form read as `sh-perf-2018`, typed as such; throws for another family's. */
export function as2018(x: Extraction): Extraction2018 {
  if (x.template !== SH_PERF_2018.id)
    throw new Error(`${x.source.file} form ${x.source.formIndex} is ${x.template}`);
  return x as Extraction2018;
}
