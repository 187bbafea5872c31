import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Context } from "../service/context.js";
import { countSubmissions, listSubmissions } from "../store/submissions.js";
import { documentsPage } from "./documents-view.js";
import { lastPageOf, pageOf } from "./pager.js";
import { uploadedOf } from "./views.js";

/** The documents page (`/documents`) and the list it polls (`GET /api/documents`). */

export const DOCUMENTS_PAGE_SIZE = 50;

export function registerDocuments(
  app: FastifyInstance,
  ctx: Context,
  reviewerOf: (req: FastifyRequest) => string,
): void {
  /** The page asked for, read as the last when past it. */
  const pageData = async (asked: unknown) => {
    const { total, running } = await countSubmissions(ctx.db);
    const last = lastPageOf(total, DOCUMENTS_PAGE_SIZE);
    const page = Math.min(pageOf(asked), last);
    const rows = await listSubmissions(ctx.db, page, DOCUMENTS_PAGE_SIZE);
    return { total, running, page, last, rows };
  };

  app.get<{ Querystring: { page?: unknown; uploaded?: unknown; same?: unknown } }>(
    "/documents",
    async (req, reply) => {
      const d = await pageData(req.query.page);
      const uploaded = uploadedOf(req.query);
      const html = documentsPage({ ...d, size: DOCUMENTS_PAGE_SIZE, reviewer: reviewerOf(req), uploaded });
      return reply.type("text/html; charset=utf-8").send(html);
    },
  );

  app.get<{ Querystring: { page?: unknown } }>("/api/documents", async (req) => {
    const { total, running, page, last, rows } = await pageData(req.query.page);
    return { total, running, page, pages: last, pageSize: DOCUMENTS_PAGE_SIZE, rows };
  });
}
