import { describe, expect, test } from "vitest";
import { craftedCapture } from "../../scripts/fixtures/diagnostics/crafted.ts";
import { loadFixture } from "../../tests/helpers/tshark.ts";
import {
  analyzeCapture,
  MAX_RTCP_PACKETS,
  MOS_MODEL,
  rtcpQos,
  SOURCE_LABELS,
  type Stat,
  stat,
} from "./analyze.ts";
import { parseCaptureBytes } from "./parsed.ts";
import { CaptureError } from "./pcap.ts";
import { MAX_STREAMS } from "./rtp.ts";
import { MAX_SIP_MESSAGES } from "./sip.ts";

describe("analyzeCapture", () => {
  const d = analyzeCapture(loadFixture("gst-rtcp-loss.pcapng"));

  test("the Flow holds SIP and RTCP in capture order, RTCP on its real ports", () => {
    expect(d.flow.map((e) => [e.frame, e.kind === "sip" ? e.label : e.label])).toEqual([
      [1, "INVITE"],
      [2, "INVITE"],
      [3, "100 (Trying)"],
      [4, "180 (Ringing)"],
      [5, "200 (OK)"],
      [6, "ACK"],
      [153, "RTCP SR + SDES"],
      [156, "RTCP SR + SDES"],
      [547, "BYE"],
      [548, "200 (OK)"],
      [601, "RTCP SR + SDES + BYE"],
      [602, "RTCP SR + SDES + BYE"],
    ]);
    const rtcp = d.flow.find((e) => e.frame === 156);
    expect(rtcp && [rtcp.srcPort, rtcp.dstPort, rtcp.callId]).toEqual([35009, 40001, "1-32176@127.0.0.1"]);
    expect(d.endpoints).toEqual([
      "127.0.0.1:5061",
      "127.0.0.1:5060",
      "127.0.0.1:34485",
      "127.0.0.1:40003",
      "127.0.0.1:35009",
      "127.0.0.1:40001",
    ]);
  });

  test("RTCP rows: units converted with the stream's clock, RTT null without an LSR", () => {
    const blocks = d.rtcpReports.filter((r) => r.sourceSsrc !== null);
    expect(blocks).toHaveLength(2);
    const [first, second] = blocks;
    expect(first).toMatchObject({ frame: 153, jitterUnits: 65, jitterMs: 8.125, lsr: 0, rttMs: null });
    expect(first?.fractionLost).toBe(3 / 256);
    expect(second).toMatchObject({
      frame: 156,
      jitterUnits: 55,
      jitterMs: 6.875,
      cumulativeLost: 1,
      lsr: 1701419800,
    });
    expect(second?.dlsrMs).toBeCloseTo(58.99, 2);
    // Arrival (frame 156 at …41.665612 s) − SR sent (…41.605847 s, its NTP time) − DLSR (58.99 ms).
    expect(second?.rttMs).toBeCloseTo(59.765 - 58.99, 1);
    expect(second?.mos).toBeGreaterThan(4);
    expect(second?.mos).toBeLessThanOrEqual(4.5);
  });

  test("QoS per stream and direction: two labelled sources, min ≤ avg ≤ max over one population", () => {
    expect(d.streams).toHaveLength(2);
    for (const q of d.streams) {
      expect(q.mosModel).toBe(MOS_MODEL);
      expect(q.capture.label).toBe(SOURCE_LABELS.capture);
      expect(q.capture).toMatchObject({ packets: 295, lost: 5, expected: 300 });
      expect(q.rtcp.state).toBe("reported");
      if (q.rtcp.state !== "reported") continue;
      expect(q.rtcp.label).toBe(SOURCE_LABELS.rtcp);
      for (const s of [
        q.rtcp.packets,
        q.rtcp.octets,
        q.rtcp.jitterMs,
        q.rtcp.fractionLost,
        q.rtcp.mos,
      ] as Stat[]) {
        if (!s) continue;
        expect(s.min).toBeLessThanOrEqual(s.avg);
        expect(s.avg).toBeLessThanOrEqual(s.max);
      }
      // The SRs count what the sender sent (before its 3 % drop): 76/77 early, 300 at its BYE.
      expect(q.rtcp.senderReports).toBe(2);
      expect(q.rtcp.packets?.max).toBe(300);
    }
    const toUac = d.streams.find((q) => q.stream.dstPort === 40002);
    expect(toUac?.direction).toBe("127.0.0.1:50429 → 127.0.0.1:40002");
    if (toUac?.rtcp.state !== "reported") throw new Error("expected RTCP");
    expect(toUac.rtcp.receiverReports).toBe(1);
    expect(toUac.rtcp.jitterMs).toEqual({ min: 6.875, avg: 6.875, max: 6.875, count: 1 });
    expect(toUac.rtcp.rttMs?.count).toBe(1);
    // tshark's rtcp.ssrc.lsr of frame 156: the middle 32 bits of the NTP time of frame 153's SR.
    expect(toUac.rtcp.lsr).toEqual({ min: 1701419800, avg: 1701419800, max: 1701419800, count: 1 });
  });

  test('"No RTCP received" is a state of its own; the capture figures are still there', () => {
    const echo = analyzeCapture(loadFixture("sipp-echo.pcap"));
    expect(echo.rtcpReports).toEqual([]);
    for (const q of echo.streams) {
      expect(q.rtcp).toEqual({ state: "no-rtcp", label: SOURCE_LABELS.rtcp });
      expect(q.capture.packets).toBeGreaterThan(0);
    }
    const audio = echo.streams.find((q) => q.stream.codec === "PCMA");
    expect(audio?.capture.mos).toBe(4.41); // G.711, no loss; no delay term from a capture
    const dtmf = echo.streams.find((q) => q.stream.lost < 0);
    expect(dtmf?.capture.meanJitterMs).toBeNull(); // not measured, not 0
    expect(echo.calls[0]).toMatchObject({ callSetupMs: 1.32, postDialDelayMs: 0.143 });
  });

  test("stat(): null for no values, not 0", () => {
    expect(stat([])).toBeNull();
    expect(stat([null, null])).toBeNull();
    expect(stat([2, null, 4])).toEqual({ min: 2, avg: 3, max: 4, count: 2 });
  });

  test("unreadable input is a CaptureError", () => {
    expect(() => analyzeCapture(Buffer.from("not a capture at all"))).toThrow(CaptureError);
  });
});

