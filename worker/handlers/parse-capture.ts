import { parseCapture } from "../../lib/diagnostics/store.ts";
import { parseCaptureJob } from "../../lib/jobs/definitions.ts";
import { type BatchHandler, eachJob, isLastAttempt, type WorkerContext } from "../context.ts";

/** diagnostics.parse-capture: parses a SIP/RTP capture into the Flow, streams and RTCP reports. */
export function parseCaptureHandler(ctx: WorkerContext): BatchHandler {
  return eachJob(ctx, async (job) => {
    // Re-validated here: the row in pgboss.job may predate a schema change or come from elsewhere.
    const { captureId } = parseCaptureJob.schema.parse(job.data);
    const result = await parseCapture(ctx.db, ctx.blobs, captureId, ctx.log, {
      lastAttempt: isLastAttempt(job, parseCaptureJob),
    });
    if (result.status === "parsed" && result.warnings.length) {
      ctx.log(`[diagnostics] capture ${captureId} parsed with ${result.warnings.length} warning(s)`);
    }
  });
}
