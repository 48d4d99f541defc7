// One capture → everything the Diagnostics panel shows: the Flow (SIP and RTCP), per-stream QoS
// from the two sources kept apart, and the call timings.
import { MOS_MODEL, mos } from "./emodel.ts";
import { type Capture, type Packet, readCapture } from "./pcap.ts";
import {
  dlsrToMs,
  fractionLost,
  jitterUnitsToMs,
  ntpMiddle32,
  parseRtcp,
  RTCP_RR,
  RTCP_SR,
  type RtcpPacket,
  roundTripMs,
  rtcpLabel,
} from "./rtcp.ts";
import { analyzeRtp, type RtpStream } from "./rtp.ts";
import { buildLadder, type CallTimings, endpointColumns, endpointLabel, type LadderMessage } from "./sip.ts";

export { MOS_MODEL };

/** The two sources, labelled the same way everywhere (UI, exports), never mixed. */
export const SOURCE_LABELS = {
  rtcp: "Reported by endpoints (RTCP)",
  capture: "Measured from the capture (RFC 3550)",
} as const;

export type RtcpFlowEntry = {
  kind: "rtcp";
  frame: number;
  timeUs: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  from: number;
  to: number;
  label: string; // "RTCP SR + SDES", "RTCP APP (PING)", "RTCP RR + SDES + BYE"…
  deltaUs: number | null;
  callId: string | null;
  packets: RtcpPacket[];
  error: string | null;
  /** The decoded fields, as Export TEXT prints them under the label (stored with the packet). */
  detail: string;
};

export type FlowEntry = ({ kind: "sip" } & LadderMessage) | RtcpFlowEntry;

/** One row per report block (or per SR without blocks): the shape of the rtcp_reports table. */
export type RtcpReportRow = {
  frame: number;
  timeUs: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  callId: string | null;
  packetType: number;
  reporterSsrc: number;
  sourceSsrc: number | null;
  senderPackets: number | null;
  senderOctets: number | null;
  highestSeq: number | null;
  jitterUnits: number | null;
  jitterMs: number | null;
  fractionLost: number | null; // ratio 0…<1
  cumulativeLost: number | null;
  lsr: number | null;
  dlsr: number | null;
  dlsrMs: number | null;
  rttMs: number | null;
  mos: number | null;
};

/** min ≤ avg ≤ max over one population of `count` values; null when nothing was measured. */
export type Stat = { min: number; avg: number; max: number; count: number } | null;

export function stat(values: (number | null)[]): Stat {
  // A loop, not Math.min(...xs): spreading a capture's worth of values overflows the stack.
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    count++;
  }
  if (!count) return null;
  // The mean of floats can land a rounding error outside [min, max]; clamp it back.
  return { min, avg: Math.min(max, Math.max(min, sum / count)), max, count };
}

export type StreamQos = {
  stream: RtpStream;
  direction: string; // "127.0.0.1:50429 → 127.0.0.1:40002"
  capture: {
    label: typeof SOURCE_LABELS.capture;
    packets: number;
    octets: number;
    expected: number;
    lost: number;
    lossPercent: number | null;
    meanJitterMs: number | null;
    maxJitterMs: number | null;
    /** From the measured loss; the capture can't see delay, so it has no delay term. */
    mos: number | null;
  };
  rtcp:
    | { state: "no-rtcp"; label: typeof SOURCE_LABELS.rtcp }
    | {
        state: "reported";
        label: typeof SOURCE_LABELS.rtcp;
        /** Sender reports from this stream's sender (its own packet/octet counts). */
        senderReports: number;
        packets: Stat;
        octets: Stat;
        /** Report blocks the receiver sent about this stream. */
        receiverReports: number;
        highestSeq: Stat;
        jitterMs: Stat;
        fractionLost: Stat;
        cumulativeLost: Stat;
        /** The raw LSR field (middle 32 bits of an NTP time; 0 = no SR received yet). */
        lsr: Stat;
        /** Signed: a negative value (clock skew between the capture and an endpoint) is kept. */
        rttMs: Stat;
        /** Some round-trip time came out negative: the clocks disagree, the figure is not a delay. */
        clockSkew: boolean;
        mos: Stat;
      };
  mosModel: typeof MOS_MODEL;
};

