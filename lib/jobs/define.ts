import type { Queue, WorkOptions } from "pg-boss";
import type { z } from "zod";

/** One job: its name (`domain.verb-noun`), payload schema, and the queue/worker settings it needs. */
export type JobDefinition<S extends z.ZodType = z.ZodType, N extends string = string> = {
  name: N;
  schema: S;
  queue: Omit<Queue, "name">;
  /** A cron expression (UTC) when the worker runs the job on a schedule (pg-boss `schedule`). */
  cron?: string;
  // Batches are settled job by job: one bad job must fail (and retry) alone instead of taking the
  // rest of its batch with it, and without the flag pg-boss would store a handler's per-job
  // results as the output of a batch it marks completed.
  work: WorkOptions & { perJobResults: true };
};

export type JobPayload<D extends JobDefinition> = z.infer<D["schema"]>;

// `const N` keeps the literal name, so the worker's handler registry can require one entry per job.
export function defineJob<const N extends string, S extends z.ZodType>(
  def: JobDefinition<S, N>,
): JobDefinition<S, N> {
  return def;
}
