import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assignConversationAction,
  changeQueueAction,
  joinConversationAction,
} from "../../app/(app)/monitor/actions.ts";
import { ACCESS_RESTRICTED, runAction } from "../../lib/auth/action.ts";
import type { Viewer } from "../../lib/auth/viewer.ts";
import { readEnv } from "../../lib/config/env.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { createBoss, startBoss } from "../../lib/jobs/boss.ts";
import { sendPlatformActionJob } from "../../lib/jobs/definitions.ts";
import { stopBoss } from "../../lib/jobs/instance.ts";
import {
  buildPlatformRequest,
  failUndeliveredAction,
  NOT_ONGOING,
  type RequestedBy,
  requestPlatformAction,
  sendPlatformAction,
  UNDELIVERED,
} from "../../lib/platform/actions.ts";
import { startPlatformSimulator } from "../../lib/platform/simulator.ts";
import {
  deliver,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  sign,
  TIMESTAMP_HEADER,
  verifySignature,
} from "../../lib/platform/webhook.ts";
import { openBlobStoreAt } from "../../lib/storage/index.ts";
import { startWorker } from "../../worker/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { insertViewer } from "../helpers/users.ts";

// Supervisor actions end to end on a real database and real HTTP: the request row and its job in
// one transaction, the signed webhook to a local receiver, retries, idempotency, and the platform's
// confirmation through ingest.

const SECRET = "test-secret-0123456789abcdef";

let t: TestDatabase;
let boss: PgBoss;
const users = {} as Record<"supervisor" | "agent" | "agent2", Viewer>;

type Received = { headers: IncomingHttpHeaders; body: string };

/** A local HTTP receiver answering with the statuses given, in turn (then 200). */
async function receiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const by = (viewer: Viewer): RequestedBy => ({ viewer, actor: { kind: "user", id: viewer.id } });

let sessionCounter = 0;
async function liveConversation(opts: { ended?: boolean } = {}) {
  const sessionId = `pa-${++sessionCounter}`;
  const at = new Date().toISOString();
  const events: unknown[] = [
    {
      id: `${sessionId}-s`,
      type: "conversation.started",
      sessionId,
      occurredAt: at,
      channel: "chat",
      direction: "inbound",
      language: "en-US",
    },
    { id: `${sessionId}-q`, type: "queue.entered", sessionId, occurredAt: at, queue: "Billing" },
    {
      id: `${sessionId}-j`,
      type: "participant.joined",
      sessionId,
      occurredAt: at,
      agentEmail: users.agent.email,
    },
  ];
  if (opts.ended) {
    const end = new Date(Date.parse(at) + 1000).toISOString();
    events.push({ id: `${sessionId}-e`, type: "conversation.ended", sessionId, occurredAt: end });
  }
  const result = await ingestEvents(t.db, events);
  expect(result.rejected).toEqual([]);
  return { id: result.conversationIds[0] as string, sessionId };
}

const actionRow = (id: string) =>
  t.db.selectFrom("platform_actions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  for (const [key, role] of [
    ["supervisor", "supervisor"],
    ["agent", "agent"],
    ["agent2", "agent"],
  ] as const) {
    users[key] = await insertViewer(t.db, { email: `${key}@actions.test`, name: `The ${key}`, role });
  }
  boss = await startBoss(createBoss(t.url));
  process.env.DATABASE_URL = t.url; // the server actions' getBoss()
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await stopBoss();
  await t?.drop();
});

