import { sql } from "kysely";
import type { Database } from "../../db/client.ts";
import type { Json } from "../../db/types.ts";
import { type RequestContext, recordAudit } from "./index.ts";

// The per-conversation access log: who viewed a conversation's panel, played or downloaded its
// recording, downloaded a screen recording or the transcript, printed it, opened or exported its
// Diagnostics. Entries are audit-log rows (append-only evidence, filterable by conversation in
// Admin → Audit log), one per user, conversation and kind of access in ACCESS_DEDUP_MINUTES: a
// supervisor paging through a transcript or seeking in a recording leaves one line, not hundreds.
// Exports that hold the conversation are listed from export_items beside them.

export const ACCESS_ACTIONS = {
  "conversation.view": "Viewed the conversation",
  "conversation.print": "Opened the printable transcript",
  "recording.play": "Played the recording",
  "recording.download": "Downloaded the recording",
  "screen-recording.download": "Downloaded a screen recording",
  "transcript.download": "Downloaded the transcript",
  "diagnostics.view": "Opened Diagnostics",
  "diagnostics.export": "Exported Diagnostics",
} as const;

export type AccessAction = keyof typeof ACCESS_ACTIONS;

export const ACCESS_DEDUP_MINUTES = 5;

export type AccessEntry = {
  userId: string;
  conversationId: string;
  action: AccessAction;
  detail?: Record<string, Json>;
  context?: RequestContext;
};

/**
 * Records one access unless the same user did the same to the same conversation in the last
 * ACCESS_DEDUP_MINUTES. The advisory lock makes the check and the insert one step for that key, so
 * two requests at once (a player's parallel range requests) still leave one row. Returns whether a
 * row was written.
 */
export async function recordAccess(db: Database, entry: AccessEntry): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const key = `${entry.conversationId}|${entry.userId}|${entry.action}`;
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
    // audit_log_conversation_idx: the conversation's rows, newest first, until the window's start.
    const recent = await trx
      .selectFrom("audit_log")
      .select("id")
      .where("conversation_id", "=", entry.conversationId)
      .where("actor_id", "=", entry.userId)
      .where("action", "=", entry.action)
      .where("created_at", ">", sql<Date>`now() - make_interval(mins => ${ACCESS_DEDUP_MINUTES})`)
      .executeTakeFirst();
    if (recent) return false;
    await recordAudit(trx, {
      actor: { kind: "user", id: entry.userId },
      action: entry.action,
      target: { type: "conversation", id: entry.conversationId },
      detail: entry.detail,
      context: entry.context,
    });
    return true;
  });
}

export type AccessRow = { at: Date; userName: string; what: string };

/**
 * The Access section's audit half: the latest `limit` accesses to a conversation, newest first (an
 * index range, audit_log_conversation_idx). The exports holding it come from lib/exports
 * (listExportsHolding); the section merges both, so audit does not reach into exports.
 */
export async function listConversationAccess(
  db: Database,
  conversationId: string,
  limit = 20,
): Promise<AccessRow[]> {
  const accesses = await db
    .selectFrom("audit_log")
    .innerJoin("users", "users.id", "audit_log.actor_id")
    .select(["audit_log.created_at as at", "users.name as userName", "audit_log.action", "audit_log.detail"])
    .where("audit_log.conversation_id", "=", conversationId)
    .where("audit_log.action", "in", Object.keys(ACCESS_ACTIONS))
    .orderBy("audit_log.id", "desc")
    .limit(limit)
    .execute();
  return accesses.map((a) => ({
    at: a.at,
    userName: a.userName,
    what: describeAccess(a.action as AccessAction, a.detail),
  }));
}

function describeAccess(action: AccessAction, detail: Json): string {
  const label = ACCESS_ACTIONS[action] ?? action;
  const format = detail && typeof detail === "object" && !Array.isArray(detail) ? detail.format : undefined;
  return typeof format === "string" ? `${label} (${format.toUpperCase()})` : label;
}
