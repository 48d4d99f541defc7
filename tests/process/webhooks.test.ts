import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../lib/audit/index.ts";
import { readEnv } from "../../lib/config/env.ts";
import { createBoss, startBoss } from "../../lib/jobs/boss.ts";
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "../../lib/platform/webhook.ts";
import { parseAllowList } from "../../lib/recordings/outbound.ts";
import { openBlobStoreAt } from "../../lib/storage/index.ts";
import { DeliveryFailed, deliverWebhook, failWebhookDelivery } from "../../lib/webhooks/deliver.ts";
import {
  createWebhookEndpoint,
  dispatchWebhookDeliveries,
  sendTestWebhook,
  setWebhookEndpointActive,
} from "../../lib/webhooks/index.ts";
import { receiveWebhook } from "../../lib/webhooks/receiver.ts";
import { startWorker } from "../../worker/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// Outgoing webhooks on a real database and real HTTP: events raised by the triggers in the
// transaction of the change, turned into jobs, POSTed signed to a local receiver, retried, logged,
// and checked by the reference receiver (which refuses a replay under another idempotency key).

let t: TestDatabase;
let boss: PgBoss;
const LOCAL = parseAllowList(["127.0.0.1"], "WEBHOOK_ALLOWED_HOSTS");
const NONE = parseAllowList([], "WEBHOOK_ALLOWED_HOSTS");

type Received = { headers: Headers; body: string; verdict: ReturnType<typeof receiveWebhook> };

/**
 * The reference receiver on 127.0.0.1, answering with the statuses given in turn (then 200 for what
 * it accepts, its own 4xx for what it refuses).
 */
