import { sql } from "kysely";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { readEnv } from "../../lib/config/env.ts";
import { createBoss, startBoss } from "../../lib/jobs/boss.ts";
import { fetchRecordingJob } from "../../lib/jobs/definitions.ts";
import { ATTEMPT_LEASE_MS, runRecordingFetch } from "../../lib/recordings/fetch.ts";
import { storeRecordingLeg } from "../../lib/recordings/legs.ts";
import { HOUR, MINUTE } from "../../lib/recordings/machine.ts";
import { type AllowList, parseAllowList } from "../../lib/recordings/outbound.ts";
import { bookDueFetches } from "../../lib/recordings/schedule.ts";
import type { RecordingSource } from "../../lib/recordings/source.ts";
import { RECORDING_STATE_MESSAGES } from "../../lib/recordings/states.ts";
import { getRecordingStatus, requestRecordingRetry } from "../../lib/recordings/status.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import { MAX_UPLOAD_BYTES, stage } from "../../lib/storage/staging.ts";
import { startWorker } from "../../worker/index.ts";
import { failingMoveTo, type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { ingestCall } from "../helpers/calls.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { type RecordingServer, startRecordingServer, wav } from "../helpers/recording-server.ts";

// The fetch state machine end to end: calls ingested, attempts run by the worker's own function
// against a real HTTP recording server this test controls (slow, 404, 500, cut-short bodies,
// success), and the row, legs and blobs checked after each.

let t: TestDatabase;
let server: RecordingServer;
let store: TempBlobStore | undefined;
let blobs: BlobStore;
let boss: PgBoss;
let n = 0;
const CUSTOMER = wav(1500);
const AGENT = wav(1200);
const started = new Date("2026-03-29T00:30:00Z"); // the night Europe's clocks go forward
const ended = new Date(started.getTime() + 60_000);
const at = (ms: number) => new Date(ended.getTime() + ms);
const admin = { id: "00000000-0000-4000-8000-000000000001", role: "admin" as const };
const actor = { kind: "system" as const, id: null };

beforeAll(async () => {
  t = await createTestDatabase();
  server = await startRecordingServer();
  store = tempBlobStore("recfetch");
  blobs = store.blobs;
  boss = await startBoss(createBoss(t.url, { application: "parley-test-recfetch" }));
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await server?.close();
  await t?.drop();
  store?.remove();
});

beforeEach(() => {
  server.requests.length = 0;
});

const source = (over: Partial<RecordingSource> = {}): RecordingSource => ({
  urlTemplate: `${server.url}/calls/{callId}/{leg}.wav`,
  authHeader: "Authorization: Bearer s3cret",
  timeoutMs: 2000,
  ...over,
});

/** A fresh ended call; returns its ids and the paths its legs are fetched from. */
async function call() {
  const sessionId = `rf-${++n}`;
  const conversationId = await ingestCall(t.db, { sessionId, startedAt: started });
  const rec = await t.db
    .selectFrom("recordings")
    .selectAll()
    .where("conversation_id", "=", conversationId)
    .executeTakeFirstOrThrow();
  return {
    conversationId,
    recordingId: rec.id,
    customer: `/calls/call-${sessionId}/customer.wav`,
    agent: `/calls/call-${sessionId}/agent.wav`,
  };
}

const fetchAt = (
  recordingId: string,
  now: Date,
  opts: { manual?: boolean; src?: RecordingSource; store?: BlobStore; allow?: AllowList } = {},
) =>
  runRecordingFetch(
    { db: t.db, blobs: opts.store ?? blobs, source: opts.src ?? source(), now: () => now, allow: opts.allow },
    { recordingId, manual: opts.manual ?? false },
  );

const readRecording = (id: string) =>
  t.db.selectFrom("recordings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const readLegs = (id: string) =>
  t.db.selectFrom("recording_legs").selectAll().where("recording_id", "=", id).orderBy("leg_index").execute();

describe("ingest books the first attempt", () => {
  test("a call in progress is call_in_progress; its end books a fetch 10 minutes later", async () => {
    const conversationId = await ingestCall(t.db, { sessionId: "live-1", startedAt: started, ended: false });
    const live = await t.db
      .selectFrom("recordings")
      .selectAll()
      .where("conversation_id", "=", conversationId)
      .executeTakeFirstOrThrow();
    expect(live).toMatchObject({ state: "call_in_progress", next_attempt_at: null });
    await ingestCall(t.db, { sessionId: "live-1", startedAt: started });
    const done = await readRecording(live.id);
    expect(done).toMatchObject({ state: "fetching_in_progress", next_attempt_at: at(10 * MINUTE) });
  });

  test("chats and calls with recording disabled get no recording row", async () => {
    const chat = await ingestCall(t.db, { sessionId: "chat-1", startedAt: started, channel: "chat" });
    const off = await ingestCall(t.db, { sessionId: "off-1", startedAt: started, recordingEnabled: false });
    const rows = await t.db
      .selectFrom("recordings")
      .select("id")
      .where("conversation_id", "in", [chat, off])
      .execute();
    expect(rows).toEqual([]);
    expect(await getRecordingStatus(t.db, admin, off)).toEqual({
      kind: "disabled",
      message: "Call recording is disabled for this conversation.",
      hold: null, // no screen recordings either: nothing a legal hold could keep
    });
  });
});

describe("scheduled attempts against the recording server", () => {
  test("success: both legs stored (hash, size, WAV facts) with the auth header; the recording is available", async () => {
    const c = await call();
    server.set(c.customer, { kind: "audio", body: CUSTOMER });
    server.set(c.agent, { kind: "audio", body: AGENT });
    expect(await fetchAt(c.recordingId, at(9 * MINUTE))).toEqual({ ran: false, reason: "not due" });
    const result = await fetchAt(c.recordingId, at(10 * MINUTE));
    expect(result).toMatchObject({ ran: true, kind: "initial", state: "available", error: null });
    const rec = await readRecording(c.recordingId);
    expect(rec).toMatchObject({
      state: "available",
      fetch_attempts: 1,
      next_attempt_at: null,
      duration_ms: 1500,
      format: "wav",
    });
    const legs = await readLegs(c.recordingId);
    expect(legs.map((l) => [l.leg_index, l.label, l.size_bytes, l.sample_rate, l.duration_ms])).toEqual([
      [0, "customer", String(CUSTOMER.length), 8000, 1500],
      [1, "agent", String(AGENT.length), 8000, 1200],
    ]);
    expect((await blobs.get(legs[0]?.storage_key ?? "")).equals(CUSTOMER)).toBe(true);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(["Bearer s3cret", "Bearer s3cret"]);
    // Settled: a later duplicate job changes nothing and asks the server nothing.
    expect((await fetchAt(c.recordingId, at(2 * HOUR))).ran).toBe(false);
    expect(server.requests).toHaveLength(2);
  });

  test("404: media_unavailable, and the background attempts go on", async () => {
    const c = await call();
    const result = await fetchAt(c.recordingId, at(10 * MINUTE));
    expect(result).toMatchObject({ state: "media_unavailable" });
    expect((await readRecording(c.recordingId)).next_attempt_at).toEqual(at(70 * MINUTE));
    const status = await getRecordingStatus(t.db, admin, c.conversationId);
    expect(status).toMatchObject({
      message: RECORDING_STATE_MESSAGES.media_unavailable,
      retry: { offered: false },
    });
  });

  test("500: initial_fetch_failed with Retry; a Retry that fails too: retry_failed and a 15-minute wait; then success", async () => {
    const c = await call();
    server.set(c.customer, { kind: "status", status: 500 });
    server.set(c.agent, { kind: "status", status: 500 });
    expect(await fetchAt(c.recordingId, at(10 * MINUTE))).toMatchObject({ state: "initial_fetch_failed" });
    expect((await readRecording(c.recordingId)).last_error).toContain("HTTP 500");
    const failed = await getRecordingStatus(t.db, admin, c.conversationId, at(20 * MINUTE));
    expect(failed).toMatchObject({
      message: "We couldn't load the call recording. Please try again.",
      retry: { offered: true, availableAt: null },
    });

    // The user's Retry: the row shows fetching at once and a job is queued for it (same transaction).
    expect(await requestRecordingRetry(t.db, boss, admin, actor, c.conversationId, {}, at(20 * MINUTE))).toBe(
      "fetching_in_progress",
    );
    const jobs = await boss.findJobs(fetchRecordingJob.name, { key: c.recordingId });
    expect(jobs.map((j) => j.data)).toEqual([
      { recordingId: c.recordingId, manual: true, stateBefore: "initial_fetch_failed" },
    ]);
    expect(await fetchAt(c.recordingId, at(20 * MINUTE), { manual: true })).toMatchObject({
      kind: "manual",
      state: "retry_failed",
    });
    const waiting = await getRecordingStatus(t.db, admin, c.conversationId, at(25 * MINUTE));
    expect(waiting).toMatchObject({
      message: "Still unable to fetch the recording. Please try again after 15 minutes.",
      retry: { offered: true, availableAt: at(35 * MINUTE).toISOString() },
    });
    await expect(
      requestRecordingRetry(t.db, boss, admin, actor, c.conversationId, {}, at(25 * MINUTE)),
    ).rejects.toThrow("Still unable to fetch the recording. Please try again after 15 minutes.");

    // A background attempt in between fails too: the user still sees the failed retry.
    expect(await fetchAt(c.recordingId, at(70 * MINUTE))).toMatchObject({
      kind: "background",
      state: "retry_failed",
    });

    server.set(c.customer, { kind: "audio", body: CUSTOMER });
    server.set(c.agent, { kind: "audio", body: AGENT });
    await requestRecordingRetry(t.db, boss, admin, actor, c.conversationId, {}, at(75 * MINUTE));
    expect(await fetchAt(c.recordingId, at(75 * MINUTE), { manual: true })).toMatchObject({
      state: "available",
    });
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "target_id"])
      .where("action", "=", "recording.retry")
      .execute();
    expect(audit.filter((a) => a.target_id === c.recordingId)).toHaveLength(2);
  });

  test("slow server: the attempt times out and fails", async () => {
    const c = await call();
    server.set(c.customer, { kind: "slow", delayMs: 5000, body: CUSTOMER });
    server.set(c.agent, { kind: "slow", delayMs: 5000, body: AGENT });
    const result = await fetchAt(c.recordingId, at(10 * MINUTE), { src: source({ timeoutMs: 300 }) });
    expect(result).toMatchObject({ state: "initial_fetch_failed" });
    expect(result.ran && result.error).toContain("timed out");
  });

  test("a body cut short is a failed download; with the other leg stored it is partial_download_failed", async () => {
    const c = await call();
    server.set(c.customer, { kind: "audio", body: CUSTOMER });
    server.set(c.agent, { kind: "truncated", body: AGENT, sendBytes: 1000 });
    expect(await fetchAt(c.recordingId, at(10 * MINUTE))).toMatchObject({ state: "partial_download_failed" });
    const legs = await readLegs(c.recordingId);
    expect(legs.map((l) => l.leg_index)).toEqual([0]); // nothing half-written is kept
    // Retry fetches only the missing leg.
    server.requests.length = 0;
    server.set(c.agent, { kind: "audio", body: AGENT });
    await requestRecordingRetry(t.db, boss, admin, actor, c.conversationId, {}, at(15 * MINUTE));
    expect(await fetchAt(c.recordingId, at(15 * MINUTE), { manual: true })).toMatchObject({
      state: "available",
    });
    expect(server.requests.map((r) => r.path)).toEqual([c.agent]);
  });

  test("a leg our storage cannot write is partial_upload_failed; both kinds at once: partial_failed", async () => {
    const c = await call();
    server.set(c.customer, { kind: "audio", body: CUSTOMER });
    server.set(c.agent, { kind: "audio", body: AGENT });
    // Storing the agent leg fails (moving it into place).
    const store = failingMoveTo(blobs, `recordings/${c.conversationId}/leg-1.wav`);
    expect(await fetchAt(c.recordingId, at(10 * MINUTE), { store })).toMatchObject({
      state: "partial_upload_failed",
    });
    expect(await blobs.list("staging")).toEqual([]); // the failed leg's download is not left behind
  });

  test("legs ingest registered are fetched from their own URLs, without our auth header; mixed failures: partial_failed", async () => {
    const c = await call();
    const legs = ["customer", "agent", "ai_agent"].map((label, i) => ({
      recording_id: c.recordingId,
      leg_index: i + 1,
      label,
      source_url: `${server.url}/registered/${c.recordingId}/${i + 1}`,
    }));
    await t.db.insertInto("recording_legs").values(legs).execute();
    server.set(`/registered/${c.recordingId}/1`, { kind: "audio", body: CUSTOMER });
    server.set(`/registered/${c.recordingId}/2`, { kind: "status", status: 502 });
    server.set(`/registered/${c.recordingId}/3`, { kind: "audio", body: AGENT });
    const store = failingMoveTo(blobs, `recordings/${c.conversationId}/leg-3.wav`);
    // The test's recording server is on 127.0.0.1: registered URLs reach it only through the allow-list.
    const allow = parseAllowList(["127.0.0.1"]);
    expect(await fetchAt(c.recordingId, at(10 * MINUTE), { allow, store })).toMatchObject({
      state: "partial_failed",
    });
    expect(server.requests.map((r) => r.path)).toEqual(legs.map((l) => new URL(l.source_url).pathname));
    expect(server.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect((await readLegs(c.recordingId)).map((l) => Boolean(l.storage_key))).toEqual([true, false, false]);
  });

  test("a registered leg URL on a loopback address not on the allow-list is refused, never requested", async () => {
    const c = await call();
    await t.db
      .insertInto("recording_legs")
      .values({
        recording_id: c.recordingId,
        leg_index: 0,
        label: "customer",
        source_url: `${server.url}/internal`,
      })
      .execute();
    server.set("/internal", { kind: "audio", body: CUSTOMER });
    const result = await fetchAt(c.recordingId, at(10 * MINUTE));
    expect(result).toMatchObject({ state: "initial_fetch_failed" });
    expect(result.ran && result.error).toMatch(
      /refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1, which is not a public address/,
    );
    expect(server.requests).toEqual([]);
  });

  test("202 with Retry-After: media_in_progress, asked again after it", async () => {
    const c = await call();
    server.set(c.customer, { kind: "status", status: 202, headers: { "retry-after": "120" } });
    server.set(c.agent, { kind: "status", status: 202, headers: { "retry-after": "120" } });
    expect(await fetchAt(c.recordingId, at(10 * MINUTE))).toMatchObject({ state: "media_in_progress" });
    expect((await readRecording(c.recordingId)).next_attempt_at).toEqual(at(12 * MINUTE));
  });

  test("something that is not audio, or a 410 from the server: failed, for good", async () => {
    const c = await call();
    server.set(c.customer, { kind: "status", status: 200, body: "<html>login</html>" });
    server.set(c.agent, { kind: "audio", body: AGENT });
    expect(await fetchAt(c.recordingId, at(10 * MINUTE))).toMatchObject({ state: "failed" });
    expect((await readRecording(c.recordingId)).next_attempt_at).toBeNull();
    const d = await call();
    server.set(d.customer, { kind: "status", status: 410 });
    expect(await fetchAt(d.recordingId, at(10 * MINUTE))).toMatchObject({ state: "failed" });
  });

  test("the 24-hour attempt is the last: failing it is 24hr_retry_failed, without Retry", async () => {
    const c = await call();
    server.set(c.customer, { kind: "status", status: 500 });
    expect(await fetchAt(c.recordingId, at(10 * MINUTE))).toMatchObject({ state: "initial_fetch_failed" });
    await t.db
      .updateTable("recordings")
      .set({ next_attempt_at: at(24 * HOUR) })
      .where("id", "=", c.recordingId)
      .execute();
    expect(await fetchAt(c.recordingId, at(24 * HOUR))).toMatchObject({
      kind: "final",
      state: "24hr_retry_failed",
    });
    expect((await readRecording(c.recordingId)).next_attempt_at).toBeNull();
    expect(await getRecordingStatus(t.db, admin, c.conversationId)).toMatchObject({
      message:
        "We couldn't generate the call recording due to a technical issue. Please contact your administrator for assistance.",
      retry: { offered: false },
    });
  });

  test("no source configured and no legs registered: a failure that says why", async () => {
    const c = await call();
    const result = await runRecordingFetch(
      { db: t.db, blobs, source: null, now: () => at(10 * MINUTE) },
      { recordingId: c.recordingId, manual: false },
    );
    expect(result).toMatchObject({ state: "initial_fetch_failed" });
    expect(result.ran && result.error).toContain("RECORDING_SOURCE_URL");
  });
});

describe("one fetch per recording at a time", () => {
  test("two workers picking up the same attempt: one fetches, the other finds it already claimed", async () => {
    const c = await call();
    server.set(c.customer, { kind: "slow", delayMs: 300, body: CUSTOMER });
    server.set(c.agent, { kind: "slow", delayMs: 300, body: AGENT });
    const results = await Promise.all([
      fetchAt(c.recordingId, at(10 * MINUTE)),
      fetchAt(c.recordingId, at(10 * MINUTE)),
    ]);
    expect(results.filter((r) => r.ran)).toHaveLength(1);
    expect(server.requests).toHaveLength(2); // one request per leg, not two
    expect((await readRecording(c.recordingId)).fetch_attempts).toBe(1);
  });

  test("the dispatcher books each due attempt once an hour, at its time, keyed by recording", async () => {
    const c = await call();
    const now = at(8 * MINUTE);
    await bookDueFetches(t.db, boss, now);
    await bookDueFetches(t.db, boss, now);
    const jobs = await boss.findJobs(fetchRecordingJob.name, { key: c.recordingId });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data).toEqual({ recordingId: c.recordingId, manual: false });
    expect(jobs[0]?.startAfter).toEqual(at(10 * MINUTE));
    // Still due an hour later (its job never ran, say the worker died): booked afresh.
    await bookDueFetches(t.db, boss, new Date(now.getTime() + HOUR));
    expect(await boss.findJobs(fetchRecordingJob.name, { key: c.recordingId })).toHaveLength(2);
  });
});

