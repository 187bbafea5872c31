import type { FlagCode } from "../codes.js";

/**
 * A form family as data: how its title is printed, the fields it holds in print order (each with
 * its kind, printed row labels and review label), which are required, and the cross-field rules.
 * Stages take a template as an argument instead of importing one family's constants.
 */

export type MoneyUnit = "元" | "万元";

/** A table column's role: a level spans rows (its empty cell continues the one above). */
export type ColumnRole =
  | { role: "level"; values: readonly string[] | null }
  | { role: "text" }
  | { role: "money"; unit: MoneyUnit }
  | { role: "target" };

export interface TableColumn {
  key: string;
  /** The header cell as printed, in Chinese. */
  header: string;
  column: ColumnRole;
}

export type FieldKind =
  | { kind: "year" }
  | { kind: "text"; long: boolean }
  | { kind: "money"; unit: MoneyUnit }
  | { kind: "date" }
  | { kind: "checkbox"; options: readonly string[] }
  /** Levels come first in `columns`, outermost first: any depth of spanning category. */
  | { kind: "table"; columns: readonly TableColumn[] };

export interface FieldDef {
  key: string;
  kind: FieldKind;
  /** The row label as printed, then its other spellings; empty when no row prints it (the year). */
  printed: readonly string[];
  /** What the review page calls the field: the printed label a reviewer finds on the paper. */
  review: string;
  required: boolean;
}

/** Cross-field rules over the normalized form, each naming the flag it raises. */
export type CrossRule =
  | { rule: "sumOfColumn"; code: FlagCode; table: string; column: string; total: string; what: string }
  | { rule: "notAbove"; code: FlagCode; field: string; limit: string; message: string }
  | { rule: "dateOrder"; code: FlagCode; start: string; end: string }
  | { rule: "inYear"; code: FlagCode; fields: readonly string[] };

export interface FormTemplate {
  id: string;
  /** The title as printed; OCR snaps a near reading to it. */
  title: string;
  /** Matched against a line's label key (no spaces, unified ideographs). */
  titlePattern: RegExp;
  /** The budget year every form of the family is for, when the family fixes one. */
  year: number | null;
  fields: readonly FieldDef[];
  rules: readonly CrossRule[];
}

/** Fields that may be empty on a complete form (no MISSING_FIELD). */
export function optionalFields(t: FormTemplate): ReadonlySet<string> {
  return new Set(t.fields.filter((f) => !f.required).map((f) => f.key));
}

/** The review label of every field, by key. */
export function reviewLabels(t: FormTemplate): Record<string, string> {
  return Object.fromEntries(t.fields.map((f) => [f.key, f.review]));
}

/** The checkbox groups, in print order, with their options. */
export function checkboxGroups(t: FormTemplate): Array<{ key: string; options: readonly string[] }> {
  return t.fields.flatMap((f) =>
    f.kind.kind === "checkbox" ? [{ key: f.key, options: f.kind.options }] : [],
  );
}

export function fieldOf(t: FormTemplate, key: string): FieldDef | undefined {
  return t.fields.find((f) => f.key === key);
}
