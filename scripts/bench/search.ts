// npm run bench -- search [--iterations 20] [--ilike-iterations 1] [--rare WORD,…] [--common WORD]
//                         [--conversations 1000000] [--pg-port 54397] [--dir /tmp/parley-bench-search] [--keep]
// Server time of a keyword search's first page (parseSearch + listConversations: the page query,
// masking and the highlighted snippets — what the Conversations page runs) for rare terms and a very
// common one, ranked by relevance and sorted by Start Time, next to an ILIKE scan of the same text
// (messages, agent notes, disposition notes) giving the same page: ranked by the number of matching
// texts, or newest first. Runs against DATABASE_URL, or an embedded PostgreSQL on --dir (created and
// loaded with --conversations when empty; deleted afterwards unless --keep).
import { parseArgs } from "node:util";
import { sql } from "kysely";
import type { Database } from "../../db/client.ts";
import { conversationScope, type ScopeViewer, searchScope } from "../../lib/auth/scope.ts";
import { listConversations } from "../../lib/conversations/list.ts";
import { parseSearch } from "../../lib/search/index.ts";
import { datasetOptions, openBenchDatasetFrom } from "./dataset.ts";
import { fmt, printTable, TARGETS_MISSED, type Timing, time } from "./stats.ts";

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    iterations: { type: "string", default: "20" },
    // An ILIKE scan reads every text: a few runs are enough for the comparison.
    "ilike-iterations": { type: "string", default: "1" },
    // From the demo generator's vocabulary: in ~0.35% and ~0.2% of conversations (none of the demo
    // agent's, then 240 of them), and in ~94%.
    rare: { type: "string", default: "discuss,guess" },
    common: { type: "string", default: "brightline" },
    ...datasetOptions("search", 54397),
  },
  strict: true,
});
const iterations = Number(args.iterations);
const ilikeIterations = Number(args["ilike-iterations"]);

const log = (line: string) => console.log(`[bench] ${line}`);
const { db, close } = await openBenchDatasetFrom("search", args, log);

