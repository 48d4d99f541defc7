import { createHash } from "node:crypto";
import type { Database } from "../../db/client.ts";
import { createAudioRenderer, type Segment, type Span } from "./speech.ts";

// The simulated platform's recording server (lib/platform/simulator.ts): a finished call's audio,
// one WAV per leg (RECORDING_SOURCE_URL's {leg}: customer, agent), rendered from what the call
// said — each message is speech from its time in the call, as long as its words take to say, in
// its speaker's voice; pauses are silence. So the demo's new calls (`npm start`, `npm run simulate`)
// get playable recordings through the worker's real fetch path, as they would from a real platform.

export const SIMULATED_LEGS = ["customer", "agent"] as const;
export type SimulatedLeg = (typeof SIMULATED_LEGS)[number];

/** Longer calls are cut here: 2 hours of 8 kHz µ-law is 58 MB, the most one leg may be. */
const MAX_DURATION_MS = 2 * 60 * 60 * 1000;
/** Speaking time per word, and the pause before the next message at the latest. */
const MS_PER_WORD = 370;
const TAIL_MS = 250;

const render = createAudioRenderer(1);

/**
 * One leg of the call with this platform call id (else session id) as WAV, or null when there is
 * no such voice call, or it has not ended (a recording server has nothing before the hang-up).
 */
export async function renderCallLeg(db: Database, callId: string, leg: SimulatedLeg): Promise<Buffer | null> {
  const call = await db
    .selectFrom("conversations as c")
    .leftJoin("recordings as r", "r.conversation_id", "c.id")
    .select(["c.id", "c.customer_id", "c.started_at", "c.ended_at", "r.paused_spans"])
    .where("c.channel", "=", "voice")
    .where((eb) => eb.or([eb("c.external_call_id", "=", callId), eb("c.session_id", "=", callId)]))
    .orderBy("c.started_at", "desc")
    .executeTakeFirst();
  if (!call?.ended_at) return null;
  const start = call.started_at.getTime();
  const durationMs = Math.min(MAX_DURATION_MS, Math.max(1000, call.ended_at.getTime() - start));
  const messages = await db
    .selectFrom("messages")
    .select(["speaker", "sent_at", "body", "user_id"])
    .where("conversation_id", "=", call.id)
    .where("kind", "=", "text")
    .orderBy("seq")
    .execute();
  const speakers = leg === "customer" ? ["customer"] : ["agent", "ai_agent"];
  const segments: Segment[] = [];
  for (const [i, m] of messages.entries()) {
    if (!speakers.includes(m.speaker)) continue;
    const startMs = Math.max(0, m.sent_at.getTime() - start);
    const next = messages[i + 1]?.sent_at.getTime() ?? Number.POSITIVE_INFINITY;
    const words = m.body.split(/\s+/).filter(Boolean).length;
    const endMs = Math.min(startMs + words * MS_PER_WORD + TAIL_MS, next - start, durationMs);
    if (endMs <= startMs) continue;
    const voice =
      m.speaker === "customer" ? `c:${call.customer_id}` : m.speaker === "agent" ? `a:${m.user_id}` : "ai";
    segments.push({ startMs, endMs, voice });
  }
  const holds = Array.isArray(call.paused_spans)
    ? (call.paused_spans as Span[]).filter((s) => Number.isFinite(s?.startMs) && Number.isFinite(s?.endMs))
    : [];
  // The same call and leg always sound the same.
  const legSeed = createHash("sha256").update(`${call.id}:${leg}`).digest().readUInt32LE(0);
  return render(durationMs, segments, holds, legSeed);
}
