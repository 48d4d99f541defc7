import { dispatchRecordingFetchesJob } from "../../lib/jobs/definitions.ts";
import { bookDueFetches } from "../../lib/recordings/schedule.ts";
import { type BatchHandler, eachJob, type WorkerContext } from "../context.ts";

/** recordings.dispatch-fetches (every minute): books a fetch job for each attempt coming due. */
export function dispatchRecordingFetchesHandler(ctx: WorkerContext): BatchHandler {
  return eachJob(ctx, async (job) => {
    dispatchRecordingFetchesJob.schema.parse(job.data);
    const { boss } = ctx;
    if (!boss) throw new Error("recordings.dispatch-fetches needs the worker's pg-boss");
    const booked = await bookDueFetches(ctx.db, boss, new Date());
    if (booked > 0) ctx.log(`[recordings] booked ${booked} fetch attempt(s)`);
  });
}
