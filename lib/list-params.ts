import { z } from "zod";
import type { Channel, ConversationStatus, Direction, SmartStatus } from "../db/types.ts";
import { isUuid } from "./db-ranges.ts";
import { MIN_PHONE_DIGITS, normalizePhrase, phoneDigits } from "./search/phrase.ts";

// The Conversations list's whole state lives in the URL (DESIGN: "Lists keep their state in the
// URL"): this one schema reads it on the server and `listHref` writes it, so every view is a link.
// Each field is parsed on its own and an invalid value is dropped (its default applies): a stale or
// hand-edited link still opens, it just loses what it got wrong.

export const STATUSES = [
  "in_progress",
  "error",
  "completed_drop_off",
  "completed_user_hangup",
  "completed_ai_agent_hangup",
  "completed",
] as const satisfies readonly ConversationStatus[];
export const CHANNELS = ["voice", "chat", "email"] as const satisfies readonly Channel[];
export const DIRECTIONS = ["inbound", "outbound"] as const satisfies readonly Direction[];
export const SMART_STATUSES = [
  "queued",
  "handling",
  "on_hold",
  "messaging",
  "awaiting_customer",
  "inactive",
  "disconnected",
  "resolved",
  "abandoned",
  "escalated",
] as const satisfies readonly SmartStatus[];
export const CSAT_SCORES = [1, 2, 3, 4, 5] as const;
export const TAG_PREDICATES = ["contains", "not_contains"] as const;
export type TagPredicate = (typeof TAG_PREDICATES)[number];
/** One "Filter for Custom Tags" clause; a conversation must match every clause. */
export type TagClause = { name: string; op: TagPredicate; value: string };
export const MAX_TAG_CLAUSES = 5;
export const TAG_CLAUSE_LIMIT_MESSAGE = `You can add up to ${MAX_TAG_CLAUSES} clauses.`;
export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const SORTS = ["newest", "oldest", "e2e_p90_desc", "e2e_p90_asc"] as const;
/** "relevance" only with a search (`q`), where it is the default. */
export type Sort = (typeof SORTS)[number] | "relevance";

/** The sorts by End-to-End latency p90: they list only conversations with a measured p90. */
export const isLatencySort = (sort: Sort | undefined) => sort === "e2e_p90_desc" || sort === "e2e_p90_asc";

/**
 * A position in the list's order: the row's sort key and id. The key is the exact start time as
 * PostgreSQL holds it (µs) in the start-time orders, the stored p90 (float8 text) in the latency ones.
 * In the relevance order (rank, started_at, id) also the rank, exactly as PostgreSQL printed it.
 */
export type Cursor = { at: string; id: string; rank?: string };

const CURSOR_AT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;
const CURSOR_NUMBER = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/;

// Checked as PostgreSQL will read them (the cursor goes into ::timestamptz, ::float8 and ::real
// casts): a crafted cursor with 30 February or 1e400 is refused here instead of failing the query.

/** A real UTC time: every field in range (30 February does not come back the same from Date). */
function isCursorTime(text: string): boolean {
  const m = CURSOR_AT.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return (
    y >= 1 &&
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === s
  );
}

/** A number `::float8` (or, `single`, `::real`) reads: finite, and not so small it underflows. */
function isCursorNumber(text: string, single = false): boolean {
  if (!CURSOR_NUMBER.test(text)) return false;
  const n = single ? Math.fround(Number(text)) : Number(text);
  const zero = !/[1-9]/.test(text.split("e")[0] ?? "");
  return Number.isFinite(n) && (n !== 0 || zero);
}

/** A cursor belongs to one kind of order: a start time can't place a row in a latency order. */
export function cursorFits(sort: Sort | undefined, cursor: Cursor): boolean {
  // A relevance cursor carries a rank, the others do not.
  if ((cursor.rank !== undefined) !== (sort === "relevance")) return false;
  return isLatencySort(sort) ? isCursorNumber(cursor.at) : isCursorTime(cursor.at);
}

