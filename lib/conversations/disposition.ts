import { sql } from "kysely";
import type { Database } from "../../db/client.ts";
import { ActionError } from "../action-error.ts";
import { type Actor, type RequestContext, recordAudit } from "../audit/index.ts";
import { conversationScope, type UserViewer } from "../auth/scope.ts";
import { readEnv } from "../config/env.ts";
import { queueEmail } from "../email/outbox.ts";
import { notifyConversations } from "../live/notify.ts";
import { createNotification } from "../notifications/index.ts";
import { refreshSearchDocuments } from "../search/index.ts";
import { CONVERSATION_NOT_AVAILABLE } from "./detail.ts";

// Spec "Edit Dispositions from the Conversations Tab": once a conversation has ended, a supervisor
// may override the disposition the agent chose. Each edit is a disposition_changes row (the log
// View Logs shows), an audit entry, and one notification to the conversation's agent.

export const STILL_IN_PROGRESS = "Dispositions can be edited once the conversation has ended.";
export const UNKNOWN_DISPOSITION = "Choose a disposition.";
export const NOTHING_CHANGED = "Nothing changed: choose another disposition or change the note.";

export type DispositionOption = { id: string; code: string; label: string };

/** The dispositions a supervisor can choose from. */
export async function listDispositionOptions(db: Database): Promise<DispositionOption[]> {
  return db
    .selectFrom("dispositions")
    .select(["id", "code", "label"])
    .where("active", "=", true)
    .orderBy("label")
    .execute();
}

export type DispositionEdit = { conversationId: string; dispositionId: string; note: string | null };

/**
 * Applies one edit in one transaction: log row, conversation fields, audit entry and the agent's
 * notification (keyed by the log row, so exactly one per edit). Returns the log row's id. `at` dates
 * the edit (the demo seeder's edits are in its month); otherwise it is the moment the row lock was
 * granted, so concurrent edits are dated in the order they were applied and View Logs' latest entry
 * is always the current disposition (a time taken before waiting for the lock could be earlier than
 * that of the edit the wait was for).
 */
export async function editDisposition(
  db: Database,
  by: { viewer: UserViewer & { name: string }; actor: Actor; context?: RequestContext },
  edit: DispositionEdit,
  at?: Date,
): Promise<{ changeId: string; notified: boolean }> {
  return db.transaction().execute(async (trx) => {
    const conversation = await trx
      .selectFrom("conversations")
      .select(["id", "status", "disposition_id", "disposition_note", "support_agent_id"])
      .where("id", "=", edit.conversationId)
      .where(conversationScope(by.viewer))
      .forUpdate()
      .executeTakeFirst();
    if (!conversation) throw new ActionError(CONVERSATION_NOT_AVAILABLE);
    const now =
      at ??
      (await sql<{ now: Date }>`select clock_timestamp() as now`.execute(trx)).rows[0]?.now ??
      new Date();
    if (conversation.status === "in_progress") throw new ActionError(STILL_IN_PROGRESS);
    const [to, from] = await Promise.all([
      trx
        .selectFrom("dispositions")
        .select(["id", "code", "label"])
        .where("id", "=", edit.dispositionId)
        .where("active", "=", true)
        .executeTakeFirst(),
      conversation.disposition_id
        ? trx
            .selectFrom("dispositions")
            .select(["code", "label"])
            .where("id", "=", conversation.disposition_id)
            .executeTakeFirst()
        : undefined,
    ]);
    if (!to) throw new ActionError(UNKNOWN_DISPOSITION);
    if (to.id === conversation.disposition_id && edit.note === conversation.disposition_note) {
      throw new ActionError(NOTHING_CHANGED);
    }

    const change = await trx
      .insertInto("disposition_changes")
      .values({
        conversation_id: conversation.id,
        changed_by: by.viewer.id,
        from_disposition_id: conversation.disposition_id,
        to_disposition_id: to.id,
        note: edit.note,
        changed_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const changeId = String(change.id);
    // The edit takes the fields' ingest clocks too (lib/ingest: last writer by time wins), so a
    // platform event older than the edit that arrives late cannot silently undo it.
    const clock = `${now.toISOString()} ~edit-${changeId}`;
    await trx
      .updateTable("conversations")
      .set({
        disposition_id: to.id,
        disposition_note: edit.note,
        updated_at: now,
        ingest_clock: sql`ingest_clock || jsonb_build_object('disposition_id', ${clock}::text, 'disposition_note', ${clock}::text)`,
      })
      .where("id", "=", conversation.id)
      .execute();
    await recordAudit(trx, {
      actor: by.actor,
      action: "disposition.edit",
      target: { type: "conversation", id: conversation.id },
      detail: { changeId, from: from?.code ?? null, to: to.code, note: edit.note },
      context: by.context,
    });

    const agentId = conversation.support_agent_id ?? (await firstAgent(trx, conversation.id));
    let notified = false;
    if (agentId !== null && agentId !== by.viewer.id) {
      const body = `${by.viewer.name} changed the disposition of your conversation from ${from?.label ?? "none"} to ${to.label}.`;
      const link = `/conversations?open=${conversation.id}`;
      // Both keyed by the log row: a retried transaction cannot notify or mail twice.
      const dedupeKey = `disposition-change:${changeId}`;
      notified = await createNotification(trx, {
        userId: agentId,
        kind: "disposition.changed",
        title: "Disposition updated",
        body,
        link,
        dedupeKey,
        createdAt: now,
      });
      const agent = await trx
        .selectFrom("users")
        .select(["email", "notify_disposition_email"])
        .where("id", "=", agentId)
        .where("deactivated_at", "is", null)
        .executeTakeFirst();
      if (notified && agent?.notify_disposition_email) {
        const env = readEnv();
        await queueEmail(trx, {
          kind: "disposition.changed",
          recipients: [agent.email],
          subject: "Disposition updated",
          text: `${body}\n\nOpen the conversation: ${env.AUTH_URL ?? `http://localhost:${env.PORT}`}${link}\n`,
          dedupeKey,
        });
      }
    }
    // Disposition notes are searchable: the conversation's search document follows the edit.
    await refreshSearchDocuments(trx, [conversation.id]);
    await notifyConversations(trx, [conversation.id]);
    return { changeId, notified };
  });
}

/** Without a support agent on record, the first agent who joined handled it. */
async function firstAgent(
  db: Parameters<typeof recordAudit>[0],
  conversationId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom("conversation_participants")
    .select("user_id")
    .where("conversation_id", "=", conversationId)
    .where("role", "=", "agent")
    .orderBy("joined_at")
    .orderBy("id")
    .executeTakeFirst();
  return row?.user_id ?? null;
}
