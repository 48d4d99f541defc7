import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../db/seed/index.ts";
import type { ScopeViewer } from "../../lib/auth/scope.ts";
import { type ListConversationsOptions, listConversations, listQuery } from "../../lib/conversations/list.ts";
import { parseSearch, RANKED_CANDIDATES } from "../../lib/search/index.ts";
import { type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { flattenPlan, type PlanNode } from "../helpers/plan.ts";

// DESIGN: every search query has an index that serves it. On the seeded demo data (analyzed, search
// documents written by the seeder), a rare term's matches are read from the GIN index
// (conversation_search_document_idx) and a common term's in start order from the conversations'
// keyset index, each checked against its document — never a sequential scan of conversations or of
// the documents, never a sort of all matches by start time. Ranking sorts only the bounded candidates.
//
// 2,000 conversations fit in a few pages, where scans and sorts are the cheapest plan, so the planner
// is asked to avoid sequential scans (and, for the start-order shapes, sorts): the plan still holds
// one when no index can serve the shape. Ranking then sorts the (at most RANKED_CANDIDATES)
// candidates by rank, which no index can give. What it picks on a million rows: `npm run bench -- search`.

const RARE = "discuss";
// In one of every SCATTERED_EVERY conversations of the history: hundreds of matches, still few.
const SCATTERED = "zephyrine";
const SCATTERED_EVERY = 150;
const COMMON = "brightline";
const HISTORY = 60_000;

let t: TestDatabase;
let store: TempBlobStore | undefined;
const viewers = {} as Record<"supervisor" | "agent", ScopeViewer>;
type Term = "rare" | "scattered" | "common";
const tsquery = {} as Record<Term, string>;
const fewMatches = {} as Record<Term, boolean>;

beforeAll(async () => {
  t = await createTestDatabase();
  store = tempBlobStore("search-explain");
  await seedDemo(t.db, { seed: 1, now: new Date("2026-11-20T15:30:00Z"), blobs: store.blobs });
  // Older history that mentions the company, as real history would: on 2,000 documents walking a
  // whole index costs less than opening the GIN index, which no longer holds at this size.
  await sql`
    with filler as (
      insert into conversations (session_id, direction, language, channel, status, started_at)
      select 'history-' || g, 'inbound', 'en-US', 'chat', 'completed', timestamptz '2025-01-01' + g * interval '5 minutes'
      from generate_series(1, ${HISTORY}) g
      returning id, started_at)
    insert into conversation_search (conversation_id, document)
    select id, to_tsvector('parley', 'Thank you for contacting Brightline support' ||
      case when extract(epoch from started_at)::bigint % (${SCATTERED_EVERY} * 300) = 0 then ' about ${sql.raw(SCATTERED)}' else '' end)
    from filler`.execute(t.db);
  const user = (email: string) =>
    t.db.selectFrom("users").select(["id", "role"]).where("email", "=", email).executeTakeFirstOrThrow();
  viewers.supervisor = await user("supervisor@parley.demo");
  viewers.agent = await user("agent@parley.demo");
  // The demo agent joined one in five of them (the trigger copies it into participant_ids).
  await sql`
    insert into conversation_participants (conversation_id, user_id, joined_at)
    select id, ${"id" in viewers.agent ? viewers.agent.id : ""}::uuid, started_at from conversations
    where session_id like 'history-%'
      and extract(epoch from started_at)::bigint % (${SCATTERED_EVERY} * 300 * 5) = 0`.execute(t.db);
  await sql`analyze`.execute(t.db);
  for (const [key, term] of [
    ["rare", RARE],
    ["scattered", SCATTERED],
    ["common", COMMON],
  ] as const) {
    const parsed = await parseSearch(t.db, term);
    if (!parsed.ok) throw new Error(parsed.hint);
    tsquery[key] = parsed.tsquery ?? "";
    fewMatches[key] = parsed.fewMatches;
  }
}, 300_000);

afterAll(async () => {
  await t?.drop();
  store?.remove();
});

async function matching(term: Term): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from conversation_search where document @@ ${tsquery[term]}::tsquery`.execute(
    t.db,
  );
  return rows[0]?.n ?? 0;
}

async function plan(
  viewer: ScopeViewer,
  opts: ListConversationsOptions,
  noSort: boolean,
): Promise<PlanNode[]> {
  const [row] = await t.db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    if (noSort) await sql`set local enable_sort = off`.execute(trx);
    return listQuery(trx, viewer, { limit: 50, ...opts }).explain("json");
  });
  return flattenPlan((row?.["QUERY PLAN"] as { Plan: PlanNode }[] | undefined)?.[0]?.Plan as PlanNode);
}

/** The plan as run (EXPLAIN ANALYZE), with the planner's choices as they are on this data. */
async function analyzed(viewer: ScopeViewer, opts: ListConversationsOptions): Promise<PlanNode[]> {
  const query = listQuery(t.db, viewer, { limit: 50, ...opts }).compile();
  const { rows } = await t.db.executeQuery<{ "QUERY PLAN": { Plan: PlanNode }[] }>({
    ...query,
    sql: `explain (analyze, format json) ${query.sql}`,
  });
  return flattenPlan(rows[0]?.["QUERY PLAN"][0]?.Plan as PlanNode);
}

const scans = (nodes: PlanNode[], relation: string) => nodes.filter((n) => n["Relation Name"] === relation);
const startSorts = (nodes: PlanNode[]) =>
  nodes.filter((n) => n["Node Type"] === "Sort" && /started_at/.test(n["Sort Key"]?.[0] ?? ""));

describe("search query plans on seeded data", () => {
  it("uses a rare and a common term of the data", async () => {
    const total = 2000 + HISTORY;
    expect(await matching("rare")).toBeGreaterThan(0);
    expect(await matching("rare")).toBeLessThan(total * 0.05);
    expect(await matching("common")).toBeGreaterThan(total * 0.9);
    // The planner's estimate sends the rare term to the GIN index first, the common one down the list.
    expect(fewMatches).toEqual({ rare: true, scattered: true, common: false });
  });

  it.each([
    ["ranked", "supervisor", "relevance", ["conversation_search_document_idx"]],
    ["by date", "supervisor", "newest", ["conversation_search_document_idx"]],
    ["ranked, agent scope", "agent", "relevance", ["conversation_search_document_idx"]],
    ["by date, agent scope", "agent", "newest", ["conversation_search_document_idx"]],
  ] as const)("rare term %s: the matches come from %j", async (_n, who, sort, indexes) => {
    const nodes = await plan(
      viewers[who],
      { search: tsquery.rare, searchFewMatches: fewMatches.rare, sort },
      false,
    );
    expect(nodes.some((n) => (indexes as readonly string[]).includes(n["Index Name"] ?? ""))).toBe(true);
    for (const relation of ["conversations", "conversation_search", "conversation_participants"])
      expect(scans(nodes, relation).map((n) => n["Node Type"])).not.toContain("Seq Scan");
    // No whole-index walk of the documents: they are reached by the GIN index or by conversation.
    for (const scan of scans(nodes, "conversation_search"))
      if (scan["Index Name"] === "conversation_search_pkey") expect(scan["Index Cond"]).toBeDefined();
  });

  // The matches are scoped and put in order from the documents' own copies (participant_ids,
  // started_at): the conversations are read for the page only, and no participation is probed per
  // match (only each listed row's agents, participants_conversation_idx).
  it.each([
    ["by date", "supervisor", "newest", 51],
    ["by date, agent scope", "agent", "newest", 51],
    ["ranked", "supervisor", "relevance", RANKED_CANDIDATES + 51],
  ] as const)(
    "a term with few matches %s, as %s (%s): reads at most %d conversations",
    async (_n, who, sort, most) => {
      expect(await matching("scattered")).toBe(HISTORY / SCATTERED_EVERY);
      expect(fewMatches.scattered).toBe(true);
      const nodes = await analyzed(viewers[who], {
        search: tsquery.scattered,
        searchFewMatches: fewMatches.scattered,
        sort,
      });
      // A full page was found (of the 400 matches, 80 are the agent's).
      expect(nodes[0]?.["Actual Rows"]).toBe(51);
      const loops = (relation: string) =>
        scans(nodes, relation).reduce((sum, n) => sum + (n["Actual Loops"] ?? 0), 0);
      expect(loops("conversations")).toBeGreaterThan(0);
      expect(loops("conversations")).toBeLessThanOrEqual(most);
      for (const scan of scans(nodes, "conversation_participants"))
        expect(scan["Index Name"]).toBe("participants_conversation_idx");
    },
  );
});

describe("common term plans on seeded data", () => {
  it.each([
    ["by date", "supervisor", "newest", "conversations_started_idx"],
    ["oldest first", "supervisor", "oldest", "conversations_started_idx"],
    ["ranked (candidates in start order)", "supervisor", "relevance", "conversations_started_idx"],
    ["by date, agent scope", "agent", "newest", "participants_user_started_idx"],
  ] as const)(
    "common term %s: read in start order from %s, each document checked",
    async (_n, who, sort, index) => {
      const nodes = await plan(
        viewers[who],
        { search: tsquery.common, searchFewMatches: fewMatches.common, sort },
        true,
      );
      expect(nodes.some((n) => n["Index Name"] === index)).toBe(true);
      expect(scans(nodes, "conversation_search").map((n) => n["Index Name"])).toContain(
        "conversation_search_pkey",
      );
      expect(startSorts(nodes).map((n) => n["Sort Key"])).toEqual([]);
      for (const relation of ["conversations", "conversation_search"])
        expect(scans(nodes, relation).map((n) => n["Node Type"])).not.toContain("Seq Scan");
    },
  );
});

describe("ranked paging on seeded data", () => {
  it("walks every ranked candidate forwards and back, none skipped or repeated", async () => {
    const viewer = viewers.supervisor;
    const opts = { search: tsquery.common, sort: "relevance" as const };
    const { items } = await listConversations(t.db, viewer, { ...opts, limit: 5000 });
    const all = items.map((c) => c.id);
    expect(all.length).toBe(Math.min(RANKED_CANDIDATES, await matching("common")));
    const ranks = items.map((c) => Number(c.cursor.rank));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const limit = 97;
    const forward: string[][] = [];
    let page = await listConversations(t.db, viewer, { ...opts, limit });
    forward.push(page.items.map((c) => c.id));
    while (page.next) {
      page = await listConversations(t.db, viewer, { ...opts, limit, after: page.next });
      forward.push(page.items.map((c) => c.id));
    }
    expect(forward.flat()).toEqual(all);
    for (let i = forward.length - 2; i >= 0; i--) {
      page = await listConversations(t.db, viewer, { ...opts, limit, before: page.prev ?? undefined });
      expect(page.items.map((c) => c.id)).toEqual(forward[i]);
    }
    expect(page.prev).toBeNull();
  });
});
