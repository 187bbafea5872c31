import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A Redis and a PostgreSQL of the test's own, on free ports in a temporary folder, for fault
 * injection: the machine's shared services are never stopped. PostgreSQL refuses to run as root,
 * so as root its cluster belongs to, and runs as, the `postgres` OS user.
 */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface PrivateRedis {
  url: string;
  /** Stops the server (SIGTERM: an append-only file is flushed; without one the data is gone). */
  stop(): Promise<void>;
  start(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function startPrivateRedis(persistence: "aof" | "none"): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), "formex-redis-"));
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir];
  args.push(
    ...(persistence === "aof" ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
  );
  let server: ChildProcess | null = null;
  const { Redis } = await import("ioredis");
  const ping = async () => {
    const probe = new Redis(port, "127.0.0.1", {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === "PONG";
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  };
  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    start: async () => {
      server = spawn("redis-server", args, { stdio: "ignore" });
      await until(`redis-server on port ${port}`, ping);
    },
    stop: async () => {
      const s = server;
      server = null;
      if (!s || s.exitCode !== null) return;
      const exited = new Promise((r) => s.once("exit", r));
      s.kill("SIGTERM");
      await exited;
    },
    cleanup: async () => {
      server?.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}

/** The newest installed PostgreSQL server's bin folder (Debian's layout), or PATH. */
function pgBin(tool: string): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", tool)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions[0] ? join(root, versions[0], "bin", tool) : tool;
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL tool as the user that may own a cluster (`postgres` when we are root). */
function pgTool(tool: string, args: string[]): void {
  const [cmd, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", pgBin(tool), ...args]]
    : [pgBin(tool), args];
  execFileSync(cmd, argv, { stdio: ["ignore", "ignore", "pipe"], timeout: 120_000 });
}

export interface PrivatePostgres {
  url: string;
  /** A fast shutdown: open sessions are terminated (57P01), as a database restart does. */
  stop(): Promise<void>;
  start(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), "formex-pg-"));
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  const port = await freePort();
  pgTool("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  // Test data need not survive a crash: no fsync keeps the cluster fast on a shared machine.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const pg: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: async () => pgTool("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"]),
    stop: async () => pgTool("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]),
    cleanup: async () => {
      try {
        pgTool("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await pg.start();
  return pg;
}
