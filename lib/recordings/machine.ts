import type { RecordingState } from "../../db/types.ts";
import { isRetryable } from "./states.ts";

// The recording fetch state machine: every change of a recording's fetch state goes through
// `transition`, a pure function of (the row's schedule facts, an event, the time). The worker, the
// ingest hook, the Retry action and retention only load a row, call it, and store the result.
//
// Policy (spec "Troubleshooting"): the first attempt runs 10 minutes after the call ends; the user
// may Retry; after a failed retry they wait 15 minutes before the next; an automatic retry runs 24
// hours after the call; background attempts keep running every hour in between, whatever the user
// does. The 24-hour attempt is the last automatic one. An attempt whose worker died before storing
// its outcome is resumed: the same attempt runs again, counted once.

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const FIRST_ATTEMPT_DELAY_MS = 10 * MINUTE;
export const MANUAL_RETRY_COOLDOWN_MS = 15 * MINUTE;
export const BACKGROUND_INTERVAL_MS = HOUR;
export const FINAL_ATTEMPT_DELAY_MS = 24 * HOUR;
/** A server still generating the media is asked again after its Retry-After, within these bounds. */
export const MEDIA_POLL_MIN_MS = MINUTE;
export const MEDIA_POLL_MAX_MS = 30 * MINUTE;

export type AttemptKind = "initial" | "background" | "manual" | "final";

/** What one fetch attempt found, leg outcomes already combined (fetcher.ts). */
export type FetchOutcome =
  | { kind: "success" }
  | { kind: "processing"; retryAfterMs: number | null } // the server is still generating the media
  | { kind: "not_found" } // the server has no recording for the call
  | { kind: "media_failed" } // the server reports generation failed, or sent something that is not audio
  | { kind: "error" } // nothing fetched: network error, timeout, 5xx, truncated body
  | { kind: "partial"; downloadFailed: number; uploadFailed: number }; // some legs stored, not all

export type RecordingEvent =
  | { type: "call_started" }
  | { type: "call_ended"; endedAt: Date }
  | { type: "retry_requested" }
  | { type: "attempt_started"; kind: AttemptKind }
  | { type: "attempt_resumed" } // an attempt whose worker died before storing its outcome runs again
  | { type: "attempt_finished"; kind: AttemptKind; outcome: FetchOutcome }
  | { type: "deleted" };

/** The row facts the machine reads and writes. */
export type MachineRow = {
  state: RecordingState;
  endedAt: Date | null;
  nextAttemptAt: Date | null;
  manualRetryAt: Date | null;
  /** The state before the running attempt (what a failed background attempt falls back to). */
  stateBeforeAttempt?: RecordingState | null;
  /** The attempt in flight: set when one starts, cleared with its outcome or the deletion. */
  attemptKind?: AttemptKind | null;
};

export type Transition =
  | { ok: true; row: MachineRow }
  | { ok: false; reason: "not_allowed" | "cooldown" | "already_final" | "in_flight" };

const at = (ms: number) => new Date(ms);
const finalAttemptAt = (endedAt: Date) => endedAt.getTime() + FINAL_ATTEMPT_DELAY_MS;
const FETCH_FAILURES: readonly RecordingState[] = [
  "initial_fetch_failed",
  "retry_failed",
  "partial_download_failed",
  "partial_upload_failed",
  "partial_failed",
  "media_in_progress",
  "media_unavailable",
];

/** States no fetch can change any more (a successful fetch, a terminal failure, a deletion). */
export function isSettled(state: RecordingState): boolean {
  return state === "available" || state === "deleted" || state === "failed" || state === "24hr_retry_failed";
}

/**
 * The next background attempt after one at `now`: hourly, but never past the 24-hour attempt,
 * which it becomes once that time is reached. None after the 24-hour attempt itself.
 */
export function nextBackgroundAttempt(endedAt: Date, now: Date, kind: AttemptKind): Date | null {
  if (kind === "final") return null;
  return at(Math.min(now.getTime() + BACKGROUND_INTERVAL_MS, finalAttemptAt(endedAt)));
}

/** Which scheduled attempt runs at `now`: the first, a background one, or the 24-hour one. */
export function scheduledAttemptKind(row: { endedAt: Date; fetchAttempts: number }, now: Date): AttemptKind {
  if (now.getTime() >= finalAttemptAt(row.endedAt)) return "final";
  return row.fetchAttempts === 0 ? "initial" : "background";
}

/** When the user may press Retry again (null: now, if the state offers it at all). */
export function manualRetryAvailableAt(row: MachineRow): Date | null {
  if (row.state !== "retry_failed" || !row.manualRetryAt) return null;
  return at(row.manualRetryAt.getTime() + MANUAL_RETRY_COOLDOWN_MS);
}

