import type { FieldDef, FormTemplate, TableColumn } from "../templates/template.js";
import { pathOf } from "../templates/template.js";

/**
 * The analytics views, derived from the registered templates (docs/data.md): generic `export_forms`,
 * `export_flags`, `export_corrections`; one `export_<family>_forms` per template with a typed column
 * per field; one view per table field key (`export_sub_projects`, `export_indicators`) holding
 * every template's rows of it. Money is numeric(18,2) yuan, dates date, counts and indexes int,
 * ids bigint, timestamps timestamptz. Every view reads the current (corrected) form.
 */

export interface ViewDef {
  name: string;
  /** Columns the rows are ordered by (keys). */
  order: readonly string[];
  sql: string;
}

/** `funds.total` -> `funds_total`, `departmentCode` -> `department_code`, `mof-project` -> `mof_project`. */
export const snake = (s: string): string =>
  s
    .replace(/[.-]/g, "_")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();

const TEMPLATE = "COALESCE(x.c->>'template', 'sh-perf-2018')";
const FORM =
  "FROM forms f JOIN documents d ON d.id = f.document_id, LATERAL (SELECT COALESCE(f.current, f.extraction) AS c) x";
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const jpath = (path: string) => `x.c->'form'#>${lit(`{${path.split(".").join(",")}}`)}`;

/** A jsonb value as a typed SQL value: wrong-typed or malformed JSON is null, never a failed query. */
export const typed = {
  text: (v: string) => `((${v})#>>'{}')`,
  int: (v: string) => `CASE WHEN jsonb_typeof(${v}) = 'number' THEN (${v})::text::numeric::int END`,
  // A CASE drops the typmod: the outer cast keeps numeric(18,2) in the view's type.
  money: (v: string) =>
    `(CASE WHEN jsonb_typeof(${v}) = 'number' THEN (${v})::text::numeric(18,2) END)::numeric(18,2)`,
  double: (v: string) => `CASE WHEN jsonb_typeof(${v}) = 'number' THEN (${v})::text::double precision END`,
  date: (v: string) =>
    `CASE WHEN (${v})#>>'{}' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN ((${v})#>>'{}')::date END`,
  list: (v: string) =>
    `(SELECT string_agg(o, '；' ORDER BY n) FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(${v}) = 'array' THEN ${v} ELSE '[]'::jsonb END) WITH ORDINALITY AS e(o, n))`,
  count: (v: string) => `CASE WHEN jsonb_typeof(${v}) = 'array' THEN jsonb_array_length(${v}) ELSE 0 END`,
};

/** A field's column(s) in its family's form view. */
function fieldColumns(f: FieldDef): string[] {
  const v = jpath(pathOf(f));
  const name = snake(pathOf(f));
  switch (f.kind.kind) {
    case "year":
      return [`${typed.int(v)} AS ${name}`];
    case "money":
      return [`${typed.money(v)} AS ${name}`];
    case "date":
      return [`${typed.date(v)} AS ${name}`];
    case "checkbox":
      return [`${typed.list(v)} AS ${name}`];
    case "table":
      return [`${typed.count(v)} AS ${snake(f.kind.noun)}_count`];
    default:
      return [`${typed.text(v)} AS ${name}`];
  }
}

function familyFormsView(t: FormTemplate): ViewDef {
  return {
    name: `export_${snake(t.id)}_forms`,
    order: ["form_id"],
    sql: `SELECT f.id::bigint AS form_id,\n  ${t.fields.flatMap(fieldColumns).join(",\n  ")}\n${FORM}\nWHERE ${TEMPLATE} = ${lit(t.id)}`,
  };
}

/** A table column's SQL columns: a target adds its parsed comparison. */
function cellColumns(c: TableColumn): Array<{ name: string; type: string; expr: (row: string) => string }> {
  const at = (row: string, key: string) => `${row}->${lit(key)}`;
  const name = snake(c.key);
  if (c.column.role === "money")
    return [{ name, type: "numeric(18,2)", expr: (r) => typed.money(at(r, c.key)) }];
  const text = [{ name, type: "text", expr: (r: string) => typed.text(at(r, c.key)) }];
  if (c.column.role !== "target") return text;
  const parsed = (r: string, k: string) => `${r}->'parsed'->${lit(k)}`;
  return [
    ...text,
    { name: "op", type: "text", expr: (r) => typed.text(parsed(r, "op")) },
    ...["value", "min", "max"].map((k) => ({
      name: k,
      type: "double precision",
      expr: (r: string) => typed.double(parsed(r, k)),
    })),
    { name: "unit", type: "text", expr: (r) => typed.text(parsed(r, "unit")) },
  ];
}

