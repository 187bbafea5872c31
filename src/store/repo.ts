import type { FileError } from "../errors.js";
import { needsReview, type ReviewPolicy } from "../flags.js";
import type { Extraction } from "../schema.js";
import { templateById } from "../templates/registry.js";
import { storeValues } from "../templates/template.js";
import type { Db, Queryable } from "./db.js";
import { IN_REVIEW_SQL } from "./review-policy.js";

/** Documents and forms in the database. Every write is idempotent: a retried job stores nothing twice. */

export type DocumentStatus = "queued" | "processing" | "done" | "failed";
/** How a file came in: the upload form or API, `formex ingest`, `formex extract --store`. */
export type SubmittedVia = "upload" | "ingest" | "extract";

export interface DocumentRow {
  id: number;
  sha256: string;
  name: string;
  size_bytes: number;
  pages: number | null;
  status: DocumentStatus;
  pages_done: number;
  errors: FileError[];
  created_at: string;
  updated_at: string;
}

/**
 * Registers a file by content. Returns the row and whether this call created it: only the caller
 * that created it enqueues work, so two concurrent uploads of one file make one document.
 */
export async function registerDocument(
  db: Queryable,
  doc: {
    sha256: string;
    name: string;
    size: number;
    pages: number | null;
    errors?: FileError[];
    via?: SubmittedVia;
  },
): Promise<{ document: DocumentRow; created: boolean }> {
  // `errors`: what inspecting the file found (a truncated PDF), kept for the job that reads it.
  const inserted = await db.query<DocumentRow>(
    `INSERT INTO documents (sha256, name, size_bytes, pages, errors) VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (sha256) DO NOTHING RETURNING *`,
    [doc.sha256, doc.name, doc.size, doc.pages, JSON.stringify(doc.errors ?? [])],
  );
  const document =
    inserted.rows[0] ??
    (await db.query<DocumentRow>("SELECT * FROM documents WHERE sha256 = $1", [doc.sha256])).rows[0]!;
  // Every submission is recorded, a duplicate too: the documents page says whose file it is.
  await db.query("INSERT INTO submissions (document_id, name, via) VALUES ($1, $2, $3)", [
    document.id,
    doc.name,
    doc.via ?? null,
  ]);
  return { document, created: inserted.rows[0] !== undefined };
}

/** A document by sha256 or id; null for anything else (`abc`, `1.5`), never a database error. */
export async function getDocument(db: Queryable, idOrSha: string | number): Promise<DocumentRow | null> {
  const key = String(idOrSha);
  const bySha = /^[0-9a-f]{64}$/.test(key);
  if (!bySha && !/^[1-9][0-9]{0,14}$/.test(key)) return null;
  const { rows } = await db.query<DocumentRow>(
    bySha ? "SELECT * FROM documents WHERE sha256 = $1" : "SELECT * FROM documents WHERE id = $1",
    [bySha ? key : Number(key)],
  );
  return rows[0] ?? null;
}

/** Counts pages read by a chunk; a document already done or failed (a late, stale chunk) is left alone. */
export async function markPagesRead(db: Queryable, sha256: string, pages: number): Promise<void> {
  await db.query(
    `UPDATE documents SET pages_done = LEAST(COALESCE(pages, 0), pages_done + $2), status = 'processing', updated_at = now()
     WHERE sha256 = $1 AND status IN ('queued', 'processing')`,
    [sha256, pages],
  );
}

/** Documents not yet done or failed: each should have a job in the queue. */
export async function unfinishedDocuments(db: Queryable): Promise<DocumentRow[]> {
  const { rows } = await db.query<DocumentRow>(
    "SELECT * FROM documents WHERE status IN ('queued', 'processing') ORDER BY id",
  );
  return rows;
}

/** Back to `queued` with no pages read, for a document whose job is queued afresh. */
export async function resetProgress(db: Queryable, sha256: string): Promise<void> {
  await db.query(
    "UPDATE documents SET status = 'queued', pages_done = 0, updated_at = now() WHERE sha256 = $1 AND status IN ('queued', 'processing')",
    [sha256],
  );
}

export async function setDocumentStatus(
  db: Queryable,
  sha256: string,
  patch: { status?: DocumentStatus; pages?: number; pagesDone?: number; errors?: FileError[] },
): Promise<void> {
  await db.query(
    `UPDATE documents SET
       status = COALESCE($2, status),
       pages = COALESCE($3, pages),
       pages_done = COALESCE($4, pages_done),
       errors = COALESCE($5::jsonb, errors),
       updated_at = now()
     WHERE sha256 = $1`,
    [
      sha256,
      patch.status ?? null,
      patch.pages ?? null,
      patch.pagesDone ?? null,
      patch.errors ? JSON.stringify(patch.errors) : null,
    ],
  );
}

/**
 * Stores a document's forms in one transaction, replacing what an earlier attempt stored.
 * Set-based: three statements for the whole document however many forms it holds (a 400-form
 * bundle was 1,200 round trips in the queue's serial document job). `needs_review` is judged by
 * the process's review policy (see review-policy.ts).
 */