describe("requesting an action", () => {
  it("writes the pending row, its audit entry and its job in one transaction", async () => {
    const c = await liveConversation();
    const { actionId } = await requestPlatformAction(t.db, boss, by(users.supervisor), c.id, {
      kind: "join",
    });
    expect(await actionRow(actionId)).toMatchObject({ status: "pending", kind: "join", attempts: 0 });
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "target_id", "detail"])
      .where("target_id", "=", c.id)
      .execute();
    expect(audit).toEqual([{ action: "conversation.join", target_id: c.id, detail: { actionId } }]);
    const jobs = await sql<{ data: { actionId: string } }>`
      select data from pgboss.job where name = ${sendPlatformActionJob.name} and data->>'actionId' = ${actionId}`.execute(
      t.db,
    );
    expect(jobs.rows).toHaveLength(1);
  });

  it("an action whose delivery ran out of attempts unanswered fails with the reason; a settled one stays", async () => {
    const c = await liveConversation();
    const { actionId } = await requestPlatformAction(t.db, boss, by(users.supervisor), c.id, {
      kind: "join",
    });
    await failUndeliveredAction(t.db, actionId);
    expect(await actionRow(actionId)).toMatchObject({ status: "failed", last_error: UNDELIVERED });
    await t.db
      .updateTable("platform_actions")
      .set({ status: "confirmed" })
      .where("id", "=", actionId)
      .execute();
    await failUndeliveredAction(t.db, actionId); // a late dead letter
    expect(await actionRow(actionId)).toMatchObject({ status: "confirmed" });
  });

  it("refuses an action on a completed conversation and writes nothing", async () => {
    const c = await liveConversation({ ended: true });
    await expect(
      requestPlatformAction(t.db, boss, by(users.supervisor), c.id, { kind: "join" }),
    ).rejects.toThrow(NOT_ONGOING);
    const rows = await t.db
      .selectFrom("platform_actions")
      .select("id")
      .where("conversation_id", "=", c.id)
      .execute();
    expect(rows).toEqual([]);
    const result = await runAction(
      joinConversationAction.definition,
      { conversationId: c.id },
      {
        getViewer: async () => users.supervisor,
        getDb: () => t.db,
        requestContext: async () => ({}),
      },
    );
    expect(result).toEqual({ ok: false, error: NOT_ONGOING });
  });

  it("refuses agents every action, before anything is read or written", async () => {
    const c = await liveConversation();
    const deps = { getViewer: async () => users.agent, getDb: () => t.db, requestContext: async () => ({}) };
    for (const [action, input] of [
      [joinConversationAction, { conversationId: c.id }],
      [assignConversationAction, { conversationId: c.id, agentId: users.agent2.id }],
      [changeQueueAction, { conversationId: c.id, queueId: c.id }],
    ] as const) {
      expect(await runAction(action.definition as never, input, deps)).toEqual({
        ok: false,
        error: ACCESS_RESTRICTED,
      });
    }
    const rows = await t.db
      .selectFrom("platform_actions")
      .select("id")
      .where("conversation_id", "=", c.id)
      .execute();
    expect(rows).toEqual([]);
  });
});

