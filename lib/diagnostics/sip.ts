// SIP messages (RFC 3261) and their SDP bodies (RFC 4566), and the call ladder the Flow tab draws.
import type { Packet } from "./pcap.ts";

export type SdpMedia = {
  media: string; // "audio", "video"…
  address: string | null; // media-level c= or else the session-level one
  port: number;
  proto: string;
  formats: number[];
  /** Payload type → codec from a=rtpmap (static types only when listed there). */
  rtpmap: Record<number, { codec: string; clockRate: number }>;
};

export type SipMessage = {
  method: string | null; // requests
  requestUri: string | null;
  statusCode: number | null; // responses
  reason: string | null;
  headers: { name: string; value: string }[];
  callId: string | null;
  cseq: { number: number; method: string } | null;
  /** Branch parameter of the top Via: identifies the transaction. */
  viaBranch: string | null;
  body: string;
  sdp: SdpMedia[];
};

// RFC 3261 §7.3.3 compact forms, plus the common RFC 3515/3265 ones.
const COMPACT: Record<string, string> = {
  i: "call-id",
  m: "contact",
  e: "content-encoding",
  l: "content-length",
  c: "content-type",
  f: "from",
  t: "to",
  v: "via",
  k: "supported",
  s: "subject",
  o: "event",
  r: "refer-to",
  b: "referred-by",
  u: "allow-events",
  x: "session-expires",
};