export async function saveForms(
  db: Db,
  documentId: number,
  forms: readonly Extraction[],
  policy: ReviewPolicy,
): Promise<void> {
  const rows = forms.map((x) => {
    // The listed columns hold what the form's template maps to them (a mof form's 实施单位, funds.total).
    const v = storeValues(templateById(x.template), x.form);
    return {
      form_index: x.source.formIndex,
      year: typeof x.form.year === "number" ? x.form.year : null,
      applicant: v.applicant,
      project_name: v.projectName,
      total_budget: v.totalBudget,
      current_year_budget: v.currentYearBudget,
      needs_review: needsReview(x.flags, policy),
      extraction: x,
    };
  });
  const fields = forms.flatMap((x) =>
    Object.entries(x.fields).map(([path, p]) => ({ form_index: x.source.formIndex, path, ...p })),
  );
  const flags = forms.flatMap((x) =>
    x.flags.map((f, seq) => ({ form_index: x.source.formIndex, seq, ...f })),
  );
  await db.transaction(async (tx) => {
    await tx.query("DELETE FROM forms WHERE document_id = $1 AND form_index > $2", [
      documentId,
      forms.length,
    ]);
    await tx.query(
      `INSERT INTO forms (document_id, form_index, year, applicant, project_name, total_budget, current_year_budget, needs_review, extraction)
       SELECT $1, r.form_index, r.year, r.applicant, r.project_name, r.total_budget, r.current_year_budget, r.needs_review, r.extraction
       FROM jsonb_to_recordset($2::jsonb) AS r(form_index INTEGER, year INTEGER, applicant TEXT, project_name TEXT,
         total_budget NUMERIC, current_year_budget NUMERIC, needs_review BOOLEAN, extraction JSONB)
       ON CONFLICT (document_id, form_index) DO UPDATE SET
         year = EXCLUDED.year, applicant = EXCLUDED.applicant, project_name = EXCLUDED.project_name,
         total_budget = EXCLUDED.total_budget, current_year_budget = EXCLUDED.current_year_budget,
         needs_review = EXCLUDED.needs_review, extraction = EXCLUDED.extraction`,
      [documentId, JSON.stringify(rows)],
    );
    const ofDocument = "SELECT id FROM forms WHERE document_id = $1";
    await tx.query(`DELETE FROM fields WHERE form_id IN (${ofDocument})`, [documentId]);
    await tx.query(`DELETE FROM flags WHERE form_id IN (${ofDocument})`, [documentId]);
    await tx.query(
      `INSERT INTO fields (form_id, path, page, bbox, source, confidence)
       SELECT f.id, r.path, r.page, r.bbox, r.source, r.confidence
       FROM jsonb_to_recordset($2::jsonb) AS r(form_index INTEGER, path TEXT, page INTEGER, bbox JSONB, source TEXT, confidence DOUBLE PRECISION)
       JOIN forms f ON f.document_id = $1 AND f.form_index = r.form_index`,
      [documentId, JSON.stringify(fields)],
    );
    await tx.query(
      `INSERT INTO flags (form_id, seq, code, severity, field, message)
       SELECT f.id, r.seq, r.code, r.severity, r.field, r.message
       FROM jsonb_to_recordset($2::jsonb) AS r(form_index INTEGER, seq INTEGER, code TEXT, severity TEXT, field TEXT, message TEXT)
       JOIN forms f ON f.document_id = $1 AND f.form_index = r.form_index`,
      [documentId, JSON.stringify(flags)],
    );
  });
}

export interface FormQuery {
  /** Waiting for review (flags the policy routes and no decision since), or not. */
  flagged?: boolean;
  documentId?: number;
  limit?: number;
}

/** A stored form with its row ids: `id` is the form's id in the review page and API. */
export interface StoredForm {
  id: number;
  documentId: number;
  extraction: Extraction;
}

/** Stored forms in document and form order, with their ids, reviewers' corrections applied. */
export async function listStoredForms(db: Queryable, q: FormQuery = {}): Promise<StoredForm[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.flagged !== undefined) where.push(q.flagged ? IN_REVIEW_SQL : `NOT ${IN_REVIEW_SQL}`);
  if (q.documentId !== undefined) {
    params.push(q.documentId);
    where.push(`document_id = $${params.length}`);
  }
  params.push(q.limit ?? 100_000);
  const { rows } = await db.query<{
    id: number | string;
    document_id: number | string;
    extraction: Extraction | string;
  }>(
    `SELECT id, document_id, COALESCE(current, extraction) AS extraction FROM forms ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY document_id, form_index LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    documentId: Number(r.document_id),
    extraction: typeof r.extraction === "string" ? (JSON.parse(r.extraction) as Extraction) : r.extraction,
  }));
}

/** Stored forms as the output contract, with reviewers' corrections applied. */
export async function listForms(db: Queryable, q: FormQuery = {}): Promise<Extraction[]> {
  return (await listStoredForms(db, q)).map((f) => f.extraction);
}

export async function documentCounts(db: Queryable): Promise<Record<DocumentStatus, number>> {
  const { rows } = await db.query<{ status: DocumentStatus; n: number }>(
    "SELECT status, count(*)::int AS n FROM documents GROUP BY status",
  );
  const out: Record<DocumentStatus, number> = { queued: 0, processing: 0, done: 0, failed: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}
