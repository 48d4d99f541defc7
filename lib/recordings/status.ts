import type { PgBoss } from "pg-boss";
import type { Database } from "../../db/client.ts";
import type { RecordingState } from "../../db/types.ts";
import { type Actor, type RequestContext, recordAudit } from "../audit/index.ts";
import { ActionError } from "../auth/action-error.ts";
import { can } from "../auth/permissions.ts";
import { conversationScope, type UserViewer } from "../auth/scope.ts";
import { CONVERSATION_NOT_AVAILABLE } from "../conversations/detail.ts";
import { manualRetryAvailableAt, transition } from "./machine.ts";
import { enqueueManualFetch } from "./schedule.ts";
import { isRetryable, RECORDING_DISABLED_MESSAGE, RECORDING_STATE_MESSAGES } from "./states.ts";
import { notifyRecordingChange } from "./store.ts";

// What the transcript tab shows about a conversation's recording, and the two things a user may do
// to it: Retry a failed fetch, and (supervisors, admins) put it on legal hold. Every function
// applies the conversation scope: outside it, a recording does not exist.

export type RecordingStatus =
  | { kind: "none" } // not a call, or no recording row yet
  | { kind: "disabled"; message: string }
  | {
      kind: "recording";
      recordingId: string;
      state: RecordingState;
      /** The spec's message for the state; null when the recording is available (the player shows). */
      message: string | null;
      retry: { offered: boolean; availableAt: string | null };
      legalHold: boolean;
      canHold: boolean;
    };

export const RETRY_NOT_OFFERED = "This recording cannot be retried now.";

async function scopedRecording(db: Database, viewer: UserViewer, conversationId: string) {
  return db
    .selectFrom("conversations")
    .leftJoin("recordings as r", "r.conversation_id", "conversations.id")
    .select([
      "conversations.id as conversation_id",
      "conversations.channel",
      "conversations.recording_enabled",
      "r.id",
      "r.state",
      "r.manual_retry_at",
      "r.legal_hold",
    ])
    .where("conversations.id", "=", conversationId)
    .where(conversationScope(viewer))
    .executeTakeFirst();
}

export async function getRecordingStatus(
  db: Database,
  viewer: UserViewer,
  conversationId: string,
  now = new Date(),
): Promise<RecordingStatus> {
  const row = await scopedRecording(db, viewer, conversationId);
  if (row?.channel !== "voice") return { kind: "none" };
  if (!row.recording_enabled) return { kind: "disabled", message: RECORDING_DISABLED_MESSAGE };
  if (!row.id || !row.state) return { kind: "none" };
  const availableAt = manualRetryAvailableAt({
    state: row.state,
    endedAt: null,
    nextAttemptAt: null,
    manualRetryAt: row.manual_retry_at,
  });
  return {
    kind: "recording",
    recordingId: row.id,
    state: row.state,
    message: row.state === "available" ? null : RECORDING_STATE_MESSAGES[row.state],
    retry: {
      offered: isRetryable(row.state),
      availableAt: availableAt && availableAt > now ? availableAt.toISOString() : null,
    },
    legalHold: row.legal_hold ?? false,
    canHold: can(viewer.role, "recordings:hold"),
  };
}

/** The Retry button: the machine decides; the job is enqueued in the same transaction. */
export async function requestRecordingRetry(
  db: Database,
  boss: PgBoss,
  viewer: UserViewer,
  actor: Actor,
  conversationId: string,
  context: RequestContext = {},
  now = new Date(),
): Promise<RecordingState> {
  return db.transaction().execute(async (trx) => {
    const rec = await trx
      .selectFrom("recordings as r")
      .innerJoin("conversations", "conversations.id", "r.conversation_id")
      .select(["r.id", "r.state", "r.next_attempt_at", "r.manual_retry_at", "conversations.ended_at"])
      .where("conversations.id", "=", conversationId)
      .where(conversationScope(viewer))
      .forUpdate("r")
      .executeTakeFirst();
    if (!rec) throw new ActionError(CONVERSATION_NOT_AVAILABLE);
    const next = transition(
      {
        state: rec.state,
        endedAt: rec.ended_at,
        nextAttemptAt: rec.next_attempt_at,
        manualRetryAt: rec.manual_retry_at,
      },
      { type: "retry_requested" },
      now,
    );
    if (!next.ok)
      throw new ActionError(
        next.reason === "cooldown" ? RECORDING_STATE_MESSAGES.retry_failed : RETRY_NOT_OFFERED,
      );
    await trx
      .updateTable("recordings")
      .set({ state: next.row.state, manual_retry_at: next.row.manualRetryAt, updated_at: now })
      .where("id", "=", rec.id)
      .execute();
    await enqueueManualFetch(boss, trx, rec.id, rec.state);
    await recordAudit(trx, {
      actor,
      action: "recording.retry",
      target: { type: "recording", id: rec.id },
      detail: { conversationId, from: rec.state },
      context,
    });
    await notifyRecordingChange(trx, conversationId);
    return next.row.state;
  });
}

/** Legal hold on or off for the conversation's recording (and its screen recordings): audited. */
export async function setLegalHold(
  db: Database,
  viewer: UserViewer,
  actor: Actor,
  conversationId: string,
  hold: boolean,
  context: RequestContext = {},
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const rec = await trx
      .selectFrom("recordings as r")
      .innerJoin("conversations", "conversations.id", "r.conversation_id")
      .select(["r.id", "r.legal_hold", "r.state"])
      .where("conversations.id", "=", conversationId)
      .where(conversationScope(viewer))
      .forUpdate("r")
      .executeTakeFirst();
    if (!rec) throw new ActionError(CONVERSATION_NOT_AVAILABLE);
    if (rec.state === "deleted") throw new ActionError("The recording has already been deleted.");
    if (rec.legal_hold === hold) return hold;
    await trx.updateTable("recordings").set({ legal_hold: hold }).where("id", "=", rec.id).execute();
    await recordAudit(trx, {
      actor,
      action: hold ? "recording.legal-hold.place" : "recording.legal-hold.release",
      target: { type: "recording", id: rec.id },
      detail: { conversationId },
      context,
    });
    await notifyRecordingChange(trx, conversationId);
    return hold;
  });
}
