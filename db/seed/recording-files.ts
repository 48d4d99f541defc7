// Real audio for the newest recent calls: two legs per call (the customer, and the platform side:
// the agent or the AI agent), stored the way the upload endpoint stores an uploaded leg
// (storeRecordingLeg: blob, hash, WAV facts, leg row, the recording made available).
import { sniffAudio } from "../../lib/files/sniff.ts";
import { createAudioRenderer } from "../../lib/platform/speech.ts";
import { createRng, STREAM } from "../../lib/random.ts";
import { storeRecordingLeg } from "../../lib/recordings/legs.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import { MAX_UPLOAD_BYTES, stage } from "../../lib/storage/staging.ts";
import type { Database } from "../client.ts";
import { AUDIO_CAP } from "./recordings.ts";
import type { AudioPlan } from "./timeline.ts";

/** A recent call whose recording the demo may render as audio (see recordings.ts). */
export type AudioCall = {
  conversationId: string;
  startedAt: number;
  supportAgentId: string | null;
  plan: AudioPlan;
};

/** Renders up to AUDIO_CAP of the newest calls and stores their legs; their recordings become available. */
export async function writeRecordingFiles(
  db: Database,
  calls: AudioCall[],
  blobs: BlobStore,
  seed: number,
): Promise<{ calls: number; bytes: number }> {
  const render = createAudioRenderer(seed);
  const chosen = [...calls].sort((a, b) => b.startedAt - a.startedAt).slice(0, AUDIO_CAP);
  let bytes = 0;
  for (const [n, c] of chosen.entries()) {
    const rng = createRng(seed, STREAM.recording, n);
    const { durationMs, utterances, holds } = c.plan;
    const legs = [
      { label: "customer" as const, userId: null, speakers: ["customer"] },
      {
        label: c.supportAgentId ? ("agent" as const) : ("ai_agent" as const),
        userId: c.supportAgentId,
        speakers: ["agent", "ai_agent"],
      },
    ];
    for (const [index, leg] of legs.entries()) {
      const segments = utterances.filter((u) => leg.speakers.includes(u.speaker));
      const file = render(durationMs, segments, holds, rng.int(0, 2 ** 31));
      // The whole file as one chunk: one write, where an upload's body arrives in many.
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(file);
          controller.close();
        },
      });
      const staged = await stage(blobs, "upload", body, MAX_UPLOAD_BYTES);
      const format = sniffAudio(staged.head);
      if (format !== "wav") throw new Error(`the demo's audio is not WAV (${format})`);
      await storeRecordingLeg(db, blobs, c.conversationId, {
        legIndex: index + 1,
        label: leg.label,
        participantUserId: leg.userId,
        staged,
        format,
      });
      bytes += file.length;
    }
  }
  return { calls: chosen.length, bytes };
}
