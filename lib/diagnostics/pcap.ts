// Reads pcap and pcapng captures (as tcpdump, tshark and Wireshark write them) down to UDP/TCP
// payloads, in plain TypeScript so the worker needs no native tools. Captures come from customers'
// systems: anything malformed yields a CaptureError (nothing usable) or a partial result with
// warnings (what could be read), never an exception from deep inside the decoder.

export type CaptureFormat = "pcap" | "pcapng";

/** Why a capture could not be read at all. */
export class CaptureError extends Error {
  readonly code: "not-a-capture" | "truncated-header" | "unsupported";
  constructor(code: CaptureError["code"], message: string) {
    super(message);
    this.name = "CaptureError";
    this.code = code;
  }
}

/** One captured frame as stored in the file (kept for the PCAP export). */
export type Frame = {
  /** 1-based, in file order: the number Wireshark shows. */
  number: number;
  /** Capture time in microseconds since the Unix epoch (ns resolutions are truncated). */
  timeUs: number;
  linkType: number;
  origLen: number;
  data: Uint8Array;
};

/** A transport payload, after link, IP (with fragments reassembled) and UDP/TCP. */
export type Packet = {
  /** The frame that completed it (the last fragment for reassembled datagrams, as Wireshark does). */
  frame: number;
  /** For a reassembled datagram, the frames of its other fragments (the exports keep them all). */
  fragmentFrames?: number[];
  timeUs: number;
  transport: "udp" | "tcp";
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  payload: Uint8Array;
};

export type Capture = {
  format: CaptureFormat;
  frames: Frame[];
  packets: Packet[];
  warnings: string[];
};

// Link-layer types (https://www.tcpdump.org/linktypes.html).
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  RAW_OLD_12: 12,
  RAW_OLD_14: 14,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const MAX_WARNINGS = 50; // a garbage file would otherwise produce one per frame

/** Reads a whole capture. Throws CaptureError only when nothing can be read. */
export function readCapture(input: Uint8Array): Capture {
  const buf = input;
  if (buf.length < 4) throw new CaptureError("truncated-header", "File too short to be a capture");
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magicBE = view.getUint32(0, false);
  const warnings: string[] = [];
  const warn = (w: string) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(w);
    else if (warnings.length === MAX_WARNINGS) warnings.push("… further warnings omitted");
  };
  let format: CaptureFormat;
  let frames: Frame[];
  if (magicBE === 0x0a0d0d0a) {
    format = "pcapng";
    frames = readPcapng(buf, view, warn);
  } else if ([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(magicBE)) {
    format = "pcap";
    frames = readPcap(buf, view, warn);
  } else {
    throw new CaptureError("not-a-capture", "Not a pcap or pcapng file (unknown magic number)");
  }
  const packets = decodeFrames(frames, warn);
  return { format, frames, packets, warnings };
}

function readPcap(buf: Uint8Array, view: DataView, warn: (w: string) => void): Frame[] {
  if (buf.length < 24) throw new CaptureError("truncated-header", "pcap file header is truncated");
  const magicLE = view.getUint32(0, true);
  // The writer's byte order: the magic reads as a1b2c3d4 / a1b23c4d in it.
  const le = magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d;
  const nanos = (le ? magicLE : view.getUint32(0, false)) === 0xa1b23c4d;
  // The link type shares its 32-bit field with FCS flags in the top bits (pcap spec, LinkType).
  const linkType = view.getUint32(20, le) & 0x0fffffff;
  const frames: Frame[] = [];
  let off = 24;
  while (off < buf.length) {
    if (off + 16 > buf.length) {
      warn(`Truncated record header after frame ${frames.length}`);
      break;
    }
    const sec = view.getUint32(off, le);
    const frac = view.getUint32(off + 4, le);
    const capLen = view.getUint32(off + 8, le);
    const origLen = view.getUint32(off + 12, le);
    if (capLen > 0x4000000) {
      warn(`Implausible record length ${capLen} after frame ${frames.length}; stopped reading`);
      break;
    }
    if (off + 16 + capLen > buf.length) {
      warn(`Frame ${frames.length + 1} is truncated (file ends inside it)`);
      break;
    }
    frames.push({
      number: frames.length + 1,
      timeUs: sec * 1e6 + (nanos ? Math.floor(frac / 1000) : frac),
      linkType,
      origLen,
      data: buf.subarray(off + 16, off + 16 + capLen),
    });
    off += 16 + capLen;
  }
  return frames;
}

