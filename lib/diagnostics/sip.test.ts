import { describe, expect, test } from "vitest";
import { epochToUs, loadFixture, readTsv } from "../../tests/helpers/tshark.ts";
import { readCapture } from "./pcap.ts";
import { buildLadder, parseSdp, parseSip } from "./sip.ts";

describe("the ladder matches tshark's SIP fields", () => {
  test.each([
    ["sipp-echo.pcap", "sipp-echo.sip.tsv"],
    ["gst-rtcp-loss.pcapng", "gst-rtcp-loss.sip.tsv"],
    ["gst-rtcp-loss-sll2.pcap", "gst-rtcp-loss-sll2.sip.tsv"],
  ])("%s", (capture, expected) => {
    const ladder = buildLadder(readCapture(loadFixture(capture)).packets);
    const rows = readTsv(expected);
    expect(
      ladder.messages.map((m) => ({
        frame: m.frame,
        timeUs: m.timeUs,
        src: `${m.src}:${m.srcPort}`,
        dst: `${m.dst}:${m.dstPort}`,
        method: m.method ?? "",
        status: m.statusCode === null ? "" : String(m.statusCode),
        callId: m.callId,
        cseq: m.cseq,
        resend: m.isRetransmission ? "1" : "0",
      })),
    ).toEqual(
      rows.map((r) => ({
        frame: Number(r["frame.number"]),
        timeUs: epochToUs(r["frame.time_epoch"] ?? ""),
        src: `${r["ip.src"]}:${r["udp.srcport"]}`,
        dst: `${r["ip.dst"]}:${r["udp.dstport"]}`,
        method: r["sip.Method"],
        status: r["sip.Status-Code"],
        callId: r["sip.Call-ID"],
        cseq: r["sip.CSeq"],
        resend: r["sip.resend"],
      })),
    );
  });

  test("columns, labels, deltas from the INVITE, setup time and post-dial delay", () => {
    const ladder = buildLadder(readCapture(loadFixture("gst-rtcp-loss.pcapng")).packets);
    expect(ladder.endpoints).toEqual(["127.0.0.1:5061", "127.0.0.1:5060"]);
    expect(ladder.messages.map((m) => [m.label, m.from, m.to, m.isRetransmission])).toEqual([
      ["INVITE", 0, 1, false],
      ["INVITE", 0, 1, true],
      ["100 (Trying)", 1, 0, false],
      ["180 (Ringing)", 1, 0, false],
      ["200 (OK)", 1, 0, false],
      ["ACK", 0, 1, false],
      ["BYE", 0, 1, false],
      ["200 (OK)", 1, 0, false],
    ]);
    // From tshark's frame.time_epoch: INVITE 1795614439.058154, 180 at .763221, 200 at 1795614440.066135.
    expect(ladder.messages[1]?.deltaUs).toBe(502873);
    expect(ladder.calls).toEqual([
      {
        callId: "1-32176@127.0.0.1",
        inviteAtUs: 1795614439058154,
        callSetupMs: 1007.981,
        postDialDelayMs: 705.067,
      },
    ]);
    const answer = ladder.messages[4]?.sdp;
    expect(answer).toEqual([
      {
        media: "audio",
        address: "127.0.0.1",
        port: 40000,
        proto: "RTP/AVP",
        formats: [0],
        rtpmap: { 0: { codec: "PCMU", clockRate: 8000 } },
      },
    ]);
  });
});

describe("parseSip", () => {
  test("compact headers, folded lines, several Vias on one line, LF-only line ends", () => {
    const msg = parseSip(
      [
        "SIP/2.0 183 Session Progress",
        "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-top;rport, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-2",
        "i: abc@host",
        "f: <sip:a@x>;tag=1",
        "t: <sip:b@y>",
        "CSeq: 7",
        " INVITE",
        "c: application/sdp",
        "l: 75",
        "",
        "v=0\nc=IN IP6 2001:db8::5\nm=audio 4000 RTP/AVP 18 101\na=rtpmap:18 G729/8000\nEXTRA",
      ].join("\n"),
    );
    expect(msg).toMatchObject({
      method: null,
      statusCode: 183,
      reason: "Session Progress",
      callId: "abc@host",
      cseq: { number: 7, method: "INVITE" },
      viaBranch: "z9hG4bK-top",
    });
    expect(msg?.body).toHaveLength(75); // "EXTRA" lies beyond Content-Length
    expect(msg?.sdp[0]).toMatchObject({ address: "2001:db8::5", port: 4000, formats: [18, 101] });
    expect(msg?.sdp[0]?.rtpmap[18]).toEqual({ codec: "G729", clockRate: 8000 });
  });

  test("not SIP → null; SDP media-level c= overrides the session one", () => {
    expect(parseSip("HTTP/1.1 200 OK\r\n\r\n")).toBeNull();
    expect(parseSip("hello")).toBeNull();
    const sdp = parseSdp(
      "c=IN IP4 10.0.0.1\r\nm=audio 5004 RTP/AVP 0\r\nm=audio 5006 RTP/AVP 8\r\nc=IN IP4 10.0.0.9\r\n",
    );
    expect(sdp.map((m) => [m.address, m.port])).toEqual([
      ["10.0.0.1", 5004],
      ["10.0.0.9", 5006],
    ]);
  });

  test("SIP over TCP: two messages in one segment are split by Content-Length", () => {
    const two =
      "OPTIONS sip:a SIP/2.0\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 4\r\n\r\nabcd" +
      "SIP/2.0 200 OK\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    const ladder = buildLadder([
      {
        frame: 1,
        timeUs: 0,
        transport: "tcp",
        src: "10.0.0.1",
        srcPort: 5060,
        dst: "10.0.0.2",
        dstPort: 5060,
        payload: Buffer.from(two, "latin1"),
      },
    ]);
    expect(ladder.messages.map((m) => m.label)).toEqual(["OPTIONS", "200 (OK)"]);
    expect(ladder.messages[0]?.raw.endsWith("abcd")).toBe(true);
  });
});
