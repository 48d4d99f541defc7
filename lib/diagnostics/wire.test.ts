import { describe, expect, test } from "vitest";
import { epochToUs, loadFixture, readRtpStreams, readTsv } from "../../tests/helpers/tshark.ts";
import { analyzeCapture } from "./analyze.ts";
import { parseCaptureBytes } from "./parsed.ts";
import { ntpMiddle32 } from "./rtcp.ts";

// Captures made with real tools (scripts/fixtures/diagnostics/*.sh) compared field by field with
// what tshark reads from them (stored beside each capture by expected.sh).

const key = (s: { src: string; srcPort: number; dst: string; dstPort: number; ssrc: number }) =>
  `${s.src}:${s.srcPort}>${s.dst}:${s.dstPort}#${s.ssrc}`;

/** Per call, INVITE → first 2xx and → first 18x from tshark's SIP fields. */
function tsharkTimings(sipTsv: string) {
  const rows = readTsv(sipTsv);
  const calls = new Map<string, { invite: number; setup: number | null; pdd: number | null }>();
  for (const r of rows) {
    const callId = r["sip.Call-ID"] ?? "";
    const us = epochToUs(r["frame.time_epoch"] ?? "");
    const status = Number(r["sip.Status-Code"] || 0);
    const cseq = r["sip.CSeq"] ?? "";
    if (r["sip.Method"] === "INVITE" && !calls.has(callId))
      calls.set(callId, { invite: us, setup: null, pdd: null });
    const c = calls.get(callId);
    if (!c || !/INVITE$/.test(cseq)) continue;
    if (status >= 200 && status < 300 && c.setup === null) c.setup = (us - c.invite) / 1000;
    if (status >= 180 && status < 190 && c.pdd === null) c.pdd = (us - c.invite) / 1000;
  }
  return [...calls].map(([callId, c]) => ({ callId, callSetupMs: c.setup, postDialDelayMs: c.pdd }));
}

describe("SIPp, 3 calls one after another reusing the callee's RTP port and SSRC (sipp-multicall.pcap)", () => {
  const d = parseCaptureBytes(loadFixture("sipp-multicall.pcap"));

  test("the SIP sequence is tshark's: frames, methods/statuses, Call-IDs", () => {
    const theirs = readTsv("sipp-multicall.sip.tsv");
    expect(d.sip.map((m) => [m.frame, m.method ?? String(m.statusCode), m.callId])).toEqual(
      theirs.map((r) => [
        Number(r["frame.number"]),
        r["sip.Method"] || r["sip.Status-Code"],
        r["sip.Call-ID"],
      ]),
    );
  });

  test("every stream is attributed to the dialog tshark's SDP tracking gives it (rtp.setup-frame)", () => {
    const callOfFrame = new Map(
      readTsv("sipp-multicall.sip.tsv").map((r) => [r["frame.number"], r["sip.Call-ID"]]),
    );
    const theirs = new Map<string, { callId: string | undefined; packets: number }>();
    for (const r of readTsv("sipp-multicall.rtp.tsv")) {
      const k = `${key({
        src: r["ip.src"] ?? "",
        srcPort: Number(r["udp.srcport"]),
        dst: r["ip.dst"] ?? "",
        dstPort: Number(r["udp.dstport"]),
        ssrc: Number.parseInt(r["rtp.ssrc"] ?? "", 16),
      })}@${callOfFrame.get(r["rtp.setup-frame"])}`;
      const t = theirs.get(k) ?? { callId: callOfFrame.get(r["rtp.setup-frame"]), packets: 0 };
      t.packets++;
      theirs.set(k, t);
    }
    const ours = new Map(
      d.streams.map(({ stream: s }) => [`${key(s)}@${s.callId}`, { callId: s.callId, packets: s.packets }]),
    );
    expect(theirs.size).toBe(12);
    expect(new Set([...theirs.values()].map((t) => t.callId)).size).toBe(3);
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(theirs));
  });

  test("per-stream packets, loss and jitter are tshark's", () => {
    for (const t of readRtpStreams("sipp-multicall.rtp-streams.txt")) {
      const s = d.streams.find(({ stream }) => key(stream) === key(t))?.stream;
      expect(s, key(t)).toBeDefined();
      expect([s?.packets, s?.lost]).toEqual([t.packets, t.lost]);
      if (/telephone-event|RTPType-101/.test(t.payload)) continue;
      expect(Math.abs((s?.meanJitterMs ?? Number.NaN) - t.meanJitterMs)).toBeLessThanOrEqual(0.1);
      expect(Math.abs((s?.maxJitterMs ?? Number.NaN) - t.maxJitterMs)).toBeLessThanOrEqual(0.1);
    }
  });

  test("setup time and post-dial delay for every call, not only the first", () => {
    const theirs = tsharkTimings("sipp-multicall.sip.tsv");
    expect(theirs).toHaveLength(3);
    expect(d.calls.map((c) => [c.callId, c.callSetupMs, c.postDialDelayMs])).toEqual(
      theirs.map((c) => [c.callId, c.callSetupMs, c.postDialDelayMs]),
    );
  });
});

