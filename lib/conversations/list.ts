import { type ExpressionBuilder, type SqlBool, sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Database } from "../../db/client.ts";
import type { Channel, ConversationStatus, DB, Direction, SmartStatus } from "../../db/types.ts";
import { conversationScope, type ScopeViewer, scopeKind, searchScope, viewerUserId } from "../auth/scope.ts";
import { isUuid } from "../db-ranges.ts";
import {
  type Cursor,
  cursorFits,
  isLatencySort,
  type ListFilters,
  type Sort,
  type TagClause,
} from "../list-params.ts";
import { customerCondition, EXACT_RANK } from "../search/identifiers.ts";
import { RANKED_CANDIDATES } from "../search/index.ts";
import { readSettings } from "../settings/index.ts";
import { type Highlighted, searchSnippets } from "./highlight.ts";
import { type CustomerContact, maskCustomer } from "./mask.ts";

export type ConversationAgent = { id: string; name: string; avatarUpdatedAt: string | null };

export type ConversationListItem = {
  id: string;
  sessionId: string;
  callConversationId: string | null;
  agentConversationId: string | null;
  externalCallId: string | null;
  customer: CustomerContact;
  channel: Channel;
  direction: Direction;
  language: string;
  status: ConversationStatus;
  smartStatus: SmartStatus | null;
  startedAt: Date;
  endedAt: Date | null;
  csatScore: number | null;
  csatTriggered: boolean;
  npsScore: number | null;
  npsTriggered: boolean;
  /** true = like, false = dislike, null = no answer. */
  liked: boolean | null;
  likeTriggered: boolean;
  supportAgent: string | null;
  /** Everyone who joined (agents, supervisors, consultants), in the order they first joined. */
  agents: ConversationAgent[];
  /** Queue names in the order the conversation entered them; the last one is the current/final queue. */
  queues: string[];
  /** Every skill the conversation required, in the order first added. */
  skills: string[];
  /** End-to-End latency p90 over the conversation's voice turns (ms); null when none was measured. */
  e2eP90Ms: number | null;
  /** This row's place in the list's order. */
  cursor: Cursor;
  /** With a search: what the conversation says that matched, matches marked (empty when none stands out). */
  snippet?: Highlighted;
};

export type ListConversationsOptions = ListFilters & {
  limit?: number;
  sort?: Sort;
  /** Only these conversations (an export of picked rows); still scoped. Not the `ids` filter, which
   * also matches session and call ids. */
  conversationIds?: readonly string[];
  /** The page after this row in display order… */
  after?: Cursor;
  /** …or the page before it. */
  before?: Cursor;
  /** Only conversations matching this search: a tsquery from lib/search parseSearch… */
  search?: string;
  /** …and its `fewMatches`: read the matches from the GIN index first. */
  searchFewMatches?: boolean;
  /** Monitor's search box (lib/conversations/ongoing.ts): customer or identifier text, or words said. */
  lookup?: Lookup;
  /** Conversations the search names by an identifier (lib/search parseSearch `exact`): they match
   * whatever the keyword query says and rank above every keyword match. */
  searchExact?: readonly string[];
  /** "Obscure customer info": the phone and email filters match nothing (lib/search/identifiers.ts).
   * listConversations reads it from the settings. */
  obscure?: boolean;
};

/**
 * A lookup by what a supervisor knows of a live conversation: part of the customer's name or user
 * ID (phone and e-mail too unless "Obscure customer info" hides them, so a masked value can't be
 * found), an exact session/call id, or words said (a tsquery). Tested row by row, so only for a
 * bounded set (the conversations in progress, read from their own index).
 */
export type Lookup = {
  text: string;
  contacts: boolean;
  tsquery: string | null;
  /** lib/search's estimate: few documents match, so read them from the GIN index once. */
  fewMatches?: boolean;
};

export type ConversationPage = {
  items: ConversationListItem[];
  /** Where the next / previous page starts; null at either end. */
  next: Cursor | null;
  prev: Cursor | null;
};

