import { sql, type Transaction } from "kysely";
import type { DB } from "../../db/types.ts";
import { type MachineRow, transition } from "./machine.ts";

/**
 * Ingest's hook (same transaction as the events): every recorded voice call gets its recording
 * row, `call_in_progress` while it lasts; when the call ends, the state machine books the first
 * fetch 10 minutes later (the dispatcher job turns that into a pg-boss job at that time).
 */
export async function syncRecordingsForCalls(trx: Transaction<DB>, conversationIds: string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  const calls = await trx
    .selectFrom("conversations as c")
    .leftJoin("recordings as r", "r.conversation_id", "c.id")
    .select([
      "c.id",
      "c.ended_at",
      "r.id as recording_id",
      "r.state",
      "r.next_attempt_at",
      "r.manual_retry_at",
    ])
    .where("c.id", "=", sql<string>`any(${conversationIds}::uuid[])`)
    .where("c.channel", "=", "voice")
    .where("c.recording_enabled", "=", true)
    .where((eb) => eb.or([eb("r.id", "is", null), eb("r.state", "in", ["pending", "call_in_progress"])]))
    .execute();
  const now = new Date();
  for (const call of calls) {
    let row: MachineRow = {
      state: call.state ?? "pending",
      endedAt: null,
      nextAttemptAt: call.next_attempt_at,
      manualRetryAt: call.manual_retry_at,
    };
    const started = transition(row, { type: "call_started" }, now);
    if (started.ok) row = started.row;
    if (call.ended_at) {
      const ended = transition(row, { type: "call_ended", endedAt: call.ended_at }, now);
      if (ended.ok) row = ended.row;
    }
    if (call.recording_id && row.state === call.state && row.nextAttemptAt === call.next_attempt_at) continue;
    await trx
      .insertInto("recordings")
      .values({ conversation_id: call.id, state: row.state, next_attempt_at: row.nextAttemptAt })
      .onConflict((oc) =>
        oc.column("conversation_id").doUpdateSet({
          state: row.state,
          next_attempt_at: row.nextAttemptAt,
          updated_at: sql`now()`,
        }),
      )
      .execute();
  }
}