export function transition(row: MachineRow, event: RecordingEvent, now: Date): Transition {
  const ok = (patch: Partial<MachineRow>): Transition => ({ ok: true, row: { ...row, ...patch } });
  switch (event.type) {
    case "call_started":
      if (row.state !== "pending") return { ok: false, reason: "not_allowed" };
      return ok({ state: "call_in_progress" });
    case "call_ended":
      if (row.state !== "pending" && row.state !== "call_in_progress")
        return { ok: false, reason: "not_allowed" };
      return ok({
        state: "fetching_in_progress",
        endedAt: event.endedAt,
        nextAttemptAt: at(event.endedAt.getTime() + FIRST_ATTEMPT_DELAY_MS),
      });
    case "retry_requested": {
      if (!isRetryable(row.state)) return { ok: false, reason: "not_allowed" };
      const availableAt = manualRetryAvailableAt(row);
      if (availableAt && now < availableAt) return { ok: false, reason: "cooldown" };
      // The background schedule is left as it is: manual retries never cancel it.
      return ok({ state: "fetching_in_progress", manualRetryAt: now, stateBeforeAttempt: row.state });
    }
    case "attempt_started": {
      if (isSettled(row.state) || row.state === "call_in_progress" || !row.endedAt)
        return { ok: false, reason: isSettled(row.state) ? "already_final" : "not_allowed" };
      // One attempt at a time: one in flight is resumed (same kind, counted once), never doubled.
      if (row.attemptKind) return { ok: false, reason: "in_flight" };
      const nextAttemptAt =
        event.kind === "manual" ? row.nextAttemptAt : nextBackgroundAttempt(row.endedAt, now, event.kind);
      // A manual attempt was already shown as fetching when it was requested; keep what it replaced.
      const before = event.kind === "manual" ? (row.stateBeforeAttempt ?? row.state) : row.state;
      return ok({
        state: "fetching_in_progress",
        nextAttemptAt,
        stateBeforeAttempt: before,
        attemptKind: event.kind,
      });
    }
    case "attempt_resumed":
      // Nothing changes: the same attempt (kind, schedule, state it replaced) runs again.
      if (row.state !== "fetching_in_progress" || !row.attemptKind)
        return { ok: false, reason: "not_allowed" };
      return ok({});
    case "attempt_finished":
      return finished(row, event.kind, event.outcome, now);
    case "deleted":
      if (row.state === "deleted") return { ok: false, reason: "already_final" };
      return ok({ state: "deleted", nextAttemptAt: null, stateBeforeAttempt: null, attemptKind: null });
  }
}

function finished(row: MachineRow, kind: AttemptKind, outcome: FetchOutcome, now: Date): Transition {
  if (row.state !== "fetching_in_progress" || !row.endedAt) return { ok: false, reason: "not_allowed" };
  const done = (state: RecordingState, nextAttemptAt: Date | null = row.nextAttemptAt): Transition => ({
    ok: true,
    row: { ...row, state, nextAttemptAt, stateBeforeAttempt: null, attemptKind: null },
  });
  switch (outcome.kind) {
    case "success":
      return done("available", null);
    case "media_failed":
      return done("failed", null);
    case "not_found":
      // Nothing on the server (yet): say so; the background attempts go on until the 24-hour one.
      return done("media_unavailable", kind === "final" ? null : row.nextAttemptAt);
    case "processing": {
      if (kind === "final") return done("24hr_retry_failed", null);
      // Asked again after the server's Retry-After (bounded), or at the next background attempt if sooner.
      const wait = Math.min(MEDIA_POLL_MAX_MS, Math.max(MEDIA_POLL_MIN_MS, outcome.retryAfterMs ?? 0));
      const poll = Math.min(now.getTime() + wait, row.nextAttemptAt?.getTime() ?? Number.POSITIVE_INFINITY);
      return done("media_in_progress", at(poll));
    }
    case "partial": {
      if (kind === "final") return done("24hr_retry_failed", null);
      const state =
        outcome.uploadFailed === 0
          ? "partial_download_failed"
          : outcome.downloadFailed === 0
            ? "partial_upload_failed"
            : "partial_failed";
      return done(state);
    }
    case "error": {
      if (kind === "final") return done("24hr_retry_failed", null);
      if (kind === "manual") return done("retry_failed");
      if (kind === "initial") return done("initial_fetch_failed");
      // A failed background attempt changes nothing the user sees: the earlier failure stands.
      const before = row.stateBeforeAttempt;
      return done(before && FETCH_FAILURES.includes(before) ? before : "initial_fetch_failed");
    }
  }
}
