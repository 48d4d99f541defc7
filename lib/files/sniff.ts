// What a received file is, from its first bytes (the declared Content-Type alone is not trusted):
// the upload endpoints and the recording fetcher both decide this way.

export type AudioFormat = "wav" | "flac" | "mp3" | "ogg";
const ascii = (b: Uint8Array, at: number, s: string) =>
  b.length >= at + s.length && [...s].every((c, i) => b[at + i] === c.charCodeAt(0));

export function sniffAudio(head: Uint8Array): AudioFormat | null {
  if (ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE")) return "wav";
  if (ascii(head, 0, "fLaC")) return "flac";
  if (ascii(head, 0, "OggS")) return "ogg";
  if (ascii(head, 0, "ID3")) return "mp3";
  if (head.length >= 2 && head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0) return "mp3"; // frame sync
  return null;
}

/** EBML magic and, within the header, the DocType "webm" (a Matroska .mkv is not accepted). */
export function sniffWebm(head: Uint8Array): boolean {
  if (!(head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3)) return false;
  const text = Buffer.from(head.subarray(0, 64)).toString("latin1");
  return text.includes("webm");
}

export function sniffCapture(head: Uint8Array): "pcap" | "pcapng" | null {
  if (head.length < 4) return null;
  const magic = Buffer.from(head).readUInt32BE(0);
  if (magic === 0x0a0d0d0a) return "pcapng";
  if ([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(magic)) return "pcap";
  return null;
}

/** Sample rate, channels and duration from a WAV header (fmt and data chunks within the head). */
export function wavInfo(head: Uint8Array, size: number) {
  const b = Buffer.from(head);
  let sampleRate: number | null = null;
  let channels: number | null = null;
  let byteRate = 0;
  let durationMs: number | null = null;
  for (let off = 12; off + 8 <= b.length; ) {
    const id = b.toString("latin1", off, off + 4);
    const len = b.readUInt32LE(off + 4);
    if (id === "fmt " && off + 16 <= b.length - 8) {
      channels = b.readUInt16LE(off + 10);
      sampleRate = b.readUInt32LE(off + 12);
      byteRate = b.readUInt32LE(off + 16);
    } else if (id === "data") {
      const dataBytes = Math.min(len, size - off - 8);
      if (byteRate > 0) durationMs = Math.round((dataBytes / byteRate) * 1000);
      break;
    }
    off += 8 + len + (len % 2);
  }
  return { sampleRate, channels, durationMs };
}
