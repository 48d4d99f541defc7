import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createBoss } from "../../lib/jobs/boss.ts";
import { eachJob } from "../../worker/context.ts";
import { wakeForRetries } from "../../worker/retry-wake.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// A failed job on a notify queue is retried when its retry is due (retryDelay), not at the worker's
// next backstop poll: pg-boss sends no NOTIFY for a retry, the failing worker wakes itself.

const QUEUE = "test.flaky";
const POLL_SECONDS = 60; // the backstop poll, far beyond the test's wait

let t: TestDatabase;
let boss: PgBoss;

beforeAll(async () => {
  t = await createTestDatabase();
  boss = createBoss(t.url, { application: "parley-test-retry-wake" });
  boss.on("error", () => {});
  await boss.start();
  await boss.createQueue(QUEUE, { notify: true, retryLimit: 2, retryDelay: 1, retryBackoff: true });
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await t?.drop();
});

it.each([
  ["woken when due", true],
  ["left to the backstop poll", false],
] as const)(
  "a failed job's retry: %s",
  async (_name, wake) => {
    const attempts: number[] = [];
    const handler = eachJob({ db: t.db, blobs: undefined as never, log: () => {} }, async () => {
      attempts.push(Date.now());
      if (attempts.length === 1) throw new Error("the first attempt fails");
    });
    let workerId: string | undefined;
    workerId = await boss.work(
      QUEUE,
      {
        batchSize: 1,
        pollingIntervalSeconds: POLL_SECONDS,
        notifyPollingIntervalSeconds: POLL_SECONDS,
        perJobResults: true,
      },
      wake ? wakeForRetries(boss, QUEUE, () => workerId, handler) : handler,
    );
    try {
      const id = await boss.send(QUEUE, {});
      // Retried after 1–2 s (retryDelay 1 with backoff); the poll would take a minute.
      if (!wake) {
        // What the wake-up is for: once the retry is due (pg-boss says so: state "retry", its start
        // time passed), nothing has run it — the worker's next poll is a minute away.
        await expect
          .poll(
            async () => {
              const job = id ? await boss.getJobById(QUEUE, id) : null;
              return job?.state === "retry" && job.startAfter.getTime() <= Date.now();
            },
            { timeout: 5_000 },
          )
          .toBe(true);
        expect(attempts).toHaveLength(1);
        return;
      }
      await expect.poll(() => attempts.length, { timeout: 5_000 }).toBe(2);
      const job = id ? await boss.getJobById(QUEUE, id) : null;
      await expect
        .poll(async () => (id ? (await boss.getJobById(QUEUE, id))?.state : null))
        .toBe("completed");
      expect(job?.retryCount).toBe(1);
    } finally {
      await boss.offWork(QUEUE);
    }
  },
  20_000,
);
