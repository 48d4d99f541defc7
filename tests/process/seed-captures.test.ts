import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { demoCapture } from "../../db/seed/captures.ts";
import { parseCaptureBytes } from "../../lib/diagnostics/parsed.ts";
import { createRng } from "../../lib/random.ts";

// The demo calls' captures are made by code: tshark (the independent reader) must see in them the
// call the demo's timeline describes, and Parley must read the same things tshark does.
const dir = mkdtempSync(path.join(os.tmpdir(), "parley-demo-capture-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tshark = (file: string, ...args: string[]) =>
  execFileSync("tshark", ["-r", file, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
const fields = (file: string, filter: string, names: string[]) =>
  tshark(file, "-Y", filter, "-T", "fields", "-E", "aggregator=|", ...names.flatMap((n) => ["-e", n]))
    .trim()
    .split("\n")
    .map((l) => l.split("\t"));

describe.each([
  [
    "inbound, 3 minutes",
    { startMs: Date.UTC(2026, 10, 20, 14, 0, 0), endMs: Date.UTC(2026, 10, 20, 14, 3, 0), inbound: true },
  ],
  [
    "outbound, 4 seconds",
    { startMs: Date.UTC(2026, 10, 21, 9, 30, 0), endMs: Date.UTC(2026, 10, 21, 9, 30, 4), inbound: false },
  ],
])("a demo call's capture (%s)", (name, timing) => {
  const call = { callId: `demo-${name.length}@sip.brightline.example`, ...timing };
  const bytes = demoCapture(call, createRng(7, 9, 1, name.length));
  const file = path.join(dir, `${name.length}.pcap`);
  writeFileSync(file, bytes);
  const d = parseCaptureBytes(bytes);

  test("tshark reads the dialog at the call's times: answered at the start, BYE at the end", () => {
    const sip = fields(file, "sip", ["frame.time_epoch", "sip.Method", "sip.Status-Code", "sip.Call-ID"]);
    expect(sip.map((r) => r[1] || r[2])).toEqual(["INVITE", "100", "180", "200", "ACK", "BYE", "200"]);
    expect(new Set(sip.map((r) => r[3]))).toEqual(new Set([call.callId]));
    expect(Math.round(Number(sip[3]?.[0]) * 1000)).toBe(call.startMs);
    expect(Math.round(Number(sip[5]?.[0]) * 1000)).toBe(Math.max(call.endMs, call.startMs + 2000));
    expect(d.sip.map((m) => m.method ?? String(m.statusCode))).toEqual(sip.map((r) => r[1] || r[2]));
    const [timing0] = d.calls;
    const inviteUs = Math.round(Number(sip[0]?.[0]) * 1e6);
    expect(timing0?.callSetupMs).toBeCloseTo((call.startMs * 1000 - inviteUs) / 1000, 0);
    expect(timing0?.postDialDelayMs).toBeCloseTo((Number(sip[2]?.[0]) - Number(sip[0]?.[0])) * 1000, 0);
  });

  test("RTP both ways, as tshark counts it; every RTCP packet and field as tshark decodes it", () => {
    const streams = tshark(file, "-q", "-z", "rtp,streams");
    expect(d.streams).toHaveLength(2);
    for (const { stream: s } of d.streams) {
      const hex = `0x${s.ssrc.toString(16).toUpperCase().padStart(8, "0")}`;
      expect(streams).toMatch(new RegExp(`${hex}\\s+g711U\\s+${s.packets}\\s+${s.lost} `));
      expect(s.callId).toBe(call.callId);
    }
    const rtcp = fields(file, "rtcp", [
      "frame.number",
      "rtcp.pt",
      "rtcp.senderssrc",
      "rtcp.sender.packetcount",
      "rtcp.ssrc.fraction",
      "rtcp.ssrc.cum_nr",
      "rtcp.ssrc.jitter",
      "rtcp.ssrc.lsr",
      "rtcp.ssrc.dlsr",
    ]);
    expect(d.rtcpPackets.map((p) => p.frame)).toEqual(rtcp.map((r) => Number(r[0])));
    expect(d.rtcpPackets.map((p) => p.label)).toEqual(
      rtcp.map(
        (r) =>
          `RTCP ${(r[1] ?? "")
            .split("|")
            .map((pt) => ({ 200: "SR", 202: "SDES", 203: "BYE" })[pt])
            .join(" + ")}`,
      ),
    );
    for (const r of rtcp) {
      const ours = d.rtcpReports.filter((x) => x.frame === Number(r[0]));
      expect(ours[0]?.reporterSsrc).toBe(Number.parseInt(r[2] ?? "", 16));
      expect(ours[0]?.senderPackets).toBe(Number(r[3]));
      const block = ours.find((x) => x.sourceSsrc !== null);
      if (!r[4]) continue;
      expect([
        block?.fractionLost,
        block?.cumulativeLost,
        block?.jitterUnits,
        block?.lsr,
        block?.dlsr,
      ]).toEqual([Number(r[4]) / 256, Number(r[5]), Number(r[6]), Number(r[7]), Number(r[8])]);
      // Some loss and jitter, and a real round trip where an SR was answered.
      if (block?.lsr) {
        expect(block.rttMs).toBeGreaterThan(15);
        expect(block.rttMs).toBeLessThan(130);
      }
    }
    expect(d.rtcpReports.some((r) => r.rttMs !== null)).toBe(true);
    expect(bytes.length).toBeLessThan(20_000);
  });
});