type Interface = { linkType: number; snapLen: number; unitsPerSec: bigint; offsetSec: bigint };

function readPcapng(buf: Uint8Array, view: DataView, warn: (w: string) => void): Frame[] {
  const frames: Frame[] = [];
  let le = true;
  let interfaces: Interface[] = [];
  let lastTimeUs = 0;
  let off = 0;
  while (off < buf.length) {
    if (off + 12 > buf.length) {
      warn(`Truncated block header at byte ${off}`);
      break;
    }
    const typeBE = view.getUint32(off, false);
    if (typeBE === 0x0a0d0d0a) {
      // Section Header Block: its byte-order magic sets the order for the whole section.
      if (off + 12 > buf.length) break;
      const bom = view.getUint32(off + 8, true);
      if (bom === 0x1a2b3c4d) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else {
        warn(`Section header at byte ${off} has no valid byte-order magic; stopped reading`);
        break;
      }
      interfaces = []; // interface ids are per section
    }
    const type = view.getUint32(off, le);
    const len = view.getUint32(off + 4, le);
    if (len < 12 || len % 4 !== 0 || off + len > buf.length) {
      warn(`Block at byte ${off} is truncated or has a bad length (${len}); stopped reading`);
      break;
    }
    const body = off + 8;
    const end = off + len - 4;
    if (type === 1) {
      // Interface Description Block.
      const iface: Interface = {
        linkType: view.getUint16(body, le),
        snapLen: view.getUint32(body + 4, le),
        unitsPerSec: 1_000_000n, // default if_tsresol is 6 (microseconds)
        offsetSec: 0n,
      };
      for (const opt of options(view, body + 8, end, le)) {
        if (opt.code === 9 && opt.len >= 1) {
          const r = view.getUint8(opt.at);
          iface.unitsPerSec = r & 0x80 ? 2n ** BigInt(r & 0x7f) : 10n ** BigInt(r);
        } else if (opt.code === 14 && opt.len >= 8) {
          iface.offsetSec = view.getBigInt64(opt.at, le);
        }
      }
      interfaces.push(iface);
    } else if (type === 6 || type === 2) {
      // Enhanced Packet Block (6) or the obsolete Packet Block (2).
      const ifId = type === 6 ? view.getUint32(body, le) : view.getUint16(body, le);
      const iface = interfaces[ifId];
      const capLen = view.getUint32(body + 12, le);
      const origLen = view.getUint32(body + 16, le);
      if (!iface) warn(`Packet block at byte ${off} names unknown interface ${ifId}; skipped`);
      else if (body + 20 + capLen > end) warn(`Packet block at byte ${off} is truncated; skipped`);
      else {
        const ts = (BigInt(view.getUint32(body + 4, le)) << 32n) | BigInt(view.getUint32(body + 8, le));
        const us = (ts * 1_000_000n) / iface.unitsPerSec + iface.offsetSec * 1_000_000n;
        lastTimeUs = Number(us);
        frames.push({
          number: frames.length + 1,
          timeUs: lastTimeUs,
          linkType: iface.linkType,
          origLen,
          data: buf.subarray(body + 20, body + 20 + capLen),
        });
      }
    } else if (type === 3) {
      // Simple Packet Block: interface 0, no timestamp (it inherits the previous frame's time).
      const iface = interfaces[0];
      const origLen = view.getUint32(body, le);
      if (!iface) warn(`Simple packet block at byte ${off} precedes any interface; skipped`);
      else {
        const room = end - (body + 4);
        const capLen = Math.min(origLen, iface.snapLen || origLen, room);
        frames.push({
          number: frames.length + 1,
          timeUs: lastTimeUs,
          linkType: iface.linkType,
          origLen,
          data: buf.subarray(body + 4, body + 4 + capLen),
        });
      }
    }
    // Other blocks (name resolution, statistics, custom…) carry nothing the diagnostics need.
    off += len;
  }
  return frames;
}

