import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { DB } from "../../db/types.ts";
import { can, type Role } from "./permissions.ts";

export type ScopeViewer = { id: string; role: Role };

/**
 * The one condition every conversation query applies (`.where(conversationScope(viewer))` on
 * `selectFrom("conversations")`): with "conversations:read-all" every conversation, with
 * "conversations:read" only those the viewer joined, otherwise none. The agent case is served by
 * participants_user_idx (user_id, conversation_id).
 */
export function conversationScope(viewer: ScopeViewer) {
  return (eb: ExpressionBuilder<DB, "conversations">): Expression<SqlBool> => {
    if (can(viewer.role, "conversations:read-all")) return eb.lit(true);
    if (!can(viewer.role, "conversations:read")) return eb.lit(false);
    return eb.exists(
      eb
        .selectFrom("conversation_participants as scope_p")
        .select(eb.lit(1).as("one"))
        .whereRef("scope_p.conversation_id", "=", "conversations.id")
        .where("scope_p.user_id", "=", viewer.id),
    );
  };
}
