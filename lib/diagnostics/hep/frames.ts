// HEP carries the original datagram's addresses and payload, not its headers: a capture file needs
// the IP and UDP/TCP headers back. They are synthesised here (RFC 791/8200, 768, 793) so the HEP
// capture is a normal pcap (LINKTYPE_RAW) that the parser, tshark and Wireshark read like any other.
import { LINKTYPE } from "../pcap.ts";
import type { HepPacket } from "./decode.ts";

export const HEP_LINKTYPE = LINKTYPE.RAW;

/** The pcap file header (µs, little-endian) a HEP capture starts with. */
export function pcapHeader(): Uint8Array {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 262144, true);
  v.setUint32(20, HEP_LINKTYPE, true);
  return b;
}

/** One pcap record (16-byte record header + IP packet) for a HEP packet; `tcpSeq` for TCP flows. */
export function pcapRecord(p: HepPacket, tcpSeq = 0): Uint8Array {
  const l4 = p.protocol === 17 ? 8 : 20;
  const l3 = p.family === 4 ? 20 : 40;
  const ipLen = l3 + l4 + p.payload.length;
  const out = new Uint8Array(16 + ipLen);
  const v = new DataView(out.buffer);
  v.setUint32(0, Math.floor(p.timeUs / 1e6), true);
  v.setUint32(4, p.timeUs % 1e6, true);
  v.setUint32(8, ipLen, true);
  v.setUint32(12, ipLen, true);
  const ip = 16;
  if (p.family === 4) {
    v.setUint8(ip, 0x45);
    v.setUint16(ip + 2, Math.min(ipLen, 0xffff));
    v.setUint16(ip + 6, 0x4000); // don't fragment
    v.setUint8(ip + 8, 64);
    v.setUint8(ip + 9, p.protocol);
    out.set(p.src.split(".").map(Number), ip + 12);
    out.set(p.dst.split(".").map(Number), ip + 16);
    v.setUint16(ip + 10, ipv4Checksum(out.subarray(ip, ip + 20)));
  } else {
    v.setUint32(ip, 0x60000000);
    v.setUint16(ip + 4, l4 + p.payload.length);
    v.setUint8(ip + 6, p.protocol);
    v.setUint8(ip + 7, 64);
    out.set(ipv6Bytes(p.src), ip + 8);
    out.set(ipv6Bytes(p.dst), ip + 24);
  }
  const t = ip + l3;
  v.setUint16(t, p.srcPort);
  v.setUint16(t + 2, p.dstPort);
  if (p.protocol === 17) {
    v.setUint16(t + 4, Math.min(8 + p.payload.length, 0xffff)); // checksum 0: not computed
  } else {
    v.setUint32(t + 4, tcpSeq >>> 0);
    v.setUint8(t + 12, 5 << 4);
    v.setUint8(t + 13, 0x18); // PSH, ACK
    v.setUint16(t + 14, 65535);
  }
  out.set(p.payload, t + l4);
  return out;
}

function ipv4Checksum(h: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < h.length; i += 2) sum += ((h[i] ?? 0) << 8) | (h[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function ipv6Bytes(text: string): Uint8Array {
  const [head = "", tail] = text.split("::");
  const parse = (s: string) => (s ? s.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const a = parse(head);
  const b = tail === undefined ? [] : parse(tail);
  const groups = [...a, ...Array(8 - a.length - b.length).fill(0), ...b];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}
