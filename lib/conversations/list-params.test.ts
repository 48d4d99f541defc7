import { describe, expect, it } from "vitest";
import { DEFAULT_LIST_PARAMS, decodeCursor, encodeCursor, listHref, parseListParams } from "./list-params.ts";

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
      status: "in_progress" as const,
      channel: "chat" as const,
      direction: "outbound" as const,
      from: "2026-11-01T00:00:00Z",
      to: "2026-11-02T00:00:00+01:00",
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
    ).toEqual({ ...DEFAULT_LIST_PARAMS, status: "in_progress" });
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