// The exact timestamp for cursors: JavaScript dates stop at milliseconds, PostgreSQL keeps µs, and a
// rounded cursor would skip or repeat rows.
const CURSOR_AT = `YYYY-MM-DD"T"HH24:MI:SS.US"Z"`;

type ConversationRow = ExpressionBuilder<DB, "conversations">;

/** Everyone who joined (agents, supervisors, consultants), in the order they first joined; once each. */
export function agentsOf(eb: ConversationRow) {
  return jsonArrayFrom(
    eb
      .selectFrom("conversation_participants as p")
      .innerJoin("users as u", "u.id", "p.user_id")
      .select(["u.id", "u.name", "u.avatar_updated_at as avatarUpdatedAt"])
      .whereRef("p.conversation_id", "=", "conversations.id")
      .groupBy(["u.id", "u.name", "u.avatar_updated_at"]) // someone who rejoined is listed once
      .orderBy((o) => o.fn.min("p.joined_at")),
  );
}

/** Queue names in the order entered; the last is the current or final one. */
export function queuesOf(eb: ConversationRow) {
  return jsonArrayFrom(
    eb
      .selectFrom("conversation_queues as cq")
      .innerJoin("queues as q", "q.id", "cq.queue_id")
      .select("q.name")
      .whereRef("cq.conversation_id", "=", "conversations.id")
      .orderBy("cq.entered_at")
      .orderBy("cq.id"),
  );
}

/**
 * The conversations the viewer may see that pass the filters and the search, with the keys of this
 * order as the shape reads them. A "joined" scope (lib/auth/scope.ts) is read in order from the
 * viewer's own participations (participants_user_started_idx holds each one's copy of the start)
 * rather than by walking every conversation and testing each, which scans the whole index for
 * someone with few conversations. The join is that scope; adding conversationScope's EXISTS as well
 * would only mislead the planner (it takes the two as independent and stops trusting the index
 * order). A rejoin counts once. `restrict: false` gives the bare table (the ranked outer query).
 *
 * A search the planner expects few matches for (lib/search FEW_MATCHES) is read the other way
 * round: its matches come from the GIN index, are scoped (searchScope) and put in start order
 * (`order`) from conversation_search alone, which keeps copies of both; the conversations are
 * joined to them in that order, so a page costs a page of joins, not one per match.
 */
