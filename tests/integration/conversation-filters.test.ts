import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScopeViewer } from "../../lib/auth/scope.ts";
import { type ListConversationsOptions, listConversations } from "../../lib/conversations/list.ts";
import { parseListParams, pickFilter } from "../../lib/list-params.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// The filter panel's semantics on a small hand-built world: each filter alone, lists as "any of",
// filters and custom-tag clauses ANDed, and the agent's scope still applied underneath.

let t: TestDatabase;
const users = {} as Record<"ann" | "bob" | "sue", string>;
const queues = {} as Record<"billing" | "tech", string>;
const conv = {} as Record<string, string>;
const supervisor = (): ScopeViewer => ({ id: users.sue, role: "supervisor" });

type Spec = {
  session: string;
  minute: number;
  channel: "voice" | "chat" | "email";
  status: "completed" | "error" | "in_progress";
  smart?: "resolved" | "escalated";
  csat?: number;
  day?: number; // November 2026
  queues?: ("billing" | "tech")[];
  agents?: ("ann" | "bob")[];
  tags?: [string, string][];
  callId?: string;
};

const WORLD: Spec[] = [
  {
    session: "s1",
    minute: 1,
    channel: "voice",
    status: "completed",
    smart: "resolved",
    csat: 5,
    day: 3,
    queues: ["billing"],
    agents: ["ann"],
    tags: [
      ["tier", "Gold"],
      ["priority", "high"],
    ],
    callId: "CALL-1",
  },
  {
    session: "s2",
    minute: 2,
    channel: "chat",
    status: "error",
    smart: "escalated",
    csat: 1,
    day: 10,
    queues: ["tech"],
    agents: ["bob"],
    tags: [
      ["tier", "silver"],
      ["note", "100%_done"],
    ],
  },
  {
    session: "s3",
    minute: 3,
    channel: "email",
    status: "in_progress",
    day: 20,
    queues: ["billing", "tech"],
    agents: ["ann", "bob"],
    tags: [["priority", "low"]],
  },
  { session: "s4", minute: 4, channel: "voice", status: "completed", csat: 3, day: 30 },
];

