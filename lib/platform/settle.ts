import { sql, type Transaction } from "kysely";
import type { DB } from "../../db/types.ts";
import type { IngestEvent } from "../ingest/schemas.ts";

/**
 * Ingest's part of a supervisor action: the platform's events that carry an `actionId` confirm it
 * (at their occurredAt), `action.failed` fails it. Only an action of the same conversation is
 * touched, a confirmed action stays confirmed (a late failure report does not undo what happened),
 * and replayed events never get here (ingest passes only new ones). Unknown ids are ignored: the
 * effect of the event (a join, a queue) is stored either way.
 */
export async function settlePlatformActions(
  trx: Transaction<DB>,
  events: IngestEvent[],
  conversationOf: (e: IngestEvent) => string,
): Promise<void> {
  const confirmed: { id: string; conversation_id: string; at: string }[] = [];
  const failed: { id: string; conversation_id: string; reason: string }[] = [];
  for (const e of events) {
    if (e.type === "action.failed") {
      failed.push({ id: e.actionId, conversation_id: conversationOf(e), reason: e.reason });
    } else if ("actionId" in e && e.actionId) {
      confirmed.push({ id: e.actionId, conversation_id: conversationOf(e), at: e.occurredAt });
    }
  }
  if (confirmed.length > 0) {
    await sql`
      update platform_actions a set status = 'confirmed', confirmed_at = x.at, last_error = null
      from (select id, conversation_id, min(at) as at
            from jsonb_to_recordset(${JSON.stringify(confirmed)}::jsonb) as r(id uuid, conversation_id uuid, at timestamptz)
            group by id, conversation_id) x
      where a.id = x.id and a.conversation_id = x.conversation_id and a.status <> 'confirmed'`.execute(trx);
  }
  if (failed.length > 0) {
    await sql`
      update platform_actions a set status = 'failed', last_error = x.reason
      from (select distinct on (id) id, conversation_id, reason
            from jsonb_to_recordset(${JSON.stringify(failed)}::jsonb) as r(id uuid, conversation_id uuid, reason text)) x
      where a.id = x.id and a.conversation_id = x.conversation_id and a.status in ('pending', 'sent')`.execute(
      trx,
    );
  }
}
