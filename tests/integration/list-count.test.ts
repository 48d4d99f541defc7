import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { countConversations, EXACT_COUNT_MAX } from "../../lib/conversations/list.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedLiveConversations } from "../helpers/live-conversations.ts";

// "1–50 of N": on a table small enough to count (the planner's estimate at most EXACT_COUNT_MAX), N
// is the exact number of matching conversations, filtered and scoped, even when the estimate has
// gone stale since the last ANALYZE; never "about" a number that is wrong.

let t: TestDatabase;
let supervisor: { id: string; role: "supervisor" };
let agent: { id: string; role: "agent" };

beforeAll(async () => {
  t = await createTestDatabase();
  const [s, a] = await t.db
    .insertInto("users")
    .values([
      { email: "sup@count.test", name: "Sup", role: "supervisor" },
      { email: "agent@count.test", name: "Agent", role: "agent" },
    ])
    .returning("id")
    .execute();
  supervisor = { id: s?.id as string, role: "supervisor" };
  agent = { id: a?.id as string, role: "agent" };
  await seedLiveConversations(t.db, { count: 200, tag: "c1", agentEmail: "agent@count.test" });
  await sql`analyze conversations`.execute(t.db);
  // 27 more after the statistics were taken: the estimate still says 200.
  await seedLiveConversations(t.db, { count: 27, tag: "c2", agentEmail: "agent@count.test" });
});
afterAll(() => t?.drop());

it("counts exactly when the table is small, filtered and scoped, with a stale estimate", async () => {
  const { rows } = await sql<{ n: number }>`select reltuples::float8 as n from pg_class
    where oid = 'conversations'::regclass`.execute(t.db);
  expect(rows[0]?.n).toBe(200);
  expect(EXACT_COUNT_MAX).toBeGreaterThan(227);
  expect(await countConversations(t.db, supervisor, {}, true)).toEqual({ count: 227, exact: true });
  expect(await countConversations(t.db, supervisor, { queue: ["Billing"] }, false)).toEqual({
    count: 67 + 9,
    exact: true,
  });
  // The agent joined every tenth conversation of each batch: 20 + 3.
  expect(await countConversations(t.db, agent, {}, false)).toEqual({ count: 23, exact: true });
});
