import type { PgBoss } from "pg-boss";
import { createBoss, startBoss } from "./boss.ts";

// The web process's pg-boss instance, started on first use (an upload that enqueues a job) and kept
// on globalThis like the database pool, so Next.js dev reloads don't start a second one.
const globalForBoss = globalThis as unknown as { parleyBoss?: Promise<PgBoss> };

/** The process-wide pg-boss instance on DATABASE_URL, started (schema and queues) once. */
export function getBoss(): Promise<PgBoss> {
  if (!globalForBoss.parleyBoss) {
    const url = process.env.DATABASE_URL;
    if (!url) return Promise.reject(new Error("DATABASE_URL is not set"));
    const started = startBoss(createBoss(url, { application: "parley-web" }));
    // A failed start is not cached: the next request tries again.
    started.catch(() => {
      if (globalForBoss.parleyBoss === started) globalForBoss.parleyBoss = undefined;
    });
    globalForBoss.parleyBoss = started;
  }
  return globalForBoss.parleyBoss;
}

/** Stops the instance if one was started (tests, shutdown). */
export async function stopBoss(): Promise<void> {
  const started = globalForBoss.parleyBoss;
  globalForBoss.parleyBoss = undefined;
  if (started) await (await started.catch(() => null))?.stop({ graceful: false });
}
