// What the Diagnostics page shows for one voice conversation, read from the rows the
// diagnostics.parse-capture job stored (never by re-parsing the capture on a page view): the Flow,
// the per-stream QoS from its two sources, and the Agents tab's per-join quality.
import { type Kysely, sql } from "kysely";
import { z } from "zod";
import type { DB } from "../../db/types.ts";
import { conversationScope, type ScopeViewer } from "../auth/scope.ts";
import {
  captureQos,
  MOS_MODEL,
  type RtcpQosInput,
  receiverBlocks,
  rtcpQos,
  SOURCE_LABELS,
  type Stat,
  type StreamQos,
} from "./analyze.ts";
import { RTCP_RR, RTCP_SR } from "./rtcp.ts";
import { endpointLabel, sipLabel } from "./sip.ts";

export { MOS_MODEL, SOURCE_LABELS };

export type CaptureSummary = {
  id: string;
  state: "pending" | "parsed" | "failed";
  error: string | null;
  format: string;
  sizeBytes: number;
  createdAt: Date;
  callSetupMs: number | null;
  postDialDelayMs: number | null;
  warnings: string[];
};

export type FlowRow = {
  key: string;
  kind: "sip" | "rtcp";
  frame: number | null;
  timeUs: number;
  /** µs since the first INVITE; null when the capture has none. */
  deltaUs: number | null;
  src: string;
  dst: string;
  /** Ladder columns (indexes into `endpoints`). */
  from: number;
  to: number;
  /** "INVITE", "180 (Ringing)", "RTCP SR". */
  label: string;
  protocol: string;
  isRetransmission: boolean;
  /** The SIP message as captured (masked when customer info is obscured); null for RTCP. */
  raw: string | null;
};

export type QosPoint = {
  timeUs: number;
  jitterMs: number | null;
  lossPercent: number | null;
  mos: number | null;
};

export type StreamView = {
  id: string;
  direction: string;
  ssrc: string;
  codec: string | null;
  payloadType: number | null;
  clockRate: number | null;
  callId: string | null;
  firstUs: number | null;
  lastUs: number | null;
  capture: Omit<StreamQos["capture"], "jitterSeries"> & { highestSeq: number | null };
  rtcp: StreamQos["rtcp"];
  /** The receiver's report blocks about this stream over time, for the chart. */
  series: QosPoint[];
};

export type AgentSession = {
  id: string;
  name: string;
  role: "agent" | "supervisor" | "consultant";
  left: boolean;
  startedAt: Date;
  endedAt: Date | null;
  exitReason: string | null;
  exitDescription: string | null;
  /** RTCP report blocks received while this join lasted (the capture's clock); 0 → no quality figures. */
  reports: number;
  mos: Stat;
  jitterMs: Stat;
  packetsLost: Stat;
};

export type DiagnosticsView = {
  conversationId: string;
  /** How many captures the conversation has; the page shows the latest parsed one (or the latest). */
  captureCount: number;
  capture: CaptureSummary | null;
  endpoints: string[];
  flow: FlowRow[];
  streams: StreamView[];
  agents: AgentSession[];
  mosModel: typeof MOS_MODEL;
  obscured: boolean;
};

type Db = Kysely<DB>;

/**
 * A voice conversation the viewer may see (conversationScope), or null: out of scope, missing, or
 * not a voice conversation all read the same, as Diagnostics exist only for calls.
 */
export async function findVoiceConversation(db: Db, viewer: ScopeViewer, id: string): Promise<string | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const row = await db
    .selectFrom("conversations")
    .select("id")
    .where("id", "=", id)
    .where("channel", "=", "voice")
    .where(conversationScope(viewer))
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The capture Diagnostics shows: the latest parsed one, else the latest of any state. */
export async function latestCapture(db: Db, conversationId: string) {
  return db
    .selectFrom("sip_captures")
    .selectAll()
    .select(sql<number>`count(*) over ()`.as("total"))
    .where("conversation_id", "=", conversationId)
    .orderBy(sql`state = 'parsed'`, "desc")
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}

