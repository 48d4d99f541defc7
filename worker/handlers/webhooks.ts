import { readEnv } from "../../lib/config/env.ts";
import {
  deliverWebhookJob,
  dispatchWebhooksJob,
  failWebhookDeliveryJob,
} from "../../lib/jobs/definitions.ts";
import { parseAllowList } from "../../lib/recordings/outbound.ts";
import { deliverWebhook, failWebhookDelivery } from "../../lib/webhooks/deliver.ts";
import { dispatchWebhookDeliveries } from "../../lib/webhooks/index.ts";
import { type BatchHandler, eachJob, isLastAttempt, type WorkerContext } from "../context.ts";

/** webhooks.dispatch-deliveries: one job per delivery the triggers wrote. */
export function dispatchWebhooksHandler(ctx: WorkerContext): BatchHandler {
  return eachJob(ctx, async (job) => {
    dispatchWebhooksJob.schema.parse(job.data);
    if (!ctx.boss) throw new Error("webhooks.dispatch-deliveries needs the worker's pg-boss");
    const queued = await dispatchWebhookDeliveries(ctx.db, ctx.boss);
    if (queued > 0) ctx.log(`[webhooks] queued ${queued} delivery(ies)`);
  });
}

/** webhooks.deliver: one signed POST; a failure throws, and pg-boss retries it with backoff. */
export function deliverWebhookHandler(ctx: WorkerContext): BatchHandler {
  const env = ctx.env ?? readEnv();
  const allow = parseAllowList((env.WEBHOOK_ALLOWED_HOSTS ?? "").split(","), "WEBHOOK_ALLOWED_HOSTS");
  return eachJob(ctx, async (job) => {
    const { deliveryId } = deliverWebhookJob.schema.parse(job.data);
    await deliverWebhook(ctx.db, deliveryId, { allow, lastAttempt: isLastAttempt(job, deliverWebhookJob) });
  });
}

/** webhooks.fail-delivery: the log shows the delivery failed instead of retrying for ever. */
export function failWebhookDeliveryHandler(ctx: WorkerContext): BatchHandler {
  return eachJob(ctx, async (job) => {
    const { deliveryId } = failWebhookDeliveryJob.schema.parse(job.data);
    await failWebhookDelivery(ctx.db, deliveryId);
  });
}
