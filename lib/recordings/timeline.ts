// Recording time vs. conversation time. Hold periods and paused spans are not recorded: when the
// recording server cuts them out, the audio is shorter than the call by exactly those spans, and a
// transcript line at call offset T plays at T minus the cut time before it. Audio that kept them
// (as silence) is as long as the call and maps one to one.

export type Span = { startMs: number; endMs: number };

/** Total length of `spans` (offsets from the conversation's start) that lie before `offsetMs`. */
function cutBefore(spans: Span[], offsetMs: number): number {
  let cut = 0;
  for (const s of spans) cut += Math.max(0, Math.min(s.endMs, offsetMs) - s.startMs);
  return cut;
}

/** True when the audio is shorter than the call by (about) its paused spans: they were cut out. */
export function spansAreCut(spans: Span[], callMs: number, audioMs: number): boolean {
  const paused = cutBefore(spans, callMs);
  return paused > 0 && audioMs <= callMs - paused + 1000;
}

export type RecordingClock = {
  /** Conversation offset (ms) → position in the audio (ms). */
  toAudio: (callOffsetMs: number) => number;
  /** Position in the audio (ms) → conversation offset (ms). */
  toCall: (audioMs: number) => number;
};

export function recordingClock(spans: Span[], cut: boolean): RecordingClock {
  const sorted = cut ? [...spans].sort((a, b) => a.startMs - b.startMs) : [];
  return {
    toAudio: (t) => Math.max(0, t - cutBefore(sorted, t)),
    toCall: (a) => {
      let t = a;
      for (const s of sorted) if (s.startMs <= t) t += s.endMs - s.startMs;
      return t;
    },
  };
}

/** A player counter: m:ss, or h:mm:ss from an hour on. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
