// The Diagnostics panel's two exports: the Flow as readable TEXT, and the call's own captured
// frames as a PCAP that Wireshark/tshark re-read (the original bytes, not a re-encoding).
import type { Diagnostics } from "./analyze.ts";
import type { Capture, Frame } from "./pcap.ts";
import type { CallTimings } from "./sip.ts";
import type { FlowRow } from "./view.ts";

/** The frame numbers that belong to a call: its SIP, its RTP streams and its RTCP (all, without a Call-ID). */
export function callFrames(d: Diagnostics, callId: string | null): Set<number> {
  if (callId === null) return new Set(d.capture.frames.map((f) => f.number));
  const frames = new Set<number>();
  const tuples = new Set(
    d.streams
      .filter((q) => q.stream.callId === callId)
      .map((q) => `${q.stream.src}|${q.stream.srcPort}|${q.stream.dst}|${q.stream.dstPort}`),
  );
  const flowFrames = new Set(d.flow.filter((e) => e.callId === callId).map((e) => e.frame));
  for (const p of d.capture.packets) {
    if (flowFrames.has(p.frame) || tuples.has(`${p.src}|${p.srcPort}|${p.dst}|${p.dstPort}`)) {
      frames.add(p.frame);
      for (const f of p.fragmentFrames ?? []) frames.add(f);
    }
  }
  return frames;
}

/**
 * The frames as a capture file: classic pcap (µs, little-endian) when they share one link type,
 * which every tool reads; pcapng with one interface per link type otherwise.
 */
export function exportPcap(capture: Capture, frameNumbers: Set<number>): Uint8Array {
  const frames = capture.frames.filter((f) => frameNumbers.has(f.number));
  const linkTypes = [...new Set(frames.map((f) => f.linkType))];
  if (linkTypes.length <= 1) return writePcap(frames, linkTypes[0] ?? 1);
  return writePcapng(frames, linkTypes);
}

const SNAPLEN = 262144; // tcpdump's default; a frame is never cut by the export

function writePcap(frames: Frame[], linkType: number): Uint8Array {
  const size = 24 + frames.reduce((n, f) => n + 16 + f.data.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, SNAPLEN, true);
  v.setUint32(20, linkType, true);
  let off = 24;
  for (const f of frames) {
    v.setUint32(off, Math.floor(f.timeUs / 1e6), true);
    v.setUint32(off + 4, f.timeUs % 1e6, true);
    v.setUint32(off + 8, f.data.length, true);
    v.setUint32(off + 12, Math.max(f.origLen, f.data.length), true);
    out.set(f.data, off + 16);
    off += 16 + f.data.length;
  }
  return out;
}

function writePcapng(frames: Frame[], linkTypes: number[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  const block = (type: number, body: Uint8Array) => {
    const padded = (body.length + 3) & ~3;
    const len = 12 + padded;
    const b = new Uint8Array(len);
    const v = new DataView(b.buffer);
    v.setUint32(0, type, true);
    v.setUint32(4, len, true);
    b.set(body, 8);
    v.setUint32(len - 4, len, true);
    blocks.push(b);
  };
  // Section header: byte-order magic, version 1.0, section length unknown (−1).
  const shb = new DataView(new ArrayBuffer(16));
  shb.setUint32(0, 0x1a2b3c4d, true);
  shb.setUint16(4, 1, true);
  shb.setBigInt64(8, -1n, true);
  block(0x0a0d0d0a, new Uint8Array(shb.buffer));
  for (const linkType of linkTypes) {
    // Interface description with the default µs resolution (no if_tsresol option needed).
    const idb = new DataView(new ArrayBuffer(8));
    idb.setUint16(0, linkType, true);
    idb.setUint32(4, SNAPLEN, true);
    block(1, new Uint8Array(idb.buffer));
  }
  for (const f of frames) {
    const body = new Uint8Array(20 + f.data.length);
    const v = new DataView(body.buffer);
    const ts = BigInt(f.timeUs);
    v.setUint32(0, linkTypes.indexOf(f.linkType), true);
    v.setUint32(4, Number(ts >> 32n), true);
    v.setUint32(8, Number(ts & 0xffffffffn), true);
    v.setUint32(12, f.data.length, true);
    v.setUint32(16, Math.max(f.origLen, f.data.length), true);
    body.set(f.data, 20);
    block(6, body);
  }
  return Buffer.concat(blocks);
}

/** "2026-11-25 13:47:19.058154" (UTC, µs). */
export function formatTimeUs(timeUs: number): string {
  const ms = Math.floor(timeUs / 1000);
  const iso = new Date(ms).toISOString(); // 2026-11-25T13:47:19.058Z
  const us = String(Math.trunc(timeUs) % 1_000_000).padStart(6, "0");
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${us}`;
}

/** The per-call header lines: setup time and post-dial delay of every call in the capture. */
export function callTimingLines(calls: readonly CallTimings[]): string[] {
  const ms = (v: number | null) => (v === null ? "not seen" : `${v.toFixed(3)} ms`);
  return calls.flatMap((c) => [
    `# Call ${c.callId}`,
    `#   Call setup time (INVITE → 200 OK): ${ms(c.callSetupMs)}`,
    `#   Post-dial delay (INVITE → first 18x): ${ms(c.postDialDelayMs)}`,
  ]);
}

/**
 * The Flow as text: per call its setup time and post-dial delay, then one header line per message
 * (time, source → destination, protocol, delta from the INVITE, retransmission) followed by the
 * raw SIP message, or the RTCP packet's label and decoded fields. It reads the same rows as the
 * Flow tab (view.ts loadFlow), so the two always show the same packets with the same labels.
 */
export function exportText(
  flow: readonly FlowRow[],
  calls: readonly CallTimings[],
  callId: string | null = null,
): string {
  const lines: string[] = [];
  lines.push(`# Parley call flow${callId ? ` for Call-ID ${callId}` : ""}, times in UTC`);
  lines.push(...callTimingLines(callId === null ? calls : calls.filter((c) => c.callId === callId)));
  lines.push("");
  for (const e of flow) {
    if (callId !== null && e.callId !== callId) continue;
    const delta =
      e.deltaUs === null ? "" : ` (${e.deltaUs >= 0 ? "+" : "-"}${(Math.abs(e.deltaUs) / 1e6).toFixed(6)} s)`;
    const retrans = e.isRetransmission ? " [retransmission]" : "";
    lines.push(`${formatTimeUs(e.timeUs)} ${e.src} → ${e.dst} ${e.protocol}${delta}${retrans}`);
    if (e.kind === "sip") {
      lines.push((e.raw ?? "").replace(/\r\n/g, "\n").replace(/\n+$/, ""));
    } else {
      lines.push(e.label);
      if (e.raw) lines.push(e.raw);
    }
    lines.push("");
  }
  return lines.join("\n");
}
