import { createHash } from "node:crypto";
import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
import type { DB } from "../../db/types.ts";
import { recordAudit, systemActor } from "../audit/index.ts";
import { queueEmail } from "../email/outbox.ts";
import type { Settings } from "../settings/index.ts";
import type { BlobStore } from "../storage/index.ts";
import { HOUR, transition } from "./machine.ts";
import { NO_ATTEMPT } from "./store.ts";

// Data retention for call recordings and the conversation's screen recordings (spec "Call
// Recording": the admin's retention period; screen recordings use the same policy).
//
// A recording is due `recording_retention_days` × 24 hours after its call ended (elapsed time, so
// neither the server's time zone nor a DST change moves it), with the setting as it is at the time
// of the run: shortening it brings deletions forward, lengthening it pushes them back. Nothing is
// deleted without notice: a recording is first marked warned (and opted-in recipients e-mailed) once
// it is due within 7 days, and deleted no earlier than 7 days after that, and never while its
// conversation is on legal hold. Deletion removes the files and keeps the row as a tombstone.
// Screen recordings go with their call's recording; those of a call without one (recorded on
// screen only) get the same warning, notice and deletion on their own (applyScreenRetention).
// Files are deleted after the rows' tombstones commit, from the list the same transaction wrote.

export const DAY_MS = 24 * HOUR;
export const WARNING_LEAD_MS = 7 * DAY_MS;
const BATCH = 200;

/** When a recording of a call that ended at `endedAt` becomes due for deletion. */
export function deletionDueAt(endedAt: Date, retentionDays: number): Date {
  return new Date(endedAt.getTime() + retentionDays * DAY_MS);
}

/** When it is actually deleted: due, and 7 days after its warning (or after now, not warned yet). */
export function deletionAt(due: Date, warnedAt: Date | null, now: Date): Date {
  const notice = (warnedAt ?? now).getTime() + WARNING_LEAD_MS;
  return new Date(Math.max(due.getTime(), notice));
}

/** The due time in SQL (elapsed hours: `+ interval 'n days'` would follow the session's DST). */
const dueSql = (days: number): RawBuilder<Date> =>
  sql<Date>`r.retention_from + make_interval(hours => ${24 * days}::int)`;

/** Due by `at` ⇔ retention_from ≤ at − period: a range of recordings_retention_due_idx. */
const dueBy = (days: number, at: Date) => new Date(at.getTime() - days * DAY_MS);

/** Recordings retention may still act on: not deleted, not held (the index's predicate). */
function candidates(db: Kysely<DB>) {
  return db.selectFrom("recordings as r").where("r.deleted_at", "is", null).where("r.legal_hold", "=", false);
}

/** A batch of recordings due within 7 days and not warned yet. */
export function toWarnQuery(db: Kysely<DB>, days: number, now: Date) {
  return candidates(db)
    .select(["r.id", "r.conversation_id", dueSql(days).as("due")])
    .where("r.deletion_warning_sent_at", "is", null)
    .where("r.retention_from", "<=", dueBy(days, new Date(now.getTime() + WARNING_LEAD_MS)))
    .orderBy("r.retention_from")
    .limit(BATCH);
}

/** A batch of recordings due, warned at least 7 days ago. */
export function toDeleteQuery(db: Kysely<DB>, days: number, now: Date) {
  return candidates(db)
    .select(["r.id", "r.conversation_id", "r.state", "r.peaks_key", dueSql(days).as("due")])
    .where("r.retention_from", "<=", dueBy(days, now))
    .where("r.deletion_warning_sent_at", "<=", new Date(now.getTime() - WARNING_LEAD_MS))
    .orderBy("r.retention_from")
    .limit(BATCH);
}

type Listed = { id: string; conversation_id: string; due: Date };

function describeList(rows: Listed[], verb: string, noun = "recording"): string {
  const lines = rows.map(
    (r) => `- conversation ${r.conversation_id} (${noun} ${r.id}), ${verb} ${r.due.toISOString()}`,
  );
  return lines.join("\n");
}

/**
 * Screen recordings of calls that have no recording row (recorded on screen, not in audio), which
 * the passes above cannot reach through a recording: the same policy on their own. Due `days` after
 * the later of the call's end and the file's arrival (created_at, the range of
 * screen_recordings_retention_idx), unless their conversation is on legal hold. Rows without a
 * file (the agent app missing, a failed upload) hold nothing to delete or warn about.
 */
