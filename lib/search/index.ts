import { type Kysely, sql } from "kysely";
import type { DB } from "../../db/types.ts";
import { normalizePhrase } from "./phrase.ts";

// Keyword search over conversations: the query syntax, the search documents and the highlights.
// The documents (conversation_search, one tsvector per conversation) are built by the SQL function
// conversation_search_refresh (db/migrations/20261202T100000_conversation_search.ts), which also
// explains why no masked value is ever in them.

/** The text search configuration of documents and queries: English, stop words dropped, no e-mail addresses. */
export const SEARCH_CONFIG = "parley";

/**
 * How many matching conversations are ranked. Ranking reads every candidate's document, so for a
 * common term it is bounded: the most recent RANKED_CANDIDATES matches (in the viewer's scope,
 * with the filters) are ranked; sorting by Start Time reaches every match.
 */
export const RANKED_CANDIDATES = 1000;

/**
 * Searches the planner expects to match at most this many conversations read their matches from
 * the GIN index first; more common ones walk the list's order and check each document. Left to
 * itself, the planner walks for rare terms too: it prices a document check as nearly free, but each
 * one reads a whole tsvector (a rare term on 1M conversations: ~30,000 documents read, ~0.5 s).
 */
export const FEW_MATCHES = 10_000;

export type ParsedSearch =
  | { ok: true; text: string; tsquery: string; fewMatches: boolean }
  | { ok: false; text: string; hint: string };

export const HINT_ONLY_COMMON_WORDS =
  "Nothing to search for: common words (such as “the” or “and”) and punctuation are ignored. Add a more specific word.";
export const HINT_ONLY_EXCLUSIONS =
  "Add a word to search for: a search of only excluded words (“-word”) would match almost everything.";

/**
 * Reads a search phrase with websearch_to_tsquery's syntax: words (all must match), "quoted
 * phrases", -word to exclude, OR between alternatives; stop words and punctuation are dropped. A
 * phrase left with nothing to look for, or with only exclusions (which no index can serve), is not
 * an error: it comes back with a hint and the list shows nothing.
 */
export async function parseSearch(db: Kysely<DB>, phrase: string): Promise<ParsedSearch> {
  const text = normalizePhrase(phrase);
  const { rows } = await sql<{ tsquery: string; tree: string }>`
    select q::text as tsquery, querytree(q) as tree
    from websearch_to_tsquery(${SEARCH_CONFIG}::regconfig, ${text}) as q`.execute(db);
  const row = rows[0];
  if (!row || row.tsquery === "") return { ok: false, text, hint: HINT_ONLY_COMMON_WORDS };
  if (row.tree === "T") return { ok: false, text, hint: HINT_ONLY_EXCLUSIONS };
  return {
    ok: true,
    text,
    tsquery: row.tsquery,
    fewMatches: (await estimateMatches(db, row.tsquery)) <= FEW_MATCHES,
  };
}

/** The planner's estimate of how many documents match (from the tsvector statistics ANALYZE keeps). */
async function estimateMatches(db: Kysely<DB>, tsquery: string): Promise<number> {
  const { rows } = await sql<{ "QUERY PLAN": { Plan: { "Plan Rows": number } }[] }>`
    explain (format json) select 1 from conversation_search where document @@ ${tsquery}::tsquery`.execute(
    db,
  );
  return rows[0]?.["QUERY PLAN"][0]?.Plan["Plan Rows"] ?? Number.POSITIVE_INFINITY;
}

/**
 * Rebuilds the search documents of these conversations from what they say now. Called in the same
 * transaction as the writes (ingest) or after a bulk load (seeders); set-based, one statement.
 */
export async function refreshSearchDocuments(db: Kysely<DB>, conversationIds: readonly string[]) {
  if (conversationIds.length === 0) return;
  await sql`select conversation_search_refresh(${[...conversationIds]}::uuid[])`.execute(db);
}

/** The SQL statement behind refreshSearchDocuments, for loaders on a plain pg client ($1 = uuid[]). */
export const REFRESH_SEARCH_DOCUMENTS_SQL = "select conversation_search_refresh($1::uuid[])";
