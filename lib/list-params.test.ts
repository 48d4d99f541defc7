import { describe, expect, it } from "vitest";
import {
  DEFAULT_LIST_PARAMS,
  decodeCursor,
  encodeCursor,
  filterHref,
  filterQuery,
  filterSchema,
  hasFilters,
  listHref,
  parseListParams,
  pickFilter,
  TAG_CLAUSE_LIMIT_MESSAGE,
} from "./list-params.ts";

const cursor = { at: "2026-11-25T09:00:00.123456Z", id: "0b7e1d7c-8a51-4c36-9a55-3f2f8f7d6a10" };

describe("list URL state", () => {
  it("defaults to the newest 50", () => {
    expect(parseListParams({})).toEqual(DEFAULT_LIST_PARAMS);
    expect(listHref(DEFAULT_LIST_PARAMS)).toBe("/conversations");
  });

  it("round-trips every field through the URL", () => {
    const params = {
      sort: "oldest" as const,
      size: 100 as const,
      status: ["in_progress" as const, "error" as const],
      channel: ["chat" as const],
      smart: ["resolved" as const],
      direction: ["outbound" as const],
      csat: [1 as const, 5 as const],
      ids: ["S-1", "call 2"],
      queue: ["Billing", "Returns & Refunds"],
      agent: ["ann@example.com"],
      from: "2026-11-01",
      to: "2026-11-30T10:00:00Z",
      tags: [
        { name: "tier", op: "contains" as const, value: 'gold, or | "silver"' },
        { name: "priority", op: "not_contains" as const, value: "" },
      ],
      filter: "none" as const,
      after: cursor,
      page: 3,
      open: cursor.id,
    };
    const href = listHref(params);
    expect(parseListParams(new URL(href, "http://x").searchParams)).toEqual(params);
  });

  it("drops invalid values one by one and keeps the rest", () => {
    expect(
      parseListParams({
        sort: "sideways",
        size: "33",
        status: "in_progress",
        channel: "fax",
        from: "yesterday",
        after: "not-a-cursor",
        page: "-2",
        open: "42",
      }),
    ).toEqual({ ...DEFAULT_LIST_PARAMS, status: ["in_progress"] });
  });

  it("takes the first of repeated parameters", () => {
    expect(parseListParams({ size: ["25", "100"] }).size).toBe(25);
  });

  it("trusts neither cursor when both directions are given, and keeps a page number only with one", () => {
    const c = encodeCursor(cursor);
    expect(parseListParams({ after: c, before: c, page: "4" })).toEqual(DEFAULT_LIST_PARAMS);
    expect(parseListParams({ before: c, page: "4" })).toMatchObject({ before: cursor, page: 4 });
  });

  it("refuses cursors that are not a µs timestamp and a uuid", () => {
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(btoa(`2026-11-25T09:00:00Z|${cursor.id}`))).toBeUndefined();
    expect(decodeCursor(btoa(`${cursor.at}|x`))).toBeUndefined();
    expect(decodeCursor("%%%")).toBeUndefined();
  });
});

describe("filter parameters", () => {
  it("reads comma lists: repeats collapsed; one bad value drops the parameter (the API names it instead)", () => {
    expect(
      parseListParams({ status: "error,error,completed", channel: "fax", csat: "0,5", smart: "resolved" }),
    ).toEqual({
      ...DEFAULT_LIST_PARAMS,
      status: ["error", "completed"],
      smart: ["resolved"],
    });
  });

  it("takes a day or an exact instant as a date bound", () => {
    expect(parseListParams({ from: "2026-11-01", to: "2026-11-02T08:00:00+01:00" })).toMatchObject({
      from: "2026-11-01",
      to: "2026-11-02T08:00:00+01:00",
    });
    expect(parseListParams({ from: "yesterday", to: "2026-13-40" })).toEqual(DEFAULT_LIST_PARAMS);
  });

  it("reads custom-tag clauses as JSON tuples, at most 5; a 6th drops them (a link cannot exceed the limit)", () => {
    const clause = ["tier", "contains", "gold"];
    expect(parseListParams({ tags: JSON.stringify([clause]) }).tags).toEqual([
      { name: "tier", op: "contains", value: "gold" },
    ]);
    expect(parseListParams({ tags: JSON.stringify(Array(5).fill(clause)) }).tags).toHaveLength(5);
    expect(parseListParams({ tags: JSON.stringify(Array(6).fill(clause)) }).tags).toBeUndefined();
    expect(parseListParams({ tags: "{not json" }).tags).toBeUndefined();
    expect(parseListParams({ tags: JSON.stringify([["", "contains", "x"]]) }).tags).toBeUndefined();
    expect(parseListParams({ tags: JSON.stringify([["tier", "equals", "x"]]) }).tags).toBeUndefined();
  });

  it("the strict filter schema refuses a 6th clause with the spec's message", () => {
    const six = JSON.stringify(Array(6).fill(["tier", "contains", "gold"]));
    const result = filterSchema.safeParse({ tags: six });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(TAG_CLAUSE_LIMIT_MESSAGE);
    expect(TAG_CLAUSE_LIMIT_MESSAGE).toBe("You can add up to 5 clauses.");
    expect(filterSchema.safeParse({ sort: "oldest" }).success).toBe(false); // not a filter field
  });

  it("hasFilters and filterQuery cover exactly the filter fields", () => {
    const params = parseListParams({ status: "error", tags: '[["a","contains","b"]]', sort: "oldest" });
    expect(hasFilters(params)).toBe(true);
    expect(hasFilters(parseListParams({ sort: "oldest", filter: "none" }))).toBe(false);
    expect(filterQuery(params)).toEqual({ status: "error", tags: '[["a","contains","b"]]' });
    expect(pickFilter(params)).toEqual({
      status: ["error"],
      tags: [{ name: "a", op: "contains", value: "b" }],
    });
  });
});

