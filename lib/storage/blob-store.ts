import { Readable as NodeReadable, type Readable } from "node:stream";
import { ReadableStream as ReadableStreamClass } from "node:stream/web";

// The one interface every file Parley keeps goes through (recording legs, merged FLAC, peaks, screen
// recordings, captures, exports, avatars, staging). Two implementations: a local folder
// (local.ts) and S3-compatible object storage (s3.ts); index.ts picks one from configuration.
// Keys are relative POSIX paths such as "avatars/<user>/64.webp": never a file path or a bucket.

/** A byte range, both ends inclusive (as in HTTP `Range: bytes=start-end`). */
export type ByteRange = { start: number; end: number };

export type BlobInfo = { key: string; size: number; modifiedAt: Date };

/** What `putStream` accepts: a Node stream, a web stream or any async iterable of bytes. */
export type BlobSource = Readable | ReadableStream<Uint8Array> | AsyncIterable<string | Uint8Array>;

export interface BlobStore {
  /** Where the blobs live, for logs: a folder, or s3://bucket/prefix. */
  readonly location: string;
  /** A small blob from memory; readers see the old or the new content, never half of it. */
  put(key: string, data: Buffer | Uint8Array | string): Promise<void>;
  /** A blob of any size from a stream, never held whole in memory; its size in bytes. */
  putStream(key: string, source: BlobSource): Promise<number>;
  /** A small blob whole (peaks, avatars, captures to parse); BlobNotFound when missing. */
  get(key: string): Promise<Buffer>;
  /** The blob, or `range` of it, as a stream; BlobNotFound when missing. */
  stream(key: string, range?: ByteRange): Promise<Readable>;
  /** Size and last write, or null when missing. */
  head(key: string): Promise<BlobInfo | null>;
  exists(key: string): Promise<boolean>;
  /** Idempotent: deleting a missing blob is not an error. */
  delete(key: string): Promise<void>;
  /** Every blob under the folder key `prefix` (e.g. one export's files), deepest too. */
  list(prefix: string): Promise<BlobInfo[]>;
  /** Moves a blob (from staging) to its final key, replacing what was there. */
  move(from: string, to: string): Promise<void>;
  /** A short-lived URL that downloads the blob directly from the storage, when it has one. */
  presignedUrl?(
    key: string,
    opts: { expiresInSeconds: number; fileName?: string; contentType?: string },
  ): Promise<string>;
  /** Throws when the storage cannot be reached or written (readiness). */
  check(): Promise<void>;
}

/** A blob that does not exist; `code` matches Node's, so `err.code === "ENOENT"` checks keep working. */
export class BlobNotFound extends Error {
  readonly code = "ENOENT";
  readonly key: string;
  constructor(key: string) {
    super(`No blob ${key}`);
    this.key = key;
    this.name = "BlobNotFound";
  }
}

export const isBlobNotFound = (err: unknown): err is BlobNotFound =>
  err instanceof BlobNotFound || (err as { code?: unknown } | null)?.code === "ENOENT";

const KEY = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** Refuses a key that could escape the store's root (`..`, absolute, odd characters). */
export function checkKey(key: string): string {
  if (!KEY.test(key) || key.split("/").some((p) => p === ".." || p === ".")) {
    throw new Error(`Invalid blob key: ${key}`);
  }
  return key;
}

/** Any BlobSource as a Node stream. */
export function toReadable(source: BlobSource): Readable {
  if (source instanceof ReadableStreamClass)
    return NodeReadable.fromWeb(source as import("node:stream/web").ReadableStream);
  if (source instanceof NodeReadable) return source;
  return NodeReadable.from(source as AsyncIterable<string | Uint8Array>);
}