/** Opaque in the URL (base64url of "<at>|<id>[|<rank>]"), so nobody is tempted to edit it by hand. */
// btoa/atob rather than Buffer: links are also written in the browser (page size, filters).
export function encodeCursor(cursor: Cursor): string {
  const text = [cursor.at, cursor.id, ...(cursor.rank === undefined ? [] : [cursor.rank])].join("|");
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(value: string): Cursor | undefined {
  let text: string;
  try {
    text = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return undefined;
  }
  const [at, id, rank, ...rest] = text.split("|");
  if (rest.length || !at || !id || !(isCursorTime(at) || isCursorNumber(at))) return undefined;
  if (!isUuid(id)) return undefined;
  if (rank === undefined) return { at, id };
  return isCursorNumber(rank, true) ? { at, id, rank } : undefined;
}

const cursor = z
  .string()
  .max(200)
  .transform((value) => decodeCursor(value))
  .pipe(
    z.object(
      { at: z.string(), id: z.string(), rank: z.string().optional() },
      { error: "Must be a cursor this list returned" },
    ),
  );

// PostgreSQL text cannot hold U+0000: a parameter carrying it is invalid here (the API names it, a
// page drops it) rather than a 500 from the query.
const urlText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((text) => !text.includes("\u0000"), "Must not contain U+0000");

const dateTime = z.iso.datetime({ offset: true, error: "Must be an ISO 8601 date-time with a time zone" });

/**
 * A comma-separated list ("status=error,completed"), any of whose values matches. Every value must
 * be valid (the API names the bad one; a link with one drops the whole parameter); repeats collapse.
 */
const list = <S extends z.ZodType>(item: S, max: number) =>
  urlText(8000)
    .transform((text) =>
      text
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(max) as unknown as z.ZodType<z.output<S>[], string[]>)
    .transform((values) => [...new Set(values)]);

/** A whole UTC day ("2026-11-03") or an exact ISO instant. */
const dateBound = z.union([z.iso.date(), dateTime], {
  error: "Must be a day (YYYY-MM-DD) or an ISO 8601 date-time with a time zone",
});

const tagClause = z
  .tuple([
    z.string().trim().min(1, "Enter a tag name.").max(100),
    z.enum(TAG_PREDICATES),
    z.string().trim().max(200),
  ])
  .transform(([name, op, value]): TagClause => ({ name, op, value }));

/** Custom-tag clauses as compact JSON tuples in the URL: [["tier","contains","gold"], …]. */
const tags = urlText(4000)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "Must be a JSON list of tag clauses" });
      return z.NEVER;
    }
  })
  .pipe(z.array(tagClause).min(1).max(MAX_TAG_CLAUSES, TAG_CLAUSE_LIMIT_MESSAGE));

/**
 * The filters: what narrows the list. One entry per URL parameter; the read API
 * (GET /api/v1/conversations) accepts the same ones, validated strictly by the same schemas, and
 * its OpenAPI document describes them from here, so `.describe()` each. Add filters here (the
 * search and filters issues) and give the API an example in lib/api/examples.ts; listQuery
 * (lib/conversations/list.ts) applies them.
 */
export const listFilterFields = {
  ids: list(z.string().min(1).max(200), 20).describe(
    "Comma-separated identifiers (up to 20): conversation id, session id, call id, conversation ids or external call id.",
  ),
  queue: list(z.string().min(1).max(200), 50).describe(
    "Comma-separated queue names: conversations that entered any of them.",
  ),
  channel: list(z.enum(CHANNELS), CHANNELS.length).describe("Comma-separated channels (any of)."),
  agent: list(z.email().max(320).toLowerCase(), 50).describe(
    "Comma-separated user e-mail addresses: conversations any of them joined.",
  ),
  status: list(z.enum(STATUSES), STATUSES.length).describe("Comma-separated statuses (any of)."),
  smart: list(z.enum(SMART_STATUSES), SMART_STATUSES.length).describe(
    "Comma-separated SmartStatuses (any of).",
  ),
  csat: list(z.coerce.number().pipe(z.literal(CSAT_SCORES)), CSAT_SCORES.length).describe(
    "Comma-separated CSAT scores 1–5 (any of).",
  ),
  direction: list(z.enum(DIRECTIONS), DIRECTIONS.length).describe("Inbound, outbound, or both."),
  from: dateBound.describe("Conversations started at or after this time (a bare day: from its start, UTC)."),
  to: dateBound.describe("Conversations started before this time (a bare day: up to its end, UTC)."),
  tags: tags.describe(
    `Custom-tag clauses, all of which must match: a JSON list of up to ${MAX_TAG_CLAUSES} [name, "contains" | "not_contains", value] (value "" = any value).`,
  ),
  phone: z
    .string()
    .max(50)
    .transform(phoneDigits)
    .pipe(z.string().min(MIN_PHONE_DIGITS, `Must have at least ${MIN_PHONE_DIGITS} digits`))
    .describe(
      `The customer's phone number in any notation ("+1 (555) 010-0138"): matched on its digits, the last ${MIN_PHONE_DIGITS} or more of them are enough. Finds nothing while Obscure customer info is on.`,
    ),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1)
    .max(320)
    .describe(
      "The customer's e-mail address, whole or the part before the @ (case-insensitive). Finds nothing while Obscure customer info is on.",
    ),
  customer: z
    .string()
    .trim()
    .min(2)
    .max(100)
    .describe("The start of the customer's name, or of words in it (case- and accent-insensitive)."),
  e2eP90Min: z.coerce
    .number()
    .int()
    .min(0)
    .max(600_000)
    .describe("Voice conversations whose End-to-End latency p90 is at least this many milliseconds."),
};

