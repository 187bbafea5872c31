import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { answer } from "./failures.js";

/**
 * What keeps a browser from being turned against the server: with no token, anyone who can make
 * a browser send a request could otherwise read or change every form. `Host` must name the bound
 * address (a DNS-rebinding page sends its own name), every state change must come from this
 * origin (no cross-site form posts), and every response carries headers that forbid framing,
 * sniffing, referrer leaks and any script but the review page's own.
 */

export interface GuardOptions {
  /** Host names (no port) the server answers to; null answers any (a token is then required). */
  allowedHosts: ReadonlySet<string> | null;
  /** The inline scripts the pages carry, allowed by hash in the Content-Security-Policy. */
  scripts: readonly string[];
}

/** The names a browser on this machine uses for a server bound to 127.0.0.1 or ::1. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The name in a Host header without its port (`[::1]:8080` → `[::1]`). */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  return h.split(":")[0] ?? "";
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state change is cross-site when the browser says so: Sec-Fetch-Site (which no page can set)
 * when sent, else an Origin other than ours (`null` included: a sandboxed frame). Clients that
 * send neither are not browsers, and a page cannot make a browser omit both.
 */
function crossOrigin(req: FastifyRequest): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined) return site !== "same-origin" && site !== "none";
  const origin = req.headers.origin;
  const host = req.headers.host ?? "";
  return origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`;
}

export function registerGuards(app: FastifyInstance, opts: GuardOptions): void {
  const hashes = opts.scripts.map((s) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`);
  const csp = [
    "default-src 'none'",
    `script-src ${hashes.join(" ") || "'none'"}`,
    "style-src 'unsafe-inline'",
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");

  app.addHook("onRequest", async (req, reply) => {
    if (opts.allowedHosts && !opts.allowedHosts.has(hostName(req.headers.host ?? ""))) {
      return answer(
        reply,
        "BAD_HOST",
        `this server answers to ${[...opts.allowedHosts].join(", ")}, not "${req.headers.host ?? ""}"`,
      );
    }
    if (!SAFE_METHODS.has(req.method) && crossOrigin(req)) {
      return answer(reply, "CROSS_ORIGIN", "changes are accepted only from this server's own pages");
    }
  });

  app.addHook("onSend", async (_req, reply) => {
    reply.header("content-security-policy", csp);
    reply.header("x-content-type-options", "nosniff");
    reply.header("x-frame-options", "DENY");
    // Not no-referrer: with it a browser sends `Origin: null` on our own form posts.
    reply.header("referrer-policy", "same-origin");
    reply.header("cross-origin-opener-policy", "same-origin");
  });
}
