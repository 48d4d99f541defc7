import { readEnv } from "../../lib/config/env.ts";
import { deliverPendingEmails, mailerFromEnv } from "../../lib/email/outbox.ts";
import { deliverEmailsJob } from "../../lib/jobs/definitions.ts";
import { type BatchHandler, eachJob, type WorkerContext } from "../context.ts";

/** email.deliver (every minute): sends pending outbox rows by SMTP; without SMTP_URL they stay in the Outbox. */
export function deliverEmailsHandler(ctx: WorkerContext): BatchHandler {
  const mailer = mailerFromEnv(ctx.env ?? readEnv());
  return eachJob(ctx, async (job) => {
    deliverEmailsJob.schema.parse(job.data);
    const sent = await deliverPendingEmails(ctx.db, mailer);
    if (sent > 0) ctx.log(`[email] ${sent} e-mail(s) sent`);
  });
}
