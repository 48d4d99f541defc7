import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DIAGNOSTICS_SESSIONS, seedVoiceDiagnostics } from "../../db/seed/diagnostics.ts";
import type { Role } from "../../lib/auth/permissions.ts";
import { diagnosticsFile } from "../../lib/diagnostics/download.ts";
import { getDiagnosticsView, maskSipIdentities } from "../../lib/diagnostics/view.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import { type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { readRtpStreams, readTsv } from "../helpers/tshark.ts";

// The Diagnostics page's data and exports on the demo calls (real captures, parsed by the job's
// function), compared with what tshark reads from the same fixtures.
let t: TestDatabase;
let store: TempBlobStore | undefined;
let blobs: BlobStore;
const users: Record<string, { id: string; role: Role }> = {};
const ids: Record<string, string> = {};
const now = new Date("2026-11-20T15:30:00Z"); // before the fixtures were made: the shift goes backwards

beforeAll(async () => {
  t = await createTestDatabase();
  store = tempBlobStore("diag-view");
  blobs = store.blobs;
  for (const [email, name, role] of [
    ["agent@parley.demo", "Alex Agent", "agent"],
    ["supervisor@parley.demo", "Sam Supervisor", "supervisor"],
    ["daniel.kim@parley.demo", "Daniel Kim", "agent"],
  ] as const) {
    const u = await t.db
      .insertInto("users")
      .values({ email, name, role })
      .returning("id")
      .executeTakeFirstOrThrow();
    users[email] = { id: u.id, role };
  }
  await seedVoiceDiagnostics(t.db, blobs, { seed: 1, now });
  for (const c of await t.db.selectFrom("conversations").select(["id", "session_id"]).execute()) {
    ids[c.session_id] = c.id;
  }
});

afterAll(async () => {
  await t?.drop();
  store?.remove();
});

const supervisor = () => users["supervisor@parley.demo"] as { id: string; role: Role };
const alex = () => users["agent@parley.demo"] as { id: string; role: Role };
const daniel = () => users["daniel.kim@parley.demo"] as { id: string; role: Role };
const rtcpCall = () => ids[DIAGNOSTICS_SESSIONS.withRtcp] as string;
const echoCall = () => ids[DIAGNOSTICS_SESSIONS.withoutRtcp] as string;
const plain = { obscureCustomerInfo: false };