function filteredQuery(
  db: Database,
  viewer: ScopeViewer,
  opts: ListConversationsOptions,
  restrict = true,
  order: "asc" | "desc" = "desc",
) {
  const latency = isLatencySort(opts.sort);
  const exact = restrict ? (opts.searchExact ?? []) : [];
  const search = restrict ? opts.search : undefined;
  const searching = search !== undefined || exact.length > 0;
  const few = searching && opts.searchFewMatches === true;
  const own = restrict && !few && scopeKind(viewer) === "joined";
  // The latency orders read conversations_e2e_p90_idx (e2e_p90_ms, id), measured conversations only.
  const [keyAt, keyId] = latency
    ? ["conversations.e2e_p90_ms", "conversations.id"]
    : few
      ? ["search.started_at", "search.conversation_id"]
      : own
        ? ["own.conversation_started_at", "own.conversation_id"]
        : ["conversations.started_at", "conversations.id"];
  let query = db
    .selectFrom("conversations")
    .$if(own, (qb) =>
      qb
        .innerJoin("conversation_participants as own", "own.conversation_id", "conversations.id")
        .where("own.user_id", "=", viewerUserId(viewer))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("conversation_participants as again")
                .select("again.id")
                .whereRef("again.conversation_id", "=", "own.conversation_id")
                .where("again.user_id", "=", viewerUserId(viewer))
                .whereRef("again.id", "<", "own.id"),
            ),
          ),
        ),
    )
    .$if(restrict && !own && !few, (qb) => qb.where(conversationScope(viewer)))
    // Keyword search (lib/search): a rare term's matches are read from the GIN index, a common
    // term's in the list's order, each conversation's document checked (search-explain.test.ts).
    .$if(searching, (qb) =>
      qb.innerJoin(
        (eb) => {
          const isExact = sql<boolean>`conversation_search.conversation_id = any(${[...exact]}::uuid[])`;
          const matches =
            search === undefined ? null : sql<boolean>`conversation_search.document @@ ${search}::tsquery`;
          const matching = eb
            .selectFrom("conversation_search")
            .select([
              "conversation_search.conversation_id",
              "conversation_search.started_at",
              "conversation_search.document",
              // Computed only where a query reads it (the ranked candidates). An identifier match
              // ranks above every keyword match.
              sql<number>`(${search === undefined ? sql`0` : sql`ts_rank(conversation_search.document, ${search}::tsquery)`}
                + case when ${isExact} then ${sql.lit(EXACT_RANK)} else 0 end)::real`.as("rank"),
            ])
            .where((w) =>
              matches === null ? isExact : exact.length === 0 ? matches : w.or([matches, isExact]),
            );
          if (!few) return matching.as("search"); // merged into the walk of the list's order
          // OFFSET 0 (and its own ORDER BY) keeps the subquery whole, so its rows come from the GIN
          // index before any join, and the ORDER BY hands the outer query its order.
          return matching
            .where(searchScope(viewer))
            .$if(!latency, (qb) =>
              qb
                .orderBy("conversation_search.started_at", order)
                .orderBy("conversation_search.conversation_id", order),
            )
            .offset(0)
            .as("search");
        },
        (join) => join.onRef("search.conversation_id", "=", "conversations.id"),
      ),
    );
  if (!restrict) return { query, keyAt, keyId };
  query = query.where((eb) => eb.and(filterConditions(eb, opts)));
  if (opts.conversationIds) {
    const ids = opts.conversationIds;
    query = query.where("conversations.id", "in", ids.length ? ids : [null as never]);
  }
  if (opts.e2eP90Min !== undefined) query = query.where("conversations.e2e_p90_ms", ">=", opts.e2eP90Min);
  const lookup = opts.lookup;
  if (lookup) query = query.where((eb) => lookupCondition(eb, lookup));
  if (latency) query = query.where("conversations.e2e_p90_ms", "is not", null);
  return { query, keyAt, keyId };
}

/**
 * The list query: one statement, agents/queues/skills aggregated per row by correlated subqueries
 * that run only for the rows returned (no N+1). Keyset order (started_at, id) in either direction is
 * served by conversations_started_idx, or the status/channel variants with a filter; the agent scope
 * by participants_user_started_idx (tests/integration/list-explain.test.ts keeps it that way).
 * Sorted by relevance (a search), the order is (rank, started_at, id) over the ranked candidates
 * (lib/search RANKED_CANDIDATES). Fetches limit + 1 rows to learn whether another page follows, in
 * fetch order.
 */
