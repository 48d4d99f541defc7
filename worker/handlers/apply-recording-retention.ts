import { readEnv } from "../../lib/config/env.ts";
import { deliverPendingEmails, mailerFromEnv } from "../../lib/email/outbox.ts";
import { applyRecordingRetention as retentionJob } from "../../lib/jobs/definitions.ts";
import { applyRetention } from "../../lib/recordings/retention.ts";
import { readSettings } from "../../lib/settings/index.ts";
import { type BatchHandler, eachJob, type WorkerContext } from "../context.ts";

/** recordings.apply-retention (hourly): warns, deletes expired recordings, then sends the notices. */
export function applyRecordingRetentionHandler(ctx: WorkerContext): BatchHandler {
  const mailer = mailerFromEnv(ctx.env ?? readEnv());
  return eachJob(ctx, async (job) => {
    retentionJob.schema.parse(job.data);
    // Read on every run: a changed retention period applies from the next pass.
    const run = await applyRetention(ctx.db, ctx.blobs, await readSettings(ctx.db), new Date());
    const sent = await deliverPendingEmails(ctx.db, mailer);
    if (run.warned + run.deleted + sent > 0)
      ctx.log(`[recordings] retention: ${run.warned} warned, ${run.deleted} deleted, ${sent} e-mail(s) sent`);
  });
}
