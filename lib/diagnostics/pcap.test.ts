import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { CaptureError, LINKTYPE, readCapture } from "./pcap.ts";

const fixtures = path.join(import.meta.dirname, "../../tests/fixtures/diagnostics");
const load = (name: string) => new Uint8Array(readFileSync(path.join(fixtures, name)));
const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString("hex") : "missing");

// Frame counts and encapsulations as `capinfos -c -E` reports them for the fixtures.
describe("readCapture on real captures", () => {
  test.each([
    ["sipp-echo.pcap", "pcap", 498, LINKTYPE.ETHERNET],
    ["gst-rtcp-loss.pcapng", "pcapng", 602, LINKTYPE.ETHERNET],
    ["gst-rtcp-loss-sll2.pcap", "pcap", 602, LINKTYPE.LINUX_SLL2],
  ])("%s: %s, %i frames", (name, format, count, linkType) => {
    const cap = readCapture(load(name));
    expect(cap.format).toBe(format);
    expect(cap.frames).toHaveLength(count);
    expect(cap.frames.every((f) => f.linkType === linkType)).toBe(true);
    expect(cap.packets).toHaveLength(count); // all UDP over IPv4
    expect(cap.warnings).toEqual([]);
  });

  test("µs pcap, ns pcapng and ns pcap agree on the first INVITE's time (tshark frame.time_epoch)", () => {
    expect(readCapture(load("sipp-echo.pcap")).packets[0]?.timeUs).toBe(1795613645178211);
    // 1795614439.058154184 in the ns captures, truncated to µs.
    expect(readCapture(load("gst-rtcp-loss.pcapng")).packets[0]?.timeUs).toBe(1795614439058154);
    expect(readCapture(load("gst-rtcp-loss-sll2.pcap")).packets[0]?.timeUs).toBe(1795614439058154);
  });

  test("Ethernet and Linux cooked v2 captures of the same call decode to the same payloads", () => {
    const a = readCapture(load("gst-rtcp-loss.pcapng")).packets;
    const b = readCapture(load("gst-rtcp-loss-sll2.pcap")).packets;
    expect(b.map((p) => [p.srcPort, p.dstPort, Buffer.from(p.payload).toString("hex")])).toEqual(
      a.map((p) => [p.srcPort, p.dstPort, Buffer.from(p.payload).toString("hex")]),
    );
  });
});

/** Rewrites a little-endian µs pcap as big-endian, record by record. */
function toBigEndian(le: Uint8Array): Uint8Array {
  const out = new Uint8Array(le);
  const src = new DataView(le.buffer, le.byteOffset, le.byteLength);
  const dst = new DataView(out.buffer);
  const u32 = (at: number) => dst.setUint32(at, src.getUint32(at, true), false);
  const u16 = (at: number) => dst.setUint16(at, src.getUint16(at, true), false);
  u32(0);
  u16(4);
  u16(6);
  for (const at of [8, 12, 16, 20]) u32(at);
  let off = 24;
  while (off < le.length) {
    const capLen = src.getUint32(off + 8, true);
    for (const at of [0, 4, 8, 12]) u32(off + at);
    off += 16 + capLen;
  }
  return out;
}

/** A pcap (LE, µs) holding the given link-layer frames. */
function pcapOf(linkType: number, frames: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const head = new DataView(new ArrayBuffer(24));
  head.setUint32(0, 0xa1b2c3d4, true);
  head.setUint16(4, 2, true);
  head.setUint16(6, 4, true);
  head.setUint32(16, 65535, true);
  head.setUint32(20, linkType, true);
  parts.push(new Uint8Array(head.buffer));
  frames.forEach((f, i) => {
    const rec = new DataView(new ArrayBuffer(16));
    rec.setUint32(0, 1_700_000_000 + i, true);
    rec.setUint32(8, f.length, true);
    rec.setUint32(12, f.length, true);
    parts.push(new Uint8Array(rec.buffer), f);
  });
  return Buffer.concat(parts);
}