describe("crafted captures are read in bounded work", () => {
  test("past the caps, SIP, streams and RTCP are counted with a warning instead of parsed", () => {
    const d = parseCaptureBytes(craftedCapture(3 * 1024 * 1024));
    expect(d.sip.length).toBe(MAX_SIP_MESSAGES);
    expect(d.streams.length).toBe(MAX_STREAMS);
    expect(d.rtcpReports.length).toBeLessThanOrEqual(MAX_RTCP_PACKETS + 31);
    expect(d.warnings.join("\n")).toMatch(/More than 5,000 SIP messages/);
    expect(d.warnings.join("\n")).toMatch(/More than 1,000 RTP streams/);
    expect(d.warnings.join("\n")).toMatch(/left with missing fragments/);
  });
});

describe("a negative round-trip time", () => {
  test("is kept as measured and flagged as clock skew, never shown as 0", () => {
    const block = {
      frame: 1,
      timeUs: 0,
      src: "127.0.0.1",
      srcPort: 40001,
      packetType: 201,
      reporterSsrc: 1,
      sourceSsrc: 2,
      senderPackets: null,
      senderOctets: null,
      highestSeq: 100,
      jitterMs: 1,
      fractionLost: 0,
      cumulativeLost: 0,
      lsr: 123,
      rttMs: -12.5,
      mos: 4.4,
    };
    const q = rtcpQos([], [block, { ...block, frame: 2, rttMs: 30 }]);
    if (q.state !== "reported") throw new Error("expected reports");
    expect(q.rttMs).toMatchObject({ min: -12.5, max: 30, count: 2 });
    expect(q.clockSkew).toBe(true);
    const fine = rtcpQos([], [{ ...block, rttMs: 30 }]);
    expect(fine.state === "reported" && fine.clockSkew).toBe(false);
  });
});
