import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import dgram from "node:dgram";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { diagnosticsFile } from "../../lib/diagnostics/download.ts";
import { HepCollector } from "../../lib/diagnostics/hep/collector.ts";
import { inProcessParser, parseCapture } from "../../lib/diagnostics/store.ts";
import { getDiagnosticsView } from "../../lib/diagnostics/view.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import { type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { diagnosticsFixtures, epochToUs, readTsv } from "../helpers/tshark.ts";

// Live capture: Debian's sngrep reads a real capture and sends its SIP as HEP v3 to the collector,
// which appends it to the conversation whose call id is the SIP Call-ID; the parse job's function
// then gives that conversation its ladder. Loopback only, ephemeral ports.
let t: TestDatabase;
let store: TempBlobStore | undefined;
let blobs: BlobStore;
const dir = mkdtempSync(path.join(os.tmpdir(), "parley-hep-"));
const quiet = () => {};
const admin = { id: randomUUID(), role: "admin" as const };

beforeAll(async () => {
  t = await createTestDatabase();
  store = tempBlobStore("hep");
  blobs = store.blobs;
  await t.db
    .insertInto("users")
    .values({ id: admin.id, email: "hep-admin@parley.demo", name: "Admin", role: "admin" })
    .execute();
});

afterAll(async () => {
  await t?.drop();
  store?.remove();
  rmSync(dir, { recursive: true, force: true });
});

