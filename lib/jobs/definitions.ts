import { z } from "zod";
import { defineJob } from "./define.ts";

// Every job Parley runs. The worker registers each of these; `enqueue` only accepts them.

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
  work: { batchSize: 4, burstWhenBatchFull: true, localConcurrency: 2 },
});

export const allJobs = [processAvatar] as const;
