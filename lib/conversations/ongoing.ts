import type { Database } from "../../db/client.ts";
import type { ScopeViewer } from "../auth/scope.ts";
import { parseSearch } from "../search/index.ts";
import { readSettings } from "../settings/index.ts";
import { type ConversationListItem, type ConversationPage, listConversations } from "./list.ts";
import { MONITOR_PAGE_SIZE, type MonitorParams } from "./monitor-params.ts";

// The Monitor page's data: the conversations in progress the viewer may see (the list's own scoped,
// masked query, read in order from conversations_status_started_idx for status = in_progress, so a
// page costs the same with 20 or 20,000 live), each with when an agent first took it, which splits
// its time into waiting (before) and handling (since). tests/integration/monitor.test.ts EXPLAINs it.

export type OngoingConversation = ConversationListItem & {
  /** When the first agent joined; null while it is still waiting for one. */
  handledSince: Date | null;
};

export type OngoingPage = Omit<ConversationPage, "items"> & { items: OngoingConversation[] };

/** One page of the live conversations matching the Monitor's search and filters, newest first. */
export async function listOngoingConversations(
  db: Database,
  viewer: ScopeViewer,
  params: MonitorParams = {},
  limit = MONITOR_PAGE_SIZE,
): Promise<OngoingPage> {
  const settings = params.q ? await readSettings(db) : null;
  const words = params.q ? await parseSearch(db, params.q) : null;
  const page = await listConversations(db, viewer, {
    status: ["in_progress"],
    queue: params.queue,
    agent: params.agent,
    smart: params.smart,
    after: params.after,
    before: params.before,
    limit,
    ...(params.q && {
      lookup: {
        text: params.q,
        contacts: !settings?.obscure_customer_info,
        tsquery: words?.ok ? (words.tsquery ?? null) : null,
        fewMatches: words?.ok ? words.fewMatches : false,
      },
    }),
  });
  return { ...page, items: await withHandledSince(db, page.items) };
}

/**
 * One live conversation the viewer may see, wherever it sits in the list (Supervisor View opens
 * any of them); null once it has ended or when it is outside the viewer's scope.
 */
export async function getOngoingConversation(
  db: Database,
  viewer: ScopeViewer,
  id: string,
): Promise<OngoingConversation | null> {
  const { items } = await listConversations(db, viewer, {
    status: ["in_progress"],
    conversationIds: [id],
    limit: 1,
  });
  return (await withHandledSince(db, items))[0] ?? null;
}

async function withHandledSince(db: Database, items: ConversationListItem[]): Promise<OngoingConversation[]> {
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