function* options(view: DataView, start: number, end: number, le: boolean) {
  let at = start;
  while (at + 4 <= end) {
    const code = view.getUint16(at, le);
    const len = view.getUint16(at + 2, le);
    if (code === 0 || at + 4 + len > end) return;
    yield { code, len, at: at + 4 };
    at += 4 + len + ((4 - (len % 4)) % 4);
  }
}

// ---------------------------------------------------------------------------------------------
// Link, network and transport layers

type Datagram = {
  frame: Frame;
  version: 4 | 6;
  src: string;
  dst: string;
  protocol: number;
  data: Uint8Array;
  fragmentFrames?: number[];
};

type FragmentSet = {
  parts: { offset: number; data: Uint8Array; frame: number }[];
  totalLen: number | null;
  first: Frame;
  /** Bytes received (overlaps counted twice) and the amount at which completeness is checked next. */
  bytes: number;
  checkAt: number;
};

// An IP datagram is at most 65,535 bytes in fragments of at least 8: more parts is an attack.
const MAX_FRAGMENT_PARTS = 8192;

const MAX_FRAGMENT_SETS = 1024; // bounds memory against a capture full of unmatched fragments

function decodeFrames(frames: Frame[], warn: (w: string) => void): Packet[] {
  const packets: Packet[] = [];
  const fragments = new Map<string, FragmentSet>();
  let undecodable = 0;
  for (const frame of frames) {
    let dgram: Datagram | null = null;
    try {
      const ip = linkPayload(frame);
      if (ip) dgram = decodeIp(frame, ip, fragments, warn);
    } catch {
      // A DataView read past the end of a short frame: the frame is damaged, not the capture.
      undecodable++;
      continue;
    }
    if (!dgram) continue;
    const packet = decodeTransport(dgram);
    if (packet) packets.push(packet);
  }
  if (undecodable) warn(`${undecodable} frame(s) too short or malformed to decode`);
  if (fragments.size) warn(`${fragments.size} IP datagram(s) left with missing fragments`);
  return packets;
}

/** The IP packet inside a frame, or null for other protocols (ARP, LLDP…). */
function linkPayload(frame: Frame): Uint8Array | null {
  const d = frame.data;
  switch (frame.linkType) {
    case LINKTYPE.ETHERNET: {
      let off = 12;
      let type = u16(d, off);
      // 802.1Q / 802.1ad / QinQ tags: each adds 4 bytes before the real EtherType.
      while (type === 0x8100 || type === 0x88a8 || type === 0x9100) {
        off += 4;
        type = u16(d, off);
      }
      return etherTypeIp(type) ? d.subarray(off + 2) : null;
    }
    case LINKTYPE.LINUX_SLL:
      return etherTypeIp(u16(d, 14)) ? d.subarray(16) : null;
    case LINKTYPE.LINUX_SLL2:
      return etherTypeIp(u16(d, 0)) ? d.subarray(20) : null;
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      // NULL stores the address family in the capturing host's byte order, LOOP in network order;
      // either way it's AF_INET (2) or one of the AF_INET6 values (24, 28, 30).
      const family = frame.linkType === LINKTYPE.LOOP ? u32(d, 0) : familyAnyOrder(u32le(d, 0));
      return family === 2 || family === 24 || family === 28 || family === 30 ? d.subarray(4) : null;
    }
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_OLD_12:
    case LINKTYPE.RAW_OLD_14:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return d;
    default:
      return null;
  }
}

function familyAnyOrder(le: number): number {
  return le > 0xffff ? ((le >>> 24) | ((le >>> 8) & 0xff00)) >>> 0 : le;
}

function etherTypeIp(type: number): boolean {
  return type === 0x0800 || type === 0x86dd;
}

