import { z } from "zod";
import type { ColumnRole, FieldKind, FormTemplate, TableColumn } from "./template.js";

/**
 * The zod schema of a template's `form` object, and its static type, derived from the template's
 * field kinds: the output contract is the template, not a second hand-written copy of it.
 */

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
export type ParsedTarget = z.infer<typeof ParsedTargetSchema>;

type CellValue<R> = R extends { role: "level"; values: readonly (infer V)[] }
  ? V | null
  : R extends { role: "level" }
    ? string | null
    : R extends { role: "money" }
      ? number | null
      : string;

/** One table row: a value per column; a target column also carries its parse. */
export type RowOf<Cols extends readonly TableColumn[]> = {
  -readonly [C in Cols[number] as C["key"]]: CellValue<C["column"]>;
} & (Extract<Cols[number]["column"], { role: "target" }> extends never
  ? unknown
  : { parsed: ParsedTarget | null });

type ValueOf<K> = K extends { kind: "year" | "money" }
  ? number | null
  : K extends { kind: "text" | "date" | "code" }
    ? string | null
    : K extends { kind: "checkbox" }
      ? string[]
      : K extends { kind: "table"; columns: infer C extends readonly TableColumn[] }
        ? Array<RowOf<C>>
        : never;

/** A field's output path: its dotted `path` when it has one, else its key. */
type PathOf<F> = F extends { path: infer P extends string }
  ? P
  : F extends { key: infer K extends string }
    ? K
    : never;

/** Each field as its output path and value type (a union, one member per field). */
type EntryOf<F> = F extends { kind: infer K } ? { path: PathOf<F>; value: ValueOf<K> } : never;

type HeadOf<P extends string> = P extends `${infer H}.${string}` ? H : P;

/** The entries under `H.`, their paths with that step taken off. */
type Under<E, H extends string> = E extends { path: `${H}.${infer R}`; value: infer V }
  ? { path: R; value: V }
  : never;

/** Entries to one object: a step that ends a path holds its value; one that goes on, the object of what is under it. */
type Nested<E extends { path: string; value: unknown }> = {
  [H in HeadOf<E["path"]>]: [Extract<E, { path: H }>] extends [never]
    ? Nested<Under<E, H>>
    : Extract<E, { path: H }>["value"];
};

/**
 * The `form` object of a template: each field's value at its output path, a dotted one
 * (`funds.total`) nested one object per step, the fields sharing a step in one object.
 */
export type FormOf<T extends FormTemplate> = Nested<EntryOf<T["fields"][number]>>;

function columnShape(columns: readonly TableColumn[]): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const { key, column } of columns) shape[key] = cellSchema(column);
  if (columns.some((c) => c.column.role === "target")) shape.parsed = ParsedTargetSchema.nullable();
  return shape;
}

function cellSchema(c: ColumnRole): z.ZodType {
  if (c.role === "level")
    return (c.values ? z.enum(c.values as [string, ...string[]]) : z.string()).nullable();
  if (c.role === "money") return yuan.nullable();
  return z.string();
}

export function fieldSchema(k: FieldKind): z.ZodType {
  switch (k.kind) {
    case "year":
      return z.number().int().nullable();
    case "text":
    case "code":
      return z.string().nullable();
    case "money":
      return yuan.nullable();
    case "date":
      return isoDate.nullable();
    case "checkbox":
      return z.array(z.enum(k.options as [string, ...string[]]));
    case "table":
      return z.array(z.object(columnShape(k.columns)).strict());
  }
}

type ShapeOf<T extends FormTemplate> = { [K in keyof FormOf<T>]: z.ZodType<FormOf<T>[K]> };

const CACHE = new WeakMap<FormTemplate, z.ZodObject>();

/**
 * The strict zod object of a template's form, its keys in the template's print order, a field with
 * a dotted output `path` (`funds.total`) inside a strict object per step.
 */
export function formSchemaOf<T extends FormTemplate>(t: T): z.ZodObject<ShapeOf<T>, z.core.$strict> {
  let schema = CACHE.get(t);
  if (!schema) {
    type Tree = Map<string, z.ZodType | Tree>;
    const root: Tree = new Map();
    for (const f of t.fields) {
      const steps = (f.path ?? f.key).split(".");
      let at = root;
      for (const step of steps.slice(0, -1)) {
        const next = at.get(step);
        if (next instanceof Map) at = next;
        else {
          const made: Tree = new Map();
          at.set(step, made);
          at = made;
        }
      }
      at.set(steps.at(-1)!, fieldSchema(f.kind));
    }
    const toZod = (tree: Tree): z.ZodObject =>
      z.object(Object.fromEntries([...tree].map(([k, v]) => [k, v instanceof Map ? toZod(v) : v]))).strict();
    schema = toZod(root);
    CACHE.set(t, schema);
  }
  return schema as unknown as z.ZodObject<ShapeOf<T>, z.core.$strict>;
}
