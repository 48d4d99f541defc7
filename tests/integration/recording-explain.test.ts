import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { DB } from "../../db/types.ts";
import {
  screensToDeleteQuery,
  screensToWarnQuery,
  toDeleteQuery,
  toWarnQuery,
} from "../../lib/recordings/retention.ts";
import { dueRecordingsQuery, lapsedAttemptsQuery } from "../../lib/recordings/schedule.ts";
import { ingestCall } from "../helpers/calls.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// The dispatcher's query (every minute) reads due recordings as a range of the partial index on
// next_attempt_at (lapsed attempts of the one on attempt_lease_until), and the retention pass's (hourly) as a range of the one on retention_from, in
// index order: no sequential scan of recordings and no sort, however many settled (or deleted)
// recordings the table holds. Sequential scans and sorts are made expensive, not
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

type Explainable = { explain: (format: "json") => Promise<Record<string, unknown>[]> };

async function plan(query: (db: Kysely<DB>) => Explainable) {
  const [row] = await t.db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    await sql`set local enable_sort = off`.execute(trx);
    return query(trx).explain("json");
  });
  const plans = row?.["QUERY PLAN"] as { Plan: PlanNode }[] | undefined;
  return nodes(plans?.[0]?.Plan as PlanNode);
}

const scansAndSorts = (p: PlanNode[]) =>
  p.filter((n) => n["Node Type"] === "Seq Scan" || n["Node Type"] === "Sort");

test("retention reads its batches from recordings_retention_due_idx, in order", async () => {
  const now = new Date("2027-01-01T00:00:00Z");
  for (const query of [toWarnQuery, toDeleteQuery]) {
    const p = await plan((db) => query(db, 30, now));
    expect(p.some((n) => n["Index Name"] === "recordings_retention_due_idx")).toBe(true);
    expect(scansAndSorts(p)).toEqual([]);
  }
  expect(await toWarnQuery(t.db, 30, now).execute()).toHaveLength(5);
});

test("due recordings come from recordings_next_attempt_idx, in order", async () => {
  const p = await plan((db) => dueRecordingsQuery(db, new Date("2026-11-02T00:00:00Z")));
  expect(p.some((n) => n["Index Name"] === "recordings_next_attempt_idx")).toBe(true);
  expect(scansAndSorts(p)).toEqual([]);
  expect(await dueRecordingsQuery(t.db, new Date("2026-11-02T00:00:00Z")).execute()).toHaveLength(5);
});

test("lapsed attempts come from recordings_attempt_lease_idx, in order", async () => {
  const p = await plan((db) => lapsedAttemptsQuery(db, new Date("2026-11-02T00:00:00Z")));
  expect(p.some((n) => n["Index Name"] === "recordings_attempt_lease_idx")).toBe(true);
  expect(scansAndSorts(p)).toEqual([]);
});

test("screen recordings of calls without a recording come from screen_recordings_retention_idx, in order", async () => {
  const now = new Date("2027-01-01T00:00:00Z");
  for (const query of [screensToWarnQuery, screensToDeleteQuery]) {
    const p = await plan((db) => query(db, 30, now));
    expect(p.some((n) => n["Index Name"] === "screen_recordings_retention_idx")).toBe(true);
    expect(scansAndSorts(p)).toEqual([]);
  }
});
