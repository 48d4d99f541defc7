import { failUnparsedCapture } from "../../lib/diagnostics/store.ts";
import { failExport } from "../../lib/exports/build.ts";
import {
  failCaptureParseJob,
  failExportBuildJob,
  failPlatformActionJob,
} from "../../lib/jobs/definitions.ts";
import { failUndeliveredAction } from "../../lib/platform/actions.ts";
import { type BatchHandler, deadJobId, eachJob, type WorkerContext } from "../context.ts";

// The dead-letter queues of the jobs whose rows show progress (lib/jobs/definitions.ts,
// deadLetterJob): each copy is a job with no attempt left, and its row ends failed unless the
// job's own attempts already settled it.

/** exports.fail-build: the export fails with the message its Retry button goes with. */
export function failExportBuildHandler(ctx: WorkerContext): BatchHandler {
  return eachJob(ctx, async (job) => {
    const { exportId } = failExportBuildJob.schema.parse(job.data);
    await failExport(ctx.db, exportId, deadJobId(job));
  });
}

/** platform.fail-action: the supervisor's action shows as failed instead of pending for ever. */
export function failPlatformActionHandler(ctx: WorkerContext): BatchHandler {
  return eachJob(ctx, async (job) => {
    const { actionId } = failPlatformActionJob.schema.parse(job.data);
    await failUndeliveredAction(ctx.db, actionId);
  });
}

/** diagnostics.fail-capture: the Diagnostics panel says the capture could not be read. */
export function failCaptureParseHandler(ctx: WorkerContext): BatchHandler {
  return eachJob(ctx, async (job) => {
    const { captureId } = failCaptureParseJob.schema.parse(job.data);
    await failUnparsedCapture(ctx.db, captureId);
  });
}