export function listQuery(db: Database, viewer: ScopeViewer, opts: ListConversationsOptions = {}) {
  const limit = opts.limit ?? 50;
  const latency = isLatencySort(opts.sort);
  const exact = opts.searchExact ?? [];
  const ranked = opts.sort === "relevance" && (opts.search !== undefined || exact.length > 0);
  const display = opts.sort === "oldest" || opts.sort === "e2e_p90_asc" ? "asc" : "desc";
  // A cursor from another order can't place a row in this one: start from the first page.
  const given = opts.before ?? opts.after;
  const cursor = given && cursorFits(ranked ? "relevance" : opts.sort, given) ? given : undefined;
  // Previous page: walk the keyset the other way from its first row, then reverse (listConversations).
  const order = opts.before ? (display === "asc" ? "desc" : "asc") : display;
  // Ranked: the candidates are the scoped, filtered matches, and the outer query only joins them
  // back (restating the scope and filters there would make the planner read them all again).
  const filtered = filteredQuery(db, viewer, opts, !ranked, order);
  // Ranking reads every candidate's document: the most recent matches are ranked, so a common term
  // costs a bounded amount (DESIGN: "bound the candidate set"). Put in the page's order here, so
  // that the conversations are joined to the first rows only.
  const candidates = () => {
    const c = filteredQuery(db, viewer, { ...opts, sort: "newest" });
    const newest = c.query
      .select([
        sql<string>`${sql.ref(c.keyId)}`.as("id"),
        sql<Date>`${sql.ref(c.keyAt)}`.as("at"),
        sql<number>`search.rank`.as("rank"),
      ])
      .$if(exact.length > 0, (qb) =>
        qb.where(sql<boolean>`not (${sql.ref(c.keyId)} = any(${[...exact]}::uuid[]))`),
      )
      .orderBy(sql.ref(c.keyAt), "desc")
      .orderBy(sql.ref(c.keyId), "desc")
      .limit(RANKED_CANDIDATES);
    // The identifier matches are candidates however old they are (at most EXACT_MATCHES of them).
    const e = filteredQuery(db, viewer, {
      ...opts,
      sort: "newest",
      search: undefined,
      searchFewMatches: true,
    });
    const exactRows = e.query.select([
      sql<string>`${sql.ref(e.keyId)}`.as("id"),
      sql<Date>`${sql.ref(e.keyAt)}`.as("at"),
      sql<number>`search.rank`.as("rank"),
    ]);
    const all = db.selectFrom(newest.as("n")).selectAll();
    return db
      .selectFrom((exact.length > 0 ? all.unionAll(exactRows) : all).as("newest"))
      .selectAll()
      .orderBy("rank", order)
      .orderBy("at", order)
      .orderBy("id", order);
  };
  const keys = ranked
    ? [sql.ref("ranked.rank"), sql.ref("ranked.at"), sql.ref("ranked.id")]
    : [sql.ref(filtered.keyAt), sql.ref(filtered.keyId)];
  let query = filtered.query
    .$if(ranked, (qb) => qb.innerJoin(candidates().as("ranked"), "ranked.id", "conversations.id"))
    .leftJoin("customers", "customers.id", "conversations.customer_id")
    .leftJoin("users as support", "support.id", "conversations.support_agent_id")
    .select((eb) => [
      "conversations.id",
      "conversations.session_id as sessionId",
      "conversations.call_conversation_id as callConversationId",
      "conversations.agent_conversation_id as agentConversationId",
      "conversations.external_call_id as externalCallId",
      "customers.name as customerName",
      "customers.user_ref as customerUserRef",
      "customers.phone as customerPhone",
      "customers.email as customerEmail",
      "conversations.channel",
      "conversations.direction",
      "conversations.language",
      "conversations.status",
      "conversations.smart_status as smartStatus",
      "conversations.started_at as startedAt",
      "conversations.ended_at as endedAt",
      "conversations.csat_score as csatScore",
      "conversations.csat_triggered as csatTriggered",
      "conversations.nps_score as npsScore",
      "conversations.nps_triggered as npsTriggered",
      "conversations.liked",
      "conversations.like_triggered as likeTriggered",
      "support.name as supportAgent",
      "conversations.e2e_p90_ms as e2eP90Ms",
      (latency
        ? sql<string>`conversations.e2e_p90_ms::text`
        : sql<string>`to_char(conversations.started_at at time zone 'UTC', ${sql.lit(CURSOR_AT)})`
      ).as("cursorAt"),
      // float4 printed in full (shortest exact form), so the cursor compares equal to the rank.
      sql<string | null>`${ranked ? sql.ref("ranked.rank") : sql.lit(null)}::text`.as("cursorRank"),
      agentsOf(eb).as("agents"),
      queuesOf(eb).as("queues"),
      jsonArrayFrom(
        eb
          .selectFrom("conversation_skills as cs")
          .innerJoin("skills as s", "s.id", "cs.skill_id")
          .select("s.name")
          .whereRef("cs.conversation_id", "=", "conversations.id")
          .groupBy("s.name") // removed and added again: listed once
          .orderBy((o) => o.fn.min("cs.added_at")),
      ).as("skills"),
    ]);
  for (const key of keys) query = query.orderBy(key, order);
  query = query.limit(limit + 1);
  if (cursor) {
    // A row comparison, which PostgreSQL matches against the (key, id) index as one range.
    const op = sql.raw(order === "desc" ? "<" : ">");
    const values = [
      ...(ranked ? [sql`${cursor.rank ?? "0"}::real`] : []),
      latency ? sql`${cursor.at}::float8` : sql`${cursor.at}::timestamptz`,
      sql`${cursor.id}::uuid`,
    ];
    query = query.where(sql<boolean>`(${sql.join(keys)}) ${op} (${sql.join(values)})`);
  }
  return query;
}

