// A capture for every finished demo voice call, consistent with its timeline: the SIP dialog
// (INVITE → 100 → 180 → 200 at the call's start, ACK, BYE at its end), a short sample of G.711
// RTP both ways right after the answer (with a little loss and jitter), and RTCP: SR + SDES from
// both sides five seconds in (the second with a report block about the first's stream), then SR +
// SDES + BYE from both just before the BYE, with report blocks whose LSR/DLSR give a real round
// trip. Kept small (half a second of media, ~15 KB a call) so `npm start`'s seed stays fast.
import { createHash } from "node:crypto";
import { pcapHeader, pcapRecord } from "../../lib/diagnostics/hep/frames.ts";
import { ntpMiddle32 } from "../../lib/diagnostics/rtcp.ts";
import type { Rng } from "../../lib/random.ts";

export type DemoCall = {
  callId: string;
  /** When the call was answered (the conversation's start) and ended, ms since the epoch. */
  startMs: number;
  endMs: number;
  inbound: boolean;
};

const SBC = "198.51.100.10"; // Parley's side (the contact center's SBC), documentation range
const SAMPLE_PACKETS = 25; // 0.5 s of 20 ms G.711 packets each way
const PAYLOAD = 160;

type Leg = { ip: string; sipPort: number; rtpPort: number; ssrc: number; tag: string; user: string };

/** The capture's bytes (pcap, raw IP) for one call. */
export function demoCapture(call: DemoCall, rng: Rng): Uint8Array {
  const carrier: Leg = {
    ip: `203.0.113.${rng.int(2, 250)}`,
    sipPort: 5060,
    rtpPort: 2 * rng.int(8000, 16000),
    ssrc: rng.int(1, 0xfffffffe),
    tag: rng.hex(8),
    user: `+1555${rng.digits(7)}`,
  };
  const sbc: Leg = {
    ip: SBC,
    sipPort: 5060,
    rtpPort: 2 * rng.int(10000, 20000),
    ssrc: rng.int(1, 0xfffffffe),
    tag: rng.hex(8),
    user: "contact-center",
  };
  // The caller sends the INVITE: the carrier for inbound calls, the SBC for outbound ones.
  const [caller, callee] = call.inbound ? [carrier, sbc] : [sbc, carrier];
  const records: Uint8Array[] = [];
  const send = (timeUs: number, from: Leg, to: Leg, port: "sip" | "rtp" | "rtcp", payload: Uint8Array) => {
    const p = {
      sip: [from.sipPort, to.sipPort],
      rtp: [from.rtpPort, to.rtpPort],
      rtcp: [from.rtpPort + 1, to.rtpPort + 1],
    }[port];
    records.push(
      pcapRecord({
        family: 4,
        protocol: 17,
        src: from.ip,
        dst: to.ip,
        srcPort: p[0] as number,
        dstPort: p[1] as number,
        timeUs: Math.round(timeUs),
        protoType: 1,
        captureId: null,
        authKey: null,
        correlationId: null,
        payload,
      }),
    );
  };

  const answerUs = call.startMs * 1000;
  const setupUs = rng.int(400, 2500) * 1000;
  const inviteUs = answerUs - setupUs;
  const ringingUs = inviteUs + rng.int(80, Math.min(1500, setupUs / 1000 - 50)) * 1000;
  const endUs = Math.max(call.endMs * 1000, answerUs + 2_000_000);
  const branch = `z9hG4bK${rng.hex(10)}`;
  // The callee's To tag: on its final responses and every later request of the dialog.
  const sip = (first: string, cseq: string, extra: string[], body = "", toTag = true) =>
    Buffer.from(
      [
        first,
        `Via: SIP/2.0/UDP ${caller.ip}:5060;branch=${branch}`,
        `From: <sip:${caller.user}@${caller.ip}>;tag=${caller.tag}`,
        `To: <sip:${callee.user}@${callee.ip}>${toTag ? `;tag=${callee.tag}` : ""}`,
        `Call-ID: ${call.callId}`,
        `CSeq: ${cseq}`,
        ...extra,
        `Content-Length: ${Buffer.byteLength(body)}`,
        "",
        body,
      ].join("\r\n"),
      "latin1",
    );
  const sdp = (leg: Leg) =>
    [
      "v=0",
      `o=- ${leg.ssrc} 1 IN IP4 ${leg.ip}`,
      "s=-",
      `c=IN IP4 ${leg.ip}`,
      "t=0 0",
      `m=audio ${leg.rtpPort} RTP/AVP 0 101`,
      "a=rtpmap:0 PCMU/8000",
      "a=rtpmap:101 telephone-event/8000",
      "",
    ].join("\r\n");
  const uri = `sip:${callee.user}@${callee.ip}`;
  send(
    inviteUs,
    caller,
    callee,
    "sip",
    sip(`INVITE ${uri} SIP/2.0`, "1 INVITE", ["Content-Type: application/sdp"], sdp(caller), false),
  );
  send(inviteUs + 4000, callee, caller, "sip", sip("SIP/2.0 100 Trying", "1 INVITE", [], "", false));
  send(ringingUs, callee, caller, "sip", sip("SIP/2.0 180 Ringing", "1 INVITE", []));
  send(
    answerUs,
    callee,
    caller,
    "sip",
    sip("SIP/2.0 200 OK", "1 INVITE", ["Content-Type: application/sdp"], sdp(callee)),
  );
  send(answerUs + rng.int(10, 60) * 1000, caller, callee, "sip", sip(`ACK ${uri} SIP/2.0`, "1 ACK", []));

  // RTP: half a second each way, a packet lost now and then, arrival times jittered by a few ms.
  const sent = new Map<Leg, number>();
  for (const [from, to] of [
    [caller, callee],
    [callee, caller],
  ] as const) {
    const lossy = rng.chance(0.4);
    for (let i = 0; i < SAMPLE_PACKETS; i++) {
      if (lossy && i > 0 && rng.chance(0.06)) continue;
      const rtp = new Uint8Array(12 + PAYLOAD).fill(0xff, 12);
      const v = new DataView(rtp.buffer);
      v.setUint8(0, 0x80);
      v.setUint8(1, i === 0 ? 0x80 : 0); // marker on the first packet, PCMU
      v.setUint16(2, i);
      v.setUint32(4, i * PAYLOAD);
      v.setUint32(8, from.ssrc);
      const jitter = i === 0 ? 0 : rng.int(-2000, 2000) * (rng.chance(0.2) ? 3 : 1);
      send(answerUs + 60_000 + i * 20_000 + jitter, from, to, "rtp", rtp);
    }
    sent.set(from, (endUs - answerUs) / 20_000);
  }

  // RTCP, twice: five seconds in (if the call lasts), and at its end with BYE.
  const srAt = new Map<Leg, number>();
  const rounds = endUs - answerUs > 8_000_000 ? [answerUs + 5_000_000, endUs - 200_000] : [endUs - 200_000];
  rounds.forEach((atUs, round) => {
    const last = round === rounds.length - 1;
    for (const [from, to, skewUs] of [
      [caller, callee, 0],
      [callee, caller, rng.int(20, 150) * 1000],
    ] as const) {
      const t = atUs + skewUs;
      const elapsed = Math.min(1, (t - answerUs) / (endUs - answerUs));
      const packets = Math.round((sent.get(from) ?? 0) * elapsed);
      const peerSr = srAt.get(to);
      const block = {
        ssrc: to.ssrc,
        fraction: rng.chance(0.3) ? rng.int(1, 12) : 0,
        cumulative: rng.int(0, Math.max(0, Math.round(packets / 100))),
        highest: Math.round((sent.get(to) ?? 0) * elapsed),
        jitter: rng.int(8, 200),
        lsr: peerSr === undefined ? 0 : ntpMiddle32(peerSr),
        // DLSR so that the round trip (arrival − LSR − DLSR) comes out at 20–120 ms.
        dlsr:
          peerSr === undefined
            ? 0
            : Math.max(0, Math.round(((t - peerSr) / 1e6) * 65536) - rng.int(1300, 7900)),
      };
      send(t, from, to, "rtcp", rtcp(from, t, packets, block, last));
      srAt.set(from, t);
    }
  });

  send(endUs, caller, callee, "sip", sip(`BYE ${uri} SIP/2.0`, "2 BYE", []));
  send(endUs + rng.int(5, 40) * 1000, callee, caller, "sip", sip("SIP/2.0 200 OK", "2 BYE", []));
  return Buffer.concat([pcapHeader(), ...records]);
}