export type Diagnostics = {
  format: Capture["format"];
  warnings: string[];
  endpoints: string[];
  flow: FlowEntry[];
  calls: CallTimings[];
  streams: StreamQos[];
  rtcpReports: RtcpReportRow[];
  capture: Capture;
};

/** RTCP goes every few seconds per stream: hours of a call are a few thousand packets (and rows). */
export const MAX_RTCP_PACKETS = 10_000;

/** Parses a capture; throws CaptureError only when the file can't be read at all. */
export function analyzeCapture(bytes: Uint8Array): Diagnostics {
  const capture = readCapture(bytes);
  const ladder = buildLadder(capture.packets);
  const { streams, rtcp, warnings: rtpWarnings } = analyzeRtp(capture.packets, ladder);
  const warnings = [...capture.warnings, ...ladder.warnings, ...rtpWarnings];

  const index = new StreamIndex(streams);
  const endpoints = [...ladder.endpoints];
  const column = endpointColumns(endpoints);
  const firstInviteUs = ladder.messages.find((m) => m.method === "INVITE")?.timeUs ?? null;

  const rtcpEntries: RtcpFlowEntry[] = [];
  const rtcpReports: RtcpReportRow[] = [];
  let rtcpSkipped = 0;
  for (const p of rtcp) {
    if (rtcpEntries.length >= MAX_RTCP_PACKETS || rtcpReports.length >= MAX_RTCP_PACKETS) {
      rtcpSkipped++;
      continue;
    }
    const parsed = parseRtcp(p.payload);
    if (parsed.error) warnings.push(`Frame ${p.frame}: ${parsed.error}`);
    const ownerIndex = index.packetOwner(p, parsed.packets);
    const owner = ownerIndex < 0 ? null : (streams[ownerIndex] ?? null);
    const callId = owner?.callId ?? null;
    rtcpEntries.push({
      kind: "rtcp",
      frame: p.frame,
      timeUs: p.timeUs,
      src: p.src,
      srcPort: p.srcPort,
      dst: p.dst,
      dstPort: p.dstPort,
      from: column(p.src, p.srcPort),
      to: column(p.dst, p.dstPort),
      label: rtcpLabel(parsed.packets),
      deltaUs: firstInviteUs === null ? null : p.timeUs - firstInviteUs,
      callId,
      packets: parsed.packets,
      error: parsed.error,
      detail: rtcpDetail(parsed.packets, parsed.error),
    });
    const arrival = ntpMiddle32(p.timeUs);
    for (const r of parsed.packets) {
      if (r.packetType !== RTCP_SR && r.packetType !== RTCP_RR) continue;
      const base = {
        frame: p.frame,
        timeUs: p.timeUs,
        src: p.src,
        srcPort: p.srcPort,
        dst: p.dst,
        dstPort: p.dstPort,
        callId,
        packetType: r.packetType,
        reporterSsrc: r.ssrc,
        senderPackets: r.sender?.packetCount ?? null,
        senderOctets: r.sender?.octetCount ?? null,
      };
      if (!r.reports.length) {
        rtcpReports.push({
          ...base,
          sourceSsrc: null,
          highestSeq: null,
          jitterUnits: null,
          jitterMs: null,
          fractionLost: null,
          cumulativeLost: null,
          lsr: null,
          dlsr: null,
          dlsrMs: null,
          rttMs: null,
          mos: null,
        });
      }
      for (const b of r.reports) {
        // The block names the stream it is about by SSRC (RFC 3550 §6.4), wherever it was sent from.
        const aboutIndex = index.owner({ ...base, sourceSsrc: b.ssrc });
        const about = aboutIndex < 0 ? null : (streams[aboutIndex] ?? null);
        const rtt = roundTripMs(arrival, b.lsr, b.dlsr);
        const fraction = fractionLost(b.fractionLostRaw);
        rtcpReports.push({
          ...base,
          callId: about?.callId ?? callId,
          sourceSsrc: b.ssrc,
          highestSeq: b.extHighestSeq,
          jitterUnits: b.jitterUnits,
          jitterMs: jitterUnitsToMs(b.jitterUnits, about?.clockRate ?? null),
          fractionLost: fraction,
          cumulativeLost: b.cumulativeLost,
          lsr: b.lsr,
          dlsr: b.dlsr,
          dlsrMs: dlsrToMs(b.dlsr),
          rttMs: rtt,
          mos: mos({
            codec: about?.codec ?? null,
            lossPercent: fraction * 100,
            // A negative RTT is clock skew, not a delay: the delay term is then unknown.
            oneWayDelayMs: rtt === null || rtt < 0 ? null : rtt / 2,
          }),
        });
      }
    }
  }

  if (rtcpSkipped) {
    warnings.push(
      `More than ${MAX_RTCP_PACKETS.toLocaleString("en-US")} RTCP packets: ${rtcpSkipped.toLocaleString("en-US")} later one(s) were not read`,
    );
  }
  const flow: FlowEntry[] = [
    ...ladder.messages.map((m) => ({ kind: "sip" as const, ...m })),
    ...rtcpEntries,
  ].sort((a, b) => a.frame - b.frame);

  return {
    format: capture.format,
    warnings,
    endpoints,
    flow,
    calls: ladder.calls,
    streams: streamQosAll(streams, rtcpReports),
    rtcpReports,
    capture,
  };
}