function lookupCondition(eb: ConversationRow, lookup: Lookup) {
  const pattern = containsPattern(lookup.text);
  const columns = ["name", "user_ref", ...(lookup.contacts ? ["phone", "email"] : [])];
  const contact = sql.join(
    columns.map((c) => sql`lc.${sql.ref(c)} ilike ${pattern}`),
    sql` or `,
  );
  // Scalar subqueries, one primary-key probe per live row: an EXISTS under OR may be run as a
  // "hashed SubPlan", which reads every customer (or every matching document) first.
  return eb.or([
    sql<boolean>`coalesce((select ${contact} from customers lc where lc.id = conversations.customer_id), false)`,
    eb("conversations.session_id", "=", lookup.text),
    eb("conversations.call_id", "=", lookup.text),
    eb("conversations.external_call_id", "=", lookup.text),
    ...(isUuid(lookup.text) ? [eb("conversations.id", "=", lookup.text)] : []),
    ...(lookup.tsquery === null
      ? []
      : lookup.fewMatches
        ? // A hashed SubPlan: the few matches from the GIN index, then a hash probe per live row.
          [
            eb(
              "conversations.id",
              "in",
              eb
                .selectFrom("conversation_search as ls")
                .select("ls.conversation_id")
                .where(sql<boolean>`ls.document @@ ${lookup.tsquery}::tsquery`),
            ),
          ]
        : // A common term: each live row's own document, rather than every match in the table.
          [
            sql<boolean>`coalesce((select ls.document @@ ${lookup.tsquery}::tsquery from conversation_search ls
                                   where ls.conversation_id = conversations.id), false)`,
          ]),
  ]);
}

/** `%text%` for ILIKE, with the pattern characters in the text taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The filter panel's conditions, all ANDed. Each is servable by an index: status, channel, CSAT and
 * the date range by the conversations (…, started_at, id) indexes; a one-value list becomes `=`
 * (PostgreSQL rewrites `in (x)`), so the single-status index keeps giving the page order. Queues,
 * agents and tags are EXISTS probes on (conversation_id, …) indexes, or a semi-join from
 * conversation_queues_queue_idx / participants_user_started_idx / the tags GIN index when the
 * planner finds them rare (tests/integration/list-explain.test.ts).
 */