async function voiceCall(callId: string): Promise<string> {
  const row = await t.db
    .insertInto("conversations")
    .values({
      session_id: `hep-${randomUUID()}`,
      direction: "inbound",
      language: "en-US",
      channel: "voice",
      started_at: new Date("2026-11-25T13:47:00Z"),
      call_id: callId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 15_000) {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("HEP v3 collector", () => {
  test("sngrep sends a capture; the ladder appears on the conversation with that Call-ID", async () => {
    const sip = readTsv("sipp-echo.sip.tsv");
    const callId = sip[0]?.["sip.Call-ID"] as string;
    const right = await voiceCall(callId);
    const other = await voiceCall("some-other-call@127.0.0.1");
    const appended: string[] = [];
    const collector = new HepCollector({
      db: t.db,
      blobs,
      listen: [{ transport: "udp", host: "127.0.0.1", port: 0 }],
      secret: "s3cret",
      holdMs: 60_000,
      log: quiet,
      flushMs: 60_000, // flushed by the test
      onAppended: async (_trx, captureId) => {
        appended.push(captureId);
      },
    });
    const [bound] = await collector.start();
    try {
      // sngrep 1.6 with -N -I exits as soon as it has read the file, racing its HEP sender: fed
      // through a FIFO that stays open until the collector has everything, it can't exit early.
      const fifo = path.join(dir, "in.pcap");
      execFileSync("mkfifo", [fifo]);
      const config = path.join(dir, "sngreprc");
      writeFileSync(config, "set eep.send.pass s3cret\n"); // the HEP auth key chunk
      const sngrep = spawn(
        "sngrep",
        ["-F", "-f", config, "-N", "-q", "-I", fifo, "-H", `udp:127.0.0.1:${bound?.port}`],
        { stdio: "ignore" },
      );
      const writer = createWriteStream(fifo);
      await pipeline(createReadStream(path.join(diagnosticsFixtures, "sipp-echo.pcap")), writer, {
        end: false,
      });
      await until("sngrep's HEP packets", () => collector.stats.accepted === sip.length);
      writer.end();
      await new Promise((r) => sngrep.once("exit", r));
      expect(collector.stats).toMatchObject({ malformed: 0, unauthorized: 0, received: sip.length });

      await collector.flush();
      expect(collector.stats.appended).toBe(sip.length);
      expect(new Set(appended).size).toBe(1);
      const captureId = appended[0] as string;
      expect(await parseCapture(t.db, blobs, captureId, quiet, { parser: inProcessParser })).toMatchObject({
        status: "parsed",
        messages: sip.length,
      });

      const view = await getDiagnosticsView(t.db, admin, right, { obscureCustomerInfo: false });
      expect(view?.capture?.source).toBe("hep");
      const ladder = view?.flow.filter((r) => r.kind === "sip") ?? [];
      expect(ladder.map((r) => [r.label.split(" ")[0], r.src, r.dst, r.timeUs])).toEqual(
        sip.map((r) => [
          r["sip.Method"] || r["sip.Status-Code"],
          `${r["ip.src"]}:${r["udp.srcport"]}`,
          `${r["ip.dst"]}:${r["udp.dstport"]}`,
          epochToUs(r["frame.time_epoch"] ?? ""),
        ]),
      );
      expect(view?.capture?.calls.map((c) => c.callId)).toEqual([callId]);
      const elsewhere = await getDiagnosticsView(t.db, admin, other, { obscureCustomerInfo: false });
      expect(elsewhere?.capture).toBeNull();

      // Export PCAP: the synthesised IP/UDP headers make a normal pcap that tshark reads.
      const file = await diagnosticsFile(t.db, blobs, admin, right, "pcap", { obscureCustomerInfo: false });
      if (!file.ok) throw new Error(file.error);
      const out = path.join(dir, "hep.pcap");
      writeFileSync(out, Buffer.from(await new Response(file.body).arrayBuffer()));
      const fields = execFileSync(
        "tshark",
        ["-r", out, "-Y", "sip", "-T", "fields", "-e", "ip.src", "-e", "udp.srcport", "-e", "sip.Call-ID"],
        { encoding: "utf8" },
      );
      expect(fields.trim().split("\n")).toEqual(
        sip.map((r) => `${r["ip.src"]}\t${r["udp.srcport"]}\t${r["sip.Call-ID"]}`),
      );
    } finally {
      await collector.stop();
    }
  });

  test("wrong secret, disallowed sources and malformed packets are counted and dropped; unknown calls expire", async () => {
    const hep = (callId: string, key: string | null) => {
      const sipText = Buffer.from(
        `OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nCall-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\n\r\n`,
      );
      const chunk = (type: number, value: Buffer) => {
        const h = Buffer.alloc(6);
        h.writeUInt16BE(0, 0);
        h.writeUInt16BE(type, 2);
        h.writeUInt16BE(6 + value.length, 4);
        return Buffer.concat([h, value]);
      };
      const u8 = (n: number) => Buffer.from([n]);
      const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
      const u32 = (n: number) => {
        const b = Buffer.alloc(4);
        b.writeUInt32BE(n);
        return b;
      };
      const body = Buffer.concat([
        chunk(1, u8(2)),
        chunk(2, u8(17)),
        chunk(3, Buffer.from([127, 0, 0, 1])),
        chunk(4, Buffer.from([127, 0, 0, 2])),
        chunk(7, u16(5060)),
        chunk(8, u16(5060)),
        chunk(9, u32(1_790_000_000)),
        chunk(10, u32(5)),
        chunk(11, u8(1)),
        ...(key ? [chunk(14, Buffer.from(key))] : []),
        chunk(15, sipText),
      ]);
      const head = Buffer.from("HEP3\0\0");
      head.writeUInt16BE(6 + body.length, 4);
      return Buffer.concat([head, body]);
    };
    const make = (allow: string[]) =>
      new HepCollector({
        db: t.db,
        blobs,
        listen: [{ transport: "udp", host: "127.0.0.1", port: 0 }],
        secret: "s3cret",
        allow,
        holdMs: 0,
        log: quiet,
        flushMs: 60_000,
        onAppended: async () => {},
      });
    const c = make([]);
    c.receive(hep("nobody-knows@127.0.0.1", "s3cret"), "127.0.0.1");
    c.receive(hep("nobody-knows@127.0.0.1", "wrong"), "127.0.0.1");
    c.receive(hep("nobody-knows@127.0.0.1", null), "127.0.0.1");
    c.receive(Buffer.from("HEP3\xff\xffgarbage"), "127.0.0.1");
    c.receive(hep("x", "s3cret").subarray(0, 30), "127.0.0.1");
    expect(c.stats).toMatchObject({ received: 5, accepted: 1, unauthorized: 2, malformed: 2 });
    await c.flush();
    expect(c.stats.unmatched).toBe(1); // held for holdMs (0 here), then dropped

    const onlyTen = make(["10.0.0.0/8"]);
    onlyTen.receive(hep("x", "s3cret"), "127.0.0.1");
    onlyTen.receive(hep("x", "s3cret"), "10.1.2.3");
    expect(onlyTen.stats).toMatchObject({ unauthorized: 1, accepted: 1 });

    // Over the network as well: a real datagram, and TCP frames split and joined across writes.
    const [bound] = await c.start();
    const sock = dgram.createSocket("udp4");
    sock.send(Buffer.from("not hep at all"), bound?.port ?? 0, "127.0.0.1");
    await until("the malformed datagram", () => c.stats.malformed === 3);
    sock.close();
    await c.stop();
    const overTcp = new HepCollector({
      db: t.db,
      blobs,
      listen: [{ transport: "tcp", host: "127.0.0.1", port: 0 }],
      holdMs: 60_000,
      log: quiet,
      flushMs: 60_000,
      onAppended: async () => {},
    });
    const [tcp] = await overTcp.start();
    const stream = Buffer.concat([hep("a@x", null), hep("b@x", null), hep("c@x", null)]);
    const client = net.connect(tcp?.port ?? 0, "127.0.0.1");
    client.write(stream.subarray(0, 40));
    client.write(stream.subarray(40));
    await until("three frames over TCP", () => overTcp.stats.accepted === 3);
    client.destroy();
    await overTcp.stop();
  });
});
