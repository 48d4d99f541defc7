import { describe, expect, test } from "vitest";
import { loadFixture, readRtpStreams } from "../../tests/helpers/tshark.ts";
import { readCapture } from "./pcap.ts";
import { analyzeRtp, parseRtpHeader } from "./rtp.ts";
import { buildLadder } from "./sip.ts";

// tshark -q -z rtp,streams, stored beside each capture: packets and loss exact, jitter ±0.1 ms.
describe.each([
  ["sipp-echo.pcap", "sipp-echo.rtp-streams.txt"],
  ["gst-rtcp-loss.pcapng", "gst-rtcp-loss.rtp-streams.txt"],
  ["gst-rtcp-loss-sll2.pcap", "gst-rtcp-loss-sll2.rtp-streams.txt"],
])("RTP streams of %s match tshark", (capture, expected) => {
  const packets = readCapture(loadFixture(capture)).packets;
  const { streams } = analyzeRtp(packets, buildLadder(packets));
  const tshark = readRtpStreams(expected);

  test("same streams (5-tuple + SSRC), packets and lost", () => {
    const key = (s: { src: string; srcPort: number; dst: string; dstPort: number; ssrc: number }) =>
      `${s.src}:${s.srcPort}>${s.dst}:${s.dstPort}#${s.ssrc}`;
    const ours = streams
      .map((s) => ({ key: key(s), packets: s.packets, lost: s.lost }))
      .sort((a, b) => a.key.localeCompare(b.key));
    const theirs = tshark
      .map((s) => ({ key: key(s), packets: s.packets, lost: s.lost }))
      .sort((a, b) => a.key.localeCompare(b.key));
    expect(theirs.length).toBeGreaterThan(0);
    expect(ours).toEqual(theirs);
  });

  test("mean and max jitter within 0.1 ms (null where tshark has no clock: telephone-event)", () => {
    for (const t of tshark) {
      const s = streams.find((x) => x.ssrc === t.ssrc && x.srcPort === t.srcPort && x.dstPort === t.dstPort);
      if (/telephone-event|RTPType-101/.test(t.payload)) {
        expect(s?.meanJitterMs).toBeNull();
        continue;
      }
      expect(Math.abs((s?.meanJitterMs ?? Number.NaN) - t.meanJitterMs)).toBeLessThanOrEqual(0.1);
      expect(Math.abs((s?.maxJitterMs ?? Number.NaN) - t.maxJitterMs)).toBeLessThanOrEqual(0.1);
    }
  });
});

describe("streams and calls", () => {
  test("streams are matched to the call through the SDP, including media after the BYE", () => {
    const packets = readCapture(loadFixture("gst-rtcp-loss.pcapng")).packets;
    const ladder = buildLadder(packets);
    const { streams, rtcp } = analyzeRtp(packets, ladder);
    const bye = ladder.messages.find((m) => m.method === "BYE");
    expect(streams).toHaveLength(2);
    for (const s of streams) {
      expect(s).toMatchObject({ callId: "1-32176@127.0.0.1", codec: "PCMU", clockRate: 8000 });
      expect(s.lastUs).toBeGreaterThan(bye?.timeUs ?? Number.POSITIVE_INFINITY);
      expect(s.expected).toBe(s.packets + 5);
    }
    expect(rtcp.map((p) => p.frame)).toEqual([153, 156, 601, 602]);
  });

  test("an echo sends both directions with one SSRC: two streams, not one", () => {
    const packets = readCapture(loadFixture("sipp-echo.pcap")).packets;
    const { streams } = analyzeRtp(packets, buildLadder(packets));
    const audio = streams.filter((s) => s.codec === "PCMA");
    expect(audio).toHaveLength(2);
    expect(audio[0]?.ssrc).toBe(audio[1]?.ssrc);
  });

  test("sequence numbers wrapping past 65535 keep counting", () => {
    const rtp = (seq: number, ts: number) => {
      const b = Buffer.alloc(172);
      b[0] = 0x80;
      b.writeUInt16BE(seq & 0xffff, 2);
      b.writeUInt32BE(ts >>> 0, 4);
      b.writeUInt32BE(7, 8);
      return b;
    };
    const seqs = [65533, 65534, 65535, 0, 2, 3]; // seq 1 lost across the wrap
    const packets = seqs.map((seq, i) => ({
      frame: i + 1,
      timeUs: 1_000_000 + i * 20_000,
      transport: "udp" as const,
      src: "10.0.0.1",
      srcPort: 4000,
      dst: "10.0.0.2",
      dstPort: 5000,
      payload: rtp(seq, 4294967000 + i * 160),
    }));
    const { streams } = analyzeRtp(packets, buildLadder([]));
    expect(streams[0]).toMatchObject({ packets: 6, expected: 7, lost: 1, extHighestSeq: 65536 + 3 });
    expect(streams[0]?.maxJitterMs).toBe(0); // perfectly paced, timestamps wrapping included
  });

  test("parseRtpHeader: CSRCs, extension, padding; RTCP-range payload types are not RTP", () => {
    const b = Buffer.alloc(12 + 4 + 8 + 10 + 3);
    b[0] = 0x80 | 0x20 | 0x10 | 1; // padding, extension, 1 CSRC
    b[1] = 0x80 | 8;
    b.writeUInt16BE(1, 12 + 4 + 2); // extension of one word
    b[b.length - 1] = 3;
    expect(parseRtpHeader(b)).toMatchObject({ marker: true, payloadType: 8, payloadLength: 10 });
    const rtcpLike = Buffer.alloc(12);
    rtcpLike[0] = 0x80;
    rtcpLike[1] = 200;
    expect(parseRtpHeader(rtcpLike)).toBeNull();
  });
});
