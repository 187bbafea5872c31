import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import multipart from "@fastify/multipart";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { FormexQueue } from "../queue/queue.js";
import { InputError } from "../run/stages.js";
import type { Context } from "../service/context.js";
import { processDocument, submitFile } from "../service/documents.js";
import { documentCounts, getDocument, listForms } from "../store/repo.js";

/**
 * The upload API. Without a queue, uploads are read by this process (the in-process runner);
 * with one, they become BullMQ jobs for `formex worker`s.
 */

export interface ApiOptions {
  queue: FormexQueue | null;
  /** Largest upload, bytes. */
  maxUploadBytes: number;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token: string | undefined;
}

export async function buildApi(ctx: Context, opts: ApiOptions): Promise<FastifyInstance> {
  // pino's Logger and Fastify's logger type differ only in generics; the instance is the same pino.
  const app = Fastify({ loggerInstance: ctx.log as FastifyBaseLogger, bodyLimit: 1024 * 1024 });
  await app.register(multipart, { limits: { fileSize: opts.maxUploadBytes, files: 1 } });
  // The in-process runner: one document at a time, in upload order.
  let inProcess: Promise<unknown> = Promise.resolve();

  app.addHook("onRequest", async (req, reply) => {
    if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) {
      await reply.code(401).send({ code: "UNAUTHORIZED", message: "missing or wrong bearer token" });
    }
  });

  app.post("/api/documents", async (req, reply) => {
    const part = await req.file();
    if (!part)
      return reply.code(400).send({ code: "NO_FILE", message: "send the file as multipart field 'file'" });
    const tmpDir = join(ctx.config.dataDir, "tmp");
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, randomUUID());
    try {
      await pipeline(part.file, createWriteStream(tmp));
      if (part.file.truncated) {
        return reply
          .code(413)
          .send({ code: "INPUT_TOO_LARGE", message: `over the ${opts.maxUploadBytes}-byte upload limit` });
      }
      const name = part.filename || "upload";
      // What the file is comes from its bytes (inspectFile), not its name or content type.
      const submitted = await submitFile(ctx, tmp, name);
      const { document } = submitted;
      if (submitted.created && submitted.kind !== null) {
        if (opts.queue) await opts.queue.enqueue(submitted);
        else
          inProcess = inProcess
            .then(() => processDocument(ctx, document.sha256))
            .catch((err) => ctx.log.error({ err }, "processing failed"));
      }
      const status = submitted.created ? 202 : 200;
      return reply.code(status).send({
        id: document.id,
        sha256: document.sha256,
        created: submitted.created,
        status: document.status,
        errors: document.errors,
      });
    } catch (err) {
      if (err instanceof InputError) return reply.code(415).send(err.error);
      throw err;
    } finally {
      await rm(tmp, { force: true });
    }
  });

  app.get<{ Params: { id: string } }>("/api/documents/:id", async (req, reply) => {
    const doc = await getDocument(ctx.db, req.params.id);
    if (!doc) return reply.code(404).send({ code: "NOT_FOUND", message: `no document ${req.params.id}` });
    const forms = await listForms(ctx.db, { documentId: doc.id });
    return {
      ...doc,
      progress: doc.pages ? doc.pages_done / doc.pages : doc.status === "done" ? 1 : 0,
      forms: forms.length,
      flagged: forms.filter((f) => f.flags.some((x) => x.severity !== "info")).length,
    };
  });

  app.get<{ Querystring: { flagged?: string } }>("/api/forms", async (req) => {
    const flagged = req.query.flagged === undefined ? undefined : req.query.flagged === "true";
    return listForms(ctx.db, flagged === undefined ? {} : { flagged });
  });

  app.get("/api/status", async () => ({
    documents: await documentCounts(ctx.db),
    queue: opts.queue ? await opts.queue.counts() : null,
  }));

  return app;
}
