import { createHash, randomUUID } from "node:crypto";
import type { BlobStore } from "./blob-store.ts";

// Files being received (uploads, fetched recording legs) are streamed to a key under staging/ while
// they are counted and hashed, and moved into place once checked. A process killed mid-transfer
// leaves its staging blob behind; one folder for them all lets the hourly sweep find such leftovers
// without walking the whole store.

const STAGING = "staging";
/** Older than any transfer in progress (uploads and fetches time out well within it). */
export const STAGING_MAX_AGE_MS = 24 * 3_600_000;
/** The largest file Parley receives (an upload, or a recording leg it downloads). */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
/** How much of the start of a file is kept to sniff its type and read its header. */
const HEAD_BYTES = 4096;

/** A fresh staging key for a `kind` of transfer. */
export const stagingKey = (kind: "upload" | "recording") => `${STAGING}/${kind}-${randomUUID()}`;

export type Staged = { key: string; sha256: string; size: number; head: Uint8Array };

/** The body went past the limit: reading stopped there (nothing more is consumed). */
export class TooLarge extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`The file exceeds ${limit} bytes`);
    this.limit = limit;
  }
}

/** Reading the body failed (the sender went away): not a storage failure. */
export class SourceFailed extends Error {
  readonly bytes: number;
  readonly reason: unknown;
  constructor(bytes: number, reason: unknown) {
    super(`Interrupted after ${bytes} bytes`);
    this.bytes = bytes;
    this.reason = reason;
  }
}

/**
 * Streams `body` to a fresh staging blob, counting and hashing as it goes; at most `limit` bytes
 * are read (TooLarge, and the body is cancelled). Nothing is held in memory but the current chunk
 * and the first 4 KB. On any failure the staging blob is removed; errors of the body itself are
 * SourceFailed, anything else comes from the store.
 */
export async function stage(
  blobs: BlobStore,
  kind: "upload" | "recording",
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  limit: number,
): Promise<Staged> {
  const key = stagingKey(kind);
  const hash = createHash("sha256");
  const head: Uint8Array[] = [];
  let headSize = 0;
  let size = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    const iterator = "getReader" in body ? readerIterator(body.getReader()) : body[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await iterator.next();
        } catch (err) {
          throw new SourceFailed(size, err);
        }
        if (next.done) return;
        const value = next.value;
        size += value.byteLength;
        if (size > limit) throw new TooLarge(limit);
        if (headSize < HEAD_BYTES) {
          const part = value.subarray(0, HEAD_BYTES - headSize);
          head.push(part.slice());
          headSize += part.byteLength;
        }
        hash.update(value);
        yield value;
      }
    } finally {
      // Stopped early (too large, or the store failed): the sender is told to stop sending.
      await iterator.return?.().catch(() => {});
    }
  }
  try {
    await blobs.putStream(key, counted());
  } catch (err) {
    await blobs.delete(key).catch(() => {});
    throw err;
  }
  return { key, sha256: hash.digest("hex"), size, head: Buffer.concat(head) };
}

/** A web stream reader as an iterator whose `return` cancels the stream (stops the sender). */
function readerIterator(reader: ReadableStreamDefaultReader<Uint8Array>): AsyncIterator<Uint8Array> {
  return {
    next: async () => {
      const r = await reader.read();
      return r.done ? { done: true, value: undefined } : { done: false, value: r.value };
    },
    return: async () => {
      await reader.cancel().catch(() => {});
      return { done: true, value: undefined };
    },
  };
}

/** Deletes staging blobs last written more than a day before `now`; the number deleted. */
export async function sweepStaging(blobs: BlobStore, now: Date): Promise<number> {
  let deleted = 0;
  for (const blob of await blobs.list(STAGING)) {
    if (now.getTime() - blob.modifiedAt.getTime() <= STAGING_MAX_AGE_MS) continue;
    await blobs.delete(blob.key);
    deleted++;
  }
  return deleted;
}
