import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Job, PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { diagnosticsFile } from "../../lib/diagnostics/download.ts";
import { CAPTURE_MISSING, parseCapture } from "../../lib/diagnostics/store.ts";
import { getDiagnosticsView } from "../../lib/diagnostics/view.ts";
import { createBoss, startBoss } from "../../lib/jobs/boss.ts";
import { parseCaptureJob } from "../../lib/jobs/definitions.ts";
import { enqueue } from "../../lib/jobs/enqueue.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import { parseCaptureHandler } from "../../worker/handlers/parse-capture.ts";
import { startWorker } from "../../worker/index.ts";
import { type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { epochToUs, loadFixture, readRtpStreams, readTsv } from "../helpers/tshark.ts";

let t: TestDatabase;
let store: TempBlobStore | undefined;
let blobs: BlobStore;
const quiet = () => {};

beforeAll(async () => {
  t = await createTestDatabase();
  store = tempBlobStore("captures");
  blobs = store.blobs;
});

afterAll(async () => {
  await t?.drop();
  store?.remove();
});

/** A voice conversation with one uploaded capture (the bytes given, or none on disk). */
async function insertCapture(bytes: Uint8Array | null, format: "pcap" | "pcapng" = "pcap"): Promise<string> {
  const conversation = await t.db
    .insertInto("conversations")
    .values({
      session_id: `diag-${randomUUID()}`,
      direction: "inbound",
      language: "en-US",
      channel: "voice",
      started_at: new Date("2026-11-25T13:47:19Z"),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  const key = `captures/${id}.${format}`;
  if (bytes) await blobs.put(key, bytes);
  await t.db
    .insertInto("sip_captures")
    .values({
      id,
      conversation_id: conversation.id,
      storage_key: key,
      format,
      size_bytes: bytes?.length ?? 0,
    })
    .execute();
  return id;
}

async function counts(captureId: string) {
  const [m, s, r] = await Promise.all(
    (["sip_messages", "media_streams", "rtcp_reports"] as const).map((table) =>
      t.db
        .selectFrom(table)
        .where("capture_id", "=", captureId)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
    ),
  );
  return { messages: Number(m?.n), streams: Number(s?.n), reports: Number(r?.n) };
}

describe("parseCapture", () => {
  test("stores the ladder with µs times, the streams and RTCP reports as tshark reads them; a re-run changes nothing", async () => {
    // The pcapng fixture uploaded as "pcap": the parser records what the file really is.
    const id = await insertCapture(loadFixture("gst-rtcp-loss.pcapng"), "pcap");
    const first = await parseCapture(t.db, blobs, id, quiet);
    expect(first).toMatchObject({ status: "parsed", messages: 8, streams: 2, reports: 4, warnings: [] });

    const ladder = await t.db
      .selectFrom("sip_messages")
      .select([
        "seq",
        "frame",
        sql<string>`(extract(epoch from captured_at) * 1000000)::bigint::text`.as("us"),
        sql<string>`host(src_ip)`.as("src"),
        "src_port",
        "method",
        "status_code",
        "sip_call_id",
        "is_retransmission",
      ])
      .where("capture_id", "=", id)
      .orderBy("seq")
      .execute();
    const tshark = readTsv("gst-rtcp-loss.sip.tsv");
    expect(
      ladder.map((m) => [
        m.frame,
        Number(m.us),
        `${m.src}:${m.src_port}`,
        m.method ?? String(m.status_code),
        m.is_retransmission,
      ]),
    ).toEqual(
      tshark.map((r) => [
        Number(r["frame.number"]),
        epochToUs(r["frame.time_epoch"] ?? ""),
        `${r["ip.src"]}:${r["udp.srcport"]}`,
        r["sip.Method"] || r["sip.Status-Code"],
        r["sip.resend"] === "1",
      ]),
    );

    const streams = await t.db.selectFrom("media_streams").selectAll().where("capture_id", "=", id).execute();
    for (const ts of readRtpStreams("gst-rtcp-loss.rtp-streams.txt")) {
      const s = streams.find((x) => Number(x.ssrc) === ts.ssrc && x.src_port === ts.srcPort);
      expect(s).toMatchObject({
        packets: ts.packets,
        lost_packets: ts.lost,
        codec: "PCMU",
        clock_rate: 8000,
      });
      expect(s?.sip_call_id).toBe("1-32176@127.0.0.1");
      expect(Math.abs((s?.mean_jitter_ms ?? Number.NaN) - ts.meanJitterMs)).toBeLessThanOrEqual(0.1);
      expect(Math.abs((s?.max_jitter_ms ?? Number.NaN) - ts.maxJitterMs)).toBeLessThanOrEqual(0.1);
    }

    const reports = await t.db
      .selectFrom("rtcp_reports")
      .select(["frame", "packet_type", "source_ssrc", "jitter_ms", "cumulative_lost", "rtt_ms", "lsr"])
      .where("capture_id", "=", id)
      .orderBy("frame")
      .execute();
    expect(
      reports.map((r) => [r.frame, r.packet_type, r.jitter_ms, r.cumulative_lost, r.rtt_ms === null]),
    ).toEqual([
      [153, 200, 8.125, 1, true], // LSR 0: no RTT, null not 0
      [156, 200, 6.875, 1, false],
      [601, 200, null, null, true], // final SRs carry no report blocks
      [602, 200, null, null, true],
    ]);

    const capture = await t.db
      .selectFrom("sip_captures")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(capture).toMatchObject({ state: "parsed", error: null, format: "pcapng", warnings: [] });
    expect(capture.call_setup_ms).toBeCloseTo(1007.981, 3);
    expect(capture.post_dial_delay_ms).toBeCloseTo(705.067, 3);

    const before = await counts(id);
    expect(await parseCapture(t.db, blobs, id, quiet)).toEqual(first);
    expect(await counts(id)).toEqual(before);
  });

  test("a file that isn't a capture is recorded as failed with the reason, and earlier rows go", async () => {
    const id = await insertCapture(loadFixture("sipp-echo.pcap"));
    expect((await parseCapture(t.db, blobs, id, quiet)).status).toBe("parsed");
    expect((await counts(id)).messages).toBe(6);

    await blobs.put(`captures/${id}.pcap`, Buffer.from("this is not a capture"));
    const result = await parseCapture(t.db, blobs, id, quiet);
    expect(result).toEqual({ status: "failed", error: "Not a pcap or pcapng file (unknown magic number)" });
    expect(await counts(id)).toEqual({ messages: 0, streams: 0, reports: 0 });
    const row = await t.db
      .selectFrom("sip_captures")
      .select(["state", "error"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: "failed", error: "Not a pcap or pcapng file (unknown magic number)" });
  });

  test("a truncated capture is parsed as far as it goes, with a warning", async () => {
    const whole = loadFixture("sipp-echo.pcap");
    const id = await insertCapture(whole.subarray(0, 60_000));
    const result = await parseCapture(t.db, blobs, id, quiet);
    expect(result.status).toBe("parsed");
    const row = await t.db
      .selectFrom("sip_captures")
      .select(["state", "warnings"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe("parsed");
    expect(row.warnings.join()).toMatch(/truncated/);
  });

  test("a missing blob throws (retried); a deleted capture row is skipped", async () => {
    const id = await insertCapture(null);
    await expect(parseCapture(t.db, blobs, id, quiet)).rejects.toThrow(/is missing/);
    expect(await parseCapture(t.db, blobs, randomUUID(), quiet)).toEqual({
      status: "skipped",
      reason: "no-capture",
    });
  });
});

describe("diagnostics.parse-capture job", () => {
  let boss: PgBoss | undefined;
  afterAll(async () => {
    await boss?.stop({ graceful: false });
  });

  test("the handler settles each job on its own", async () => {
    const ok = await insertCapture(loadFixture("gst-rtcp-loss-sll2.pcap"));
    const missing = await insertCapture(null);
    const handler = parseCaptureHandler({ db: t.db, blobs, log: quiet });
    const job = (id: string, data: unknown) => ({ id, name: parseCaptureJob.name, data }) as Job<unknown>;
    const results = await handler([
      job("a", { captureId: ok }),
      job("b", { captureId: missing }),
      job("c", { captureId: "x" }),
    ]);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["a", "completed"],
      ["b", "failed"],
      ["c", "deadletter"],
    ]);
    expect(await counts(ok)).toEqual({ messages: 8, streams: 2, reports: 4 });
  });

  test("a file still missing on the last attempt fails the capture with a clear reason instead of leaving it pending", async () => {
    const id = await insertCapture(null);
    const handler = parseCaptureHandler({ db: t.db, blobs, log: quiet });
    const attempt = (retryCount: number) =>
      ({
        id: `a${retryCount}`,
        name: parseCaptureJob.name,
        data: { captureId: id },
        retryCount,
      }) as Job<unknown>;
    const last = parseCaptureJob.queue.retryLimit ?? 0;
    expect(await handler([attempt(last - 1)])).toEqual([expect.objectContaining({ status: "failed" })]);
    const read = () =>
      t.db
        .selectFrom("sip_captures")
        .select(["state", "error"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
    expect(await read()).toEqual({ state: "pending", error: null }); // retried: storage may lag
    expect(await handler([attempt(last)])).toEqual([expect.objectContaining({ status: "completed" })]);
    expect(await read()).toEqual({ state: "failed", error: CAPTURE_MISSING });
  });

  test("an enqueued capture is parsed by a running worker", async () => {
    const worker = await startWorker({ databaseUrl: t.url, blobs, log: quiet });
    try {
      const id = await insertCapture(loadFixture("sipp-echo.pcap"));
      boss = await startBoss(createBoss(t.url, { application: "parley-test-enqueue" }));
      expect(await enqueue(boss, parseCaptureJob, { captureId: id })).toBeTruthy();
      const deadline = Date.now() + 10_000;
      let state = "pending";
      while (state === "pending" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        state = (
          await t.db.selectFrom("sip_captures").select("state").where("id", "=", id).executeTakeFirstOrThrow()
        ).state;
      }
      expect(state).toBe("parsed");
      expect(await counts(id)).toEqual({ messages: 6, streams: 4, reports: 0 });
    } finally {
      await worker.stop();
    }
  });
});

describe("several calls in one capture", () => {
  test("the page's data and Export TEXT give setup time and post-dial delay for every call", async () => {
    const captureId = await insertCapture(loadFixture("sipp-multicall.pcap"));
    expect(await parseCapture(t.db, blobs, captureId, quiet)).toMatchObject({ status: "parsed" });
    const { conversation_id } = await t.db
      .selectFrom("sip_captures")
      .select("conversation_id")
      .where("id", "=", captureId)
      .executeTakeFirstOrThrow();
    const admin = await t.db
      .insertInto("users")
      .values({ email: `multi-${randomUUID()}@parley.demo`, name: "Admin", role: "admin" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const viewer = { id: admin.id, role: "admin" as const };
    const view = await getDiagnosticsView(t.db, viewer, conversation_id, { obscureCustomerInfo: false });
    // tshark: each call's 200 OK and 180 minus its INVITE.
    const sip = readTsv("sipp-multicall.sip.tsv");
    const at = (callId: string, pick: (r: Record<string, string>) => boolean) =>
      epochToUs(sip.find((r) => r["sip.Call-ID"] === callId && pick(r))?.["frame.time_epoch"] ?? "");
    const callIds = [...new Set(sip.map((r) => r["sip.Call-ID"] as string))];
    expect(view?.capture?.calls).toEqual(
      callIds.map((callId) => {
        const invite = at(callId, (r) => r["sip.Method"] === "INVITE");
        return {
          callId,
          inviteAtUs: invite,
          callSetupMs: (at(callId, (r) => r["sip.Status-Code"] === "200") - invite) / 1000,
          postDialDelayMs: (at(callId, (r) => r["sip.Status-Code"] === "180") - invite) / 1000,
        };
      }),
    );
    const file = await diagnosticsFile(t.db, blobs, viewer, conversation_id, "text", {
      obscureCustomerInfo: false,
    });
    const text = file.ok ? String(file.body) : "";
    for (const c of view?.capture?.calls ?? []) {
      expect(text).toContain(
        `# Call ${c.callId}\n#   Call setup time (INVITE → 200 OK): ${c.callSetupMs?.toFixed(3)} ms`,
      );
    }
  });
});
