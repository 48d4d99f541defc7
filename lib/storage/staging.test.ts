import { promises as fs } from "node:fs";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { tempBlobStore } from "../../tests/helpers/blobs.ts";
import { STAGING_MAX_AGE_MS, stagingKey, sweepStaging } from "./staging.ts";

const store = tempBlobStore("staging");
afterAll(() => store.remove());

test("the sweep deletes staging files abandoned over a day ago, and nothing else", async () => {
  const { blobs } = store;
  const now = new Date("2026-11-25T12:00:00Z");
  const [abandoned, receiving] = [stagingKey("upload"), stagingKey("recording")];
  for (const key of [abandoned, receiving, "recordings/c1/leg-0.wav"]) await blobs.put(key, "bytes");
  // Ages set on the files themselves (the folder store's modification times).
  const age = async (key: string, ms: number) => {
    const at = new Date(now.getTime() - ms);
    await fs.utimes(path.join(store.env.PARLEY_BLOB_URL ?? "", key), at, at);
  };
  await age(abandoned, STAGING_MAX_AGE_MS + 60_000);
  await age(receiving, STAGING_MAX_AGE_MS - 60_000); // a long transfer still being written
  await age("recordings/c1/leg-0.wav", 30 * STAGING_MAX_AGE_MS); // a stored file, however old

  expect(await sweepStaging(blobs, now)).toBe(1);
  expect(await blobs.exists(abandoned)).toBe(false);
  expect(await blobs.exists(receiving)).toBe(true);
  expect(await blobs.exists("recordings/c1/leg-0.wav")).toBe(true);
  expect(await sweepStaging(blobs, now)).toBe(0);
});
