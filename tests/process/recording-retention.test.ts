import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { type ParsedMail, simpleParser } from "mailparser";
import type { Job } from "pg-boss";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDb, type Database } from "../../db/client.ts";
import { readEnv } from "../../lib/config/env.ts";
import { CONVERSATION_NOT_AVAILABLE } from "../../lib/conversations/detail.ts";
import { deliverPendingEmails } from "../../lib/email/outbox.ts";
import { createRng } from "../../lib/random.ts";
import {
  applyRetention,
  DAY_MS,
  deletionDueAt,
  previewDeletions,
  WARNING_LEAD_MS,
} from "../../lib/recordings/retention.ts";
import { RECORDING_DELETED_MESSAGE } from "../../lib/recordings/states.ts";
import { getRecordingStatus, NOTHING_TO_HOLD, setLegalHold } from "../../lib/recordings/status.ts";
import { readSettings, type Settings, updateSettings } from "../../lib/settings/index.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import { deliverEmailsHandler } from "../../worker/handlers/deliver-emails.ts";
import { type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { ingestCall } from "../helpers/calls.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// Retention against a real database and a real SMTP server (smtp-server on 127.0.0.1, messages
// read back with mailparser). Time is the `now` each pass is given; the database session and the
// Node process run in other time zones, DST changes included, to show neither moves a deletion.

let t: TestDatabase;
let store: TempBlobStore | undefined;
let blobs: BlobStore;
let smtp: SMTPServer;
let deliverByWorker: () => Promise<void>;
const received: ParsedMail[] = [];
const HOUR = 3_600_000;
const admin = { id: "00000000-0000-4000-8000-000000000001", role: "admin" as const };
const adminActor = { kind: "system" as const, id: null };
let sessions = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  store = tempBlobStore("retention");
  blobs = store.blobs;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const { port } = smtp.server.address() as AddressInfo;
  const env = readEnv({ SMTP_URL: `smtp://127.0.0.1:${port}`, SMTP_FROM: "Parley <parley@test>" });
  // The worker's every-minute email.deliver job, as the worker registers it.
  const handler = deliverEmailsHandler({ db: t.db, blobs, env, log: () => {} });
  deliverByWorker = async () => {
    const [result] = await handler([{ id: randomUUID(), name: "email.deliver", data: {} } as Job<unknown>]);
    expect(result?.status).toBe("completed");
  };
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await t?.drop();
  store?.remove();
});

/** A database handle whose sessions run in `zone` (timestamps are read and written through it). */
function dbInZone(zone: string): Database {
  const url = new URL(t.url);
  url.searchParams.set("options", `-c TimeZone=${zone}`);
  return createDb(url.toString(), { max: 2 });
}

/** An ended call with a stored leg; returns recording and conversation ids and the leg's key. */
async function recordedCall(endedAt: Date) {
  const sessionId = `ret-${++sessions}`;
  const conversationId = await ingestCall(t.db, {
    sessionId,
    startedAt: new Date(endedAt.getTime() - 60_000),
    durationMs: 60_000,
  });
  const rec = await t.db
    .selectFrom("recordings")
    .select("id")
    .where("conversation_id", "=", conversationId)
    .executeTakeFirstOrThrow();
  const key = `recordings/${conversationId}/leg-0.wav`;
  await blobs.put(key, `audio of ${sessionId}`);
  await t.db
    .insertInto("recording_legs")
    .values({ recording_id: rec.id, leg_index: 0, label: "customer", storage_key: key })
    .execute();
  await t.db
    .updateTable("recordings")
    .set({ state: "available", next_attempt_at: null })
    .where("id", "=", rec.id)
    .execute();
  return { recordingId: rec.id, conversationId, key, endedAt };
}

const settingsWith = (days: number, recipients: string[] = ["dpo@example.test"]) =>
  ({
    recording_retention_days: days,
    recording_deletion_emails: { enabled: recipients.length > 0, recipients },
  }) satisfies Pick<Settings, "recording_retention_days" | "recording_deletion_emails">;

const readRecordings = (ids: string[]) =>
  t.db
    .selectFrom("recordings")
    .select(["id", "state", "deleted_at", "deletion_warning_sent_at", "legal_hold"])
    .where("id", "in", ids)
    .execute();