function unrecordedScreens(db: Kysely<DB>, days: number, by: Date) {
  const cutoff = dueBy(days, by);
  return db
    .selectFrom("screen_recordings as s")
    .innerJoin("conversations as c", "c.id", "s.conversation_id")
    .where("s.deleted_at", "is", null)
    .where("s.legal_hold", "=", false)
    .where("s.storage_key", "is not", null)
    .where("s.created_at", "<=", cutoff)
    .where("c.ended_at", "<=", cutoff)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("recordings as r")
            .select("r.id")
            .whereRef("r.conversation_id", "=", "s.conversation_id"),
        ),
      ),
    )
    .select([
      "s.id",
      "s.conversation_id",
      "s.storage_key",
      sql<Date>`greatest(c.ended_at, s.created_at) + make_interval(hours => ${24 * days}::int)`.as("due"),
    ])
    .orderBy("s.created_at")
    .limit(BATCH);
}

/** A batch of such screen recordings due within 7 days and not warned yet. */
export function screensToWarnQuery(db: Kysely<DB>, days: number, now: Date) {
  return unrecordedScreens(db, days, new Date(now.getTime() + WARNING_LEAD_MS)).where(
    "s.deletion_warning_sent_at",
    "is",
    null,
  );
}

/** A batch of such screen recordings due, warned at least 7 days ago. */
export function screensToDeleteQuery(db: Kysely<DB>, days: number, now: Date) {
  return unrecordedScreens(db, days, now).where(
    "s.deletion_warning_sent_at",
    "<=",
    new Date(now.getTime() - WARNING_LEAD_MS),
  );
}

const batchKey = (kind: string, ids: string[], at: Date) =>
  `${kind}:${createHash("sha256")
    .update(`${[...ids].sort().join(",")}@${at.toISOString()}`)
    .digest("hex")}`;

export type RetentionRun = { warned: number; deleted: number; emails: number };

/** What every step of a pass shares. */
type Pass = {
  db: Kysely<DB>;
  blobs: BlobStore;
  days: number;
  recipients: string[];
  now: Date;
  run: RetentionRun;
};

/**
 * Runs `batch` in a transaction of its own until one handles fewer than BATCH rows; the total.
 * The files a batch listed (listFilesToDelete) are deleted once it has committed.
 */
async function inBatches(
  { db, blobs }: Pick<Pass, "db" | "blobs">,
  batch: (trx: Transaction<DB>) => Promise<number>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await db.transaction().execute(batch);
    await deleteListedFiles(db, blobs);
    total += handled;
    if (handled < BATCH) return total;
  }
}

type FileOf = { storage_key: string | null; conversation_id: string };

/**
 * Lists files for deletion in the transaction that tombstones their rows: they are deleted only
 * once it commits (deleteListedFiles), so a failed or killed batch never leaves a row saying
 * "available" over a file already gone. Returns how many were listed.
 */
async function listFilesToDelete(trx: Transaction<DB>, files: FileOf[]): Promise<number> {
  const listed = files.filter(
    (f): f is { storage_key: string; conversation_id: string } => f.storage_key !== null,
  );
  if (listed.length === 0) return 0;
  await trx
    .insertInto("blob_deletions")
    .values(listed.map((f) => ({ storage_key: f.storage_key, conversation_id: f.conversation_id })))
    .onConflict((oc) => oc.column("storage_key").doNothing())
    .execute();
  return listed.length;
}

/**
 * Deletes the listed files, then their entries; entries a killed pass left are deleted by the next
 * (deleting is idempotent). Under the conversation's lock, as an upload takes it: a leg or screen
 * recording stored again under the same key since is kept.
 */
async function deleteListedFiles(db: Kysely<DB>, blobs: BlobStore): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("blob_deletions")
        .select(["storage_key", "conversation_id"])
        .orderBy("queued_at")
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return 0;
      const keys = rows.map((r) => r.storage_key);
      const conversations = [...new Set(rows.map((r) => r.conversation_id))].sort();
      await trx
        .selectFrom("conversations")
        .select("id")
        .where("id", "in", conversations)
        .forUpdate()
        .execute();
      const inUse = await sql<{ storage_key: string }>`
        select l.storage_key from recording_legs l join recordings r on r.id = l.recording_id
        where r.conversation_id in (${sql.join(conversations)}) and l.storage_key in (${sql.join(keys)})
        union
        select storage_key from screen_recordings
        where conversation_id in (${sql.join(conversations)}) and storage_key in (${sql.join(keys)})`
        .execute(trx)
        .then((r) => new Set(r.rows.map((row) => row.storage_key)));
      for (const key of keys) if (!inUse.has(key)) await blobs.delete(key);
      await trx.deleteFrom("blob_deletions").where("storage_key", "in", keys).execute();
      return rows.length;
    });
    total += handled;
    if (handled < BATCH) return total;
  }
}