/** The lines Export TEXT prints under an RTCP packet's label. */
export function rtcpDetail(packets: RtcpPacket[], error: string | null): string {
  const lines: string[] = [];
  const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;
  for (const p of packets) {
    const sender = p.sender ? ` sender packets=${p.sender.packetCount} octets=${p.sender.octetCount}` : "";
    const app = p.appName ? ` name ${p.appName}` : "";
    lines.push(`  PT ${p.packetType} SSRC ${hex(p.ssrc)}${sender}${app}`);
    for (const b of p.reports) {
      lines.push(
        `    about ${hex(b.ssrc)}: fraction lost ${b.fractionLostRaw}/256, ` +
          `cumulative lost ${b.cumulativeLost}, highest seq ${b.extHighestSeq}, jitter ${b.jitterUnits} units, ` +
          `LSR ${b.lsr}, DLSR ${b.dlsr}`,
      );
    }
  }
  if (error) lines.push(`  (${error})`);
  return lines.join("\n");
}

/** What a stream is known by when reports are matched to it (a parsed stream or a stored row). */
export type StreamKey = {
  ssrc: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  firstUs: number | null;
  lastUs: number | null;
};

/** What a report row is matched by. */
export type ReportKey = Pick<
  RtcpReportRow,
  "packetType" | "reporterSsrc" | "sourceSsrc" | "src" | "srcPort" | "timeUs"
>;

// Reports trail their stream: a receiver's last RR can come seconds after the last RTP packet.
const REPORT_SLACK_US = 30_000_000;

/**
 * Matches RTCP to streams, by SSRC first (RFC 3550 §6.4: a report block names the source it is
 * about; an SR is from the sender's SSRC), so an endpoint whose RTCP leaves from another address
 * than its RTP still gets its reports. When several streams share the SSRC (an echo, or calls that
 * reuse ports and SSRC), the one whose time and addresses fit best wins; addresses alone decide
 * only when no stream has the SSRC. Map lookups: linear in streams + reports.
 */
