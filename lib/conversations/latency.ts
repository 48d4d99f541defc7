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

const between = (from: Date | null, to: Date | null) => (from && to ? to.getTime() - from.getTime() : null);

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