describe("the webhook", () => {
  it("is signed over timestamp and body, verifiable with the secret, and keyed by the action id", async () => {
    const hook = await receiver();
    try {
      const c = await liveConversation();
      const { actionId } = await requestPlatformAction(t.db, boss, by(users.supervisor), c.id, {
        kind: "assign",
        agentId: users.agent2.id,
      });
      await sendPlatformAction(t.db, { url: hook.url, secret: SECRET }, actionId, { lastAttempt: false });
      expect(hook.received).toHaveLength(1);
      const [{ headers, body }] = hook.received as [Received];
      const signed = {
        timestamp: headers[TIMESTAMP_HEADER] as string,
        signature: headers[SIGNATURE_HEADER] as string,
        body,
      };
      expect(verifySignature({ secret: SECRET, ...signed })).toBe(true);
      expect(verifySignature({ secret: "another-secret-0123456789", ...signed })).toBe(false);
      expect(verifySignature({ secret: SECRET, ...signed, body: body.replace("assign", "join") })).toBe(
        false,
      );
      const later = new Date((Number(signed.timestamp) + 3600) * 1000);
      expect(verifySignature({ secret: SECRET, ...signed, now: later }), "replayed an hour later").toBe(
        false,
      );
      expect(headers[IDEMPOTENCY_HEADER]).toBe(actionId);
      expect(JSON.parse(body)).toEqual({
        id: actionId,
        type: "assign",
        createdAt: expect.any(String),
        conversation: { id: c.id, sessionId: c.sessionId },
        requestedBy: { email: users.supervisor.email, name: users.supervisor.name },
        agent: { email: users.agent2.email, name: users.agent2.name },
      });
      expect(await actionRow(actionId)).toMatchObject({ status: "sent", attempts: 1, last_error: null });
    } finally {
      await hook.close();
    }
  });

  it("is retried on failure with the same key and body, and fails the action after the last attempt", async () => {
    const hook = await receiver([503]);
    try {
      const target = { url: hook.url, secret: SECRET };
      const c = await liveConversation();
      const { actionId } = await requestPlatformAction(t.db, boss, by(users.supervisor), c.id, {
        kind: "join",
      });
      await expect(sendPlatformAction(t.db, target, actionId, { lastAttempt: false })).rejects.toThrow(/503/);
      expect(await actionRow(actionId)).toMatchObject({
        status: "pending",
        attempts: 1,
        last_error: "The platform answered HTTP 503",
      });
      await sendPlatformAction(t.db, target, actionId, { lastAttempt: false });
      expect(await actionRow(actionId)).toMatchObject({ status: "sent", attempts: 2, last_error: null });
      expect(hook.received.map((r) => r.headers[IDEMPOTENCY_HEADER])).toEqual([actionId, actionId]);
      expect(hook.received[0]?.body).toBe(hook.received[1]?.body);

      // Idempotent: a delivered action is not sent again when its job runs once more.
      await sendPlatformAction(t.db, target, actionId, { lastAttempt: false });
      expect(hook.received).toHaveLength(2);

      const down = await liveConversation();
      const failing = await requestPlatformAction(t.db, boss, by(users.supervisor), down.id, {
        kind: "join",
      });
      await hook.close();
      await sendPlatformAction(t.db, target, failing.actionId, { lastAttempt: true }); // no throw: settled
      expect(await actionRow(failing.actionId)).toMatchObject({
        status: "failed",
        attempts: 1,
        last_error: expect.stringMatching(/could not be reached/),
      });
    } finally {
      await hook.close().catch(() => {});
    }
  });

  it("is retried by the worker's queue until the platform accepts it", async () => {
    expect(sendPlatformActionJob.queue.retryLimit).toBeGreaterThan(0);
    // Only this test's job: the earlier tests' jobs are still queued in this database.
    await sql`delete from pgboss.job where name = ${sendPlatformActionJob.name}`.execute(t.db);
    const hook = await receiver([500]);
    const worker = await startWorker({
      databaseUrl: t.url,
      blobs: openBlobStoreAt("/tmp/parley-unused-blobs"),
      env: readEnv({ PLATFORM_WEBHOOK_URL: hook.url, PLATFORM_WEBHOOK_SECRET: SECRET }),
      log: () => {},
    });
    try {
      const c = await liveConversation();
      const { actionId } = await requestPlatformAction(t.db, boss, by(users.supervisor), c.id, {
        kind: "join",
      });
      const row = await until(
        () => actionRow(actionId),
        (r) => r.status === "sent",
        "the retried delivery",
      );
      expect(row.attempts).toBe(2);
      expect(hook.received).toHaveLength(2);
    } finally {
      await worker.stop();
      await hook.close();
    }
  });
});

