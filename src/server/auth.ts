import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * Who is asking. Tokens come from FORMEX_REVIEWERS (`alice:token1,bob:token2`, so the audit trail
 * names people) and/or FORMEX_TOKEN (one shared token, reviewer "reviewer"). With no token
 * configured the server only listens on localhost and everyone is "local".
 * Clients send `Authorization: Bearer <token>`; a browser opens `/?token=<token>` once and
 * keeps an HttpOnly cookie.
 */

export interface Reviewers {
  byToken: Map<string, string>;
}

export function loadReviewers(env: Readonly<Record<string, string | undefined>>): Reviewers {
  const byToken = new Map<string, string>();
  if (env.FORMEX_TOKEN) byToken.set(env.FORMEX_TOKEN, "reviewer");
  for (const entry of (env.FORMEX_REVIEWERS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = entry.indexOf(":");
    if (at > 0 && at < entry.length - 1) byToken.set(entry.slice(at + 1), entry.slice(0, at));
  }
  return { byToken };
}

export const COOKIE = "formex_token";

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k !== COOKIE) continue;
    // A malformed escape (`%E0%A4%A`) is a wrong token, not a server error.
    try {
      return decodeURIComponent(v.join("="));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A request URL fit for the log: a `?token=` never reaches it. */
export function redactToken(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, "$1[redacted]");
}

function lookup(reviewers: Reviewers, token: string | undefined): string | null {
  if (!token) return null;
  const given = Buffer.from(token);
  for (const [known, name] of reviewers.byToken) {
    const k = Buffer.from(known);
    if (k.length === given.length && timingSafeEqual(k, given)) return name;
  }
  return null;
}

/** The reviewer's name, or null when the request must be refused. */
export function reviewerOf(reviewers: Reviewers, req: FastifyRequest): string | null {
  if (reviewers.byToken.size === 0) return "local";
  const auth = req.headers.authorization;
  const bearer = auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
  return lookup(reviewers, bearer) ?? lookup(reviewers, cookieToken(req.headers.cookie));
}

/** `?token=` on a page: remember it in a cookie and drop it from the address bar. */
export function tokenLogin(reviewers: Reviewers, req: FastifyRequest, reply: FastifyReply): boolean {
  const url = new URL(req.url, "http://x");
  const token = url.searchParams.get("token");
  if (!token || !lookup(reviewers, token)) return false;
  url.searchParams.delete("token");
  void reply
    .header("set-cookie", `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`)
    .redirect(`${url.pathname}${url.search}`);
  return true;
}