export class StreamIndex {
  private readonly bySsrc = new Map<number, number[]>();
  private readonly byAddress = new Map<string, number[]>();
  private readonly streams: readonly StreamKey[];

  constructor(streams: readonly StreamKey[]) {
    this.streams = streams;
    streams.forEach((s, i) => {
      push(this.bySsrc, s.ssrc, i);
      // RTCP travels on the media port + 1 (RFC 3550 §11), or on the media port itself (RFC 5761).
      push(this.byAddress, `${s.dst}|${s.dstPort}`, i);
      push(this.byAddress, `${s.dst}|${s.dstPort + 1}`, i);
    });
  }

  /** The stream a report row is about: a block's source, or an SR's sender; -1 for none. */
  owner(r: ReportKey): number {
    const block = r.sourceSsrc !== null;
    const ssrc = block ? r.sourceSsrc : r.reporterSsrc;
    const candidates = ssrc === null ? undefined : this.bySsrc.get(ssrc);
    if (candidates?.length) return this.best(candidates, r, block);
    if (!block) return -1;
    // Without an SSRC match: the stream sent to the reporter's address (its receiver).
    const near = this.byAddress.get(`${r.src}|${r.srcPort}`);
    return near?.[0] ?? -1;
  }

  /** The stream an RTCP packet belongs to (for its Call-ID): its sender's, else what it reports on. */
  packetOwner(
    p: Pick<Packet, "src" | "srcPort" | "dst" | "dstPort" | "timeUs">,
    packets: RtcpPacket[],
  ): number {
    for (const r of packets) {
      const own = this.bySsrc.get(r.ssrc);
      if (own?.length) return this.best(own, { src: p.src, srcPort: p.srcPort, timeUs: p.timeUs }, false);
      for (const b of r.reports) {
        const about = this.bySsrc.get(b.ssrc);
        if (about?.length)
          return this.best(about, { src: p.src, srcPort: p.srcPort, timeUs: p.timeUs }, true);
      }
    }
    const near = this.byAddress.get(`${p.src}|${p.srcPort}`) ?? this.byAddress.get(`${p.dst}|${p.dstPort}`);
    return near?.[0] ?? -1;
  }

  private best(
    candidates: number[],
    r: Pick<ReportKey, "src" | "srcPort" | "timeUs">,
    block: boolean,
  ): number {
    if (candidates.length === 1) return candidates[0] as number;
    let bestIndex = candidates[0] as number;
    let bestScore = -1;
    for (const i of candidates) {
      const s = this.streams[i] as StreamKey;
      // A block comes from the stream's receiver; an SR from its sender.
      const ip = block ? s.dst : s.src;
      const port = block ? s.dstPort : s.srcPort;
      const inTime =
        s.firstUs === null ||
        s.lastUs === null ||
        (r.timeUs >= s.firstUs && r.timeUs <= s.lastUs + REPORT_SLACK_US);
      const score =
        (inTime ? 4 : 0) + (r.src === ip ? 2 : 0) + (r.srcPort === port + 1 || r.srcPort === port ? 1 : 0);
      if (score > bestScore) {
        bestScore = score;
        bestIndex = i;
      }
    }
    return bestIndex;
  }
}

function push<K>(map: Map<K, number[]>, key: K, value: number) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Each stream's RTCP: the sender reports from its sender (one per frame) and the report blocks
 * about it, by StreamIndex. The parser and the page (on stored rows) both read reports this way.
 */
export function reportsByStream<R extends ReportKey & { frame: number }>(
  streams: readonly StreamKey[],
  reports: readonly R[],
): { senders: R[]; blocks: R[] }[] {
  const index = new StreamIndex(streams);
  const out = streams.map(() => ({ senders: [] as R[], blocks: [] as R[] }));
  const senderSeen = new Set<string>();
  for (const r of reports) {
    if (r.sourceSsrc !== null) {
      const i = index.owner(r);
      if (i >= 0) out[i]?.blocks.push(r);
    }
    if (r.packetType === RTCP_SR) {
      // An SR with several blocks is stored as several rows: count the report once.
      const key = `${r.frame}|${r.reporterSsrc}`;
      if (senderSeen.has(key)) continue;
      senderSeen.add(key);
      const i = index.owner({ ...r, sourceSsrc: null });
      if (i >= 0) out[i]?.senders.push(r);
    }
  }
  return out;
}

