// Speech-like call audio for the simulated platform (lib/platform/recordings.ts) and the demo
// recordings (db/seed): 8 kHz mono G.711 µ-law WAV (what telephony recorders produce, 8 KB per
// second). A voice is a bank of pre-rendered "syllables" (harmonic tone
// bursts under an envelope, plus a little noise) pasted where its speaker talks; between turns
// there is a faint line-noise floor, and hold periods are digital silence (not recorded).
import { createRng, type Rng, STREAM } from "../random.ts";

export const SAMPLE_RATE = 8000;
const SAMPLES_PER_MS = SAMPLE_RATE / 1000;
/** RIFF + fmt (18 bytes, WAVE_FORMAT_MULAW) + fact + data chunk headers. */
const WAV_HEADER_BYTES = 58;
const WAVE_FORMAT_MULAW = 7;
const MULAW_SILENCE = 0xff;

export type Segment = { startMs: number; endMs: number; voice: string };
export type Span = { startMs: number; endMs: number };

/** Encodes one 16-bit linear sample as G.711 µ-law (the ITU reference algorithm). */
function mulawEncode(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function wavHeader(dataBytes: number): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write("RIFF", 0, "ascii");
  h.writeUInt32LE(WAV_HEADER_BYTES - 8 + dataBytes, 4);
  h.write("WAVE", 8, "ascii");
  h.write("fmt ", 12, "ascii");
  h.writeUInt32LE(18, 16);
  h.writeUInt16LE(WAVE_FORMAT_MULAW, 20);
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(SAMPLE_RATE, 24);
  h.writeUInt32LE(SAMPLE_RATE, 28); // byte rate: one byte per sample
  h.writeUInt16LE(1, 32); // block align
  h.writeUInt16LE(8, 34); // bits per sample
  h.writeUInt16LE(0, 36); // cbSize
  h.write("fact", 38, "ascii"); // non-PCM formats carry the sample count
  h.writeUInt32LE(4, 42);
  h.writeUInt32LE(dataBytes, 46);
  h.write("data", 50, "ascii");
  h.writeUInt32LE(dataBytes, 54);
  return h;
}

function voiceBank(voice: string): Uint8Array[] {
  let hash = 0;
  for (let i = 0; i < voice.length; i++) hash = (Math.imul(hash, 31) + voice.charCodeAt(i)) >>> 0;
  const rng = createRng(hash, STREAM.voice);
  const f0 = voice === "ai" ? 170 : voice.startsWith("a:") ? rng.int(100, 210) : rng.int(110, 235);
  const formant = rng.int(450, 900); // where this voice's energy peaks
  const bank: Uint8Array[] = [];
  for (let n = 0; n < 12; n++) {
    const length = rng.int(90, 260) * SAMPLES_PER_MS;
    const pitch = f0 * (0.85 + rng.next() * 0.3);
    const glide = (rng.next() - 0.5) * 0.25;
    const gains = Array.from({ length: 6 }, (_, k) => {
      const f = pitch * (k + 1);
      return (1 / (k + 1)) * (1 + 2 * Math.exp(-(((f - formant) / 300) ** 2)));
    });
    const out = new Uint8Array(length);
    let phase = 0;
    for (let i = 0; i < length; i++) {
      const x = i / length;
      const env = Math.sin(Math.PI * x) ** 2 * Math.min(1, x * 12);
      phase += (2 * Math.PI * pitch * (1 + glide * x)) / SAMPLE_RATE;
      let v = 0;
      for (let k = 0; k < 6; k++) v += (gains[k] as number) * Math.sin((k + 1) * phase);
      out[i] = mulawEncode(env * v * 5200 + (rng.next() - 0.5) * 400);
    }
    bank.push(out);
  }
  return bank;
}

function noiseFloor(rng: Rng): Uint8Array {
  const out = new Uint8Array(SAMPLE_RATE);
  for (let i = 0; i < out.length; i++) out[i] = mulawEncode((rng.next() - 0.5) * 120);
  return out;
}

/** Renders voice banks once per voice key across all legs of a seeding run. */
export function createAudioRenderer(seed: number) {
  const banks = new Map<string, Uint8Array[]>();
  const noise = noiseFloor(createRng(seed, STREAM.noise));
  const bankOf = (voice: string) => {
    let bank = banks.get(voice);
    if (!bank) {
      bank = voiceBank(voice);
      banks.set(voice, bank);
    }
    return bank;
  };

  /** A complete WAV file of exactly `durationMs`, speech during `segments`, silence during `holds`. */
  return function renderLeg(durationMs: number, segments: Segment[], holds: Span[], legSeed: number): Buffer {
    const rng = createRng(legSeed);
    const samples = durationMs * SAMPLES_PER_MS;
    const file = Buffer.alloc(WAV_HEADER_BYTES + samples);
    wavHeader(samples).copy(file, 0);
    const data = file.subarray(WAV_HEADER_BYTES);
    for (let pos = 0; pos < samples; pos += noise.length) {
      data.set(noise.subarray(0, Math.min(noise.length, samples - pos)), pos);
    }
    for (const seg of segments) {
      const bank = bankOf(seg.voice);
      const end = Math.min(samples, seg.endMs * SAMPLES_PER_MS);
      let pos = seg.startMs * SAMPLES_PER_MS;
      while (pos < end) {
        const syllable = rng.pick(bank);
        const n = Math.min(syllable.length, end - pos);
        data.set(syllable.subarray(0, n), pos);
        // Short gaps between syllables, a longer one now and then between words.
        pos += n + (rng.chance(0.25) ? rng.int(150, 280) : rng.int(25, 90)) * SAMPLES_PER_MS;
      }
    }
    for (const hold of holds) {
      data.fill(MULAW_SILENCE, hold.startMs * SAMPLES_PER_MS, Math.min(samples, hold.endMs * SAMPLES_PER_MS));
    }
    return file;
  };
}

/** Reads the fields a player needs from a µ-law/PCM WAV header (used to verify what was written). */
export function readWavHeader(file: Buffer): {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataBytes: number;
} {
  if (file.toString("ascii", 0, 4) !== "RIFF" || file.toString("ascii", 8, 12) !== "WAVE") {
    throw new Error("not a RIFF/WAVE file");
  }
  let offset = 12;
  let fmt: { format: number; channels: number; sampleRate: number; bitsPerSample: number } | null = null;
  while (offset + 8 <= file.length) {
    const id = file.toString("ascii", offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    if (id === "fmt ") {
      fmt = {
        format: file.readUInt16LE(offset + 8),
        channels: file.readUInt16LE(offset + 10),
        sampleRate: file.readUInt32LE(offset + 12),
        bitsPerSample: file.readUInt16LE(offset + 22),
      };
    }
    if (id === "data") {
      if (!fmt) throw new Error("data chunk before fmt chunk");
      return { ...fmt, dataBytes: size };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error("no data chunk");
}
