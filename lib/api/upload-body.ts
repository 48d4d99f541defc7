import { once } from "node:events";
import Busboy from "@fastify/busboy";
import type { BlobStore } from "../storage/index.ts";
import { SourceFailed, type Staged, stage, TooLarge } from "../storage/staging.ts";

// The file of an upload request, streamed to staging as it arrives: the raw body, or the `file`
// part of multipart/form-data (parsed as a stream: the runtime's request.formData() would hold the
// whole body in memory before anything could count it). Either way at most `limit` bytes of the
// file are read; past it, reading stops and the caller answers 413 without taking the rest.

/** Room for the multipart framing and the string fields beside the file. */
export const MULTIPART_OVERHEAD = 1024 * 1024;

export type ReceivedFile = { staged: Staged; fields: Record<string, string> };

/** Why a body could not be received, for the caller's 4xx. */
export class BodyRefused extends Error {
  readonly status: 400 | 413;
  readonly field: string | undefined;
  constructor(status: 400 | 413, message: string, field?: string) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

/** Stages the raw body. Throws BodyRefused (413 too large, 400 interrupted) or a storage error. */
export async function receiveRaw(
  blobs: BlobStore,
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<ReceivedFile> {
  try {
    return { staged: await stage(blobs, "upload", body, limit), fields: {} };
  } catch (err) {
    throw refusal(err, limit);
  }
}

/**
 * Stages the `file` part of a multipart body and collects its string fields (other file parts are
 * read and dropped). Throws BodyRefused for a malformed, truncated or too large body.
 */
export async function receiveMultipart(
  blobs: BlobStore,
  contentType: string,
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<ReceivedFile> {
  let parser: ReturnType<typeof Busboy>;
  try {
    parser = Busboy({
      headers: { "content-type": contentType },
      limits: { fields: 100, fieldSize: 64 * 1024, parts: 200 },
    });
  } catch (err) {
    throw new BodyRefused(400, `The multipart body is malformed: ${(err as Error).message}`);
  }
  const fields: Record<string, string> = {};
  let staging: Promise<Staged> | undefined;
  const reader = body.getReader();
  // The first failure (a too-large file, a parser error, the store failing) stops the reading at
  // once: the pending read ends, a wait for the parser ends. No Promise.race against a promise that
  // lives as long as the request: each race would keep its chunk reachable until the end.
  let failure: { error: unknown } | undefined;
  const abort = new AbortController();
  const stop = (error: unknown) => {
    if (failure) return;
    failure = { error };
    abort.abort();
    reader.cancel().catch(() => {});
  };
  const check = () => {
    if (failure) throw failure.error;
  };
  parser.on("file", (name, stream) => {
    if (name !== "file" || staging) {
      stream.resume();
      return;
    }
    staging = stage(blobs, "upload", stream, limit);
    staging.catch(stop); // a file past the limit ends the reading of the request at once
  });
  parser.on("field", (name, value) => {
    fields[name] = value;
  });
  parser.on("error", stop);
  const waitFor = (event: string) => once(parser, event, { signal: abort.signal }).catch(stop);
  let total = 0;
  try {
    for (;;) {
      const chunk = await reader.read();
      check();
      if (chunk.done) break;
      total += chunk.value.byteLength;
      if (total > limit + MULTIPART_OVERHEAD) throw new TooLarge(limit);
      if (!parser.write(chunk.value)) await waitFor("drain");
      check();
    }
    const finished = waitFor("finish");
    parser.end();
    await finished;
    check();
    if (!staging) throw new BodyRefused(400, 'Send the file as the "file" part.', "file");
    return { staged: await staging, fields };
  } catch (err) {
    await reader.cancel().catch(() => {});
    parser.destroy();
    const staged = await staging?.catch(() => null);
    if (staged) await blobs.delete(staged.key).catch(() => {});
    throw refusal(failure ? failure.error : err, limit);
  }
}

/** What a failure means to the client; a storage failure stays itself (a 500). */
function refusal(err: unknown, limit: number): unknown {
  if (err instanceof BodyRefused) return err;
  if (err instanceof TooLarge)
    return new BodyRefused(413, `The upload exceeds ${limit.toLocaleString("en-US")} bytes.`);
  if (err instanceof SourceFailed)
    return new BodyRefused(400, `The upload was interrupted after ${err.bytes} bytes.`);
  // Busboy's own errors ("Unexpected end of multipart data", "Malformed part header"…).
  if (err instanceof Error && /multipart|part header|boundary|unexpected end/i.test(err.message))
    return new BodyRefused(400, `The multipart body is malformed: ${err.message}`);
  return err;
}
