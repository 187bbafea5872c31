import type { ResponseCode } from "../codes.js";
import type { Extraction } from "../schema.js";
import type { Queryable } from "../store/db.js";

/** A stored form as the review reads it, and the two ways a change to it is refused. */

export class StaleEditError extends Error {
  readonly code: ResponseCode = "STALE_EDIT";
  constructor(readonly currentVersion: number) {
    super(`这份表单已被他人修改（现为第 ${currentVersion} 版）；请重新载入后再改`);
  }
}

export class InvalidEditError extends Error {
  readonly code: ResponseCode = "INVALID_EDIT";
  constructor(
    message: string,
    readonly issues: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

export interface StoredForm {
  id: number;
  version: number;
  extraction: Extraction;
  current: Extraction;
  reviewStatus: "pending" | "approved" | "rejected";
}

function parseRow<T>(row: T | string): T {
  return typeof row === "string" ? (JSON.parse(row) as T) : row;
}

export async function loadForm(db: Queryable, id: number): Promise<StoredForm | null> {
  const { rows } = await db.query<{
    id: number;
    version: number;
    extraction: Extraction | string;
    current: Extraction | string | null;
    review_status: StoredForm["reviewStatus"];
  }>("SELECT id, version, extraction, current, review_status FROM forms WHERE id = $1", [id]);
  const r = rows[0];
  if (!r) return null;
  const extraction = parseRow(r.extraction);
  return {
    id: Number(r.id),
    version: Number(r.version),
    extraction,
    current: r.current ? parseRow(r.current) : extraction,
    reviewStatus: r.review_status,
  };
}
