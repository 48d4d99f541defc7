// RTP streams as the capture saw them (RFC 3550): packets, sequence-number loss and interarrival
// jitter, keyed by 5-tuple + SSRC (an echoing endpoint sends both directions with one SSRC), and
// matched to SIP calls through the addresses their SDP announced.
import type { Packet } from "./pcap.ts";
import { looksLikeRtcp } from "./rtcp.ts";
import type { Ladder, SdpMedia } from "./sip.ts";

export type RtpHeader = {
  marker: boolean;
  payloadType: number;
  seq: number;
  timestamp: number;
  ssrc: number;
  payloadLength: number;
};

/** The fixed header (with CSRCs, extension and padding accounted for), or null if not RTP. */
export function parseRtpHeader(b: Uint8Array): RtpHeader | null {
  if (b.length < 12) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const first = v.getUint8(0);
  if (first >> 6 !== 2) return null;
  const second = v.getUint8(1);
  const payloadType = second & 0x7f;
  // 72–76 with the marker bit are RTCP's 200–204 (RFC 5761 §4): not RTP.
  if (payloadType >= 72 && payloadType <= 76) return null;
  let headerLen = 12 + (first & 0x0f) * 4;
  if (first & 0x10) {
    if (headerLen + 4 > b.length) return null;
    headerLen += 4 + v.getUint16(headerLen + 2) * 4;
  }
  const padding = first & 0x20 ? v.getUint8(b.length - 1) : 0;
  const payloadLength = b.length - headerLen - padding;
  if (payloadLength < 0) return null;
  return {
    marker: (second & 0x80) !== 0,
    payloadType,
    seq: v.getUint16(2),
    timestamp: v.getUint32(4),
    ssrc: v.getUint32(8),
    payloadLength,
  };
}

/** RFC 3551 static payload types (the RTP clock, which for G.722 is 8000 by that RFC's erratum). */
export const STATIC_PAYLOAD_TYPES: Record<number, { codec: string; clockRate: number }> = {
  0: { codec: "PCMU", clockRate: 8000 },
  3: { codec: "GSM", clockRate: 8000 },
  4: { codec: "G723", clockRate: 8000 },
  8: { codec: "PCMA", clockRate: 8000 },
  9: { codec: "G722", clockRate: 8000 },
  13: { codec: "CN", clockRate: 8000 },
  18: { codec: "G729", clockRate: 8000 },
};

/** An address a SIP endpoint asked to receive media on (SDP c= + m=). */
export type MediaAnnouncement = {
  callId: string;
  address: string;
  port: number;
  rtpmap: SdpMedia["rtpmap"];
  frame: number;
  timeUs: number;
};

export function announcedMedia(ladder: Ladder): MediaAnnouncement[] {
  const out: MediaAnnouncement[] = [];
  for (const m of ladder.messages) {
    if (!m.callId) continue;
    for (const s of m.sdp) {
      // Port 0 declines the stream; no address means the SDP was incomplete.
      if (s.media !== "audio" || !s.port || !s.address) continue;
      out.push({
        callId: m.callId,
        address: s.address,
        port: s.port,
        rtpmap: s.rtpmap,
        frame: m.frame,
        timeUs: m.timeUs,
      });
    }
  }
  return out;
}

/**
 * Which dialog an address belonged to at a given time. A load generator reuses its RTP ports call
 * after call, so the same address is announced by several dialogs: each announcement holds the
 * address from its SDP until another dialog announces it (a re-INVITE of the same dialog only
 * refreshes the codecs). Media seen before the first announcement belongs to that first one.
 */
export class AnnouncementIndex {
  private readonly byAddress = new Map<string, MediaAnnouncement[]>();

  constructor(announced: readonly MediaAnnouncement[]) {
    // Capture order is time order for the ladder; each list stays sorted by time.
    for (const a of announced) {
      const key = `${a.address}|${a.port}`;
      const list = this.byAddress.get(key);
      if (list) list.push(a);
      else this.byAddress.set(key, [a]);
    }
  }

