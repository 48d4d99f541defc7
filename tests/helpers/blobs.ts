import { randomUUID } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { inject } from "vitest";
import { readEnv } from "../../lib/config/env.ts";
import { type BlobStore, openBlobStore } from "../../lib/storage/index.ts";

export type TempBlobStore = {
  blobs: BlobStore;
  /** A scratch folder of the test's own (for files a test writes beside the store). */
  dir: string;
  remove: () => void;
  /** The environment variables that open this same store (for a route handler or a spawned worker). */
  env: Record<string, string>;
};

/**
 * A fresh, empty blob store: a folder under the system's temp dir, or — in the S3 run
 * (vitest project "s3", whose global setup starts an S3-compatible server on 127.0.0.1) — a fresh
 * prefix in its bucket. `remove` deletes the folder (the S3 server's files go with the run).
 */
export function tempBlobStore(name: string): TempBlobStore {
  const dir = mkdtempSync(path.join(os.tmpdir(), `parley-${name}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const s3 = s3TestEnv();
  const env = s3
    ? { ...s3.vars, PARLEY_BLOB_URL: `s3://${s3.bucket}/${name}-${randomUUID()}` }
    : { PARLEY_BLOB_URL: path.join(dir, "blobs") };
  return { blobs: openBlobStore(readEnv({ ...process.env, ...env })), dir, remove, env };
}

/** The S3 run's server and bucket, or null in the ordinary run. */
export function s3TestEnv() {
  const endpoint = inject("s3Endpoint");
  if (!endpoint) return null;
  // s3rver's fixed credentials.
  const vars = {
    PARLEY_S3_ENDPOINT: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
  };
  return { bucket: S3_TEST_BUCKET, endpoint, vars };
}

export const S3_TEST_BUCKET = "parley-test";

declare module "vitest" {
  export interface ProvidedContext {
    /** The S3-compatible server of the "s3" project's run; "" in the ordinary run. */
    s3Endpoint: string;
  }
}

/** Copies a blob to a file in the store's scratch folder, for tools that read files (flac, ffprobe). */
export async function blobToFile(store: TempBlobStore, key: string): Promise<string> {
  const file = path.join(store.dir, key.replaceAll("/", "_"));
  await pipeline(await store.blobs.stream(key), createWriteStream(file));
  return file;
}

/** The store, except that moving a blob to `key` fails as a storage outage would. */
export function failingMoveTo(blobs: BlobStore, key: string): BlobStore {
  return Object.create(blobs, {
    move: {
      value: async (from: string, to: string) => {
        if (to === key) throw new Error(`storage unavailable for ${key}`);
        return blobs.move(from, to);
      },
    },
  }) as BlobStore;
}
