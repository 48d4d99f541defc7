import { describe, expect, test } from "vitest";
import { epochToUs, loadFixture, readTsv } from "../../tests/helpers/tshark.ts";
import { readCapture } from "./pcap.ts";
import {
  dlsrToMs,
  fractionLost,
  jitterUnitsToMs,
  looksLikeRtcp,
  ntpMiddle32,
  parseRtcp,
  roundTripMs,
  signed24,
} from "./rtcp.ts";

describe("RTCP conversions", () => {
  test("jitter: RTP timestamp units → ms with the codec clock; null without one", () => {
    expect(jitterUnitsToMs(80, 8000)).toBe(10);
    expect(jitterUnitsToMs(480, 48000)).toBe(10);
    expect(jitterUnitsToMs(65, 8000)).toBe(8.125);
    expect(jitterUnitsToMs(80, null)).toBeNull();
  });

  test("cumulative loss is signed 24-bit", () => {
    expect(signed24(0)).toBe(0);
    expect(signed24(5)).toBe(5);
    expect(signed24(0x7fffff)).toBe(8388607);
    expect(signed24(0xffffff)).toBe(-1); // one duplicate more than lost
    expect(signed24(0xfffffe)).toBe(-2);
    expect(signed24(0x800000)).toBe(-8388608);
  });

  test("fraction lost is /256", () => {
    expect(fractionLost(0)).toBe(0);
    expect(fractionLost(64)).toBe(0.25);
    expect(fractionLost(255)).toBeCloseTo(0.996, 3);
    expect(fractionLost(3)).toBeCloseTo(0.0117, 4);
  });

  test("DLSR is in 1/65536 s: /65.536 gives ms", () => {
    expect(dlsrToMs(65536)).toBe(1000);
    expect(dlsrToMs(3866)).toBeCloseTo(58.99, 2);
  });

  test("RTT = arrival − LSR − DLSR; null when LSR is 0; signed (clock skew); modulo 2^32", () => {
    expect(roundTripMs(0x00010000 + 6554, 0x00010000, 0)).toBeCloseTo(100, 0);
    expect(roundTripMs(0x00020000, 0x00010000, 32768)).toBe(500); // 1 s − 0.5 s
    expect(roundTripMs(123456, 0, 0)).toBeNull();
    expect(roundTripMs(0x00010000, 0x00010000, 6554)).toBeCloseTo(-100, 0); // arrival before LSR + DLSR: skew, kept
    expect(roundTripMs(0x00000100, 0xffffff00, 0)).toBeCloseTo(512 / 65.536, 6); // across the wrap
  });

  test("the NTP middle 32 bits of a capture time match tshark's decoding of an SR", () => {
    // Frame 153 of gst-rtcp-loss: NTP MSW 0xeeb16569, LSW 0x9b18c9fb = 2026-11-25 13:47:21.605846999 UTC;
    // frame 156 echoes its middle 32 bits as LSR 1701419800 (0x65699b18).
    const us = Date.UTC(2026, 10, 25, 13, 47, 21) * 1000 + 605847;
    expect(ntpMiddle32(us)).toBe(1701419800);
  });
});

describe("parseRtcp", () => {
  test("every RTCP packet of the capture parses as tshark decoded it", () => {
    const cap = readCapture(loadFixture("gst-rtcp-loss.pcapng"));
    for (const row of readTsv("gst-rtcp-loss.rtcp.tsv")) {
      const p = cap.packets.find((x) => x.frame === Number(row["frame.number"]));
      expect(p?.timeUs).toBe(epochToUs(row["frame.time_epoch"] ?? ""));
      expect(looksLikeRtcp(p?.payload ?? new Uint8Array())).toBe(true);
      const { packets, error } = parseRtcp(p?.payload ?? new Uint8Array());
      expect(error).toBeNull();
      expect(packets.map((x) => x.packetType).join(",")).toBe(row["rtcp.pt"]);
      const sr = packets[0];
      expect(sr?.ssrc).toBe(Number.parseInt(row["rtcp.senderssrc"] ?? "", 16));
      expect(sr?.sender?.packetCount).toBe(Number(row["rtcp.sender.packetcount"]));
      expect(sr?.sender?.octetCount).toBe(Number(row["rtcp.sender.octetcount"]));
      const block = sr?.reports[0];
      if (!row["rtcp.ssrc.fraction"]) {
        expect(block).toBeUndefined();
        continue;
      }
      expect(block).toMatchObject({
        fractionLostRaw: Number(row["rtcp.ssrc.fraction"]),
        cumulativeLost: Number(row["rtcp.ssrc.cum_nr"]),
        extHighestSeq: Number(row["rtcp.ssrc.ext_high"]),
        jitterUnits: Number(row["rtcp.ssrc.jitter"]),
        lsr: Number(row["rtcp.ssrc.lsr"]),
        dlsr: Number(row["rtcp.ssrc.dlsr"]),
      });
    }
  });

  test("a negative cumulative loss on the wire comes back negative; truncation keeps what came before", () => {
    const rr = Buffer.alloc(32);
    rr[0] = 0x81; // V=2, one block
    rr[1] = 201;
    rr.writeUInt16BE(7, 2);
    rr.writeUInt32BE(0x11, 4);
    rr.writeUInt32BE(0x22, 8);
    rr.writeUInt32BE((10 << 24) | 0xfffffd, 12); // fraction 10/256, cumulative −3
    const { packets, error } = parseRtcp(rr);
    expect(error).toBeNull();
    expect(packets[0]?.reports[0]).toMatchObject({ ssrc: 0x22, fractionLostRaw: 10, cumulativeLost: -3 });

    const compound = Buffer.concat([rr, rr.subarray(0, 20)]);
    const partial = parseRtcp(compound);
    expect(partial.packets).toHaveLength(1);
    expect(partial.error).toMatch(/truncated/);
  });
});
