import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { ConversationFeed, type FeedEvent } from "../../lib/live/feed.ts";
import { createNotification } from "../../lib/notifications/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedAgents } from "../helpers/ingest.ts";

// The live feed: one LISTEN connection fans ingest's notifications out to subscribers, each seeing
// only the conversations its scope allows, and recovers (with a resync) when the connection drops.
let t: TestDatabase;
let feed: ConversationFeed;
const users = {} as Record<"agent" | "other" | "supervisor", { id: string; role: "agent" | "supervisor" }>;
const logs: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  const [agentEmail, otherEmail] = await seedAgents(t.db, 2);
  const sup = await t.db
    .insertInto("users")
    .values({ email: "sup@live.test", name: "Sup", role: "supervisor" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const id = async (email: string | undefined) =>
    (
      await t.db
        .selectFrom("users")
        .select("id")
        .where("email", "=", email ?? "")
        .executeTakeFirstOrThrow()
    ).id;
  users.agent = { id: await id(agentEmail), role: "agent" };
  users.other = { id: await id(otherEmail), role: "agent" };
  users.supervisor = { id: sup.id, role: "supervisor" };
  feed = new ConversationFeed(t.url, t.db, (line) => logs.push(line));
});
afterAll(async () => {
  await feed?.close();
  await t?.drop();
});

/** Collects what a viewer receives; `next` resolves with the next event. */
function listen(viewer: { id: string; role: "agent" | "supervisor" }) {
  const events: FeedEvent[] = [];
  let waiting: ((event: FeedEvent) => void) | null = null;
  const unsubscribe = feed.subscribe(
    () => viewer,
    (event) => {
      events.push(event);
      waiting?.(event);
      waiting = null;
    },
  );
  const next = (ms = 5000) =>
    new Promise<FeedEvent>((resolve, reject) => {
      waiting = resolve;
      setTimeout(() => reject(new Error("no event")), ms);
    });
  return { events, next, unsubscribe };
}

const started = (sessionId: string, at: string, agentEmail?: string) => [
  {
    id: `${sessionId}-start`,
    type: "conversation.started" as const,
    sessionId,
    occurredAt: at,
    channel: "chat" as const,
    direction: "inbound" as const,
    language: "en-US",
  },
  ...(agentEmail
    ? [
        {
          id: `${sessionId}-join`,
          type: "participant.joined" as const,
          sessionId,
          occurredAt: at,
          agentEmail,
        },
      ]
    : []),
];

async function untilListening() {
  // subscribe() connects in the background; LISTEN is in place once its connection has run the
  // LISTEN statement and is idle again (pg_stat_activity shows the last statement and the state).
  await expect
    .poll(async () => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where application_name = 'parley-live' and datname = current_database()
          and state = 'idle' and query ilike 'listen %'`.execute(t.db);
      return rows[0]?.n;
    })
    .toBe(1);
}

describe("live conversation feed", () => {
  it("sends each subscriber the changes its scope allows, with the start time", async () => {
    const agent = listen(users.agent);
    const other = listen(users.other);
    const supervisor = listen(users.supervisor);
    await untilListening();
    const agentEmail = "agent0@ingest.test";
    const supNext = supervisor.next();
    const agentNext = agent.next();
    const result = await ingestEvents(t.db, started("live-1", "2026-11-25T10:00:00.000Z", agentEmail));
    const [id] = result.conversationIds;
    expect(await supNext).toEqual({
      type: "changes",
      changes: [{ id, startedAt: "2026-11-25T10:00:00.000Z" }],
    });
    expect(await agentNext).toEqual({
      type: "changes",
      changes: [{ id, startedAt: "2026-11-25T10:00:00.000Z" }],
    });
    // One flush sends to every subscriber in one synchronous pass, and the awaits above resume only
    // after it: whatever `other` was going to get from this change, it has got by now.
    expect(other.events).toEqual([]); // not theirs: nothing, not even the id
    for (const s of [agent, other, supervisor]) s.unsubscribe();
  });

  it("coalesces a burst of notifications into one message", async () => {
    const supervisor = listen(users.supervisor);
    await untilListening();
    await Promise.all(
      ["b1", "b2", "b3"].map((s, i) => ingestEvents(t.db, started(s, `2026-11-25T11:0${i}:00.000Z`))),
    );
    const ids = () =>
      supervisor.events.flatMap((e) => (e.type === "changes" ? e.changes.map((c) => c.id) : []));
    await expect.poll(() => ids().length).toBe(3);
    expect(supervisor.events.length).toBeLessThan(3);
    supervisor.unsubscribe();
  });

  it("passes a new notification to its recipient's streams only", async () => {
    const agent = listen(users.agent);
    const other = listen(users.other);
    await untilListening();
    const next = agent.next();
    await t.db.transaction().execute((trx) =>
      createNotification(trx, {
        userId: users.agent.id,
        kind: "test",
        title: "Hello",
        body: "",
        dedupeKey: "live-feed-test",
      }),
    );
    expect(await next).toEqual({ type: "user", event: { type: "notification" } });
    // Delivered to every matching stream in one synchronous pass, finished before `next` resumed.
    expect(other.events).toEqual([]);
    agent.unsubscribe();
    other.unsubscribe();
  });

  it("reconnects after the connection is killed and tells subscribers to resync", async () => {
    const supervisor = listen(users.supervisor);
    await untilListening();
    const resync = supervisor.next(15_000);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = 'parley-live' and datname = current_database()`.execute(t.db);
    expect(await resync).toEqual({ type: "resync" });
    await untilListening();
    const change = supervisor.next();
    await ingestEvents(t.db, started("after-reconnect", "2026-11-25T12:00:00.000Z"));
    expect((await change).type).toBe("changes");
    expect(logs.some((l) => l.includes("connection lost"))).toBe(true);
    supervisor.unsubscribe();
  }, 30_000);
});
