import type { PgBoss } from "pg-boss";
import type { BatchHandler } from "./context.ts";

// pg-boss sends a NOTIFY when a job is created, not when a failed job becomes due for its retry:
// on a notify queue the worker would only see the retry at its backstop poll (30 s), however short
// the queue's retryDelay. The worker that failed a job knows when the retry is due: it reads the
// job's new start time once pg-boss has stored the failure, and wakes its own pg-boss worker then.

/** Once pg-boss has stored a failure (it settles the batch after the handler returns). */
const SETTLED_AFTER_MS = 200;
const SETTLE_LOOKS = 10;
/** Past the due time, so the fetch does not come a moment too early (clocks round differently). */
const DUE_MARGIN_MS = 100;

export function wakeForRetries(
  boss: PgBoss,
  queue: string,
  workerId: () => string | undefined,
  handler: BatchHandler,
): BatchHandler {
  return async (jobs) => {
    const results = await handler(jobs);
    const failed = results.filter((r) => r.status === "failed").map((r) => r.id);
    if (failed.length)
      setTimeout(() => void scheduleWakes(boss, queue, workerId, failed), SETTLED_AFTER_MS).unref();
    return results;
  };
}

async function scheduleWakes(boss: PgBoss, queue: string, workerId: () => string | undefined, ids: string[]) {
  for (const id of ids) {
    let job = await boss.getJobById(queue, id).catch(() => null);
    // Still active: pg-boss has not stored the failure yet (a busy database); look again shortly.
    for (let look = 1; job?.state === "active" && look < SETTLE_LOOKS; look++) {
      await new Promise((resolve) => setTimeout(resolve, SETTLED_AFTER_MS));
      job = await boss.getJobById(queue, id).catch(() => null);
    }
    if (job?.state !== "retry") continue; // out of retries, or already picked up again
    const due = Math.max(0, job.startAfter.getTime() - Date.now()) + DUE_MARGIN_MS;
    setTimeout(() => {
      const id = workerId();
      if (id) boss.notifyWorker(id);
    }, due).unref();
  }
}
