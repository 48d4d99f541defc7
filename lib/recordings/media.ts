import { createHash } from "node:crypto";

// The ffmpeg command lines and the arithmetic around them, free of I/O so they are unit-tested and
// shared by the worker, the tests and the merge benchmark (which runs the very same arguments
// through native ffmpeg).

export type LegSource = { legIndex: number; label: string; sha256: string | null; format: string | null };

/** Customer first (left channel), then the platform side in leg order: the channel order of a merge. */
export function channelOrder<L extends LegSource>(legs: L[]): L[] {
  return [...legs].sort(
    (a, b) => Number(b.label === "customer") - Number(a.label === "customer") || a.legIndex - b.legIndex,
  );
}

/** Identifies the legs' content: a new or replaced leg gives a new hash, hence new derived files. */
export function sourceHash(legs: LegSource[]): string {
  const parts = [...legs]
    .sort((a, b) => a.legIndex - b.legIndex)
    .map((l) => `${l.legIndex}:${l.label}:${l.sha256 ?? ""}`);
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 32);
}

export const inputName = (i: number, format: string | null) => `in${i}.${format ?? "bin"}`;

/** Pass 1: every leg decoded to mono 16-bit PCM at its own rate (peaks, exact lengths). */
export function decodeArgs(inputs: string[]): string[] {
  return [
    "-hide_banner",
    ...inputs.flatMap((name) => ["-i", name]),
    ...inputs.flatMap((_, i) => [
      "-map",
      `${i}:a:0`,
      "-ac",
      "1",
      "-c:a",
      "pcm_s16le",
      "-f",
      "s16le",
      `${i}.raw`,
    ]),
  ];
}

/** The sample rate of each input, read from ffmpeg's description of its inputs. */
export function inputRates(log: string[], count: number): number[] {
  const rates: number[] = [];
  for (const line of log) {
    if (line.startsWith("Output #") || line.startsWith("Stream mapping")) break;
    const m = /Stream #(\d+):\d+.*Audio: .*?(\d+) Hz/.exec(line);
    if (m && rates[Number(m[1])] === undefined) rates[Number(m[1])] = Number(m[2]);
  }
  if (rates.length !== count || rates.some((r) => !r))
    throw new Error("ffmpeg did not report every input's rate");
  return rates;
}

/** Length of the merge: the longest leg, at the highest rate among the legs. */
export function mergeShape(legs: { sampleRate: number; samples: number }[]): {
  rate: number;
  samples: number;
} {
  const rate = Math.max(...legs.map((l) => l.sampleRate));
  const samples = Math.max(...legs.map((l) => Math.ceil((l.samples * rate) / l.sampleRate)));
  return { rate, samples };
}

/**
 * Pass 2: one FLAC, one channel per leg (`amerge`), 16-bit (`-sample_fmt s16`: FLAC would keep
 * the filter graph's wider format). Each leg is brought to the common rate and padded/trimmed to
 * exactly `samples`, because amerge ends with its shortest input.
 */
export function mergeArgs(
  inputs: string[],
  shape: { rate: number; samples: number },
  output: string,
): string[] {
  const { rate, samples } = shape;
  const legs = inputs.map(
    (_, i) =>
      `[${i}:a:0]aresample=${rate},aformat=channel_layouts=mono,apad=whole_len=${samples},atrim=end_sample=${samples}[l${i}]`,
  );
  const graph =
    inputs.length === 1
      ? `${legs[0]}`
      : `${legs.join(";")};${inputs.map((_, i) => `[l${i}]`).join("")}amerge=inputs=${inputs.length}[m]`;
  return [
    "-hide_banner",
    ...inputs.flatMap((name) => ["-i", name]),
    "-filter_complex",
    graph,
    "-map",
    inputs.length === 1 ? "[l0]" : "[m]",
    "-sample_fmt",
    "s16",
    "-c:a",
    "flac",
    output,
  ];
}

/** One leg as mono 16-bit FLAC at its own rate. */
export function legFlacArgs(input: string, output: string): string[] {
  return [
    "-hide_banner",
    "-i",
    input,
    "-map",
    "0:a:0",
    "-ac",
    "1",
    "-sample_fmt",
    "s16",
    "-c:a",
    "flac",
    output,
  ];
}

/** Waveform resolution: one peak per 100 ms (36,000 per hour per leg). */
export const PEAK_BIN_MS = 100;

export type Peaks = {
  durationMs: number;
  binMs: number;
  legs: { legIndex: number; label: string; sampleRate: number; samples: number; peaks: number[] }[];
};

/** Highest absolute level per bin, 0–100, from 16-bit little-endian PCM. */
export function peaksOf(pcm: Uint8Array, sampleRate: number, binMs = PEAK_BIN_MS): number[] {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const samples = Math.floor(pcm.byteLength / 2);
  const perBin = Math.max(1, Math.round((sampleRate * binMs) / 1000));
  const out: number[] = [];
  for (let start = 0; start < samples; start += perBin) {
    let max = 0;
    const end = Math.min(samples, start + perBin);
    for (let i = start; i < end; i++) {
      const v = Math.abs(view.getInt16(i * 2, true));
      if (v > max) max = v;
    }
    out.push(Math.min(100, Math.ceil((max / 32768) * 100)));
  }
  return out;
}
