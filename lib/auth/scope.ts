import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { DB } from "../../db/types.ts";
import { can, type Role } from "./permissions.ts";

/** A signed-in user, or an API key: keys are not users, and a read key sees every conversation. */
export type ScopeViewer = UserViewer | { apiKeyId: string };
export type UserViewer = { id: string; role: Role };

/** The user whose participations a "joined" scope reads; null for an API key. */
export function viewerUserId(viewer: ScopeViewer): string | null {
  return "apiKeyId" in viewer ? null : viewer.id;
}

/**
 * The one rule for which conversations a viewer may see: with "conversations:read-all" every
 * conversation ("all"), with "conversations:read" only those they joined ("joined"), otherwise none.
 * conversationScope, searchScope and canSeeConversation apply it; the list reads a "joined" scope
 * straight from the viewer's participations (lib/conversations/list.ts), which is the same rule in
 * index order.
 */
export function scopeKind(viewer: ScopeViewer): "all" | "joined" | "none" {
  if ("apiKeyId" in viewer) return "all";
  if (can(viewer.role, "conversations:read-all")) return "all";
  if (can(viewer.role, "conversations:read")) return "joined";
  return "none";
}

/**
 * The one condition every conversation query applies (`.where(conversationScope(viewer))` on
 * `selectFrom("conversations")`). The "joined" case is served by participants_user_idx
 * (user_id, conversation_id).
 */
export function conversationScope(viewer: ScopeViewer) {
  return (eb: ExpressionBuilder<DB, "conversations">): Expression<SqlBool> => {
    const kind = scopeKind(viewer);
    if (kind !== "joined") return eb.lit(kind === "all");
    return eb.exists(
      eb
        .selectFrom("conversation_participants as scope_p")
        .select(eb.lit(1).as("one"))
        .whereRef("scope_p.conversation_id", "=", "conversations.id")
        .where("scope_p.user_id", "=", viewerUserId(viewer)),
    );
  };
}

/**
 * conversationScope's rule on a search document (`selectFrom("conversation_search")`), whose
 * participant_ids copy everyone who joined its conversation (kept so by triggers,
 * db/migrations/20261209T090000_conversation_search_keys.ts): a rare term's matches are scoped
 * without a probe per match.
 */
export function searchScope(viewer: ScopeViewer) {
  return (eb: ExpressionBuilder<DB, "conversation_search">): Expression<SqlBool> => {
    const kind = scopeKind(viewer);
    if (kind !== "joined") return eb.lit(kind === "all");
    return sql<SqlBool>`${eb.ref("conversation_search.participant_ids")} @> array[${viewerUserId(viewer)}]::uuid[]`;
  };
}

/**
 * conversationScope's rule for a conversation already loaded, given everyone who joined it: the live
 * feed checks all its subscribers against one looked-up batch this way instead of querying per
 * viewer (tests/integration/auth-scope.test.ts checks that the two agree).
 */
export function canSeeConversation(viewer: ScopeViewer, participantIds: readonly string[]): boolean {
  const kind = scopeKind(viewer);
  return kind === "joined" ? participantIds.includes(viewerUserId(viewer) ?? "") : kind === "all";
}
