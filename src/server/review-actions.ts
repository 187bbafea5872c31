import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { dismissFlag, InvalidEditError, StaleEditError, undoDecision } from "../review/corrections.js";
import { addRow, deleteRow } from "../review/rows.js";
import type { Extraction } from "../schema.js";
import type { Context } from "../service/context.js";
import { cropImage, parseBox } from "./crops.js";
import { answer } from "./failures.js";
import { formView } from "./form-view.js";
import { formPageOf, parseId } from "./review.js";

/**
 * The form page's flag-by-flag review behind the API: a flag dismissed ("the value is right"), a
 * table row added or deleted, the last decision undone, and a cell's crop for the flag panel.
 * Every change names the version the reviewer saw and answers with the page's new parts
 * (form-view.ts), so the page updates in place.
 */

type ReviewerOf = (req: FastifyRequest) => string;
type Body = Record<string, unknown>;
type Req = FastifyRequest<{ Params: { id: string }; Body: Body | undefined }>;

const refused = (reply: FastifyReply, message: string, path = "") =>
  answer(reply, "INVALID_EDIT", message, { issues: [{ path, message }] });

export function registerReviewActions(app: FastifyInstance, ctx: Context, reviewerOf: ReviewerOf): void {
  const policy = ctx.options.review;
  const changed = (out: { current: Extraction; version: number }) => ({
    version: out.version,
    flags: out.current.flags,
    form: out.current.form,
    view: formView(out.current, policy),
  });

  /** Runs a change with the form id, version, comment and reviewer; a refusal answered in Chinese. */
  const change =
    (
      fn: (
        id: number,
        c: { version: number; reviewer: string; comment: string | null; policy: typeof policy },
        body: Body,
        reply: FastifyReply,
      ) => Promise<unknown>,
    ) =>
    async (req: Req, reply: FastifyReply) => {
      const id = parseId(req.params.id);
      if (id === null) return answer(reply, "NOT_FOUND", `没有这份表单：${req.params.id}`);
      const body = req.body && typeof req.body === "object" ? req.body : {};
      const { version, comment } = body;
      if (!Number.isInteger(version) || (comment != null && typeof comment !== "string"))
        return refused(reply, "version 须为整数，comment 须为文字（或省略）", "comment");
      try {
        const c = {
          version: version as number,
          reviewer: reviewerOf(req),
          comment: (comment as string) ?? null,
        };
        return await fn(id, { ...c, policy }, body, reply);
      } catch (err) {
        if (err instanceof StaleEditError)
          return answer(reply, err.code, err.message, { version: err.currentVersion });
        if (err instanceof InvalidEditError)
          return answer(reply, err.code, err.message, { issues: err.issues });
        throw err;
      }
    };

  app.post<{ Params: { id: string }; Body: Body | undefined }>(
    "/api/forms/:id/dismissals",
    change(async (id, c, { code, field }, reply) => {
      if (typeof code !== "string" || (field !== null && typeof field !== "string"))
        return refused(reply, "请发送 { code, field, version }：code 为标记代码，field 为字段路径或 null");
      return changed(await dismissFlag(ctx.db, id, { ...c, code, field }));
    }),
  );

  app.post<{ Params: { id: string }; Body: Body | undefined }>(
    "/api/forms/:id/rows",
    change(async (id, c, { table, at, values }, reply) => {
      if (typeof table !== "string" || (at !== undefined && !Number.isInteger(at)))
        return refused(reply, "请发送 { table, values, version }：table 为表格路径，at 为插入位置（可省略）");
      if (values === null || typeof values !== "object" || Array.isArray(values))
        return refused(reply, "values 须为按列名给出的一行值");
      const out = await addRow(ctx.db, id, {
        ...c,
        table,
        at: at as number | undefined,
        values: values as Body,
      });
      return { ...changed(out), path: out.path };
    }),
  );

  app.post<{ Params: { id: string }; Body: Body | undefined }>(
    "/api/forms/:id/rows/delete",
    change(async (id, c, { table, index }, reply) => {
      if (typeof table !== "string" || !Number.isInteger(index))
        return refused(reply, "请发送 { table, index, version }：index 为要删除的行（从 0 起）");
      const out = await deleteRow(ctx.db, id, { ...c, table, index: index as number });
      return { ...changed(out), path: out.path };
    }),
  );

  app.post<{ Params: { id: string }; Body: Body | undefined }>(
    "/api/forms/:id/undo",
    change(async (id, c) => undoDecision(ctx.db, id, c)),
  );

  app.get<{ Params: { id: string; n: string }; Querystring: { bbox?: string } }>(
    "/forms/:id/crops/:n.png",
    async (req, reply) => {
      const box = parseBox(req.query.bbox);
      if (!box) return answer(reply, "BAD_REQUEST", "bbox 须为 x0,y0,x1,y1（PDF 点，x1>x0，y1>y0）");
      const at = await formPageOf(ctx, req.params.id, req.params.n);
      if (!at) return answer(reply, "NOT_FOUND", "没有这一页");
      return reply
        .type("image/png")
        .header("cache-control", "private, max-age=3600")
        .send(await cropImage(ctx, at.doc, at.page, box));
    },
  );
}