describe("the platform's confirmation", () => {
  it("confirms the action and updates agents and queues (the simulator answers through ingest, once per key)", async () => {
    const ingested: number[] = [];
    const simulator = await startPlatformSimulator({
      secret: SECRET,
      delayMs: 0,
      ingest: async (events) => ingested.push((await ingestEvents(t.db, events)).accepted),
      log: () => {},
    });
    try {
      const target = { url: simulator.url, secret: SECRET };
      const c = await liveConversation();
      const queue = await t.db
        .insertInto("queues")
        .values({ name: "Escalations" })
        .returning("id")
        .executeTakeFirstOrThrow();
      const requests = [
        { kind: "join" as const },
        { kind: "assign" as const, agentId: users.agent2.id },
        { kind: "change_queue" as const, queueId: queue.id },
      ];
      const ids: string[] = [];
      for (const input of requests) {
        const { actionId } = await requestPlatformAction(t.db, boss, by(users.supervisor), c.id, input);
        await sendPlatformAction(t.db, target, actionId, { lastAttempt: false });
        ids.push(actionId);
      }
      for (const id of ids) {
        const row = await until(
          () => actionRow(id),
          (r) => r.status === "confirmed",
          `action ${id} confirmed`,
        );
        expect(row.confirmed_at).not.toBeNull();
      }
      const participants = await t.db
        .selectFrom("conversation_participants as p")
        .innerJoin("users as u", "u.id", "p.user_id")
        .select(["u.email", "p.role"])
        .where("p.conversation_id", "=", c.id)
        .orderBy("p.joined_at")
        .orderBy("u.email")
        .execute();
      expect(participants).toEqual(
        expect.arrayContaining([
          { email: users.agent.email, role: "agent" },
          { email: users.supervisor.email, role: "supervisor" },
          { email: users.agent2.email, role: "agent" },
        ]),
      );
      const queues = await t.db
        .selectFrom("conversation_queues as cq")
        .innerJoin("queues as q", "q.id", "cq.queue_id")
        .select("q.name")
        .where("cq.conversation_id", "=", c.id)
        .orderBy("cq.entered_at")
        .execute();
      expect(queues.map((q) => q.name)).toEqual(["Billing", "Escalations"]);
      const conversation = await t.db
        .selectFrom("conversations")
        .select("support_agent_id")
        .where("id", "=", c.id)
        .executeTakeFirstOrThrow();
      expect(conversation.support_agent_id).toBe(users.agent2.id);

      // The same delivery again (a retry whose first answer was lost): accepted, not acted on twice.
      const before = ingested.length;
      const response = await fetch(simulator.url, { method: "POST" });
      expect(response.status).toBe(401); // unsigned
      await sendPlatformActionAgain(target, ids[0] as string);
      await new Promise((r) => setTimeout(r, 100));
      expect(ingested.length).toBe(before);
    } finally {
      await simulator.close();
    }
  });

  it("a failure report fails a pending action but never undoes a confirmed one", async () => {
    const c = await liveConversation();
    const a = await requestPlatformAction(t.db, boss, by(users.supervisor), c.id, { kind: "join" });
    // A second join by the same supervisor is refused while the first is pending: use an assign.
    const b = await requestPlatformAction(t.db, boss, by(users.supervisor), c.id, {
      kind: "assign",
      agentId: users.agent2.id,
    });
    const at = new Date().toISOString();
    const base = { sessionId: c.sessionId, occurredAt: at };
    const result = await ingestEvents(t.db, [
      {
        ...base,
        id: "f-1",
        type: "participant.joined",
        agentEmail: users.supervisor.email,
        role: "supervisor",
        actionId: a.actionId,
      },
      { ...base, id: "f-2", type: "action.failed", actionId: a.actionId, reason: "Too late" },
      { ...base, id: "f-3", type: "action.failed", actionId: b.actionId, reason: "Supervisor line busy" },
    ]);
    expect(result).toMatchObject({ accepted: 3, rejected: [] });
    expect(await actionRow(a.actionId)).toMatchObject({ status: "confirmed" });
    expect(await actionRow(b.actionId)).toMatchObject({
      status: "failed",
      last_error: "Supervisor line busy",
    });
  });
});

/** Re-sends an action's webhook as a retry would, even though it is no longer pending. */
async function sendPlatformActionAgain(target: { url: string; secret: string }, actionId: string) {
  const found = await buildPlatformRequest(t.db, actionId);
  const outcome = await deliver(target, found?.request as never);
  expect(outcome).toEqual({ ok: true, status: 200 });
}

describe("the platform's idempotency key", () => {
  it("is the signed body's id: a captured request replayed with a fresh Idempotency-Key is not acted on again", async () => {
    const acted: unknown[] = [];
    const simulator = await startPlatformSimulator({
      secret: SECRET,
      delayMs: 0,
      ingest: async (events) => {
        acted.push(events);
      },
      log: () => {},
    });
    try {
      const request = {
        id: "0b9f3c52-5a55-4f4e-9d7c-6d1c1a0c0a01",
        type: "join",
        createdAt: new Date().toISOString(),
        conversation: { id: "0b9f3c52-5a55-4f4e-9d7c-6d1c1a0c0a02", sessionId: "replayed" },
        requestedBy: { email: "sam@example.test", name: "Sam" },
      };
      const body = JSON.stringify(request);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const send = (key: string) =>
        fetch(simulator.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: sign(SECRET, timestamp, body),
            [IDEMPOTENCY_HEADER]: key,
          },
          body,
        });
      expect((await send(request.id)).status).toBe(202);
      await until(
        async () => acted.length,
        (n) => n === 1,
        "the first delivery carried out",
      );
      const replays = await Promise.all([send("a-fresh-key"), send(request.id)]);
      expect(replays.map((r) => r.status).sort()).toEqual([200, 400]);
      expect(acted).toHaveLength(1);
    } finally {
      await simulator.close();
    }
  });
});
