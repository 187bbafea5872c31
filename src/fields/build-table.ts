import type { FieldDef } from "../templates/template.js";
import { TRUNCATION } from "../templates/vocabulary.js";
import { parseTarget } from "../values/target.js";
import type { RawRow } from "./raw.js";
import { rawText } from "./raw.js";
import { moneyIn, type ValueReader } from "./read-values.js";

/**
 * A table's rows -> its output rows, by the template's columns: levels as recovered, text and money
 * cells read and flagged when a required one is empty, a target parsed (`parsed` after the columns).
 */
export function buildTable(r: ValueReader, f: FieldDef, path: string, rows: readonly RawRow[]): unknown[] {
  if (f.kind.kind !== "table") return [];
  const { columns, noun } = f.kind;
  return rows.map((row, i) => {
    const base = `${path}[${i}]`;
    // Provenance first, in column order (targets record theirs as they are read).
    for (const c of columns) {
      const cells = c.column.role === "level" ? row.levelCells[c.key] : row.values[c.key]?.cells;
      if (c.column.role !== "target" && cells) r.record(`form.${base}.${c.key}`, cells);
    }
    const out: Record<string, unknown> = {};
    const firstText = columns.find((c) => c.column.role === "text");
    const name = firstText ? rawText(row.values[firstText.key]) : "";
    let parsed: ReturnType<typeof parseTarget> | undefined;
    for (const c of columns) {
      const at = `form.${base}.${c.key}`;
      const col = c.column;
      if (col.role === "level") {
        out[c.key] = row.levels[c.key] ?? null;
        // Every row sits under its levels; none seen above it means the level cell was lost.
        if (out[c.key] === null) r.flag("MISSING_FIELD", at, `${noun} "${name}" has no ${c.key}`);
      } else if (col.role === "text") {
        out[c.key] = rawText(row.values[c.key]);
        if (c.required && out[c.key] === "") r.flag("MISSING_FIELD", at, `${noun} ${c.key} is empty`);
      } else if (col.role === "money") {
        const s = rawText(row.values[c.key]);
        const amount = s === "" ? null : moneyIn(s, col.unit);
        out[c.key] = amount;
        if (s === "") {
          if (c.required) r.flag("MISSING_FIELD", at, `${noun} ${c.key} is empty`);
        } else if (amount === null) r.flag("UNPARSEABLE_VALUE", at, `"${s}" is not an amount`);
      } else {
        const target = r.text(`${base}.${c.key}`, row.values[c.key], true, TRUNCATION.minTargetLength) ?? "";
        out[c.key] = target;
        if (c.required && target === "") r.flag("MISSING_FIELD", at, `${noun} "${name}" has no ${c.key}`);
        parsed = target === "" ? null : parseTarget(target);
        if (parsed?.op === "between" && parsed.min > parsed.max)
          r.flag("TARGET_RANGE_INVALID", at, `range ${parsed.min} > ${parsed.max}`);
      }
    }
    if (parsed !== undefined) out.parsed = parsed;
    // One row beside several label rows lost the rules between them: rows may be merged or lost.
    const merged = Object.values(row.values).some((v) => v.cells.some((c) => (c.labelsBeside ?? 0) >= 2));
    if (merged)
      r.flag(
        "LOW_CONFIDENCE",
        `form.${path}`,
        `${noun} ${i + 1} lies beside several label rows: rows may be merged or lost`,
      );
    return out;
  });
}
