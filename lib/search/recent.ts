import { type Kysely, sql } from "kysely";
import type { DB } from "../../db/types.ts";
import { normalizePhrase } from "./phrase.ts";

// Recent Searches: the last RECENT_SEARCHES phrases of each user, newest first. Searching a phrase
// again moves it to the top (one entry per phrase, compared without regard to case).

export const RECENT_SEARCHES = 10;

/** The user's recent phrases, newest first (served by recent_searches_user_idx). */
export async function listRecentSearches(db: Kysely<DB>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("recent_searches")
    .select("phrase")
    .where("user_id", "=", userId)
    .orderBy("searched_at", "desc")
    .orderBy("phrase")
    .limit(RECENT_SEARCHES)
    .execute();
  return rows.map((r) => r.phrase);
}

/** Saves a search as the user's most recent one; the list keeps its newest RECENT_SEARCHES. */
export async function recordRecentSearch(db: Kysely<DB>, userId: string, phrase: string): Promise<void> {
  const text = normalizePhrase(phrase);
  if (!text) return;
  await db.transaction().execute(async (trx) => {
    // Serialises one user's concurrent searches (two tabs), so the trim below sees both.
    await sql`select pg_advisory_xact_lock(hashtext('recent_searches'), hashtext(${userId}))`.execute(trx);
    await trx
      .deleteFrom("recent_searches")
      .where("user_id", "=", userId)
      .where(sql<string>`lower(phrase)`, "=", text.toLowerCase())
      .execute();
    // clock_timestamp, not now(): two searches in one transaction still get an order.
    await trx
      .insertInto("recent_searches")
      .values({ user_id: userId, phrase: text, searched_at: sql<Date>`clock_timestamp()` })
      .execute();
    await trx
      .deleteFrom("recent_searches")
      .where("user_id", "=", userId)
      .where(
        "phrase",
        "not in",
        trx
          .selectFrom("recent_searches")
          .select("phrase")
          .where("user_id", "=", userId)
          .orderBy("searched_at", "desc")
          .limit(RECENT_SEARCHES),
      )
      .execute();
  });
}