describe("retention property: nothing is deleted early or while held", () => {
  test("random calls, holds, setting changes and passes in shifting time zones (DST included)", async () => {
    const rng = createRng(20261205, 8);
    const zones = [
      "UTC",
      "America/New_York",
      "Europe/Berlin",
      "Australia/Sydney",
      "Asia/Kolkata",
      "America/Sao_Paulo",
    ];
    // Calls ending around the 2026 DST changes (US 8 Mar / 1 Nov, EU 29 Mar / 25 Oct, AU 5 Apr / 4 Oct).
    const base = Date.parse("2026-01-15T00:00:00Z");
    const calls = [];
    for (let i = 0; i < 40; i++)
      calls.push(await recordedCall(new Date(base + rng.int(0, 300) * DAY_MS + rng.int(0, 86_399) * 1000)));
    const held = new Set<string>();
    for (const c of calls) {
      if (rng.chance(0.2)) {
        await setLegalHold(t.db, admin, adminActor, c.conversationId, true);
        held.add(c.recordingId);
      }
    }
    const warnedAt = new Map<string, number>();
    let days = rng.int(20, 60);
    let now = base;
    const originalTz = process.env.TZ;
    try {
      for (let step = 0; step < 120; step++) {
        // Mostly small steps (so passes land near due times), sometimes a big one.
        now += rng.chance(0.85) ? rng.int(1, 36) * HOUR + rng.int(0, 3599) * 1000 : rng.int(5, 40) * DAY_MS;
        if (rng.chance(0.1)) days = rng.int(1, 120);
        if (rng.chance(0.05) && held.size > 0) {
          const release = [...held][0] as string;
          const c = calls.find((x) => x.recordingId === release);
          if (c) await setLegalHold(t.db, admin, adminActor, c.conversationId, false);
          held.delete(release);
        }
        const zone = rng.pick(zones);
        process.env.TZ = rng.pick(zones);
        const db = dbInZone(zone);
        try {
          await applyRetention(db, blobs, settingsWith(days, []), new Date(now));
        } finally {
          await db.destroy();
        }
        for (const r of await readRecordings(calls.map((c) => c.recordingId))) {
          const call = calls.find((c) => c.recordingId === r.id);
          if (!call) throw new Error("unknown recording");
          if (r.deletion_warning_sent_at && !warnedAt.has(r.id))
            warnedAt.set(r.id, r.deletion_warning_sent_at.getTime());
          if (!r.deletion_warning_sent_at) warnedAt.delete(r.id);
          const due = deletionDueAt(call.endedAt, days).getTime();
          if (r.deleted_at) {
            if (r.deleted_at.getTime() !== now) continue; // deleted by an earlier pass, checked then
            expect(held.has(r.id), `held recording ${r.id} deleted`).toBe(false);
            expect(r.deleted_at.getTime(), `deleted before due (${days} days)`).toBeGreaterThanOrEqual(due);
            expect(
              r.deleted_at.getTime() - (warnedAt.get(r.id) ?? Number.POSITIVE_INFINITY),
            ).toBeGreaterThanOrEqual(WARNING_LEAD_MS);
            expect(await blobs.exists(call.key)).toBe(false);
          } else {
            // …and not late either: due, warned a week ago and not held means this pass deletes it.
            const warned = warnedAt.get(r.id);
            const overdue =
              !held.has(r.id) && due <= now && warned !== undefined && now - warned >= WARNING_LEAD_MS;
            expect(overdue, `recording ${r.id} overdue but kept`).toBe(false);
            if (warned === undefined && !held.has(r.id)) expect(due - now).toBeGreaterThan(WARNING_LEAD_MS);
          }
        }
      }
    } finally {
      process.env.TZ = originalTz;
    }
    const final = await readRecordings(calls.map((c) => c.recordingId));
    expect(final.filter((r) => r.deleted_at).length).toBeGreaterThan(0); // the run did exercise deletion
    for (const r of final) if (held.has(r.id)) expect(r.deleted_at).toBeNull();
  });

  test("a day that is 23 hours long (spring forward) does not shorten the retention period", async () => {
    // Ended just before New York springs forward; 1 day of retention is 24 elapsed hours.
    const endedAt = new Date("2026-03-08T06:30:00Z"); // 01:30 EST, the night of the change
    const c = await recordedCall(endedAt);
    const ny = dbInZone("America/New_York");
    try {
      const due = deletionDueAt(endedAt, 1).getTime();
      // Passes at the times a calendar-day "+ 1 day" in New York would warn and delete (23 hours
      // after the call), then at the right ones: only the right ones act.
      const at = async (ms: number) => {
        await applyRetention(ny, blobs, settingsWith(1, []), new Date(ms));
        return (await readRecordings([c.recordingId]))[0];
      };
      expect((await at(due - WARNING_LEAD_MS - HOUR))?.deletion_warning_sent_at).toBeNull();
      expect((await at(due - WARNING_LEAD_MS))?.deletion_warning_sent_at).toEqual(
        new Date(due - WARNING_LEAD_MS),
      );
      expect((await at(due - HOUR))?.deleted_at).toBeNull();
      expect((await at(due))?.deleted_at).toEqual(new Date(due));
    } finally {
      await ny.destroy();
    }
  });
});

