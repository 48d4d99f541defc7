import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../db/seed/index.ts";
import type { ScopeViewer } from "../../lib/auth/scope.ts";
import { listQuery } from "../../lib/conversations/list.ts";
import { exactMatchesQuery } from "../../lib/search/identifiers.ts";
import { type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { flattenPlan, type PlanNode } from "../helpers/plan.ts";

// DESIGN: every search query has an index that serves it. The identifier lookups (the search box's
// exact matches, and the phone/email/customer filters) on the seeded demo data plus 30,000 more
// customers: each reads its own index (customers_phone_digits_idx, customers_email_idx,
// customers_email_local_idx, customers_name_words_idx, the conversations' id indexes), never a
// sequential scan of customers or conversations. What it costs on a million: `npm run bench -- search`.

const EXTRA = 30_000;

let t: TestDatabase;
let store: TempBlobStore | undefined;
const viewers = {} as Record<"supervisor" | "agent", ScopeViewer>;
let target: {
  id: string;
  session_id: string;
  call_id: string | null;
  phone: string;
  email: string;
  name: string;
  user_ref: string;
};

beforeAll(async () => {
  t = await createTestDatabase();
  store = tempBlobStore("identifier-explain");
  await seedDemo(t.db, { seed: 1, now: new Date("2026-11-20T15:30:00Z"), blobs: store.blobs });
  // More customers, each with one conversation, so the indexes are worth reading on their own.
  await sql`
    with more as (
      insert into customers (user_ref, name, phone, email)
      select 'U-X' || g, 'Customer ' || g, '+1 555 ' || lpad(g::text, 7, '0'), 'customer' || g || '@example.net'
      from generate_series(1, ${EXTRA}) g
      returning id, user_ref)
    insert into conversations (session_id, direction, language, channel, status, started_at, customer_id)
    select 'extra-' || user_ref, 'inbound', 'en-US', 'chat', 'completed', timestamptz '2025-01-01' + random() * interval '300 days', id
    from more`.execute(t.db);
  await sql`analyze`.execute(t.db);
  const user = (email: string) =>
    t.db.selectFrom("users").select(["id", "role"]).where("email", "=", email).executeTakeFirstOrThrow();
  viewers.supervisor = await user("supervisor@parley.demo");
  viewers.agent = await user("agent@parley.demo");
  target = (await t.db
    .selectFrom("conversations as c")
    .innerJoin("customers as cu", "cu.id", "c.customer_id")
    .select(["c.id", "c.session_id", "c.call_id", "cu.phone", "cu.email", "cu.name", "cu.user_ref"])
    .where("cu.phone", "is not", null)
    .where("cu.email", "is not", null)
    .where("cu.name", "is not", null)
    .where("c.call_id", "is not", null)
    .orderBy("c.started_at", "desc")
    .limit(1)
    .executeTakeFirstOrThrow()) as typeof target;
}, 300_000);

afterAll(async () => {
  await t?.drop();
  store?.remove();
});

/** The plan as run, with sequential scans discouraged (a few thousand rows fit in a few pages). */
async function analyzed(compiled: { sql: string; parameters: readonly unknown[] }) {
  return t.db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const { rows } = await trx.executeQuery<{ "QUERY PLAN": { Plan: PlanNode }[] }>({
      ...compiled,
      sql: `explain (analyze, format json) ${compiled.sql}`,
      query: { kind: "RawNode" } as never,
      queryId: { queryId: "explain" },
    });
    return flattenPlan(rows[0]?.["QUERY PLAN"][0]?.Plan as PlanNode);
  });
}

function expectIndexed(nodes: PlanNode[], index: string) {
  expect(nodes.map((n) => n["Index Name"]).filter(Boolean)).toContain(index);
  for (const relation of ["customers", "conversations", "conversation_participants"])
    expect(
      nodes.filter((n) => n["Relation Name"] === relation).map((n) => n["Node Type"]),
      relation,
    ).not.toContain("Seq Scan");
}

describe("identifier lookups on seeded data", () => {
  const digits = () => target.phone.replace(/\D/g, "");
  it.each([
    ["a phone number", () => target.phone, "customers_phone_digits_idx"],
    ["the last 7 digits", () => digits().slice(-7), "customers_phone_digits_idx"],
    ["an e-mail address", () => target.email.toUpperCase(), "customers_email_idx"],
    ["the part before the @", () => target.email.split("@")[0] as string, "customers_email_local_idx"],
    ["a name prefix", () => (target.name.split(" ")[0] as string).slice(0, 4), "customers_name_words_idx"],
    ["a session id", () => target.session_id, "conversations_session_id_key"],
    ["a call id", () => target.call_id as string, "conversations_call_id_idx"],
    ["a conversation id", () => target.id, "conversations_pkey"],
    ["a User ID", () => target.user_ref, "customers_user_ref_key"],
  ] as const)("the search box finds %s through %s", async (_n, typed, index) => {
    for (const who of ["supervisor", "agent"] as const) {
      const query = exactMatchesQuery(t.db, viewers[who], typed(), false);
      if (!query) throw new Error("not an identifier");
      const nodes = await analyzed(query.compile());
      expectIndexed(nodes, index);
      if (who === "supervisor") {
        const ids = (await query.execute()).map((r) => r.id);
        expect(ids).toContain(target.id);
      }
    }
  });

  it.each([
    ["phone", () => ({ phone: target.phone.replace(/\D/g, "") }), "customers_phone_digits_idx"],
    ["email", () => ({ email: target.email.toLowerCase() }), "customers_email_idx"],
    ["customer", () => ({ customer: target.name.slice(0, 3) }), "customers_name_words_idx"],
  ] as const)("the %s filter reads %s", async (_n, filter, index) => {
    const nodes = await analyzed(
      listQuery(t.db, viewers.supervisor, { ...filter(), obscure: false, limit: 50 }).compile(),
    );
    expectIndexed(nodes, index);
    expect(nodes[0]?.["Actual Rows"]).toBeGreaterThan(0);
  });
});
