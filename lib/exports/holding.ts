import type { Database } from "../../db/client.ts";
import { type AccessRow, listConversationAccess } from "../audit/access.ts";
import { type ConversationExportKind, EXPORT_KIND_LABELS } from "./kinds.ts";

/**
 * The exports whose file holds a conversation (export_items), newest first, as the panel's Access
 * section lists them next to the audit log's accesses (an index range: export_items_conversation_idx).
 */
export async function listExportsHolding(
  db: Database,
  conversationId: string,
  limit = 20,
): Promise<AccessRow[]> {
  const rows = await db
    .selectFrom("export_items")
    .innerJoin("exports", "exports.id", "export_items.export_id")
    .innerJoin("users", "users.id", "exports.requested_by")
    .select(["exports.created_at as at", "users.name as userName", "exports.kind"])
    .where("export_items.conversation_id", "=", conversationId)
    .orderBy("exports.created_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((e) => ({
    at: e.at,
    userName: e.userName,
    what: `Exported (${EXPORT_KIND_LABELS[e.kind as ConversationExportKind] ?? e.kind})`,
  }));
}

/**
 * The panel's Access section: who viewed, played, downloaded or exported the conversation, newest
 * first — the audit log's accesses and the exports holding it. Merged here (exports already depend
 * on audit), so the audit domain never reads exports.
 */
export async function listAccessSection(
  db: Database,
  conversationId: string,
  limit = 20,
): Promise<AccessRow[]> {
  const [accesses, exports] = await Promise.all([
    listConversationAccess(db, conversationId, limit),
    listExportsHolding(db, conversationId, limit),
  ]);
  return [...accesses, ...exports].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
}
