import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { analyzeCapture } from "../../lib/diagnostics/analyze.ts";
import { callFrames, exportPcap } from "../../lib/diagnostics/export.ts";
import { readCapture } from "../../lib/diagnostics/pcap.ts";
import { loadFixture, readRtpStreams } from "../helpers/tshark.ts";

// The PCAP export is checked with tshark itself (installed by .ci/run), not only with our reader.
const dir = mkdtempSync(path.join(os.tmpdir(), "parley-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tshark(file: string, ...args: string[]): string {
  return execFileSync("tshark", ["-r", file, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
}

describe("Export PCAP", () => {
  test.each([
    ["gst-rtcp-loss.pcapng", "gst-rtcp-loss.rtp-streams.txt"],
    ["gst-rtcp-loss-sll2.pcap", "gst-rtcp-loss-sll2.rtp-streams.txt"],
  ])("one call of %s re-reads in tshark with the same streams", (name, streams) => {
    const bytes = loadFixture(name);
    const d = analyzeCapture(bytes);
    const frames = callFrames(d, "1-32176@127.0.0.1");
    expect(frames.size).toBe(602); // everything in this capture belongs to the call
    const out = path.join(dir, `${name}.export.pcap`);
    writeFileSync(out, exportPcap(d.capture, frames));

    const again = readCapture(new Uint8Array(readFileSync(out)));
    expect(again.format).toBe("pcap");
    expect(again.frames.map((f) => [f.timeUs, Buffer.from(f.data).toString("hex")])).toEqual(
      d.capture.frames.map((f) => [f.timeUs, Buffer.from(f.data).toString("hex")]),
    );
    expect(tshark(out, "-q", "-z", "rtp,streams")).toContain("RTP Streams");
    const theirs = readRtpStreams(streams);
    const ours = tshark(out, "-q", "-z", "rtp,streams");
    for (const s of theirs) {
      expect(ours).toMatch(
        new RegExp(
          `0x${s.ssrc.toString(16).toUpperCase().padStart(8, "0")}\\s+g711U\\s+${s.packets}\\s+${s.lost} `,
        ),
      );
    }
    expect(tshark(out, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID").trim().split("\n")).toHaveLength(8);
  });

  test("only the frames of the asked call; several link types make a pcapng tshark reads", () => {
    const a = analyzeCapture(loadFixture("sipp-echo.pcap"));
    expect(callFrames(a, "no-such-call").size).toBe(0);
    // Two captures' frames mixed: Ethernet and Linux cooked v2.
    const b = analyzeCapture(loadFixture("gst-rtcp-loss-sll2.pcap"));
    const mixed = {
      ...a.capture,
      frames: [
        ...a.capture.frames.slice(0, 3),
        ...b.capture.frames.slice(0, 3).map((f) => ({ ...f, number: f.number + 1000 })),
      ],
    };
    const out = path.join(dir, "mixed.pcapng");
    writeFileSync(out, exportPcap(mixed, new Set([1, 2, 3, 1001, 1002, 1003])));
    const back = readCapture(new Uint8Array(readFileSync(out)));
    expect(back.format).toBe("pcapng");
    expect(back.frames.map((f) => f.linkType)).toEqual([1, 1, 1, 276, 276, 276]);
    expect(tshark(out, "-T", "fields", "-e", "frame.protocols").trim().split("\n")).toHaveLength(6);
  });
});
