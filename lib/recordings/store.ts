import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/types.ts";
import { CONVERSATIONS_CHANNEL } from "../ingest/index.ts";

/** Tells open pages (SSE /api/live) that the conversation's recording changed. */
export async function notifyRecordingChange(db: Kysely<DB> | Transaction<DB>, conversationId: string) {
  await sql`select pg_notify(${CONVERSATIONS_CHANNEL}, ${JSON.stringify({ ids: [conversationId] })})`.execute(
    db,
  );
}

/** The in-flight attempt's columns (fetch.ts), cleared together with its outcome or the deletion. */
export const NO_ATTEMPT = {
  attempt_kind: null,
  attempt_state_before: null,
  attempt_id: null,
  attempt_lease_until: null,
} as const;
