import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRecentSearches, RECENT_SEARCHES, recordRecentSearch } from "../../lib/search/recent.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let t: TestDatabase;
const users: string[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
  for (const n of [1, 2]) {
    const row = await t.db
      .insertInto("users")
      .values({ email: `recent${n}@search.test`, name: `Recent ${n}`, role: "agent" })
      .returning("id")
      .executeTakeFirstOrThrow();
    users.push(row.id);
  }
});
afterAll(() => t.drop());

describe("recent searches", () => {
  it("keeps the last ten phrases, newest first", async () => {
    const [me] = users as [string];
    for (let i = 1; i <= 12; i++) await recordRecentSearch(t.db, me, `phrase ${i}`);
    const recent = await listRecentSearches(t.db, me);
    expect(recent).toHaveLength(RECENT_SEARCHES);
    expect(recent).toEqual(Array.from({ length: 10 }, (_, i) => `phrase ${12 - i}`));
    const stored = await t.db
      .selectFrom("recent_searches")
      .select("phrase")
      .where("user_id", "=", me)
      .execute();
    expect(stored).toHaveLength(10);
  });

  it("moves a repeated phrase to the top without duplicating it (case and spacing ignored)", async () => {
    const [me] = users as [string];
    await recordRecentSearch(t.db, me, "phrase 5");
    await recordRecentSearch(t.db, me, "  PHRASE   7 ");
    const recent = await listRecentSearches(t.db, me);
    expect(recent.slice(0, 3)).toEqual(["PHRASE 7", "phrase 5", "phrase 12"]);
    expect(recent).toHaveLength(10);
    expect(recent.filter((p) => p.toLowerCase() === "phrase 7")).toHaveLength(1);
  });

  it("is per user, and ignores an empty phrase", async () => {
    const [me, other] = users as [string, string];
    await recordRecentSearch(t.db, other, "refund");
    await recordRecentSearch(t.db, other, "   ");
    expect(await listRecentSearches(t.db, other)).toEqual(["refund"]);
    expect(await listRecentSearches(t.db, me)).not.toContain("refund");
  });
});
