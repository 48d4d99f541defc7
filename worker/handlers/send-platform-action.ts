import { readEnv } from "../../lib/config/env.ts";
import { sendPlatformAction as sendPlatformActionJob } from "../../lib/jobs/definitions.ts";
import { sendPlatformAction } from "../../lib/platform/actions.ts";
import { type BatchHandler, eachJob, type WorkerContext } from "../context.ts";

/** platform.send-action: POSTs a supervisor action to the contact-center platform (signed webhook). */
export function sendPlatformActionHandler(ctx: WorkerContext): BatchHandler {
  const { PLATFORM_WEBHOOK_URL: url, PLATFORM_WEBHOOK_SECRET: secret } = ctx.env ?? readEnv();
  const target = url && secret ? { url, secret } : null;
  return eachJob(ctx, async (job) => {
    const { actionId } = sendPlatformActionJob.schema.parse(job.data);
    // pg-boss counts retries from 0: the attempt with retryCount = retryLimit is the last one.
    const lastAttempt = job.retryCount >= (sendPlatformActionJob.queue.retryLimit ?? 0);
    await sendPlatformAction(ctx.db, target, actionId, { lastAttempt });
  });
}
