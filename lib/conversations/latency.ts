// The four latency formulas of a voice turn (product spec, "Latency Metrics"), in milliseconds;
// null when either timestamp is missing, never 0 for "not measured".

export type LatencyTimestamps = {
  userStoppedSpeakingAt: Date | null;
  asrTranscriptAt: Date | null;
  transcriptSentAt: Date | null;
  botResponseAt: Date | null;
  ttsRequestAt: Date | null;
  ttsFirstByteAt: Date | null;
  firstAudioHeardAt: Date | null;
};

export type Latencies = {
  asrMs: number | null;
  botMs: number | null;
  ttsMs: number | null;
  e2eMs: number | null;
};

/**
 * The four metrics as the product names and defines them (spec: "Latency Metrics"): the transcript
 * shows each formula on hover, and the latency report uses the same names.
 */
export const LATENCY_METRICS = [
  {
    key: "asrMs",
    label: "ASR Latency",
    short: "ASR",
    formula: "ASR Latency = User stops speaking → ASR returns full transcript",
  },
  {
    key: "botMs",
    label: "Bot Latency",
    short: "Bot",
    formula: "Bot Latency = VG sends transcript → VG receives bot response",
  },
  {
    key: "ttsMs",
    label: "TTS Latency",
    short: "TTS",
    formula: "TTS Latency = VG sends TTS request → VG receives first audio byte",
  },
  {
    key: "e2eMs",
    label: "End-to-End Latency",
    short: "End-to-End",
    formula: "End-to-End Latency = User stops speaking → First audio byte heard",
  },
] as const satisfies readonly { key: keyof Latencies; label: string; short: string; formula: string }[];

/** No voice turn takes longer than this; ingest refuses a turn's timestamps further apart. */
export const MAX_TURN_MS = 10 * 60 * 1000;
/**
 * A turn's timestamps come from different components' clocks (ASR, bot, TTS, the media path): a
 * small disagreement is kept and shown with its sign, so it can be noticed and fixed; beyond this
 * the order is simply wrong.
 */
export const MAX_CLOCK_SKEW_MS = 1000;

/**
 * `to − from`, or null when not measured — and also when impossible: further below zero than clocks
 * disagree, or longer than a turn can take. A turn's timestamps may arrive in several events, each
 * checked only on its own, so what is read back is checked again rather than shown as a
 * −315,537,947,999,000 ms latency.
 */
const between = (from: Date | null, to: Date | null) => {
  if (!from || !to) return null;
  const ms = to.getTime() - from.getTime();
  return ms >= -MAX_CLOCK_SKEW_MS && ms <= MAX_TURN_MS ? ms : null;
};

export function computeLatencies(t: LatencyTimestamps): Latencies {
  return {
    asrMs: between(t.userStoppedSpeakingAt, t.asrTranscriptAt), // user stops speaking → ASR full transcript
    botMs: between(t.transcriptSentAt, t.botResponseAt), // transcript sent → bot response received
    ttsMs: between(t.ttsRequestAt, t.ttsFirstByteAt), // TTS request → first audio byte (TTFB)
    e2eMs: between(t.userStoppedSpeakingAt, t.firstAudioHeardAt), // user stops speaking → first audio heard
  };
}

/** Mean of each latency over the turns that measured it. */
export function averageLatencies(turns: Latencies[]): Latencies {
  const mean = (key: keyof Latencies) => {
    const values = turns.map((t) => t[key]).filter((v): v is number => v !== null);
    return values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null;
  };
  return { asrMs: mean("asrMs"), botMs: mean("botMs"), ttsMs: mean("ttsMs"), e2eMs: mean("e2eMs") };
}

/**
 * The p-th percentile (0…1) with linear interpolation between the closest ranks — PostgreSQL's
 * `percentile_cont`, so the stored end-to-end p90 (list column) and the report agree. Null values
 * (not measured) are left out; null when none is left.
 */
export function percentile(values: readonly (number | null)[], p: number): number | null {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (!xs.length) return null;
  const rank = p * (xs.length - 1);
  const lo = Math.floor(rank);
  const low = xs[lo] as number;
  const high = xs[Math.min(lo + 1, xs.length - 1)] as number;
  return low + (high - low) * (rank - lo);
}

export type LatencySummary = Record<keyof Latencies, { p50: number | null; p90: number | null }>;

/** p50 and p90 of each metric over a conversation's turns (the latency report's summary rows). */
export function summarizeLatencies(turns: readonly Latencies[]): LatencySummary {
  const of = (key: keyof Latencies) => {
    const values = turns.map((t) => t[key]);
    return { p50: percentile(values, 0.5), p90: percentile(values, 0.9) };
  };
  return { asrMs: of("asrMs"), botMs: of("botMs"), ttsMs: of("ttsMs"), e2eMs: of("e2eMs") };
}

/** The timestamp columns of a `latency_turns` row. */
export type LatencyTurnColumns = {
  user_stopped_speaking_at: Date | null;
  asr_transcript_at: Date | null;
  transcript_sent_at: Date | null;
  bot_response_at: Date | null;
  tts_request_at: Date | null;
  tts_first_byte_at: Date | null;
  first_audio_heard_at: Date | null;
};

/** computeLatencies for a row as the database returns it (the panel and the API both read rows). */
export function latenciesOfRow(row: LatencyTurnColumns): Latencies {
  return computeLatencies({
    userStoppedSpeakingAt: row.user_stopped_speaking_at,
    asrTranscriptAt: row.asr_transcript_at,
    transcriptSentAt: row.transcript_sent_at,
    botResponseAt: row.bot_response_at,
    ttsRequestAt: row.tts_request_at,
    ttsFirstByteAt: row.tts_first_byte_at,
    firstAudioHeardAt: row.first_audio_heard_at,
  });
}