/** The fields of an RTCP row the per-stream QoS reads: a parsed report or a stored rtcp_reports row. */
export type RtcpQosInput = Pick<
  RtcpReportRow,
  | "frame"
  | "timeUs"
  | "src"
  | "srcPort"
  | "packetType"
  | "reporterSsrc"
  | "sourceSsrc"
  | "senderPackets"
  | "senderOctets"
  | "highestSeq"
  | "jitterMs"
  | "fractionLost"
  | "cumulativeLost"
  | "lsr"
  | "rttMs"
  | "mos"
>;

/**
 * What endpoints reported in RTCP about one stream (5-tuple + SSRC): the sender's own SRs and the
 * receiver's report blocks (from reportsByStream), each figure as min/avg/max over the same
 * reports. Used by the parser and by the Diagnostics page on stored rows.
 */
export function rtcpQos(
  senderRows: readonly RtcpQosInput[],
  blocks: readonly RtcpQosInput[],
): StreamQos["rtcp"] {
  if (!senderRows.length && !blocks.length) return { state: "no-rtcp", label: SOURCE_LABELS.rtcp };
  return {
    state: "reported",
    label: SOURCE_LABELS.rtcp,
    senderReports: senderRows.length,
    packets: stat(senderRows.map((r) => r.senderPackets)),
    octets: stat(senderRows.map((r) => r.senderOctets)),
    receiverReports: blocks.length,
    highestSeq: stat(blocks.map((r) => r.highestSeq)),
    jitterMs: stat(blocks.map((r) => r.jitterMs)),
    fractionLost: stat(blocks.map((r) => r.fractionLost)),
    cumulativeLost: stat(blocks.map((r) => r.cumulativeLost)),
    lsr: stat(blocks.map((r) => r.lsr)),
    rttMs: stat(blocks.map((r) => r.rttMs)),
    clockSkew: blocks.some((r) => r.rttMs !== null && r.rttMs < 0),
    mos: stat(blocks.map((r) => r.mos)),
  };
}

/** What the capture itself measured about one stream (RFC 3550 jitter, loss from sequence numbers). */
export function captureQos(
  s: Pick<RtpStream, "packets" | "octets" | "expected" | "lost" | "meanJitterMs" | "maxJitterMs" | "codec">,
): StreamQos["capture"] {
  const lossPercent = s.expected > 0 ? (100 * s.lost) / s.expected : null;
  return {
    label: SOURCE_LABELS.capture,
    packets: s.packets,
    octets: s.octets,
    expected: s.expected,
    lost: s.lost,
    lossPercent,
    meanJitterMs: s.meanJitterMs,
    maxJitterMs: s.maxJitterMs,
    mos: lossPercent === null ? null : mos({ codec: s.codec, lossPercent, oneWayDelayMs: null }),
  };
}

function streamQosAll(streams: RtpStream[], reports: RtcpReportRow[]): StreamQos[] {
  const keys = streams.map((s) => ({ ...s, firstUs: s.firstUs, lastUs: s.lastUs }));
  const assigned = reportsByStream(keys, reports);
  return streams.map((s, i) => {
    const own = assigned[i] ?? { senders: [], blocks: [] };
    return {
      stream: s,
      direction: `${endpointLabel(s.src, s.srcPort)} → ${endpointLabel(s.dst, s.dstPort)}`,
      capture: captureQos(s),
      rtcp: rtcpQos(own.senders, own.blocks),
      mosModel: MOS_MODEL,
    };
  });
}
