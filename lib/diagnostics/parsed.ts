// What a parsed capture leaves behind: plain rows (no frames, no payload bytes), small enough to
// pass back from the parser's worker thread and exactly what store.ts writes to the database.
import {
  analyzeCapture,
  type Diagnostics,
  type RtcpFlowEntry,
  type RtcpReportRow,
  type StreamQos,
} from "./analyze.ts";
import type { CallTimings, LadderMessage } from "./sip.ts";

/** A SIP message as stored (the ladder's fields without its columns, delta and SDP). */
export type ParsedSip = Pick<
  LadderMessage,
  | "frame"
  | "timeUs"
  | "transport"
  | "src"
  | "srcPort"
  | "dst"
  | "dstPort"
  | "method"
  | "statusCode"
  | "reason"
  | "callId"
  | "cseq"
  | "isRetransmission"
  | "raw"
>;

/** An RTCP packet as stored: where, when, its call, its compound label and decoded fields. */
export type ParsedRtcpPacket = Pick<
  RtcpFlowEntry,
  "frame" | "timeUs" | "src" | "srcPort" | "dst" | "dstPort" | "callId" | "label" | "detail"
>;

export type ParsedCapture = {
  format: Diagnostics["format"];
  warnings: string[];
  sip: ParsedSip[];
  rtcpPackets: ParsedRtcpPacket[];
  streams: Pick<StreamQos, "stream" | "capture">[];
  rtcpReports: RtcpReportRow[];
  calls: CallTimings[];
};

export function toParsed(d: Diagnostics): ParsedCapture {
  const sip: ParsedSip[] = [];
  const rtcpPackets: ParsedRtcpPacket[] = [];
  for (const e of d.flow) {
    const where = {
      frame: e.frame,
      timeUs: e.timeUs,
      src: e.src,
      srcPort: e.srcPort,
      dst: e.dst,
      dstPort: e.dstPort,
    };
    if (e.kind === "sip") {
      sip.push({
        ...where,
        transport: e.transport,
        method: e.method,
        statusCode: e.statusCode,
        reason: e.reason,
        callId: e.callId,
        cseq: e.cseq,
        isRetransmission: e.isRetransmission,
        raw: e.raw,
      });
    } else {
      rtcpPackets.push({ ...where, callId: e.callId, label: e.label, detail: e.detail });
    }
  }
  return {
    format: d.format,
    warnings: d.warnings,
    sip,
    rtcpPackets,
    streams: d.streams.map(({ stream, capture }) => ({ stream, capture })),
    rtcpReports: d.rtcpReports,
    calls: d.calls,
  };
}

/** Parses on the calling thread: for the worker thread itself, the demo seed and benches. */
export function parseCaptureBytes(bytes: Uint8Array): ParsedCapture {
  return toParsed(analyzeCapture(bytes));
}
