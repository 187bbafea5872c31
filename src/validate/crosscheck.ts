import { type Flag, makeFlag } from "../flags.js";
import type { CrossRule, FormTemplate } from "../templates/template.js";
import { checkboxGroups, isUnder, pathOf, valueAt } from "../templates/template.js";

/**
 * Cross-field checks over the normalized form: the template's rules, then its checkbox counts.
 * All collected. A check that fails only with a value OCR is unsure of (a `LOW_CONFIDENCE` path
 * in `unsure`) says so as CROSS_CHECK_UNSURE, a warning, instead of its error: the likelier cause
 * is a misreading, and the check's own error comes back once a reviewer confirms the value.
 */

const num = (v: unknown): number | null => (typeof v === "number" ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const fen = (n: number) => Math.round(n * 100) / 100;

function checkRule(rule: CrossRule, form: object, optional: ReadonlySet<string>): Flag[] {
  const at = (path: string) => valueAt(form, path);
  switch (rule.rule) {
    case "sumOfColumn": {
      const total = num(at(rule.total));
      const rows = (at(rule.table) ?? []) as ReadonlyArray<object>;
      const amounts = rows.map((r) => num(valueAt(r, rule.column)));
      if (total === null || amounts.length === 0 || amounts.some((a) => a === null)) return [];
      const sum = fen((amounts as number[]).reduce((a, b) => a + b, 0));
      if (sum === total) return [];
      const message = `${rule.what} add up to ${sum}, ${rule.total} is ${total}`;
      return [makeFlag(rule.code, `form.${rule.table}`, message)];
    }
    case "notAbove": {
      const value = num(at(rule.field));
      const limit = num(at(rule.limit));
      if (value === null || limit === null || value <= limit) return [];
      const message = rule.message.replace("{value}", String(value)).replace("{limit}", String(limit));
      return [makeFlag(rule.code, `form.${rule.field}`, message)];
    }
    case "dateOrder": {
      const start = str(at(rule.start));
      const end = str(at(rule.end));
      if (!start || !end || end >= start) return [];
      return [makeFlag(rule.code, `form.${rule.end}`, `${rule.end} ${end} is before ${rule.start} ${start}`)];
    }
    case "inYear": {
      const year = num(at("year"));
      if (year === null) return [];
      return rule.fields.flatMap((key) => {
        const d = str(at(key));
        if (!d || Number(d.slice(0, 4)) === year) return [];
        return [makeFlag(rule.code, `form.${key}`, `${key} ${d} is outside ${year}`)];
      });
    }
    case "sumOfFields": {
      const total = num(at(rule.total));
      const parts = rule.parts.map((p) => num(at(p)) ?? (optional.has(p) ? 0 : null));
      if (total === null || parts.some((p) => p === null)) return [];
      const sum = fen((parts as number[]).reduce((a, b) => a + b, 0));
      if (sum === total) return [];
      const message = `${rule.parts.join(" + ")} is ${sum}, ${rule.total} is ${total}`;
      return [makeFlag("FUNDS_SUM_MISMATCH", `form.${rule.total}`, message)];
    }
    case "levelsUnder": {
      const rows = (at(rule.table) ?? []) as ReadonlyArray<object>;
      return rows.flatMap((r, i) => {
        const parent = str(valueAt(r, rule.parent));
        const child = str(valueAt(r, rule.child));
        if (!parent || !child) return [];
        const standard = Object.hasOwn(rule.standard, parent) ? rule.standard[parent] : undefined;
        if (standard?.includes(child)) return [];
        const why = standard
          ? `is not one of ${parent}'s (${standard.join("、")})`
          : `is under ${parent}, not a standard level`;
        return [
          makeFlag("INDICATOR_LEVEL_INVALID", `form.${rule.table}[${i}].${rule.child}`, `${child} ${why}`),
        ];
      });
    }
  }
}

/** The paths a rule reads, as flags name them (`form.totalBudget`, `form.subProjects[2].amount`). */
function readsOf(rule: CrossRule, form: object): string[] {
  const rows = (table: string) =>
    ((valueAt(form, table) ?? []) as ReadonlyArray<object>).map((_, i) => `${table}[${i}]`);
  const paths = (() => {
    switch (rule.rule) {
      case "sumOfColumn":
        return [rule.total, ...rows(rule.table).map((r) => `${r}.${rule.column}`)];
      case "notAbove":
        return [rule.field, rule.limit];
      case "dateOrder":
        return [rule.start, rule.end];
      case "inYear":
        return ["year", ...rule.fields];
      case "sumOfFields":
        return [rule.total, ...rule.parts];
      case "levelsUnder":
        return rows(rule.table).flatMap((r) => [`${r}.${rule.parent}`, `${r}.${rule.child}`]);
    }
  })();
  return paths.map((p) => `form.${p}`);
}

/** A failed check's errors, as CROSS_CHECK_UNSURE where a value it read is one OCR is unsure of. */
function unlessUnsure(flags: Flag[], reads: readonly string[], unsure: ReadonlySet<string>): Flag[] {
  // A doubt on a whole table (or row) covers the cells of it a check reads.
  const shaky = reads.filter((p) => isUnder(p, unsure));
  if (shaky.length === 0) return flags;
  return flags.map((f) =>
    f.severity !== "error"
      ? f
      : makeFlag(
          "CROSS_CHECK_UNSURE",
          f.field,
          `${f.code}: ${f.message} (read with low confidence: ${shaky.join(", ")})`,
        ),
  );
}

/** The paths a form's LOW_CONFIDENCE flags point at: values OCR is unsure of. */
export function unsurePaths(flags: readonly Flag[]): Set<string> {
  return new Set(flags.flatMap((f) => (f.code === "LOW_CONFIDENCE" && f.field !== null ? [f.field] : [])));
}

export function crossCheck(
  form: object,
  template: FormTemplate,
  unsure: ReadonlySet<string> = new Set(),
): Flag[] {
  const optional = new Set(template.fields.filter((f) => !f.required).map(pathOf));
  const flags = template.rules.flatMap((r) =>
    unlessUnsure(checkRule(r, form, optional), readsOf(r, form), unsure),
  );
  for (const { key } of checkboxGroups(template)) {
    const checked = (valueAt(form, key) ?? []) as readonly string[];
    if (checked.length === 0) {
      const none = makeFlag("CHECKBOX_NONE", `form.${key}`, `no option checked in ${key}`);
      flags.push(...unlessUnsure([none], [`form.${key}`], unsure));
    }
    if (checked.length > 1) {
      flags.push(makeFlag("CHECKBOX_MULTIPLE", `form.${key}`, `${checked.length} options checked in ${key}`));
    }
  }
  return flags;
}

const RULE_CODES = { sumOfFields: "FUNDS_SUM_MISMATCH", levelsUnder: "INDICATOR_LEVEL_INVALID" } as const;

/** The codes `crossCheck` may raise for a template: a reviewer's edit redoes all of them. */
export function crossCodes(template: FormTemplate): ReadonlySet<string> {
  const codes = template.rules.map((r) => ("code" in r ? r.code : RULE_CODES[r.rule]));
  return new Set([...codes, "CHECKBOX_NONE", "CHECKBOX_MULTIPLE", "CROSS_CHECK_UNSURE"]);
}