describe("an attempt whose outcome was never stored", () => {
  test("the 24-hour attempt whose save failed: the job's retry runs it again, counted once", async () => {
    const c = await call();
    server.set(c.customer, { kind: "status", status: 500 });
    await fetchAt(c.recordingId, at(10 * MINUTE));
    await t.db
      .updateTable("recordings")
      .set({ next_attempt_at: at(24 * HOUR) })
      .where("id", "=", c.recordingId)
      .execute();
    // The outcome's transaction fails (here a trigger; in life a lost connection or a killed worker).
    await sql
      .raw(`
create function fail_save() returns trigger language plpgsql as $$ begin raise exception 'save failed'; end $$;
create trigger fail_save before update on recordings for each row
  when (old.id = '${c.recordingId}' and new.state <> 'fetching_in_progress') execute function fail_save();`)
      .execute(t.db);
    try {
      await expect(fetchAt(c.recordingId, at(24 * HOUR))).rejects.toThrow("save failed");
    } finally {
      await sql.raw("drop trigger fail_save on recordings; drop function fail_save();").execute(t.db);
    }
    expect(await readRecording(c.recordingId)).toMatchObject({
      state: "fetching_in_progress",
      next_attempt_at: null, // the dispatcher has nothing scheduled to book
      fetch_attempts: 2,
    });

    // pg-boss retries the job 30 s later: the 24-hour attempt runs again and settles.
    expect(await fetchAt(c.recordingId, at(24 * HOUR + 30_000))).toMatchObject({
      ran: true,
      kind: "final",
      state: "24hr_retry_failed",
    });
    expect(await readRecording(c.recordingId)).toMatchObject({
      state: "24hr_retry_failed",
      fetch_attempts: 2,
      attempt_kind: null,
      attempt_id: null,
      attempt_lease_until: null,
    });
  });

  test("a worker dead mid-download: the dispatcher books the lapsed attempt, one run resumes it, the dead run's late result is dropped", async () => {
    const c = await call();
    server.set(c.customer, { kind: "slow", delayMs: 600, body: CUSTOMER });
    server.set(c.agent, { kind: "slow", delayMs: 600, body: AGENT });
    const claimedAt = at(10 * MINUTE);
    // Never heard from again as far as the row knows: its lease is not renewed in this timeline.
    const dead = fetchAt(c.recordingId, claimedAt);
    for (let i = 0; i < 100 && (await readRecording(c.recordingId)).fetch_attempts === 0; i++)
      await new Promise((r) => setTimeout(r, 10));

    // While the lease holds, another job for the recording leaves the attempt alone.
    expect(await fetchAt(c.recordingId, at(10.5 * MINUTE))).toEqual({
      ran: false,
      reason: "an attempt is running",
    });
    const lapsed = new Date(claimedAt.getTime() + ATTEMPT_LEASE_MS + 1000);
    await bookDueFetches(t.db, boss, lapsed);
    const jobs = await boss.findJobs(fetchRecordingJob.name, { key: c.recordingId });
    expect(jobs.map((j) => j.data)).toEqual([{ recordingId: c.recordingId, manual: false }]);

    const resumed = await fetchAt(c.recordingId, lapsed);
    expect(resumed).toMatchObject({ ran: true, kind: "initial", state: "available" });
    expect(await dead).toEqual({ ran: false, reason: "the attempt was resumed by another run" });
    expect(await readRecording(c.recordingId)).toMatchObject({
      state: "available",
      fetch_attempts: 1,
      attempt_id: null,
    });
    expect((await readLegs(c.recordingId)).map((l) => Boolean(l.storage_key))).toEqual([true, true]);
    await boss.deleteQueuedJobs(fetchRecordingJob.name);
  });

  test("legs uploaded while a fetch downloads them win: their files stay, the fetch keeps nothing and the attempt ends", async () => {
    const c = await call();
    server.set(c.customer, { kind: "slow", delayMs: 600, body: CUSTOMER });
    server.set(c.agent, { kind: "slow", delayMs: 600, body: AGENT });
    const fetching = fetchAt(c.recordingId, at(10 * MINUTE));
    for (let i = 0; i < 100 && (await readRecording(c.recordingId)).fetch_attempts === 0; i++)
      await new Promise((r) => setTimeout(r, 10));

    const uploaded = [wav(900), wav(800)];
    for (const [legIndex, label] of (["customer", "agent"] as const).entries()) {
      const body = new Response(Buffer.from(uploaded[legIndex] ?? [])).body;
      if (!body) throw new Error("no body");
      const staged = await stage(blobs, "upload", body, MAX_UPLOAD_BYTES);
      await storeRecordingLeg(t.db, blobs, c.conversationId, {
        legIndex,
        label,
        participantUserId: null,
        staged,
        format: "wav",
      });
    }
    expect(await fetching).toEqual({ ran: false, reason: "the attempt ended during the fetch (available)" });
    expect(await readRecording(c.recordingId)).toMatchObject({ state: "available", attempt_id: null });
    const legs = await readLegs(c.recordingId);
    for (const [i, leg] of legs.entries())
      expect((await blobs.get(leg.storage_key ?? "")).equals(uploaded[i] ?? new Uint8Array())).toBe(true);
    expect(await blobs.list("staging")).toEqual([]); // the fetch's downloads are gone, not left behind
  });
});