describe("deletion notices over SMTP", () => {
  test("each warning and each confirmation is e-mailed exactly once, however often and concurrently passes run", async () => {
    received.length = 0;
    const endedAt = new Date("2027-06-01T12:00:00Z");
    const calls = [await recordedCall(endedAt), await recordedCall(new Date(endedAt.getTime() + HOUR))];
    const ids = calls.map((c) => c.recordingId);
    // The agent's screen recording follows the call recording's policy.
    const agent = await t.db
      .insertInto("users")
      .values({ email: "screen@agent.test", name: "Screen Agent", role: "agent" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const screenKey = `screen-recordings/${calls[0]?.conversationId}.webm`;
    await blobs.put(screenKey, "webm");
    await t.db
      .insertInto("screen_recordings")
      .values({
        conversation_id: calls[0]?.conversationId ?? "",
        agent_id: agent.id,
        state: "available",
        storage_key: screenKey,
      })
      .execute();
    // So do the FLAC files the worker derived from its legs.
    const flacKey = `recordings/${calls[0]?.conversationId}/merged-test.flac`;
    await blobs.put(flacKey, "flac");
    await t.db
      .insertInto("recording_artifacts")
      .values({
        recording_id: ids[0] ?? "",
        variant: "merged",
        source_hash: "test",
        status: "succeeded",
        storage_key: flacKey,
      })
      .execute();
    const settings = settingsWith(30, ["dpo@example.test", "legal@example.test"]);
    const pass = async (now: Date) => {
      await Promise.all([
        applyRetention(t.db, blobs, settings, now),
        applyRetention(t.db, blobs, settings, now),
      ]);
      await Promise.all([deliverByWorker(), deliverByWorker()]);
    };
    const warnAt = new Date(endedAt.getTime() + 24 * DAY_MS);
    await pass(warnAt);
    await pass(new Date(warnAt.getTime() + HOUR));
    await pass(new Date(warnAt.getTime() + DAY_MS));
    const deleteAt = new Date(warnAt.getTime() + 8 * DAY_MS);
    await pass(deleteAt);
    await pass(new Date(deleteAt.getTime() + HOUR));

    const about = (id: string) => received.filter((m) => m.text?.includes(id));
    for (const id of ids) {
      const mails = about(id);
      expect(
        mails.map((m) => (m.subject?.includes("will be deleted") ? "warning" : "confirmation")).sort(),
      ).toEqual(["confirmation", "warning"]);
    }
    expect(received.every((m) => m.from?.text.includes("parley@test"))).toBe(true);
    const to = received[0]?.to;
    expect((Array.isArray(to) ? to : [to]).flatMap((a) => a?.value.map((v) => v.address) ?? [])).toEqual([
      "dpo@example.test",
      "legal@example.test",
    ]);
    const rows = await t.db.selectFrom("outgoing_emails").select(["status", "recipients"]).execute();
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    expect(received).toHaveLength(rows.length);

    // What users see now, and what the audit log says.
    const status = await getRecordingStatus(t.db, admin, calls[0]?.conversationId ?? "");
    expect(status).toMatchObject({
      state: "deleted",
      message: RECORDING_DELETED_MESSAGE,
      retry: { offered: false },
    });
    expect(RECORDING_DELETED_MESSAGE).toBe(
      "Recording not available. It may have been deleted as per your data retention policy.",
    );
    const legs = await t.db
      .selectFrom("recording_legs")
      .select("storage_key")
      .where("recording_id", "in", ids)
      .execute();
    expect(legs).toEqual([{ storage_key: null }, { storage_key: null }]);
    const screen = await t.db
      .selectFrom("screen_recordings")
      .select(["state", "storage_key"])
      .where("agent_id", "=", agent.id)
      .execute();
    expect(screen).toEqual([{ state: "deleted", storage_key: null }]);
    expect(await blobs.exists(screenKey)).toBe(false);
    expect(await blobs.exists(flacKey)).toBe(false);
    expect(
      await t.db.selectFrom("recording_artifacts").select("id").where("recording_id", "in", ids).execute(),
    ).toEqual([]);
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["target_id", "actor_kind", "detail"])
      .where("action", "=", "recording.delete")
      .where("target_id", "in", ids)
      .execute();
    expect(audit.map((a) => a.target_id).sort()).toEqual([...ids].sort());
    expect(audit[0]).toMatchObject({
      actor_kind: "system",
      detail: { reason: "retention", retentionDays: 30 },
    });
    // The screen recording deleted with it has an entry of its own.
    const screenAudit = await t.db
      .selectFrom("audit_log as a")
      .innerJoin("screen_recordings as s", (j) => j.on(sql`s.id::text`, "=", sql.ref("a.target_id")))
      .select(["a.target_type", "a.detail"])
      .where("a.action", "=", "screen-recording.delete")
      .where("s.agent_id", "=", agent.id)
      .execute();
    expect(screenAudit).toEqual([
      {
        target_type: "screen_recording",
        detail: expect.objectContaining({ conversationId: calls[0]?.conversationId, reason: "retention" }),
      },
    ]);
  });

  test("files go after the tombstones commit: a pass killed in between leaves them listed for the next", async () => {
    const endedAt = new Date("2033-01-01T00:00:00Z");
    const [gone, reused] = [await recordedCall(endedAt), await recordedCall(endedAt)];
    const settings = settingsWith(3, []);
    await applyRetention(t.db, blobs, settings, endedAt); // warned
    // The worker dies at the first file it deletes, after the batch committed.
    const dying = Object.create(blobs, {
      delete: {
        value: async () => {
          throw new Error("worker killed");
        },
      },
    }) as BlobStore;
    const due = new Date(endedAt.getTime() + 7 * DAY_MS);
    await expect(applyRetention(t.db, dying, settings, due)).rejects.toThrow("worker killed");
    expect(await readRecordings([gone.recordingId, reused.recordingId])).toEqual([
      expect.objectContaining({ state: "deleted" }),
      expect.objectContaining({ state: "deleted" }),
    ]);
    const listed = () =>
      t.db.selectFrom("blob_deletions").select("storage_key").orderBy("storage_key").execute();
    expect(await listed()).toEqual(
      expect.arrayContaining([{ storage_key: gone.key }, { storage_key: reused.key }]),
    );
    expect(await blobs.exists(gone.key)).toBe(true);
    // Meanwhile a leg is uploaded again under the same key: it stays.
    await blobs.put(reused.key, "a new upload");
    await t.db
      .updateTable("recording_legs")
      .set({ storage_key: reused.key })
      .where("recording_id", "=", reused.recordingId)
      .execute();

    await applyRetention(t.db, blobs, settings, due);
    expect(await listed()).toEqual([]);
    expect(await blobs.exists(gone.key)).toBe(false);
    expect((await blobs.get(reused.key)).toString()).toBe("a new upload");
  });

  test("without SMTP the notices wait in the outbox, pending", async () => {
    const c = await recordedCall(new Date("2028-01-01T00:00:00Z"));
    await applyRetention(t.db, blobs, settingsWith(10), new Date("2028-01-05T00:00:00Z"));
    expect(await deliverPendingEmails(t.db, null)).toBe(0);
    const rows = await t.db
      .selectFrom("outgoing_emails")
      .select(["status", "text_body"])
      .where("status", "=", "pending")
      .execute();
    expect(rows.some((r) => r.text_body.includes(c.recordingId))).toBe(true);
  });
});

describe("retention settings, preview and legal hold", () => {
  test("a retention change is audited; the preview counts deletions by date under the setting", async () => {
    await updateSettings(t.db, adminActor, { recording_retention_days: 45 });
    expect((await readSettings(t.db)).recording_retention_days).toBe(45);
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["detail"])
      .where("action", "=", "settings.update")
      .where("target_id", "=", "recording_retention_days")
      .execute();
    expect(audit.at(-1)?.detail).toEqual({ from: 90, to: 45 });

    const endedAt = new Date("2029-02-01T10:00:00Z");
    await recordedCall(endedAt);
    await recordedCall(new Date(endedAt.getTime() + HOUR));
    const now = new Date("2029-02-20T00:00:00Z");
    // 20 days: due 21 Feb, but not warned yet, so no earlier than 7 days from now.
    expect(await previewDeletions(t.db, 20, now)).toContainEqual({
      date: "2029-02-27",
      recordings: 2,
      screenRecordings: 0,
    });
    expect(await previewDeletions(t.db, 35, now)).toContainEqual({
      date: "2029-03-08",
      recordings: 2,
      screenRecordings: 0,
    });
  });

  test("placing and releasing a hold is audited; a held recording is never deleted", async () => {
    const endedAt = new Date("2030-01-01T00:00:00Z");
    const c = await recordedCall(endedAt);
    await setLegalHold(t.db, admin, adminActor, c.conversationId, true);
    for (const d of [5, 20, 60, 400])
      await applyRetention(t.db, blobs, settingsWith(3, []), new Date(endedAt.getTime() + d * DAY_MS));
    expect((await readRecordings([c.recordingId]))[0]).toMatchObject({ deleted_at: null, legal_hold: true });
    expect(await blobs.exists(c.key)).toBe(true);
    await setLegalHold(t.db, admin, adminActor, c.conversationId, false);
    const released = new Date(endedAt.getTime() + 401 * DAY_MS);
    await applyRetention(t.db, blobs, settingsWith(3, []), released);
    expect((await readRecordings([c.recordingId]))[0]?.deleted_at).toBeNull(); // now warned: 7 days' notice
    await applyRetention(t.db, blobs, settingsWith(3, []), new Date(released.getTime() + 7 * DAY_MS));
    expect((await readRecordings([c.recordingId]))[0]?.state).toBe("deleted");
    const actions = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("target_id", "=", c.recordingId)
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      "recording.legal-hold.place",
      "recording.legal-hold.release",
      "recording.delete",
    ]);
  });
});

