import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/types.ts";

// The one place that announces changed conversations to open pages (lib/live/feed.ts LISTENs, SSE
// /api/live fans out). Ingest, recordings, dispositions and platform actions all call this, so none
// of those domains imports another just to reach the channel.

/** Channel of conversation changes: payload `{"ids":[…conversation ids]}`. */
export const CONVERSATIONS_CHANNEL = "parley_conversations";

/** Tells listeners (live pages) which conversations changed; delivered when the transaction commits. */
export async function notifyConversations(db: Kysely<DB> | Transaction<DB>, ids: string[]) {
  // NOTIFY payloads are limited to 8000 bytes: 150 uuids fit comfortably.
  for (let i = 0; i < ids.length; i += 150) {
    const payload = JSON.stringify({ ids: ids.slice(i, i + 150) });
    await sql`select pg_notify(${CONVERSATIONS_CHANNEL}, ${payload})`.execute(db);
  }
}
