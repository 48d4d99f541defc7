import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dueRecordingsQuery } from "../../lib/recordings/schedule.ts";
import { ingestCall } from "../helpers/calls.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// The dispatcher's query (every minute) reads due recordings as a range of the partial index on
// next_attempt_at, in index order: no sequential scan of recordings and no sort, however many
// settled recordings the table holds. Sequential scans and sorts are made expensive, not
// forbidden, so a plan that still contains one means no index can serve the query.

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] };
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  for (let i = 0; i < 5; i++)
    await ingestCall(t.db, { sessionId: `explain-${i}`, startedAt: new Date(Date.UTC(2026, 10, 1, 9, i)) });
  await sql`analyze recordings`.execute(t.db);
});

afterAll(async () => {
  await t?.drop();
});

test("due recordings come from recordings_next_attempt_idx, in order", async () => {
  const [row] = await t.db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    await sql`set local enable_sort = off`.execute(trx);
    return dueRecordingsQuery(trx, new Date("2026-11-02T00:00:00Z")).explain("json");
  });
  const plan = nodes((row?.["QUERY PLAN"] as { Plan: PlanNode }[])[0]?.Plan as PlanNode);
  expect(plan.some((n) => n["Index Name"] === "recordings_next_attempt_idx")).toBe(true);
  expect(plan.filter((n) => n["Node Type"] === "Seq Scan" || n["Node Type"] === "Sort")).toEqual([]);
  expect(await dueRecordingsQuery(t.db, new Date("2026-11-02T00:00:00Z")).execute()).toHaveLength(5);
});
