// RTCP (RFC 3550 §6) sender and receiver reports, and the unit conversions that are easy to get
// wrong: jitter is in RTP timestamp units, cumulative loss is a signed 24-bit number, fraction lost
// is an 8-bit fixed-point fraction (/256), LSR/DLSR are NTP "middle 32 bits" (1/65536 s).

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_APP = 204;

const RTCP_NAMES: Record<number, string> = { 200: "SR", 201: "RR", 202: "SDES", 203: "BYE", 204: "APP" };

/** What the Flow and Export TEXT call a compound packet: "RTCP SR + SDES", "RTCP APP (PING)". */
export function rtcpLabel(packets: Pick<RtcpPacket, "packetType" | "appName">[]): string {
  const names = packets.map(
    (p) => `${RTCP_NAMES[p.packetType] ?? `PT ${p.packetType}`}${p.appName ? ` (${p.appName})` : ""}`,
  );
  return `RTCP ${names.join(" + ") || "(empty)"}`;
}

export type RtcpReportBlock = {
  ssrc: number; // the source this block reports on
  fractionLostRaw: number; // 0…255, fraction of packets lost since the previous report × 256
  cumulativeLost: number; // signed: duplicates can make it negative
  extHighestSeq: number;
  jitterUnits: number; // RTP timestamp units
  lsr: number; // middle 32 bits of the NTP time of the last SR received from `ssrc`; 0 = none
  dlsr: number; // delay since that SR, in 1/65536 s
};

export type RtcpSenderInfo = {
  ntpSec: number;
  ntpFrac: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
};

export type RtcpPacket = {
  packetType: number; // 200 SR, 201 RR, 202 SDES, 203 BYE, 204 APP
  ssrc: number; // the reporter (or the first SSRC/CSRC for SDES/BYE)
  sender: RtcpSenderInfo | null;
  reports: RtcpReportBlock[];
  /** APP (204): the packet's four-character name ("PING"); null for the other types. */
  appName: string | null;
};

/** First-byte/second-byte check for a compound RTCP packet (version 2, SR…APP). */
export function looksLikeRtcp(b: Uint8Array): boolean {
  return b.length >= 8 && b[0] !== undefined && b[0] >> 6 === 2 && (b[1] ?? 0) >= 200 && (b[1] ?? 0) <= 204;
}

/**
 * Parses a compound RTCP packet. Stops at the first malformed part and says why, keeping the
 * parts before it (a truncated capture still shows the reports it holds).
 */
export function parseRtcp(b: Uint8Array): { packets: RtcpPacket[]; error: string | null } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const packets: RtcpPacket[] = [];
  let off = 0;
  while (off + 4 <= b.length) {
    const first = v.getUint8(off);
    if (first >> 6 !== 2) return { packets, error: `RTCP version ${first >> 6} at byte ${off}` };
    const count = first & 0x1f;
    const packetType = v.getUint8(off + 1);
    const len = (v.getUint16(off + 2) + 1) * 4;
    if (off + len > b.length) return { packets, error: `RTCP packet at byte ${off} is truncated` };
    const ssrc = len >= 8 ? v.getUint32(off + 4) : 0;
    let sender: RtcpSenderInfo | null = null;
    let blocksAt = off + 8;
    if (packetType === RTCP_SR) {
      if (len < 28) return { packets, error: `RTCP SR at byte ${off} is too short` };
      sender = {
        ntpSec: v.getUint32(off + 8),
        ntpFrac: v.getUint32(off + 12),
        rtpTimestamp: v.getUint32(off + 16),
        packetCount: v.getUint32(off + 20),
        octetCount: v.getUint32(off + 24),
      };
      blocksAt = off + 28;
    }
    const reports: RtcpReportBlock[] = [];
    if (packetType === RTCP_SR || packetType === RTCP_RR) {
      if (blocksAt + count * 24 > off + len) {
        return { packets, error: `RTCP report blocks at byte ${off} overrun the packet` };
      }
      for (let i = 0; i < count; i++) {
        const at = blocksAt + i * 24;
        const lossWord = v.getUint32(at + 4);
        reports.push({
          ssrc: v.getUint32(at),
          fractionLostRaw: lossWord >>> 24,
          cumulativeLost: signed24(lossWord & 0xffffff),
          extHighestSeq: v.getUint32(at + 8),
          jitterUnits: v.getUint32(at + 12),
          lsr: v.getUint32(at + 16),
          dlsr: v.getUint32(at + 20),
        });
      }
    }
    // APP: SSRC then a 4-octet ASCII name (RFC 3550 §6.7); shown as "RTCP APP (PING)".
    const appName =
      packetType === RTCP_APP && len >= 12
        ? String.fromCharCode(...b.subarray(off + 8, off + 12)).replace(/[^\x20-\x7e]/g, "?")
        : null;
    packets.push({ packetType, ssrc, sender, reports, appName });
    off += len;
  }
  return { packets, error: null };
}

/** The 24-bit two's-complement cumulative loss as a JavaScript number. */
export function signed24(u: number): number {
  return u & 0x800000 ? u - 0x1000000 : u;
}

/** Fraction lost as a ratio 0…<1 (the field is the fraction × 256). */
export function fractionLost(raw: number): number {
  return raw / 256;
}

/** Interarrival jitter from RTP timestamp units to ms; null when the clock rate is unknown. */
export function jitterUnitsToMs(units: number, clockRate: number | null): number | null {
  return clockRate ? (units * 1000) / clockRate : null;
}

/** DLSR (units of 1/65536 s) in ms. */
export function dlsrToMs(dlsr: number): number {
  return dlsr / 65.536;
}

const NTP_UNIX_OFFSET = 2_208_988_800; // seconds from 1900-01-01 to 1970-01-01

/** The middle 32 bits of the NTP timestamp of a Unix time in µs (the LSR/DLSR time base). */
export function ntpMiddle32(timeUs: number): number {
  const sec = Math.floor(timeUs / 1e6) + NTP_UNIX_OFFSET;
  const frac16 = Math.floor(((timeUs % 1e6) * 65536) / 1e6);
  return (((sec & 0xffff) << 16) | frac16) >>> 0;
}

/**
 * Round-trip time (RFC 3550 §6.4.1): arrival − LSR − DLSR, in ms. `arrivalMiddle32` is when the
 * report reached the endpoint that sent the SR; from a capture that's the capture time, so it's
 * exact only when the capture point sits beside that endpoint. null when LSR is 0 (no SR received
 * yet). Signed: a negative value means the clocks disagree (the capture's and the endpoints'), and
 * is kept as measured so the page can say so — never replaced by a made-up 0.
 */
export function roundTripMs(arrivalMiddle32: number, lsr: number, dlsr: number): number | null {
  if (lsr === 0) return null;
  const diff = (arrivalMiddle32 - lsr - dlsr) | 0; // modulo 2^32 as a signed 32-bit difference
  return diff / 65.536;
}

/** A negative round-trip time can only come from clock skew between the capture and an endpoint. */
export function isClockSkew(rttMs: number | null): boolean {
  return rttMs !== null && rttMs < 0;
}
