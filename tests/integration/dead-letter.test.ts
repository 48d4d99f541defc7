import { randomUUID } from "node:crypto";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { UserViewer } from "../../lib/auth/scope.ts";
import { readEnv } from "../../lib/config/env.ts";
import { CAPTURE_NOT_PARSED } from "../../lib/diagnostics/store.ts";
import { EXPORT_FAILED } from "../../lib/exports/kinds.ts";
import { requestExport, retryExport } from "../../lib/exports/requests.ts";
import { createBoss, startBoss } from "../../lib/jobs/boss.ts";
import {
  buildExportJob,
  failCaptureParseJob,
  failExportBuildJob,
  failPlatformActionJob,
  parseCaptureJob,
  sendPlatformActionJob,
} from "../../lib/jobs/definitions.ts";
import { enqueue } from "../../lib/jobs/enqueue.ts";
import { requestPlatformAction } from "../../lib/platform/actions.ts";
import { openBlobStoreAt } from "../../lib/storage/index.ts";
import { buildExportHandler } from "../../worker/handlers/build-export.ts";
import { startWorker } from "../../worker/index.ts";
import { handlers } from "../../worker/registry.ts";
import { type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { insertConversation, insertUser } from "../helpers/exports.ts";

// A job with no attempt left ends its row in the failed state, however the last attempt ended. The
// worker killed (SIGKILL, out of memory) leaves its claimed job active with nobody to settle it:
// claiming the job with fetch() and never settling it is exactly that. pg-boss's supervise pass
// then expires it (a lost heartbeat takes the same path) and, as it was the last attempt, copies
// it to the queue's dead-letter queue, whose handler in the worker fails the row. The test jobs
// get retryLimit 0 and a 1 s expiry, so the first claim is the last and dies within a second.

let t: TestDatabase;
let store: TempBlobStore;
let sender: PgBoss;
let supervisor: PgBoss;
let admin: UserViewer;
const ctx = () => ({ db: t.db, blobs: store.blobs, log: () => {} });

beforeAll(async () => {
  t = await createTestDatabase();
  store = tempBlobStore("dead-letter");
  sender = await startBoss(createBoss(t.url, { application: "parley-test-dead-letter" }));
  sender.on("error", () => {});
  // pg-boss expires jobs in its supervise pass, at most once per queue per monitorIntervalSeconds
  // (60 s by default): an instance that may do so every second, so the test does not wait a minute.
  supervisor = new PgBoss({ connectionString: t.url, supervise: false, monitorIntervalSeconds: 1 });
  supervisor.on("error", () => {});
  await supervisor.start();
  admin = { id: await insertUser(t.db, "Ada Admin", "admin"), role: "admin" };
});

afterAll(async () => {
  await supervisor?.stop({ graceful: false });
  await sender?.stop({ graceful: false });
  await t?.drop();
  store?.remove();
});

/** Claims the job as its last attempt and abandons it, as a worker killed while running it does. */
async function dieOnLastAttempt(queue: string, jobId: string) {
  const { updated } = await sender.update(queue, undefined, { id: jobId, retryLimit: 0, expireInSeconds: 1 });
  expect(updated).toBe(1);
  const claimed = await sender.fetch(queue, { batchSize: 10 });
  expect(claimed.map((j) => j.id)).toEqual([jobId]);
}

/** Runs pg-boss's supervise pass for `queue` until `done` holds. */
async function superviseUntil<T>(queue: string, read: () => Promise<T>, done: (value: T) => boolean) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await supervisor.supervise(queue);
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The real worker (its handlers, dead-letter ones included), started once the job was abandoned. */
async function withWorker<T>(run: () => Promise<T>): Promise<T> {
  const worker = await startWorker({
    databaseUrl: t.url,
    blobs: store.blobs,
    env: readEnv({}),
    log: () => {},
  });
  try {
    return await run();
  } finally {
    await worker.stop();
  }
}

const exportRow = (id: string) =>
  t.db
    .selectFrom("exports")
    .select(["status", "error", "job_id", "finished_at"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();

const failedNotices = (exportId: string) =>
  t.db
    .selectFrom("notifications")
    .select("id")
    .where("kind", "=", "export.failed")
    .where("data", "@>", JSON.stringify({ exportId }))
    .execute();

/** An export request, and the job it enqueued. */
async function requestTranscripts() {
  const conversation = await insertConversation(t.db, { messages: [{ speaker: "customer", body: "Hi" }] });
  const started = await requestExport(t.db, sender, admin, {
    kind: "transcripts",
    selection: { ids: [conversation] },
  });
  const { job_id: jobId } = await exportRow(started.id);
  if (!jobId) throw new Error("export without its job id");
  return { started, jobId };
}

/** A capture row of the conversation, its file never stored. */
async function insertCapture(conversationId: string, state: "pending" | "parsed" = "pending") {
  const id = randomUUID();
  await t.db
    .insertInto("sip_captures")
    .values({
      id,
      conversation_id: conversationId,
      storage_key: `captures/${id}.pcap`,
      format: "pcap",
      size_bytes: 0,
      state,
    })
    .execute();
  return id;
}

/** A fake dead-letter copy of job `sourceId`, as the worker's handler receives it. */
const deadLetter = (name: string, data: object, sourceId: string) =>
  ({ id: randomUUID(), name, data, sourceId, retryCount: 0 }) as never;

describe("a job that dies on its last attempt", () => {
  test("an export ends failed with the Retry message and one notice, and Retry then builds it", async () => {
    const { started, jobId } = await requestTranscripts();
    await dieOnLastAttempt(buildExportJob.name, jobId);
    // Where the killed worker left it: buildExportFile had marked it running.
    await t.db.updateTable("exports").set({ status: "running" }).where("id", "=", started.id).execute();

    await withWorker(async () => {
      const failed = await superviseUntil(
        buildExportJob.name,
        () => exportRow(started.id),
        (r) => r.status !== "running",
      );
      expect(failed).toMatchObject({ status: "failed", error: EXPORT_FAILED });
      expect(await failedNotices(started.id)).toHaveLength(1);

      await retryExport(t.db, sender, admin, started.id);
      const done = await superviseUntil(
        buildExportJob.name,
        () => exportRow(started.id),
        (r) => r.status === "succeeded" || r.status === "failed",
      );
      expect(done).toMatchObject({ status: "succeeded", error: null });
      expect(done.job_id).not.toBe(jobId);
    });
    // Only the dead job was dead-lettered; the one that succeeded was not.
    expect(await sender.findJobs(failExportBuildJob.name, { data: { exportId: started.id } })).toHaveLength(
      1,
    );
    expect(await failedNotices(started.id)).toHaveLength(1);
  }, 60_000);

  test("a supervisor action ends failed instead of pending, keeping its last delivery error", async () => {
    const conversation = await t.db
      .insertInto("conversations")
      .values({
        session_id: `dl-${randomUUID()}`,
        direction: "inbound",
        language: "en-US",
        channel: "chat",
        status: "in_progress",
        started_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const { actionId } = await requestPlatformAction(
      t.db,
      sender,
      { viewer: admin, actor: { kind: "user", id: admin.id } },
      conversation.id,
      { kind: "join" },
    );
    const [job] = await sender.findJobs(sendPlatformActionJob.name, { data: { actionId } });
    if (!job) throw new Error("action without its job");
    await dieOnLastAttempt(sendPlatformActionJob.name, job.id);
    // An earlier attempt's refusal, as sendPlatformAction records it.
    const refused = "The platform answered HTTP 503";
    await t.db
      .updateTable("platform_actions")
      .set({ attempts: 1, last_error: refused })
      .where("id", "=", actionId)
      .execute();

    const row = await withWorker(() =>
      superviseUntil(
        sendPlatformActionJob.name,
        () =>
          t.db
            .selectFrom("platform_actions")
            .selectAll()
            .where("id", "=", actionId)
            .executeTakeFirstOrThrow(),
        (r) => r.status !== "pending",
      ),
    );
    expect(row).toMatchObject({ status: "failed", attempts: 1, last_error: refused });
  }, 60_000);

  test("a SIP capture ends failed with the reason the Diagnostics panel shows, not pending", async () => {
    const captureId = await insertCapture(await insertConversation(t.db));
    const jobId = await enqueue(sender, parseCaptureJob, { captureId });
    if (!jobId) throw new Error("capture without its job");
    await dieOnLastAttempt(parseCaptureJob.name, jobId);

    const row = await withWorker(() =>
      superviseUntil(
        parseCaptureJob.name,
        () =>
          t.db
            .selectFrom("sip_captures")
            .select(["state", "error"])
            .where("id", "=", captureId)
            .executeTakeFirstOrThrow(),
        (r) => r.state !== "pending",
      ),
    );
    expect(row).toEqual({ state: "failed", error: CAPTURE_NOT_PARSED });
  }, 60_000);
});

describe("a dead letter changes only a row its job left in progress", () => {
  test("an export its last attempt failed already: no second failure; after Retry: the new run is left alone", async () => {
    const { started, jobId } = await requestTranscripts();
    // The last attempt throws (the blob store is not writable): the handler fails the export itself.
    const broken = openBlobStoreAt("/dev/null/blobs");
    const [result] = await buildExportHandler({ ...ctx(), blobs: broken })([
      {
        id: jobId,
        name: buildExportJob.name,
        data: { exportId: started.id },
        retryCount: buildExportJob.queue.retryLimit,
      } as never,
    ]);
    expect(result?.status).toBe("failed");
    const failed = await exportRow(started.id);
    expect(failed).toMatchObject({ status: "failed", error: EXPORT_FAILED });

    const handler = handlers[failExportBuildJob.name](ctx());
    const dead = deadLetter(failExportBuildJob.name, { exportId: started.id }, jobId);
    expect(await handler([dead])).toEqual([expect.objectContaining({ status: "completed" })]);
    expect(await exportRow(started.id)).toEqual(failed); // same finish time: not failed twice
    expect(await failedNotices(started.id)).toHaveLength(1);

    // Retried before the dead letter came through: it belongs to the old job, not to this run.
    await retryExport(t.db, sender, admin, started.id);
    await handler([deadLetter(failExportBuildJob.name, { exportId: started.id }, jobId)]);
    expect(await exportRow(started.id)).toMatchObject({ status: "queued", error: null });
  });

  test("a settled action or capture is never failed by a late dead letter", async () => {
    const conversation = await insertConversation(t.db);
    const actions = await t.db
      .insertInto("platform_actions")
      .values(
        (["sent", "confirmed"] as const).map((status) => ({
          conversation_id: conversation,
          requested_by: admin.id,
          kind: "join" as const,
          payload: "{}",
          status,
        })),
      )
      .returning(["id", "status"])
      .execute();
    const captureId = await insertCapture(conversation, "parsed");

    const jobs = actions.map((a) => deadLetter(failPlatformActionJob.name, { actionId: a.id }, randomUUID()));
    await handlers[failPlatformActionJob.name](ctx())(jobs);
    await handlers[failCaptureParseJob.name](ctx())([
      deadLetter(failCaptureParseJob.name, { captureId }, randomUUID()),
    ]);
    const after = await t.db
      .selectFrom("platform_actions")
      .select(["id", "status"])
      .where("conversation_id", "=", conversation)
      .execute();
    expect(new Map(after.map((a) => [a.id, a.status]))).toEqual(
      new Map(actions.map((a) => [a.id, a.status])),
    );
    const capture = await t.db
      .selectFrom("sip_captures")
      .select("state")
      .where("id", "=", captureId)
      .executeTakeFirstOrThrow();
    expect(capture.state).toBe("parsed");
  });
});

test("start-up gives an existing installation's queues their dead-letter queues", async () => {
  const old = await createTestDatabase();
  const boss = createBoss(old.url, { application: "parley-test-upgrade" });
  boss.on("error", () => {});
  try {
    await boss.start();
    // The queues as the previous release created them: no dead-letter queue, none of those exist.
    for (const def of [buildExportJob, sendPlatformActionJob, parseCaptureJob]) {
      const { deadLetter: _, ...before } = def.queue;
      await boss.createQueue(def.name, before);
    }
    await startBoss(boss);
    const queues = await boss.getQueues([
      buildExportJob.name,
      sendPlatformActionJob.name,
      parseCaptureJob.name,
    ]);
    expect(Object.fromEntries(queues.map((q) => [q.name, q.deadLetter]))).toEqual({
      [buildExportJob.name]: failExportBuildJob.name,
      [sendPlatformActionJob.name]: failPlatformActionJob.name,
      [parseCaptureJob.name]: failCaptureParseJob.name,
    });
  } finally {
    await boss.stop({ graceful: false });
    await old.drop();
  }
});
