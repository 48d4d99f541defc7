import { PgBoss } from "pg-boss";
import { allJobs } from "./definitions.ts";

/** A pg-boss instance on Parley's database; its tables live in the `pgboss` schema. */
export function createBoss(connectionString: string, opts: { application?: string } = {}): PgBoss {
  return new PgBoss({
    connectionString,
    application_name: opts.application ?? "parley-jobs",
    useListenNotify: true, // wake workers on notify-enabled queues at once (see NOTES: 2–6 s otherwise)
    max: 4,
  });
}

/** Starts the instance (installing or upgrading its schema) and creates every queue Parley uses. */
export async function startBoss(boss: PgBoss): Promise<PgBoss> {
  await boss.start();
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  // A queue can only name a dead-letter queue that exists: those without one (the dead-letter
  // queues among them) go first.
  const ordered = [...allJobs].sort(
    (a, b) => Number(Boolean(a.queue.deadLetter)) - Number(Boolean(b.queue.deadLetter)),
  );
  for (const job of ordered) {
    // A queue's policy is fixed at creation (pg-boss refuses to change it); the rest is kept current.
    const { policy: _, ...changeable } = job.queue;
    if (existing.has(job.name)) await boss.updateQueue(job.name, changeable);
    else await boss.createQueue(job.name, job.queue);
  }
  return boss;
}
