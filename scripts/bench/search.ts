// npm run bench -- search [--iterations 20] [--ilike-iterations 1] [--rare WORD,…] [--common WORD]
//                         [--conversations 1000000] [--pg-port 54397] [--dir /tmp/parley-bench-search] [--keep]
// Server time of a search's first page (parseSearch + listConversations: identifier lookups, the
// page query, masking and the highlighted snippets — what the Conversations page runs), side by side
// with the naive ILIKE way to the same page, for:
// - identifiers: a phone number as a person types it, its last 7 digits, an e-mail address and its
//   local part, a name prefix, a session id (target p95 ≤ 20 ms);
// - rare terms (≤ 30 ms) and a very common one (≤ 100 ms), ranked by relevance and sorted by Start
//   Time, for a supervisor and for an agent (their own conversations only);
// - field prefixes combined with words (status:, channel:, agent:, customer:), as filters.
// Each at least 100× faster than its ILIKE scan (p50). Runs against DATABASE_URL, or an embedded
// PostgreSQL on --dir (created and loaded with --conversations when empty; deleted afterwards unless --keep).
import { parseArgs } from "node:util";
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { Database } from "../../db/client.ts";
import type { DB } from "../../db/types.ts";
import { conversationScope, type ScopeViewer } from "../../lib/auth/scope.ts";
import { listConversations } from "../../lib/conversations/list.ts";
import { parseSearch, searchListOptions } from "../../lib/search/index.ts";
import { datasetOptions, openBenchDatasetFrom } from "./dataset.ts";
import { fmt, printTable, TARGETS_MISSED, type Timing, time } from "./stats.ts";

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    iterations: { type: "string", default: "20" },
    // An ILIKE scan reads every text: a few runs are enough for the comparison (0: none).
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
const TARGETS = { identifier: 20, rare: 30, common: 100 } as const;
const SPEEDUP = 100;

const log = (line: string) => console.log(`[bench] ${line}`);
const { db, close } = await openBenchDatasetFrom("search", args, log);

type Kind = keyof typeof TARGETS;
type Where = (eb: ExpressionBuilder<DB, "conversations">) => Expression<SqlBool>;
type Case = {
  kind: Kind;
  label: string;
  phrase: string;
  /** The naive page: ILIKE over every text (or every customer), newest first or by number of hits. */
  ilike: (viewer: ScopeViewer, order: "matches" | "newest") => Promise<unknown>;
  /** Identifier cases are one order only (exact matches first, then newest). */
  byDate: boolean;
};