const REQUEST_LINE = /^([A-Za-z][A-Za-z0-9.!%*_+`'~-]*) (\S+) SIP\/2\.0$/;
const STATUS_LINE = /^SIP\/2\.0 (\d{3})(?: (.*))?$/;

/** Cheap test used on every UDP/TCP payload before the full parse. */
export function looksLikeSip(payload: Uint8Array): boolean {
  if (payload.length < 12) return false;
  // Every request method and "SIP/2.0" start with a letter; RTP and RTCP start with 0x80-0xbf.
  const first = payload[0] ?? 0;
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a))) return false;
  const head = Buffer.from(payload.subarray(0, Math.min(payload.length, 200))).toString("latin1");
  const line = head.split(/\r?\n/, 1)[0] ?? "";
  return STATUS_LINE.test(line) || REQUEST_LINE.test(line);
}

/**
 * Parses one SIP message, or returns null when the text isn't one. Header names come back in
 * lower case with compact forms expanded; the body is cut at Content-Length when present.
 */
export function parseSip(text: string): SipMessage | null {
  const split = text.search(/\r?\n\r?\n/);
  const head = split < 0 ? text : text.slice(0, split);
  const bodyStart = split < 0 ? text.length : text.indexOf("\n", text.indexOf("\n", split) + 1) + 1;
  const lines = head.split(/\r?\n/);
  const start = lines[0] ?? "";
  const req = REQUEST_LINE.exec(start);
  const res = req ? null : STATUS_LINE.exec(start);
  if (!req && !res) return null;

  const headers: { name: string; value: string }[] = [];
  for (const line of lines.slice(1)) {
    const last = headers.at(-1);
    if (/^[ \t]/.test(line) && last) {
      last.value += ` ${line.trim()}`; // folded continuation line (RFC 3261 §7.3.1)
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const raw = line.slice(0, colon).trim().toLowerCase();
    headers.push({ name: COMPACT[raw] ?? raw, value: line.slice(colon + 1).trim() });
  }
  const get = (name: string) => headers.find((h) => h.name === name)?.value ?? null;

  let body = text.slice(bodyStart);
  const declared = Number.parseInt(get("content-length") ?? "", 10);
  if (Number.isFinite(declared) && declared >= 0) {
    body = Buffer.from(body, "latin1").subarray(0, declared).toString("latin1");
  }
  const cseqMatch = /^(\d+)\s+(\S+)/.exec(get("cseq") ?? "");
  // Several Via values may share one header line; the first is the top one.
  const topVia = (get("via") ?? "").split(",")[0] ?? "";
  const contentType = (get("content-type") ?? "").toLowerCase();
  return {
    method: req?.[1]?.toUpperCase() ?? null,
    requestUri: req?.[2] ?? null,
    statusCode: res ? Number(res[1]) : null,
    reason: res ? (res[2] ?? "").trim() : null,
    headers,
    callId: get("call-id"),
    cseq: cseqMatch ? { number: Number(cseqMatch[1]), method: (cseqMatch[2] ?? "").toUpperCase() } : null,
    viaBranch: /;\s*branch=([^;,\s]+)/i.exec(topVia)?.[1] ?? null,
    body,
    sdp: contentType.startsWith("application/sdp") ? parseSdp(body) : [],
  };
}

/** The media sections of an SDP body with their connection address, port and codecs. */
export function parseSdp(body: string): SdpMedia[] {
  let sessionAddress: string | null = null;
  const media: SdpMedia[] = [];
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    const current = media.at(-1);
    if (line.startsWith("c=")) {
      // c=IN IP4 192.0.2.1 (a multicast address may carry /ttl)
      const address = line.split(/\s+/)[2]?.split("/")[0] ?? null;
      if (current) current.address = address;
      else sessionAddress = address;
    } else if (line.startsWith("m=")) {
      const [kind, port, proto, ...fmts] = line.slice(2).split(/\s+/);
      media.push({
        media: kind ?? "",
        address: sessionAddress,
        port: Number.parseInt((port ?? "").split("/")[0] ?? "", 10) || 0,
        proto: proto ?? "",
        formats: fmts.map(Number).filter(Number.isInteger),
        rtpmap: {},
      });
    } else if (line.startsWith("a=rtpmap:") && current) {
      const m = /^a=rtpmap:(\d+)\s+([^/\s]+)\/(\d+)/.exec(line);
      if (m) current.rtpmap[Number(m[1])] = { codec: m[2] ?? "", clockRate: Number(m[3]) };
    }
  }
  return media;
}

// ---------------------------------------------------------------------------------------------
// The ladder

export type LadderMessage = {
  frame: number;
  timeUs: number;
  transport: "udp" | "tcp";
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  /** Ladder columns (indexes into `endpoints`): the arrow goes from `from` to `to`. */
  from: number;
  to: number;
  method: string | null;
  statusCode: number | null;
  reason: string | null;
  /** What the arrow says: "INVITE" or "180 (Ringing)". */
  label: string;
  callId: string | null;
  cseq: string | null;
  viaBranch: string | null;
  /** µs since the first INVITE of the capture (negative before it); null without an INVITE. */
  deltaUs: number | null;
  isRetransmission: boolean;
  raw: string;
  sdp: SdpMedia[];
};

export type CallTimings = {
  callId: string;
  inviteAtUs: number;
  /** INVITE → 200 OK for it, in ms; null when the call was not answered in the capture. */
  callSetupMs: number | null;
  /** INVITE → first 18x (ringing / session progress), in ms; null when none was seen. */
  postDialDelayMs: number | null;
};

/**
 * Diagnostics are per call: a capture with more SIP messages than this is a trunk's, or crafted.
 * Past it, SIP is counted, not parsed, so such a file costs no more to read than media.
 */
export const MAX_SIP_MESSAGES = 5_000;

export type Ladder = {
  /** What was left out (over MAX_SIP_MESSAGES). */
  warnings: string[];
  /** "ip:port" columns in order of first appearance ("[v6]:port" for IPv6). */
  endpoints: string[];
  messages: LadderMessage[];
  calls: CallTimings[];
};

export function endpointLabel(ip: string, port: number): string {
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * Splits a TCP payload holding several SIP messages, using each one's Content-Length. One pass over
 * the text: each message is located from an offset (no re-slicing of the remainder, which made a
 * payload of many tiny messages quadratic).
 */
function sipTexts(packet: Packet): string[] {
  const text = Buffer.from(packet.payload).toString("latin1");
  if (packet.transport === "udp") return [text];
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    // Keep-alive CRLFs between messages (RFC 5626 §3.5.1).
    while (at < text.length && (text.charCodeAt(at) === 13 || text.charCodeAt(at) === 10)) at++;
    if (at >= text.length) break;
    const blank = headEnd(text, at);
    if (blank < 0) {
      out.push(text.slice(at));
      break;
    }
    const len = contentLength(text, at, blank);
    const end = Math.min(text.length, blank + len);
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

/** Offset just past the blank line ending the headers that start at `from`, or -1. */
function headEnd(text: string, from: number): number {
  for (let i = text.indexOf("\n", from); i >= 0; i = text.indexOf("\n", i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 10) return i + 2;
    if (next === 13 && text.charCodeAt(i + 2) === 10) return i + 3;
  }
  return -1;
}

const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)/im;

function contentLength(text: string, from: number, to: number): number {
  const m = CONTENT_LENGTH.exec(text.slice(from, to));
  return m ? Number.parseInt(m[1] ?? "0", 10) : 0;
}

/** A request by its method, a response as the spec writes it: "100 (Trying)", "200 (OK)". */
export function sipLabel(method: string | null, statusCode: number | null, reason: string | null): string {
  if (method !== null) return method;
  return reason ? `${statusCode} (${reason})` : String(statusCode);
}

/**
 * Builds the ladder from a capture's packets: every SIP message in capture order, retransmissions
 * marked (same Call-ID, CSeq, method or status, and top-Via branch seen before), and per call the
 * setup time and post-dial delay measured from the first INVITE.
 */
export function buildLadder(packets: Packet[]): Ladder {
  const endpoints: string[] = [];
  const column = endpointColumns(endpoints);
  const messages: LadderMessage[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const p of packets) {
    if (!looksLikeSip(p.payload)) continue;
    if (messages.length >= MAX_SIP_MESSAGES) {
      skipped++;
      continue;
    }
    for (const raw of sipTexts(p)) {
      const sip = parseSip(raw);
      if (!sip) continue;
      const cseq = sip.cseq ? `${sip.cseq.number} ${sip.cseq.method}` : null;
      const key = [sip.callId, cseq, sip.method ?? sip.statusCode, sip.viaBranch].join("\u0000");
      const isRetransmission = seen.has(key);
      seen.add(key);
      messages.push({
        frame: p.frame,
        timeUs: p.timeUs,
        transport: p.transport,
        src: p.src,
        srcPort: p.srcPort,
        dst: p.dst,
        dstPort: p.dstPort,
        from: column(p.src, p.srcPort),
        to: column(p.dst, p.dstPort),
        method: sip.method,
        statusCode: sip.statusCode,
        reason: sip.reason,
        label: sipLabel(sip.method, sip.statusCode, sip.reason),
        callId: sip.callId,
        cseq,
        viaBranch: sip.viaBranch,
        deltaUs: null,
        isRetransmission,
        raw,
        sdp: sip.sdp,
      });
    }
  }
  const firstInvite = messages.find((m) => m.method === "INVITE");
  if (firstInvite) for (const m of messages) m.deltaUs = m.timeUs - firstInvite.timeUs;
  const warnings = skipped
    ? [
        `More than ${MAX_SIP_MESSAGES.toLocaleString("en-US")} SIP messages: ${skipped.toLocaleString("en-US")} later packet(s) with SIP were not read`,
      ]
    : [];
  return { endpoints, messages, calls: callTimings(messages), warnings };
}

/** The fields of a SIP message (parsed, or a stored sip_messages row) that call timings read. */
export type TimedSip = {
  timeUs: number;
  method: string | null;
  statusCode: number | null;
  callId: string | null;
  cseq: string | null;
};

/**
 * Per call (Call-ID), from its first INVITE: setup time (→ the first 2xx to that INVITE's CSeq)
 * and post-dial delay (→ the first 18x), in capture order. One pass, so a capture of thousands of
 * calls costs the same per message as one call.
 */
export function callTimings(messages: readonly TimedSip[]): CallTimings[] {
  const calls: (CallTimings & { cseq: string | null })[] = [];
  const byCall = new Map<string, CallTimings & { cseq: string | null }>();
  for (const m of messages) {
    if (!m.callId) continue;
    if (m.method === "INVITE") {
      if (byCall.has(m.callId)) continue;
      const call = {
        callId: m.callId,
        inviteAtUs: m.timeUs,
        callSetupMs: null,
        postDialDelayMs: null,
        cseq: m.cseq,
      };
      byCall.set(m.callId, call);
      calls.push(call);
      continue;
    }
    const call = byCall.get(m.callId);
    // Responses to this INVITE transaction (same Call-ID and CSeq), not to a later re-INVITE.
    if (!call || m.statusCode === null || m.cseq !== call.cseq) continue;
    const ms = (m.timeUs - call.inviteAtUs) / 1000;
    if (m.statusCode >= 200 && m.statusCode < 300 && call.callSetupMs === null) call.callSetupMs = ms;
    if (m.statusCode >= 180 && m.statusCode < 190 && call.postDialDelayMs === null) call.postDialDelayMs = ms;
  }
  return calls.map(({ cseq: _, ...c }) => c);
}

/** Ladder columns: the index of an endpoint ("ip:port"), added in order of first appearance. */
export function endpointColumns(endpoints: string[]): (ip: string, port: number) => number {
  const index = new Map(endpoints.map((e, i) => [e, i]));
  return (ip, port) => {
    const label = endpointLabel(ip, port);
    let i = index.get(label);
    if (i === undefined) {
      i = endpoints.push(label) - 1;
      index.set(label, i);
    }
    return i;
  };
}
