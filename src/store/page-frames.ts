import { isPageFrame, type PageFrame } from "../ocr/page-frame.js";
import type { Queryable } from "./db.js";

/**
 * Each scanned page's frame (turn, skew, perspective) as OCR measured it, so the review image is
 * drawn in the frame the field boxes are in without measuring the page again.
 */

export type PageFrames = Array<{ page: number; frame: PageFrame }>;

/** Stores a document's frames; a document read again (a retried job) replaces its pages' frames. */
export async function savePageFrames(db: Queryable, documentId: number, frames: PageFrames): Promise<void> {
  if (frames.length === 0) return;
  await db.query(
    `INSERT INTO page_frames (document_id, page, frame)
     SELECT $1, (f->>'page')::int, f->'frame' FROM jsonb_array_elements($2::jsonb) AS f
     ON CONFLICT (document_id, page) DO UPDATE SET frame = EXCLUDED.frame`,
    [documentId, JSON.stringify(frames)],
  );
}

/** The stored frame of a document's page, or null (a text page, or read before frames were kept). */
export async function pageFrame(db: Queryable, sha256: string, page: number): Promise<PageFrame | null> {
  const { rows } = await db.query<{ frame: unknown }>(
    "SELECT pf.frame FROM page_frames pf JOIN documents d ON d.id = pf.document_id WHERE d.sha256 = $1 AND pf.page = $2",
    [sha256, page],
  );
  const frame = rows[0]?.frame;
  const value: unknown = typeof frame === "string" ? JSON.parse(frame) : frame;
  return isPageFrame(value) ? value : null;
}
