import { describe, expect, it } from "vitest";
import type { RecordingState } from "../../db/types.ts";
import {
  type AttemptKind,
  type FetchOutcome,
  HOUR,
  type MachineRow,
  MINUTE,
  manualRetryAvailableAt,
  scheduledAttemptKind,
  transition,
} from "./machine.ts";
import { RECORDING_STATE_MESSAGES, RETRYABLE_STATES, recordingStateSchema } from "./states.ts";

const ended = new Date("2026-03-08T06:30:00Z");
const t = (ms: number) => new Date(ended.getTime() + ms);
const row = (state: RecordingState, extra: Partial<MachineRow> = {}): MachineRow => ({
  state,
  endedAt: ended,
  nextAttemptAt: null,
  manualRetryAt: null,
  ...extra,
});
const ALL = recordingStateSchema.options;

function ok(r: ReturnType<typeof transition>): MachineRow {
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.row;
}

describe("recording messages", () => {
  it("uses the spec's words for every state", () => {
    expect(RECORDING_STATE_MESSAGES.initial_fetch_failed).toBe(
      "We couldn't load the call recording. Please try again.",
    );
    expect(RECORDING_STATE_MESSAGES.retry_failed).toBe(
      "Still unable to fetch the recording. Please try again after 15 minutes.",
    );
    expect(RECORDING_STATE_MESSAGES["24hr_retry_failed"]).toBe(
      "We couldn't generate the call recording due to a technical issue. Please contact your administrator for assistance.",
    );
    expect(RECORDING_STATE_MESSAGES.fetching_in_progress).toBe(
      "Generating your call recording... This may take a few minutes. Please wait.",
    );
    expect(RECORDING_STATE_MESSAGES.deleted).toBe(
      "Recording not available. It may have been deleted as per your data retention policy.",
    );
    expect(RETRYABLE_STATES).toEqual([
      "partial_download_failed",
      "partial_upload_failed",
      "partial_failed",
      "initial_fetch_failed",
      "retry_failed",
    ]);
  });
});

describe("call lifecycle", () => {
  it("pending → call_in_progress on call start, refused from anything else", () => {
    expect(ok(transition(row("pending", { endedAt: null }), { type: "call_started" }, ended)).state).toBe(
      "call_in_progress",
    );
    for (const s of ALL.filter((s) => s !== "pending"))
      expect(transition(row(s), { type: "call_started" }, ended).ok).toBe(false);
  });

  it("call end books the first attempt 10 minutes later, from pending or call_in_progress only", () => {
    for (const s of ["pending", "call_in_progress"] as const) {
      const next = ok(transition(row(s, { endedAt: null }), { type: "call_ended", endedAt: ended }, ended));
      expect(next).toMatchObject({
        state: "fetching_in_progress",
        endedAt: ended,
        nextAttemptAt: t(10 * MINUTE),
      });
    }
    for (const s of ALL.filter((s) => s !== "pending" && s !== "call_in_progress"))
      expect(transition(row(s), { type: "call_ended", endedAt: ended }, ended).ok).toBe(false);
  });
});

describe("scheduled attempts", () => {
  it("the first is initial, later ones background, from 24 hours on the final one", () => {
    expect(scheduledAttemptKind({ endedAt: ended, fetchAttempts: 0 }, t(10 * MINUTE))).toBe("initial");
    expect(scheduledAttemptKind({ endedAt: ended, fetchAttempts: 1 }, t(2 * HOUR))).toBe("background");
    expect(scheduledAttemptKind({ endedAt: ended, fetchAttempts: 0 }, t(24 * HOUR))).toBe("final");
    expect(scheduledAttemptKind({ endedAt: ended, fetchAttempts: 5 }, t(30 * HOUR))).toBe("final");
  });

  it("starting books the next background attempt an hour on, capped at the 24-hour one; none after it", () => {
    const first = ok(
      transition(row("fetching_in_progress"), { type: "attempt_started", kind: "initial" }, t(10 * MINUTE)),
    );
    expect(first).toMatchObject({ state: "fetching_in_progress", nextAttemptAt: t(70 * MINUTE) });
    const late = ok(
      transition(row("retry_failed"), { type: "attempt_started", kind: "background" }, t(23.5 * HOUR)),
    );
    expect(late).toMatchObject({ nextAttemptAt: t(24 * HOUR), stateBeforeAttempt: "retry_failed" });
    const final = ok(
      transition(row("retry_failed"), { type: "attempt_started", kind: "final" }, t(24 * HOUR)),
    );
    expect(final.nextAttemptAt).toBeNull();
  });

  it("a manual attempt leaves the background schedule alone", () => {
    const booked = t(3 * HOUR);
    const r = ok(
      transition(
        row("fetching_in_progress", { nextAttemptAt: booked, stateBeforeAttempt: "initial_fetch_failed" }),
        { type: "attempt_started", kind: "manual" },
        t(2 * HOUR),
      ),
    );
    expect(r).toMatchObject({ nextAttemptAt: booked, stateBeforeAttempt: "initial_fetch_failed" });
  });

  it("nothing starts on a settled recording, a call in progress or one whose end is unknown", () => {
    for (const s of ["available", "deleted", "failed", "24hr_retry_failed"] as const)
      expect(transition(row(s), { type: "attempt_started", kind: "background" }, t(HOUR))).toEqual({
        ok: false,
        reason: "already_final",
      });
    expect(
      transition(row("call_in_progress"), { type: "attempt_started", kind: "initial" }, t(HOUR)).ok,
    ).toBe(false);
    expect(
      transition(
        row("fetching_in_progress", { endedAt: null }),
        { type: "attempt_started", kind: "initial" },
        t(HOUR),
      ).ok,
    ).toBe(false);
  });
});