/** A timestamp as µs since the epoch: a JavaScript Date would drop the microseconds. */
const micros = <A extends string>(column: string, alias: A) =>
  sql<string | null>`(extract(epoch from ${sql.ref(column)}) * 1000000)::bigint`.as(alias);

export async function getDiagnosticsView(
  db: Db,
  viewer: ScopeViewer,
  conversationId: string,
  opts: { obscureCustomerInfo: boolean },
): Promise<DiagnosticsView | null> {
  const id = await findVoiceConversation(db, viewer, conversationId);
  if (!id) return null;
  const [row, agents] = await Promise.all([latestCapture(db, id), agentSessions(db, id)]);
  const empty: DiagnosticsView = {
    conversationId: id,
    captureCount: Number(row?.total ?? 0),
    capture: null,
    endpoints: [],
    flow: [],
    streams: [],
    agents,
    mosModel: MOS_MODEL,
    obscured: opts.obscureCustomerInfo,
  };
  if (!row) return empty;
  const capture: CaptureSummary = {
    id: row.id,
    state: row.state,
    error: row.error,
    format: row.format,
    sizeBytes: Number(row.size_bytes),
    createdAt: row.created_at,
    callSetupMs: row.call_setup_ms,
    postDialDelayMs: row.post_dial_delay_ms,
    warnings: row.warnings,
  };
  if (row.state !== "parsed") return { ...empty, capture };

  const [sipRows, reportRows, streamRows] = await Promise.all([
    db
      .selectFrom("sip_messages")
      .select(["seq", "frame", "src_ip", "src_port", "dst_ip", "dst_port", "transport", "method"])
      .select(["status_code", "reason", "is_retransmission", "raw", micros("captured_at", "time_us")])
      .where("capture_id", "=", row.id)
      .orderBy("seq")
      .execute(),
    db
      .selectFrom("rtcp_reports")
      .selectAll()
      .select(micros("captured_at", "time_us"))
      .where("capture_id", "=", row.id)
      .orderBy("captured_at")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("media_streams")
      .selectAll()
      .select([micros("first_at", "first_us"), micros("last_at", "last_us")])
      .where("capture_id", "=", row.id)
      .orderBy("id")
      .execute(),
  ]);

  const reports = reportRows.map((r) => ({
    frame: r.frame ?? -Number(r.id), // frames came with the parser; a negative id keeps old rows distinct
    timeUs: Number(r.time_us),
    src: r.src_ip,
    srcPort: r.src_port,
    dst: r.dst_ip,
    dstPort: r.dst_port,
    packetType: r.packet_type,
    reporterSsrc: Number(r.reporter_ssrc),
    sourceSsrc: num(r.source_ssrc),
    senderPackets: num(r.sender_packets),
    senderOctets: num(r.sender_octets),
    highestSeq: num(r.highest_seq),
    jitterMs: r.jitter_ms,
    fractionLost: r.fraction_lost,
    cumulativeLost: r.cumulative_lost,
    lsr: num(r.lsr),
    rttMs: r.rtt_ms,
    mos: r.mos,
  })) satisfies (RtcpQosInput & { timeUs: number; dst: string; dstPort: number })[];

  // The ladder: SIP messages and RTCP packets (one row per frame) in capture order, endpoints as
  // columns in the order they first appear.
  const endpoints: string[] = [];
  const column = (ip: string, port: number) => {
    const label = endpointLabel(ip, port);
    const i = endpoints.indexOf(label);
    return i >= 0 ? i : endpoints.push(label) - 1;
  };
  const firstInvite = sipRows.find((m) => m.method === "INVITE");
  const inviteUs = firstInvite ? Number(firstInvite.time_us) : null;
  const entries: (FlowRow & { order: number })[] = sipRows.map((m) => {
    const timeUs = Number(m.time_us);
    return {
      key: `sip-${m.seq}`,
      kind: "sip",
      frame: m.frame,
      order: m.frame ?? timeUs,
      timeUs,
      deltaUs: inviteUs === null ? null : timeUs - inviteUs,
      src: endpointLabel(m.src_ip, m.src_port),
      dst: endpointLabel(m.dst_ip, m.dst_port),
      from: column(m.src_ip, m.src_port),
      to: column(m.dst_ip, m.dst_port),
      label: sipLabel(m.method, m.status_code, m.reason),
      protocol: `SIP/${m.transport.toUpperCase()}`,
      isRetransmission: m.is_retransmission,
      raw: opts.obscureCustomerInfo ? maskSipIdentities(m.raw) : m.raw,
    };
  });
  const byFrame = new Map<number, typeof reports>();
  for (const r of reports) byFrame.set(r.frame, [...(byFrame.get(r.frame) ?? []), r]);
  for (const [frame, rs] of byFrame) {
    const first = rs[0];
    if (!first) continue;
    const types = [...new Set(rs.map((r) => r.packetType))].sort();
    entries.push({
      key: `rtcp-${frame}`,
      kind: "rtcp",
      frame: frame >= 0 ? frame : null,
      order: frame >= 0 ? frame : first.timeUs,
      timeUs: first.timeUs,
      deltaUs: inviteUs === null ? null : first.timeUs - inviteUs,
      src: endpointLabel(first.src, first.srcPort),
      dst: endpointLabel(first.dst, first.dstPort),
      from: column(first.src, first.srcPort),
      to: column(first.dst, first.dstPort),
      label: `RTCP ${types.map((t) => RTCP_NAMES[t] ?? `PT ${t}`).join(" + ")}`,
      protocol: "RTCP/UDP",
      isRetransmission: false,
      raw: null,
    });
  }
  entries.sort((a, b) => a.order - b.order || a.timeUs - b.timeUs);

  const streams: StreamView[] = streamRows.map((s) => {
    const key = { ssrc: Number(s.ssrc), src: s.src_ip, dst: s.dst_ip, dstPort: s.dst_port };
    const rtcp = rtcpQos(key, reports);
    // The chart shows the same report blocks the receiver-side figures are computed from.
    const blocks = receiverBlocks(key, reports);
    return {
      id: s.id,
      direction: `${endpointLabel(s.src_ip, s.src_port)} → ${endpointLabel(s.dst_ip, s.dst_port)}`,
      ssrc: `0x${Number(s.ssrc).toString(16).padStart(8, "0")}`,
      codec: s.codec,
      payloadType: s.payload_type,
      clockRate: s.clock_rate,
      callId: s.sip_call_id,
      firstUs: num(s.first_us),
      lastUs: num(s.last_us),
      capture: {
        ...captureQos({
          packets: s.packets ?? 0,
          octets: Number(s.octets ?? 0),
          expected: s.expected_packets ?? 0,
          lost: s.lost_packets ?? 0,
          meanJitterMs: s.mean_jitter_ms,
          maxJitterMs: s.max_jitter_ms,
          codec: s.codec,
        }),
        highestSeq: num(s.ext_highest_seq),
      },
      rtcp,
      series: blocks.map((r) => ({
        timeUs: r.timeUs,
        jitterMs: r.jitterMs,
        lossPercent: r.fractionLost === null ? null : r.fractionLost * 100,
        mos: r.mos,
      })),
    };
  });

  return {
    ...empty,
    capture,
    endpoints,
    flow: entries.map(({ order: _, ...e }) => e),
    streams,
  };
}