describe("GStreamer call whose caller sends RTCP from another address than its RTP (gst-rtcp-elsewhere.pcapng)", () => {
  const bytes = loadFixture("gst-rtcp-elsewhere.pcapng");
  const d = parseCaptureBytes(bytes);
  const full = analyzeCapture(bytes);
  const rtcpTsv = readTsv("gst-rtcp-elsewhere.rtcp.tsv");
  const names: Record<string, string> = { 200: "SR", 201: "RR", 202: "SDES", 203: "BYE", 204: "APP" };

  test("every RTCP packet is in the Flow with its compound label (SR + SDES, APP (PING), … + BYE)", () => {
    expect(d.rtcpPackets.map((p) => [p.frame, `${p.src}:${p.srcPort}`, p.label])).toEqual(
      rtcpTsv.map((r) => [
        Number(r["frame.number"]),
        `${r["ip.src"]}:${r["udp.srcport"]}`,
        `RTCP ${(r["rtcp.pt"] ?? "")
          .split("|")
          .map((pt) => `${names[pt]}${pt === "204" ? ` (${r["rtcp.app.name"]})` : ""}`)
          .join(" + ")}`,
      ]),
    );
    expect(d.rtcpPackets.map((p) => p.label)).toContain("RTCP APP (PING)");
  });

  test("every report block and sender report field is tshark's", () => {
    for (const r of rtcpTsv) {
      const frame = Number(r["frame.number"]);
      const ours = d.rtcpReports.filter((x) => x.frame === frame);
      if (!r["rtcp.senderssrc"]) {
        expect(ours).toEqual([]); // APP: no report
        continue;
      }
      expect(ours.length).toBeGreaterThan(0);
      for (const o of ours) {
        expect(o.reporterSsrc).toBe(Number.parseInt(r["rtcp.senderssrc"] ?? "", 16));
        expect(o.senderPackets).toBe(Number(r["rtcp.sender.packetcount"]));
        expect(o.senderOctets).toBe(Number(r["rtcp.sender.octetcount"]));
      }
      const blocks = ours.filter((o) => o.sourceSsrc !== null);
      if (!r["rtcp.ssrc.fraction"]) {
        expect(blocks).toEqual([]);
        continue;
      }
      expect(blocks).toHaveLength(1);
      const b = blocks[0];
      expect([
        b?.sourceSsrc,
        b?.fractionLost,
        b?.cumulativeLost,
        b?.highestSeq,
        b?.jitterUnits,
        b?.lsr,
        b?.dlsr,
      ]).toEqual([
        Number.parseInt((r["rtcp.ssrc.identifier"] ?? "").split("|")[0] ?? "", 16),
        Number(r["rtcp.ssrc.fraction"]) / 256,
        Number(r["rtcp.ssrc.cum_nr"]),
        Number(r["rtcp.ssrc.ext_high"]),
        Number(r["rtcp.ssrc.jitter"]),
        Number(r["rtcp.ssrc.lsr"]),
        Number(r["rtcp.ssrc.dlsr"]),
      ]);
      // RTT from tshark's own fields: arrival − LSR − DLSR (signed).
      if (Number(r["rtcp.ssrc.lsr"])) {
        const arrival = ntpMiddle32(epochToUs(r["frame.time_epoch"] ?? ""));
        const diff = (arrival - Number(r["rtcp.ssrc.lsr"]) - Number(r["rtcp.ssrc.dlsr"])) | 0;
        expect(b?.rttMs).toBeCloseTo(diff / 65.536, 6);
      }
    }
  });

  test("the caller's reports, sent from 127.0.0.5, are matched by SSRC to the stream it receives", () => {
    const toCaller = full.streams.find((q) => q.stream.dstPort === 55422);
    if (toCaller?.rtcp.state !== "reported") throw new Error("expected RTCP for the stream to the caller");
    const fromCaller = rtcpTsv.find((r) => r["ip.src"] === "127.0.0.5" && r["rtcp.ssrc.fraction"]);
    expect(toCaller.rtcp.receiverReports).toBe(1);
    expect(toCaller.rtcp.jitterMs?.max).toBe(Number(fromCaller?.["rtcp.ssrc.jitter"]) / 8);
    expect(toCaller.rtcp.lsr?.max).toBe(Number(fromCaller?.["rtcp.ssrc.lsr"]));
    expect(toCaller.rtcp.rttMs?.count).toBe(1);
    // Its SRs (from 127.0.0.5 too) count for the stream it sends.
    const fromCallerStream = full.streams.find((q) => q.stream.dstPort === 55418);
    if (fromCallerStream?.rtcp.state !== "reported") throw new Error("expected RTCP");
    expect(fromCallerStream.rtcp.senderReports).toBe(2);
    expect(fromCallerStream.rtcp.receiverReports).toBe(1);
  });

  test("per-stream figures and the SIP sequence are tshark's; setup time per call", () => {
    for (const t of readRtpStreams("gst-rtcp-elsewhere.rtp-streams.txt")) {
      const s = d.streams.find(({ stream }) => key(stream) === key(t))?.stream;
      expect([s?.packets, s?.lost, s?.callId]).toEqual([t.packets, t.lost, "1-12526@127.0.0.1"]);
      expect(Math.abs((s?.meanJitterMs ?? Number.NaN) - t.meanJitterMs)).toBeLessThanOrEqual(0.1);
      expect(Math.abs((s?.maxJitterMs ?? Number.NaN) - t.maxJitterMs)).toBeLessThanOrEqual(0.1);
    }
    const sip = readTsv("gst-rtcp-elsewhere.sip.tsv");
    expect(d.sip.map((m) => [m.frame, m.method ?? String(m.statusCode), m.isRetransmission])).toEqual(
      sip.map((r) => [
        Number(r["frame.number"]),
        r["sip.Method"] || r["sip.Status-Code"],
        r["sip.resend"] === "1",
      ]),
    );
    expect(d.calls.map((c) => [c.callId, c.callSetupMs, c.postDialDelayMs])).toEqual(
      tsharkTimings("gst-rtcp-elsewhere.sip.tsv").map((c) => [c.callId, c.callSetupMs, c.postDialDelayMs]),
    );
  });
});