describe("Diagnostics view", () => {
  test("the Flow lists tshark's SIP messages in capture order, RTCP on its media ports, deltas from the INVITE", async () => {
    const view = await getDiagnosticsView(t.db, supervisor(), rtcpCall(), plain);
    if (!view) throw new Error("no view");
    expect(view.capture?.state).toBe("parsed");
    const expected = readTsv("gst-rtcp-loss.sip.tsv");
    const sip = view.flow.filter((r) => r.kind === "sip");
    expect(sip.map((r) => r.frame)).toEqual(expected.map((r) => Number(r["frame.number"])));
    expect(sip.map((r) => (r.label.match(/^\d+/) ? r.label.split(" ")[0] : r.label))).toEqual(
      expected.map((r) => r["sip.Method"] || r["sip.Status-Code"]),
    );
    expect(sip.map((r) => r.isRetransmission)).toEqual(expected.map((r) => r["sip.resend"] === "1"));
    // Responses as the spec writes them: "100 (Trying)", "200 (OK)".
    const responses = sip.filter((r) => /^\d/.test(r.label));
    expect(responses.map((r) => /^(\d{3}) \([^)]+\)$/.exec(r.label)?.[1])).toEqual(
      expected.filter((r) => r["sip.Status-Code"]).map((r) => r["sip.Status-Code"]),
    );
    expect(responses.map((r) => r.label).slice(0, 3)).toEqual(["100 (Trying)", "180 (Ringing)", "200 (OK)"]);
    expect(sip[0]?.deltaUs).toBe(0);
    // Frames in capture order, SIP and RTCP interleaved.
    const frames = view.flow.map((r) => r.frame ?? 0);
    expect(frames).toEqual([...frames].sort((a, b) => a - b));
    const rtcpRows = readTsv("gst-rtcp-loss.rtcp.tsv");
    const rtcp = view.flow.filter((r) => r.kind === "rtcp");
    expect(rtcp.map((r) => r.frame)).toEqual(rtcpRows.map((r) => Number(r["frame.number"])));
    expect(rtcp.map((r) => r.src)).toEqual(rtcpRows.map((r) => `${r["ip.src"]}:${r["udp.srcport"]}`));
    expect(rtcp.every((r) => !r.src.endsWith(":5060") && !r.dst.endsWith(":5060"))).toBe(true);
    // Every RTCP packet with its compound label, as Export TEXT writes it (one source for both).
    expect(rtcp.map((r) => r.label)).toEqual([
      "RTCP SR + SDES",
      "RTCP SR + SDES",
      "RTCP SR + SDES + BYE",
      "RTCP SR + SDES + BYE",
    ]);
    const file = await diagnosticsFile(t.db, blobs, supervisor(), rtcpCall(), "text", plain);
    const text = file.ok ? String(file.body) : "";
    expect(text.match(/^RTCP .*$/gm)).toEqual(rtcp.map((r) => r.label));
    expect(view.endpoints).toContain("127.0.0.1:5060");
    expect(view.capture?.calls[0]?.callSetupMs).toBeGreaterThan(700);
  });

  test("QoS: packets and loss as tshark measured them, two labelled sources, min ≤ avg ≤ max", async () => {
    const view = await getDiagnosticsView(t.db, supervisor(), rtcpCall(), plain);
    const theirs = readRtpStreams("gst-rtcp-loss.rtp-streams.txt");
    expect(view?.streams).toHaveLength(theirs.length);
    for (const s of theirs) {
      const ours = view?.streams.find((v) => v.ssrc === `0x${s.ssrc.toString(16).padStart(8, "0")}`);
      expect(ours?.capture.packets).toBe(s.packets);
      expect(ours?.capture.lost).toBe(s.lost);
      expect(ours?.capture.label).toBe("Measured from the capture (RFC 3550)");
      expect(ours?.rtcp.label).toBe("Reported by endpoints (RTCP)");
      if (ours?.rtcp.state !== "reported") throw new Error("expected RTCP");
      for (const st of [ours.rtcp.jitterMs, ours.rtcp.cumulativeLost, ours.rtcp.mos]) {
        if (!st) continue;
        expect(st.min).toBeLessThanOrEqual(st.avg);
        expect(st.avg).toBeLessThanOrEqual(st.max);
      }
      expect(ours.series.length).toBe(ours.rtcp.receiverReports);
      // LSR as RTCP carries it, from the other party's report blocks about this stream (a
      // two-party call: every block about one SSRC comes from the other).
      const lsrs = readTsv("gst-rtcp-loss.rtcp.tsv")
        .filter(
          (r) => r["rtcp.ssrc.lsr"] !== "" && Number.parseInt(r["rtcp.senderssrc"] ?? "", 16) !== s.ssrc,
        )
        .map((r) => Number(r["rtcp.ssrc.lsr"]));
      expect(lsrs.length).toBeGreaterThan(0);
      expect(ours.rtcp.lsr).toEqual({
        min: Math.min(...lsrs),
        avg: lsrs.reduce((a, b) => a + b, 0) / lsrs.length,
        max: Math.max(...lsrs),
        count: lsrs.length,
      });
    }
    // One direction had the other's SR when it reported (LSR = its NTP middle 32 bits), one hadn't.
    const lsr = view?.streams.map((v) => (v.rtcp.state === "reported" ? v.rtcp.lsr?.max : null));
    expect(new Set(lsr)).toEqual(new Set([0, 1701419800]));
    const echo = await getDiagnosticsView(t.db, supervisor(), echoCall(), plain);
    expect(echo?.streams.length).toBeGreaterThan(0);
    expect(echo?.streams.every((s) => s.rtcp.state === "no-rtcp")).toBe(true);
  });

  test("Agents: one section per join, quality only from the reports inside each window", async () => {
    const view = await getDiagnosticsView(t.db, supervisor(), rtcpCall(), plain);
    const [agent, sup] = view?.agents ?? [];
    expect(agent?.name).toBe("Alex Agent");
    expect(agent?.exitReason).toBe("Terminated");
    // Both receiver blocks of the call arrived while Alex was in it; none after the supervisor joined.
    const blocks = readTsv("gst-rtcp-loss.rtcp.tsv").filter((r) => r["rtcp.ssrc.jitter"] !== "");
    expect(agent?.reports).toBe(blocks.length);
    expect(agent?.packetsLost?.max).toBe(Math.max(...blocks.map((r) => Number(r["rtcp.ssrc.cum_nr"]))));
    expect(agent?.mos?.count).toBe(blocks.length);
    expect(sup?.role).toBe("supervisor");
    expect(sup?.reports).toBe(0);
    expect(sup?.mos).toBeNull();
  });

  test("agents see only calls they joined; chat conversations have no Diagnostics", async () => {
    expect(await getDiagnosticsView(t.db, alex(), rtcpCall(), plain)).not.toBeNull();
    expect(await getDiagnosticsView(t.db, alex(), echoCall(), plain)).toBeNull();
    expect(await getDiagnosticsView(t.db, daniel(), echoCall(), plain)).not.toBeNull();
    const chat = await t.db
      .insertInto("conversations")
      .values({
        session_id: "diag-chat",
        direction: "inbound",
        language: "en-US",
        channel: "chat",
        started_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(await getDiagnosticsView(t.db, supervisor(), chat.id, plain)).toBeNull();
    expect(await getDiagnosticsView(t.db, supervisor(), "not-a-uuid", plain)).toBeNull();
  });

  test("obscured customer info masks SIP identities in the Flow", async () => {
    const view = await getDiagnosticsView(t.db, supervisor(), rtcpCall(), { obscureCustomerInfo: true });
    const invite = view?.flow.find((r) => r.label === "INVITE");
    expect(invite?.raw).toMatch(/sip:•••@/);
    expect(
      maskSipIdentities('From: "Jane Doe" <sip:+15551234567@example.com>;tag=1\r\nTo: <tel:+15550001111>'),
    ).toBe('From: "•••" <sip:•••@example.com>;tag=1\r\nTo: <tel:•••>');
  });
});

describe("Diagnostics exports", () => {
  test("Export PCAP: the call's frames, re-read by tshark with the same streams; audited", async () => {
    const file = await diagnosticsFile(t.db, blobs, supervisor(), rtcpCall(), "pcap", plain);
    if (!file.ok) throw new Error(file.error);
    const out = path.join(store?.dir ?? "", "export.pcap");
    expect(file.filename).toMatch(/\.pcap$/); // the stored file (the seed stores a pcap), streamed
    writeFileSync(out, Buffer.from(await new Response(file.body).arrayBuffer()));
    const streams = execFileSync("tshark", ["-r", out, "-q", "-z", "rtp,streams"], { encoding: "utf8" });
    for (const s of readRtpStreams("gst-rtcp-loss.rtp-streams.txt")) {
      expect(streams).toMatch(
        new RegExp(
          `0x${s.ssrc.toString(16).toUpperCase().padStart(8, "0")}\\s+g711U\\s+${s.packets}\\s+${s.lost} `,
        ),
      );
    }
    const audit = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "diagnostics.export")
      .where("target_id", "=", rtcpCall())
      .execute();
    expect(audit.map((a) => a.actor_id)).toContain(supervisor().id);
  });

  test("Export TEXT: a header line per message then the raw message", async () => {
    const file = await diagnosticsFile(t.db, blobs, supervisor(), rtcpCall(), "text", plain);
    if (!file.ok) throw new Error(file.error);
    const text = String(file.body);
    expect(text).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} 127\.0\.0\.1:5061 → 127\.0\.0\.1:5060 SIP\/UDP/m,
    );
    expect(text).toContain("INVITE sip:");
  });

  test("out of scope is 404; PCAP is refused while customer info is obscured", async () => {
    expect(await diagnosticsFile(t.db, blobs, alex(), echoCall(), "pcap", plain)).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(
      await diagnosticsFile(t.db, blobs, supervisor(), rtcpCall(), "pcap", { obscureCustomerInfo: true }),
    ).toMatchObject({ ok: false, status: 403 });
    const masked = await diagnosticsFile(t.db, blobs, supervisor(), rtcpCall(), "text", {
      obscureCustomerInfo: true,
    });
    expect(masked.ok && String(masked.body)).toMatch(/sip:•••@/);
  });
});