describe("an attempt in flight", () => {
  const inFlight = row("fetching_in_progress", {
    nextAttemptAt: null,
    attemptKind: "final",
    stateBeforeAttempt: "retry_failed",
  });

  it("is written on the row when it starts, and no second one starts beside it", () => {
    const started = ok(
      transition(row("retry_failed"), { type: "attempt_started", kind: "background" }, t(2 * HOUR)),
    );
    expect(started.attemptKind).toBe("background");
    expect(transition(started, { type: "attempt_started", kind: "background" }, t(3 * HOUR))).toEqual({
      ok: false,
      reason: "in_flight",
    });
  });

  it("is resumed as it was (kind, schedule, the state it replaced); nothing else can be resumed", () => {
    expect(ok(transition(inFlight, { type: "attempt_resumed" }, t(25 * HOUR)))).toEqual(inFlight);
    expect(transition(row("fetching_in_progress"), { type: "attempt_resumed" }, t(HOUR)).ok).toBe(false);
    expect(transition({ ...inFlight, state: "deleted" }, { type: "attempt_resumed" }, t(25 * HOUR)).ok).toBe(
      false,
    );
  });

  it("is cleared by its outcome and by the deletion", () => {
    const outcome = { kind: "error" } as const;
    const done = ok(transition(inFlight, { type: "attempt_finished", kind: "final", outcome }, t(25 * HOUR)));
    expect(done).toMatchObject({ state: "24hr_retry_failed", attemptKind: null, stateBeforeAttempt: null });
    expect(ok(transition(inFlight, { type: "deleted" }, t(25 * HOUR))).attemptKind).toBeNull();
  });
});