beforeAll(async () => {
  t = await createTestDatabase();
  const rows = await t.db
    .insertInto("users")
    .values([
      { email: "ann@f.test", name: "Ann", role: "agent" },
      { email: "bob@f.test", name: "Bob", role: "agent" },
      { email: "sue@f.test", name: "Sue", role: "supervisor" },
    ])
    .returning(["id", "email"])
    .execute();
  for (const key of ["ann", "bob", "sue"] as const)
    users[key] = rows.find((r) => r.email === `${key}@f.test`)?.id ?? "";
  const q = await t.db
    .insertInto("queues")
    .values([{ name: "F Billing" }, { name: "F Tech" }])
    .returning(["id", "name"])
    .execute();
  queues.billing = q.find((r) => r.name === "F Billing")?.id ?? "";
  queues.tech = q.find((r) => r.name === "F Tech")?.id ?? "";

  for (const spec of WORLD) {
    const startedAt = new Date(Date.UTC(2026, 10, spec.day ?? 1, 9, spec.minute));
    const { id } = await t.db
      .insertInto("conversations")
      .values({
        session_id: spec.session,
        direction: "inbound",
        language: "en-US",
        channel: spec.channel,
        status: spec.status,
        smart_status: spec.smart ?? null,
        csat_score: spec.csat ?? null,
        call_id: spec.callId ?? null,
        started_at: startedAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    conv[spec.session] = id;
    for (const queue of spec.queues ?? [])
      await t.db
        .insertInto("conversation_queues")
        .values({ conversation_id: id, queue_id: queues[queue], entered_at: startedAt })
        .execute();
    for (const agent of spec.agents ?? [])
      await t.db
        .insertInto("conversation_participants")
        .values({ conversation_id: id, user_id: users[agent], joined_at: startedAt })
        .execute();
    for (const [name, value] of spec.tags ?? [])
      await t.db
        .insertInto("conversation_tags")
        .values({ conversation_id: id, level: "session", name, value })
        .execute();
  }
});
afterAll(() => t.drop());

async function sessions(opts: ListConversationsOptions, viewer = supervisor()): Promise<string[]> {
  const { items } = await listConversations(t.db, viewer, { ...opts, sort: "oldest" });
  return items.map((c) => c.sessionId);
}

/** The same filter as a link would carry it: proves the URL form means what the options mean. */
const fromUrl = (query: Record<string, string>) => pickFilter(parseListParams(query));

describe("filter panel semantics", () => {
  it("each filter alone; a list means any of its values", async () => {
    expect(await sessions({ status: ["completed"] })).toEqual(["s1", "s4"]);
    expect(await sessions({ status: ["error", "in_progress"] })).toEqual(["s2", "s3"]);
    expect(await sessions({ channel: ["chat", "email"] })).toEqual(["s2", "s3"]);
    expect(await sessions({ smart: ["escalated"] })).toEqual(["s2"]);
    expect(await sessions({ csat: [1, 3] })).toEqual(["s2", "s4"]);
    expect(await sessions({ queue: ["F Billing"] })).toEqual(["s1", "s3"]);
    expect(await sessions({ queue: ["F Billing", "F Tech"] })).toEqual(["s1", "s2", "s3"]);
    expect(await sessions({ agent: ["bob@f.test"] })).toEqual(["s2", "s3"]);
    // Links name queues and agents readably; e-mail case does not matter.
    expect(await sessions(fromUrl({ queue: "F Tech", agent: "ANN@F.test" }))).toEqual(["s3"]);
  });

  it("IDs match the conversation id, session id or any call id", async () => {
    expect(await sessions({ ids: ["s2"] })).toEqual(["s2"]);
    expect(await sessions({ ids: ["CALL-1", conv.s4 ?? ""] })).toEqual(["s1", "s4"]);
    expect(await sessions({ ids: ["nothing"] })).toEqual([]);
  });

  it("date range: whole UTC days, both ends inclusive; or exact instants", async () => {
    expect(await sessions(fromUrl({ from: "2026-11-10", to: "2026-11-20" }))).toEqual(["s2", "s3"]);
    expect(await sessions(fromUrl({ from: "2026-11-10T09:02:00Z" }))).toEqual(["s2", "s3", "s4"]);
    expect(await sessions(fromUrl({ to: "2026-11-10T09:02:00Z" }))).toEqual(["s1"]);
  });

  it("custom tags: CONTAINS is a case-insensitive substring of that tag's value; empty value = has the tag", async () => {
    const tags = (...clauses: [string, "contains" | "not_contains", string][]) =>
      sessions({ tags: clauses.map(([name, op, value]) => ({ name, op, value })) });
    expect(await tags(["tier", "contains", "gol"])).toEqual(["s1"]);
    expect(await tags(["tier", "contains", "L"])).toEqual(["s1", "s2"]);
    expect(await tags(["tier", "contains", ""])).toEqual(["s1", "s2"]);
    // The tag name must match: "priority" values are not searched for a "tier" clause.
    expect(await tags(["tier", "contains", "high"])).toEqual([]);
    // LIKE wildcards in the value are literal text.
    expect(await tags(["note", "contains", "0%_d"])).toEqual(["s2"]);
    expect(await tags(["note", "contains", "1_0"])).toEqual([]);
  });

  it("custom tags: DOES NOT CONTAIN keeps conversations without such a tag (including untagged ones)", async () => {
    expect(await sessions({ tags: [{ name: "tier", op: "not_contains", value: "gold" }] })).toEqual([
      "s2",
      "s3",
      "s4",
    ]);
    expect(await sessions({ tags: [{ name: "priority", op: "not_contains", value: "" }] })).toEqual([
      "s2",
      "s4",
    ]);
  });

  it("clauses and filters are ANDed", async () => {
    expect(
      await sessions({
        tags: [
          { name: "tier", op: "contains", value: "" },
          { name: "priority", op: "not_contains", value: "high" },
        ],
      }),
    ).toEqual(["s2"]);
    expect(await sessions({ status: ["completed"], queue: ["F Billing"] })).toEqual(["s1"]);
    expect(await sessions({ channel: ["voice"], csat: [5], agent: ["ann@f.test"] })).toEqual(["s1"]);
    expect(await sessions({ channel: ["voice"], agent: ["bob@f.test"] })).toEqual([]);
  });

  it("the link form of every filter means the same as the options", async () => {
    expect(
      await sessions(
        fromUrl({
          status: "completed,in_progress",
          queue: "F Billing",
          tags: JSON.stringify([["priority", "contains", "LOW"]]),
        }),
      ),
    ).toEqual(["s3"]);
  });

  it("an agent's filtered list stays inside their scope", async () => {
    const ann: ScopeViewer = { id: users.ann, role: "agent" };
    expect(await sessions({}, ann)).toEqual(["s1", "s3"]);
    expect(await sessions({ agent: ["bob@f.test"] }, ann)).toEqual(["s3"]);
    expect(await sessions({ status: ["error"] }, ann)).toEqual([]);
    expect(await sessions({ tags: [{ name: "tier", op: "contains", value: "" }] }, ann)).toEqual(["s1"]);
  });
});
