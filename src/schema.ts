import { z } from "zod";
import { FLAGS, type FlagCode } from "./codes.js";
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

export const ExtractionSchema = z
  .object({
    schemaVersion: z.literal(1),
    // Rows stored before the key existed were all read as today's form.
    template: z.literal("sh-perf-2018").default("sh-perf-2018"),
    source: z
      .object({
        file: z.string(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        pages: z.array(z.number().int().positive()),
        formIndex: z.number().int().positive(),
      })
      .strict(),
    form: FormSchema,
    fields: z.record(z.string(), ProvenanceSchema),
    flags: z.array(FlagSchema),
  })
  .strict();

export type Form = FormOf<typeof SH_PERF_2018>;
export type Indicator = Form["indicators"][number];
export type SubProject = Form["subProjects"][number];
export type Provenance = z.infer<typeof ProvenanceSchema>;
export type Extraction = z.infer<typeof ExtractionSchema>;
export type BBox = z.infer<typeof BBoxSchema>;