/** SR (with one report block once the peer has been heard) + SDES (CNAME) [+ BYE]. */
function rtcp(
  from: Leg,
  timeUs: number,
  packets: number,
  b: {
    ssrc: number;
    fraction: number;
    cumulative: number;
    highest: number;
    jitter: number;
    lsr: number;
    dlsr: number;
  },
  bye: boolean,
): Uint8Array {
  const withBlock = b.highest > 0;
  const sr = new DataView(new ArrayBuffer(28 + (withBlock ? 24 : 0)));
  sr.setUint8(0, 0x80 | (withBlock ? 1 : 0));
  sr.setUint8(1, 200);
  sr.setUint16(2, sr.byteLength / 4 - 1);
  sr.setUint32(4, from.ssrc);
  const ntpSec = Math.floor(timeUs / 1e6) + 2_208_988_800;
  sr.setUint32(8, ntpSec >>> 0);
  sr.setUint32(12, Math.floor(((timeUs % 1e6) / 1e6) * 2 ** 32) >>> 0);
  sr.setUint32(16, (packets * PAYLOAD) >>> 0);
  sr.setUint32(20, packets);
  sr.setUint32(24, packets * PAYLOAD);
  if (withBlock) {
    sr.setUint32(28, b.ssrc);
    sr.setUint32(32, ((b.fraction << 24) | (b.cumulative & 0xffffff)) >>> 0);
    sr.setUint32(36, b.highest);
    sr.setUint32(40, b.jitter);
    sr.setUint32(44, b.lsr);
    sr.setUint32(48, b.dlsr);
  }
  const cname = Buffer.from(`parley@${from.ip}`);
  const itemLen = 2 + cname.length;
  const chunkLen = 4 + itemLen + 1; // SSRC, item, terminating null
  const sdesLen = 4 + Math.ceil(chunkLen / 4) * 4;
  const sdes = new DataView(new ArrayBuffer(sdesLen));
  sdes.setUint8(0, 0x81);
  sdes.setUint8(1, 202);
  sdes.setUint16(2, sdesLen / 4 - 1);
  sdes.setUint32(4, from.ssrc);
  sdes.setUint8(8, 1);
  sdes.setUint8(9, cname.length);
  new Uint8Array(sdes.buffer).set(cname, 10);
  const parts = [new Uint8Array(sr.buffer), new Uint8Array(sdes.buffer)];
  if (bye) {
    const byeView = new DataView(new ArrayBuffer(8));
    byeView.setUint8(0, 0x81);
    byeView.setUint8(1, 203);
    byeView.setUint16(2, 1);
    byeView.setUint32(4, from.ssrc);
    parts.push(new Uint8Array(byeView.buffer));
  }
  return Buffer.concat(parts);
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