describe("attempt outcomes", () => {
  const running = (extra: Partial<MachineRow> = {}) =>
    row("fetching_in_progress", { nextAttemptAt: t(2 * HOUR), ...extra });
  const finish = (kind: AttemptKind, outcome: FetchOutcome, extra: Partial<MachineRow> = {}) =>
    ok(transition(running(extra), { type: "attempt_finished", kind, outcome }, t(HOUR)));
  const kinds: AttemptKind[] = ["initial", "background", "manual", "final"];

  it("success makes it available whatever the attempt, with nothing more booked", () => {
    for (const kind of kinds)
      expect(finish(kind, { kind: "success" })).toMatchObject({ state: "available", nextAttemptAt: null });
  });

  it("media the server reports failed (or that is not audio) is failed, for good", () => {
    for (const kind of kinds)
      expect(finish(kind, { kind: "media_failed" })).toMatchObject({ state: "failed", nextAttemptAt: null });
  });

  it("an error is initial_fetch_failed / retry_failed / 24hr_retry_failed by attempt", () => {
    expect(finish("initial", { kind: "error" })).toMatchObject({
      state: "initial_fetch_failed",
      nextAttemptAt: t(2 * HOUR),
    });
    expect(finish("manual", { kind: "error" })).toMatchObject({
      state: "retry_failed",
      nextAttemptAt: t(2 * HOUR),
    });
    expect(finish("final", { kind: "error" })).toMatchObject({
      state: "24hr_retry_failed",
      nextAttemptAt: null,
    });
  });

  it("a failed background attempt keeps the failure the user already sees", () => {
    for (const before of [
      "retry_failed",
      "partial_failed",
      "initial_fetch_failed",
      "media_unavailable",
    ] as const)
      expect(finish("background", { kind: "error" }, { stateBeforeAttempt: before }).state).toBe(before);
    expect(
      finish("background", { kind: "error" }, { stateBeforeAttempt: "fetching_in_progress" }).state,
    ).toBe("initial_fetch_failed");
  });

  it("partial results name what failed; at 24 hours they are final", () => {
    expect(finish("initial", { kind: "partial", downloadFailed: 1, uploadFailed: 0 }).state).toBe(
      "partial_download_failed",
    );
    expect(finish("manual", { kind: "partial", downloadFailed: 0, uploadFailed: 1 }).state).toBe(
      "partial_upload_failed",
    );
    expect(finish("background", { kind: "partial", downloadFailed: 1, uploadFailed: 1 }).state).toBe(
      "partial_failed",
    );
    expect(finish("final", { kind: "partial", downloadFailed: 1, uploadFailed: 0 }).state).toBe(
      "24hr_retry_failed",
    );
  });

  it("no recording on the server is media_unavailable; background attempts go on until the 24-hour one", () => {
    expect(finish("initial", { kind: "not_found" })).toMatchObject({
      state: "media_unavailable",
      nextAttemptAt: t(2 * HOUR),
    });
    expect(finish("final", { kind: "not_found" })).toMatchObject({
      state: "media_unavailable",
      nextAttemptAt: null,
    });
  });

  it("media still generating polls again after Retry-After (bounded), or at the next background attempt", () => {
    expect(finish("initial", { kind: "processing", retryAfterMs: 120_000 })).toMatchObject({
      state: "media_in_progress",
      nextAttemptAt: t(HOUR + 2 * MINUTE),
    });
    expect(finish("initial", { kind: "processing", retryAfterMs: null }).nextAttemptAt).toEqual(
      t(HOUR + MINUTE),
    );
    expect(finish("initial", { kind: "processing", retryAfterMs: 10 * HOUR }).nextAttemptAt).toEqual(
      t(HOUR + 30 * MINUTE),
    );
    expect(
      finish(
        "initial",
        { kind: "processing", retryAfterMs: 20 * MINUTE },
        { nextAttemptAt: t(HOUR + 5 * MINUTE) },
      ).nextAttemptAt,
    ).toEqual(t(HOUR + 5 * MINUTE));
    expect(finish("final", { kind: "processing", retryAfterMs: null }).state).toBe("24hr_retry_failed");
  });

  it("an outcome only applies to a running attempt", () => {
    for (const s of ALL.filter((s) => s !== "fetching_in_progress"))
      expect(
        transition(
          row(s),
          { type: "attempt_finished", kind: "initial", outcome: { kind: "success" } },
          t(HOUR),
        ).ok,
      ).toBe(false);
  });
});

describe("Retry", () => {
  it("is offered exactly in the retryable states and shows fetching at once", () => {
    for (const s of ALL) {
      const r = transition(row(s), { type: "retry_requested" }, t(HOUR));
      expect(r.ok, s).toBe((RETRYABLE_STATES as readonly string[]).includes(s));
      if (r.ok)
        expect(r.row).toMatchObject({
          state: "fetching_in_progress",
          manualRetryAt: t(HOUR),
          stateBeforeAttempt: s,
        });
    }
  });

  it("after a failed retry, waits 15 minutes", () => {
    const failed = row("retry_failed", { manualRetryAt: t(HOUR) });
    expect(manualRetryAvailableAt(failed)).toEqual(t(HOUR + 15 * MINUTE));
    expect(transition(failed, { type: "retry_requested" }, t(HOUR + 14 * MINUTE))).toEqual({
      ok: false,
      reason: "cooldown",
    });
    expect(transition(failed, { type: "retry_requested" }, t(HOUR + 15 * MINUTE)).ok).toBe(true);
  });
});

describe("deletion", () => {
  it("any recording may be deleted once; the schedule is dropped", () => {
    for (const s of ALL.filter((s) => s !== "deleted"))
      expect(ok(transition(row(s, { nextAttemptAt: t(HOUR) }), { type: "deleted" }, t(HOUR)))).toMatchObject({
        state: "deleted",
        nextAttemptAt: null,
      });
    expect(transition(row("deleted"), { type: "deleted" }, t(HOUR)).ok).toBe(false);
  });
});
