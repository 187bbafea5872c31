import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import multipart from "@fastify/multipart";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from "fastify";
import { httpStatus } from "../codes.js";
import { InputError, QueueUnavailableError } from "../errors.js";
import type { FormexQueue } from "../queue/queue.js";
import { queueSubmitted } from "../queue/repair.js";
import type { Context } from "../service/context.js";
import { processDocument, submitFile } from "../service/documents.js";
import { documentCounts, getDocument, listForms } from "../store/repo.js";
import { type Reviewers, redactToken, reviewerOf, tokenLogin } from "./auth.js";
import { registerDocuments } from "./documents.js";
import { answer, registerFailures } from "./failures.js";
import { LOOPBACK_HOSTS, registerGuards } from "./guard.js";
import { registerReview } from "./review.js";
import { tokenPage, wantsHtml } from "./token-page.js";
import { PAGE_SCRIPTS, uploadErrorPage } from "./views.js";

/**
 * The upload API. Without a queue, uploads are read by this process (the in-process runner);
 * with one, they become BullMQ jobs for `formex worker`s.
 */

export interface ApiOptions {
  queue: FormexQueue | null;
  /** Largest upload, bytes. */
  maxUploadBytes: number;
  /** Reviewer tokens; when there are any, every request needs one (bearer header or cookie). */
  reviewers: Reviewers;
  /** Host names the server answers to (see guard.ts); null for any. Default: the loopback names. */
  allowedHosts?: ReadonlySet<string> | null;
}

/** The request as logged: method, URL without its token, host, peer. */
const loggedRequest = (req: FastifyRequest) => ({
  method: req.method,
  url: redactToken(req.url),
  host: req.headers.host,
  remoteAddress: req.ip,
});

export async function buildApi(ctx: Context, opts: ApiOptions): Promise<FastifyInstance> {
  // pino's Logger and Fastify's logger type differ only in generics; the instance is the same pino.
  const log = ctx.log.child({}, { serializers: { req: loggedRequest } });
  const app = Fastify({ loggerInstance: log as FastifyBaseLogger, bodyLimit: 1024 * 1024 });
  await app.register(multipart, { limits: { fileSize: opts.maxUploadBytes, files: 1 } });
  // The in-process runner: one document at a time, in upload order.
  let inProcess: Promise<unknown> = Promise.resolve();

  registerFailures(app);
  registerGuards(app, {
    allowedHosts: opts.allowedHosts === undefined ? LOOPBACK_HOSTS : opts.allowedHosts,
    scripts: PAGE_SCRIPTS,
  });
  app.addHook("onRequest", async (req, reply) => {
    if (reviewerOf(opts.reviewers, req) !== null) return;
    if (req.method === "GET" && tokenLogin(opts.reviewers, req, reply)) return;
    // A browser is asked for the token on a page; an API client gets the JSON 401.
    if (wantsHtml(req.headers.accept)) {
      const wrong = new URL(req.url, "http://x").searchParams.has("token");
      return (
        reply
          .code(httpStatus("UNAUTHORIZED"))
          .type("text/html; charset=utf-8")
          // A refused post (an upload) is not repeated by the login: the page leads back to the queue.
          .send(tokenPage(req.method === "GET" ? req.url : "/", wrong))
      );
    }
    await answer(
      reply,
      "UNAUTHORIZED",
      "missing or wrong token (Authorization: Bearer <token>, or open /?token=<token>)",
    );
  });
  registerReview(app, ctx, (req) => reviewerOf(opts.reviewers, req) ?? "unknown");
  registerDocuments(app, ctx, (req) => reviewerOf(opts.reviewers, req) ?? "unknown");

  /** Stores an upload and starts reading it; the reply body for both upload routes. */
  const handleUpload = async (
    req: FastifyRequest,
  ): Promise<{ status: number; body: Record<string, unknown> & { code?: string; message?: string } }> => {
    const part = await req.file();
    if (!part)
      return {
        status: httpStatus("NO_FILE"),
        body: { code: "NO_FILE", message: "send the file as multipart field 'file'" },
      };
    const tmpDir = join(ctx.config.dataDir, "tmp");
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, randomUUID());
    try {
      await pipeline(part.file, createWriteStream(tmp));
      if (part.file.truncated) {
        return {
          status: httpStatus("INPUT_TOO_LARGE"),
          body: { code: "INPUT_TOO_LARGE", message: `over the ${opts.maxUploadBytes}-byte upload limit` },
        };
      }
      // What the file is comes from its bytes (inspectFile), not its name or content type.
      const submitted = await submitFile(ctx, tmp, part.filename || "upload", "upload");
      const { document } = submitted;
      const body = {
        id: document.id,
        sha256: document.sha256,
        created: submitted.created,
        status: document.status,
        errors: document.errors,
      };
      // Input that cannot be read is refused, now and on every resubmission (its row says why):
      // 422 whatever its code, since the upload itself was well-formed.
      if (submitted.kind === null) {
        const first = document.errors[0];
        return { status: 422, body: { ...body, code: first?.code, message: first?.message } };
      }
      if (opts.queue) await queueSubmitted(ctx.db, opts.queue, submitted);
      else if (submitted.created || document.status === "queued")
        inProcess = inProcess
          .then(() => processDocument(ctx, document.sha256))
          .catch((err) => ctx.log.error({ err }, "processing failed"));
      return { status: submitted.created ? 202 : 200, body };
    } catch (err) {
      if (err instanceof InputError) return { status: httpStatus(err.code), body: { ...err.record() } };
      if (err instanceof QueueUnavailableError)
        return {
          status: httpStatus(err.code),
          body: { code: err.code, message: `${err.message}; send it again later` },
        };
      throw err;
    } finally {
      await rm(tmp, { force: true });
    }
  };

  app.post("/api/documents", async (req, reply) => {
    const { status, body } = await handleUpload(req);
    return reply.code(status).send(body);
  });

  // The review page's upload form: back to the queue, or a page saying what was wrong.
  // `?to=documents`: the documents page's form, back to that page.
  app.post<{ Querystring: { to?: string } }>("/upload", async (req, reply) => {
    const { status, body } = await handleUpload(req);
    const back = req.query.to === "documents" ? "/documents" : "/";
    if (status < 300)
      return reply.redirect(`${back}?uploaded=${body.id}${body.created === false ? "&same=1" : ""}`, 303);
    return reply
      .code(status)
      .type("text/html; charset=utf-8")
      .send(
        uploadErrorPage(
          String(body.code ?? "BAD_REQUEST"),
          String(body.message ?? ""),
          `/upload${back === "/" ? "" : "?to=documents"}`,
        ),
      );
  });

  app.get<{ Params: { id: string } }>("/api/documents/:id", async (req, reply) => {
    const doc = await getDocument(ctx.db, req.params.id);
    if (!doc) return answer(reply, "NOT_FOUND", `no document ${req.params.id}`);
    const forms = await listForms(ctx.db, { documentId: doc.id });
    const flagged = await listForms(ctx.db, { documentId: doc.id, flagged: true });
    return {
      ...doc,
      progress: doc.pages ? doc.pages_done / doc.pages : doc.status === "done" ? 1 : 0,
      forms: forms.length,
      // Waiting for review under the policy: the queue's forms of this document.
      flagged: flagged.length,
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
