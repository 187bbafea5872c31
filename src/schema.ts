import { z } from "zod";
import { FLAGS, type FlagCode } from "./codes.js";
import { CHECKBOX_OPTIONS, INDICATOR_CATEGORIES } from "./templates/derive-2018.js";

/** The output contract, schemaVersion 1 (shared spec `form-2018.md`). */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const yuan = z.number().nonnegative();

export const ParsedTargetSchema = z.union([
  z
    .object({ op: z.enum(["=", ">=", "<=", ">", "<"]), value: z.number(), unit: z.string().nullable() })
    .strict(),
  z
    .object({ op: z.literal("between"), min: z.number(), max: z.number(), unit: z.string().nullable() })
    .strict(),
]);

export const IndicatorSchema = z
  .object({
    category: z.enum(INDICATOR_CATEGORIES).nullable(),
    name: z.string(),
    target: z.string(),
    parsed: ParsedTargetSchema.nullable(),
  })
  .strict();

export const SubProjectSchema = z.object({ name: z.string(), amount: yuan.nullable() }).strict();

export const FormSchema = z
  .object({
    year: z.number().int().nullable(),
    applicant: z.string().nullable(),
    projectName: z.string().nullable(),
    projectType: z.array(z.enum(CHECKBOX_OPTIONS.projectType as [string, ...string[]])),
    fundUse: z.array(z.enum(CHECKBOX_OPTIONS.fundUse as [string, ...string[]])),
    startDate: isoDate.nullable(),
    endDate: isoDate.nullable(),
    overview: z.string().nullable(),
    basis: z.string().nullable(),
    necessity: z.string().nullable(),
    safeguards: z.string().nullable(),
    totalBudget: yuan.nullable(),
    currentYearBudget: yuan.nullable(),
    priorYearBudget: yuan.nullable(),
    priorYearExecuted: yuan.nullable(),
    subProjects: z.array(SubProjectSchema),
    implementationPlan: z.string().nullable(),
    overallGoal: z.string().nullable(),
    annualGoal: z.string().nullable(),
    indicators: z.array(IndicatorSchema),
    remarks: z.string().nullable(),
  })
  .strict();

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

export type Form = z.infer<typeof FormSchema>;
export type Indicator = z.infer<typeof IndicatorSchema>;
export type SubProject = z.infer<typeof SubProjectSchema>;
export type Provenance = z.infer<typeof ProvenanceSchema>;
export type Extraction = z.infer<typeof ExtractionSchema>;
export type BBox = z.infer<typeof BBoxSchema>;
