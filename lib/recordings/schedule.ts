import { createHash } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { PgBoss } from "pg-boss";
import type { DB, RecordingState } from "../../db/types.ts";
import { fetchRecordingJob } from "../jobs/definitions.ts";
import { enqueue } from "../jobs/enqueue.ts";

// Turning the rows' `next_attempt_at` into pg-boss jobs. The row is the source of truth (ingest
// writes it without a pg-boss connection; a lost job is rebooked); the dispatcher runs every minute
// and books each attempt due within the look-ahead as a job starting exactly then (startAfter).
// Job ids are derived from (recording, due time, hour of booking): booking the same attempt again
// within the hour is a no-op, and an attempt whose job died (the row still due) is booked afresh
// the next hour; a surplus job finds the attempt claimed and does nothing. An attempt whose worker
// died after claiming it (its lease lapsed, fetch.ts) is booked the same way, and resumed.

export const LOOKAHEAD_MS = 5 * 60_000;

const UNSCHEDULABLE: RecordingState[] = [
  "available",
  "deleted",
  "failed",
  "24hr_retry_failed",
  "call_in_progress",
];

/** A UUID-shaped id, the same for the same attempt booked in the same hour (pg-boss inserts ON CONFLICT DO NOTHING). */
export function attemptJobId(recordingId: string, dueAt: Date, bookedAt: Date): string {
  const hour = Math.floor(bookedAt.getTime() / 3_600_000);
  const h = createHash("sha256").update(`${recordingId}@${dueAt.toISOString()}#${hour}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Recordings whose next attempt is before `until`: a range scan of recordings_next_attempt_idx. */
export function dueRecordingsQuery(db: Kysely<DB>, until: Date, limit = 500) {
  return db
    .selectFrom("recordings")
    .select(["id", "next_attempt_at"])
    .where("next_attempt_at", "<=", until)
    .where("state", "not in", UNSCHEDULABLE)
    .orderBy("next_attempt_at")
    .limit(limit);
}

export async function listDueRecordings(db: Kysely<DB>, until: Date, limit = 500) {
  const rows = await dueRecordingsQuery(db, until, limit).execute();
  return rows.flatMap((r) => (r.next_attempt_at ? [{ id: r.id, dueAt: r.next_attempt_at }] : []));
}

/** Attempts in flight whose lease lapsed by `now`: a range scan of recordings_attempt_lease_idx. */
export function lapsedAttemptsQuery(db: Kysely<DB>, now: Date, limit = 500) {
  return db
    .selectFrom("recordings")
    .select(["id", "attempt_lease_until"])
    .where("attempt_lease_until", "<=", now)
    .orderBy("attempt_lease_until")
    .limit(limit);
}

/** Books a job for every attempt due before now + LOOKAHEAD_MS, and every lapsed one; returns how many were new. */
export async function bookDueFetches(db: Kysely<DB>, boss: PgBoss, now: Date): Promise<number> {
  let booked = 0;
  // Lapsed ones only once lapsed: a live attempt renews its lease, and would be booked every minute.
  const lapsed = await lapsedAttemptsQuery(db, now).execute();
  const due = [
    ...(await listDueRecordings(db, new Date(now.getTime() + LOOKAHEAD_MS))),
    ...lapsed.flatMap((r) => (r.attempt_lease_until ? [{ id: r.id, dueAt: r.attempt_lease_until }] : [])),
  ];
  for (const { id, dueAt } of due) {
    const jobId = await enqueue(
      boss,
      fetchRecordingJob,
      { recordingId: id, manual: false },
      { id: attemptJobId(id, dueAt, now), singletonKey: id, startAfter: dueAt > now ? dueAt : undefined },
    );
    if (jobId) booked++;
  }
  return booked;
}

/** A user's Retry: a fetch job now, in the transaction that moved the row to fetching_in_progress. */
export async function enqueueManualFetch(
  boss: PgBoss,
  trx: Transaction<DB>,
  recordingId: string,
  stateBefore: RecordingState,
): Promise<void> {
  await enqueue(
    boss,
    fetchRecordingJob,
    { recordingId, manual: true, stateBefore },
    { trx, singletonKey: recordingId },
  );
}
