import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Database } from "../../db/client.ts";
import type { Channel, ConversationStatus, Direction } from "../../db/types.ts";
import { conversationScope, type ScopeViewer } from "../auth/scope.ts";
import { readSettings } from "../settings/index.ts";
import { type CustomerContact, maskCustomer } from "./mask.ts";

export type ConversationAgent = { id: string; name: string; avatarUpdatedAt: string | null };

export type ConversationListItem = {
  id: string;
  sessionId: string;
  customer: CustomerContact;
  channel: Channel;
  direction: Direction;
  language: string;
  status: ConversationStatus;
  startedAt: Date;
  endedAt: Date | null;
  csatScore: number | null;
  csatTriggered: boolean;
  /** Everyone who joined (agents, supervisors, consultants), in the order they first joined. */
  agents: ConversationAgent[];
  /** Queue names in the order the conversation entered them; the last one is the current/final queue. */
  queues: string[];
};

export type ListConversationsOptions = { limit?: number; status?: ConversationStatus };

/**
 * The newest conversations the viewer may see, newest first. Keyset order (started_at, id) is served
 * by conversations_started_idx, or conversations_status_started_idx with a status.
 */
export async function listConversations(
  db: Database,
  viewer: ScopeViewer,
  opts: ListConversationsOptions = {},
): Promise<ConversationListItem[]> {
  let query = db
    .selectFrom("conversations")
    .leftJoin("customers", "customers.id", "conversations.customer_id")
    .where(conversationScope(viewer))
    .select((eb) => [
      "conversations.id",
      "conversations.session_id as sessionId",
      "customers.name as customerName",
      "customers.user_ref as customerUserRef",
      "customers.phone as customerPhone",
      "customers.email as customerEmail",
      "conversations.channel",
      "conversations.direction",
      "conversations.language",
      "conversations.status",
      "conversations.started_at as startedAt",
      "conversations.ended_at as endedAt",
      "conversations.csat_score as csatScore",
      "conversations.csat_triggered as csatTriggered",
      jsonArrayFrom(
        eb
          .selectFrom("conversation_participants as p")
          .innerJoin("users as u", "u.id", "p.user_id")
          .select(["u.id", "u.name", "u.avatar_updated_at as avatarUpdatedAt"])
          .whereRef("p.conversation_id", "=", "conversations.id")
          .groupBy(["u.id", "u.name", "u.avatar_updated_at"]) // someone who rejoined is listed once
          .orderBy((o) => o.fn.min("p.joined_at")),
      ).as("agents"),
      jsonArrayFrom(
        eb
          .selectFrom("conversation_queues as cq")
          .innerJoin("queues as q", "q.id", "cq.queue_id")
          .select("q.name")
          .whereRef("cq.conversation_id", "=", "conversations.id")
          .orderBy("cq.entered_at"),
      ).as("queues"),
    ])
    .orderBy("conversations.started_at", "desc")
    .orderBy("conversations.id", "desc")
    .limit(opts.limit ?? 50);
  if (opts.status) query = query.where("conversations.status", "=", opts.status);

  // Read with the rows rather than passed in, so no caller can forget to mask.
  const [rows, settings] = await Promise.all([query.execute(), readSettings(db)]);
  return rows.map(({ customerName, customerUserRef, customerPhone, customerEmail, queues, ...row }) => ({
    ...row,
    customer: maskCustomer(
      { name: customerName, userRef: customerUserRef, phone: customerPhone, email: customerEmail },
      settings.obscure_customer_info,
    ),
    queues: queues.map((q) => q.name),
  }));
}
