// The recording row of a voice call, in the state a real fetch pipeline would have left it:
// fetched 10 minutes after the call, retried on failure, retried again after 24 hours.
import type { Insertable } from "kysely";
import type { Rng } from "../../lib/random.ts";
import {
  BACKGROUND_INTERVAL_MS,
  FINAL_ATTEMPT_DELAY_MS,
  FIRST_ATTEMPT_DELAY_MS,
  HOUR,
  MEDIA_POLL_MIN_MS,
} from "../../lib/recordings/machine.ts";
import type { DB, RecordingState } from "../types.ts";
import { DAY, MINUTE } from "./schedule.ts";

/**
 * How many of the newest finished calls get real audio (stored legs, so they play): about two in
 * three of the demo's ~750 recorded calls, at ~1.4 MB of G.711 audio each.
 */
export const AUDIO_CAP = 480;
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
 * The row a call's recording would have after the fetch machine (lib/recordings/machine.ts) ran on
 * it until `now`: every row has its next step — an attempt booked (`next_attempt_at`) or in flight
 * (a lease, resumed when it lapses), the user's Retry (after the 15-minute wait that follows a
 * failed one), or a settled state. `audioCandidate` marks a call whose audio the demo may render
 * (then its legs are stored and it becomes available); until it does, the row says what is true
 * without files: the server had no media for it yet.
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
  const firstFetch = endedAt + FIRST_ATTEMPT_DELAY_MS;
  const finalFetch = endedAt + FINAL_ATTEMPT_DELAY_MS;
  const age = now - endedAt;
  /** The attempts so far: the first at +10 minutes, then hourly, the last at +24 hours. */
  const attemptsBy = (t: number) =>
    t < firstFetch ? 0 : t >= finalFetch ? 25 : 1 + Math.floor((t - firstFetch) / BACKGROUND_INTERVAL_MS);
  const lastAttemptAt = (n: number) =>
    n >= 25 ? finalFetch : firstFetch + (n - 1) * BACKGROUND_INTERVAL_MS + rng.int(5, 90) * 1000;
  const row = (state: RecordingState, extra: Partial<RecordingRow> = {}): RecordingRow => {
    const attempts = attemptsBy(now);
    const last = attempts > 0 ? Math.min(now, lastAttemptAt(attempts)) : null;
    return {
      ...base,
      ...retain,
      state,
      fetch_attempts: attempts,
      last_attempt_at: last === null ? null : new Date(last),
      last_error: ERRORS[state] ?? null,
      updated_at: new Date(last ?? endedAt),
      // Background attempts go on hourly until the 24-hour one (nextBackgroundAttempt).
      next_attempt_at:
        last === null
          ? new Date(firstFetch)
          : last >= finalFetch
            ? null
            : new Date(Math.min(last + HOUR, finalFetch)),
      ...extra,
    };
  };
  if (age < FIRST_ATTEMPT_DELAY_MS) {
    // The call has ended: the first attempt is booked 10 minutes after it (the call_ended transition).
    return { row: row("fetching_in_progress"), audioCandidate: false };
  }
  if (age < 12 * MINUTE) {
    // The first attempt is running: in flight under a lease, resumed by the worker if it lapses.
    return {
      row: row("fetching_in_progress", {
        attempt_kind: "initial",
        attempt_id: rng.uuid(),
        attempt_lease_until: new Date(now + 2 * MINUTE),
        next_attempt_at: new Date(firstFetch + HOUR),
      }),
      audioCandidate: false,
    };
  }
  if (age < 15 * MINUTE) {
    // The server is still generating the media: asked again after its Retry-After (bounded).
    const last = firstFetch + rng.int(5, 60) * 1000;
    return {
      row: row("media_in_progress", {
        next_attempt_at: new Date(last + MEDIA_POLL_MIN_MS + rng.int(0, 60) * 1000),
      }),
      audioCandidate: false,
    };
  }
  if (age < DAY && rng.chance(0.25)) {
    // Failures still inside the automatic 24-hour retry window: Retry is offered.
    const state = rng.pick([
      "initial_fetch_failed",
      "retry_failed",
      "partial_failed",
      "partial_download_failed",
      "partial_upload_failed",
    ] as const);
    if (state !== "retry_failed") return { row: row(state), audioCandidate: false };
    // A Retry the user pressed failed: the next one is offered 15 minutes after it.
    const manual = Math.max(firstFetch + MINUTE, now - rng.int(2, 40) * MINUTE);
    return {
      row: row(state, {
        manual_retry_at: new Date(manual),
        last_attempt_at: new Date(manual),
        updated_at: new Date(manual),
      }),
      audioCandidate: false,
    };
  }
  if (age < DAY || rng.chance(0.85)) {
    // No media on the server yet (not_found), background attempts going on; the demo renders audio
    // for most of these, which makes them available.
    return { row: row("media_unavailable"), audioCandidate: true };
  }
  // Settled after the 24-hour attempt.
  const state = rng.weighted<RecordingState>([
    ["media_unavailable", 50],
    ["24hr_retry_failed", 35],
    ["failed", 15],
  ]);
  return { row: row(state, { next_attempt_at: null }), audioCandidate: false };
}
