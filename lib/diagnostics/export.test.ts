import { describe, expect, test } from "vitest";
import { loadFixture } from "../../tests/helpers/tshark.ts";
import { exportText, formatTimeUs } from "./export.ts";
import { parseCaptureBytes } from "./parsed.ts";
import { callTimings } from "./sip.ts";
import { buildFlow } from "./view.ts";

// Export PCAP, re-read by tshark, is in tests/process/diagnostics-export-pcap.test.ts.

describe("Export TEXT", () => {
  test("a header line per message (time, source → destination, protocol) then the raw message", () => {
    const d = parseCaptureBytes(loadFixture("gst-rtcp-loss.pcapng"));
    const { flow } = buildFlow(d.sip, d.rtcpPackets, { obscureCustomerInfo: false });
    const text = exportText(flow, callTimings(d.sip), "1-32176@127.0.0.1");
    expect(text).toContain("# Call 1-32176@127.0.0.1\n#   Call setup time (INVITE → 200 OK): 1007.981 ms");
    expect(text).toContain("#   Post-dial delay (INVITE → first 18x): 705.067 ms");
    expect(text).toContain(
      "2026-11-25 13:47:19.058154 127.0.0.1:5061 → 127.0.0.1:5060 SIP/UDP (+0.000000 s)\nINVITE sip:service@127.0.0.1:5060 SIP/2.0\n",
    );
    expect(text).toContain("127.0.0.1:5061 → 127.0.0.1:5060 SIP/UDP (+0.502873 s) [retransmission]");
    expect(text).toContain("127.0.0.1:35009 → 127.0.0.1:40001 RTCP/UDP");
    expect(text).toMatch(
      /fraction lost 3\/256, cumulative lost 1, highest seq 3573, jitter 55 units, LSR 1701419800, DLSR 3866/,
    );
    expect(text.match(/ SIP\/UDP /g)).toHaveLength(8);
  });

  test("times keep their microseconds", () => {
    expect(formatTimeUs(1795614439058154)).toBe("2026-11-25 13:47:19.058154");
    expect(formatTimeUs(1795614439000001)).toBe("2026-11-25 13:47:19.000001");
  });
});
