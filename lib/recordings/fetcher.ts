import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { MAX_UPLOAD_BYTES, sniffAudio, wavInfo } from "../api/uploads.ts";
import type { BlobStore } from "../storage/blobs.ts";
import { stagingKey } from "../storage/staging.ts";
import type { FetchOutcome } from "./machine.ts";
import { type AllowList, OutboundRefused, outboundGet } from "./outbound.ts";

// Downloads one leg from the recording server into the blob store, and combines the legs' results
// into the one outcome the state machine reads. Failures are told apart by where they happen: the
// server or the network (download), our storage (upload), or the content (not audio). A downloaded
// leg stays staged until the attempt's save moves it into place (placeLeg) under the recording's
// lock: an upload of the same leg meanwhile is never overwritten, and nothing is left behind.

export type StoredLeg = {
  storageKey: string;
  /** Where a downloaded leg waits until placeLeg moves it to storageKey; null once in place. */
  stagedKey: string | null;
  format: string;
  sizeBytes: number;
  sha256: string;
  sampleRate: number | null;
  channels: number | null;
  durationMs: number | null;
};

export type LegResult =
  | { kind: "stored"; leg: StoredLeg }
  | { kind: "processing"; retryAfterMs: number | null }
  | { kind: "not_found" }
  | { kind: "media_failed"; error: string }
  | { kind: "download_failed"; error: string }
  | { kind: "upload_failed"; error: string };

const HEAD_BYTES = 4096;

/** Retry-After as delay-seconds or an HTTP date. */
function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

class StorageError extends Error {}

export async function fetchLeg(opts: {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  blobs: BlobStore;
  /** Final key without extension; the sniffed format's extension is appended. */
  keyBase: string;
  /** Private hosts the operator allows (RECORDING_SOURCE_ALLOWED_HOSTS); see outbound.ts. */
  allow: AllowList;
  /** The configured recording server's origin, for legs built from its URL template. */
  trustedOrigin?: string;
}): Promise<LegResult> {
  const { blobs } = opts;
  let response: Response;
  try {
    // The timeout covers the whole download (headers and body), so a stalled server cannot hold a
    // worker slot for ever.
    // Never a plain fetch: the URL may come from an API key (outbound.ts refuses private addresses).
    response = await outboundGet(opts.url, {
      headers: opts.headers,
      signal: AbortSignal.timeout(opts.timeoutMs),
      allow: opts.allow,
      trustedOrigin: opts.trustedOrigin,
    });
  } catch (err) {
    const why = err instanceof OutboundRefused ? `refused: ${err.message}` : errorText(err);
    return { kind: "download_failed", error: `GET ${redact(opts.url)}: ${why}` };
  }
  const status = response.status;
  if (status !== 200) {
    await response.body?.cancel().catch(() => {});
    if (status === 202 || status === 425 || status === 503)
      return {
        kind: "processing",
        retryAfterMs: retryAfterMs(response.headers.get("retry-after"), Date.now()),
      };
    if (status === 404) return { kind: "not_found" };
    if (status === 410 || status === 422)
      return {
        kind: "media_failed",
        error: `The recording server reports the media failed (HTTP ${status})`,
      };
    return { kind: "download_failed", error: `HTTP ${status} from the recording server` };
  }
  const declared = response.headers.get("content-length");
  const expected = declared !== null && /^\d+$/.test(declared) ? Number(declared) : null;
  if (!response.body) return { kind: "download_failed", error: "The recording server sent no body" };

  const staging = stagingKey("recording");
  let file: fs.FileHandle | undefined;
  let staged = false;
  try {
    try {
      const target = blobs.pathOf(staging);
      await fs.mkdir(path.dirname(target), { recursive: true });
      file = await fs.open(target, "w");
    } catch (err) {
      throw new StorageError(errorText(err));
    }
    const hash = createHash("sha256");
    const head: Buffer[] = [];
    let headSize = 0;
    let size = 0;
    const reader = response.body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        return {
          kind: "download_failed",
          error: `Download interrupted after ${size} bytes: ${errorText(err)}`,
        };
      }
      if (chunk.done) break;
      const value = chunk.value;
      size += value.byteLength;
      if (size > MAX_UPLOAD_BYTES) {
        await reader.cancel().catch(() => {});
        return { kind: "media_failed", error: `The recording exceeds ${MAX_UPLOAD_BYTES} bytes` };
      }
      if (headSize < HEAD_BYTES) {
        const part = Buffer.from(value.subarray(0, HEAD_BYTES - headSize));
        head.push(part);
        headSize += part.byteLength;
      }
      hash.update(value);
      try {
        await file.write(value);
      } catch (err) {
        await reader.cancel().catch(() => {});
        throw new StorageError(errorText(err));
      }
    }
    if (expected !== null && size !== expected)
      return { kind: "download_failed", error: `Partial body: ${size} of ${expected} bytes` };
    if (size === 0) return { kind: "download_failed", error: "The recording server sent an empty body" };
    const headBytes = Buffer.concat(head);
    const format = sniffAudio(headBytes);
    if (!format)
      return { kind: "media_failed", error: "The recording server sent something that is not audio" };
    const info =
      format === "wav" ? wavInfo(headBytes, size) : { sampleRate: null, channels: null, durationMs: null };
    try {
      await file.close();
      file = undefined;
    } catch (err) {
      throw new StorageError(errorText(err));
    }
    staged = true;
    return {
      kind: "stored",
      leg: {
        storageKey: `${opts.keyBase}.${format}`,
        stagedKey: staging,
        format,
        sizeBytes: size,
        sha256: hash.digest("hex"),
        ...info,
      },
    };
  } catch (err) {
    if (err instanceof StorageError)
      return { kind: "upload_failed", error: `Storing the recording failed: ${err.message}` };
    throw err;
  } finally {
    await file?.close().catch(() => {});
    if (!staged) await blobs.delete(staging).catch(() => {});
  }
}

