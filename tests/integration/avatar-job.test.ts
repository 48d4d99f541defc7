import { randomUUID } from "node:crypto";
import type { Job, PgBoss } from "pg-boss";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { processAvatar } from "../../lib/avatars/process.ts";
import { createBoss, startBoss } from "../../lib/jobs/boss.ts";
import { processAvatarJob } from "../../lib/jobs/definitions.ts";
import { enqueue } from "../../lib/jobs/enqueue.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import { processAvatarHandler } from "../../worker/handlers/process-avatar.ts";
import { startWorker } from "../../worker/index.ts";
import { type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let t: TestDatabase;
let store: TempBlobStore | undefined;
let blobs: BlobStore;
const quiet = () => {};

beforeAll(async () => {
  t = await createTestDatabase();
  store = tempBlobStore("avatars");
  blobs = store.blobs;
});

afterAll(async () => {
  await t?.drop();
  store?.remove();
});

/** A user whose uploaded picture is a 300×200 PNG (not square, so the cover crop matters). */
async function insertUser(opts: { source?: "file" | "missing-file" | "none" } = {}): Promise<string> {
  const id = randomUUID();
  const sourceKey = opts.source === "none" ? null : `avatars/${id}/source.png`;
  if (sourceKey && (opts.source ?? "file") === "file") {
    const png = await sharp({
      create: { width: 300, height: 200, channels: 3, background: { r: 30, g: 120, b: 200 } },
    })
      .png()
      .toBuffer();
    await blobs.put(sourceKey, png);
  }
  await t.db
    .insertInto("users")
    .values({ id, email: `${id}@example.test`, name: "Avatar Test", avatar_source_key: sourceKey })
    .execute();
  return id;
}

async function readUser(id: string) {
  return t.db
    .selectFrom("users")
    .select(["avatar_64_key", "avatar_128_key", "avatar_updated_at"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

async function expectWebp(key: string, size: number) {
  const meta = await sharp(await blobs.get(key)).metadata();
  expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
    format: "webp",
    width: size,
    height: size,
  });
}

async function heartbeatCount(workerId: string): Promise<number> {
  const rows = await t.db
    .selectFrom("worker_heartbeats")
    .where("worker_id", "=", workerId)
    .select("pid")
    .execute();
  return rows.length;
}

describe("users.process-avatar through the worker", () => {
  let boss: PgBoss | undefined;
  afterAll(async () => {
    await boss?.stop({ graceful: false });
  });

  test("an enqueued job is picked up at once and renders both sizes; the heartbeat lives with the worker", async () => {
    const worker = await startWorker({ databaseUrl: t.url, blobs, log: quiet });
    try {
      expect(await heartbeatCount(worker.workerId)).toBe(1);
      const userId = await insertUser();

      // Enqueued the way the app does it: a separate pg-boss instance in another "process".
      boss = await startBoss(createBoss(t.url, { application: "parley-test-enqueue" }));
      const jobId = await enqueue(boss, processAvatarJob, { userId });
      expect(jobId).toBeTruthy();

      const deadline = Date.now() + 10_000;
      let user = await readUser(userId);
      while (!user.avatar_64_key && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        user = await readUser(userId);
      }
      expect(user.avatar_64_key).toBe(`avatars/${userId}/64.webp`);
      expect(user.avatar_128_key).toBe(`avatars/${userId}/128.webp`);
      expect(user.avatar_updated_at).toBeInstanceOf(Date);
      await expectWebp(`avatars/${userId}/64.webp`, 64);
      await expectWebp(`avatars/${userId}/128.webp`, 128);

      // Pickup latency by the database's own clock (created → started). LISTEN/NOTIFY makes this
      // milliseconds; with polling alone it would be 2–6 s (see NOTES), which this bound catches.
      const [job] = await boss.findJobs(processAvatarJob.name, { id: jobId as string });
      expect(job?.startedOn).toBeInstanceOf(Date);
      const pickupMs = (job?.startedOn.getTime() ?? 0) - (job?.createdOn.getTime() ?? 0);
      console.log(`[avatar-job.test] pickup latency (enqueue → handler start): ${pickupMs} ms`);
      expect(pickupMs).toBeLessThan(1000);
    } finally {
      await worker.stop();
    }
    expect(await heartbeatCount(worker.workerId)).toBe(0);
  });
});

describe("processAvatar", () => {
  test("is idempotent: a second run writes nothing and leaves the row as it was", async () => {
    const userId = await insertUser();
    const first = await processAvatar(t.db, blobs, userId, quiet);
    expect(first.status).toBe("processed");
    const afterFirst = await readUser(userId);
    const bytes64 = await blobs.get(`avatars/${userId}/64.webp`);
    const bytes128 = await blobs.get(`avatars/${userId}/128.webp`);

    const second = await processAvatar(t.db, blobs, userId, quiet);
    expect(second).toEqual({ ...first, status: "unchanged" });
    expect(await readUser(userId)).toEqual(afterFirst);
    expect((await blobs.get(`avatars/${userId}/64.webp`)).equals(bytes64)).toBe(true);
    expect((await blobs.get(`avatars/${userId}/128.webp`)).equals(bytes128)).toBe(true);
    await expectWebp(`avatars/${userId}/64.webp`, 64);
  });

  test("a missing user or a user without a picture completes with a log line", async () => {
    const lines: string[] = [];
    const noUser = randomUUID();
    expect(await processAvatar(t.db, blobs, noUser, (l) => lines.push(l))).toEqual({
      status: "skipped",
      reason: "no-user",
    });
    const noSource = await insertUser({ source: "none" });
    expect(await processAvatar(t.db, blobs, noSource, (l) => lines.push(l))).toEqual({
      status: "skipped",
      reason: "no-source",
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(noUser);
    expect(await readUser(noSource)).toMatchObject({ avatar_64_key: null, avatar_128_key: null });
  });

  test("a source key whose file is missing throws, so pg-boss retries", async () => {
    const userId = await insertUser({ source: "missing-file" });
    await expect(processAvatar(t.db, blobs, userId, quiet)).rejects.toThrow(/is missing/);
    expect(await readUser(userId)).toMatchObject({ avatar_64_key: null, avatar_updated_at: null });
  });
});

describe("the process-avatar handler", () => {
  test("settles each job of a batch on its own", async () => {
    const ok = await insertUser();
    const missingFile = await insertUser({ source: "missing-file" });
    const lines: string[] = [];
    const handler = processAvatarHandler({ db: t.db, blobs, log: (l) => lines.push(l) });
    const job = (id: string, data: unknown) => ({ id, name: processAvatarJob.name, data }) as Job<unknown>;

    const results = await handler([
      job("a", { userId: ok }),
      job("b", { userId: missingFile }),
      job("c", { userId: "not-a-uuid" }),
    ]);

    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["a", "completed"],
      ["b", "failed"], // retried per the queue's policy
      ["c", "deadletter"], // no retry can fix a payload the schema rejects
    ]);
    expect((await readUser(ok)).avatar_64_key).toBe(`avatars/${ok}/64.webp`);
    // One line for the failure, one for the rejected payload (job start lines aside).
    expect(lines.filter((l) => / (failed|rejected)/.test(l))).toHaveLength(2);
  });
});