/** One view per table key: every template's rows of it, a template's missing columns null. */
function tableViews(templates: readonly FormTemplate[]): ViewDef[] {
  const byKey = new Map<string, Array<{ t: FormTemplate; f: FieldDef & { kind: { kind: "table" } } }>>();
  for (const t of templates)
    for (const f of t.fields)
      if (f.kind.kind === "table") byKey.set(f.key, [...(byKey.get(f.key) ?? []), { t, f: f as never }]);
  return [...byKey.entries()].map(([key, uses]) => {
    const index = `${snake(uses[0]!.f.kind.noun)}_index`;
    // Every template's level columns first (outermost first), then the others, each name once.
    const columns: Array<{ name: string; type: string }> = [];
    for (const levels of [true, false])
      for (const { f } of uses)
        for (const c of f.kind.columns
          .filter((x) => (x.column.role === "level") === levels)
          .flatMap(cellColumns))
          if (!columns.some((x) => x.name === c.name)) columns.push(c);
    const selects = uses.map(({ t, f }) => {
      const own = f.kind.columns.flatMap(cellColumns);
      const cells = columns.map((col) => {
        const mine = own.find((c) => c.name === col.name);
        return `(${mine ? mine.expr("r.value") : "NULL"})::${col.type} AS ${col.name}`;
      });
      const rows = `CASE WHEN jsonb_typeof(${jpath(pathOf(f))}) = 'array' THEN ${jpath(pathOf(f))} ELSE '[]'::jsonb END`;
      return `SELECT f.id::bigint AS form_id, (r.ord - 1)::int AS ${index}, ${lit(t.id)}::text AS template,\n  ${cells.join(", ")}\n${FORM}, LATERAL jsonb_array_elements(${rows}) WITH ORDINALITY AS r(value, ord)\nWHERE ${TEMPLATE} = ${lit(t.id)}`;
    });
    return { name: `export_${snake(key)}`, order: ["form_id", index], sql: selects.join("\nUNION ALL\n") };
  });
}

/** A stored column's value, as each template maps it (storeValues), for every family at once; reads `x.c`, the current form. */
export function storeColumn(
  templates: readonly FormTemplate[],
  column: keyof FormTemplate["store"],
  as: (v: string) => string,
): string {
  const arms = templates.flatMap((t) => {
    const path = t.store[column];
    return path === null ? [] : [`WHEN ${lit(t.id)} THEN ${as(jpath(path))}`];
  });
  return arms.length ? `CASE ${TEMPLATE} ${arms.join(" ")} END` : "NULL";
}

function formsView(templates: readonly FormTemplate[]): ViewDef {
  const pages = "x.c->'source'->'pages'";
  return {
    name: "export_forms",
    order: ["form_id"],
    sql: `SELECT f.id::bigint AS form_id, d.id::bigint AS document_id, d.name AS file, d.sha256, f.form_index::int AS form_index,
  ${TEMPLATE} AS template,
  (SELECT string_agg(p, ',' ORDER BY n) FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(${pages}) = 'array' THEN ${pages} ELSE '[]'::jsonb END) WITH ORDINALITY AS e(p, n)) AS pages,
  ${typed.int("x.c->'form'->'year'")} AS year,
  (${storeColumn(templates, "applicant", typed.text)})::text AS applicant,
  (${storeColumn(templates, "projectName", typed.text)})::text AS project_name,
  (${storeColumn(templates, "totalBudget", typed.money)})::numeric(18,2) AS total_budget,
  (${storeColumn(templates, "currentYearBudget", typed.money)})::numeric(18,2) AS current_year_budget,
  (${typed.count("x.c->'flags'")})::int AS flag_count,
  (f.needs_review AND f.review_status = 'pending') AS needs_review,
  CASE WHEN f.review_status = 'rejected' THEN 'rejected' WHEN f.review_status = 'pending' AND f.needs_review THEN 'needs_review' ELSE 'clean' END AS review_status,
  f.reviewed_by, f.reviewed_at::timestamptz AS reviewed_at, f.current IS NOT NULL AS corrected, f.version::int AS version,
  f.created_at::timestamptz AS created_at
${FORM}`,
  };
}

/** The row keys a flag's field names (`form.indicators[3].target` -> indicator_index 3), per table key. */
function flagsView(templates: readonly FormTemplate[]): ViewDef {
  const keys = new Map<string, string>();
  for (const t of templates)
    for (const f of t.fields)
      if (f.kind.kind === "table" && !keys.has(pathOf(f))) keys.set(pathOf(f), `${snake(f.kind.noun)}_index`);
  const field = "g.value->>'field'";
  const rowKeys = [...keys.entries()].map(
    ([path, index]) =>
      `substring(${field} from ${lit(`^form\\.${path.replace(/\./g, "\\.")}\\[([0-9]+)\\]`)})::int AS ${index}`,
  );
  return {
    name: "export_flags",
    order: ["form_id", "flag_index"],
    sql: `SELECT f.id::bigint AS form_id, (g.ord - 1)::int AS flag_index, g.value->>'code' AS code, g.value->>'severity' AS severity,
  ${field} AS field, ${rowKeys.join(", ")}, g.value->>'message' AS message
${FORM}, LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(x.c->'flags') = 'array' THEN x.c->'flags' ELSE '[]'::jsonb END) WITH ORDINALITY AS g(value, ord)`,
  };
}

const CORRECTIONS: ViewDef = {
  name: "export_corrections",
  order: ["correction_id"],
  sql: `SELECT id::bigint AS correction_id, form_id::bigint AS form_id, field, old_value::text AS old_value, new_value::text AS new_value,
  reviewer, comment, form_version::int AS form_version, created_at::timestamptz AS created_at
FROM corrections`,
};

/** Every export view, in export order: generic forms, the table views, flags, corrections, then each family's forms. */
export function exportViews(templates: readonly FormTemplate[]): ViewDef[] {
  return [
    formsView(templates),
    ...tableViews(templates),
    flagsView(templates),
    CORRECTIONS,
    ...templates.map(familyFormsView),
  ];
}
