import { Readable } from "node:stream";
import { readEnv } from "../config/env.ts";
import { contentDisposition } from "../files/content-disposition.ts";
import type { BlobStore } from "./blob-store.ts";

// A stored file as an HTTP response, with byte ranges (RFC 9110 §14): the audio element seeks by
// asking for the part it needs, so an hour-long recording is never sent whole to jump to its end —
// each range is one ranged read from the store (a ranged GET on S3). With
// PARLEY_BLOB_PRESIGN_SECONDS and a store that can presign, the answer is instead a redirect to a
// short-lived URL of the object itself, so the bytes don't flow through the web process.

export type ServeOptions = { contentType: string; fileName?: string; inline?: boolean };

/** Parses one `bytes=` range against `size`: [start, end] inclusive, "all", or "invalid" (416). */
export function parseRange(header: string | null, size: number): [number, number] | "all" | "invalid" {
  if (!header) return "all";
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return "all"; // several ranges or another unit: answering with the whole file is allowed
  if (m[1] === "" && m[2] === "") return "invalid";
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "invalid";
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return "invalid";
  return [start, end];
}

/** PARLEY_BLOB_PRESIGN_SECONDS, read once per process. */
let presignSeconds: number | undefined;
function redirectSecondsFromEnv(): number {
  presignSeconds ??= readEnv().PARLEY_BLOB_PRESIGN_SECONDS;
  return presignSeconds;
}

/** Serves `key`; 404 when the blob is missing. */
export async function serveBlob(
  request: Request,
  blobs: BlobStore,
  key: string,
  opts: ServeOptions,
  redirectSeconds: number = redirectSecondsFromEnv(),
): Promise<Response> {
  const info = await blobs.head(key);
  if (!info) return Response.json({ error: "Not found" }, { status: 404 });
  if (redirectSeconds > 0 && blobs.presignedUrl) {
    const url = await blobs.presignedUrl(key, {
      expiresInSeconds: redirectSeconds,
      contentType: opts.contentType,
      fileName: opts.inline ? undefined : opts.fileName,
    });
    return new Response(null, {
      status: 302,
      headers: { location: url, "cache-control": "private, no-store" },
    });
  }
  const size = info.size;
  const headers = new Headers({
    "content-type": opts.contentType,
    "accept-ranges": "bytes",
    "cache-control": "private, no-store",
  });
  if (opts.fileName) {
    headers.set(
      "content-disposition",
      contentDisposition(opts.fileName, opts.inline ? "inline" : "attachment"),
    );
  }
  const range = parseRange(request.headers.get("range"), size);
  if (range === "invalid") {
    headers.set("content-range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const [start, end] = range === "all" ? [0, size - 1] : range;
  headers.set("content-length", String(size === 0 ? 0 : end - start + 1));
  if (range !== "all") headers.set("content-range", `bytes ${start}-${end}/${size}`);
  const body =
    request.method === "HEAD" || size === 0
      ? null
      : (Readable.toWeb(await blobs.stream(key, { start, end })) as ReadableStream<Uint8Array>);
  return new Response(body, { status: range === "all" ? 200 : 206, headers });
}
