// npm run bench -- merge [--minutes 5] [--runs 5]
// The FLAC merge of two call legs ("Download as a single file"), as the worker runs it with the
// ffmpeg WebAssembly engine in a worker thread, next to native ffmpeg (Debian's) running the very
// same arguments on the same files. Legs are the demo's 8 kHz µ-law speech (lib/platform/speech.ts).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createAudioRenderer, type Segment } from "../../lib/platform/speech.ts";
import { FfmpegWasm } from "../../lib/recordings/ffmpeg.ts";
import { mergeArgs } from "../../lib/recordings/media.ts";

const { values } = parseArgs({
  args: process.argv.slice(3), // after "merge"
  options: { minutes: { type: "string", default: "5" }, runs: { type: "string", default: "5" } },
});
const minutes = Number(values.minutes);
const runs = Math.max(1, Number(values.runs));
const durationMs = Math.round(minutes * 60_000);

// Two legs taking turns: the customer speaks for 4 s, then the agent for 5 s, and so on.
const render = createAudioRenderer(1);
const turns = (offset: number, voice: string): Segment[] => {
  const out: Segment[] = [];
  for (let t = offset; t < durationMs; t += 9000)
    out.push({ startMs: t, endMs: Math.min(durationMs, t + 4000), voice });
  return out;
};
const dir = mkdtempSync(path.join(os.tmpdir(), "parley-bench-merge-"));
const inputs = ["in0.wav", "in1.wav"];
writeFileSync(path.join(dir, inputs[0] as string), render(durationMs, turns(0, "c:1"), [], 1));
writeFileSync(path.join(dir, inputs[1] as string), render(durationMs, turns(4500, "a:1"), [], 2));
const args = mergeArgs(inputs, { rate: 8000, samples: (durationMs / 1000) * 8000 }, "out.flac");

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const time = async (fn: () => unknown) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

try {
  const ffmpeg = new FfmpegWasm();
  const files = inputs.map((name) => ({ name, data: readFileSync(path.join(dir, name)) }));
  const load = await time(() => ffmpeg.run({ args: ["-hide_banner", "-version"], inputs: [], outputs: [] }));
  let wasmBytes = 0;
  const wasm: number[] = [];
  for (let i = 0; i < runs; i++) {
    wasm.push(
      await time(async () => {
        const result = await ffmpeg.run({ args, inputs: files, outputs: ["out.flac"] });
        if (result.code !== 0) throw new Error(result.log.slice(-5).join("\n"));
        wasmBytes = result.outputs["out.flac"]?.byteLength ?? 0;
        writeFileSync(path.join(dir, "wasm.flac"), result.outputs["out.flac"] as Uint8Array);
      }),
    );
  }
  await ffmpeg.close();
  const native: number[] = [];
  for (let i = 0; i < runs; i++) {
    native.push(
      await time(() =>
        execFileSync("ffmpeg", ["-y", "-loglevel", "error", "-nostdin", ...args], { cwd: dir }),
      ),
    );
  }
  const same = readFileSync(path.join(dir, "out.flac")).equals(readFileSync(path.join(dir, "wasm.flac")));
  const audioS = durationMs / 1000;
  const w = median(wasm);
  const n = median(native);
  const rows = [
    [
      "legs",
      `2 × ${minutes} min, 8 kHz µ-law WAV (${statSync(path.join(dir, "in0.wav")).size.toLocaleString("en-US")} bytes each)`,
    ],
    [
      "output",
      `2-channel 16-bit FLAC, ${wasmBytes.toLocaleString("en-US")} bytes; byte-identical to native: ${same ? "yes" : "no"}`,
    ],
    ["runs", `${runs} each, median`],
    ["wasm engine load", `${load.toFixed(0)} ms (once per worker process)`],
    ["wasm merge", `${w.toFixed(0)} ms  = ${(audioS / (w / 1000)).toFixed(0)}× real time`],
    [
      "native ffmpeg",
      `${n.toFixed(0)} ms  = ${(audioS / (n / 1000)).toFixed(0)}× real time (process start included)`,
    ],
    ["wasm / native", `${(w / n).toFixed(2)}× (target ≤ 2×)`],
    ["target ≥ 300× real time", audioS / (w / 1000) >= 300 ? "met" : "NOT met"],
  ];
  for (const [k, v] of rows) console.log(`${(k as string).padEnd(24)} ${v}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