describe("filterHref", () => {
  const params = parseListParams({ sort: "oldest", status: "error", page: "2", after: encodeCursor(cursor) });
  it("replaces the whole filter, keeps sort, and starts from the first page", () => {
    expect(filterHref(params, { channel: ["chat"] })).toBe("/conversations?channel=chat&sort=oldest");
  });
  it("names the saved filter it applies, and writes an empty one-off filter as filter=none", () => {
    expect(filterHref(params, { channel: ["chat"] }, cursor.id)).toBe(
      `/conversations?channel=chat&sort=oldest&filter=${cursor.id}`,
    );
    expect(filterHref(params, {})).toBe("/conversations?sort=oldest&filter=none");
  });
});

describe("search in the URL", () => {
  const url = (href: string) => parseListParams(new URL(href, "http://x").searchParams);

  it("ranks a search by relevance unless the link asks for Start Time", () => {
    expect(parseListParams({ q: "  refund   policy " })).toEqual({
      ...DEFAULT_LIST_PARAMS,
      q: "refund policy",
      sort: "relevance",
    });
    expect(listHref({ ...DEFAULT_LIST_PARAMS, q: "refund", sort: "relevance" })).toBe(
      "/conversations?q=refund",
    );
    const byTime = listHref({ ...DEFAULT_LIST_PARAMS, q: "refund", sort: "newest" });
    expect(byTime).toBe("/conversations?q=refund&sort=newest");
    expect(url(byTime).sort).toBe("newest");
    // Nothing to rank without a search.
    expect(parseListParams({ sort: "relevance" }).sort).toBe("newest");
    expect(parseListParams({ q: "   " })).toEqual(DEFAULT_LIST_PARAMS);
  });

  it("round-trips a relevance cursor and drops one that does not fit the order", () => {
    const ranked = { ...cursor, rank: "0.0607927" };
    expect(decodeCursor(encodeCursor(ranked))).toEqual(ranked);
    expect(decodeCursor(encodeCursor({ ...cursor, rank: "1e-05" }))).toEqual({ ...cursor, rank: "1e-05" });
    expect(decodeCursor(encodeCursor({ ...cursor, rank: "0.1; drop" }))).toBeUndefined();
    const params = {
      ...DEFAULT_LIST_PARAMS,
      q: "refund",
      sort: "relevance" as const,
      after: ranked,
      page: 2,
    };
    expect(url(listHref(params))).toEqual(params);
    // A start-time cursor in a ranked view (or the reverse) is dropped with its page number.
    expect(url(listHref({ ...params, after: cursor })).after).toBeUndefined();
    expect(url(listHref({ ...params, sort: "newest" })).after).toBeUndefined();
  });
});

describe("U+0000 in the URL", () => {
  it("drops the parameter, like any invalid value, instead of reaching the query", () => {
    expect(
      parseListParams({ q: "refund\u0000", ids: "abc\u0000", queue: "Billing\u0000", status: "error" }),
    ).toEqual({
      ...DEFAULT_LIST_PARAMS,
      status: ["error"],
    });
  });
});
