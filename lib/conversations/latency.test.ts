import { describe, expect, test } from "vitest";
import { computeLatencies, LATENCY_METRICS, percentile, summarizeLatencies } from "./latency.ts";

const at = (s: string) => new Date(`2026-11-25T10:00:${s}Z`);

describe("latency formulas (spec: Latency Metrics)", () => {
  test("the spec's worked example: 450, 850, 400 ms and 1.7 s end to end", () => {
    expect(
      computeLatencies({
        userStoppedSpeakingAt: at("05.000"),
        asrTranscriptAt: at("05.450"),
        transcriptSentAt: at("05.450"),
        botResponseAt: at("06.300"),
        ttsRequestAt: at("06.300"),
        ttsFirstByteAt: at("06.700"),
        firstAudioHeardAt: at("06.700"),
      }),
    ).toEqual({ asrMs: 450, botMs: 850, ttsMs: 400, e2eMs: 1700 });
  });

  test("the sign is kept (clock disagreement shows), and a missing timestamp is null, not 0", () => {
    const l = computeLatencies({
      userStoppedSpeakingAt: at("05.000"),
      asrTranscriptAt: at("04.900"),
      transcriptSentAt: null,
      botResponseAt: at("06.300"),
      ttsRequestAt: null,
      ttsFirstByteAt: null,
      firstAudioHeardAt: null,
    });
    expect(l).toEqual({ asrMs: -100, botMs: null, ttsMs: null, e2eMs: null });
  });

  test("each metric carries the spec's formula", () => {
    expect(LATENCY_METRICS.map((m) => m.formula)).toEqual([
      "ASR Latency = User stops speaking → ASR returns full transcript",
      "Bot Latency = VG sends transcript → VG receives bot response",
      "TTS Latency = VG sends TTS request → VG receives first audio byte",
      "End-to-End Latency = User stops speaking → First audio byte heard",
    ]);
  });
});

describe("percentiles (PostgreSQL percentile_cont)", () => {
  test("linear interpolation between closest ranks; nulls ignored; null when empty", () => {
    expect(percentile([4, 1, 3, 2], 0.9)).toBeCloseTo(3.7, 10);
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentile([1200, null], 0.9)).toBe(1200);
    expect(percentile([null], 0.9)).toBeNull();
    expect(percentile([], 0.5)).toBeNull();
  });

  test("summarizeLatencies gives p50/p90 per metric over the measured turns", () => {
    const s = summarizeLatencies([
      { asrMs: 100, botMs: 800, ttsMs: null, e2eMs: 1000 },
      { asrMs: 300, botMs: 900, ttsMs: null, e2eMs: 2000 },
    ]);
    expect(s.asrMs).toEqual({ p50: 200, p90: 280 });
    expect(s.ttsMs).toEqual({ p50: null, p90: null });
    expect(s.e2eMs.p90).toBe(1900);
  });
});
