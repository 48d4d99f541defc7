// npm run bench -- diagnostics [--mb 20] [--iterations 5]
// The capture parser (what the diagnostics.parse-capture job runs in its worker thread: the file to
// the rows it stores) on two captures of the same size: a normal one (the real GStreamer fixture
// call repeated back to back) and a crafted worst case (scripts/fixtures/diagnostics/crafted.ts:
// the patterns that made the old parser quadratic). Runs alternate, medians compared.
// Targets: ≥ 100 MB/s on the normal capture (on a quiet machine), worst case within 2× of it.
// Also Export TEXT from the stored rows' shape (the web process never parses).
import os from "node:os";
import { parseArgs } from "node:util";
import { exportText } from "../../lib/diagnostics/export.ts";
import { parseCaptureBytes } from "../../lib/diagnostics/parsed.ts";
import { callTimings } from "../../lib/diagnostics/sip.ts";
import { buildFlow } from "../../lib/diagnostics/view.ts";
import { craftedCapture, normalCapture } from "../fixtures/diagnostics/crafted.ts";
import { TARGETS_MISSED } from "./stats.ts";

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: { mb: { type: "string", default: "20" }, iterations: { type: "string", default: "5" } },
  strict: true,
});
const bytes = Number(args.mb) * 1024 * 1024;
const iterations = Math.max(1, Number(args.iterations));

const inputs = { normal: normalCapture(bytes), crafted: craftedCapture(bytes) };
const ms: Record<keyof typeof inputs, number[]> = { normal: [], crafted: [] };
let last: ReturnType<typeof parseCaptureBytes> | undefined;
for (let i = 0; i < iterations; i++) {
  for (const name of ["normal", "crafted"] as const) {
    const t0 = performance.now();
    const parsed = parseCaptureBytes(inputs[name]);
    ms[name].push(performance.now() - t0);
    if (name === "normal") last = parsed;
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const mbOf = (b: Uint8Array) => b.length / 1024 / 1024;
const normal = median(ms.normal);
const crafted = median(ms.crafted);
const rate = mbOf(inputs.normal) / (normal / 1000);
const ratio = crafted / normal;

const t0 = performance.now();
const { flow } = buildFlow(last?.sip ?? [], last?.rtcpPackets ?? [], { obscureCustomerInfo: false });
const text = exportText(flow, callTimings(last?.sip ?? []));
const textMs = performance.now() - t0;

const rows: [string, string][] = [
  [
    "normal capture",
    `${mbOf(inputs.normal).toFixed(1)} MB, parse median ${normal.toFixed(0)} ms = ${rate.toFixed(1)} MB/s (target ≥ 100)`,
  ],
  [
    "crafted worst case",
    `${mbOf(inputs.crafted).toFixed(1)} MB, parse median ${crafted.toFixed(0)} ms = ${(mbOf(inputs.crafted) / (crafted / 1000)).toFixed(1)} MB/s`,
  ],
  ["worst / normal", `${ratio.toFixed(2)}× (target ≤ 2×)`],
  ["Export TEXT (rows)", `${(text.length / 1024).toFixed(0)} KB in ${textMs.toFixed(0)} ms`],
  ["runs", `${iterations} each, alternating, median`],
  [
    "load average",
    os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" "),
  ],
];
for (const [k, v] of rows) console.log(`[bench] ${k.padEnd(20)} ${v}`);
if (!(rate >= 100) || !(ratio <= 2)) {
  console.log("[bench] targets NOT met");
  process.exitCode = TARGETS_MISSED;
} else console.log("[bench] targets met");