/** A position in the list: the page after this row (in display order). */
export const cursorField = cursor;
/** Keyword search (lib/search): the phrase as typed, parsed when the list is read. */
export const searchField = urlText(2000)
  .transform(normalizePhrase)
  .pipe(z.string().min(1))
  .describe(
    'Search: words over messages, transcripts, e-mail subjects, agent and disposition notes ("quoted phrases", -excluded, OR); identifiers (a phone number in any notation, an e-mail address or its local part, the start of the customer\'s name, a User ID, channel user id, conversation, session or call id), which rank first; and field prefixes that filter (agent:, queue:, status:, channel:, tag:name=value, phone:, email:, customer:, id:, before:, after:). Ranked by relevance unless `sort` says otherwise.',
  );
/** The list's sorts with a search: relevance joins them (the default when `q` is given). */
export const searchSortField = z
  .enum([...SORTS, "relevance"])
  .describe(
    "Order by start time (newest, the default, or oldest), by End-to-End latency p90 (e2e_p90_desc / " +
      "e2e_p90_asc), or by relevance (the default with `q`; without `q` it means newest).",
  );

/** What a list view shows, without its paging and panel: the filters, the search and the sort. */
export const listViewFields = { ...listFilterFields, q: searchField, sort: searchSortField };

/**
 * A list view as URL values, strictly: an unknown or invalid field is an error, never dropped. What
 * "Export all matching the current filter" sends to the server action and what the export worker
 * reads back, so the file can never cover more than the list the user saw.
 */
export const listViewSchema = z.object(listViewFields).partial().strict();
export type ListView = z.output<typeof listViewSchema>;

// Every URL parameter of the list: the filters, then sort, paging and the panel.
const fields = {
  ...listViewFields,
  size: z.coerce.number().pipe(z.literal(PAGE_SIZES)),
  /** The page after this row (in display order)… */
  after: cursor,
  /** …or the page before it (reversed keyset). */
  before: cursor,
  /** 1-based page number for "51–100" (keyset paging does not need it); only with a cursor. */
  page: z.coerce.number().int().min(1).max(1_000_000),
  /** The conversation open in the Insights panel. */
  open: z.uuid(),
  /** The saved filter this view was opened from, or "none" (do not apply the default filter). */
  filter: z.union([z.uuid(), z.literal("none")]),
};

type Fields = { [K in keyof typeof fields]: z.output<(typeof fields)[K]> };

/** The filters a list request carries (all optional). */
export type ListFilters = { [K in keyof typeof listFilterFields]?: z.output<(typeof listFilterFields)[K]> };

export type ListParams = Partial<Omit<Fields, "sort" | "size" | "after" | "before">> & {
  sort: Sort;
  size: PageSize;
  after?: Cursor;
  before?: Cursor;
};

export const DEFAULT_LIST_PARAMS: ListParams = { sort: "newest", size: 50 };

type SearchParams = Record<string, string | string[] | undefined> | URLSearchParams;

export function parseListParams(search: SearchParams): ListParams {
  const get = (key: string) => {
    const value = search instanceof URLSearchParams ? search.get(key) : search[key];
    return Array.isArray(value) ? value[0] : (value ?? undefined);
  };
  const params: Record<string, unknown> = { ...DEFAULT_LIST_PARAMS };
  for (const [key, schema] of Object.entries(fields)) {
    const raw = get(key);
    if (raw === undefined || raw === "") continue;
    const parsed = (schema as z.ZodType).safeParse(raw);
    if (parsed.success) params[key] = parsed.data;
  }
  const result = params as ListParams;
  // A page is reached from one side only; with both, neither is trusted.
  if (result.after && result.before) {
    delete result.after;
    delete result.before;
  }
  // A search is ranked unless the link asks for another order; without one there is nothing to rank.
  if (result.q && get("sort") === undefined) result.sort = "relevance";
  if (!result.q && result.sort === "relevance") result.sort = DEFAULT_LIST_PARAMS.sort;
  // A cursor from another order (a link edited by hand) starts the list from the beginning.
  for (const side of ["after", "before"] as const) {
    const c = result[side];
    if (c && !cursorFits(result.sort, c)) delete result[side];
  }
  if (!result.after && !result.before) delete result.page;
  return result;
}