/**
 * Moves a downloaded leg from staging into place; what a storage failure there makes of it (the
 * staged file is then gone too). Called in the transaction that records the leg.
 */
export async function placeLeg(
  blobs: BlobStore,
  leg: StoredLeg,
): Promise<Extract<LegResult, { kind: "stored" | "upload_failed" }>> {
  if (!leg.stagedKey) return { kind: "stored", leg };
  try {
    const target = blobs.pathOf(leg.storageKey);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(blobs.pathOf(leg.stagedKey), target);
    return { kind: "stored", leg: { ...leg, stagedKey: null } };
  } catch (err) {
    await blobs.delete(leg.stagedKey).catch(() => {});
    return { kind: "upload_failed", error: `Storing the recording failed: ${errorText(err)}` };
  }
}

/** Drops the staged files of legs an attempt does not record. */
export async function discardStaged(blobs: BlobStore, results: LegResult[]): Promise<void> {
  for (const r of results)
    if (r.kind === "stored" && r.leg.stagedKey) await blobs.delete(r.leg.stagedKey).catch(() => {});
}

/** The attempt's outcome from its legs' results (legs stored by an earlier attempt count as stored). */
export function combineLegResults(results: LegResult[]): FetchOutcome {
  if (results.some((r) => r.kind === "media_failed")) return { kind: "media_failed" };
  const stored = results.filter((r) => r.kind === "stored").length;
  if (stored === results.length) return { kind: "success" };
  const processing = results.flatMap((r) => (r.kind === "processing" ? [r.retryAfterMs ?? 0] : []));
  if (processing.length > 0) return { kind: "processing", retryAfterMs: Math.max(...processing) || null };
  if (stored === 0)
    return results.every((r) => r.kind === "not_found") ? { kind: "not_found" } : { kind: "error" };
  return {
    kind: "partial",
    downloadFailed: results.filter((r) => r.kind === "download_failed" || r.kind === "not_found").length,
    uploadFailed: results.filter((r) => r.kind === "upload_failed").length,
  };
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === "TimeoutError") return "timed out";
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}

/** Query strings may carry tokens: the log and the UI get the URL without them. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}
