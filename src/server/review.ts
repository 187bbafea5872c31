import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  applyCorrection,
  InvalidEditError,
  loadForm,
  reviewForm,
  StaleEditError,
} from "../review/corrections.js";
import type { Context } from "../service/context.js";
import { answer } from "./failures.js";
import { formView } from "./form-view.js";
import { IMAGE_SCALE, pageImage } from "./page-images.js";
import { formNeighbours, registerQueue } from "./queue.js";
import { registerReviewActions } from "./review-actions.js";
import { formPage } from "./views.js";

/** The review page (`/`, `/forms/:id`) and the correction/review API behind it. */

/** A positive whole number from a URL (`12`), or null (`abc`, `1.5`, `-1`, `1e3`): those are 404s, never queries. */
export function parseId(text: string): number | null {
  return /^[1-9][0-9]{0,14}$/.test(text) ? Number(text) : null;
}

type ReviewerOf = (req: FastifyRequest) => string;

/** The document a form came from and one of its pages, by URL parts; null when either is not there. */
export async function formPageOf(
  ctx: Context,
  idText: string,
  pageText: string,
): Promise<{ doc: { sha256: string; name: string }; page: number } | null> {
  const id = parseId(idText);
  const page = parseId(pageText);
  if (id === null || page === null) return null;
  const { rows } = await ctx.db.query<{ sha256: string; name: string; pages: number | null }>(
    "SELECT d.sha256, d.name, d.pages FROM forms f JOIN documents d ON d.id = f.document_id WHERE f.id = $1",
    [id],
  );
  const doc = rows[0];
  return doc && page <= (doc.pages ?? 0) ? { doc, page } : null;
}

export function registerReview(app: FastifyInstance, ctx: Context, reviewerOf: ReviewerOf): void {
  registerQueue(app, ctx, reviewerOf);
  registerReviewActions(app, ctx, reviewerOf);

  app.get<{ Params: { id: string }; Querystring: unknown }>("/forms/:id", async (req, reply) => {
    const id = parseId(req.params.id);
    const stored = id === null ? null : await loadForm(ctx.db, id);
    if (!stored) return reply.code(404).type("text/plain; charset=utf-8").send("没有这份表单");
    // j/k walk the queue the reviewer came from: its filter and order ride in the query string.
    const near = await formNeighbours(ctx, req.query, stored.id);
    const html = formPage({
      id: stored.id,
      version: stored.version,
      current: stored.current,
      reviewStatus: stored.reviewStatus,
      reviewer: reviewerOf(req),
      imageScale: IMAGE_SCALE,
      nextId: near.nextId,
      prevId: near.prevId,
      queue: { search: near.search, back: near.back },
      policy: ctx.options.review,
    });
    return reply.type("text/html; charset=utf-8").send(html);
  });

  app.get<{ Params: { id: string; n: string } }>("/forms/:id/pages/:n.png", async (req, reply) => {
    const at = await formPageOf(ctx, req.params.id, req.params.n);
    if (!at) return answer(reply, "NOT_FOUND", "没有这一页");
    return reply
      .type("image/png")
      .header("cache-control", "private, max-age=3600")
      .send(await pageImage(ctx, at.doc.sha256, at.doc.name, at.page));
  });

  app.get<{ Params: { id: string } }>("/api/forms/:id", async (req, reply) => {
    const id = parseId(req.params.id);
    const stored = id === null ? null : await loadForm(ctx.db, id);
    if (!stored) return answer(reply, "NOT_FOUND", `没有这份表单：${req.params.id}`);
    return {
      id: stored.id,
      version: stored.version,
      reviewStatus: stored.reviewStatus,
      current: stored.current,
      extraction: stored.extraction,
    };
  });

  const editErrors = (err: unknown, reply: FastifyReply) => {
    if (err instanceof StaleEditError)
      return answer(reply, err.code, err.message, { version: err.currentVersion });
    if (err instanceof InvalidEditError) return answer(reply, err.code, err.message, { issues: err.issues });
    throw err;
  };

  /** The form id, version and comment every change names; null after replying 400/404. */
  const changeOf = async (
    req: FastifyRequest<{ Params: { id: string }; Body: unknown }>,
    reply: FastifyReply,
  ): Promise<{ id: number; version: number; comment: string | null } | null> => {
    const id = parseId(req.params.id);
    if (id === null) {
      await answer(reply, "NOT_FOUND", `没有这份表单：${req.params.id}`);
      return null;
    }
    const { version, comment } = (req.body ?? {}) as { version?: unknown; comment?: unknown };
    if (
      !Number.isInteger(version) ||
      (comment !== undefined && comment !== null && typeof comment !== "string")
    ) {
      await answer(reply, "INVALID_EDIT", "version 须为整数，comment 须为文字（或省略）", {
        issues: [{ path: "comment", message: "须为文字" }],
      });
      return null;
    }
    return { id, version: version as number, comment: (comment as string | null | undefined) ?? null };
  };

  app.post<{ Params: { id: string }; Body: { field?: unknown; value?: unknown } }>(
    "/api/forms/:id/corrections",
    async (req, reply) => {
      const change = await changeOf(req, reply);
      if (!change) return reply;
      const { field, value } = req.body ?? {};
      if (typeof field !== "string")
        return answer(reply, "INVALID_EDIT", "请发送 { field, value, version }：field 为字段路径");
      try {
        const out = await applyCorrection(ctx.db, change.id, {
          field,
          value,
          version: change.version,
          reviewer: reviewerOf(req),
          comment: change.comment,
          policy: ctx.options.review,
        });
        return {
          version: out.version,
          flags: out.current.flags,
          form: out.current.form,
          view: formView(out.current, ctx.options.review),
        };
      } catch (err) {
        return editErrors(err, reply);
      }
    },
  );

  app.post<{ Params: { id: string }; Body: { status?: unknown } }>(
    "/api/forms/:id/review",
    async (req, reply) => {
      const change = await changeOf(req, reply);
      if (!change) return reply;
      const status = req.body?.status;
      if (status !== "approved" && status !== "rejected")
        return answer(reply, "INVALID_EDIT", '请发送 { status: "approved" | "rejected", version }');
      try {
        return {
          version: await reviewForm(ctx.db, change.id, {
            status,
            version: change.version,
            reviewer: reviewerOf(req),
            comment: change.comment,
          }),
        };
      } catch (err) {
        return editErrors(err, reply);
      }
    },
  );
}
