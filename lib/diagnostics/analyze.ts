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
} from "./rtcp.ts";
import { analyzeRtp, type RtpStream } from "./rtp.ts";
import { buildLadder, type CallTimings, endpointLabel, type LadderMessage } from "./sip.ts";

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
  label: string; // "RTCP SR", "RTCP RR + SDES + BYE"…
  deltaUs: number | null;
  callId: string | null;
  packets: RtcpPacket[];
  error: string | null;
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
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (!xs.length) return null;
  const sum = xs.reduce((a, b) => a + b, 0);
  // The mean of floats can land a rounding error outside [min, max]; clamp it back.
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  return { min, avg: Math.min(max, Math.max(min, sum / xs.length)), max, count: xs.length };
}

export type StreamQos = {
  stream: Omit<RtpStream, "jitterSeries">;
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
    jitterSeries: RtpStream["jitterSeries"];
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
        rttMs: Stat;
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

/** Parses a capture; throws CaptureError only when the file can't be read at all. */
export function analyzeCapture(bytes: Uint8Array): Diagnostics {
  const capture = readCapture(bytes);
  const ladder = buildLadder(capture.packets);
  const { streams, rtcp } = analyzeRtp(capture.packets, ladder);
  const warnings = [...capture.warnings];

  // RTCP travels on the media port + 1 (RFC 3550 §11) unless multiplexed (RFC 5761): find the
  // stream (and so the call and clock) a report belongs to through those ports.
  const streamOfRtcp = (p: Packet) =>
    streams.find(
      (s) =>
        (s.dst === p.src && (s.dstPort === p.srcPort || s.dstPort + 1 === p.srcPort)) ||
        (s.dst === p.dst && (s.dstPort === p.dstPort || s.dstPort + 1 === p.dstPort)) ||
        (s.src === p.src && (s.srcPort === p.srcPort || s.srcPort + 1 === p.srcPort)),
    ) ?? null;

  const endpoints = [...ladder.endpoints];
  const column = (ip: string, port: number) => {
    const label = endpointLabel(ip, port);
    let i = endpoints.indexOf(label);
    if (i < 0) i = endpoints.push(label) - 1;
    return i;
  };
  const firstInviteUs = ladder.messages.find((m) => m.method === "INVITE")?.timeUs ?? null;

  const rtcpEntries: RtcpFlowEntry[] = [];
  const rtcpReports: RtcpReportRow[] = [];
  for (const p of rtcp) {
    const parsed = parseRtcp(p.payload);
    if (parsed.error) warnings.push(`Frame ${p.frame}: ${parsed.error}`);
    const owner = streamOfRtcp(p);
    const callId = owner?.callId ?? null;
    const names = parsed.packets.map((r) => RTCP_NAMES[r.packetType] ?? `PT ${r.packetType}`);
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
      label: `RTCP ${names.join(" + ") || "(empty)"}`,
      deltaUs: firstInviteUs === null ? null : p.timeUs - firstInviteUs,
      callId,
      packets: parsed.packets,
      error: parsed.error,
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
        // The block is about a stream this reporter receives: the one sent to the reporter's address.
        const about =
          streams.find((s) => s.ssrc === b.ssrc && s.dst === p.src && s.dstPort + 1 === p.srcPort) ??
          streams.find((s) => s.ssrc === b.ssrc && s.dst === p.src) ??
          streams.find((s) => s.ssrc === b.ssrc) ??
          null;
        const rtt = roundTripMs(arrival, b.lsr, b.dlsr);
        const fraction = fractionLost(b.fractionLostRaw);
        rtcpReports.push({
          ...base,
          callId: callId ?? about?.callId ?? null,
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
            oneWayDelayMs: rtt === null ? null : rtt / 2,
          }),
        });
      }
    }
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
    streams: streams.map((s) => streamQos(s, rtcpReports)),
    rtcpReports,
    capture,
  };
}

const RTCP_NAMES: Record<number, string> = { 200: "SR", 201: "RR", 202: "SDES", 203: "BYE", 204: "APP" };

/** The fields of an RTCP row the per-stream QoS reads: a parsed report or a stored rtcp_reports row. */
export type RtcpQosInput = Pick<
  RtcpReportRow,
  | "frame"
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
 * The report blocks a stream's receiver sent about it, from the receiver's address. When both
 * directions share an SSRC (an echo) the address alone can't tell them apart; the RTCP port (media
 * port + 1, or the media port itself when multiplexed) then does, if the endpoint sends from it.
 */
export function receiverBlocks<R extends Pick<RtcpReportRow, "sourceSsrc" | "src" | "srcPort">>(
  s: Pick<RtpStream, "ssrc" | "dst" | "dstPort">,
  reports: readonly R[],
): R[] {
  const candidates = reports.filter((r) => r.sourceSsrc === s.ssrc && r.src === s.dst);
  const byPort = candidates.filter((r) => r.srcPort === s.dstPort + 1 || r.srcPort === s.dstPort);
  return byPort.length ? byPort : candidates;
}

/**
 * What endpoints reported in RTCP about one stream (5-tuple + SSRC): the sender's own SRs and the
 * receiver's report blocks, each figure as min/avg/max over the same reports. Used by the parser
 * and by the Diagnostics page on stored rows, so both read the reports the same way.
 */
export function rtcpQos(
  s: Pick<RtpStream, "ssrc" | "src" | "dst" | "dstPort">,
  reports: readonly RtcpQosInput[],
): StreamQos["rtcp"] {
  // Sender reports from this stream's sender (one per frame, however many blocks it carries).
  const senderSeen = new Set<number>();
  const senderRows = reports.filter((r) => {
    if (r.packetType !== RTCP_SR || r.reporterSsrc !== s.ssrc || r.src !== s.src || senderSeen.has(r.frame)) {
      return false;
    }
    senderSeen.add(r.frame);
    return true;
  });
  const blocks = receiverBlocks(s, reports);
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
    mos: stat(blocks.map((r) => r.mos)),
  };
}

/** What the capture itself measured about one stream (RFC 3550 jitter, loss from sequence numbers). */
export function captureQos(
  s: Pick<RtpStream, "packets" | "octets" | "expected" | "lost" | "meanJitterMs" | "maxJitterMs" | "codec">,
): Omit<StreamQos["capture"], "jitterSeries"> {
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

function streamQos(s: RtpStream, reports: RtcpReportRow[]): StreamQos {
  const { jitterSeries, ...stream } = s;
  return {
    stream,
    direction: `${endpointLabel(s.src, s.srcPort)} → ${endpointLabel(s.dst, s.dstPort)}`,
    capture: { ...captureQos(s), jitterSeries },
    rtcp: rtcpQos(s, reports),
    mosModel: MOS_MODEL,
  };
}
