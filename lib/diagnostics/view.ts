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
  reportsByStream,
  rtcpQos,
  SOURCE_LABELS,
  type Stat,
  type StreamQos,
} from "./analyze.ts";
import type { ParsedRtcpPacket, ParsedSip } from "./parsed.ts";
import { type CallTimings, callTimings, endpointColumns, endpointLabel, sipLabel } from "./sip.ts";

export { MOS_MODEL, SOURCE_LABELS };

export type CaptureSummary = {
  id: string;
  state: "pending" | "parsed" | "failed";
  error: string | null;
  format: string;
  sizeBytes: number;
  createdAt: Date;
  /** Per call (SIP Call-ID) in the capture: setup time and post-dial delay from its first INVITE. */
  calls: CallTimings[];
  warnings: string[];
  source: "upload" | "hep";
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
  /** "INVITE", "180 (Ringing)", "RTCP SR + SDES", "RTCP APP (PING)". */
  label: string;
  protocol: string;
  isRetransmission: boolean;
  callId: string | null;
  /** The SIP message as captured (masked when customer info is obscured); for RTCP its decoded fields. */
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
  capture: StreamQos["capture"] & { highestSeq: number | null };
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
    calls: [],
    warnings: row.warnings,
    source: row.source === "hep" ? "hep" : "upload",
  };
  if (row.state !== "parsed") return { ...empty, capture };

  const [stored, reportRows, streamRows] = await Promise.all([
    loadFlow(db, row.id, opts),
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

  const keys = streamRows.map((s) => ({
    ssrc: Number(s.ssrc),
    src: s.src_ip,
    srcPort: s.src_port,
    dst: s.dst_ip,
    dstPort: s.dst_port,
    firstUs: num(s.first_us),
    lastUs: num(s.last_us),
  }));
  // The same matching as the parser's (by SSRC first): the figures and the chart read the same rows.
  const assigned = reportsByStream(keys, reports);
  const streams: StreamView[] = streamRows.map((s, i) => {
    const own = assigned[i] ?? { senders: [], blocks: [] };
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
      rtcp: rtcpQos(own.senders, own.blocks),
      series: own.blocks.map((r) => ({
        timeUs: r.timeUs,
        jitterMs: r.jitterMs,
        lossPercent: r.fractionLost === null ? null : r.fractionLost * 100,
        mos: r.mos,
      })),
    };
  });

  return {
    ...empty,
    capture: { ...capture, calls: stored.calls },
    endpoints: stored.endpoints,
    flow: stored.flow,
    streams,
  };
}

export type StoredFlow = { endpoints: string[]; flow: FlowRow[]; calls: CallTimings[] };

/**
 * The Flow of a parsed capture from its stored rows: what the page draws and Export TEXT writes
 * (one source for both), and the per-call timings.
 */
export async function loadFlow(
  db: Db,
  captureId: string,
  opts: { obscureCustomerInfo: boolean },
): Promise<StoredFlow> {
  const [sipRows, rtcpRows] = await Promise.all([
    db
      .selectFrom("sip_messages")
      .select(["seq", "frame", "src_ip", "src_port", "dst_ip", "dst_port", "transport", "method"])
      .select(["status_code", "reason", "is_retransmission", "raw", "sip_call_id", "cseq"])
      .select(micros("captured_at", "time_us"))
      .where("capture_id", "=", captureId)
      .orderBy("seq")
      .execute(),
    db
      .selectFrom("rtcp_packets")
      .select(["frame", "src_ip", "src_port", "dst_ip", "dst_port", "sip_call_id", "label", "detail"])
      .select(micros("captured_at", "time_us"))
      .where("capture_id", "=", captureId)
      .orderBy("frame")
      .execute(),
  ]);
  const sip: ParsedSip[] = sipRows.map((m, i) => ({
    frame: m.frame ?? -1 - i,
    timeUs: Number(m.time_us),
    transport: m.transport === "tcp" ? "tcp" : "udp",
    src: m.src_ip,
    srcPort: m.src_port,
    dst: m.dst_ip,
    dstPort: m.dst_port,
    method: m.method,
    statusCode: m.status_code,
    reason: m.reason,
    callId: m.sip_call_id,
    cseq: m.cseq,
    isRetransmission: m.is_retransmission,
    raw: m.raw,
  }));
  const rtcp: ParsedRtcpPacket[] = rtcpRows.map((r) => ({
    frame: r.frame,
    timeUs: Number(r.time_us),
    src: r.src_ip,
    srcPort: r.src_port,
    dst: r.dst_ip,
    dstPort: r.dst_port,
    callId: r.sip_call_id,
    label: r.label,
    detail: r.detail,
  }));
  return { ...buildFlow(sip, rtcp, opts), calls: callTimings(sip) };
}

/**
 * The ladder: SIP messages and RTCP packets in capture order (frame numbers), endpoints as columns
 * in the order they first appear, deltas from the first INVITE.
 */
export function buildFlow(
  sip: readonly ParsedSip[],
  rtcp: readonly ParsedRtcpPacket[],
  opts: { obscureCustomerInfo: boolean },
): { endpoints: string[]; flow: FlowRow[] } {
  const endpoints: string[] = [];
  const column = endpointColumns(endpoints);
  const inviteUs = sip.find((m) => m.method === "INVITE")?.timeUs ?? null;
  const delta = (timeUs: number) => (inviteUs === null ? null : timeUs - inviteUs);
  const merged: (ParsedSip | (ParsedRtcpPacket & { method?: undefined }))[] = [];
  // Both lists are in frame order: merge them.
  let i = 0;
  let j = 0;
  while (i < sip.length || j < rtcp.length) {
    const a = sip[i];
    const b = rtcp[j];
    if (a && (!b || a.frame <= b.frame)) {
      merged.push(a);
      i++;
    } else if (b) {
      merged.push(b);
      j++;
    }
  }
  const flow = merged.map((e, n): FlowRow => {
    const common = {
      frame: e.frame >= 0 ? e.frame : null,
      timeUs: e.timeUs,
      deltaUs: delta(e.timeUs),
      src: endpointLabel(e.src, e.srcPort),
      dst: endpointLabel(e.dst, e.dstPort),
      from: column(e.src, e.srcPort),
      to: column(e.dst, e.dstPort),
      callId: e.callId,
    };
    if ("raw" in e) {
      return {
        ...common,
        key: `sip-${n}`,
        kind: "sip",
        label: sipLabel(e.method, e.statusCode, e.reason),
        protocol: `SIP/${e.transport.toUpperCase()}`,
        isRetransmission: e.isRetransmission,
        raw: opts.obscureCustomerInfo ? maskSipIdentities(e.raw) : e.raw,
      };
    }
    return {
      ...common,
      key: `rtcp-${e.frame}`,
      kind: "rtcp",
      label: e.label,
      protocol: "RTCP/UDP",
      isRetransmission: false,
      raw: e.detail || null,
    };
  });
  return { endpoints, flow };
}

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
