import type { Flag } from "../flags.js";
import type { FormValues } from "../schema.js";
import type { FormTemplate } from "../templates/template.js";
import { valueAt } from "../templates/template.js";

/**
 * The cells a flag is about, as correction paths: its own field, and for a cross-check every
 * value the rule compared (a sum mismatch names the total and each row's amount; an amount over
 * its limit, the limit; an end date before its start, the start). The page outlines them all.
 */
export function flagCells(template: FormTemplate, form: FormValues, flag: Flag): string[] {
  if (flag.field === null) return [];
  const cells: string[] = [];
  for (const rule of template.rules) {
    if (rule.rule === "sumOfColumn" && rule.code === flag.code && flag.field === `form.${rule.table}`) {
      const rows = valueAt(form, rule.table);
      const n = Array.isArray(rows) ? rows.length : 0;
      cells.push(
        `form.${rule.total}`,
        ...Array.from({ length: n }, (_, i) => `form.${rule.table}[${i}].${rule.column}`),
      );
    }
    if (
      rule.rule === "sumOfFields" &&
      flag.code === "FUNDS_SUM_MISMATCH" &&
      flag.field === `form.${rule.total}`
    )
      cells.push(`form.${rule.total}`, ...rule.parts.map((p) => `form.${p}`));
    if (rule.rule === "notAbove" && rule.code === flag.code && flag.field === `form.${rule.field}`)
      cells.push(`form.${rule.field}`, `form.${rule.limit}`);
    if (rule.rule === "dateOrder" && rule.code === flag.code && flag.field === `form.${rule.end}`)
      cells.push(`form.${rule.end}`, `form.${rule.start}`);
  }
  return cells.length > 0 ? [...new Set(cells)] : [flag.field];
}
