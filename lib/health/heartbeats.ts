import { sql } from "kysely";
import type { Database } from "../../db/client.ts";

export type WorkerIdentity = {
  workerId: string;
  host: string;
  pid: number;
  queues: string[];
  startedAt: Date;
};

/** Inserts or refreshes the worker's row. beat_at is the database's clock, which getHealth compares with. */
export async function recordHeartbeat(db: Database, worker: WorkerIdentity): Promise<void> {
  await db
    .insertInto("worker_heartbeats")
    .values({
      worker_id: worker.workerId,
      host: worker.host,
      pid: worker.pid,
      queues: worker.queues,
      started_at: worker.startedAt,
      beat_at: sql<Date>`now()`,
    })
    .onConflict((oc) => oc.column("worker_id").doUpdateSet({ beat_at: sql<Date>`now()` }))
    .execute();
}

export async function removeHeartbeat(db: Database, workerId: string): Promise<void> {
  await db.deleteFrom("worker_heartbeats").where("worker_id", "=", workerId).execute();
}

/**
 * Deletes rows left by workers that died without cleaning up (SIGKILL, lost machine). getHealth
 * already ignores them after 30 s; a day keeps them around for anyone investigating the crash.
 */
export async function removeStaleHeartbeats(db: Database): Promise<void> {
  await db
    .deleteFrom("worker_heartbeats")
    .where("beat_at", "<", sql<Date>`now() - interval '1 day'`)
    .execute();
}
