import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readEnv } from "../../lib/config/env.ts";
import { BlobNotFound, type BlobStore } from "../../lib/storage/blob-store.ts";
import { openBlobStoreAt } from "../../lib/storage/index.ts";
import { serveBlob } from "../../lib/storage/serve.ts";
import { STAGING_MAX_AGE_MS, stagingKey, sweepStaging } from "../../lib/storage/staging.ts";
import { type S3Server, startS3Server } from "../helpers/s3-server.ts";

// The BlobStore contract, run against both implementations: the local folder and S3-compatible
// storage (s3rver on 127.0.0.1). Every write is read back and compared byte for byte: an SDK default
// once stored streamed uploads with their aws-chunked framing, and only the bytes show it.

const BUCKET = "parley-contract";
let s3: S3Server;
const dir = mkdtempSync(path.join(os.tmpdir(), "parley-stores-"));

beforeAll(async () => {
  s3 = await startS3Server({ buckets: [BUCKET] });
});
afterAll(async () => {
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

const backends: [string, () => BlobStore][] = [
  ["local folder", () => openBlobStoreAt(path.join(dir, randomUUID()))],
  ["S3", () => openBlobStoreAt(`s3://${BUCKET}/t-${randomUUID()}`, readEnv({ ...process.env, ...s3.env }))],
];

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Chunks of `data` as a slow network would deliver them. */
function* pieces(data: Buffer, size: number) {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

describe.each(backends)("%s", (_name, open) => {
  test("put and get, head, exists, delete (idempotent), missing blobs", async () => {
    const blobs = open();
    await blobs.check();
    const data = randomBytes(1000);
    await blobs.put("a/b/one.bin", data);
    expect((await blobs.get("a/b/one.bin")).equals(data)).toBe(true);
    expect(await blobs.head("a/b/one.bin")).toMatchObject({ key: "a/b/one.bin", size: 1000 });
    expect(await blobs.exists("a/b/one.bin")).toBe(true);
    await blobs.put("a/b/one.bin", "replaced");
    expect((await blobs.get("a/b/one.bin")).toString()).toBe("replaced");
    await blobs.delete("a/b/one.bin");
    await blobs.delete("a/b/one.bin");
    expect(await blobs.head("a/b/one.bin")).toBeNull();
    await expect(blobs.get("a/b/one.bin")).rejects.toBeInstanceOf(BlobNotFound);
    await expect(blobs.stream("a/b/one.bin")).rejects.toBeInstanceOf(BlobNotFound);
    await expect(blobs.move("a/b/one.bin", "a/b/two.bin")).rejects.toBeInstanceOf(BlobNotFound);
    await expect(blobs.put("../escape", "x")).rejects.toThrow(/Invalid blob key/);
  });

  test("a 12 MB stream is stored in parts and reads back identical, whole and by range", async () => {
    const blobs = open();
    const data = randomBytes(12 * 1024 * 1024 + 17);
    const size = await blobs.putStream("big/file.bin", Readable.from(pieces(data, 64 * 1024)));
    expect(size).toBe(data.length);
    expect((await bytesOf(await blobs.stream("big/file.bin"))).equals(data)).toBe(true);
    const [start, end] = [5_000_000, 5_000_999];
    const part = await bytesOf(await blobs.stream("big/file.bin", { start, end }));
    expect(part.equals(data.subarray(start, end + 1))).toBe(true);
    // A web stream is a source too (a request body).
    const small = randomBytes(1000);
    await blobs.putStream("big/web.bin", Readable.toWeb(Readable.from(pieces(small, 100))) as ReadableStream);
    expect((await blobs.get("big/web.bin")).equals(small)).toBe(true);
  });

  test("a source that fails leaves nothing behind", async () => {
    const blobs = open();
    async function* failing() {
      yield randomBytes(1000);
      throw new Error("sender went away");
    }
    await expect(blobs.putStream("half/file.bin", failing())).rejects.toThrow("sender went away");
    expect(await blobs.exists("half/file.bin")).toBe(false);
    expect(await blobs.list("half")).toEqual([]);
  });

  test("list by prefix (deep), move from staging", async () => {
    const blobs = open();
    for (const key of ["exports/1/a.csv", "exports/1/sub/b.csv", "exports/10/c.csv", "staging/x"])
      await blobs.put(key, key);
    expect((await blobs.list("exports/1")).map((b) => [b.key, b.size])).toEqual([
      ["exports/1/a.csv", 15],
      ["exports/1/sub/b.csv", 19],
    ]);
    expect(await blobs.list("nothing/here")).toEqual([]);
    await blobs.move("staging/x", "recordings/c/leg-0.wav");
    expect((await blobs.get("recordings/c/leg-0.wav")).toString()).toBe("staging/x");
    expect(await blobs.exists("staging/x")).toBe(false);
  });
});

describe.each(backends)("%s: staging sweep", (_name, open) => {
  test("deletes staging blobs older than a day by the store's own write time, and nothing else", async () => {
    const blobs = open();
    const staged = stagingKey("upload");
    await blobs.put(staged, "abandoned");
    await blobs.put("recordings/c1/leg-0.wav", "kept");
    const written = (await blobs.head(staged))?.modifiedAt.getTime() ?? 0;
    expect(Math.abs(written - Date.now())).toBeLessThan(60_000); // the store's clock, near ours
    // Exactly a day old: possibly a long transfer still being written; a millisecond more: abandoned.
    expect(await sweepStaging(blobs, new Date(written + STAGING_MAX_AGE_MS))).toBe(0);
    expect((await blobs.get(staged)).toString()).toBe("abandoned");
    expect(await sweepStaging(blobs, new Date(written + STAGING_MAX_AGE_MS + 1))).toBe(1);
    expect(await blobs.exists(staged)).toBe(false);
    expect((await blobs.get("recordings/c1/leg-0.wav")).toString()).toBe("kept");
  });
});

test("S3: a Range request for the middle of a recording reads only that range from the object store", async () => {
  const blobs = backends[1]?.[1]() as BlobStore;
  // A real recording: 5 minutes of 8 kHz noise as FLAC (noise barely compresses: ~4 MB).
  const file = path.join(dir, "recording.flac");
  execFileSync("ffmpeg", [
    "-v",
    "error",
    "-f",
    "lavfi",
    "-i",
    "anoisesrc=d=300:r=8000",
    "-sample_fmt",
    "s16",
    file,
  ]);
  const flac = readFileSync(file);
  await blobs.putStream("recordings/c1/merged.flac", Readable.from(pieces(flac, 256 * 1024)));
  const before = s3.requests.length;

  const [start, end] = [Math.floor(flac.length / 2), Math.floor(flac.length / 2) + 65_535];
  const request = new Request("http://parley.test/audio", { headers: { range: `bytes=${start}-${end}` } });
  const res = await serveBlob(request, blobs, "recordings/c1/merged.flac", { contentType: "audio/flac" }, 0);
  expect(res.status).toBe(206);
  expect(res.headers.get("content-range")).toBe(`bytes ${start}-${end}/${flac.length}`);
  const body = Buffer.from(await res.arrayBuffer());
  expect(body.equals(flac.subarray(start, end + 1))).toBe(true);

  const asked = s3.requests.slice(before);
  expect(asked.map((r) => [r.method, r.range])).toEqual([
    ["HEAD", undefined],
    ["GET", `bytes=${start}-${end}`],
  ]);
  const served = asked.reduce((n, r) => n + r.bytes, 0);
  expect(served).toBe(65_536); // the range, not the 4 MB object
  expect(flac.length).toBeGreaterThan(50 * served);

  // The whole file read back is still a valid FLAC (flac's own check, MD5 included).
  const back = path.join(dir, "back.flac");
  const { writeFile } = await import("node:fs/promises");
  await writeFile(back, await blobs.get("recordings/c1/merged.flac"));
  execFileSync("flac", ["-t", "-s", back]);
});

test("S3: with presigned downloads on, the answer is a redirect to a URL that serves the same bytes", async () => {
  const blobs = backends[1]?.[1]() as BlobStore;
  const data = randomBytes(5000);
  await blobs.put("exports/e1/file.csv", data);
  const res = await serveBlob(
    new Request("http://parley.test/dl"),
    blobs,
    "exports/e1/file.csv",
    { contentType: "text/csv", fileName: "file.csv" },
    60,
  );
  expect(res.status).toBe(302);
  const location = res.headers.get("location") ?? "";
  expect(location.startsWith(`${s3.endpoint}/${BUCKET}/`)).toBe(true);
  expect(location).toContain("X-Amz-Expires=60");
  const direct = await fetch(location);
  expect(direct.status).toBe(200);
  expect(direct.headers.get("content-disposition")).toBe('attachment; filename="file.csv"');
  expect(Buffer.from(await direct.arrayBuffer()).equals(data)).toBe(true);
  // Without presigning (the default), the local store streams it itself.
  const local = backends[0]?.[1]() as BlobStore;
  await local.put("exports/e1/file.csv", data);
  const streamed = await serveBlob(
    new Request("http://parley.test/dl"),
    local,
    "exports/e1/file.csv",
    {
      contentType: "text/csv",
    },
    60,
  );
  expect(streamed.status).toBe(200);
  expect(Buffer.from(await streamed.arrayBuffer()).equals(data)).toBe(true);
});
