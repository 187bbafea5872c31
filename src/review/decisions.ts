import type { Db, Queryable } from "../store/db.js";
import { audit, REVIEW_FIELD } from "./history.js";
import { InvalidEditError, loadForm, StaleEditError, type StoredForm } from "./stored.js";

/** A reviewer's decisions on a form (approve, reject) and the undo of the last one, each a row of the audit trail. */

type Status = StoredForm["reviewStatus"];

async function setStatus(
  db: Db,
  formId: number,
  next: (stored: StoredForm, tx: Queryable) => Promise<Status>,
  decision: { version: number; reviewer: string; comment?: string | null },
): Promise<{ version: number; status: Status }> {
  return db.transaction(async (tx) => {
    const stored = await loadForm(tx, formId);
    if (!stored) throw new InvalidEditError(`没有第 ${formId} 号表单`, []);
    if (stored.version !== decision.version) throw new StaleEditError(stored.version);
    const status = await next(stored, tx);
    const decided = status !== "pending";
    const { rows } = await tx.query<{ version: number }>(
      `UPDATE forms SET review_status = $2, review_comment = $3, reviewed_by = $4,
       reviewed_at = CASE WHEN $6 THEN now() ELSE NULL END, version = version + 1
       WHERE id = $1 AND version = $5 RETURNING version`,
      [
        formId,
        status,
        decided ? (decision.comment ?? null) : null,
        decided ? decision.reviewer : null,
        decision.version,
        decided,
      ],
    );
    if (!rows[0]) throw new StaleEditError(stored.version);
    await audit(
      tx,
      formId,
      REVIEW_FIELD,
      stored.reviewStatus,
      status,
      decision.reviewer,
      decision.comment ?? null,
      decision.version,
    );
    return { version: Number(rows[0].version), status };
  });
}

/** Approves or rejects a form as of the version the reviewer saw; the decision is a row in the audit trail. */
export async function reviewForm(
  db: Db,
  formId: number,
  decision: { status: "approved" | "rejected"; version: number; reviewer: string; comment?: string | null },
): Promise<number> {
  return (await setStatus(db, formId, async () => decision.status, decision)).version;
}

/** The comment an undo is recorded with when the reviewer gave none. */
export const UNDO_COMMENT = "撤销上一次决定";

/**
 * Undoes the form's last decision: the status goes back to what it was before it (待审核 after a
 * first decision), recorded as a row of its own. A form waiting for review has nothing to undo.
 */
export async function undoDecision(
  db: Db,
  formId: number,
  decision: { version: number; reviewer: string; comment?: string | null },
): Promise<{ version: number; status: Status }> {
  const restore = async (stored: StoredForm, tx: Queryable) => {
    if (stored.reviewStatus === "pending")
      throw new InvalidEditError("这份表单还没有决定，无可撤销", [
        { path: REVIEW_FIELD, message: "没有可撤销的决定" },
      ]);
    const { rows } = await tx.query<{ o: string | null }>(
      "SELECT old_value::text AS o FROM corrections WHERE form_id = $1 AND field = $2 ORDER BY id DESC LIMIT 1",
      [formId, REVIEW_FIELD],
    );
    const before = rows[0]?.o ? (JSON.parse(rows[0].o) as unknown) : "pending";
    return before === "approved" || before === "rejected" ? before : "pending";
  };
  return setStatus(db, formId, restore, { ...decision, comment: decision.comment ?? UNDO_COMMENT });
}
