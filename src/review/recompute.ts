import { type Flag, makeFlag } from "../flags.js";
import type { Extraction, FormValues } from "../schema.js";
import { templateById } from "../templates/registry.js";
import { isUnder, pathOf } from "../templates/template.js";
import { crossCheck, crossCodes, unsurePaths } from "../validate/crosscheck.js";
import { parseTarget } from "../values/target.js";
import { dismissKey, replay, type TrailRow } from "./history.js";
import { getAt } from "./paths.js";

/** A form's flags after reviewers' changes: what reading found, checks of edited cells redone, dismissals applied. */

/** Flags produced by reading a cell: a reviewer's value for that cell replaces them. */
const READING_CODES = new Set([
  "MISSING_FIELD",
  "UNPARSEABLE_VALUE",
  "TRUNCATED_TEXT",
  "RECOVERED_CLIPPED_TEXT",
  "LOW_CONFIDENCE",
  "TARGET_RANGE_INVALID",
]);

/**
 * Flags for the current form: reading flags of uncorrected cells kept, checks of edited cells and
 * cross-checks redone, dismissed flags left out. `base` is the extraction's flags with their fields
 * moved to the current rows (history.ts); the extraction's own when no row was added or deleted.
 */
export function recomputeFlags(
  extraction: Extraction,
  current: FormValues,
  corrected: ReadonlySet<string>,
  base: readonly Flag[] = extraction.flags,
  dismissed: ReadonlySet<string> = new Set(),
): Flag[] {
  const template = templateById(extraction.template);
  const cross = crossCodes(template);
  const optional = new Set(template.fields.filter((f) => !f.required).map(pathOf));
  const kept = base.filter(
    (f) => !cross.has(f.code) && !(READING_CODES.has(f.code) && isUnder(f.field, corrected)),
  );
  const redone: Flag[] = [];
  for (const path of corrected) {
    const value = getAt(current, path);
    const key = path.replace(/^form\./, "");
    const empty =
      value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
    if (empty && !optional.has(key)) redone.push(makeFlag("MISSING_FIELD", path, "emptied by a reviewer"));
    if (/\.target$/.test(path) && typeof value === "string") {
      const parsed = parseTarget(value);
      if (parsed?.op === "between" && parsed.min > parsed.max)
        redone.push(makeFlag("TARGET_RANGE_INVALID", path, `range ${parsed.min} > ${parsed.max}`));
    }
  }
  // A value a reviewer confirmed (its flag dismissed) or corrected is no longer in doubt.
  const unsure = unsurePaths(kept.filter((f) => !dismissed.has(dismissKey(f))));
  const all = [...kept, ...redone, ...crossCheck(current, template, unsure)];
  return all.filter((f) => !dismissed.has(dismissKey(f)));
}

/** The flags after the trail (ending with the change being made) is replayed over the extraction. */
export function flagsAfterTrail(
  extraction: Extraction,
  current: FormValues,
  trail: readonly TrailRow[],
): Flag[] {
  const r = replay(extraction.flags, trail);
  return recomputeFlags(extraction, current, r.corrected, r.readFlags, r.dismissed);
}
