import { sql } from "kysely";
import type { Database } from "../../db/client.ts";

/** A worker counts as alive while its last heartbeat is this recent (it beats every 10 s). */
export const WORKER_FRESH_SECONDS = 30;

export type Health = {
  /** "down": the database cannot be reached (the route answers 503); "degraded": no live worker. */
  status: "ok" | "degraded" | "down";
  database: { ok: boolean; latencyMs: number };
  worker: { ok: boolean; workers: number; lastBeatAt: Date | null };
};

/**
 * One round trip that both proves the database answers and counts live workers. Freshness is judged
 * by the database's clock, which also stamped the beats, so clock skew between hosts cannot matter.
 */
export async function getHealth(db: Database, opts: { timeoutMs?: number } = {}): Promise<Health> {
  // A hung database must fail the probe rather than hang it past the load balancer's own timeout.
  const timeoutMs = opts.timeoutMs ?? 2000;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const row = await Promise.race([
      db
        .selectFrom("worker_heartbeats")
        .select([
          sql<string>`count(*) filter (where beat_at > now() - make_interval(secs => ${WORKER_FRESH_SECONDS}))`.as(
            "workers",
          ),
          sql<Date | null>`max(beat_at)`.as("last_beat_at"),
        ])
        .executeTakeFirstOrThrow(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const latencyMs = Math.round(performance.now() - started);
    const workers = Number(row.workers);
    return {
      status: workers > 0 ? "ok" : "degraded",
      database: { ok: true, latencyMs },
      worker: { ok: workers > 0, workers, lastBeatAt: row.last_beat_at },
    };
  } catch (err) {
    // Logged, not returned: the health route is public and the reason can name hosts.
    console.error(`[health] database check failed: ${err instanceof Error ? err.message : String(err)}`);
    return {
      status: "down",
      database: { ok: false, latencyMs: Math.round(performance.now() - started) },
      worker: { ok: false, workers: 0, lastBeatAt: null },
    };
  } finally {
    clearTimeout(timer);
  }
}
