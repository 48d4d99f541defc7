// HEP v3 (the Homer Encapsulation Protocol, https://github.com/sipcapture/HEP): "HEP3", a 16-bit
// total length, then chunks of vendor id (16) + type id (16) + length (16, header included) +
// value. Decoded here rather than with npm's hep-js (1.0.x, rarely updated, decodes to a loose
// object through binary-parser): the collector needs a strict, bounded reader that says why a
// packet is refused, and only the generic chunks (vendor 0) below.
import { ipv6 } from "../pcap.ts";

/** HEP protocol types Parley keeps (chunk 0x000b); the others are counted and dropped. */
export const HEP_PROTO = { SIP: 1, RTCP: 5 } as const;

export type HepPacket = {
  family: 4 | 6;
  /** IP protocol of the original datagram: 17 UDP, 6 TCP. */
  protocol: 6 | 17;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** Capture time of the original packet, µs since the epoch. */
  timeUs: number;
  protoType: number;
  captureId: number | null;
  authKey: string | null;
  correlationId: string | null;
  payload: Uint8Array;
};

export type HepDecoded = { ok: true; packet: HepPacket } | { ok: false; reason: string };

const MAGIC = 0x48455033; // "HEP3"

/** The length a HEP3 frame declares (for TCP framing), or null when `b` doesn't start one. */
export function hepFrameLength(b: Uint8Array): number | null {
  if (b.length < 6) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return v.getUint32(0) === MAGIC ? v.getUint16(4) : null;
}

export function decodeHep(b: Uint8Array): HepDecoded {
  if (b.length < 6) return { ok: false, reason: "shorter than a HEP3 header" };
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (v.getUint32(0) !== MAGIC) return { ok: false, reason: "not HEP3 (bad magic)" };
  const total = v.getUint16(4);
  if (total < 6 || total > b.length)
    return { ok: false, reason: `declared length ${total} exceeds the packet` };
  let family: 4 | 6 | null = null;
  let protocol: number | null = null;
  let src4: string | null = null;
  let dst4: string | null = null;
  let src6: string | null = null;
  let dst6: string | null = null;
  let srcPort: number | null = null;
  let dstPort: number | null = null;
  let sec: number | null = null;
  let usec = 0;
  let protoType: number | null = null;
  let captureId: number | null = null;
  let authKey: string | null = null;
  let correlationId: string | null = null;
  let payload: Uint8Array | null = null;
  let at = 6;
  while (at < total) {
    if (at + 6 > total) return { ok: false, reason: `truncated chunk header at byte ${at}` };
    const vendor = v.getUint16(at);
    const type = v.getUint16(at + 2);
    const len = v.getUint16(at + 4);
    if (len < 6 || at + len > total)
      return { ok: false, reason: `chunk ${type} at byte ${at} has a bad length ${len}` };
    const body = at + 6;
    const size = len - 6;
    const need = (n: number) => size === n;
    if (vendor === 0) {
      switch (type) {
        case 1:
          if (!need(1)) return bad(type);
          family = v.getUint8(body) === 2 ? 4 : v.getUint8(body) === 10 ? 6 : null;
          break;
        case 2:
          if (!need(1)) return bad(type);
          protocol = v.getUint8(body);
          break;
        case 3:
        case 4:
          if (!need(4)) return bad(type);
          if (type === 3) src4 = b.subarray(body, body + 4).join(".");
          else dst4 = b.subarray(body, body + 4).join(".");
          break;
        case 5:
        case 6:
          if (!need(16)) return bad(type);
          if (type === 5) src6 = ipv6(b, body);
          else dst6 = ipv6(b, body);
          break;
        case 7:
        case 8:
          if (!need(2)) return bad(type);
          if (type === 7) srcPort = v.getUint16(body);
          else dstPort = v.getUint16(body);
          break;
        case 9:
          if (!need(4)) return bad(type);
          sec = v.getUint32(body);
          break;
        case 10:
          if (!need(4)) return bad(type);
          usec = v.getUint32(body);
          break;
        case 11:
          if (!need(1)) return bad(type);
          protoType = v.getUint8(body);
          break;
        case 12:
          if (!need(4) && !need(2)) return bad(type);
          captureId = size === 4 ? v.getUint32(body) : v.getUint16(body);
          break;
        case 14:
          authKey = Buffer.from(b.subarray(body, body + size))
            .toString("utf8")
            .replace(/\0+$/, "");
          break;
        case 15:
          payload = b.subarray(body, body + size);
          break;
        case 16:
          return { ok: false, reason: "compressed payloads are not supported" };
        case 17:
          correlationId = Buffer.from(b.subarray(body, body + size))
            .toString("utf8")
            .replace(/\0+$/, "");
          break;
        default:
          break; // keep-alive timer, VLAN, node name…: nothing Parley needs
      }
    }
    at += len;
  }
  if (family === null) return { ok: false, reason: "no IP family chunk" };
  if (protocol !== 17 && protocol !== 6)
    return { ok: false, reason: `IP protocol ${protocol ?? "missing"} is not UDP or TCP` };
  const src = family === 4 ? src4 : src6;
  const dst = family === 4 ? dst4 : dst6;
  if (!src || !dst) return { ok: false, reason: "source or destination address missing" };
  if (srcPort === null || dstPort === null)
    return { ok: false, reason: "source or destination port missing" };
  if (sec === null) return { ok: false, reason: "no timestamp chunk" };
  if (usec >= 1_000_000) return { ok: false, reason: "timestamp microseconds out of range" };
  if (protoType === null) return { ok: false, reason: "no protocol type chunk" };
  if (!payload) return { ok: false, reason: "no payload chunk" };
  return {
    ok: true,
    packet: {
      family,
      protocol,
      src,
      dst,
      srcPort,
      dstPort,
      timeUs: sec * 1_000_000 + usec,
      protoType,
      captureId,
      authKey,
      correlationId,
      payload,
    },
  };
}

function bad(type: number): HepDecoded {
  return { ok: false, reason: `chunk ${type} has the wrong size` };
}
