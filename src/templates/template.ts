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
  /** An empty cell in a row is MISSING_FIELD (a target's message names the row's first text cell). */
  required?: boolean;
}

export type FieldKind =
  | { kind: "year" }
  | { kind: "text"; long: boolean }
  | { kind: "money"; unit: MoneyUnit }
  | { kind: "date" }
  | { kind: "checkbox"; options: readonly string[] }
  /**
   * A code printed with another (text) field's value, in brackets after it (`某区教育局（301）`) or in
   * its own cell after it: it is cut off that value. It prints no label of its own.
   */
  | { kind: "code"; of: string }
  /**
   * Levels come first in `columns`, outermost first: any depth of spanning category. A level with
   * listed `values` prints them as row labels in the label column; a level without is a column of
   * the table, read by position, its empty cell continuing the one above. `noun` names a row in
   * messages (`sub-project`).
   */
  | { kind: "table"; columns: readonly TableColumn[]; noun: string };

export interface FieldDef {
  key: string;
  kind: FieldKind;
  /** The row label as printed, then its other spellings; empty when no row prints it (the year). */
  printed: readonly string[];
  /** What the review page calls the field: the printed label a reviewer finds on the paper. */
  review: string;
  required: boolean;
  /** Where the value goes in the output's `form`, dotted (`funds.total`); the key when absent. */
  path?: string;
  /** Also printed as a free line above the table, `label：value` (the 2018 applicant). */
  line?: boolean;
  /** An empty text reads as "" rather than null (the 2018 remarks). */
  emptyString?: boolean;
}

/**
 * Cross-field rules over the normalized form, each naming the flag it raises (or raising its own,
 * as the checkbox counts do); fields are named by output path.
 */
export type CrossRule =
  | { rule: "sumOfColumn"; code: FlagCode; table: string; column: string; total: string; what: string }
  | { rule: "notAbove"; code: FlagCode; field: string; limit: string; message: string }
  | { rule: "dateOrder"; code: FlagCode; start: string; end: string }
  | { rule: "inYear"; code: FlagCode; fields: readonly string[] }
  /** Amounts that make up a total (FUNDS_SUM_MISMATCH to the fen); an optional part left empty is 0. */
  | { rule: "sumOfFields"; parts: readonly string[]; total: string }
  /**
   * A table's `child` level must be one of its `parent` level's standard values
   * (INDICATOR_LEVEL_INVALID, a warning), `standard` giving them by parent value.
   */
  | {
      rule: "levelsUnder";
      table: string;
      parent: string;
      child: string;
      standard: Readonly<Record<string, readonly string[]>>;
    };

/** The columns a stored form is listed and filtered by, each the output path of its value or null. */
export interface StoreColumns {
  applicant: string | null;
  projectName: string | null;
  totalBudget: string | null;
  currentYearBudget: string | null;
}

export interface FormTemplate {
  id: string;
  /** What messages call the family (`row label "…" is not in the 2018 template`). */
  name: string;
  /** The title as printed; OCR snaps a near reading to it. */
  title: string;
  /** Matched against a line's label key (no spaces, unified ideographs). */
  titlePattern: RegExp;
  /** The budget year every form of the family is for, when the family fixes one. */
  year: number | null;
  fields: readonly FieldDef[];
  /** Row labels that span the rows of other labels and hold no value (`项目资金（万元）`). */
  groups?: readonly string[];
  rules: readonly CrossRule[];
  store: StoreColumns;
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

/** A field's output path under `form` (dotted). */
export const pathOf = (f: FieldDef): string => f.path ?? f.key;

/** A flag's path is one of `paths` or inside one (`form.subProjects[2].amount` is inside `form.subProjects`). */
export const isUnder = (path: string | null, paths: ReadonlySet<string>): boolean =>
  path !== null && [...paths].some((p) => path === p || path.startsWith(`${p}[`) || path.startsWith(`${p}.`));

/** The value at a dotted path of a form object (undefined when any step is missing). */
export function valueAt(form: unknown, path: string): unknown {
  let v: unknown = form;
  for (const step of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[step];
  }
  return v;
}

/** A form's values for the stored columns, as its template maps them (null where it has none). */
export function storeValues(
  t: FormTemplate,
  form: object,
): {
  applicant: string | null;
  projectName: string | null;
  totalBudget: number | null;
  currentYearBudget: number | null;
} {
  const at = (path: string | null) => (path === null ? null : valueAt(form, path));
  const s = (v: unknown) => (typeof v === "string" ? v : null);
  const n = (v: unknown) => (typeof v === "number" ? v : null);
  return {
    applicant: s(at(t.store.applicant)),
    projectName: s(at(t.store.projectName)),
    totalBudget: n(at(t.store.totalBudget)),
    currentYearBudget: n(at(t.store.currentYearBudget)),
  };
}
