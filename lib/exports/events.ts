import { sql } from "kysely";
import type { Database } from "../../db/client.ts";
import type { LifecycleEventType } from "../../db/types.ts";
import { conversationScope, type ScopeViewer } from "../auth/scope.ts";

// The lifecycle events Preview Events shows and Export/Download Events writes, in the spec's order
// and wording.
export const EVENT_LABELS: Record<LifecycleEventType, string> = {
  routing_initiation: "Routing Initiation",
  conversation_acceptance: "Conversation Acceptance",
  conversation_rejection: "Conversation Rejection",
  conversation_transfer: "Conversation Transfer",
  transfer_failure: "Transfer Failures",
  agent_join: "Agent Join",
  agent_left: "Agent Left",
  agent_consultation: "Agent Consultation",
  skill_change: "Skill Change",
  disposition_update: "Disposition Updates",
  after_call_work: "After-Call Work (ACW)",
  conversation_closure: "Conversation Closure",
};

export type ConversationEvent = {
  id: string;
  conversationId: string;
  type: LifecycleEventType;
  label: string;
  at: Date;
  /** The agent or queue the event names, when it names one. */
  agent: string | null;
  queue: string | null;
};

/**
 * The events of these conversations in time order (served by conversation_events_conversation_idx).
 * Unscoped: callers check the viewer may see every id first (previewEvents, the export worker).
 */
export async function unsafeListEvents(db: Database, ids: readonly string[]): Promise<ConversationEvent[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("conversation_events as e")
    .leftJoin("users as u", "u.id", "e.user_id")
    .leftJoin("queues as q", "q.id", "e.queue_id")
    .select([
      sql<string>`e.id::text`.as("id"),
      "e.conversation_id as conversationId",
      "e.type",
      "e.occurred_at as at",
      "u.name as agent",
      "q.name as queue",
    ])
    .where("e.conversation_id", "in", ids)
    .orderBy("e.conversation_id")
    .orderBy("e.occurred_at")
    .orderBy("e.id")
    .execute();
  return rows.map((row) => ({ ...row, label: EVENT_LABELS[row.type] }));
}

export type EventsPreview = { startedAt: Date; endedAt: Date | null; events: ConversationEvent[] };

/** Preview Events for one conversation, or null when it does not exist or is outside the viewer's scope. */
export async function previewEvents(
  db: Database,
  viewer: ScopeViewer,
  id: string,
): Promise<EventsPreview | null> {
  const head = await db
    .selectFrom("conversations")
    .select(["started_at as startedAt", "ended_at as endedAt"])
    .where("id", "=", id)
    .where(conversationScope(viewer))
    .executeTakeFirst();
  if (!head) return null;
  return { ...head, events: await unsafeListEvents(db, [id]) };
}
