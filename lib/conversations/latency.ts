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