  /** The announcement in force for ip:port at timeUs (binary search), and until when it holds. */
  at(ip: string, port: number, timeUs: number): { a: MediaAnnouncement; untilUs: number } | null {
    const list = this.byAddress.get(`${ip}|${port}`);
    if (!list?.length) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((list[mid] as MediaAnnouncement).timeUs <= timeUs) lo = mid;
      else hi = mid - 1;
    }
    const a = list[lo] as MediaAnnouncement;
    let next = lo + 1;
    while (next < list.length && (list[next] as MediaAnnouncement).callId === a.callId) next++;
    // Another dialog's SDP ends this one's hold; the same dialog's later SDP is the latest word on codecs.
    let latest = a;
    for (let i = lo + 1; i < next; i++)
      if ((list[i] as MediaAnnouncement).timeUs <= timeUs) latest = list[i] as MediaAnnouncement;
    const untilUs = next < list.length ? (list[next] as MediaAnnouncement).timeUs : Number.POSITIVE_INFINITY;
    return { a: latest, untilUs };
  }
}

export type RtpStream = {
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  ssrc: number;
  /** The SIP call whose SDP announced this stream's destination (or source); null if none did. */
  callId: string | null;
  payloadType: number;
  codec: string | null;
  clockRate: number | null;
  firstUs: number;
  lastUs: number;
  packets: number;
  /** Payload bytes, as an RTCP sender counts octets. */
  octets: number;
  /** Extended highest sequence number received (cycles × 65536 + seq). */
  extHighestSeq: number;
  /** From the extended highest and the first sequence numbers. */
  expected: number;
  /** expected − received: negative when duplicates outnumber losses. */
  lost: number;
  /** RFC 3550 jitter estimate in ms: mean and max over the packets after the first; null without a clock. */
  meanJitterMs: number | null;
  maxJitterMs: number | null;
};

type StreamState = RtpStream & {
  baseExt: number;
  prevTimeUs: number;
  prevTimestamp: number;
  jitter: number; // in timestamp units, RFC 3550 §6.4.1 / A.8
  jitterSum: number;
  jitterCount: number;
  jitterMax: number;
};

export type RtpAnalysis = { streams: RtpStream[]; rtcp: Packet[]; warnings: string[] };

/** A call has a handful of streams; past this many, packets of new streams are counted, not kept. */
export const MAX_STREAMS = 1_000;

/**
 * Sorts the non-SIP UDP packets into RTP streams and RTCP packets. A packet counts as RTP when its
 * header parses and it isn't on a SIP port; streams the SDP announced get their call and codec.
 */
