import type { Job } from "pg-boss";
import { expect, test } from "vitest";
import { metrics } from "../lib/observability/metrics.ts";
import { currentRequestId, JOB_REQUEST_ID } from "../lib/observability/request-id.ts";
import { eachJob, type WorkerContext } from "./context.ts";

const ctx = { log: () => {} } as unknown as WorkerContext;
const job = (id: string, data: object, retryCount = 0) =>
  ({ id, name: "test.queue", data, retryCount }) as unknown as Job<unknown>;
const value = async (name: string, labels: Record<string, string>) =>
  (await metrics().registry.getSingleMetric(name)?.get())?.values.find((v) =>
    Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  )?.value ?? 0;

test("a job runs under the id of the request that enqueued it (or its own), and is counted", async () => {
  const seen: (string | undefined)[] = [];
  const handler = eachJob(ctx, async (j) => {
    seen.push(currentRequestId());
    if (j.id === "b") throw new Error("boom");
  });
  const before = {
    started: await value("parley_jobs_started_total", { queue: "test.queue" }),
    failed: await value("parley_jobs_failed_total", { queue: "test.queue" }),
    retried: await value("parley_jobs_retried_total", { queue: "test.queue" }),
  };
  const results = await handler([job("a", { [JOB_REQUEST_ID]: "req-0123456789" }), job("b", {}, 2)]);
  expect(seen).toEqual(["req-0123456789", "job:b"]);
  expect(results.map((r) => r.status)).toEqual(["completed", "failed"]);
  expect(await value("parley_jobs_started_total", { queue: "test.queue" })).toBe(before.started + 2);
  expect(await value("parley_jobs_failed_total", { queue: "test.queue" })).toBe(before.failed + 1);
  expect(await value("parley_jobs_retried_total", { queue: "test.queue" })).toBe(before.retried + 1);
  expect(await metrics().registry.metrics()).toMatch(
    /parley_job_duration_seconds_count\{queue="test.queue",outcome="completed"\} 1\n/,
  );
});