function decodeIp(
  frame: Frame,
  ip: Uint8Array,
  fragments: Map<string, FragmentSet>,
  warn: (w: string) => void,
): Datagram | null {
  // DataView reads throw past the end of a damaged frame; decodeFrames counts those frames.
  const version = u8(ip, 0) >> 4;
  if (version === 4) {
    const ihl = (u8(ip, 0) & 0x0f) * 4;
    const total = u16(ip, 2);
    if (ip.length < 20 || ihl < 20 || total < ihl) throw new RangeError("bad IPv4 header");
    // Ethernet pads short frames: the IP total length, not the frame, says where the data ends.
    const data = ip.subarray(ihl, Math.min(total, ip.length));
    const src = ipv4(ip, 12);
    const dst = ipv4(ip, 16);
    const protocol = u8(ip, 9);
    const flags = u16(ip, 6);
    const more = (flags & 0x2000) !== 0;
    const offset = (flags & 0x1fff) * 8;
    if (!more && offset === 0) return { frame, version: 4, src, dst, protocol, data };
    const key = `4|${src}|${dst}|${protocol}|${u16(ip, 4)}`;
    const whole = addFragment(fragments, key, frame, offset, data, more, warn);
    return whole
      ? { frame, version: 4, src, dst, protocol, data: whole.data, fragmentFrames: whole.frames }
      : null;
  }
  if (version === 6) {
    const payloadLen = u16(ip, 4);
    const src = ipv6(ip, 8);
    const dst = ipv6(ip, 24);
    let next = u8(ip, 6);
    let off = 40;
    const end = Math.min(40 + payloadLen, ip.length);
    // Walk the extension headers to the transport; a Fragment header starts reassembly.
    for (;;) {
      if (next === 0 || next === 43 || next === 60) {
        next = u8(ip, off);
        off += (u8(ip, off + 1) + 1) * 8;
      } else if (next === 44) {
        const fv = u16(ip, off + 2);
        const id = u32(ip, off + 4);
        const protocol = u8(ip, off);
        const data = ip.subarray(off + 8, end);
        const key = `6|${src}|${dst}|${id}`;
        const whole = addFragment(fragments, key, frame, fv & 0xfff8, data, (fv & 1) === 1, warn);
        // Extension headers after the fragment header are rare for SIP/RTP; not handled.
        return whole
          ? { frame, version: 6, src, dst, protocol, data: whole.data, fragmentFrames: whole.frames }
          : null;
      } else break;
      if (off > end) throw new RangeError("bad IPv6 extension header");
    }
    return { frame, version: 6, src, dst, protocol: next, data: ip.subarray(off, end) };
  }
  return null;
}

function addFragment(
  sets: Map<string, FragmentSet>,
  key: string,
  frame: Frame,
  offset: number,
  data: Uint8Array,
  more: boolean,
  warn: (w: string) => void,
): { data: Uint8Array; frames: number[] } | null {
  let set = sets.get(key);
  if (!set) {
    if (sets.size >= MAX_FRAGMENT_SETS) {
      warn(`Too many incomplete IP datagrams; fragment in frame ${frame.number} dropped`);
      return null;
    }
    set = { parts: [], totalLen: null, first: frame, bytes: 0, checkAt: 0 };
    sets.set(key, set);
  }
  if (set.parts.length >= MAX_FRAGMENT_PARTS) return null; // never completes; reported as left over
  set.parts.push({ offset, data, frame: frame.number });
  set.bytes += data.length;
  if (!more) set.totalLen = offset + data.length;
  if (set.totalLen === null) return null;
  // Sorting on every fragment made a datagram of n fragments cost n² log n. Check only once the
  // bytes could cover it, and after a failed check only when they have doubled: amortised linear.
  if (set.bytes < Math.max(set.totalLen, set.checkAt)) return null;
  set.checkAt = set.bytes * 2;
  // Complete when the pieces cover 0…totalLen without a hole (duplicates and overlaps allowed).
  const parts = [...set.parts].sort((a, b) => a.offset - b.offset);
  let covered = 0;
  for (const p of parts) {
    if (p.offset > covered) return null;
    covered = Math.max(covered, p.offset + p.data.length);
  }
  if (covered < set.totalLen) return null;
  const whole = new Uint8Array(set.totalLen);
  for (const p of parts) whole.set(p.data.subarray(0, Math.max(0, set.totalLen - p.offset)), p.offset);
  sets.delete(key);
  const frames = [...new Set(set.parts.map((p) => p.frame))].filter((n) => n !== frame.number);
  return { data: whole, frames };
}

