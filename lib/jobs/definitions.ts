import { z } from "zod";
import { defineJob } from "./define.ts";

// Every job Parley runs. The worker registers a handler for each (worker/registry.ts); `enqueue`
// only accepts these.

export const processAvatar = defineJob({
  name: "users.process-avatar",
  schema: z.object({ userId: z.uuid() }),
  queue: {
    notify: true, // picked up in milliseconds through LISTEN/NOTIFY instead of the 2 s poll
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true, // a missing or locked source file usually clears within seconds
    expireInSeconds: 60, // resizing one picture takes ~40 ms; a minute means the worker died
  },
  // A bulk user import enqueues hundreds at once: 4 per fetch, fetching again straight away while
  // batches come back full; 2 batches at a time match the 2-core machines Parley targets.
  work: { batchSize: 4, burstWhenBatchFull: true, localConcurrency: 2, perJobResults: true },
});

export const allJobs = [processAvatar] as const;