function filterConditions(
  eb: ConversationRow,
  filter: ListFilters & { obscure?: boolean },
): ReturnType<typeof eb.and>[] {
  const conditions: ReturnType<typeof eb.and>[] = [];
  const add = (condition: ReturnType<typeof eb.and>) => conditions.push(condition);
  if (filter.status) add(eb("conversations.status", "in", filter.status));
  if (filter.channel) add(eb("conversations.channel", "in", filter.channel));
  if (filter.direction) add(eb("conversations.direction", "in", filter.direction));
  if (filter.smart) add(eb("conversations.smart_status", "in", filter.smart));
  if (filter.csat) add(eb("conversations.csat_score", "in", filter.csat));
  if (filter.from) add(eb("conversations.started_at", ">=", dayStart(filter.from)));
  if (filter.to) add(eb("conversations.started_at", "<", dayEnd(filter.to)));
  if (filter.ids) {
    const ids = filter.ids;
    const uuids = ids.filter(isUuid);
    add(
      eb.or([
        ...(uuids.length ? [eb("conversations.id", "in", uuids)] : []),
        eb("conversations.session_id", "in", ids),
        eb("conversations.call_id", "in", ids),
        eb("conversations.call_conversation_id", "in", ids),
        eb("conversations.agent_conversation_id", "in", ids),
        eb("conversations.external_call_id", "in", ids),
      ]),
    );
  }
  if (filter.queue) {
    const queues = filter.queue;
    add(
      eb.exists(
        eb
          .selectFrom("conversation_queues as fq")
          .innerJoin("queues as fqn", "fqn.id", "fq.queue_id")
          .select(eb.lit(1).as("one"))
          .whereRef("fq.conversation_id", "=", "conversations.id")
          .where("fqn.name", "in", queues),
      ),
    );
  }
  if (filter.agent) {
    const agents = filter.agent;
    add(
      eb.exists(
        eb
          .selectFrom("conversation_participants as fa")
          .innerJoin("users as fu", "fu.id", "fa.user_id")
          .select(eb.lit(1).as("one"))
          .whereRef("fa.conversation_id", "=", "conversations.id")
          // users_email_key is on lower(email); the parameter is lower-cased when parsed.
          .where((w) => w(w.fn("lower", ["fu.email"]), "in", agents)),
      ),
    );
  }
  for (const clause of filter.tags ?? []) add(tagCondition(eb, clause));
  if (filter.phone !== undefined || filter.email !== undefined || filter.customer !== undefined) {
    // The customers first, from their own indexes, as one array (an InitPlan); then their
    // conversations from conversations_customer_idx. As `IN (subquery)` the planner would walk the
    // whole list in start order, testing each row, for what is usually one customer's few
    // conversations (identifier-explain.test.ts).
    const lookup = { phone: filter.phone, email: filter.email, customer: filter.customer };
    const customers = eb
      .selectFrom("customers")
      .select("customers.id")
      .where((w) => customerCondition(w, lookup, filter.obscure ?? true));
    add(eb.and([sql<SqlBool>`${eb.ref("conversations.customer_id")} = any(array(${customers}))`]));
  }
  return conditions;
}

/** CONTAINS: a tag of that name whose value contains the text (any value when empty); DOES NOT CONTAIN: none. */
function tagCondition(eb: ConversationRow, clause: TagClause) {
  const tagged = eb.exists(
    eb
      .selectFrom("conversation_tags as ft")
      .select(eb.lit(1).as("one"))
      .whereRef("ft.conversation_id", "=", "conversations.id")
      .where("ft.name", "=", clause.name)
      .$if(clause.value !== "", (qb) => qb.where("ft.value", "ilike", containsPattern(clause.value))),
  );
  return clause.op === "contains" ? tagged : eb.not(tagged);
}

