import type { FileError } from "../errors.js";
import type { Queryable } from "./db.js";
import type { DocumentStatus, SubmittedVia } from "./repo.js";
import { IN_REVIEW_SQL } from "./review-policy.js";

/**
 * Submissions: every upload or ingest of a file (table `submissions`, migration 7), newest
 * first, with the document it is (the store keeps one document per sha256: a second submission
 * of the same bytes is a duplicate of the first one's document) and how far that document got.
 */

export interface SubmissionRow {
  id: number;
  /** The name it was submitted under (a duplicate may have another name than its document). */
  name: string;
  /** Null for a file stored before submissions were recorded (migration 7). */
  via: SubmittedVia | null;
  createdAt: string;
  documentId: number;
  documentName: string;
  status: DocumentStatus;
  pages: number | null;
  pagesDone: number;
  errors: FileError[];
  /** The same bytes were submitted before (as `documentName`, into document `documentId`). */
  duplicate: boolean;
  forms: number;
  /** Forms waiting for review under the policy. */
  waiting: number;
}

export async function countSubmissions(db: Queryable): Promise<{ total: number; running: number }> {
  const { rows } = await db.query<{ total: number | string; running: number | string }>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE d.status IN ('queued', 'processing')) AS running
     FROM submissions s JOIN documents d ON d.id = s.document_id`,
  );
  return { total: Number(rows[0]?.total ?? 0), running: Number(rows[0]?.running ?? 0) };
}

/** One page (1-based) of submissions, newest first. */
export async function listSubmissions(
  db: Queryable,
  page: number,
  pageSize: number,
): Promise<SubmissionRow[]> {
  const { rows } = await db.query<{
    id: number | string;
    name: string;
    via: SubmittedVia | null;
    created_at: string | Date;
    document_id: number | string;
    document_name: string;
    status: DocumentStatus;
    pages: number | null;
    pages_done: number;
    errors: FileError[] | string;
    first: number | string;
    forms: number | string;
    waiting: number | string;
  }>(
    `SELECT s.id, s.name, s.via, s.created_at, d.id AS document_id, d.name AS document_name, d.status, d.pages, d.pages_done, d.errors,
       (SELECT min(t.id) FROM submissions t WHERE t.document_id = d.id) AS first,
       (SELECT count(*) FROM forms f WHERE f.document_id = d.id) AS forms,
       (SELECT count(*) FROM forms f WHERE f.document_id = d.id AND ${IN_REVIEW_SQL}) AS waiting
     FROM submissions s JOIN documents d ON d.id = s.document_id
     ORDER BY s.id DESC LIMIT $1 OFFSET $2`,
    [pageSize, (page - 1) * pageSize],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    via: r.via,
    createdAt: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at),
    documentId: Number(r.document_id),
    documentName: r.document_name,
    status: r.status,
    pages: r.pages === null ? null : Number(r.pages),
    pagesDone: Number(r.pages_done),
    errors: typeof r.errors === "string" ? (JSON.parse(r.errors) as FileError[]) : r.errors,
    duplicate: Number(r.first) !== Number(r.id),
    forms: Number(r.forms),
    waiting: Number(r.waiting),
  }));
}