export function analyzeRtp(packets: Packet[], ladder: Ladder): RtpAnalysis {
  const sipPorts = new Set<string>();
  for (const m of ladder.messages) {
    sipPorts.add(`${m.src}|${m.srcPort}`);
    sipPorts.add(`${m.dst}|${m.dstPort}`);
  }
  const announced = new AnnouncementIndex(announcedMedia(ladder));
  const owner = (p: Packet) =>
    announced.at(p.dst, p.dstPort, p.timeUs) ?? announced.at(p.src, p.srcPort, p.timeUs);

  // Per 5-tuple + SSRC, the stream of the dialog that holds the address now; a new dialog taking
  // over the same ports (and often the same SSRC) starts a new stream.
  // Per 4-tuple (nested maps: no string is built per packet) whether it is SIP's, and per SSRC
  // the stream it currently feeds.
  type Tuple = { sip: boolean; bySsrc: Map<number, { s: StreamState; untilUs: number }> };
  const tuples = new Map<string, Map<number, Map<string, Map<number, Tuple>>>>();
  const tupleOf = (p: Packet): Tuple => {
    const a = child(tuples, p.src, () => new Map());
    const b = child(a, p.srcPort, () => new Map());
    const c = child(b, p.dst, () => new Map());
    return child(c, p.dstPort, () => ({
      sip: sipPorts.has(`${p.src}|${p.srcPort}`) || sipPorts.has(`${p.dst}|${p.dstPort}`),
      bySsrc: new Map(),
    }));
  };
  const streams: StreamState[] = [];
  const rtcp: Packet[] = [];
  let overflow = 0;
  for (const p of packets) {
    if (p.transport !== "udp") continue;
    const tuple = tupleOf(p);
    if (tuple.sip) continue;
    if (looksLikeRtcp(p.payload)) {
      rtcp.push(p);
      continue;
    }
    const h = parseRtpHeader(p.payload);
    if (!h) continue;
    const current = tuple.bySsrc;
    const key = h.ssrc;
    const held = current.get(key);
    let s = held && p.timeUs < held.untilUs ? held.s : undefined;
    if (held && !s) {
      // Past the announcement's hold: still ours unless another dialog announced the address.
      const next = owner(p);
      if (!next || next.a.callId === held.s.callId) {
        held.untilUs = next?.untilUs ?? Number.POSITIVE_INFINITY;
        s = held.s;
      }
    }
    if (!s && streams.length >= MAX_STREAMS) {
      overflow++;
      continue;
    }
    if (!s) {
      const found = owner(p);
      const match = found?.a ?? null;
      const codec = match?.rtpmap[h.payloadType] ?? STATIC_PAYLOAD_TYPES[h.payloadType] ?? null;
      // telephone-event timestamps stay put for a whole event: no meaningful jitter (RFC 4733 §2.2.1).
      const clock = codec && codec.codec.toLowerCase() !== "telephone-event" ? codec.clockRate : null;
      s = {
        src: p.src,
        srcPort: p.srcPort,
        dst: p.dst,
        dstPort: p.dstPort,
        ssrc: h.ssrc,
        callId: match?.callId ?? null,
        payloadType: h.payloadType,
        codec: codec?.codec ?? null,
        clockRate: clock,
        firstUs: p.timeUs,
        lastUs: p.timeUs,
        packets: 1,
        octets: h.payloadLength,
        extHighestSeq: h.seq,
        expected: 1,
        lost: 0,
        meanJitterMs: null,
        maxJitterMs: null,
        baseExt: h.seq,
        prevTimeUs: p.timeUs,
        prevTimestamp: h.timestamp,
        jitter: 0,
        jitterSum: 0,
        jitterCount: 0,
        jitterMax: 0,
      };
      streams.push(s);
      current.set(key, { s, untilUs: found?.untilUs ?? Number.POSITIVE_INFINITY });
      continue;
    }
    s.packets++;
    s.octets += h.payloadLength;
    s.lastUs = p.timeUs;
    // Extend the 16-bit sequence number to the cycle nearest the highest seen so far.
    let delta = h.seq - (s.extHighestSeq & 0xffff);
    if (delta > 0x7fff) delta -= 0x10000;
    else if (delta < -0x8000) delta += 0x10000;
    s.extHighestSeq = Math.max(s.extHighestSeq, s.extHighestSeq + delta);

    if (s.clockRate) {
      // D(i,j) = (Rj − Ri) − (Sj − Si) in timestamp units; J += (|D| − J) / 16.
      const arrival = ((p.timeUs - s.prevTimeUs) * s.clockRate) / 1e6;
      const tsDelta = (h.timestamp - s.prevTimestamp) | 0; // signed 32-bit difference
      s.jitter += (Math.abs(arrival - tsDelta) - s.jitter) / 16;
      const ms = (s.jitter * 1000) / s.clockRate;
      // A marker starts a talkspurt and comfort noise has its own timing: like tshark, they move
      // the estimate but are left out of the mean and max.
      if (!h.marker && h.payloadType !== 13) {
        s.jitterSum += ms;
        s.jitterCount++;
        s.jitterMax = Math.max(s.jitterMax, ms);
      }
      // A packet from before the previous one (reordered) doesn't become the new reference.
      if (tsDelta >= 0) {
        s.prevTimeUs = p.timeUs;
        s.prevTimestamp = h.timestamp;
      }
    } else {
      s.prevTimeUs = p.timeUs;
      s.prevTimestamp = h.timestamp;
    }
  }

  const out: RtpStream[] = [];
  for (const s of streams) {
    const expected = s.extHighestSeq - s.baseExt + 1;
    out.push({
      src: s.src,
      srcPort: s.srcPort,
      dst: s.dst,
      dstPort: s.dstPort,
      ssrc: s.ssrc,
      callId: s.callId,
      payloadType: s.payloadType,
      codec: s.codec,
      clockRate: s.clockRate,
      firstUs: s.firstUs,
      lastUs: s.lastUs,
      packets: s.packets,
      octets: s.octets,
      extHighestSeq: s.extHighestSeq,
      expected,
      lost: expected - s.packets,
      meanJitterMs: s.clockRate && s.jitterCount ? s.jitterSum / s.jitterCount : null,
      maxJitterMs: s.clockRate && s.jitterCount ? s.jitterMax : null,
    });
  }
  const warnings = overflow
    ? [
        `More than ${MAX_STREAMS.toLocaleString("en-US")} RTP streams: ${overflow.toLocaleString("en-US")} packet(s) of further streams were not analysed`,
      ]
    : [];
  return { streams: out, rtcp, warnings };
}

function child<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}