async function receiver(secret: () => string, statuses: number[] = []) {
  const received: Received[] = [];
  const seen = new Set<string>();
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = new Headers(req.headers as Record<string, string>);
      const forced = statuses.shift();
      const verdict = forced
        ? ({ ok: false, status: 400, error: "forced" } as const)
        : receiveWebhook({ secret: secret(), headers, body, seen });
      received.push({ headers, body, verdict });
      res.writeHead(forced ?? (verdict.ok ? 200 : verdict.status)).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  /**
   * Resolves once `n` requests have arrived (a positive signal, never a sleep); rejects after 15 s,
   * well before the per-minute dispatch pass could stand in for the trigger's wake-up.
   */
  const waitFor = async (n: number) => {
    const deadline = Date.now() + 15_000;
    while (received.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${received.length} of ${n} deliveries arrived within 15 s`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, left).unref();
      });
    }
  };
  return { url, received, waitFor, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let counter = 0;
async function conversationWithRecording() {
  const n = ++counter;
  const conversation = await t.db
    .insertInto("conversations")
    .values({
      session_id: `wh-${n}`,
      call_id: `call-${n}`,
      channel: "voice",
      direction: "inbound",
      language: "en",
      started_at: new Date(Date.now() - 600_000),
      ended_at: new Date(Date.now() - 300_000),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const recording = await t.db
    .insertInto("recordings")
    .values({ conversation_id: conversation.id })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { conversationId: conversation.id, recordingId: recording.id, sessionId: `wh-${n}` };
}

/** A recording's state change, which the trigger under test turns into an event. */
const setRecordingState = (id: string, state: "available" | "failed") =>
  t.db.updateTable("recordings").set({ state }).where("id", "=", id).execute();

const deliveriesOf = (endpointId: string) =>
  t.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("endpoint_id", "=", endpointId)
    .orderBy("created_at")
    .execute();

beforeAll(async () => {
  t = await createTestDatabase();
  boss = createBoss(t.url);
  await startBoss(boss);
});

afterAll(async () => {
  await boss.stop({ graceful: false });
  await t?.drop();
});

describe("events raised by the database", () => {
  it("a recording becoming available raises recording.ready for each active endpoint subscribed to it, once", async () => {
    const ready = await createWebhookEndpoint(t.db, systemActor, {
      url: "https://hooks.example.com/ready",
      events: ["recording.ready", "recording.deleted"],
    });
    const exportsOnly = await createWebhookEndpoint(t.db, systemActor, {
      url: "https://hooks.example.com/exports",
      events: ["export.ready"],
    });
    const off = await createWebhookEndpoint(t.db, systemActor, {
      url: "https://hooks.example.com/off",
      events: ["recording.ready"],
    });
    await setWebhookEndpointActive(t.db, systemActor, off.id, false);

    const rec = await conversationWithRecording();
    await t.db
      .updateTable("recordings")
      .set({ state: "available", duration_ms: 61_000 })
      .where("id", "=", rec.recordingId)
      .execute();
    // The same state written again (a settle after a late leg) is not a new event.
    await setRecordingState(rec.recordingId, "available");

    const [delivery, ...more] = await deliveriesOf(ready.id);
    expect(more).toHaveLength(0);
    expect(delivery).toMatchObject({ event_type: "recording.ready", status: "pending", attempts: 0 });
    expect(delivery?.payload).toEqual({
      recording: expect.objectContaining({ id: rec.recordingId, state: "available", durationMs: 61_000 }),
      conversation: { id: rec.conversationId, sessionId: rec.sessionId, callId: expect.any(String) },
    });
    expect(await deliveriesOf(exportsOnly.id)).toHaveLength(0);
    expect(await deliveriesOf(off.id)).toHaveLength(0);

    // Retention's tombstone raises recording.deleted.
    await t.db
      .updateTable("recordings")
      .set({ state: "deleted", deleted_reason: "retention", updated_at: new Date() })
      .where("id", "=", rec.recordingId)
      .execute();
    expect((await deliveriesOf(ready.id)).map((d) => d.event_type)).toEqual([
      "recording.ready",
      "recording.deleted",
    ]);
    await t.db.deleteFrom("webhook_endpoints").execute();
  });

  it("export.ready and disposition.changed carry what a receiver needs, and no customer data", async () => {
    const endpoint = await createWebhookEndpoint(t.db, systemActor, {
      url: "https://hooks.example.com/all",
      events: ["export.ready", "disposition.changed"],
    });
    const user = await t.db
      .insertInto("users")
      .values({ email: "sup@example.com", name: "Sup", role: "supervisor" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const exp = await t.db
      .insertInto("exports")
      .values({ kind: "transcripts", requested_by: user.id, selection: JSON.stringify({}) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db
      .updateTable("exports")
      .set({ status: "succeeded", file_name: "transcripts.zip", size_bytes: "1234", conversation_count: 3 })
      .where("id", "=", exp.id)
      .execute();

    const rec = await conversationWithRecording();
    const [from, to] = await t.db
      .insertInto("dispositions")
      .values([
        { code: "wh-open", label: "Open" },
        { code: "wh-resolved", label: "Resolved" },
      ])
      .returning("id")
      .execute();
    await t.db
      .insertInto("disposition_changes")
      .values({
        conversation_id: rec.conversationId,
        changed_by: user.id,
        from_disposition_id: from?.id,
        to_disposition_id: to?.id,
        note: "called back",
      })
      .execute();

    const rows = await deliveriesOf(endpoint.id);
    expect(rows.map((r) => r.event_type)).toEqual(["export.ready", "disposition.changed"]);
    expect(rows[0]?.payload).toEqual({
      export: {
        id: exp.id,
        kind: "transcripts",
        fileName: "transcripts.zip",
        sizeBytes: 1234,
        conversationCount: 3,
        requestedBy: "sup@example.com",
        downloadPath: `/api/exports/${exp.id}/download`,
      },
    });
    expect(rows[1]?.payload).toMatchObject({
      conversation: { id: rec.conversationId, sessionId: rec.sessionId, channel: "voice" },
      disposition: {
        from: { code: "wh-open", label: "Open" },
        to: { code: "wh-resolved", label: "Resolved" },
        note: "called back",
        changedBy: "sup@example.com",
        source: "parley",
      },
    });
    await t.db.deleteFrom("webhook_endpoints").execute();
  });
});

describe("delivery", () => {
  it("a running worker delivers a new event at once, signed, and the reference receiver accepts it", async () => {
    let secret = "";
    const rx = await receiver(() => secret);
    const endpoint = await createWebhookEndpoint(t.db, systemActor, {
      url: rx.url,
      events: ["recording.ready"],
    });
    secret = endpoint.secret;
    const worker = await startWorker({
      databaseUrl: t.url,
      blobs: openBlobStoreAt("/tmp/parley-unused-blobs"),
      env: { ...readEnv(), WEBHOOK_ALLOWED_HOSTS: "127.0.0.1" },
      log: () => {},
    });
    try {
      const rec = await conversationWithRecording();
      await setRecordingState(rec.recordingId, "available");
      // Woken by the trigger's NOTIFY, not by the per-minute pass (the test would time out).
      await rx.waitFor(1);
      const [got] = rx.received;
      expect(got?.verdict).toMatchObject({ ok: true, duplicate: false });
      const [row] = await deliveriesOf(endpoint.id);
      expect(got?.headers.get(IDEMPOTENCY_HEADER)).toBe(row?.id);
      expect(JSON.parse(got?.body ?? "{}")).toMatchObject({
        id: row?.id,
        type: "recording.ready",
        data: { recording: { id: rec.recordingId } },
      });
      await expect
        .poll(async () => (await deliveriesOf(endpoint.id))[0]?.status, { timeout: 10_000 })
        .toBe("succeeded");

      // Send test: queued with its job in one transaction, delivered by the same worker.
      const testId = await sendTestWebhook(t.db, boss, systemActor, endpoint.id);
      await rx.waitFor(2);
      expect(JSON.parse(rx.received[1]?.body ?? "{}")).toMatchObject({ id: testId, type: "webhook.test" });
    } finally {
      await worker.stop();
      await rx.close();
      await t.db.deleteFrom("webhook_endpoints").execute();
    }
  });

  it("a failed attempt is logged and retried with the same key and body; the last one ends it failed", async () => {
    let secret = "";
    const rx = await receiver(() => secret, [503, 500]);
    const endpoint = await createWebhookEndpoint(t.db, systemActor, {
      url: rx.url,
      events: ["recording.failed"],
    });
    secret = endpoint.secret;
    const rec = await conversationWithRecording();
    await t.db
      .updateTable("recordings")
      .set({ state: "24hr_retry_failed", last_error: "The recording server answered HTTP 404" })
      .where("id", "=", rec.recordingId)
      .execute();
    expect(await dispatchWebhookDeliveries(t.db, boss)).toBe(1);
    const [queued] = await deliveriesOf(endpoint.id);
    expect(queued?.status).toBe("queued");
    const id = queued?.id ?? "";

    await expect(deliverWebhook(t.db, id, { allow: LOCAL, lastAttempt: false })).rejects.toThrow(
      DeliveryFailed,
    );
    expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({
      status: "queued",
      attempts: 1,
      last_status: 503,
      last_error: "The endpoint answered HTTP 503",
    });
    await expect(deliverWebhook(t.db, id, { allow: LOCAL, lastAttempt: false })).rejects.toThrow(
      DeliveryFailed,
    );
    await deliverWebhook(t.db, id, { allow: LOCAL, lastAttempt: false });
    expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({
      status: "succeeded",
      attempts: 3,
      last_status: 200,
    });
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
    expect(new Set(rx.received.map((r) => r.headers.get(IDEMPOTENCY_HEADER))).size).toBe(1);
    // A redelivered job after success sends nothing more.
    await deliverWebhook(t.db, id, { allow: LOCAL, lastAttempt: false });
    expect(rx.received).toHaveLength(3);

    // Another event whose endpoint never accepts: the last attempt ends it failed (no throw).
    const rec2 = await conversationWithRecording();
    await setRecordingState(rec2.recordingId, "failed");
    await dispatchWebhookDeliveries(t.db, boss);
    const second = (await deliveriesOf(endpoint.id))[1];
    await t.db
      .updateTable("webhook_endpoints")
      .set({ secret: "whsec_wrong" })
      .where("id", "=", endpoint.id)
      .execute();
    await deliverWebhook(t.db, second?.id ?? "", { allow: LOCAL, lastAttempt: true });
    expect((await deliveriesOf(endpoint.id))[1]).toMatchObject({
      status: "failed",
      attempts: 1,
      last_status: 401,
    });

    // The dead letter of a job whose worker died ends a delivery still in flight, not a settled one.
    const rec3 = await conversationWithRecording();
    await setRecordingState(rec3.recordingId, "failed");
    await dispatchWebhookDeliveries(t.db, boss);
    const third = (await deliveriesOf(endpoint.id))[2];
    await failWebhookDelivery(t.db, third?.id ?? "");
    await failWebhookDelivery(t.db, id);
    const after = await deliveriesOf(endpoint.id);
    expect(after[2]?.status).toBe("failed");
    expect(after[0]?.status).toBe("succeeded");
    await rx.close();
    await t.db.deleteFrom("webhook_endpoints").execute();
  });

  it("the reference receiver refuses a replay under another idempotency key, a changed body and a stale one", async () => {
    let secret = "";
    const rx = await receiver(() => secret);
    const endpoint = await createWebhookEndpoint(t.db, systemActor, {
      url: rx.url,
      events: ["recording.ready"],
    });
    secret = endpoint.secret;
    const rec = await conversationWithRecording();
    await setRecordingState(rec.recordingId, "available");
    await dispatchWebhookDeliveries(t.db, boss);
    const [row] = await deliveriesOf(endpoint.id);
    await deliverWebhook(t.db, row?.id ?? "", { allow: LOCAL, lastAttempt: false });
    const original = rx.received[0];
    if (!original) throw new Error("nothing received");
    expect(original.verdict.ok).toBe(true);

    const replay = async (headers: Record<string, string>, body = original.body) => {
      const res = await fetch(rx.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [TIMESTAMP_HEADER]: original.headers.get(TIMESTAMP_HEADER) ?? "",
          [SIGNATURE_HEADER]: original.headers.get(SIGNATURE_HEADER) ?? "",
          [IDEMPOTENCY_HEADER]: original.headers.get(IDEMPOTENCY_HEADER) ?? "",
          ...headers,
        },
        body,
      });
      return res.status;
    };
    // The same request again: acknowledged, flagged as a duplicate, not acted on twice.
    expect(await replay({})).toBe(200);
    expect(rx.received[1]?.verdict).toMatchObject({ ok: true, duplicate: true });
    // Under a new idempotency key: the key is the signed body's id, so it no longer matches.
    expect(await replay({ [IDEMPOTENCY_HEADER]: crypto.randomUUID() })).toBe(400);
    // With the key changed inside the body as well: the signature no longer matches.
    const forged = original.body.replace(row?.id ?? "", crypto.randomUUID());
    expect(await replay({}, forged)).toBe(401);
    // A stale timestamp (beyond the tolerance) fails the signature check.
    expect(await replay({ [TIMESTAMP_HEADER]: String(Math.floor(Date.now() / 1000) - 3600) })).toBe(401);
    await rx.close();
    await t.db.deleteFrom("webhook_endpoints").execute();
  });

  it("a private or loopback address not on WEBHOOK_ALLOWED_HOSTS is refused without retrying", async () => {
    const rx = await receiver(() => "");
    const endpoint = await createWebhookEndpoint(t.db, systemActor, {
      url: rx.url,
      events: ["recording.ready"],
    });
    const rec = await conversationWithRecording();
    await setRecordingState(rec.recordingId, "available");
    await dispatchWebhookDeliveries(t.db, boss);
    const [row] = await deliveriesOf(endpoint.id);
    await deliverWebhook(t.db, row?.id ?? "", { allow: NONE, lastAttempt: false });
    const [after] = await deliveriesOf(endpoint.id);
    expect(after?.status).toBe("failed");
    expect(after?.last_error).toMatch(/^Refused: .*127\.0\.0\.1.*WEBHOOK_ALLOWED_HOSTS/);
    expect(rx.received).toHaveLength(0);
    await rx.close();
    await t.db.deleteFrom("webhook_endpoints").execute();
  });
});
