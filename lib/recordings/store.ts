import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/types.ts";
import { CONVERSATIONS_CHANNEL } from "../ingest/index.ts";

/** Tells open pages (SSE /api/live) that the conversation's recording changed. */
export async function notifyRecordingChange(db: Kysely<DB> | Transaction<DB>, conversationId: string) {
  await sql`select pg_notify(${CONVERSATIONS_CHANNEL}, ${JSON.stringify({ ids: [conversationId] })})`.execute(
    db,
  );
}
