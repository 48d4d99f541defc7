import { describe, expect, it } from "vitest";
import { filterQuery, parseListParams, pickFilter } from "@/lib/list-params";
import { draftFromFilter, draftProblem, EMPTY_DRAFT, filterFromDraft } from "./draft";

describe("filter panel draft", () => {
  it("an untouched form is no filter", () => {
    expect(filterFromDraft(EMPTY_DRAFT)).toEqual({});
  });

  it("splits typed IDs on commas, spaces and new lines", () => {
    expect(filterFromDraft({ ...EMPTY_DRAFT, ids: " a1, b2\nc3  a1" }).ids).toEqual(["a1", "b2", "c3"]);
  });

  it("applies tag clauses only while the custom-tags box is ticked", () => {
    const clauses = [{ name: " tier ", op: "contains" as const, value: " gold " }];
    expect(filterFromDraft({ ...EMPTY_DRAFT, clauses }).tags).toBeUndefined();
    expect(filterFromDraft({ ...EMPTY_DRAFT, tagsOn: true, clauses }).tags).toEqual([
      { name: "tier", op: "contains", value: "gold" },
    ]);
  });

  it("round-trips a filter from a link through the form", () => {
    const filter = pickFilter(
      parseListParams({
        status: "error,completed",
        csat: "1",
        from: "2026-11-01",
        queue: "Billing",
        agent: "Ann@Example.com",
        tags: '[["tier","not_contains","gold"]]',
      }),
    );
    expect(filterQuery(filterFromDraft(draftFromFilter(filter)))).toEqual(filterQuery(filter));
  });

  it("names what must be fixed", () => {
    expect(draftProblem({ ...EMPTY_DRAFT, tagsOn: true })).toBe("Enter a tag name in every clause.");
    expect(draftProblem({ ...EMPTY_DRAFT, from: "2026-11-02", to: "2026-11-01" })).toBe(
      "The start date is after the end date.",
    );
    expect(draftProblem(EMPTY_DRAFT)).toBeNull();
  });
});
