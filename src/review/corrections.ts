import type { ReviewPolicy } from "../flags.js";
import type { Extraction } from "../schema.js";
import type { Db } from "../store/db.js";
import { templateById } from "../templates/registry.js";
import { type Change, commitChange } from "./commit.js";
import { readEditValue } from "./edit-values.js";
import { dismissKey } from "./history.js";
import { getAt, setAt, validateForm } from "./paths.js";
import { implausible } from "./plausible.js";
import { InvalidEditError, loadForm, type StoredForm } from "./stored.js";

/**
 * Reviewer corrections: an audit trail beside the untouched extraction. The current value is the
 * extraction with every correction applied; flags are recomputed after each edit (and after a row
 * is added or deleted, rows.ts, or a flag dismissed); an edit names the form version it was made
 * on, and a stale one is refused.
 */

export { reviewForm, undoDecision } from "./decisions.js";
export { REVIEW_FIELD } from "./history.js";
export { getAt, setAt, validateForm } from "./paths.js";
export { recomputeFlags } from "./recompute.js";
export { InvalidEditError, loadForm, StaleEditError, type StoredForm } from "./stored.js";

export interface Edit {
  field: string;
  value: unknown;
  /** The form version the reviewer saw. */
  version: number;
  reviewer: string;
  comment?: string | null;
  /** The process's review policy: the recomputed flags' `needs_review` is judged by it. */
  policy: ReviewPolicy;
}

/** Runs `fn` on the stored form in one transaction; a form that does not exist is refused. */
export async function withForm<T>(
  db: Db,
  formId: number,
  fn: (stored: StoredForm, commit: (c: Change) => ReturnType<typeof commitChange>) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const stored = await loadForm(tx, formId);
    if (!stored) throw new InvalidEditError(`没有第 ${formId} 号表单`, []);
    return fn(stored, (c) => commitChange(tx, stored, c));
  });
}

/** Applies one correction; returns the new current extraction and version. */
export async function applyCorrection(
  db: Db,
  formId: number,
  edit: Edit,
): Promise<{ current: Extraction; version: number }> {
  return withForm(db, formId, async (stored, commit) => {
    const old = getAt(stored.current.form, edit.field);
    const template = templateById(stored.current.template);
    // Read as the printed cell would be (dates, money in the field's unit, the year, a level).
    const read = readEditValue(template, edit.field, edit.value);
    if (!read.ok) throw new InvalidEditError(read.message, [{ path: edit.field, message: read.message }]);
    const value = read.value;
    const form = setAt(stored.current.form, edit.field, value, template);
    const issues = [...implausible(edit.field, value), ...validateForm(form, template)];
    if (issues.length > 0) throw new InvalidEditError(issues.map((i) => i.message).join("；"), issues);
    return commit({ ...edit, old, value, form });
  });
}

/**
 * "The value is right": the flag `code` on `field` (null: the whole form) is dismissed, a row of
 * the audit trail (old: the flag, new: "dismissed"), and stays dismissed when flags are
 * recomputed. Only a flag the form carries now can be dismissed.
 */
export async function dismissFlag(
  db: Db,
  formId: number,
  edit: Omit<Edit, "value" | "field"> & { code: string; field: string | null },
): Promise<{ current: Extraction; version: number }> {
  return withForm(db, formId, async (stored, commit) => {
    const flag = stored.current.flags.find((f) => f.code === edit.code && f.field === edit.field);
    const where = edit.field ?? "整份表单";
    if (!flag)
      throw new InvalidEditError(`这份表单没有这个标记：${edit.code}（${where}）`, [
        { path: edit.field ?? "form", message: "没有这个标记" },
      ]);
    return commit({
      ...edit,
      field: dismissKey(flag),
      old: flag,
      value: "dismissed",
      form: stored.current.form,
    });
  });
}
