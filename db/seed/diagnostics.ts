// Voice diagnostics in the demo data: calls for the Diagnostics page — real captures
// (tests/fixtures/diagnostics, made with SIPp, GStreamer and tcpdump on loopback) attached to voice
// conversations whose agents joined while the captured call ran, stored as an upload stores them
// and parsed by the job's own function — and the list's End-to-End p90 of the seeded latency turns
// (ingest maintains it; the demo loader writes turns directly).
import { readFileSync } from "node:fs";
import type { Kysely } from "kysely";
import { captureStorageKey } from "../../lib/api/uploads.ts";
import { refreshE2eP90 } from "../../lib/conversations/latency-store.ts";
import { analyzeCapture } from "../../lib/diagnostics/analyze.ts";
import { exportPcap } from "../../lib/diagnostics/export.ts";
import { parseCaptureBytes } from "../../lib/diagnostics/parsed.ts";
import { inProcessParser, parseCapture, storeParsedMany } from "../../lib/diagnostics/store.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import type { IngestEvent } from "../../lib/ingest/schemas.ts";
import { createRng } from "../../lib/random.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import type { DB } from "../types.ts";
import { demoCapture, sha256 } from "./captures.ts";
import { DEMO_AGENT_EMAIL, DEMO_SUPERVISOR_EMAIL } from "./catalog.ts";

/** Session ids of the demo calls (tests find them by these). */
export const DIAGNOSTICS_SESSIONS = {
  /** The demo agent's call: SIP with a retransmitted INVITE, RTP both ways with loss, RTCP SR/RR. */
  withRtcp: "demo-diagnostics-rtcp",
  /** Another agent's call: SIPp echo with DTMF and no RTCP at all. */
  withoutRtcp: "demo-diagnostics-echo",
} as const;

const FIXTURES = new URL("../../tests/fixtures/diagnostics/", import.meta.url);
const STREAM_DIAGNOSTICS = 9; // createRng stream of this file (lib/random.ts numbers the others)
const SECOND_US = 1_000_000;
// RTCP's round-trip time compares a report's arrival with the LSR field, both as the middle 32 bits
// of an NTP time (seconds mod 65536 + fraction): moving a capture by whole 65536 s keeps it exact.
const NTP_WRAP_US = 65_536 * SECOND_US;

type DemoCall = {
  session: string;
  file: string;
  agentEmail: string;
  /** Other joins: who, when (s after the INVITE), and how they ended. */
  others: { email: string; role: "supervisor" | "consultant"; fromS: number }[];
};

const CALLS: DemoCall[] = [
  {
    session: DIAGNOSTICS_SESSIONS.withRtcp,
    file: "gst-rtcp-loss.pcapng",
    agentEmail: DEMO_AGENT_EMAIL,
    // The supervisor joins after the RTCP reports went by: the Agents tab shows that session's
    // "no RTCP received" state next to the agent's measured one.
    others: [{ email: DEMO_SUPERVISOR_EMAIL, role: "supervisor", fromS: 4 }],
  },
  {
    session: DIAGNOSTICS_SESSIONS.withoutRtcp,
    file: "sipp-echo.pcap",
    agentEmail: "daniel.kim@parley.demo",
    others: [],
  },
];

