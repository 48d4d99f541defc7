import type { Database } from "../../db/client.ts";
import type { ScopeViewer } from "../auth/scope.ts";
import { type ConversationListItem, listConversations } from "./list.ts";

// The Monitor page's data: the conversations in progress the viewer may see (the list's own scoped,
// masked query, served by conversations_in_progress_idx), each with when an agent first took it,
// which splits its time into waiting (before) and handling (since).

export const MONITOR_LIMIT = 200;

export type OngoingConversation = ConversationListItem & {
  /** When the first agent joined; null while it is still waiting for one. */
  handledSince: Date | null;
};

export async function listOngoingConversations(
  db: Database,
  viewer: ScopeViewer,
): Promise<OngoingConversation[]> {
  const { items } = await listConversations(db, viewer, { status: ["in_progress"], limit: MONITOR_LIMIT });
  if (items.length === 0) return [];
  const firstJoins = await db
    .selectFrom("conversation_participants")
    .select(["conversation_id", (eb) => eb.fn.min("joined_at").as("first")])
    .where(
      "conversation_id",
      "in",
      items.map((c) => c.id),
    )
    .where("role", "=", "agent")
    .groupBy("conversation_id")
    .execute();
  const handled = new Map(firstJoins.map((r) => [r.conversation_id, new Date(r.first)]));
  return items.map((c) => ({ ...c, handledSince: handled.get(c.id) ?? null }));
}

/** Who a conversation can be assigned to and which queues it can move to. */
export async function listInterventionTargets(db: Database) {
  const [agents, queues] = await Promise.all([
    db
      .selectFrom("users")
      .select(["id", "name"])
      .where("role", "=", "agent")
      .where("deactivated_at", "is", null)
      .orderBy("name")
      .execute(),
    db.selectFrom("queues").select(["id", "name"]).orderBy("name").execute(),
  ]);
  return { agents, queues };
}
