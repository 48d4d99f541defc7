import { z } from "zod";
import { defineJob } from "./define.ts";

// Every job Parley runs. The worker registers a handler for each (worker/registry.ts); `enqueue`
// only accepts these.

/**
 * Where a job goes once it has no attempt left, however the last one ended: a thrown error, an
 * expiry, a lost heartbeat, a worker killed or stopped mid-job. pg-boss copies the job (same
 * payload, `sourceId` = the dead job) into this queue in the statement that fails it, so the copy
 * exists exactly when the job is dead; its handler then marks the domain row failed if the row
 * still shows it in progress. A row a handler settled itself is left as it is.
 */
function deadLetterJob<const N extends string, S extends z.ZodType>(name: N, schema: S) {
  return defineJob({
    name,
    schema,
    // Not `notify`: pg-boss sends no NOTIFY for a dead-letter copy, and a notify queue is only polled
    // every 30 s; the default 2 s poll picks it up. Retried for database trouble only.
    queue: { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
    work: { batchSize: 10, includeMetadata: true, perJobResults: true }, // includeMetadata: sourceId
  });
}

const capturePayload = z.object({ captureId: z.uuid() });
const exportPayload = z.object({ exportId: z.uuid() });
const actionPayload = z.object({ actionId: z.uuid() });

export const failCaptureParseJob = deadLetterJob("diagnostics.fail-capture", capturePayload);
export const failExportBuildJob = deadLetterJob("exports.fail-build", exportPayload);
export const failPlatformActionJob = deadLetterJob("platform.fail-action", actionPayload);
const webhookDeliveryPayload = z.object({ deliveryId: z.uuid() });
export const failWebhookDeliveryJob = deadLetterJob("webhooks.fail-delivery", webhookDeliveryPayload);

export const processAvatarJob = defineJob({
  name: "users.process-avatar",
  schema: z.object({ userId: z.uuid() }),
  queue: {
    notify: true, // picked up in milliseconds through LISTEN/NOTIFY instead of the 2 s poll
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true, // a missing or locked source file usually clears within seconds
    expireInSeconds: 60, // resizing one picture takes ~40 ms; a minute means the worker died
  },
  // A bulk user import enqueues hundreds at once: 4 per fetch, fetching again straight away while
  // batches come back full; 2 batches at a time match the 2-core machines Parley targets.
  work: { batchSize: 4, burstWhenBatchFull: true, localConcurrency: 2, perJobResults: true },
});

export const parseCaptureJob = defineJob({
  name: "diagnostics.parse-capture",
  schema: capturePayload,
  queue: {
    deadLetter: failCaptureParseJob.name, // a capture must not stay "pending" when its last attempt dies
    notify: true, // the Diagnostics panel waits on it: picked up in milliseconds, not on the 2 s poll
    retryLimit: 3, // only a missing blob or a database error is retried: an unreadable capture is
    retryDelay: 10, // recorded as failed and completes, so retries are for storage that lags
    retryBackoff: true,
    expireInSeconds: 300, // a 200 MB capture (the cap) parses in well under a minute
  },
  // Parsing is CPU-bound on the worker's one thread: one at a time, so avatar jobs and heartbeats
  // still get their turn between captures; 2 per fetch keeps the next one ready.
  work: { batchSize: 2, localConcurrency: 1, perJobResults: true },
});

export const fetchRecordingJob = defineJob({
  name: "recordings.fetch-recording",
  schema: z.object({
    recordingId: z.uuid(),
    manual: z.boolean(),
    // The state a manual retry replaced (what the row showed before the Retry).
    stateBefore: z.string().optional(),
  }),
  queue: {
    // At most one fetch per recording runs at a time: sends carry singletonKey = the recording id.
    policy: "singleton",
    notify: true, // a Retry is picked up in milliseconds
    retryLimit: 2, // a fetch failure is a state, not a thrown error: only database trouble is retried
    retryDelay: 30,
    retryBackoff: true,
    // A dead worker's job would hold the recording's singleton slot until it expires; its retry
    // resumes the attempt (lib/recordings/fetch.ts).
    heartbeatSeconds: 30,
    expireInSeconds: 1800, // legs download with a per-leg timeout (RECORDING_FETCH_TIMEOUT_SECONDS)
  },
  // Downloads wait on the network, not the CPU: two at a time.
  work: { batchSize: 2, localConcurrency: 2, perJobResults: true },
});

export const dispatchRecordingFetchesJob = defineJob({
  name: "recordings.dispatch-fetches",
  schema: z.object({}).loose(),
  cron: "* * * * *", // every minute: books the fetches due within the next minutes (startAfter)
  queue: { policy: "singleton", retryLimit: 0, expireInSeconds: 120 },
  work: { batchSize: 1, perJobResults: true },
});

export const applyRecordingRetentionJob = defineJob({
  name: "recordings.apply-retention",
  schema: z.object({}).loose(),
  // Hourly: deletion dates are days apart, and a pass is cheap when nothing is due.
  cron: "7 * * * *",
  queue: {
    policy: "singleton", // one pass at a time (a second would only skip the first one's locked rows)
    retryLimit: 3, // a database or mail hiccup: the pass is idempotent, run it again
    retryDelay: 60,
    expireInSeconds: 1800,
  },
  work: { batchSize: 1, perJobResults: true },
});

// Recording media runs the ffmpeg WebAssembly engine in the worker's one engine thread: one job
// at a time per worker. An hour of two-leg audio takes a few seconds; 30 minutes means it died.
const recordingMediaQueue = {
  notify: true, // the player and the download menu wait on these
  retryLimit: 2, // a failed decode is usually a broken file: retried twice, then shown as failed
  retryDelay: 10,
  retryBackoff: true,
  // A killed worker's job is retried within about a minute (the next supervise pass), not after
  // the 30-minute expiry; the engine runs in its own thread, so a long encode still beats.
  heartbeatSeconds: 10,
  expireInSeconds: 1800,
};

/** Waveform peaks and the merged FLAC the player streams, once a recording's legs are stored. */
export const prepareRecordingMediaJob = defineJob({
  name: "recordings.prepare-media",
  schema: z.object({ recordingId: z.uuid() }),
  queue: recordingMediaQueue,
  work: { batchSize: 1, localConcurrency: 1, perJobResults: true },
});

/** One requested download file (the merged FLAC or one leg as FLAC). */
export const buildRecordingArtifactJob = defineJob({
  name: "recordings.build-artifact",
  schema: z.object({ artifactId: z.uuid() }),
  // One build per file at a time: sends carry singletonKey = the artifact id (under the default
  // policy the key did nothing, and two requests ran two builds).
  queue: { ...recordingMediaQueue, policy: "singleton" },
  work: { batchSize: 1, localConcurrency: 1, perJobResults: true },
});

export const buildExportJob = defineJob({
  name: "exports.build-file",
  schema: exportPayload,
  queue: {
    deadLetter: failExportBuildJob.name, // an export must not stay "running" when its last attempt dies
    notify: true, // the user is waiting for the download: picked up in milliseconds
    retryLimit: 3, // a database or storage hiccup; a rebuild starts over and replaces the file
    retryDelay: 5,
    retryBackoff: true,
    // A worker killed mid-export stops beating: the job is failed and retried after ~10 s plus the
    // next supervise pass, instead of staying "active" until the hard cap below.
    heartbeatSeconds: 10,
    expireInSeconds: 3600, // "all matching a filter" streams any number of rows
  },
  // Mostly waiting on the database and the disk: two at a time, one fetched per slot.
  work: { batchSize: 1, localConcurrency: 2, perJobResults: true },
});

export const sendPlatformActionJob = defineJob({
  name: "platform.send-action",
  schema: actionPayload,
  queue: {
    deadLetter: failPlatformActionJob.name, // an action must not stay "pending" when its last attempt dies
    notify: true, // a supervisor is watching the action go from pending to confirmed
    // A platform that is down for a moment should not lose the action, but a supervisor's
    // intervention is only useful while the conversation lasts: 5 retries at 2, 4, 8, 16, 32 s
    // (capped at 60) give up after about a minute, and the action shows as failed.
    retryLimit: 5,
    retryDelay: 2,
    retryBackoff: true,
    retryDelayMax: 60,
    expireInSeconds: 30, // one POST with a 10 s timeout
  },
  // Each job is one short HTTP request: several in flight at once, so a slow platform does not
  // hold up other supervisors' actions. (Retries run on time: worker/retry-wake.ts.)
  work: { batchSize: 4, localConcurrency: 2, perJobResults: true },
});

/** Sends the queued e-mails (retention notices, disposition changes) when SMTP_URL is set. */
export const deliverEmailsJob = defineJob({
  name: "email.deliver",
  schema: z.object({}).loose(),
  // Every minute, so a notice written by any transaction goes out within a minute of it.
  cron: "* * * * *",
  queue: { policy: "singleton", retryLimit: 0, expireInSeconds: 300 },
  work: { batchSize: 1, perJobResults: true },
});

/**
 * Turns the webhook deliveries that database triggers wrote into `webhooks.deliver` jobs. Every
 * minute as a safety net; the worker also sends one as soon as a trigger NOTIFYs (worker/index.ts).
 */
export const dispatchWebhooksJob = defineJob({
  name: "webhooks.dispatch-deliveries",
  schema: z.object({}).loose(),
  cron: "* * * * *",
  queue: {
    // One waiting and one running at most: a burst of NOTIFYs collapses into one pass.
    policy: "stately",
    notify: true, // picked up in milliseconds when a trigger wakes the worker
    retryLimit: 2,
    retryDelay: 5,
    expireInSeconds: 120,
  },
  work: { batchSize: 1, perJobResults: true },
});

/** One signed POST of an outgoing webhook (lib/webhooks/deliver.ts). */
export const deliverWebhookJob = defineJob({
  name: "webhooks.deliver",
  schema: webhookDeliveryPayload,
  queue: {
    deadLetter: failWebhookDeliveryJob.name, // a delivery must not stay "retrying" when its worker died
    notify: true,
    // A receiver that is down for a while still gets the event: 8 retries at 10 s, 20 s, 40 s …
    // capped at 30 minutes span about 1.5 hours before the delivery is logged as failed.
    retryLimit: 8,
    retryDelay: 10,
    retryBackoff: true,
    retryDelayMax: 1800,
    expireInSeconds: 30, // one POST with a 10 s timeout
  },
  // Each job is one short request: several in flight, so one slow receiver does not hold the others.
  work: { batchSize: 4, localConcurrency: 2, perJobResults: true },
});

export const allJobs = [
  processAvatarJob,
  parseCaptureJob,
  fetchRecordingJob,
  dispatchRecordingFetchesJob,
  applyRecordingRetentionJob,
  prepareRecordingMediaJob,
  buildRecordingArtifactJob,
  buildExportJob,
  sendPlatformActionJob,
  deliverEmailsJob,
  failCaptureParseJob,
  failExportBuildJob,
  failPlatformActionJob,
  dispatchWebhooksJob,
  deliverWebhookJob,
  failWebhookDeliveryJob,
] as const;