/** A notice to the configured recipients, queued once per batch (its ids and time make the key). */
async function queueNotice(
  trx: Transaction<DB>,
  pass: Pass,
  notice: { kind: string; key: string; ids: string[]; subject: string; text: string },
): Promise<void> {
  if (pass.recipients.length === 0) return;
  const queued = await queueEmail(trx, {
    kind: notice.kind,
    recipients: pass.recipients,
    subject: notice.subject,
    text: notice.text,
    dedupeKey: batchKey(notice.key, notice.ids, pass.now),
  });
  if (queued) pass.run.emails++;
}

/**
 * Marks a batch warned and queues its notice, listing when each goes: its due time, or 7 days from
 * now when that is later. Returns the batch's size.
 */
async function warnBatch(
  trx: Transaction<DB>,
  pass: Pass,
  table: "recordings" | "screen_recordings",
  rows: Listed[],
  /** `noun` counts the batch in the subject, `item` names each line of the list. */
  notice: { key: string; noun: string; item: string; text: (list: string) => string },
): Promise<number> {
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.id);
  await trx.updateTable(table).set({ deletion_warning_sent_at: pass.now }).where("id", "in", ids).execute();
  const deleteOn = rows.map((r) => ({ ...r, due: deletionAt(r.due, pass.now, pass.now) }));
  await queueNotice(trx, pass, {
    kind: "recording-deletion-warning",
    key: notice.key,
    ids,
    subject: `${counted(rows.length, notice.noun, "will be", "will be")} deleted in 7 days`,
    text: notice.text(describeList(deleteOn, "on or after", notice.item)),
  });
  return rows.length;
}

/** One audit entry per deleted item. */
async function auditDeletions(
  trx: Transaction<DB>,
  pass: Pass,
  action: string,
  targetType: string,
  rows: Listed[],
  detail: Record<string, number> = {},
): Promise<void> {
  for (const r of rows) {
    await recordAudit(trx, {
      actor: systemActor,
      action,
      target: { type: targetType, id: r.id },
      detail: {
        conversationId: r.conversation_id,
        reason: "retention",
        retentionDays: pass.days,
        dueAt: r.due.toISOString(),
        ...detail,
      },
    });
  }
}

/** "1 call recording will be", "2 call recordings will be". */
const counted = (n: number, noun: string, one: string, many: string) =>
  `${n} ${noun}${n === 1 ? ` ${one}` : `s ${many}`}`;

/** One retention pass (idempotent; concurrent passes skip each other's rows). */
export async function applyRetention(
  db: Kysely<DB>,
  blobs: BlobStore,
  settings: Pick<Settings, "recording_retention_days" | "recording_deletion_emails">,
  now: Date,
): Promise<RetentionRun> {
  const mail = settings.recording_deletion_emails;
  const pass: Pass = {
    db,
    blobs,
    days: settings.recording_retention_days,
    recipients: mail.enabled ? mail.recipients : [],
    now,
    run: { warned: 0, deleted: 0, emails: 0 },
  };
  await deleteListedFiles(db, blobs); // what a killed pass listed but did not get to
  await applyRecordingRetention(pass);
  await applyScreenRetention(pass);
  return pass.run;
}