// A bare day is a whole UTC day: "from" its first instant, "to" up to (not including) the next day.
const DAY = /^\d{4}-\d{2}-\d{2}$/;
function dayStart(bound: string): Date {
  return new Date(DAY.test(bound) ? `${bound}T00:00:00Z` : bound);
}
function dayEnd(bound: string): Date {
  if (!DAY.test(bound)) return new Date(bound);
  const end = new Date(`${bound}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return end;
}

/** One page of the conversations the viewer may see, masked, with the cursors around it. */
export async function listConversations(
  db: Database,
  viewer: ScopeViewer,
  opts: ListConversationsOptions = {},
): Promise<ConversationPage> {
  const limit = opts.limit ?? 50;
  // Read here rather than passed in, so no caller can forget to mask (rows, and the phone and e-mail filters).
  // The query needs the setting only for the phone and e-mail filters: otherwise both at once.
  const contactFilter = opts.phone !== undefined || opts.email !== undefined;
  const early = contactFilter ? await readSettings(db) : null;
  const [rows, settings] = await Promise.all([
    listQuery(db, viewer, { ...opts, obscure: early?.obscure_customer_info ?? true }).execute(),
    early ?? readSettings(db),
  ]);
  const more = rows.length > limit;
  const fetched = rows.slice(0, limit);
  if (opts.before) {
    // Fewer rows than a page before the cursor (rows were added or left meanwhile): show the first page.
    if (!more && fetched.length < limit) return listConversations(db, viewer, { ...opts, before: undefined });
    fetched.reverse();
  }
  // Search results carry the words that matched, in masked text (lib/conversations/highlight.ts).
  const snippets = opts.search
    ? await searchSnippets(
        db,
        opts.search,
        fetched.map((r) => ({ id: r.id, contact: { phone: r.customerPhone, email: r.customerEmail } })),
        settings.obscure_customer_info,
      )
    : null;
  const items = fetched.map(
    ({
      customerName,
      customerUserRef,
      customerPhone,
      customerEmail,
      queues,
      skills,
      cursorAt,
      cursorRank,
      ...row
    }) => ({
      ...row,
      customer: maskCustomer(
        { name: customerName, userRef: customerUserRef, phone: customerPhone, email: customerEmail },
        settings.obscure_customer_info,
      ),
      queues: queues.map((q) => q.name),
      skills: skills.map((s) => s.name),
      cursor: { at: cursorAt, id: row.id, ...(cursorRank === null ? {} : { rank: cursorRank }) },
      ...(snippets ? { snippet: snippets.get(row.id) ?? [] } : {}),
    }),
  );
  const hasNext = opts.before ? true : more;
  const hasPrev = opts.before ? more : opts.after !== undefined;
  return {
    items,
    next: hasNext ? (items.at(-1)?.cursor ?? null) : null,
    prev: hasPrev ? (items[0]?.cursor ?? null) : null,
  };
}

/**
 * The planner's row estimate for the whole table (pg_class.reltuples, kept by ANALYZE/autovacuum):
 * "about N" without an exact count(*) over a large table on the request path. Null before the
 * first ANALYZE.
 */
export async function estimateConversationCount(db: Database): Promise<number | null> {
  const { rows } = await sql<{ n: number }>`
    select reltuples::float8 as n from pg_class where oid = 'conversations'::regclass`.execute(db);
  const n = rows[0]?.n ?? -1;
  return n >= 0 ? Math.round(n) : null;
}

/** How many rows a list may have for countConversations to count them exactly. */
export const EXACT_COUNT_MAX = 20_000;

export type ListTotal = { count: number; exact: boolean };

/**
 * The list's total for "1–50 of N": exact when that is cheap, i.e. when the whole table holds at most
 * EXACT_COUNT_MAX conversations by the planner's estimate (and even then the count stops one past
 * the limit); otherwise the estimate, which only describes unfiltered lists that see everything
 * (`estimateWhole`), or null ("many"). A stale estimate ("about 2,002" of 2,227) is never shown
 * when the count is cheap.
 */
export async function countConversations(
  db: Database,
  viewer: ScopeViewer,
  opts: ListConversationsOptions,
  estimateWhole: boolean,
): Promise<ListTotal | null> {
  const estimate = await estimateConversationCount(db);
  if (estimate === null || estimate <= EXACT_COUNT_MAX) {
    const { query } = filteredQuery(db, viewer, opts);
    const capped = query.select(sql<number>`1`.as("one")).limit(EXACT_COUNT_MAX + 1);
    const row = await db
      .selectFrom(capped.as("matching"))
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    const n = Number(row.n);
    if (n <= EXACT_COUNT_MAX) return { count: n, exact: true };
  }
  return estimateWhole && estimate !== null ? { count: estimate, exact: false } : null;
}