/** True when a filter (not sort, size, paging or the panel) narrows the list. */
export function hasFilters(params: ListParams): boolean {
  return Object.keys(listFilterFields).some((key) => params[key as keyof ListFilters] !== undefined);
}

/** A parameter's value when the URL leaves it out: the sort of a search is relevance. */
function defaultOf(params: ListParams, key: keyof ListParams): unknown {
  if (key === "sort") return params.q ? "relevance" : DEFAULT_LIST_PARAMS.sort;
  return DEFAULT_LIST_PARAMS[key];
}

/** The parameters the filter panel sets (and a saved filter stores). */
export const FILTER_KEYS = [
  "ids",
  "queue",
  "channel",
  "agent",
  "status",
  "smart",
  "csat",
  "direction",
  "from",
  "to",
  "tags",
  "phone",
  "email",
  "customer",
] as const satisfies readonly (keyof typeof listFilterFields)[];
export type FilterKey = (typeof FILTER_KEYS)[number];
export type ConversationFilter = Pick<ListParams, FilterKey>;

/** The filter fields, strictly: what a saved filter accepts (an invalid value is an error, not dropped). */
export const filterSchema = z
  .object(
    Object.fromEntries(FILTER_KEYS.map((key) => [key, fields[key].optional()])) as {
      [K in FilterKey]: z.ZodOptional<(typeof fields)[K]>;
    },
  )
  .strict();

/** Just the filter fields of `params`. */
export function pickFilter(params: Partial<ListParams>): ConversationFilter {
  const filter: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) if (params[key] !== undefined) filter[key] = params[key];
  return filter as ConversationFilter;
}

/** A filter's fields as URL parameters (what a saved filter stores, so it re-parses like a link). */
export function filterQuery(filter: Partial<ListParams>): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined) query[key] = serialize(key, value);
  }
  return query;
}

/** The view `params` shows (filters, search, sort; defaults left out) as URL values: listViewSchema's input. */
export function listViewQuery(params: Partial<ListParams>): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of Object.keys(listViewFields) as (keyof typeof listViewFields)[]) {
    const value = params[key];
    if (value !== undefined && value !== defaultOf({ ...DEFAULT_LIST_PARAMS, ...params }, key))
      query[key] = serialize(key, value);
  }
  return query;
}

function serialize(key: keyof ListParams, value: unknown): string {
  if (key === "after" || key === "before") return encodeCursor(value as Cursor);
  if (key === "tags") return JSON.stringify((value as TagClause[]).map((c) => [c.name, c.op, c.value]));
  return Array.isArray(value) ? value.join(",") : String(value);
}

/**
 * The URL of the list with `changes` applied (undefined removes a key). Defaults are left out, so
 * the plain list stays "/conversations".
 */
export function listHref(
  params: ListParams,
  changes: Partial<Record<keyof ListParams, unknown>> = {},
): string {
  const next = { ...params, ...changes } as ListParams;
  const query = new URLSearchParams();
  for (const key of Object.keys(fields) as (keyof ListParams)[]) {
    const value = next[key];
    if (value === undefined || value === defaultOf(next, key)) continue;
    query.set(key, serialize(key, value));
  }
  const search = query.toString();
  return search ? `/conversations?${search}` : "/conversations";
}

/**
 * The list narrowed by exactly `filter` (other filter fields cleared), from its first page; search,
 * sort, size and the open panel stay. `saved` names the saved filter it came from; an empty one-off
 * filter is written as filter=none, so the viewer's default filter is not applied over it.
 */
export function filterHref(params: ListParams, filter: ConversationFilter, saved?: string): string {
  const cleared = Object.fromEntries(FILTER_KEYS.map((key) => [key, undefined]));
  const empty = !hasFilters({ ...DEFAULT_LIST_PARAMS, ...filter });
  return listHref(params, {
    ...cleared,
    ...filter,
    filter: saved ?? (empty ? "none" : undefined),
    after: undefined,
    before: undefined,
    page: undefined,
  });
}
