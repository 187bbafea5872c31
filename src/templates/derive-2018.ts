import { INDICATOR_CATEGORIES, SH_PERF_2018 } from "./sh-perf-2018.js";
import { type FieldDef, type FormTemplate, fieldOf, optionalFields } from "./template.js";

/**
 * What today's 2018 field recovery reads, derived from the template value `SH_PERF_2018`: the
 * label table, option lists and field lists, so none of them is written a second time.
 */

export { INDICATOR_CATEGORIES };

export type TextFieldKey =
  | "projectName"
  | "overview"
  | "basis"
  | "necessity"
  | "safeguards"
  | "implementationPlan"
  | "overallGoal"
  | "annualGoal"
  | "remarks";

export type MoneyFieldKey = "totalBudget" | "currentYearBudget" | "priorYearBudget" | "priorYearExecuted";
export type DateFieldKey = "startDate" | "endDate";
export type CheckboxFieldKey = "projectType" | "fundUse";

export type LabelKind =
  | { kind: "text"; field: TextFieldKey }
  | { kind: "money"; field: MoneyFieldKey }
  | { kind: "date"; field: DateFieldKey }
  | { kind: "checkbox"; field: CheckboxFieldKey }
  | { kind: "subProjects" }
  | { kind: "subProjectHeader" }
  | { kind: "indicators" }
  | { kind: "indicatorHeader" }
  | { kind: "category"; category: IndicatorCategory }
  | { kind: "applicant" };

export type IndicatorCategory = (typeof INDICATOR_CATEGORIES)[number];

const T: FormTemplate = SH_PERF_2018;

function field(key: string): FieldDef {
  const f = fieldOf(T, key);
  if (!f) throw new Error(`template ${T.id} has no field ${key}`);
  return f;
}

function columnHeaders(key: string): string[] {
  const f = field(key);
  return f.kind.kind === "table" ? f.kind.columns.map((c) => c.header) : [];
}

/** Header cells of the two sub-tables: they are skipped, never read as data. */
export const SUBPROJECT_HEADER_CELLS = columnHeaders("subProjects");
export const INDICATOR_HEADER_CELLS = columnHeaders("indicators");

/** A fresh def per printed label: recovery tells labels apart by identity. */
function labelKinds(f: FieldDef): Array<{ label: string; def: LabelKind }> {
  const k = f.kind.kind;
  const def = (): LabelKind | null => {
    if (f.key === "applicant") return { kind: "applicant" };
    if (k === "text") return { kind: "text", field: f.key as TextFieldKey };
    if (k === "money") return { kind: "money", field: f.key as MoneyFieldKey };
    if (k === "date") return { kind: "date", field: f.key as DateFieldKey };
    if (k === "checkbox") return { kind: "checkbox", field: f.key as CheckboxFieldKey };
    if (k === "table") return f.key === "subProjects" ? { kind: "subProjects" } : { kind: "indicators" };
    return null;
  };
  const rows = f.printed.flatMap((label) => {
    const d = def();
    return d ? [{ label, def: d }] : [];
  });
  if (f.key === "subProjects")
    rows.push({ label: SUBPROJECT_HEADER_CELLS[0]!, def: { kind: "subProjectHeader" } });
  if (f.key === "indicators") {
    rows.push({ label: INDICATOR_HEADER_CELLS[0]!, def: { kind: "indicatorHeader" } });
    for (const category of INDICATOR_CATEGORIES)
      rows.push({ label: category, def: { kind: "category", category } });
  }
  return rows;
}

/** Row labels as printed; matching ignores width, spaces, line breaks and `(元)` vs `（元）`. */
export const LABELS: ReadonlyArray<{ label: string; def: LabelKind }> = T.fields.flatMap(labelKinds);

export const CHECKBOX_OPTIONS = Object.fromEntries(
  T.fields.flatMap((f) => (f.kind.kind === "checkbox" ? [[f.key, f.kind.options]] : [])),
) as unknown as Record<CheckboxFieldKey, readonly string[]>;

export const FORM_TITLE = T.title;
export const APPLICANT_LABEL = field("applicant").printed[0]!;
export const FORM_YEAR = T.year ?? 2018;

/** The free-text fields, in print order. */
export const TEXT_FIELDS = T.fields.flatMap((f) =>
  f.kind.kind === "text" && f.key !== "applicant" ? [f.key as TextFieldKey] : [],
);
/** Fields whose cut-off ends matter: the long free texts (a project name is short by nature). */
export const LONG_TEXT_FIELDS: ReadonlySet<TextFieldKey> = new Set(
  T.fields.flatMap((f) => (f.kind.kind === "text" && f.kind.long ? [f.key as TextFieldKey] : [])),
);

/** Required fields: all but the prior-year cells (empty for a new project) and remarks. */
export const OPTIONAL_FIELDS = optionalFields(T);
