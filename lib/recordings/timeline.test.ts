import { describe, expect, test } from "vitest";
import { formatClock, recordingClock, spansAreCut } from "./timeline.ts";

describe("recording clock", () => {
  const spans = [
    { startMs: 10_000, endMs: 15_000 },
    { startMs: 30_000, endMs: 32_000 },
  ];

  test("maps call offsets to audio positions around cut spans, and back", () => {
    const clock = recordingClock(spans, true);
    expect(clock.toAudio(5_000)).toBe(5_000);
    expect(clock.toAudio(12_000)).toBe(10_000); // inside a cut span: where the audio resumes
    expect(clock.toAudio(20_000)).toBe(15_000);
    expect(clock.toAudio(40_000)).toBe(33_000);
    for (const t of [0, 5_000, 15_000, 20_000, 32_000, 40_000])
      expect(clock.toCall(clock.toAudio(t))).toBe(t);
  });

  test("is the identity when the audio kept the spans", () => {
    const clock = recordingClock(spans, false);
    expect(clock.toAudio(40_000)).toBe(40_000);
    expect(clock.toCall(40_000)).toBe(40_000);
  });

  test("tells cut audio from audio as long as the call", () => {
    expect(spansAreCut(spans, 60_000, 53_000)).toBe(true);
    expect(spansAreCut(spans, 60_000, 60_000)).toBe(false);
    expect(spansAreCut([], 60_000, 60_000)).toBe(false);
  });
});

test("player counters", () => {
  expect(formatClock(0)).toBe("0:00");
  expect(formatClock(9_999)).toBe("0:09");
  expect(formatClock(754_000)).toBe("12:34");
  expect(formatClock(3_723_000)).toBe("1:02:03");
});
