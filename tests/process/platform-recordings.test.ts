import { afterAll, beforeAll, expect, it } from "vitest";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { renderCallLeg } from "../../lib/platform/recordings.ts";
import { type PlatformSimulator, startPlatformSimulator } from "../../lib/platform/simulator.ts";
import { readWavHeader, SAMPLE_RATE } from "../../lib/platform/speech.ts";
import { runRecordingFetch } from "../../lib/recordings/fetch.ts";
import { MINUTE } from "../../lib/recordings/machine.ts";
import { type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { ingestCall } from "../helpers/calls.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// The demo's recording server (the simulated platform, `npm start` without RECORDING_SOURCE_URL):
// a finished call's legs rendered from its transcript and fetched by the worker's own fetch path.

let t: TestDatabase;
let store: TempBlobStore;
let platform: PlatformSimulator;
const started = new Date("2026-11-20T10:00:00Z");
const at = (s: number) => new Date(started.getTime() + s * 1000).toISOString();
const ULAW_SILENCE = 0xff;

beforeAll(async () => {
  t = await createTestDatabase();
  store = tempBlobStore("platform-recordings");
  platform = await startPlatformSimulator({
    secret: "unused",
    ingest: async () => {},
    recordings: (callId, leg) => renderCallLeg(t.db, callId, leg),
    log: () => {},
  });
  // A 60 s call: the customer speaks at 2 s, the agent at 10 s; on hold from 30 to 40 s.
  await ingestCall(t.db, { sessionId: "sim-rec", startedAt: started, durationMs: 60_000 });
  const said = (seq: number, speaker: string, s: number, body: string) => ({
    id: `sim-rec-m${seq}`,
    type: "message",
    sessionId: "sim-rec",
    occurredAt: at(s),
    seq,
    speaker,
    body,
  });
  const outcome = await ingestEvents(t.db, [
    said(1, "customer", 2, "Hello, my parcel never arrived and I would like to know where it is"),
    said(2, "agent", 10, "Let me check that for you right away"),
    { id: "sim-rec-hold", type: "recording.paused", sessionId: "sim-rec", occurredAt: at(30) },
    { id: "sim-rec-back", type: "recording.resumed", sessionId: "sim-rec", occurredAt: at(40) },
  ] as never);
  expect(outcome.rejected).toEqual([]);
  await ingestCall(t.db, { sessionId: "sim-live", startedAt: started, ended: false });
});

afterAll(async () => {
  await platform?.close();
  await t?.drop();
  store?.remove();
});

/** The share of one second of audio (from `fromS`) that is not µ-law silence or the noise floor. */
function loudness(file: Buffer, fromS: number): number {
  const data = file.subarray(file.length - 60 * SAMPLE_RATE);
  const second = data.subarray(fromS * SAMPLE_RATE, (fromS + 1) * SAMPLE_RATE);
  // µ-law codes near 0x7f/0xff are quiet; speech uses the louder codes.
  return second.filter((b) => (b & 0x7f) < 0x60).length / second.length;
}

it("serves each leg of a finished call as WAV, speech where its speaker talks, silence on hold", async () => {
  const get = (callId: string, leg: string) =>
    fetch(platform.recordingUrl.replace("{callId}", callId).replace("{leg}", leg));
  const customer = Buffer.from(await (await get("call-sim-rec", "customer")).arrayBuffer());
  const agent = Buffer.from(await (await get("sim-rec", "agent")).arrayBuffer()); // the session id works too
  for (const leg of [customer, agent]) {
    expect(readWavHeader(leg)).toMatchObject({
      channels: 1,
      sampleRate: SAMPLE_RATE,
      dataBytes: 60 * SAMPLE_RATE,
    });
    const hold = leg.subarray(leg.length - 30 * SAMPLE_RATE, leg.length - 20 * SAMPLE_RATE);
    expect(hold.every((b) => b === ULAW_SILENCE)).toBe(true);
  }
  expect(loudness(customer, 3)).toBeGreaterThan(0.2);
  expect(loudness(agent, 3)).toBeLessThan(0.05);
  expect(loudness(agent, 11)).toBeGreaterThan(0.2);
  expect(loudness(customer, 11)).toBeLessThan(0.05);
  // Nothing to serve for an unknown call, or for one still in progress.
  expect((await get("call-nobody", "customer")).status).toBe(404);
  expect((await get("call-sim-live", "agent")).status).toBe(404);
});

it("is fetched by the worker's fetch like any recording server: the recording becomes available", async () => {
  const rec = await t.db
    .selectFrom("recordings as r")
    .innerJoin("conversations as c", "c.id", "r.conversation_id")
    .select(["r.id", "c.ended_at"])
    .where("c.session_id", "=", "sim-rec")
    .executeTakeFirstOrThrow();
  const endedAt = rec.ended_at?.getTime() ?? 0;
  const result = await runRecordingFetch(
    {
      db: t.db,
      blobs: store.blobs,
      source: { urlTemplate: platform.recordingUrl, timeoutMs: 5000 },
      now: () => new Date(endedAt + 10 * MINUTE),
    },
    { recordingId: rec.id, manual: false },
  );
  expect(result).toMatchObject({ ran: true, state: "available", error: null });
  const legs = await t.db
    .selectFrom("recording_legs")
    .select(["label", "format", "duration_ms"])
    .where("recording_id", "=", rec.id)
    .orderBy("leg_index")
    .execute();
  expect(legs).toEqual([
    { label: "customer", format: "wav", duration_ms: 60_000 },
    { label: "agent", format: "wav", duration_ms: 60_000 },
  ]);
});
