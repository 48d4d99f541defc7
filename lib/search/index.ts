import { type Kysely, type RawBuilder, sql } from "kysely";
import type { DB } from "../../db/types.ts";
import type { ScopeViewer } from "../auth/scope.ts";
import type { ConversationFilter } from "../list-params.ts";
import { findExactMatches, identifierShapes, maskedIdentifierHint } from "./identifiers.ts";
import { normalizePhrase } from "./phrase.ts";
import { parsePhrase } from "./query.ts";

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
  | {
      ok: true;
      /** The keyword text (field prefixes taken out). */
      text: string;
      /** The keyword query; null when only identifiers or prefixes were typed. */
      tsquery: string | undefined;
      fewMatches: boolean;
      /** Conversations the text names exactly (lib/search/identifiers.ts), ranked above the rest. */
      exact: string[];
      /** The filters its field prefixes set (lib/search/query.ts). */
      filters: ConversationFilter;
      /** Said beside the results (e.g. why a phone number can't be searched). */
      hints: string[];
    }
  | { ok: false; text: string; hint: string };

export const HINT_ONLY_COMMON_WORDS =
  "Nothing to search for: common words (such as “the” or “and”) and punctuation are ignored. Add a more specific word.";
export const HINT_ONLY_EXCLUSIONS =
  "Add a word to search for: a search of only excluded words (“-word”) would match almost everything.";
export const HINT_NO_IDENTIFIER =
  "No conversation has this phone number, e-mail address or id. Check it, or search for words the conversation contains.";

/** Who is searching, for identifier matches: scoped to them, and masked when customer info is obscured. */
export type SearchContext = { viewer: ScopeViewer; obscure: boolean };

/**
 * Reads a search phrase: field prefixes (agent:, status:, …) become filters; the rest is read with
 * websearch_to_tsquery's syntax — words (all must match), "quoted phrases", -word to exclude, OR
 * between alternatives; stop words and punctuation are dropped — and, given a context, looked up as
 * an identifier (phone, e-mail, name, ids). A phrase left with nothing to look for, with only
 * exclusions (which no index can serve), or with a prefix it can't use is not an error: it comes
 * back with a hint and the list shows nothing.
 */
export async function parseSearch(
  db: Kysely<DB>,
  phrase: string,
  context?: SearchContext,
): Promise<ParsedSearch> {
  const parsed = parsePhrase(normalizePhrase(phrase));
  const text = normalizePhrase(parsed.text);
  if (parsed.hints.length) return { ok: false, text, hint: parsed.hints.join(" ") };
  const base = { text, filters: parsed.filters };
  if (!text && parsed.prefixed)
    return { ok: true, ...base, tsquery: undefined, fewMatches: true, exact: [], hints: parsed.notices };
  // One round trip each, side by side: the query, the planner's estimate of its matches (the
  // function is immutable, so the planner reads the query itself) and the identifier matches.
  const [query, estimate, exact] = await Promise.all([
    sql<{ tsquery: string; tree: string }>`
      select q::text as tsquery, querytree(q) as tree
      from websearch_to_tsquery(${SEARCH_CONFIG}::regconfig, ${text}) as q`.execute(db),
    estimateMatches(db, sql`websearch_to_tsquery(${SEARCH_CONFIG}::regconfig, ${text})`),
    context ? findExactMatches(db, context.viewer, text, context.obscure) : [],
  ]);
  const row = query.rows[0];
  const masked = maskedIdentifierHint(text, context?.obscure ?? false);
  const hints = [...(masked ? [masked] : []), ...parsed.notices];
  const shape = identifierShapes(text);
  // A phone number is looked up as one (its digit groups as words would match unrelated numbers).
  const tsquery = row && row.tsquery !== "" && row.tree !== "T" && !shape.phone ? row.tsquery : undefined;
  if (tsquery === undefined && exact.length === 0) {
    const hint =
      masked ??
      parsed.notices[0] ??
      (shape.phone || shape.fullEmail
        ? HINT_NO_IDENTIFIER
        : row?.tree === "T"
          ? HINT_ONLY_EXCLUSIONS
          : HINT_ONLY_COMMON_WORDS);
    return { ok: false, text, hint };
  }
  const matches = tsquery === undefined ? 0 : estimate;
  return { ok: true, ...base, tsquery, fewMatches: matches + exact.length <= FEW_MATCHES, exact, hints };
}

/** The list options a parsed search adds: its filters, the keyword query and the exact matches. */
export function searchListOptions(search: ParsedSearch | null) {
  if (!search?.ok) return {};
  return {
    ...search.filters,
    search: search.tsquery,
    searchFewMatches: search.fewMatches,
    searchExact: search.exact,
  };
}

/** The planner's estimate of how many documents match (from the tsvector statistics ANALYZE keeps). */
async function estimateMatches(db: Kysely<DB>, tsquery: RawBuilder<unknown>): Promise<number> {
  const { rows } = await sql<{ "QUERY PLAN": { Plan: { "Plan Rows": number } }[] }>`
    explain (format json) select 1 from conversation_search where document @@ ${tsquery}`.execute(db);
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
