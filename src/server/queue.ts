import type { FastifyInstance, FastifyRequest } from "fastify";
import { actionableFlags } from "../flags.js";
import type { Context } from "../service/context.js";
import {
  flagCounts,
  lastPage,
  QUEUE_PAGE_SIZE,
  type QueueQuery,
  queueNeighbours,
  queuePageRows,
  statusCounts,
} from "../store/review-queue.js";
import { templateById } from "../templates/registry.js";
import { storeValues } from "../templates/template.js";
import { queueQueryOf, queueSearch } from "./queue-query.js";
import { type QueueRow, queuePage } from "./queue-view.js";
import { uploadedOf } from "./views.js";

/** The queue page (`/`): counts, then one page of forms in the chosen order, all from SQL. */

export function registerQueue(
  app: FastifyInstance,
  ctx: Context,
  reviewerOf: (req: FastifyRequest) => string,
): void {
  app.get<{ Querystring: Record<string, unknown> }>("/", async (req, reply) => {
    const asked = queueQueryOf(req.query);
    const policy = ctx.options.review;
    const [statuses, flags] = await Promise.all([
      statusCounts(ctx.db, asked, policy),
      flagCounts(ctx.db, asked, policy),
    ]);
    const total = statuses[asked.status];
    const last = lastPage(total);
    // A page past the last (the queue shrank, a typed URL) shows the last one.
    const query: QueueQuery = { ...asked, page: Math.min(asked.page, last) };
    const rows: QueueRow[] = (await queuePageRows(ctx.db, query, policy)).map((r) => {
      const { applicant, projectName } = storeValues(templateById(r.current.template), r.current.form);
      return {
        id: r.id,
        file: r.file,
        applicant,
        projectName,
        flags: actionableFlags(r.current.flags, policy),
        reviewStatus: r.reviewStatus,
        lowConfidence: r.lowConfidence,
      };
    });
    const uploaded = uploadedOf(req.query);
    const html = queuePage({
      rows,
      query,
      statuses,
      flags,
      total,
      lastPage: last,
      pageSize: QUEUE_PAGE_SIZE,
      reviewer: reviewerOf(req),
      uploaded,
    });
    return reply.type("text/html; charset=utf-8").send(html);
  });
}

/**
 * Where j/k lead from form `id`: the neighbours in the queue the reviewer came from (the form
 * page's query string), and that queue's URL at the page holding the form.
 */
export async function formNeighbours(
  ctx: Context,
  rawQuery: unknown,
  id: number,
): Promise<{ prevId: number | null; nextId: number | null; search: string; back: string }> {
  const q = queueQueryOf(rawQuery);
  const n = await queueNeighbours(ctx.db, q, id, ctx.options.review);
  const search = queueSearch(q, { page: 1 });
  return { prevId: n.prev, nextId: n.next, search, back: `/${queueSearch(q, { page: n.page })}` };
}
