import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  applyCorrection,
  InvalidEditError,
  loadForm,
  reviewForm,
  StaleEditError,
} from "../review/corrections.js";
import type { Extraction } from "../schema.js";
import type { Context } from "../service/context.js";
import { localFile } from "../store/files.js";
import { formPage, type QueueRow, queuePage } from "./views.js";

/** The review page (`/`, `/forms/:id`) and the correction/review API behind it. */

/** Page images are rendered at 1.5 × 72 dpi: sharp enough to read a cell, small enough to load fast. */
export const IMAGE_SCALE = 1.5;

type ReviewerOf = (req: FastifyRequest) => string;

interface QueueFilters {
  flag?: string;
  applicant?: string;
  file?: string;
  status?: string;
}

async function queueRows(ctx: Context, f: QueueFilters): Promise<QueueRow[]> {
  const where = ["(f.needs_review OR f.review_status <> 'pending')"];
  const params: unknown[] = [];
  const status = f.status ?? "pending";
  if (status !== "all") {
    params.push(status);
    where.push(`f.review_status = $${params.length}`);
  }
  if (status === "pending") where.push("f.needs_review");
  if (f.flag) {
    params.push(f.flag);
    where.push(`EXISTS (SELECT 1 FROM export_flags g WHERE g.form_id = f.id AND g.code = $${params.length})`);
  }
  if (f.applicant) {
    params.push(`%${f.applicant}%`);
    where.push(`COALESCE(f.current, f.extraction)->'form'->>'applicant' ILIKE $${params.length}`);
  }
  if (f.file) {
    params.push(`%${f.file}%`);
    where.push(`d.name ILIKE $${params.length}`);
  }
  const { rows } = await ctx.db.query<{
    id: number;
    name: string;
    c: Extraction | string;
    review_status: string;
  }>(
    `SELECT f.id, d.name, COALESCE(f.current, f.extraction) AS c, f.review_status
     FROM forms f JOIN documents d ON d.id = f.document_id WHERE ${where.join(" AND ")} ORDER BY f.id LIMIT 500`,
    params,
  );
  return rows.map((r) => {
    const c = typeof r.c === "string" ? (JSON.parse(r.c) as Extraction) : r.c;
    return {
      id: Number(r.id),
      file: r.name,
      applicant: c.form.applicant,
      projectName: c.form.projectName,
      flags: c.flags.filter((x) => x.severity !== "info"),
      reviewStatus: r.review_status,
    };
  });
}

/** A rendered page image, cached by file hash, page and scale. */
async function pageImage(ctx: Context, sha256: string, name: string, pageNo: number): Promise<Buffer> {
  const cached = join(ctx.config.dataDir, "cache", "pages", sha256, `${pageNo}@${IMAGE_SCALE}.png`);
  const hit = await readFile(cached).catch(() => null);
  if (hit) return hit;
  const path = await localFile(ctx.db, ctx.config.dataDir, sha256);
  const result = await ctx.pool.run({ kind: "render", path, file: name, page: pageNo, scale: IMAGE_SCALE });
  if (result.kind !== "image")
    throw new Error(result.kind === "error" ? `${result.code}: ${result.message}` : "render failed");
  const png = Buffer.from(result.png);
  await mkdir(dirname(cached), { recursive: true });
  const tmp = `${cached}.${process.pid}.tmp`;
  await writeFile(tmp, png);
  await rename(tmp, cached);
  return png;
}

export function registerReview(app: FastifyInstance, ctx: Context, reviewerOf: ReviewerOf): void {
  app.get<{ Querystring: QueueFilters }>("/", async (req, reply) => {
    const rows = await queueRows(ctx, req.query);
    return reply.type("text/html; charset=utf-8").send(queuePage(rows, req.query, reviewerOf(req)));
  });

  app.get<{ Params: { id: string } }>("/forms/:id", async (req, reply) => {
    const stored = await loadForm(ctx.db, Number(req.params.id));
    if (!stored) return reply.code(404).type("text/plain; charset=utf-8").send("no such form");
    const ids = (await queueRows(ctx, {})).map((r) => r.id);
    const next = ids.find((i) => i > stored.id) ?? null;
    const prev = [...ids].reverse().find((i) => i < stored.id) ?? null;
    const html = formPage({
      id: stored.id,
      version: stored.version,
      current: stored.current,
      reviewStatus: stored.reviewStatus,
      reviewer: reviewerOf(req),
      imageScale: IMAGE_SCALE,
      nextId: next,
      prevId: prev,
    });
    return reply.type("text/html; charset=utf-8").send(html);
  });

  app.get<{ Params: { id: string; n: string } }>("/forms/:id/pages/:n.png", async (req, reply) => {
    const { rows } = await ctx.db.query<{ sha256: string; name: string }>(
      "SELECT d.sha256, d.name FROM forms f JOIN documents d ON d.id = f.document_id WHERE f.id = $1",
      [Number(req.params.id)],
    );
    const doc = rows[0];
    const n = Number(req.params.n);
    if (!doc || !Number.isInteger(n) || n < 1)
      return reply.code(404).send({ code: "NOT_FOUND", message: "no such page" });
    return reply
      .type("image/png")
      .header("cache-control", "private, max-age=3600")
      .send(await pageImage(ctx, doc.sha256, doc.name, n));
  });

  app.get<{ Params: { id: string } }>("/api/forms/:id", async (req, reply) => {
    const stored = await loadForm(ctx.db, Number(req.params.id));
    if (!stored) return reply.code(404).send({ code: "NOT_FOUND", message: `no form ${req.params.id}` });
    return {
      id: stored.id,
      version: stored.version,
      reviewStatus: stored.reviewStatus,
      current: stored.current,
      extraction: stored.extraction,
    };
  });

  const editErrors = (err: unknown, reply: import("fastify").FastifyReply) => {
    if (err instanceof StaleEditError)
      return reply.code(409).send({ code: err.code, message: err.message, version: err.currentVersion });
    if (err instanceof InvalidEditError)
      return reply.code(400).send({ code: err.code, message: err.message, issues: err.issues });
    throw err;
  };

  app.post<{
    Params: { id: string };
    Body: { field?: string; value?: unknown; version?: number; comment?: string | null };
  }>("/api/forms/:id/corrections", async (req, reply) => {
    const { field, value, version, comment } = req.body ?? {};
    if (typeof field !== "string" || typeof version !== "number") {
      return reply.code(400).send({ code: "INVALID_EDIT", message: "send { field, value, version }" });
    }
    try {
      const out = await applyCorrection(ctx.db, Number(req.params.id), {
        field,
        value,
        version,
        reviewer: reviewerOf(req),
        comment: comment ?? null,
      });
      return { version: out.version, flags: out.current.flags, form: out.current.form };
    } catch (err) {
      return editErrors(err, reply);
    }
  });

  app.post<{ Params: { id: string }; Body: { status?: string; version?: number; comment?: string | null } }>(
    "/api/forms/:id/review",
    async (req, reply) => {
      const { status, version, comment } = req.body ?? {};
      if ((status !== "approved" && status !== "rejected") || typeof version !== "number") {
        return reply
          .code(400)
          .send({ code: "INVALID_EDIT", message: 'send { status: "approved" | "rejected", version }' });
      }
      try {
        return {
          version: await reviewForm(ctx.db, Number(req.params.id), {
            status,
            version,
            reviewer: reviewerOf(req),
            comment: comment ?? null,
          }),
        };
      } catch (err) {
        return editErrors(err, reply);
      }
    },
  );
}