describe("through the worker", () => {
  test("a Retry is picked up by a running worker, which fetches from RECORDING_SOURCE_URL", async () => {
    const c = await call();
    server.set(c.customer, { kind: "status", status: 500 });
    await fetchAt(c.recordingId, at(10 * MINUTE));
    server.set(c.customer, { kind: "audio", body: CUSTOMER });
    server.set(c.agent, { kind: "audio", body: AGENT });
    const env = readEnv({
      RECORDING_SOURCE_URL: `${server.url}/calls/{callId}/{leg}.wav`,
      RECORDING_SOURCE_AUTH_HEADER: "Authorization: Bearer s3cret",
    });
    // Only the Retry may fetch: the earlier tests' calls (in March) would all be due to the
    // worker's own dispatcher, and their queued jobs would run first.
    await t.db.updateTable("recordings").set({ next_attempt_at: null }).execute();
    await boss.deleteQueuedJobs(fetchRecordingJob.name);
    const worker = await startWorker({ databaseUrl: t.url, blobs, env, log: () => {} });
    try {
      await requestRecordingRetry(t.db, boss, admin, actor, c.conversationId);
      const deadline = Date.now() + 15_000;
      let rec = await readRecording(c.recordingId);
      while (rec.state !== "available" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        rec = await readRecording(c.recordingId);
      }
      expect(rec.state).toBe("available");
    } finally {
      await worker.stop();
    }
  });
});
