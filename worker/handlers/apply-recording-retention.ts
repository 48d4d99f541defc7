import { applyRecordingRetentionJob } from "../../lib/jobs/definitions.ts";
import { applyRetention } from "../../lib/recordings/retention.ts";
import { readSettings } from "../../lib/settings/index.ts";
import { sweepStaging } from "../../lib/storage/staging.ts";
import { type BatchHandler, eachJob, type WorkerContext } from "../context.ts";

/**
 * recordings.apply-retention (hourly): warns and deletes expired recordings (email.deliver sends
 * the notices), and sweeps abandoned staging files.
 */
export function applyRecordingRetentionHandler(ctx: WorkerContext): BatchHandler {
  return eachJob(ctx, async (job) => {
    applyRecordingRetentionJob.schema.parse(job.data);
    // Read on every run: a changed retention period applies from the next pass.
    const run = await applyRetention(ctx.db, ctx.blobs, await readSettings(ctx.db), new Date());
    if (run.warned + run.deleted > 0)
      ctx.log(`[recordings] retention: ${run.warned} warned, ${run.deleted} deleted`);
    // Storage housekeeping rides along: transfers a killed process left half-received.
    const swept = await sweepStaging(ctx.blobs, new Date());
    if (swept > 0) ctx.log(`[storage] ${swept} abandoned staging file(s) deleted`);
  });
}
