import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserViewer } from "../../lib/auth/scope.ts";
import { type ListConversationsOptions, listQuery } from "../../lib/conversations/list.ts";
import { parseMonitorParams } from "../../lib/conversations/monitor-params.ts";
import { getOngoingConversation, listOngoingConversations } from "../../lib/conversations/ongoing.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { ALREADY_JOINED, requestPlatformAction, viewerJoinState } from "../../lib/platform/actions.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedLiveConversations } from "../helpers/live-conversations.ts";

// Monitor at real size: 2,000 conversations in progress (beside finished ones), searched, filtered
// and paged by keyset, each reachable by Supervisor View; the page query read from an index in
// order (EXPLAIN), and Join Conversation refused once the supervisor is on the conversation.

const LIVE = 2000;
const TAG = "mon";
let t: TestDatabase;
let ids: string[];
let supervisor: UserViewer & { email: string };
let agent: UserViewer & { email: string };

beforeAll(async () => {
  t = await createTestDatabase();
  const [s, a] = await t.db
    .insertInto("users")
    .values([
      { email: "sup@monitor.test", name: "Sup", role: "supervisor" },
      { email: "agent@monitor.test", name: "Agent", role: "agent" },
    ])
    .returning(["id", "role", "email"])
    .execute();
  supervisor = s as typeof supervisor;
  agent = a as typeof agent;
  // Finished conversations newer than every live one: an unindexed walk would have to pass them.
  const ended: unknown[] = [];
  for (let n = 0; n < 300; n++) {
    const sessionId = `done-${n}`;
    const at = new Date(Date.now() + 60_000 + n * 1000).toISOString();
    ended.push(
      {
        id: `${sessionId}-s`,
        type: "conversation.started",
        sessionId,
        occurredAt: at,
        channel: "chat",
        direction: "inbound",
        language: "en-US",
      },
      {
        id: `${sessionId}-e`,
        type: "conversation.ended",
        sessionId,
        occurredAt: new Date(Date.parse(at) + 1000).toISOString(),
      },
    );
  }
  expect((await ingestEvents(t.db, ended)).rejected).toEqual([]);
  ids = await seedLiveConversations(t.db, { count: LIVE, tag: TAG, agentEmail: agent.email });
  await sql`analyze`.execute(t.db);
}, 300_000);

afterAll(async () => {
  await t?.drop();
});

type PlanNode = {
  "Node Type": string;
  "Index Name"?: string;
  "Sort Key"?: string[];
  Plans?: PlanNode[];
};

