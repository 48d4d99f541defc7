import { sniffAudio, wavInfo } from "../files/sniff.ts";
import type { BlobStore } from "../storage/index.ts";
import { MAX_UPLOAD_BYTES, SourceFailed, type Staged, stage, TooLarge } from "../storage/staging.ts";
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

/** Retry-After as delay-seconds or an HTTP date. */
function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

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

  let staged: Staged;
  try {
    staged = await stage(blobs, "recording", response.body, MAX_UPLOAD_BYTES);
  } catch (err) {
    if (err instanceof TooLarge)
      return { kind: "media_failed", error: `The recording exceeds ${MAX_UPLOAD_BYTES} bytes` };
    if (err instanceof SourceFailed)
      return {
        kind: "download_failed",
        error: `Download interrupted after ${err.bytes} bytes: ${errorText(err.reason)}`,
      };
    return { kind: "upload_failed", error: `Storing the recording failed: ${errorText(err)}` };
  }
  const refused = (result: LegResult): Promise<LegResult> =>
    blobs.delete(staged.key).then(
      () => result,
      () => result,
    );
  const { size } = staged;
  if (expected !== null && size !== expected)
    return refused({ kind: "download_failed", error: `Partial body: ${size} of ${expected} bytes` });
  if (size === 0)
    return refused({ kind: "download_failed", error: "The recording server sent an empty body" });
  const format = sniffAudio(staged.head);
  if (!format)
    return refused({ kind: "media_failed", error: "The recording server sent something that is not audio" });
  const info =
    format === "wav" ? wavInfo(staged.head, size) : { sampleRate: null, channels: null, durationMs: null };
  return {
    kind: "stored",
    leg: {
      storageKey: `${opts.keyBase}.${format}`,
      stagedKey: staged.key,
      format,
      sizeBytes: size,
      sha256: staged.sha256,
      ...info,
    },
  };
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
    await blobs.move(leg.stagedKey, leg.storageKey);
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
