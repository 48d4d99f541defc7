import { readEnv } from "../../lib/config/env.ts";
import { sendPlatformActionJob } from "../../lib/jobs/definitions.ts";
import { sendPlatformAction } from "../../lib/platform/actions.ts";
import { type BatchHandler, eachJob, isLastAttempt, type WorkerContext } from "../context.ts";

/** platform.send-action: POSTs a supervisor action to the contact-center platform (signed webhook). */
export function sendPlatformActionHandler(ctx: WorkerContext): BatchHandler {
  const { PLATFORM_WEBHOOK_URL: url, PLATFORM_WEBHOOK_SECRET: secret } = ctx.env ?? readEnv();
  const target = url && secret ? { url, secret } : null;
  return eachJob(ctx, async (job) => {
    const { actionId } = sendPlatformActionJob.schema.parse(job.data);
    await sendPlatformAction(ctx.db, target, actionId, {
      lastAttempt: isLastAttempt(job, sendPlatformActionJob),
    });
  });
}