function decodeTransport(d: Datagram): Packet | null {
  const packet = transportOf(d);
  if (packet && d.fragmentFrames?.length) packet.fragmentFrames = d.fragmentFrames;
  return packet;
}

function transportOf(d: Datagram): Packet | null {
  if (d.protocol === 17) {
    if (d.data.length < 8) return null;
    const udpLen = u16(d.data, 4);
    // udpLen 0 is legal for IPv6 jumbograms; otherwise it bounds the payload like IP's length.
    const end = udpLen >= 8 ? Math.min(udpLen, d.data.length) : d.data.length;
    return {
      frame: d.frame.number,
      timeUs: d.frame.timeUs,
      transport: "udp",
      src: d.src,
      srcPort: u16(d.data, 0),
      dst: d.dst,
      dstPort: u16(d.data, 2),
      payload: d.data.subarray(8, end),
    };
  }
  if (d.protocol === 6) {
    if (d.data.length < 20) return null;
    const dataOff = (u8(d.data, 12) >> 4) * 4;
    if (dataOff < 20 || dataOff > d.data.length) return null;
    const payload = d.data.subarray(dataOff);
    if (payload.length === 0) return null; // handshakes and bare ACKs
    return {
      frame: d.frame.number,
      timeUs: d.frame.timeUs,
      transport: "tcp",
      src: d.src,
      srcPort: u16(d.data, 0),
      dst: d.dst,
      dstPort: u16(d.data, 2),
      payload,
    };
  }
  return null;
}

// Big-endian reads that throw past the end like DataView's (decodeFrames counts such frames as
// damaged) without allocating a DataView per layer of every frame.
function u8(b: Uint8Array, i: number): number {
  if (i >= b.length) throw new RangeError("read past the end of the frame");
  return b[i] as number;
}

function u16(b: Uint8Array, i: number): number {
  if (i + 1 >= b.length) throw new RangeError("read past the end of the frame");
  return ((b[i] as number) << 8) | (b[i + 1] as number);
}

function u32(b: Uint8Array, i: number): number {
  if (i + 3 >= b.length) throw new RangeError("read past the end of the frame");
  return (
    (((b[i] as number) << 24) |
      ((b[i + 1] as number) << 16) |
      ((b[i + 2] as number) << 8) |
      (b[i + 3] as number)) >>>
    0
  );
}

function u32le(b: Uint8Array, i: number): number {
  if (i + 3 >= b.length) throw new RangeError("read past the end of the frame");
  return (
    (((b[i + 3] as number) << 24) |
      ((b[i + 2] as number) << 16) |
      ((b[i + 1] as number) << 8) |
      (b[i] as number)) >>>
    0
  );
}

// A capture holds few distinct addresses and millions of packets: one string per address.
const IPV4_CACHE_MAX = 4096;
const ipv4Cache = new Map<number, string>();

function ipv4(b: Uint8Array, at: number): string {
  const n =
    (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
  let s = ipv4Cache.get(n);
  if (s === undefined) {
    s = `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
    if (ipv4Cache.size >= IPV4_CACHE_MAX) ipv4Cache.clear();
    ipv4Cache.set(n, s);
  }
  return s;
}

/** RFC 5952 text form (longest run of zero groups compressed), as PostgreSQL's inet prints it. */
export function ipv6(b: Uint8Array, at: number): string {
  const groups: number[] = [];
  const v = new DataView(b.buffer, b.byteOffset + at, 16);
  for (let i = 0; i < 8; i++) groups.push(v.getUint16(2 * i));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}
