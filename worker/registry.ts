import type { allJobs } from "../lib/jobs/definitions.ts";
import type { BatchHandler, WorkerContext } from "./context.ts";
import { applyRecordingRetentionHandler } from "./handlers/apply-recording-retention.ts";
import { buildExportHandler } from "./handlers/build-export.ts";
import {
  failCaptureParseHandler,
  failExportBuildHandler,
  failPlatformActionHandler,
} from "./handlers/dead-letters.ts";
import { deliverEmailsHandler } from "./handlers/deliver-emails.ts";
import { dispatchRecordingFetchesHandler } from "./handlers/dispatch-recording-fetches.ts";
import { fetchRecordingHandler } from "./handlers/fetch-recording.ts";
import { parseCaptureHandler } from "./handlers/parse-capture.ts";
import { processAvatarHandler } from "./handlers/process-avatar.ts";
import { buildArtifactHandler, prepareMediaHandler } from "./handlers/recording-media.ts";
import { sendPlatformActionHandler } from "./handlers/send-platform-action.ts";
import {
  deliverWebhookHandler,
  dispatchWebhooksHandler,
  failWebhookDeliveryHandler,
} from "./handlers/webhooks.ts";

type JobName = (typeof allJobs)[number]["name"];

/** One handler per job definition; a job added to `allJobs` without one here fails the typecheck. */
export const handlers: Record<JobName, (ctx: WorkerContext) => BatchHandler> = {
  "users.process-avatar": processAvatarHandler,
  "diagnostics.parse-capture": parseCaptureHandler,
  "recordings.fetch-recording": fetchRecordingHandler,
  "recordings.dispatch-fetches": dispatchRecordingFetchesHandler,
  "recordings.apply-retention": applyRecordingRetentionHandler,
  "recordings.prepare-media": prepareMediaHandler,
  "recordings.build-artifact": buildArtifactHandler,
  "exports.build-file": buildExportHandler,
  "platform.send-action": sendPlatformActionHandler,
  "email.deliver": deliverEmailsHandler,
  "diagnostics.fail-capture": failCaptureParseHandler,
  "exports.fail-build": failExportBuildHandler,
  "platform.fail-action": failPlatformActionHandler,
  "webhooks.dispatch-deliveries": dispatchWebhooksHandler,
  "webhooks.deliver": deliverWebhookHandler,
  "webhooks.fail-delivery": failWebhookDeliveryHandler,
};
