// npm run bench -- diagnostics [--mb 50] [--iterations 3]
// How fast the capture parser (analyzeCapture, what the diagnostics.parse-capture job runs) and
// the two exports go on a large capture: the real GStreamer fixture call repeated back to back
// (each copy moved past the previous one in time, so the calls follow each other) up to --mb.
// The job's limits (200 MB per capture, expireInSeconds 300) assume well under a minute per 200 MB.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { analyzeCapture } from "../../lib/diagnostics/analyze.ts";
import { callFrames, exportPcap } from "../../lib/diagnostics/export.ts";

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: { mb: { type: "string", default: "50" }, iterations: { type: "string", default: "3" } },
  strict: true,
});
const targetBytes = Number(args.mb) * 1024 * 1024;
const iterations = Number(args.iterations);

const fixture = analyzeCapture(
  readFileSync(new URL("../../tests/fixtures/diagnostics/gst-rtcp-loss.pcapng", import.meta.url)),
).capture;
const span = (fixture.frames.at(-1)?.timeUs ?? 0) - (fixture.frames[0]?.timeUs ?? 0) + 1_000_000;
const perCopy = fixture.frames.reduce((n, f) => n + 16 + f.data.length, 0);
const copies = Math.max(1, Math.ceil(targetBytes / perCopy));
const frames = Array.from({ length: copies }, (_, i) =>
  fixture.frames.map((f) => ({
    ...f,
    number: i * fixture.frames.length + f.number,
    timeUs: f.timeUs + i * span,
  })),
).flat();
const big = exportPcap({ ...fixture, frames }, new Set(frames.map((f) => f.number)));
console.log(
  `[bench] ${copies} copies of the fixture call: ${(big.length / 1024 / 1024).toFixed(1)} MB, ` +
    `${frames.length.toLocaleString("en-US")} frames; ${iterations} runs each`,
);

const time = <T>(label: string, fn: () => T): T => {
  const ms: number[] = [];
  let out: T | undefined;
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    out = fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)] ?? 0;
  const rate = big.length / 1024 / 1024 / (median / 1000);
  console.log(
    `[bench] ${label.padEnd(22)} median ${median.toFixed(0).padStart(6)} ms  (${rate.toFixed(1)} MB/s)`,
  );
  return out as T;
};

const d = time("analyzeCapture", () => analyzeCapture(big));
console.log(
  `[bench]   → ${d.flow.filter((e) => e.kind === "sip").length.toLocaleString("en-US")} SIP messages, ` +
    `${d.streams.length.toLocaleString("en-US")} streams, ${d.rtcpReports.length.toLocaleString("en-US")} RTCP rows`,
);
time("Export PCAP (all)", () => exportPcap(d.capture, callFrames(d, null)));