export async function seedVoiceDiagnostics(
  db: Kysely<DB>,
  blobs: BlobStore,
  opts: { seed: number; now: Date },
) {
  const rng = createRng(opts.seed, STREAM_DIAGNOSTICS);
  const customer = await db
    .selectFrom("customers")
    .select("user_ref")
    .orderBy("user_ref")
    .limit(1)
    .executeTakeFirst();
  for (const call of CALLS) {
    const original = analyzeCapture(readFileSync(new URL(call.file, FIXTURES)));
    const sip = original.flow.filter((e) => e.kind === "sip");
    const inviteUs = sip.find((e) => e.kind === "sip" && e.method === "INVITE")?.timeUs ?? 0;
    const answerUs = sip.find((e) => e.kind === "sip" && e.statusCode === 200)?.timeUs ?? inviteUs;
    const byeUs = sip.find((e) => e.kind === "sip" && e.method === "BYE")?.timeUs ?? inviteUs;
    // Into the demo month: ending at least an hour before `now`, shifted by whole NTP wraps.
    const shiftUs =
      Math.floor((opts.now.getTime() * 1000 - SECOND_US * 3600 - byeUs) / NTP_WRAP_US) * NTP_WRAP_US;
    const frames = original.capture.frames.map((f) => ({ ...f, timeUs: f.timeUs + shiftUs }));
    const bytes = exportPcap({ ...original.capture, frames }, new Set(frames.map((f) => f.number)));
    const at = (us: number) => new Date(Math.floor((us + shiftUs) / 1000)).toISOString();

    // The captured leg is the agent's: the customer spent 40 s with the AI agent before it. The
    // conversation arrives as a platform sends it (ingest events), like the rest of the demo.
    const sessionId = call.session;
    let n = 0;
    const base = (us: number) => ({ id: `${sessionId}:${n++}`, sessionId, occurredAt: at(us) });
    const joins = [
      { email: call.agentEmail, role: "agent" as const, fromUs: answerUs },
      ...call.others.map((o) => ({ email: o.email, role: o.role, fromUs: inviteUs + o.fromS * SECOND_US })),
    ];
    const events: IngestEvent[] = [
      {
        ...base(inviteUs - 40 * SECOND_US),
        type: "conversation.started",
        channel: "voice",
        direction: "inbound",
        language: "en-US",
        ...(customer ? { customer: { userRef: customer.user_ref } } : {}),
        mode: "hybrid",
        callId: rng.hex(16),
        recordingEnabled: false,
      },
      ...joins.flatMap((j): IngestEvent[] => [
        { ...base(j.fromUs), type: "participant.joined", agentEmail: j.email, role: j.role },
        {
          ...base(byeUs),
          type: "participant.left",
          agentEmail: j.email,
          exitReason: "Terminated",
          exitDescription: "Customer Hangup",
        },
      ]),
      {
        ...base(byeUs + SECOND_US),
        type: "conversation.ended",
        status: "completed",
        smartStatus: "resolved",
      },
    ];
    const ingested = await ingestEvents(db, events, { atomic: true });
    if (ingested.rejected.length) {
      throw new Error(`seedVoiceDiagnostics: ${JSON.stringify(ingested.rejected)}`);
    }
    const conversationId = ingested.conversationIds[0] as string;
    const endedAt = new Date(at(byeUs + SECOND_US));

    const storageKey = captureStorageKey(conversationId, sha256(bytes), "pcap");
    await blobs.put(storageKey, bytes);
    const captureId = rng.uuid();
    await db
      .insertInto("sip_captures")
      .values({
        id: captureId,
        conversation_id: conversationId,
        storage_key: storageKey,
        format: "pcap",
        size_bytes: bytes.length,
        created_at: endedAt,
      })
      .execute();
    // What the diagnostics.parse-capture job runs, run here so the demo is complete when the seed ends.
    const result = await parseCapture(db, blobs, captureId, console.warn, { parser: inProcessParser });
    if (result.status !== "parsed") throw new Error(`seedVoiceDiagnostics: ${call.file} did not parse`);
  }
  await refreshE2eP90(db, "all");
}

/**
 * Every finished demo voice call without a capture gets one made for it (db/seed/captures.ts),
 * stored like an upload and parsed in process (the seed's own small captures; uploads are parsed
 * by the job in its worker thread), in batches so the seed stays fast.
 */
export async function seedDemoCaptures(
  db: Kysely<DB>,
  blobs: BlobStore,
  opts: { seed: number },
): Promise<number> {
  const calls = await db
    .selectFrom("conversations as c")
    .select(["c.id", "c.call_id", "c.started_at", "c.ended_at", "c.direction"])
    .where("c.channel", "=", "voice")
    .where("c.call_id", "is not", null)
    .where("c.ended_at", "is not", null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom("sip_captures as s").select("s.id").whereRef("s.conversation_id", "=", "c.id"),
        ),
      ),
    )
    .orderBy("c.id")
    .execute();
  const BATCH = 100;
  for (let from = 0; from < calls.length; from += BATCH) {
    const batch = calls.slice(from, from + BATCH).map((c, i) => {
      const rng = createRng(opts.seed, STREAM_DIAGNOSTICS, 1, from + i);
      const bytes = demoCapture(
        {
          callId: c.call_id as string,
          startMs: c.started_at.getTime(),
          endMs: (c.ended_at as Date).getTime(),
          inbound: c.direction === "inbound",
        },
        rng,
      );
      return {
        id: rng.uuid(),
        conversationId: c.id,
        bytes,
        key: captureStorageKey(c.id, sha256(bytes), "pcap"),
        endedAt: c.ended_at as Date,
      };
    });
    await Promise.all(batch.map((b) => blobs.put(b.key, b.bytes)));
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("sip_captures")
        .values(
          batch.map((b) => ({
            id: b.id,
            conversation_id: b.conversationId,
            storage_key: b.key,
            format: "pcap",
            size_bytes: b.bytes.length,
            created_at: b.endedAt,
          })),
        )
        .execute();
      await storeParsedMany(
        trx,
        batch.map((b) => ({ captureId: b.id, parsed: parseCaptureBytes(b.bytes) })),
      );
    });
  }
  return calls.length;
}