try {
  await sql`analyze conversation_search`.execute(db);
  const sizes = await sql<{ conversations: string; messages: string; customers: string; index: string }>`
    select (select count(*) from conversation_search)::text as conversations,
           (select reltuples::bigint from pg_class where oid = 'messages'::regclass)::text as messages,
           (select reltuples::bigint from pg_class where oid = 'customers'::regclass)::text as customers,
           pg_size_pretty(pg_relation_size('conversation_search_document_idx')) as index`.execute(db);
  const size = sizes.rows[0];
  const n = (x: unknown) => Number(x).toLocaleString("en-US");
  log(
    `${n(size?.conversations)} search documents over ~${n(size?.messages)} messages, ~${n(size?.customers)} customers; GIN index ${size?.index}`,
  );

  const user = (email: string) =>
    db.selectFrom("users").select(["id", "role"]).where("email", "=", email).executeTakeFirstOrThrow();
  const viewers: [string, ScopeViewer][] = [
    ["supervisor", await user("supervisor@parley.demo")],
    ["agent", await user("agent@parley.demo")],
  ];
  const agent = viewers[1]?.[1] as ScopeViewer;

  // The customer searched for: one of the demo agent's, so both viewers can find them.
  const who = await db
    .selectFrom("conversations")
    .innerJoin("customers as cu", "cu.id", "conversations.customer_id")
    .where(conversationScope(agent))
    .where("cu.phone", "is not", null)
    .where("cu.email", "is not", null)
    .where("cu.name", "like", "% %")
    .select(["conversations.session_id", "cu.phone", "cu.email", "cu.name"])
    .orderBy("conversations.started_at", "desc")
    .limit(1)
    .executeTakeFirst();
  const terms = args.rare.split(",");
  const cases: Case[] = [];
  if (who?.phone && who.email && who.name) {
    const digits = who.phone.replace(/\D/g, "");
    // As a person reads it out: "+49 157 9789 4241".
    const spoken = `+${digits.slice(0, 2)} ${digits.slice(2, 5)} ${digits.slice(5, 9)} ${digits.slice(9)}`;
    const [first, last = ""] = who.name.split(" ");
    const identifier = (label: string, phrase: string, naive: Where) =>
      cases.push({
        kind: "identifier",
        label,
        phrase,
        byDate: false,
        ilike: (v) => ilikeCustomers(db, v, naive),
      });
    const like = (x: string) => `%${x.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const phoneDigits = sql<string>`regexp_replace(cu.phone, '\\D', '', 'g')`;
    identifier(`phone "${spoken}"`, spoken, (eb) => eb(phoneDigits, "like", like(digits)));
    identifier(`phone suffix "${digits.slice(-7)}"`, digits.slice(-7), (eb) =>
      eb(phoneDigits, "like", like(digits.slice(-7))),
    );
    identifier(`e-mail "${who.email}"`, who.email, (eb) =>
      eb(sql`cu.email`, "ilike", like(who.email as string)),
    );
    const local = who.email.split("@")[0] as string;
    identifier(`e-mail local part "${local}"`, local, (eb) => eb(sql`cu.email`, "ilike", like(local)));
    const prefix = `${first} ${last.slice(0, 3)}`;
    identifier(`name "${prefix}"`, prefix, (eb) =>
      eb.and([
        eb(sql`cu.name`, "ilike", like(first ?? "")),
        eb(sql`cu.name`, "ilike", like(last.slice(0, 3))),
      ]),
    );
    identifier(`session id`, who.session_id, (eb) =>
      eb("conversations.session_id", "ilike", like(who.session_id)),
    );
  } else
    log(
      "no customer with phone, e-mail and name in the demo agent's conversations: identifier cases skipped",
    );
  for (const term of terms)
    cases.push({
      kind: "rare",
      label: `rare "${term}"`,
      phrase: term,
      byDate: true,
      ilike: (v, o) => ilikePage(db, v, term, o),
    });
  cases.push({
    kind: "common",
    label: `common "${args.common}"`,
    phrase: args.common,
    byDate: true,
    ilike: (v, o) => ilikePage(db, v, args.common, o),
  });
  const rare = terms[0] ?? "discuss";
  const prefixed = (kind: Kind, phrase: string, term: string, where: Where) =>
    cases.push({
      kind,
      label: `prefix ${phrase}`,
      phrase,
      byDate: true,
      ilike: (v, o) => ilikePage(db, v, term, o, where),
    });
  prefixed("rare", `status:completed ${rare}`, rare, (eb) => eb("conversations.status", "=", "completed"));
  prefixed("common", `channel:voice ${args.common}`, args.common, (eb) =>
    eb("conversations.channel", "=", "voice"),
  );
  prefixed("rare", `agent:agent@parley.demo ${rare}`, rare, (eb) =>
    eb.exists(
      eb
        .selectFrom("conversation_participants as p")
        .innerJoin("users as u", "u.id", "p.user_id")
        .select("p.id")
        .whereRef("p.conversation_id", "=", "conversations.id")
        .where("u.email", "=", "agent@parley.demo"),
    ),
  );

  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const c of cases) {
    for (const [viewerName, viewer] of viewers) {
      // What the page runs for a search: read the settings, parse the phrase, then the list.
      const page = (sort: "relevance" | "newest") => async () => {
        const search = await parseSearch(db, c.phrase, { viewer, obscure: false });
        if (!search.ok) throw new Error(`${c.phrase}: ${search.hint}`);
        return listConversations(db, viewer, { ...searchListOptions(search), sort, limit: 50 });
      };
      const probe = await page("relevance")();
      const [ranked, byDate] = c.byDate
        ? await time(iterations, [page("relevance"), page("newest")])
        : [...(await time(iterations, [page("relevance")])), null];
      const found = `${probe.items.length}${probe.next ? "+" : ""} listed`;
      // The ILIKE baseline reads every text (tens of seconds on 1M): once per case, as the supervisor.
      const baseline =
        viewerName === "supervisor" && ilikeIterations > 0
          ? c.byDate
            ? await time(
                ilikeIterations,
                [() => c.ilike(viewer, "matches"), () => c.ilike(viewer, "newest")],
                1,
              )
            : [...(await time(ilikeIterations, [() => c.ilike(viewer, "newest")], 1)), null]
          : null;
      const speedup = (a: Timing | null, b: Timing | null | undefined) =>
        a && b ? `${(b.p50 / a.p50).toFixed(0)}×` : "—";
      log(
        `${c.label} ${viewerName} (${found}): ${fmt(ranked)}${byDate ? `, by date ${fmt(byDate)}` : ""} ms`,
      );
      rows.push([
        c.kind,
        c.label,
        `${viewerName} (${found})`,
        fmt(ranked),
        baseline?.[0] ? fmt(baseline[0]) : "—",
        speedup(ranked, baseline?.[0]),
        byDate ? fmt(byDate) : "—",
        baseline?.[1] ? fmt(baseline[1]) : "—",
        speedup(byDate, baseline?.[1]),
      ]);
      const target = TARGETS[c.kind];
      for (const [label, t, base] of [
        ["ranked", ranked, baseline?.[0]],
        ["by date", byDate, baseline?.[1]],
      ] as const) {
        if (!t) continue;
        if (t.p95 > target)
          verdicts.push(`${c.label} ${viewerName} ${label}: p95 ${t.p95.toFixed(1)} ms > ${target} ms`);
        if (base && base.p50 < SPEEDUP * t.p50)
          verdicts.push(
            `${c.label} ${viewerName} ${label}: only ${(base.p50 / t.p50).toFixed(1)}× the ILIKE scan (< ${SPEEDUP}×)`,
          );
      }
    }
  }
  printTable(
    [
      "kind",
      "search",
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
  const targets = `identifier ≤ ${TARGETS.identifier} ms, rare ≤ ${TARGETS.rare} ms, common ≤ ${TARGETS.common} ms (p95), each ≥ ${SPEEDUP}× the ILIKE scan`;
  log(
    `times in ms, first page of 50: parseSearch + listConversations (identifiers, page, masking, snippets); ` +
      `${iterations} runs each, ILIKE ${ilikeIterations}; identifier searches list exact matches first (one order)`,
  );
  if (verdicts.length) {
    log(`targets missed (${targets}):\n  ${verdicts.join("\n  ")}`);
    process.exitCode = TARGETS_MISSED;
  } else log(`targets met: ${targets}`);
} finally {
  await close();
}

/**
 * The naive way to a keyword page: ILIKE over every message, agent note and disposition note in
 * the viewer's scope (and the prefix's filter), then the 50 conversations with the most matching
 * texts (a crude relevance), or the 50 newest.
 */
async function ilikePage(
  db: Database,
  viewer: ScopeViewer,
  term: string,
  order: "matches" | "newest",
  where?: Where,
) {
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
    .$if(where !== undefined, (qb) => qb.where((eb) => (where as Where)(eb)))
    .select(["conversations.id", "conversations.started_at", "hits.n"])
    .$if(order === "matches", (qb) => qb.orderBy("hits.n", "desc"))
    .orderBy("conversations.started_at", "desc")
    .limit(50)
    .execute();
}

/** The naive identifier lookup: ILIKE over every customer's phone, e-mail or name (or every session id). */
async function ilikeCustomers(db: Database, viewer: ScopeViewer, where: Where) {
  return db
    .selectFrom("conversations")
    .leftJoin("customers as cu", "cu.id", "conversations.customer_id")
    .where(conversationScope(viewer))
    .where((eb) => where(eb as unknown as ExpressionBuilder<DB, "conversations">))
    .select(["conversations.id", "conversations.started_at"])
    .orderBy("conversations.started_at", "desc")
    .limit(50)
    .execute();
}
