import { buildExportFile, ExportRefused, failExport, requeueExport } from "../../lib/exports/build.ts";
import { buildExportJob } from "../../lib/jobs/definitions.ts";
import { type BatchHandler, eachJob, isLastAttempt, type WorkerContext } from "../context.ts";

/**
 * exports.build-file: writes one export's file. A refusal (the requester lost access) fails the
 * export at once with its reason; any other error is retried by pg-boss, and only the last attempt
 * marks the export failed, so the page does not flash "failed" while a retry is due. A last attempt
 * that never gets that far (the worker killed, the job expired) is failed by exports.fail-build.
 */
export function buildExportHandler(ctx: WorkerContext): BatchHandler {
  return eachJob(ctx, async (job) => {
    const { exportId } = buildExportJob.schema.parse(job.data);
    try {
      await buildExportFile(ctx.db, ctx.blobs, exportId, ctx.log);
    } catch (error) {
      if (error instanceof ExportRefused) {
        await failExport(ctx.db, exportId, job.id, error.message);
        return;
      }
      await (isLastAttempt(job, buildExportJob)
        ? failExport(ctx.db, exportId, job.id)
        : requeueExport(ctx.db, exportId));
      throw error;
    }
  });
}
