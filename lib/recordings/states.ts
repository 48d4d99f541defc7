import { z } from "zod";
import type { RecordingState } from "../../db/types.ts";

// What the transcript tab says for each recording state: the product spec's "Recording status
// messages" table, word for word. `pending` (a row created before its call is known to have ended)
// reads like the state it becomes on the call's end.

export const RECORDING_DELETED_MESSAGE =
  "Recording not available. It may have been deleted as per your data retention policy.";

export const RECORDING_DISABLED_MESSAGE = "Call recording is disabled for this conversation.";

const GENERATING = "Generating your call recording... This may take a few minutes. Please wait.";
const PARTIAL = "Unable to fetch the recording. Please click the button below to retry.";

export const RECORDING_STATE_MESSAGES: Record<Exclude<RecordingState, "available">, string> = {
  failed: "Media generation failed due to a technical issue. Please contact your administrator.",
  media_unavailable: "No audio recording found on the server. Please contact your administrator.",
  call_in_progress:
    "Media unavailable while the call is in progress. Please recheck once the call has ended.",
  media_in_progress: "Media generation is in progress. Please wait for a few minutes.",
  partial_download_failed: PARTIAL,
  partial_upload_failed: PARTIAL,
  partial_failed: PARTIAL,
  fetching_in_progress: GENERATING,
  pending: GENERATING,
  initial_fetch_failed: "We couldn't load the call recording. Please try again.",
  retry_failed: "Still unable to fetch the recording. Please try again after 15 minutes.",
  "24hr_retry_failed":
    "We couldn't generate the call recording due to a technical issue. Please contact your administrator for assistance.",
  deleted: RECORDING_DELETED_MESSAGE,
};

/** The states where the spec offers the Retry button (the user may ask for a fetch now). */
export const RETRYABLE_STATES = [
  "partial_download_failed",
  "partial_upload_failed",
  "partial_failed",
  "initial_fetch_failed",
  "retry_failed",
] as const satisfies readonly RecordingState[];

export function isRetryable(state: RecordingState): state is (typeof RETRYABLE_STATES)[number] {
  return (RETRYABLE_STATES as readonly RecordingState[]).includes(state);
}

export const recordingStateSchema = z.enum([
  "pending",
  "call_in_progress",
  "fetching_in_progress",
  "media_in_progress",
  "available",
  "failed",
  "media_unavailable",
  "partial_download_failed",
  "partial_upload_failed",
  "partial_failed",
  "initial_fetch_failed",
  "retry_failed",
  "24hr_retry_failed",
  "deleted",
]) satisfies z.ZodType<RecordingState>;

/** The player's alert when the audio cannot be played (the stream failed, or the browser refused). */
export const PLAYBACK_FAILED = "The recording could not be played. Please try again.";
