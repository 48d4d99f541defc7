import { type Kysely, sql } from "kysely";
import type { PgBoss } from "pg-boss";
import type { Database } from "../../db/client.ts";
import type { DB, RecordingState } from "../../db/types.ts";
import { ActionError } from "../action-error.ts";
import { type Actor, type RequestContext, recordAudit } from "../audit/index.ts";
import { can } from "../auth/permissions.ts";
import { conversationScope, type UserViewer } from "../auth/scope.ts";
import { CONVERSATION_NOT_AVAILABLE } from "../conversations/detail.ts";
import { notifyConversations } from "../live/notify.ts";
import { manualRetryAvailableAt, transition } from "./machine.ts";
import { enqueueManualFetch } from "./schedule.ts";
import { isRetryable, RECORDING_DISABLED_MESSAGE, RECORDING_STATE_MESSAGES } from "./states.ts";

// What the transcript tab shows about a conversation's recording, and the two things a user may do
// to it: Retry a failed fetch, and (supervisors, admins) put it on legal hold. Every function
// applies the conversation scope: outside it, a recording does not exist.

/** The legal hold as the tab shows it: whether it is on, and whether the viewer may change it. */
export type LegalHoldView = { legalHold: boolean; canHold: boolean };

export type RecordingStatus =
  | { kind: "none" } // not a call, or no recording row yet
  /** Call recording was off; `hold` when the call has a stored screen recording a hold can keep. */
  | { kind: "disabled"; message: string; hold: LegalHoldView | null }
  | ({
      kind: "recording";
      recordingId: string;
      state: RecordingState;
      /** The spec's message for the state; null when the recording is available (the player shows). */
      message: string | null;
      retry: { offered: boolean; availableAt: string | null };
    } & LegalHoldView);

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
  const canHold = can(viewer.role, "recordings:hold");
  if (!row.recording_enabled) {
    const screens = await liveScreenRecordings(db, conversationId).execute();
    return {
      kind: "disabled",
      message: RECORDING_DISABLED_MESSAGE,
      hold: holdable(screens) ? { legalHold: screens.some((s) => s.legal_hold), canHold } : null,
    };
  }
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
    canHold,
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
    await notifyConversations(trx, [conversationId]);
    return next.row.state;
  });
}

export const NOTHING_TO_HOLD = "This conversation has no recording to hold.";

/** The conversation's screen recordings not deleted yet, stored or still to come. */
function liveScreenRecordings(db: Kysely<DB>, conversationId: string) {
  return db
    .selectFrom("screen_recordings")
    .select(["id", "legal_hold", "storage_key"])
    .where("conversation_id", "=", conversationId)
    .where("deleted_at", "is", null)
    .orderBy("id");
}

/** A hold has something to keep (a stored file), or is on and may be released. */
const holdable = (screens: { legal_hold: boolean; storage_key: string | null }[]) =>
  screens.some((s) => s.storage_key !== null || s.legal_hold);

/** Whether the conversation is on legal hold, for a screen recording arriving now to take it. */
export const conversationOnHold = (conversationId: string) => sql<boolean>`(
  exists (select 1 from recordings where conversation_id = ${conversationId} and legal_hold)
  or exists (select 1 from screen_recordings
             where conversation_id = ${conversationId} and legal_hold and deleted_at is null))`;

/**
 * Legal hold on or off for the conversation: its call recording and its screen recordings (those
 * still to come too, as a re-upload keeps the row), so a call recorded on screen only can be held. Placing a hold voids a deletion warning already
 * given: once released, retention gives 7 days' notice again. Audited on the recording, or on the
 * conversation when it has screen recordings only.
 */
export async function setLegalHold(
  db: Database,
  viewer: UserViewer,
  actor: Actor,
  conversationId: string,
  hold: boolean,
  context: RequestContext = {},
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const conversation = await trx
      .selectFrom("conversations")
      .select("conversations.id")
      .where("conversations.id", "=", conversationId)
      .where(conversationScope(viewer))
      // As a screen recording upload does: one arriving now sees the hold, or is in the list below.
      .forUpdate("conversations")
      .executeTakeFirst();
    if (!conversation) throw new ActionError(CONVERSATION_NOT_AVAILABLE);
    // Then in the order retention locks them: the recording, then its screen recordings.
    const rec = await trx
      .selectFrom("recordings")
      .select(["id", "legal_hold", "state"])
      .where("conversation_id", "=", conversationId)
      .forUpdate()
      .executeTakeFirst();
    if (rec?.state === "deleted") throw new ActionError("The recording has already been deleted.");
    const screens = await liveScreenRecordings(trx, conversationId).forUpdate().execute();
    if (!rec && !holdable(screens)) throw new ActionError(NOTHING_TO_HOLD);
    if ((rec?.legal_hold ?? hold) === hold && screens.every((s) => s.legal_hold === hold)) return hold;

    const set = hold ? { legal_hold: true, deletion_warning_sent_at: null } : { legal_hold: false };
    if (rec) await trx.updateTable("recordings").set(set).where("id", "=", rec.id).execute();
    const screenIds = screens.map((s) => s.id);
    if (screenIds.length > 0)
      await trx.updateTable("screen_recordings").set(set).where("id", "in", screenIds).execute();
    const verb = hold ? "place" : "release";
    await recordAudit(trx, {
      actor,
      ...(rec
        ? { action: `recording.legal-hold.${verb}`, target: { type: "recording", id: rec.id } }
        : {
            action: `screen-recording.legal-hold.${verb}`,
            target: { type: "conversation", id: conversationId },
          }),
      detail: { conversationId, screenRecordingIds: screenIds },
      context,
    });
    await notifyConversations(trx, [conversationId]);
    return hold;
  });
}
