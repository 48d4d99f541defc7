import type { Job, JobResult, JobWithMetadata, PgBoss } from "pg-boss";
import { z } from "zod";
import type { Database } from "../db/client.ts";
import type { Env } from "../lib/config/env.ts";
import type { JobDefinition } from "../lib/jobs/define.ts";
import { metrics } from "../lib/observability/metrics.ts";
import { jobRequestId, withRequestId } from "../lib/observability/request-id.ts";
import type { BlobStore } from "../lib/storage/index.ts";

/**
 * What a handler may use: the worker's own pool and blob store, and its log; the running worker
 * also passes its pg-boss (for jobs that book other jobs) and configuration (else read from the
 * environment).
 */
export type WorkerContext = {
  db: Database;
  blobs: BlobStore;
  boss?: PgBoss;
  env?: Env;
  log: (line: string) => void;
};

/** A pg-boss batch handler that settles each job on its own (the definitions set `perJobResults`). */
export type BatchHandler = (jobs: Job<unknown>[]) => Promise<JobResult[]>;

/**
 * Runs `run` for each job of a batch in turn and reports each outcome. A thrown error fails that
 * job only, and pg-boss retries it per the queue's policy; a payload its schema rejects can never
 * succeed, so it fails terminally instead of burning retries.
 */
export function eachJob(ctx: WorkerContext, run: (job: Job<unknown>) => Promise<void>): BatchHandler {
  const m = metrics();
  return async (jobs) => {
    const results: JobResult[] = [];
    for (const job of jobs) {
      const queue = job.name;
      const started = performance.now();
      m.jobsStarted.inc({ queue });
      if (job.retryCount > 0) m.jobsRetried.inc({ queue });
      // Log lines of this job carry the id of the request that enqueued it.
      const requestId = jobRequestId(job.data) ?? `job:${job.id}`;
      await withRequestId(requestId, async () => {
        try {
          ctx.log(
            `[worker] ${job.name} ${job.id} started${job.retryCount ? ` (retry ${job.retryCount})` : ""}`,
          );
          await run(job);
          m.jobsCompleted.inc({ queue });
          m.jobDuration.observe({ queue, outcome: "completed" }, (performance.now() - started) / 1000);
          results.push({ id: job.id, status: "completed" });
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          const invalid = err instanceof z.ZodError;
          m.jobsFailed.inc({ queue });
          m.jobDuration.observe({ queue, outcome: "failed" }, (performance.now() - started) / 1000);
          ctx.log(
            `[worker] ${job.name} ${job.id} ${invalid ? "rejected (invalid payload)" : "failed"}: ${message}`,
          );
          results.push({ id: job.id, status: invalid ? "deadletter" : "failed", output: { message } });
        }
      });
    }
    return results;
  };
}

/** pg-boss counts retries from 0: the attempt with retryCount = retryLimit is the last one. */
export function isLastAttempt(job: Job<unknown>, def: JobDefinition): boolean {
  return job.retryCount >= (def.queue.retryLimit ?? 0);
}

/** The job a dead-letter copy stands for (its queue's workers fetch with `includeMetadata`). */
export function deadJobId(job: Job<unknown>): string {
  const { sourceId } = job as Partial<JobWithMetadata<unknown>>;
  if (!sourceId) throw new Error(`${job.name} ${job.id} is not a dead-letter copy (no sourceId)`);
  return sourceId;
}