describe("Monitor with 2,000 conversations in progress", () => {
  it("pages through every live conversation by keyset, newest first, none twice", async () => {
    const seen: string[] = [];
    let after: Awaited<ReturnType<typeof listOngoingConversations>>["next"] = null;
    do {
      const page = await listOngoingConversations(t.db, supervisor, after ? { after } : {});
      expect(page.items.every((c) => c.status === "in_progress")).toBe(true);
      seen.push(...page.items.map((c) => c.id));
      after = page.next;
    } while (after);
    expect(seen).toHaveLength(LIVE);
    expect(new Set(seen).size).toBe(LIVE);
    expect(seen[0]).toBe(ids.at(-1)); // newest first
  });

  it("finds one by customer name, by session id and by a word said", async () => {
    const n = 1234; // far outside the first pages, and no other caller's name contains it
    for (const q of [`Live Caller ${TAG}-${n}`, `live-${TAG}-${n}`, `${TAG}w${n}`]) {
      const page = await listOngoingConversations(t.db, supervisor, parseMonitorParams({ q }));
      expect(
        page.items.map((c) => c.id),
        q,
      ).toEqual([ids[n]]);
    }
  });

  it("filters by queue, agent and SmartStatus, combined with the search", async () => {
    const billing = await listOngoingConversations(
      t.db,
      supervisor,
      parseMonitorParams({ queue: "Billing" }),
    );
    expect(billing.items).toHaveLength(50);
    expect(billing.items.every((c) => c.queues.at(-1) === "Billing")).toBe(true);
    const handled = await listOngoingConversations(t.db, supervisor, { agent: [agent.email] }, 500);
    expect(handled.items).toHaveLength(LIVE / 10);
    expect(handled.items.every((c) => c.agents.some((a) => a.id === agent.id))).toBe(true);
    const onHold = await listOngoingConversations(t.db, supervisor, parseMonitorParams({ smart: "on_hold" }));
    expect(onHold.items.every((c) => c.smartStatus === "on_hold")).toBe(true);
    // Conversation 1236 is in Billing (1236 % 3 = 0); asking for it in Sales finds nothing.
    const q = `Live Caller ${TAG}-1236`;
    expect((await listOngoingConversations(t.db, supervisor, { q, queue: ["Billing"] })).items).toHaveLength(
      1,
    );
    expect((await listOngoingConversations(t.db, supervisor, { q, queue: ["Sales"] })).items).toHaveLength(0);
  });

  it("opens Supervisor View on any live one (the oldest too), never on an ended one", async () => {
    const oldest = await getOngoingConversation(t.db, supervisor, ids[0] as string);
    expect(oldest?.id).toBe(ids[0]);
    const done = await t.db
      .selectFrom("conversations")
      .select("id")
      .where("status", "!=", "in_progress")
      .executeTakeFirstOrThrow();
    expect(await getOngoingConversation(t.db, supervisor, done.id)).toBeNull();
    // An agent sees only the live conversations they are on.
    expect(await getOngoingConversation(t.db, agent, ids[1] as string)).toBeNull();
    expect((await getOngoingConversation(t.db, agent, ids[10] as string))?.id).toBe(ids[10]);
  });

  it("reads the page from an index in start order, with a search and filters too", async () => {
    const shapes: ListConversationsOptions[] = [
      {},
      { lookup: { text: `Live Caller ${TAG}-5`, contacts: true, tsquery: `'${TAG}w5'` } },
      { lookup: { text: `${TAG}w5`, contacts: true, tsquery: `'${TAG}w5'`, fewMatches: true } },
      { queue: ["Billing"], smart: ["handling"] },
    ];
    for (const params of shapes) {
      const [row] = await t.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        await sql`set local enable_sort = off`.execute(trx);
        return listQuery(trx, supervisor, {
          status: ["in_progress"],
          limit: 50,
          ...params,
        }).explain("json");
      });
      const nodes: PlanNode[] = [];
      const walk = (node: PlanNode) => {
        nodes.push(node);
        for (const child of node.Plans ?? []) walk(child);
      };
      walk((row?.["QUERY PLAN"] as { Plan: PlanNode }[] | undefined)?.[0]?.Plan as PlanNode);
      const text = JSON.stringify(params);
      expect(
        nodes.filter((n) => n["Node Type"] === "Seq Scan"),
        text,
      ).toEqual([]);
      const sorts = nodes.filter(
        (n) => n["Node Type"] === "Sort" && /started_at/.test(JSON.stringify(n["Sort Key"])),
      );
      expect(sorts, text).toEqual([]);
      expect(
        nodes.some((n) =>
          [
            "conversations_status_started_idx",
            "conversations_in_progress_idx",
            "conversations_smart_status_idx", // (smart_status, started_at, id): in order as well
          ].includes(n["Index Name"] ?? ""),
        ),
        text,
      ).toBe(true);
    }
  });
});

describe("Join Conversation once", () => {
  it("is refused while the supervisor's join is pending, and once they are on the conversation", async () => {
    const id = ids[42] as string;
    expect(await viewerJoinState(t.db, supervisor.id, id)).toBeNull();
    const by = { viewer: supervisor, actor: { kind: "user" as const, id: supervisor.id } };
    await t.db
      .insertInto("platform_actions")
      .values({ conversation_id: id, requested_by: supervisor.id, kind: "join", payload: "{}" })
      .execute();
    expect(await viewerJoinState(t.db, supervisor.id, id)).toBe("requested");
    // Refused before anything is enqueued: no job queue is needed to see it.
    await expect(requestPlatformAction(t.db, null as never, by, id, { kind: "join" })).rejects.toThrow(
      ALREADY_JOINED,
    );
    await t.db
      .updateTable("platform_actions")
      .set({ status: "confirmed" })
      .where("conversation_id", "=", id)
      .execute();
    expect(await viewerJoinState(t.db, supervisor.id, id)).toBeNull();
    const at = new Date().toISOString();
    const joined = await ingestEvents(t.db, [
      {
        id: `j-${id}`,
        type: "participant.joined",
        sessionId: `live-${TAG}-42`,
        occurredAt: at,
        agentEmail: supervisor.email,
        role: "supervisor",
      },
    ]);
    expect(joined.rejected).toEqual([]);
    expect(await viewerJoinState(t.db, supervisor.id, id)).toBe("joined");
    await expect(requestPlatformAction(t.db, null as never, by, id, { kind: "join" })).rejects.toThrow(
      ALREADY_JOINED,
    );
  });
});