describe("link and network layers", () => {
  const real = readCapture(load("sipp-echo.pcap"));
  const invite = real.frames[0]?.data ?? new Uint8Array(); // Ethernet + IPv4 + UDP + SIP INVITE
  const ipPacket = invite.subarray(14);

  test("big-endian pcap reads the same as little-endian", () => {
    const be = readCapture(toBigEndian(load("sipp-echo.pcap")));
    expect(be.packets.map((p) => p.timeUs)).toEqual(real.packets.map((p) => p.timeUs));
    expect(hex(be.packets[0]?.payload)).toBe(hex(real.packets[0]?.payload));
  });

  test("802.1Q (and QinQ) tags, raw IP, NULL/loopback and Linux cooked v1", () => {
    const vlan = Buffer.concat([invite.subarray(0, 12), Buffer.from([0x81, 0, 0, 42]), invite.subarray(12)]);
    const qinq = Buffer.concat([
      invite.subarray(0, 12),
      Buffer.from([0x88, 0xa8, 0, 1, 0x81, 0, 0, 42]),
      invite.subarray(12),
    ]);
    const sll = Buffer.concat([Buffer.alloc(14), Buffer.from([0x08, 0x00]), ipPacket]);
    const nullLe = Buffer.concat([Buffer.from([2, 0, 0, 0]), ipPacket]);
    const nullBe = Buffer.concat([Buffer.from([0, 0, 0, 2]), ipPacket]);
    for (const [linkType, frame] of [
      [LINKTYPE.ETHERNET, vlan],
      [LINKTYPE.ETHERNET, qinq],
      [LINKTYPE.RAW, ipPacket],
      [LINKTYPE.IPV4, ipPacket],
      [LINKTYPE.LINUX_SLL, sll],
      [LINKTYPE.NULL, nullLe],
      [LINKTYPE.NULL, nullBe],
      [LINKTYPE.LOOP, nullBe],
    ] as const) {
      const cap = readCapture(pcapOf(linkType, [frame]));
      expect(cap.packets, `link type ${linkType}`).toHaveLength(1);
      expect(hex(cap.packets[0]?.payload)).toBe(hex(real.packets[0]?.payload));
    }
  });

  test("IPv4 fragments are reassembled, in any order, at the last fragment's frame", () => {
    const header = ipPacket.subarray(0, 20);
    const body = ipPacket.subarray(20); // UDP header + INVITE
    const cut = 256; // a multiple of 8, as fragment offsets must be
    const frag = (offset: number, data: Uint8Array, more: boolean) => {
      const h = Buffer.from(header);
      h.writeUInt16BE(20 + data.length, 2);
      h.writeUInt16BE(0x1234, 4);
      h.writeUInt16BE((more ? 0x2000 : 0) | (offset / 8), 6);
      return Buffer.concat([invite.subarray(0, 14), h, data]);
    };
    const frames = [frag(cut, body.subarray(cut), false), frag(0, body.subarray(0, cut), true)];
    const cap = readCapture(pcapOf(LINKTYPE.ETHERNET, frames));
    expect(cap.packets).toHaveLength(1);
    expect(cap.packets[0]?.frame).toBe(2);
    expect(hex(cap.packets[0]?.payload)).toBe(hex(real.packets[0]?.payload));

    const missing = readCapture(pcapOf(LINKTYPE.ETHERNET, frames.slice(0, 1)));
    expect(missing.packets).toHaveLength(0);
    expect(missing.warnings.join()).toMatch(/missing fragments/);
  });

  test("IPv6 with a destination-options header and with fragments", () => {
    const udp = ipPacket.subarray(20);
    const v6 = (next: number, payload: Uint8Array) => {
      const h = Buffer.alloc(40);
      h[0] = 0x60;
      h.writeUInt16BE(payload.length, 4);
      h[6] = next;
      h[7] = 64;
      h[23] = 1; // ::1
      Buffer.from("20010db8000000000000000000000001", "hex").copy(h, 24);
      return Buffer.concat([h, payload]);
    };
    const destOpts = Buffer.from([17, 0, 1, 4, 0, 0, 0, 0]);
    const plain = readCapture(pcapOf(LINKTYPE.IPV6, [v6(60, Buffer.concat([destOpts, udp]))]));
    expect(plain.packets[0]).toMatchObject({
      src: "::1",
      dst: "2001:db8::1",
      transport: "udp",
      dstPort: 5060,
    });

    const fragHeader = (offset: number, more: boolean) => {
      const h = Buffer.alloc(8);
      h[0] = 17;
      h.writeUInt16BE(offset | (more ? 1 : 0), 2);
      h.writeUInt32BE(77, 4);
      return h;
    };
    const cap = readCapture(
      pcapOf(LINKTYPE.IPV6, [
        v6(44, Buffer.concat([fragHeader(0, true), udp.subarray(0, 200)])),
        v6(44, Buffer.concat([fragHeader(200, false), udp.subarray(200)])),
      ]),
    );
    expect(cap.packets).toHaveLength(1);
    expect(hex(cap.packets[0]?.payload)).toBe(hex(real.packets[0]?.payload));
  });
});

describe("bad input never crashes", () => {
  test("not a capture, or a header cut short, is a CaptureError", () => {
    expect(() => readCapture(new Uint8Array([1, 2]))).toThrow(CaptureError);
    expect(() => readCapture(Buffer.from("GET / HTTP/1.1\r\n\r\n"))).toThrow(/unknown magic/);
    expect(() => readCapture(load("sipp-echo.pcap").subarray(0, 10))).toThrow(CaptureError);
  });

  test("a truncated file gives the frames before the cut and a warning", () => {
    for (const name of ["sipp-echo.pcap", "gst-rtcp-loss.pcapng"]) {
      const whole = load(name);
      const cap = readCapture(whole.subarray(0, Math.floor(whole.length / 2) + 3));
      expect(cap.frames.length).toBeGreaterThan(100);
      expect(cap.warnings.join()).toMatch(/truncated/i);
    }
  });

  test("fuzz: every cut point and thousands of mutated bytes give a result or a CaptureError", () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (const name of ["sipp-echo.pcap", "gst-rtcp-loss.pcapng", "gst-rtcp-loss-sll2.pcap"]) {
      const whole = load(name).subarray(0, 6000);
      const attempts: Uint8Array[] = [];
      for (let cut = 0; cut < whole.length; cut += 37) attempts.push(whole.subarray(0, cut));
      for (let i = 0; i < 1500; i++) {
        const m = new Uint8Array(whole);
        const n = 1 + Math.floor(rand() * 8);
        for (let k = 0; k < n; k++) m[Math.floor(rand() * m.length)] = Math.floor(rand() * 256);
        attempts.push(m);
      }
      for (const bytes of attempts) {
        try {
          const cap = readCapture(bytes);
          expect(Array.isArray(cap.packets)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(CaptureError);
        }
      }
    }
  });
});
