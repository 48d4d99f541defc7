import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { diagnosticsFile } from "../../lib/diagnostics/download.ts";
import { inProcessParser, parseCapture, threadParser } from "../../lib/diagnostics/store.ts";
import { getDiagnosticsView } from "../../lib/diagnostics/view.ts";
import { getHealth } from "../../lib/health/index.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import { craftedCapture } from "../../scripts/fixtures/diagnostics/crafted.ts";
import { type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { loadFixture } from "../helpers/tshark.ts";

// A crafted worst-case capture (the patterns that made the old parser quadratic) is parsed in a
// worker thread: meanwhile the process still answers /api/health's check and exports another
// call's diagnostics (which read stored rows and stream the stored file, never parse) within 1 s.
// Past its time or memory limit, the capture fails with a reason the page shows.
let t: TestDatabase;
let store: TempBlobStore | undefined;
let blobs: BlobStore;
const quiet = () => {};
const admin = { id: randomUUID(), role: "admin" as const };

beforeAll(async () => {
  t = await createTestDatabase();
  store = tempBlobStore("worst-case");
  blobs = store.blobs;
  await t.db
    .insertInto("users")
    .values({ id: admin.id, email: "wc@parley.demo", name: "Admin", role: "admin" })
    .execute();
});

afterAll(async () => {
  await t?.drop();
  store?.remove();
});

/** A voice conversation with an uploaded capture, stored as the upload endpoint stores it. */
async function upload(bytes: Uint8Array): Promise<{ conversationId: string; captureId: string }> {
  const c = await t.db
    .insertInto("conversations")
    .values({
      session_id: `wc-${randomUUID()}`,
      direction: "inbound",
      language: "en-US",
      channel: "voice",
      started_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const captureId = randomUUID();
  const key = `captures/${c.id}/${captureId}.pcap`;
  await blobs.put(key, bytes);
  await t.db
    .insertInto("sip_captures")
    .values({
      id: captureId,
      conversation_id: c.id,
      storage_key: key,
      format: "pcap",
      size_bytes: bytes.length,
    })
    .execute();
  return { conversationId: c.id, captureId };
}

describe("a crafted worst-case capture", () => {
  test("while it is parsed, health and an unrelated export answer within 1 s", async () => {
    const other = await upload(loadFixture("gst-rtcp-loss-sll2.pcap"));
    await parseCapture(t.db, blobs, other.captureId, quiet, { parser: inProcessParser });
    const crafted = await upload(craftedCapture(6 * 1024 * 1024));

    let done = false;
    const parsing = parseCapture(t.db, blobs, crafted.captureId, quiet, {
      parser: threadParser({ timeoutMs: 300_000, memoryMb: 2048 }),
    }).finally(() => {
      done = true;
    });
    const answeredDuringParse: number[] = [];
    for (let i = 0; i < 3 && !done; i++) {
      const t0 = performance.now();
      const health = await getHealth(t.db);
      const text = await diagnosticsFile(t.db, blobs, admin, other.conversationId, "text", {
        obscureCustomerInfo: false,
      });
      const pcap = await diagnosticsFile(t.db, blobs, admin, other.conversationId, "pcap", {
        obscureCustomerInfo: false,
      });
      const pcapBytes = pcap.ok ? (await new Response(pcap.body).arrayBuffer()).byteLength : 0;
      const ms = performance.now() - t0;
      if (done) break; // only answers given while the parse still ran count
      expect(health.database.ok).toBe(true);
      expect(text.ok && String(text.body)).toContain("INVITE sip:");
      expect(pcapBytes).toBe(loadFixture("gst-rtcp-loss-sll2.pcap").length);
      answeredDuringParse.push(ms);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(answeredDuringParse.length).toBeGreaterThan(0);
    expect(Math.max(...answeredDuringParse)).toBeLessThan(1000);
    expect(await parsing).toMatchObject({ status: "parsed" });
  });

  test("past the time limit the capture fails, and the page says why", async () => {
    const crafted = await upload(craftedCapture(4 * 1024 * 1024));
    const result = await parseCapture(t.db, blobs, crafted.captureId, quiet, {
      parser: threadParser({ timeoutMs: 1, memoryMb: 1024 }),
    });
    expect(result).toMatchObject({ status: "failed" });
    const view = await getDiagnosticsView(t.db, admin, crafted.conversationId, {
      obscureCustomerInfo: false,
    });
    expect(view?.capture?.state).toBe("failed");
    expect(view?.capture?.error).toMatch(/^Parsing took longer than .* \(CAPTURE_PARSE_TIMEOUT_SECONDS\)/);
  });
});
