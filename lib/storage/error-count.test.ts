import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { metrics } from "../observability/metrics.ts";
import { openBlobStoreAt } from "./index.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "parley-blob-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errors = async (operation: string) =>
  (await metrics().blobErrors.get()).values.find((v) => v.labels.operation === operation)?.value ?? 0;

test("failed blob store operations are counted on the metrics; a missing blob is not a failure", async () => {
  const store = openBlobStoreAt(dir);
  const before = { get: await errors("get"), put: await errors("put") };
  await expect(store.get("exports/none.csv")).rejects.toMatchObject({ code: "ENOENT" });
  expect(await errors("get")).toBe(before.get);
  await expect(store.put("../escape", "x")).rejects.toThrow(/Invalid blob key/);
  expect(await errors("put")).toBe(before.put + 1);
  await store.put("ok/file.txt", "bytes");
  expect((await store.get("ok/file.txt")).toString()).toBe("bytes");
  expect(await errors("put")).toBe(before.put + 1);
});
