import { sql, type Transaction } from "kysely";
import type { PgBoss } from "pg-boss";
import { type Database, inTransaction } from "../../db/client.ts";
import type { DB } from "../../db/types.ts";
import { type AudioFormat, wavInfo } from "../files/sniff.ts";
import { prepareRecordingMediaJob } from "../jobs/definitions.ts";
import { enqueue } from "../jobs/enqueue.ts";
import type { BlobStore } from "../storage/index.ts";
import type { Staged } from "../storage/staging.ts";
import { NO_ATTEMPT } from "./store.ts";

// A recording's legs as files: a staged upload moved into place as leg N, and the recording's state
// settled from its legs. The upload endpoint, the source-URL registration and the demo seeder go
// through here; the recording fetcher places the legs it downloads under the same row lock.

export type LegLabel = "customer" | "agent" | "ai_agent";

/** Serialises uploads for one conversation (idempotency checks then writes). */
export const lockConversation = (trx: Transaction<DB>, id: string) =>
  trx.selectFrom("conversations").select("id").where("id", "=", id).forUpdate().executeTakeFirstOrThrow();

/**
 * Stores a staged audio file as leg `legIndex` of the conversation's recording (created if needed):
 * the same content again is a no-op, other content replaces the leg's file. The upload endpoint and
 * the demo seeder both store legs this way.
 */
export async function storeRecordingLeg(
  db: Database,
  blobs: BlobStore,
  conversationId: string,
  leg: {
    legIndex: number;
    label: LegLabel;
    participantUserId: string | null;
    staged: Staged;
    format: AudioFormat;
  },
  /** With it, new leg content that completes the recording queues its waveform and playable merge. */
  boss?: PgBoss,
) {
  const { legIndex, label, staged, format } = leg;
  const info =
    format === "wav"
      ? wavInfo(staged.head, staged.size)
      : { sampleRate: null, channels: null, durationMs: null };
  const storageKey = `recordings/${conversationId}/leg-${legIndex}.${format}`;
  return inTransaction(db, async (trx) => {
    const { recording, existing } = await lockLeg(trx, conversationId, legIndex);
    if (existing?.sha256 === staged.sha256 && existing.storage_key) {
      return { recording, leg: existing, status: "unchanged" as const };
    }
    const status = existing?.storage_key ? ("replaced" as const) : ("created" as const);
    await blobs.move(staged.key, storageKey);
    if (existing?.storage_key && existing.storage_key !== storageKey) {
      await blobs.delete(existing.storage_key); // the old leg had another format
    }
    const values = {
      label,
      participant_user_id: leg.participantUserId,
      storage_key: storageKey,
      format,
      sample_rate: info.sampleRate,
      channels: info.channels,
      duration_ms: info.durationMs,
      size_bytes: staged.size,
      sha256: staged.sha256,
    };
    const row = await trx
      .insertInto("recording_legs")
      .values({ recording_id: recording.id, leg_index: legIndex, ...values })
      .onConflict((oc) => oc.columns(["recording_id", "leg_index"]).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    const state = await settleRecordingState(trx, recording.id);
    if (boss && state === "available")
      await enqueue(boss, prepareRecordingMediaJob, { recordingId: recording.id }, { trx });
    return { recording: { ...recording, state }, leg: row, status };
  });
}

/** Under the conversation's lock: its recording (created if needed) and leg `legIndex`'s row, if any. */
export async function lockLeg(trx: Transaction<DB>, conversationId: string, legIndex: number) {
  await lockConversation(trx, conversationId);
  const recording = await upsertRecording(trx, conversationId);
  const existing = await trx
    .selectFrom("recording_legs")
    .selectAll()
    .where("recording_id", "=", recording.id)
    .where("leg_index", "=", legIndex)
    .executeTakeFirst();
  return { recording, existing };
}

async function upsertRecording(trx: Transaction<DB>, conversationId: string) {
  return trx
    .insertInto("recordings")
    .values({ conversation_id: conversationId })
    .onConflict((oc) => oc.column("conversation_id").doUpdateSet({ updated_at: sql`now()` }))
    .returning(["id", "state"])
    .executeTakeFirstOrThrow();
}

/**
 * A recording whose legs all have a stored file is `available`; otherwise its state is left to the
 * recording fetcher (a new recording starts `pending`). A deleted recording stays deleted. Becoming
 * available ends a fetch attempt in flight: its run finds the attempt gone and keeps nothing.
 */
export async function settleRecordingState(trx: Transaction<DB>, recordingId: string) {
  const row = await trx
    .updateTable("recordings")
    // Its length and format are its legs' (a format only when they all share one).
    .set({
      state: "available",
      last_error: null,
      ...NO_ATTEMPT,
      updated_at: sql`now()`,
      duration_ms: sql<number>`(select max(duration_ms) from recording_legs where recording_id = ${recordingId})`,
      format: sql<string>`(select case when count(distinct format) = 1 then min(format) end
                           from recording_legs where recording_id = ${recordingId})`,
    })
    .where("id", "=", recordingId)
    .where("state", "!=", "deleted")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("recording_legs")
            .select(sql`1`.as("one"))
            .where("recording_id", "=", recordingId)
            .where("storage_key", "is", null),
        ),
      ),
    )
    .returning("state")
    .executeTakeFirst();
  if (row) return row.state;
  return (
    await trx.selectFrom("recordings").select("state").where("id", "=", recordingId).executeTakeFirstOrThrow()
  ).state;
}