describe("screen recordings of calls without a call recording", () => {
  /** A screen recording stored for the call; returns its id and key. */
  async function screenRecording(conversationId: string, createdAt: Date) {
    const agent = await t.db
      .insertInto("users")
      .values({ email: `screen-${randomUUID()}@example.test`, name: "Screen Agent", role: "agent" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const key = `screen-recordings/${conversationId}/${agent.id}.webm`;
    await blobs.put(key, "webm");
    const row = await t.db
      .insertInto("screen_recordings")
      .values({
        conversation_id: conversationId,
        agent_id: agent.id,
        state: "available",
        storage_key: key,
        available_at: createdAt,
        created_at: createdAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: row.id, key };
  }
  /** A one-minute call with call recording off, ended at `endedAt`. */
  const screenOnlyCall = (endedAt: Date) =>
    ingestCall(t.db, {
      sessionId: `ret-screen-${++sessions}`,
      startedAt: new Date(endedAt.getTime() - 60_000),
      durationMs: 60_000,
      recordingEnabled: false,
    });
  const readScreen = (id: string) =>
    t.db
      .selectFrom("screen_recordings")
      .select(["state", "storage_key", "deleted_at", "deletion_warning_sent_at", "legal_hold"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();

  test("the retention preview counts them, and those deleted with their call's recording, by date", async () => {
    const endedAt = new Date("2032-05-01T12:00:00Z");
    const screenOnly = await screenOnlyCall(endedAt);
    await screenRecording(screenOnly, endedAt);
    const recorded = await recordedCall(endedAt);
    await screenRecording(recorded.conversationId, endedAt);
    await screenRecording(recorded.conversationId, endedAt);
    const now = new Date("2032-05-20T00:00:00Z");
    // 10 days: due 11 May, not warned yet, so on 27 May (7 days from now), all three files with the call.
    expect(await previewDeletions(t.db, 10, now)).toContainEqual({
      date: "2032-05-27",
      recordings: 1,
      screenRecordings: 3,
    });
  });

  test("follow the same policy on their own: warned, deleted 7 days later, audited; a held call's stay", async () => {
    const endedAt = new Date("2031-03-01T12:00:00Z");
    const conversationId = await screenOnlyCall(endedAt);
    expect(
      await t.db
        .selectFrom("recordings")
        .select("id")
        .where("conversation_id", "=", conversationId)
        .execute(),
    ).toEqual([]);
    const uploaded = new Date(endedAt.getTime() + 10 * 60_000);
    const screen = await screenRecording(conversationId, uploaded);
    // The same policy beside it: a recorded call on legal hold keeps its screen recording.
    const held = await recordedCall(endedAt);
    await setLegalHold(t.db, admin, adminActor, held.conversationId, true);
    const heldScreen = await screenRecording(held.conversationId, uploaded);
    const settings = settingsWith(3);
    const at = (days: number) => new Date(uploaded.getTime() + days * DAY_MS);

    await applyRetention(t.db, blobs, settings, at(-5)); // due in 8 days: not yet
    expect(await readScreen(screen.id)).toMatchObject({ deletion_warning_sent_at: null, deleted_at: null });
    await applyRetention(t.db, blobs, settings, at(-3)); // due within 7 days: warned
    expect((await readScreen(screen.id)).deletion_warning_sent_at).toEqual(at(-3));
    await applyRetention(t.db, blobs, settings, at(3)); // due, but warned only 6 days ago
    expect(await readScreen(screen.id)).toMatchObject({ state: "available", deleted_at: null });
    expect(await blobs.exists(screen.key)).toBe(true);
    await applyRetention(t.db, blobs, settings, at(4)); // 7 days after the warning
    expect(await readScreen(screen.id)).toMatchObject({
      state: "deleted",
      storage_key: null,
      deleted_at: at(4),
    });
    expect(await blobs.exists(screen.key)).toBe(false);

    expect(await readScreen(heldScreen.id)).toMatchObject({ state: "available", deleted_at: null });
    expect(await blobs.exists(heldScreen.key)).toBe(true);
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "detail"])
      .where("target_id", "=", screen.id)
      .execute();
    expect(audit).toEqual([
      {
        action: "screen-recording.delete",
        detail: expect.objectContaining({ conversationId, reason: "retention", retentionDays: 3 }),
      },
    ]);
    const notices = await t.db
      .selectFrom("outgoing_emails")
      .select(["subject", "text_body as text"])
      .where("subject", "like", "%screen recording%")
      .orderBy("id")
      .execute();
    expect(notices.map((n) => n.subject)).toEqual([
      "1 screen recording will be deleted in 7 days",
      "1 screen recording was deleted",
    ]);
    for (const n of notices)
      expect(n.text).toContain(`conversation ${conversationId} (screen recording ${screen.id})`);
  });

  test("a screen-only call can be held: kept while held, its warning voided, 7 days' notice after release", async () => {
    const endedAt = new Date("2032-05-01T12:00:00Z");
    const conversationId = await screenOnlyCall(endedAt);
    const supervisor = { id: admin.id, role: "supervisor" as const };
    const agent = { id: randomUUID(), role: "agent" as const };
    // Nothing to hold yet: no recording, and the agent's screen recording never arrived.
    const missingAgent = await t.db
      .insertInto("users")
      .values({ email: `screen-${randomUUID()}@example.test`, name: "No App", role: "agent" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const missing = await t.db
      .insertInto("screen_recordings")
      .values({ conversation_id: conversationId, agent_id: missingAgent.id, state: "agent_app_missing" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await expect(setLegalHold(t.db, admin, adminActor, conversationId, true)).rejects.toThrow(
      NOTHING_TO_HOLD,
    );
    expect(await getRecordingStatus(t.db, supervisor, conversationId)).toMatchObject({
      kind: "disabled",
      hold: null,
    });

    const uploaded = new Date(endedAt.getTime() + 10 * 60_000);
    const screen = await screenRecording(conversationId, uploaded);
    const settings = settingsWith(3);
    const at = (days: number) => new Date(uploaded.getTime() + days * DAY_MS);
    await applyRetention(t.db, blobs, settings, at(-3)); // due within 7 days: warned
    expect((await readScreen(screen.id)).deletion_warning_sent_at).toEqual(at(-3));
    expect(await getRecordingStatus(t.db, supervisor, conversationId)).toMatchObject({
      kind: "disabled",
      hold: { legalHold: false, canHold: true },
    });

    await setLegalHold(t.db, admin, adminActor, conversationId, true);
    expect(await readScreen(screen.id)).toMatchObject({ legal_hold: true, deletion_warning_sent_at: null });
    expect(await getRecordingStatus(t.db, supervisor, conversationId)).toMatchObject({
      hold: { legalHold: true, canHold: true },
    });
    // An agent outside the conversation can neither see nor change the hold.
    await expect(setLegalHold(t.db, agent, adminActor, conversationId, false)).rejects.toThrow(
      CONVERSATION_NOT_AVAILABLE,
    );
    for (const d of [4, 30, 400]) await applyRetention(t.db, blobs, settings, at(d));
    expect(await readScreen(screen.id)).toMatchObject({ state: "available", deleted_at: null });
    expect(await blobs.exists(screen.key)).toBe(true);

    await setLegalHold(t.db, admin, adminActor, conversationId, false);
    await applyRetention(t.db, blobs, settings, at(401)); // the old warning is void: warned again
    expect(await readScreen(screen.id)).toMatchObject({
      deleted_at: null,
      deletion_warning_sent_at: at(401),
    });
    await applyRetention(t.db, blobs, settings, at(407)); // 6 days' notice so far
    expect((await readScreen(screen.id)).deleted_at).toBeNull();
    await applyRetention(t.db, blobs, settings, at(408));
    expect((await readScreen(screen.id)).state).toBe("deleted");
    // The row without a file has nothing to delete: never warned about, never deleted.
    expect(await readScreen(missing.id)).toMatchObject({ deletion_warning_sent_at: null, deleted_at: null });
    await expect(setLegalHold(t.db, admin, adminActor, conversationId, true)).rejects.toThrow(
      NOTHING_TO_HOLD,
    );

    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "target_type", "target_id", "detail"])
      .where(sql<boolean>`detail->>'conversationId' = ${conversationId}`)
      .orderBy("id")
      .execute();
    const onConversation = { target_type: "conversation", target_id: conversationId };
    // The hold covers the missing one too: an upload that comes late replaces that row.
    const screenRecordingIds = [screen.id, missing.id].sort();
    expect(audit).toEqual([
      {
        action: "screen-recording.legal-hold.place",
        ...onConversation,
        detail: { conversationId, screenRecordingIds },
      },
      {
        action: "screen-recording.legal-hold.release",
        ...onConversation,
        detail: { conversationId, screenRecordingIds },
      },
      expect.objectContaining({ action: "screen-recording.delete", target_id: screen.id }),
    ]);
  });

  test("a hold placed on a warned recording voids the warning: after release, 7 days' notice again", async () => {
    const endedAt = new Date("2032-08-01T00:00:00Z");
    const c = await recordedCall(endedAt);
    const settings = settingsWith(3, []);
    const at = (days: number) => new Date(endedAt.getTime() + days * DAY_MS);
    await applyRetention(t.db, blobs, settings, at(0)); // due in 3 days: warned
    expect((await readRecordings([c.recordingId]))[0]?.deletion_warning_sent_at).toEqual(at(0));
    const heldScreen = await screenRecording(c.conversationId, at(0));
    await setLegalHold(t.db, admin, adminActor, c.conversationId, true);
    expect((await readRecordings([c.recordingId]))[0]).toMatchObject({
      legal_hold: true,
      deletion_warning_sent_at: null,
    });
    expect((await readScreen(heldScreen.id)).legal_hold).toBe(true); // the hold is on the conversation
    await setLegalHold(t.db, admin, adminActor, c.conversationId, false);
    await applyRetention(t.db, blobs, settings, at(10)); // without the void, deleted right here
    expect((await readRecordings([c.recordingId]))[0]).toMatchObject({
      deleted_at: null,
      deletion_warning_sent_at: at(10),
    });
    await applyRetention(t.db, blobs, settings, at(17));
    expect((await readRecordings([c.recordingId]))[0]?.state).toBe("deleted");
  });
});