/** Recordings, and with each its call's screen recordings. */
async function applyRecordingRetention(pass: Pass): Promise<void> {
  const { db, days, now, run } = pass;
  // A warning given for a due date the setting has since pushed past the warning window is void:
  // the recording will be warned again (and 7 days' notice given again) when it comes close.
  await db
    .updateTable("recordings as r")
    .set({ deletion_warning_sent_at: null })
    .where("r.deleted_at", "is", null)
    .where("r.deletion_warning_sent_at", "is not", null)
    .where("r.retention_from", ">", dueBy(days, new Date(now.getTime() + WARNING_LEAD_MS)))
    .execute();

  // Warn: due within 7 days, not warned yet.
  run.warned += await inBatches(pass, async (trx) => {
    const rows = await toWarnQuery(trx, days, now).forUpdate("r").skipLocked().execute();
    return warnBatch(trx, pass, "recordings", rows, {
      key: "recording-deletion-warning",
      noun: "call recording",
      item: "recording",
      text: (list) =>
        "As per your data retention policy, these call recordings (and their screen recordings) will be " +
        `permanently deleted:\n\n${list}\n\nPlace a legal hold on a conversation to keep its recording.`,
    });
  });

  // Delete: due, and warned at least 7 days ago.
  run.deleted += await inBatches(pass, async (trx) => {
    const rows = await toDeleteQuery(trx, days, now).forUpdate("r").skipLocked().execute();
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r.id);
    const conversationIds = rows.map((r) => r.conversation_id);
    const legs = await trx
      .selectFrom("recording_legs")
      .select(["recording_id", "storage_key"])
      .where("recording_id", "in", ids)
      .where("storage_key", "is not", null)
      .execute();
    const screens = await trx
      .selectFrom("screen_recordings")
      .select(["id", "conversation_id", "storage_key"])
      .where("conversation_id", "in", conversationIds)
      .where("deleted_at", "is", null)
      .execute();
    // Files derived from the legs (merged and per-leg FLAC downloads) go with them.
    const artifacts = await trx
      .selectFrom("recording_artifacts")
      .select(["recording_id", "storage_key"])
      .where("recording_id", "in", ids)
      .where("storage_key", "is not", null)
      .execute();
    const conversationOf = new Map(rows.map((r) => [r.id, r.conversation_id]));
    const files = await listFilesToDelete(trx, [
      ...[...legs, ...artifacts].map((f) => ({
        storage_key: f.storage_key,
        conversation_id: conversationOf.get(f.recording_id) ?? "",
      })),
      ...screens,
      ...rows.map((r) => ({ storage_key: r.peaks_key, conversation_id: r.conversation_id })),
    ]);
    await trx
      .updateTable("recording_legs")
      .set({ storage_key: null })
      .where("recording_id", "in", ids)
      .execute();
    await trx.deleteFrom("recording_artifacts").where("recording_id", "in", ids).execute();
    if (screens.length > 0)
      await trx
        .updateTable("screen_recordings")
        .set({ state: "deleted", storage_key: null, deleted_at: now })
        .where(
          "id",
          "in",
          screens.map((s) => s.id),
        )
        .execute();
    // The machine's "deleted" transition, the same for every row of the batch.
    const tombstone = transition(
      { state: rows[0]?.state ?? "pending", endedAt: null, nextAttemptAt: null, manualRetryAt: null },
      { type: "deleted" },
      now,
    );
    if (!tombstone.ok) throw new Error(`cannot delete a recording in state ${rows[0]?.state}`);
    await trx
      .updateTable("recordings")
      .set({
        state: tombstone.row.state,
        next_attempt_at: tombstone.row.nextAttemptAt,
        ...NO_ATTEMPT,
        peaks_key: null,
        deleted_at: now,
        deleted_reason: "retention",
        updated_at: now,
      })
      .where("id", "in", ids)
      .execute();
    await auditDeletions(trx, pass, "recording.delete", "recording", rows, { files });
    // Each screen recording deleted with its call's recording is audited too, due when that was.
    const dueOf = new Map(rows.map((r) => [r.conversation_id, r.due]));
    await auditDeletions(
      trx,
      pass,
      "screen-recording.delete",
      "screen_recording",
      screens.map((s) => ({ ...s, due: dueOf.get(s.conversation_id) ?? now })),
    );
    await queueNotice(trx, pass, {
      kind: "recording-deletion-confirmation",
      key: "recording-deletion-confirmation",
      ids,
      subject: `${counted(rows.length, "call recording", "was", "were")} deleted`,
      text:
        "As per your data retention policy, these call recordings (and their screen recordings) were " +
        `permanently deleted on ${now.toISOString()}:\n\n${describeList(rows, "due")}`,
    });
    return rows.length;
  });
}