try {
  await sql`analyze conversation_search`.execute(db);
  const sizes = await sql<{ conversations: string; messages: string; index: string }>`
    select (select count(*) from conversation_search)::text as conversations,
           (select reltuples::bigint from pg_class where oid = 'messages'::regclass)::text as messages,
           pg_size_pretty(pg_relation_size('conversation_search_document_idx')) as index`.execute(db);
  const size = sizes.rows[0];
  log(
    `${Number(size?.conversations).toLocaleString("en-US")} search documents over ~${Number(size?.messages).toLocaleString("en-US")} messages; GIN index ${size?.index}`,
  );

  const user = (email: string) =>
    db.selectFrom("users").select(["id", "role"]).where("email", "=", email).executeTakeFirstOrThrow();
  const viewers: [string, ScopeViewer][] = [
    ["supervisor", await user("supervisor@parley.demo")],
    ["agent", await user("agent@parley.demo")],
  ];

  const rows: string[][] = [];
  const verdicts: string[] = [];
  const terms = [
    ...args.rare.split(",").map((term) => ["rare", term, 50] as const),
    ["common", args.common, 300] as const,
  ];
  for (const [kind, term, target] of terms) {
    const parsed = await parseSearch(db, term);
    if (!parsed.ok) throw new Error(`"${term}": ${parsed.hint}`);
    const matches = await sql<{ n: string }>`
      select count(*)::text as n from conversation_search where document @@ ${parsed.tsquery}::tsquery`.execute(
      db,
    );
    log(
      `${kind} term "${term}" (${parsed.tsquery}): ${Number(matches.rows[0]?.n).toLocaleString("en-US")} conversations` +
        (parsed.fewMatches ? ", read from the GIN index first" : ", read in list order"),
    );
    for (const [who, viewer] of viewers) {
      // What the page runs for a search: parse the phrase, then the list (with its snippets).
      const page = (sort: "relevance" | "newest") => async () => {
        const search = await parseSearch(db, term);
        if (!search.ok) throw new Error(search.hint);
        return listConversations(db, viewer, {
          search: search.tsquery,
          searchFewMatches: search.fewMatches,
          sort,
          limit: 50,
        });
      };
      const [ranked, byDate] = await time(iterations, [page("relevance"), page("newest")]);
      const visible = await db
        .selectFrom("conversation_search")
        .where(sql<boolean>`document @@ ${parsed.tsquery}::tsquery`)
        .where(searchScope(viewer))
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow();
      const inScope = `${Number(visible.n).toLocaleString("en-US")} in scope`;
      log(`${kind} "${term}" ${who} (${inScope}): ranked ${fmt(ranked)}, by date ${fmt(byDate)} ms`);
      // The ILIKE baseline reads every text (tens of seconds on 1M): once per term, unscoped.
      const baseline =
        who === "supervisor"
          ? await time(
              ilikeIterations,
              [
                () => ilikePage(db, viewer, term, "matches"),
                () => ilikePage(db, viewer, term, "newest"),
                // One untimed round brings the tables into memory, as for the full-text runs.
              ],
              1,
            )
          : null;
      if (baseline)
        log(`${kind} "${term}" ILIKE: ranked ${fmt(baseline[0])}, by date ${fmt(baseline[1])} ms`);
      const speedup = (a: Timing, b: Timing | undefined) => (b ? `${(b.p50 / a.p50).toFixed(0)}×` : "—");
      rows.push([
        `${kind} "${term}"`,
        `${who} (${inScope})`,
        fmt(ranked),
        baseline ? fmt(baseline[0]) : "—",
        speedup(ranked, baseline?.[0]),
        fmt(byDate),
        baseline ? fmt(baseline[1]) : "—",
        speedup(byDate, baseline?.[1]),
      ]);
      for (const [label, t, base] of [
        ["ranked", ranked, baseline?.[0]],
        ["by date", byDate, baseline?.[1]],
      ] as const) {
        if (t.p95 > target)
          verdicts.push(`${kind} "${term}" ${who} ${label}: p95 ${t.p95.toFixed(1)} ms > ${target} ms`);
        if (base && base.p50 < 50 * t.p50)
          verdicts.push(
            `${kind} "${term}" ${who} ${label}: only ${(base.p50 / t.p50).toFixed(1)}× the ILIKE scan (< 50×)`,
          );
      }
    }
  }
  printTable(
    [
      "term",
      "viewer",
      "ranked p50/p95",
      "ILIKE ranked",
      "speed-up",
      "by date p50/p95",
      "ILIKE by date",
      "speed-up",
    ],
    rows,
  );
  log(
    `times in ms, first page of 50: full-text = parseSearch + listConversations (page, masking, snippets); ` +
      `${iterations} runs each, ILIKE ${ilikeIterations}`,
  );
  if (verdicts.length) {
    log(`targets missed (rare ≤ 50 ms, common ≤ 300 ms p95; ≥ 50× ILIKE):\n  ${verdicts.join("\n  ")}`);
    process.exitCode = TARGETS_MISSED;
  } else {
    log("targets met: rare ≤ 50 ms, common ≤ 300 ms (p95), each ≥ 50× the ILIKE scan");
  }
} finally {
  await close();
}

/**
 * The naive way to the same page: ILIKE over every message, agent note and disposition note in the
 * viewer's scope, then the 50 conversations with the most matching texts (a crude relevance), or
 * the 50 newest.
 */
async function ilikePage(db: Database, viewer: ScopeViewer, term: string, order: "matches" | "newest") {
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const hits = db
    .selectFrom((eb) =>
      eb
        .selectFrom("messages")
        .select("conversation_id")
        .where("body", "ilike", pattern)
        .unionAll(eb.selectFrom("notes").select("conversation_id").where("body", "ilike", pattern))
        .unionAll(
          eb.selectFrom("disposition_changes").select("conversation_id").where("note", "ilike", pattern),
        )
        .as("x"),
    )
    .select(["x.conversation_id", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy("x.conversation_id")
    .as("hits");
  return db
    .selectFrom("conversations")
    .innerJoin(hits, "hits.conversation_id", "conversations.id")
    .where(conversationScope(viewer))
    .select(["conversations.id", "conversations.started_at", "hits.n"])
    .$if(order === "matches", (qb) => qb.orderBy("hits.n", "desc"))
    .orderBy("conversations.started_at", "desc")
    .limit(50)
    .execute();
}
