// Real audio for the newest recent calls: two legs per call (the customer, and the platform side:
// the agent or the AI agent), written to the blob store, with the legs' technical facts recorded.
import { createHash } from "node:crypto";
import type { BlobStore } from "../../lib/storage/blobs.ts";
import { createAudioRenderer, SAMPLE_RATE } from "./audio.ts";
import type { AudioCandidate } from "./conversations.ts";
import { createRng, STREAM } from "./random.ts";
import { AUDIO_CAP } from "./recordings.ts";
import type { Batch } from "./rows.ts";

function legKey(conversationId: string, leg: number): string {
  return `recordings/${conversationId}/leg-${leg}.wav`;
}

/** Renders up to AUDIO_CAP of the newest candidates; their recordings become 'available'. */
export async function writeRecordingFiles(
  candidates: AudioCandidate[],
  out: Batch,
  blobs: BlobStore,
  seed: number,
): Promise<{ calls: number; bytes: number }> {
  const render = createAudioRenderer(seed);
  const chosen = [...candidates].sort((a, b) => b.startedAt - a.startedAt).slice(0, AUDIO_CAP);
  let bytes = 0;
  for (const [n, c] of chosen.entries()) {
    const rng = createRng(seed, STREAM.recording, n);
    const { durationMs, utterances, holds } = c.plan;
    const legs = [
      { label: "customer", userId: null, speakers: ["customer"] },
      {
        label: c.supportAgentId ? "agent" : "ai_agent",
        userId: c.supportAgentId,
        speakers: ["agent", "ai_agent"],
      },
    ];
    for (const [index, leg] of legs.entries()) {
      const segments = utterances.filter((u) => leg.speakers.includes(u.speaker));
      const file = render(durationMs, segments, holds, rng.int(0, 2 ** 31));
      const key = legKey(c.conversationId, index + 1);
      await blobs.put(key, file);
      bytes += file.length;
      out.recording_legs.push({
        id: rng.uuid(),
        recording_id: c.recording.id,
        leg_index: index + 1,
        label: leg.label,
        participant_user_id: leg.userId,
        storage_key: key,
        format: "wav",
        sample_rate: SAMPLE_RATE,
        channels: 1,
        duration_ms: durationMs,
        size_bytes: file.length,
        sha256: createHash("sha256").update(file).digest("hex"),
        created_at: c.recording.last_attempt_at ?? new Date(c.startedAt + durationMs),
      });
    }
    Object.assign(c.recording, {
      state: "available",
      format: "wav",
      duration_ms: durationMs,
      last_error: null,
    });
  }
  return { calls: chosen.length, bytes };
}