const RTCP_NAMES: Record<number, string> = { [RTCP_SR]: "SR", [RTCP_RR]: "RR" };

const num = (v: string | number | null) => (v === null ? null : Number(v));

/**
 * One section per join (spec: "Agent Participation"): every conversation_participants row is a
 * join — accepted invitations, consultations and supervisor joins — while routing attempts,
 * ringing, rejections (lifecycle events) and listen/whisper (messages) never make one. Quality is
 * the RTCP report blocks of the conversation's parsed captures received inside the join's window,
 * each figure min/avg/max over the same blocks, computed in one statement.
 */
export async function agentSessions(db: Db, conversationId: string): Promise<AgentSession[]> {
  const rows = await db
    .selectFrom("conversation_participants as p")
    .innerJoin("users as u", "u.id", "p.user_id")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("rtcp_reports as r")
          .innerJoin("sip_captures as c", "c.id", "r.capture_id")
          .whereRef("c.conversation_id", "=", "p.conversation_id")
          .where("c.state", "=", "parsed")
          .where("r.source_ssrc", "is not", null)
          .whereRef("r.captured_at", ">=", "p.joined_at")
          .where((w) => w.or([w("p.left_at", "is", null), w("r.captured_at", "<=", w.ref("p.left_at"))]))
          .select([
            sql<string>`count(*)`.as("reports"),
            sql<number | null>`min(r.mos)`.as("mos_min"),
            sql<number | null>`avg(r.mos)`.as("mos_avg"),
            sql<number | null>`max(r.mos)`.as("mos_max"),
            sql<number | null>`count(r.mos)`.as("mos_n"),
            sql<number | null>`min(r.jitter_ms)`.as("jitter_min"),
            sql<number | null>`avg(r.jitter_ms)`.as("jitter_avg"),
            sql<number | null>`max(r.jitter_ms)`.as("jitter_max"),
            sql<number | null>`count(r.jitter_ms)`.as("jitter_n"),
            sql<number | null>`min(r.cumulative_lost)`.as("lost_min"),
            sql<number | null>`avg(r.cumulative_lost)::float8`.as("lost_avg"),
            sql<number | null>`max(r.cumulative_lost)`.as("lost_max"),
            sql<number | null>`count(r.cumulative_lost)`.as("lost_n"),
          ])
          .as("q"),
      (join) => join.onTrue(),
    )
    .select(["p.id", "u.name", "p.role", "p.joined_at", "p.left_at", "p.exit_reason", "p.exit_description"])
    .selectAll("q")
    .where("p.conversation_id", "=", conversationId)
    .orderBy("p.joined_at")
    .orderBy("p.id")
    .execute();
  const statOf = (min: unknown, avg: unknown, max: unknown, n: unknown): Stat => {
    const count = Number(n ?? 0);
    if (!count) return null;
    const lo = Number(min);
    const hi = Number(max);
    return { min: lo, avg: Math.min(hi, Math.max(lo, Number(avg))), max: hi, count };
  };
  return rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    role: r.role,
    left: r.left_at !== null,
    startedAt: r.joined_at,
    endedAt: r.left_at,
    exitReason: r.exit_reason,
    exitDescription: r.exit_description,
    reports: Number(r.reports ?? 0),
    mos: statOf(r.mos_min, r.mos_avg, r.mos_max, r.mos_n),
    jitterMs: statOf(r.jitter_min, r.jitter_avg, r.jitter_max, r.jitter_n),
    packetsLost: statOf(r.lost_min, r.lost_avg, r.lost_max, r.lost_n),
  }));
}

/**
 * With "Obscure customer info" on, the parties' identities in SIP (display names and the user part
 * of sip:/sips:/tel: URIs — a caller's number, usually) are replaced, so neither the Flow nor the
 * TEXT export lets a phone number out.
 */
export function maskSipIdentities(raw: string): string {
  return raw
    .replace(/"[^"\r\n]*"(\s*<)/g, '"•••"$1')
    .replace(/\b(sips?:)[^@\s;>]+@/gi, "$1•••@")
    .replace(/\btel:[^\s;>]+/gi, "tel:•••");
}
