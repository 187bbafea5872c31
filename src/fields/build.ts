import type { Flag } from "../flags.js";
import type { Cell } from "../layout/model.js";
import type { Thresholds } from "../options.js";
import type { Provenance } from "../schema.js";
import { type FieldDef, type FormTemplate, optionalFields, pathOf } from "../templates/template.js";
import { TRUNCATION } from "../templates/vocabulary.js";
import { parseDate, parseYear } from "../values/date.js";
import { buildTable } from "./build-table.js";
import { readCheckboxGroup } from "./checkbox.js";
import { cellLines } from "./labels.js";
import { type RawForm, type RawValue, rawText } from "./raw.js";
import { moneyIn, ValueReader } from "./read-values.js";

export { looksCutOff } from "./read-values.js";

/**
 * Normalization: raw cell values -> the typed form, its provenance, and the reading flags, by the
 * template's field kinds. The form's keys follow the template's print order, each at its output path.
 */

export interface BuiltForm {
  form: Record<string, unknown>;
  fields: Record<string, Provenance>;
  flags: Flag[];
}

/** What MISSING_FIELD calls a field (as the 2018 messages did): its printed label or its key. */
function missingName(f: FieldDef): string {
  if (f.kind.kind === "year") return "the form's year";
  return (f.line || f.kind.kind === "table") && f.printed[0] ? f.printed[0] : f.key;
}

const CODE_CELL = /^[（(]?\s*([0-9A-Za-z][0-9A-Za-z-]*)\s*[)）]?$/u;
const CODE_AFTER = /^(.+?)\s*[（(]\s*([0-9A-Za-z][0-9A-Za-z-]*)\s*[)）]$/u;

/** A name value whose code prints in its own last cell: the name's cells, and the code's. */
function cutCodeCell(value: RawValue): { name: RawValue; code: string; cells: Cell[] } | null {
  const last = value.cells.at(-1);
  if (value.cells.length < 2 || !last) return null;
  const m = CODE_CELL.exec(rawText({ lines: cellLines(last), hiddenLines: [], cells: [] }));
  if (!m) return null;
  const cells = value.cells.slice(0, -1);
  const n = last.lines.length;
  return { name: { ...value, cells, lines: value.lines.slice(0, -n) }, code: m[1]!, cells: [last] };
}

/** `thresholds`: the run's OCR confidence bars, passed in so the environment cannot change the flags. */
export function buildForm(raw: RawForm, thresholds: Thresholds, template: FormTemplate): BuiltForm {
  const optional = optionalFields(template);
  const longPaths = new Set(
    template.fields.flatMap((f) => (f.kind.kind === "text" && f.kind.long ? [`form.${pathOf(f)}`] : [])),
  );
  const r = new ValueReader(raw.flags, thresholds, longPaths);
  const values: Record<string, unknown> = {};
  // An optional field may be printed empty, but its row is on every form: a row not found is flagged.
  const missing = (f: FieldDef, found = true) => {
    if (!optional.has(f.key))
      r.flag("MISSING_FIELD", `form.${pathOf(f)}`, `${missingName(f)} is empty or was not found`);
    else if (!found) r.flag("MISSING_FIELD", `form.${pathOf(f)}`, `${missingName(f)}: its row was not found`);
    // Not read rather than missing: the value may be empty on paper; a reviewer looks.
    else if (raw.unplaced.includes(f.key))
      r.flag(
        "LOW_CONFIDENCE",
        `form.${pathOf(f)}`,
        `${missingName(f)}: no value cell beside its label on the scan`,
      );
  };
  const codes = new Map(
    template.fields.flatMap((f) => (f.kind.kind === "code" ? [[f.kind.of, f] as const] : [])),
  );

  for (const f of template.fields.filter((x) => x.kind.kind === "year")) {
    const value = raw.values[f.key];
    const year = value ? parseYear(rawText(value)) : null;
    if (value) r.record(`form.${pathOf(f)}`, value.cells);
    if (value && year === null)
      r.flag("UNPARSEABLE_VALUE", `form.${pathOf(f)}`, `year "${rawText(value)}" cannot be read`);
    else if (!value) missing(f);
    values[f.key] = year;
  }

  for (const f of template.fields) {
    if (f.kind.kind !== "text") continue;
    let value = raw.values[f.key];
    const codeField = codes.get(f.key);
    let code: { text: string; cells: Cell[] } | null = null;
    const cut = codeField && value ? cutCodeCell(value) : null;
    if (cut) {
      value = cut.name;
      code = { text: cut.code, cells: cut.cells };
    }
    let text = r.text(pathOf(f), value, f.kind.long, TRUNCATION.minTextLength);
    const after = codeField && !code && text ? CODE_AFTER.exec(text) : null;
    if (after && value) {
      text = after[1]!;
      code = { text: after[2]!, cells: value.cells };
    }
    if (!text) missing(f, value !== undefined);
    values[f.key] = text ?? (f.emptyString ? "" : null);
    if (codeField) {
      values[codeField.key] = code?.text ?? null;
      if (code) r.record(`form.${pathOf(codeField)}`, code.cells);
      else missing(codeField);
    }
  }

  for (const f of template.fields) {
    if (f.kind.kind !== "table") continue;
    values[f.key] = buildTable(r, f, pathOf(f), raw.tables[f.key] ?? []);
    if ((values[f.key] as unknown[]).length === 0) missing(f);
  }

  for (const f of template.fields) {
    const path = pathOf(f);
    const at = `form.${path}`;
    const k = f.kind;
    if (k.kind === "checkbox") {
      const group = raw.checkboxes[f.key];
      if (!group) missing(f);
      else r.record(at, group.cells);
      const reading = group ? readCheckboxGroup(group.items, k.options) : null;
      // Not one box found beside the options (a photo's, a fax's): unread, so "none checked" would be a guess.
      if (reading && reading.marks.length === 0)
        r.flag("LOW_CONFIDENCE", at, `${missingName(f)}: no checkbox was found beside its options`);
      values[f.key] = reading?.checked ?? [];
    } else if (k.kind === "date" || k.kind === "money") {
      const value = raw.values[f.key];
      const s = rawText(value);
      if (!value || s === "") {
        missing(f, value !== undefined);
        if (k.kind === "money" && value?.cells.length) r.record(at, value.cells);
        values[f.key] = null;
        continue;
      }
      r.record(at, value.cells);
      const v = k.kind === "date" ? parseDate(s) : moneyIn(s, k.unit);
      if (v === null) {
        const what = k.kind === "date" ? "a date" : `an amount in ${k.unit === "元" ? "yuan" : k.unit}`;
        r.flag("UNPARSEABLE_VALUE", at, `"${s}" is not ${what}`);
      }
      values[f.key] = v;
    }
  }

  const form: Record<string, unknown> = {};
  for (const f of template.fields) setAtPath(form, pathOf(f), values[f.key] ?? null);
  return { form, fields: r.fields, flags: r.flags };
}

/** Puts a value at a dotted path, making the objects on the way. */
export function setAtPath(form: Record<string, unknown>, path: string, value: unknown): void {
  const steps = path.split(".");
  let at = form;
  for (const step of steps.slice(0, -1)) {
    at[step] ??= {};
    at = at[step] as Record<string, unknown>;
  }
  at[steps.at(-1)!] = value;
}