/** The same for the screen recordings of calls without a recording row (unrecordedScreens). */
async function applyScreenRetention(pass: Pass): Promise<void> {
  const { db, days, now, run } = pass;
  // As for recordings: a warning the setting has since pushed past the window is void.
  await db
    .updateTable("screen_recordings as s")
    .set({ deletion_warning_sent_at: null })
    .where("s.deleted_at", "is", null)
    .where("s.deletion_warning_sent_at", "is not", null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("conversations as c")
          .select("c.id")
          .whereRef("c.id", "=", "s.conversation_id")
          .where(
            sql<Date>`greatest(c.ended_at, s.created_at)`,
            ">",
            dueBy(days, new Date(now.getTime() + WARNING_LEAD_MS)),
          ),
      ),
    )
    .execute();

  run.warned += await inBatches(pass, async (trx) => {
    const rows = await screensToWarnQuery(trx, days, now).forUpdate("s").skipLocked().execute();
    return warnBatch(trx, pass, "screen_recordings", rows, {
      key: "screen-recording-deletion-warning",
      noun: "screen recording",
      item: "screen recording",
      text: (list) =>
        "As per your data retention policy, these screen recordings (of calls without a call recording) " +
        `will be permanently deleted:\n\n${list}`,
    });
  });

  run.deleted += await inBatches(pass, async (trx) => {
    const rows = await screensToDeleteQuery(trx, days, now).forUpdate("s").skipLocked().execute();
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r.id);
    await listFilesToDelete(trx, rows);
    await trx
      .updateTable("screen_recordings")
      .set({ state: "deleted", storage_key: null, deleted_at: now })
      .where("id", "in", ids)
      .execute();
    await auditDeletions(trx, pass, "screen-recording.delete", "screen_recording", rows);
    await queueNotice(trx, pass, {
      kind: "recording-deletion-confirmation",
      key: "screen-recording-deletion-confirmation",
      ids,
      subject: `${counted(rows.length, "screen recording", "was", "were")} deleted`,
      text:
        "As per your data retention policy, these screen recordings (of calls without a call recording) " +
        `were permanently deleted on ${now.toISOString()}:\n\n${describeList(rows, "due", "screen recording")}`,
    });
    return rows.length;
  });
}

export type DeletionDay = { date: string; recordings: number; screenRecordings: number };

/**
 * What retention would delete under `retentionDays` in the next `horizonDays`, by UTC date: call
 * recordings (held ones never), the screen recordings deleted with them, and screen recordings of
 * calls recorded on screen only. Each on the later of its due date and 7 days after its notice (or
 * after now, not warned yet), as the hourly passes do. Shown by Admin → Settings for the saved
 * period and, before saving, for the one being typed. Reads only rows due within the horizon
 * (recordings_retention_due_idx, screen_recordings_retention_idx).
 */
export async function previewDeletions(
  db: Kysely<DB>,
  retentionDays: number,
  now: Date,
  horizonDays = 30,
): Promise<DeletionDay[]> {
  const horizon = new Date(now.getTime() + horizonDays * DAY_MS);
  const notice = (warned: string) =>
    sql<Date>`coalesce(${sql.ref(warned)}, ${now}::timestamptz) + make_interval(hours => ${24 * 7}::int)`;
  const day = (at: RawBuilder<Date>) => sql<string>`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD')`;
  const recordingAt = sql<Date>`greatest(${dueSql(retentionDays)}, ${notice("r.deletion_warning_sent_at")})`;
  const [recordings, screens] = await Promise.all([
    candidates(db)
      .select((eb) => [
        day(recordingAt).as("date"),
        sql<string>`count(*)`.as("recordings"),
        // The call's screen recordings go with it.
        eb.fn
          .sum<string>(
            eb
              .selectFrom("screen_recordings as s")
              .select(sql<string>`count(*)`.as("n"))
              .whereRef("s.conversation_id", "=", "r.conversation_id")
              .where("s.deleted_at", "is", null)
              .where("s.storage_key", "is not", null),
          )
          .as("screens"),
      ])
      .where("r.retention_from", "<", dueBy(retentionDays, horizon))
      .groupBy("date")
      .execute(),
    db
      .selectFrom(
        unrecordedScreens(db, retentionDays, horizon)
          .clearLimit()
          .clearOrderBy()
          .select("s.deletion_warning_sent_at")
          .as("u"),
      )
      .select([
        day(sql<Date>`greatest(u.due, ${notice("u.deletion_warning_sent_at")})`).as("date"),
        sql<string>`count(*)`.as("screens"),
      ])
      .groupBy("date")
      .execute(),
  ]);
  const days = new Map<string, DeletionDay>();
  const at = (date: string) => {
    const found = days.get(date) ?? { date, recordings: 0, screenRecordings: 0 };
    days.set(date, found);
    return found;
  };
  for (const r of recordings) {
    at(r.date).recordings += Number(r.recordings);
    at(r.date).screenRecordings += Number(r.screens ?? 0);
  }
  for (const s of screens) at(s.date).screenRecordings += Number(s.screens);
  // A date past the horizon (a notice pushing it out) is outside what the preview covers.
  const last = horizon.toISOString().slice(0, 10);
  return [...days.values()].filter((d) => d.date <= last).sort((a, b) => a.date.localeCompare(b.date));
}
