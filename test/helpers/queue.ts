import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import type { Config } from "../../src/config.js";
import { ROOT } from "./cli.js";

/** Queue tests' shared pieces: polling, big bundles, worker and CLI processes. */

export const BUNDLE = join(ROOT, "fixtures/pdf/bundle-4forms.pdf");

export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 90_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A bundle of `copies` × the 4-form fixture bundle (12 pages each), written to `dir`. */
export async function bigBundle(
  dir: string,
  copies: number,
  name = `bundle-${copies * 12}.pdf`,
): Promise<string> {
  const src = await PDFDocument.load(readFileSync(BUNDLE));
  const out = await PDFDocument.create();
  const pages = await out.copyPages(src, Array.from({ length: copies }, () => src.getPageIndices()).flat());
  for (const p of pages) out.addPage(p);
  const file = join(dir, name);
  writeFileSync(file, await out.save());
  return file;
}

/** The environment a formex process needs to use `config` (its queue, schema, data folder). */
export function serviceEnv(config: Config, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    REDIS_URL: config.redisUrl,
    DATABASE_URL: config.databaseUrl,
    FORMEX_QUEUE: config.queue,
    FORMEX_DB_SCHEMA: config.schema,
    FORMEX_DATA: config.dataDir,
    FORMEX_LOCK_MS: "2000",
    FORMEX_LOG_LEVEL: "warn",
    ...extra,
  };
}

/** `formex <args>` from source as a child process, stderr collected in `stderr()`. */
export function spawnFormex(
  args: string[],
  env: NodeJS.ProcessEnv,
): ChildProcess & { stderr: NonNullable<ChildProcess["stderr"]>; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/bin.ts"), ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let text = "";
  child.stderr?.on("data", (d: Buffer) => {
    text += d.toString();
  });
  return Object.assign(child, { output: () => text }) as ChildProcess & {
    stderr: NonNullable<ChildProcess["stderr"]>;
    output: () => string;
  };
}

export function spawnWorker(config: Config, redisUrl = config.redisUrl ?? "") {
  return spawnFormex(["worker", "--workers", "1"], serviceEnv({ ...config, redisUrl }));
}

/** Resolves with the exit code once `child` exits. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}
