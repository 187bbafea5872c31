import { Redis } from "ioredis";

/** Redis connections as BullMQ's "going to production" guide asks. */

type OnError = (err: Error) => void;

export function workerConnection(url: string, onError: OnError): Redis {
  // Workers block on Redis: never give up a command, reconnect forever.
  const redis = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 200, 5000) });
  redis.on("error", onError);
  return redis;
}

export function producerConnection(url: string, onError: OnError): Redis {
  // A producer should fail fast when Redis is down instead of queueing commands in memory.
  const redis = new Redis(url, { maxRetriesPerRequest: 3, enableOfflineQueue: false, lazyConnect: true });
  redis.on("error", onError);
  return redis;
}

/** BullMQ loses jobs if Redis evicts keys: refuse to run unless maxmemory-policy is noeviction. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  if (redis.status === "wait") await redis.connect();
  const reply = (await redis.config("GET", "maxmemory-policy")) as string[];
  const policy = reply[1];
  if (policy !== "noeviction") {
    throw new Error(
      `Redis maxmemory-policy is "${policy}"; formex needs "noeviction" (CONFIG SET maxmemory-policy noeviction) or queued jobs can be lost`,
    );
  }
}
