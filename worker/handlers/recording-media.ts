import { buildRecordingArtifactJob, prepareRecordingMediaJob } from "../../lib/jobs/definitions.ts";
import { FfmpegWasm } from "../../lib/recordings/ffmpeg.ts";
import { buildArtifact, prepareRecordingMedia } from "../../lib/recordings/process.ts";
import { type BatchHandler, eachJob, type WorkerContext } from "../context.ts";

// One engine thread per worker process, started on the first recording job (its thread is unref'd,
// so it never holds a stopping worker open).
const ffmpeg = new FfmpegWasm();

/** recordings.prepare-media: waveform peaks and the merged FLAC the player streams. */
export function prepareMediaHandler(ctx: WorkerContext): BatchHandler {
  return eachJob(ctx, async (job) => {
    const { recordingId } = prepareRecordingMediaJob.schema.parse(job.data);
    await prepareRecordingMedia({ ...ctx, ffmpeg }, recordingId);
  });
}

/** recordings.build-artifact: one requested FLAC download. */
export function buildArtifactHandler(ctx: WorkerContext): BatchHandler {
  return eachJob(ctx, async (job) => {
    const { artifactId } = buildRecordingArtifactJob.schema.parse(job.data);
    await buildArtifact({ ...ctx, ffmpeg }, artifactId);
  });
}
