import { readEnv } from "../../lib/config/env.ts";
import { fetchRecordingJob } from "../../lib/jobs/definitions.ts";
import { runRecordingFetch } from "../../lib/recordings/fetch.ts";
import { recordingAllowListFromEnv, recordingSourceFromEnv } from "../../lib/recordings/source.ts";
import { recordingStateSchema } from "../../lib/recordings/states.ts";
import { type BatchHandler, eachJob, type WorkerContext } from "../context.ts";

/** recordings.fetch-recording: one fetch attempt (scheduled or a user's Retry) for one recording. */
export function fetchRecordingHandler(ctx: WorkerContext): BatchHandler {
  // Read once per worker: a malformed RECORDING_SOURCE_URL fails every attempt with its message.
  const env = ctx.env ?? readEnv();
  const source = recordingSourceFromEnv(env);
  const allow = recordingAllowListFromEnv(env);
  return eachJob(ctx, async (job) => {
    const { recordingId, manual, stateBefore } = fetchRecordingJob.schema.parse(job.data);
    const result = await runRecordingFetch(
      { db: ctx.db, blobs: ctx.blobs, source, allow, log: ctx.log },
      { recordingId, manual, stateBefore: recordingStateSchema.optional().parse(stateBefore) },
    );
    if (!result.ran) ctx.log(`[recordings] fetch of ${recordingId} skipped: ${result.reason}`);
  });
}
