// The recording row of a voice call, in the state a real fetch pipeline would have left it:
// fetched 10 minutes after the call, retried on failure, retried again after 24 hours.
import type { Insertable } from "kysely";
import type { Rng } from "../../lib/random.ts";
import type { DB, RecordingState } from "../types.ts";
import { DAY, MINUTE } from "./schedule.ts";

/** Calls this recent get real audio in the demo (the rest of the month would cost gigabytes). */
const AUDIO_WINDOW_MS = 7 * DAY;
export const AUDIO_CAP = 200;
export const RETENTION_DAYS = 90;

export type PausedSpan = { startMs: number; endMs: number; reason: "hold" | "pause" };

/** A recording row, apart from its conversation's id (known once the conversation is written). */
export type RecordingRow = Omit<Insertable<DB["recordings"]>, "conversation_id"> & {
  id: string;
  state: RecordingState;
};

const ERRORS: Partial<Record<RecordingState, string>> = {
  failed: "Media generation failed: the mixer exited with code 1",
  media_unavailable: "The recording server has no media for this call (HTTP 404)",
  partial_download_failed: "Leg 2 of 2 could not be downloaded (HTTP 502 from the recording server)",
  partial_upload_failed: "Leg 1 of 2 could not be written to storage (timeout)",
  partial_failed: "Only 1 of 2 legs could be fetched",
  initial_fetch_failed: "Fetch timed out after 30 s",
  retry_failed: "Retry failed: connection reset by the recording server",
  "24hr_retry_failed": "Still unavailable after the 24-hour retry",
};

/**
 * `audioCandidate` marks a recent call whose audio the demo may render; until it does, the row
 * says what is true without files: the server had no media for it.
 */
export function recordingFor(
  rng: Rng,
  call: {
    startedAt: number;
    endedAt: number | null;
    now: number;
    pausedSpans: PausedSpan[];
  },
): { row: RecordingRow; audioCandidate: boolean } {
  const { endedAt, now } = call;
  // Every row carries every column the COPY loader writes (a missing one would be NULL, not its default).
  const base = {
    id: rng.uuid(),
    paused_spans: JSON.stringify(call.pausedSpans),
    next_attempt_at: null,
    created_at: new Date(call.startedAt),
    // Written here because the COPY loader runs with the trigger that sets it off (migration
    // 20261205T100000): the call's end, else the row's creation.
    retention_from: new Date(endedAt ?? call.startedAt),
  };
  if (endedAt === null) {
    return {
      row: { ...base, state: "call_in_progress", fetch_attempts: 0, updated_at: new Date(call.startedAt) },
      audioCandidate: false,
    };
  }
  const retain = { retain_until: new Date(endedAt + RETENTION_DAYS * DAY), duration_ms: null };
  const firstFetch = endedAt + 10 * MINUTE;
  const age = now - endedAt;
  const row = (state: RecordingState, attempts: number, extra: Partial<RecordingRow> = {}): RecordingRow => ({
    ...base,
    ...retain,
    state,
    fetch_attempts: attempts,
    last_attempt_at: attempts > 0 ? new Date(Math.min(now, firstFetch + (attempts - 1) * 20 * MINUTE)) : null,
    last_error: ERRORS[state] ?? null,
    updated_at: new Date(attempts > 0 ? Math.min(now, firstFetch + (attempts - 1) * 20 * MINUTE) : endedAt),
    ...extra,
  });
  if (age < 10 * MINUTE) {
    return { row: row("pending", 0, { next_attempt_at: new Date(firstFetch) }), audioCandidate: false };
  }
  if (age < 15 * MINUTE) {
    // The first fetch is running; a few minutes in, it is waiting for the server to finish the media.
    const state = age < 12.5 * MINUTE ? "fetching_in_progress" : "media_in_progress";
    return { row: row(state, 1), audioCandidate: false };
  }
  if (age < DAY) {
    // Failures still inside the automatic 24-hour retry window.
    if (rng.chance(0.3)) {
      const state = rng.pick([
        "initial_fetch_failed",
        "retry_failed",
        "partial_failed",
        "partial_download_failed",
        "partial_upload_failed",
      ] as const);
      const attempts = state === "initial_fetch_failed" ? 1 : 2;
      return {
        row: row(state, attempts, { next_attempt_at: new Date(firstFetch + DAY) }),
        audioCandidate: false,
      };
    }
    return { row: row("media_unavailable", 1), audioCandidate: true };
  }
  if (age < AUDIO_WINDOW_MS && rng.chance(0.9))
    return { row: row("media_unavailable", 1), audioCandidate: true };
  const state = rng.weighted<RecordingState>([
    ["media_unavailable", 70],
    ["24hr_retry_failed", 12],
    ["failed", 8],
    ["partial_failed", 10],
  ]);
  return { row: row(state, state === "media_unavailable" ? 1 : 3), audioCandidate: false };
}
