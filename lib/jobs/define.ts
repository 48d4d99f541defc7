import type { Queue, WorkOptions } from "pg-boss";
import type { z } from "zod";

/** One job: its name (`domain.verb-noun`), payload schema, and the queue/worker settings it needs. */
export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  name: string;
  schema: S;
  queue: Omit<Queue, "name">;
  work: WorkOptions;
};

export type JobPayload<D extends JobDefinition> = z.infer<D["schema"]>;

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}
