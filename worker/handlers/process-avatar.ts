import { processAvatar } from "../../lib/avatars/process.ts";
import { processAvatarJob } from "../../lib/jobs/definitions.ts";
import { type BatchHandler, eachJob, type WorkerContext } from "../context.ts";

/** users.process-avatar: renders the user's 64 px and 128 px avatars from their uploaded picture. */
export function processAvatarHandler(ctx: WorkerContext): BatchHandler {
  return eachJob(ctx, async (job) => {
    // Re-validated here: the row in pgboss.job may predate a schema change or come from elsewhere.
    const { userId } = processAvatarJob.schema.parse(job.data);
    await processAvatar(ctx.db, ctx.blobs, userId, ctx.log);
  });
}
