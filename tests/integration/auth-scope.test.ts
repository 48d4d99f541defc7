import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canSeeConversation } from "../../lib/auth/scope.ts";
import { listConversations } from "../../lib/conversations/list.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let t: TestDatabase;
const ids = {} as Record<"agentA" | "agentB" | "supervisor", string>;

beforeAll(async () => {
  t = await createTestDatabase();
  const users = await t.db
    .insertInto("users")
    .values([
      { email: "a@test", name: "Agent A", role: "agent" },
      { email: "b@test", name: "Agent B", role: "agent" },
      { email: "s@test", name: "Sue Supervisor", role: "supervisor" },
    ])
    .returning(["id", "email"])
    .execute();
  const byEmail = (email: string) => users.find((u) => u.email === email)?.id ?? "";
  ids.agentA = byEmail("a@test");
  ids.agentB = byEmail("b@test");
  ids.supervisor = byEmail("s@test");

  const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 9, minute));
  const conversations = await t.db
    .insertInto("conversations")
    .values(
      ["c1", "c2", "c3"].map((session_id, i) => ({
        session_id,
        direction: "inbound" as const,
        language: "en-US",
        channel: "voice" as const,
        started_at: at(i),
      })),
    )
    .returning(["id", "session_id"])
    .execute();
  const conv = (s: string) => conversations.find((c) => c.session_id === s)?.id ?? "";
  // c1: A only; c2: B then A (A joined second); c3: B only.
  await t.db
    .insertInto("conversation_participants")
    .values([
      { conversation_id: conv("c1"), user_id: ids.agentA, joined_at: at(1) },
      { conversation_id: conv("c2"), user_id: ids.agentB, joined_at: at(2) },
      { conversation_id: conv("c2"), user_id: ids.agentA, joined_at: at(3) },
      { conversation_id: conv("c3"), user_id: ids.agentB, joined_at: at(4) },
    ])
    .execute();
});
afterAll(() => t.drop());

describe("conversation scope", () => {
  it("shows an agent only the conversations they joined", async () => {
    const { items: rows } = await listConversations(t.db, { id: ids.agentA, role: "agent" });
    expect(rows.map((r) => r.sessionId)).toEqual(["c2", "c1"]);
    const { items: other } = await listConversations(t.db, { id: ids.agentB, role: "agent" });
    expect(other.map((r) => r.sessionId)).toEqual(["c3", "c2"]);
  });

  it("shows supervisors and admins every conversation", async () => {
    for (const role of ["supervisor", "admin"] as const) {
      const { items: rows } = await listConversations(t.db, { id: ids.supervisor, role });
      expect(rows.map((r) => r.sessionId)).toEqual(["c3", "c2", "c1"]);
    }
  });

  it("lists participants in the order they joined", async () => {
    const { items: rows } = await listConversations(t.db, { id: ids.supervisor, role: "supervisor" });
    expect(rows.find((r) => r.sessionId === "c2")?.agents.map((a) => a.name)).toEqual(["Agent B", "Agent A"]);
  });

  it("applies the limit and status filter inside the scope", async () => {
    expect(
      (await listConversations(t.db, { id: ids.agentA, role: "agent" }, { limit: 1 })).items,
    ).toHaveLength(1);
    expect(
      (await listConversations(t.db, { id: ids.agentA, role: "agent" }, { status: ["completed"] })).items,
    ).toHaveLength(0);
  });

  it("canSeeConversation agrees with the query scope for every role", async () => {
    const participants = await t.db
      .selectFrom("conversations")
      .leftJoin("conversation_participants as p", "p.conversation_id", "conversations.id")
      .select(["conversations.id", "p.user_id"])
      .execute();
    const joined = new Map<string, string[]>();
    for (const row of participants) {
      joined.set(row.id, [...(joined.get(row.id) ?? []), ...(row.user_id ? [row.user_id] : [])]);
    }
    for (const viewer of [
      { id: ids.agentA, role: "agent" as const },
      { id: ids.agentB, role: "agent" as const },
      { id: ids.supervisor, role: "supervisor" as const },
      { id: ids.supervisor, role: "admin" as const },
    ]) {
      const listed = new Set((await listConversations(t.db, viewer)).items.map((c) => c.id));
      for (const [id, users] of joined) expect(canSeeConversation(viewer, users), id).toBe(listed.has(id));
    }
  });
});
