import { createHash } from "node:crypto";
import { sql, type Transaction } from "kysely";
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import type { Database } from "../../db/client.ts";
import type { DB } from "../../db/types.ts";
import { isUuid } from "../db-ranges.ts";
import { sniffAudio, sniffCapture, sniffWebm } from "../files/sniff.ts";
import { parseCaptureJob } from "../jobs/definitions.ts";
import { enqueue } from "../jobs/enqueue.ts";
import { lockConversation, lockLeg, settleRecordingState, storeRecordingLeg } from "../recordings/legs.ts";
import { conversationOnHold } from "../recordings/status.ts";
import { type BlobStore, isBlobNotFound } from "../storage/index.ts";
import { MAX_UPLOAD_BYTES, type Staged } from "../storage/staging.ts";
import { apiError, authenticate, invalidBody, json, parseQuery, readJsonBody } from "./http.ts";
import {
  BodyRefused,
  MULTIPART_OVERHEAD,
  type ReceivedFile,
  receiveMultipart,
  receiveRaw,
} from "./upload-body.ts";

// Upload endpoints for a conversation's media: recording legs (an audio file, or a source URL the
// recording fetcher downloads later), the agent's screen recording (WebM) and SIP captures
// (pcap/pcapng). Bodies are streamed to a staging blob while their size and SHA-256 are computed
// (upload-body.ts); the first bytes decide the type (lib/files/sniff.ts); legs are stored by
// lib/recordings/legs.ts. Machine ingest: nothing is audited, every stored upload is logged.

export type UploadDeps = {
  blobs: BlobStore;
  boss: () => Promise<PgBoss>;
  log?: (line: string) => void;
  /** The largest file accepted (MAX_UPLOAD_BYTES); tests lower it. */
  maxBytes?: number;
};

export const AUDIO_CONTENT_TYPES = ["audio/wav", "audio/x-wav", "audio/flac", "audio/mpeg", "audio/ogg"];
export const WEBM_CONTENT_TYPES = ["video/webm", "audio/webm", "application/octet-stream"];
export const CAPTURE_CONTENT_TYPES = [
  "application/vnd.tcpdump.pcap",
  "application/x-pcapng",
  "application/octet-stream",
];

/** The key holds the content hash: the same file for the same conversation is the same capture. */
export function captureStorageKey(conversationId: string, sha256: string, format: "pcap" | "pcapng"): string {
  return `captures/${conversationId}/${sha256}.${format}`;
}

// ---- receiving a body ---------------------------------------------------------------------------

const discard = (blobs: BlobStore, staged: Staged) => blobs.delete(staged.key).catch(() => {});

const mediaType = (request: Request) =>
  (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

/**
 * The file in the request, staged: the raw body, or the `file` part of multipart/form-data (whose
 * other string fields join the query parameters). Both are streamed and counted (upload-body.ts).
 */
async function receive(
  request: Request,
  deps: UploadDeps,
  allowed: string[],
): Promise<ReceivedFile | Response> {
  const limit = deps.maxBytes ?? MAX_UPLOAD_BYTES;
  const tooLarge = () =>
    apiError(413, "payload_too_large", `The upload exceeds ${limit.toLocaleString("en-US")} bytes.`);
  const declared = Number(request.headers.get("content-length"));
  if (
    Number.isFinite(declared) &&
    declared > limit + (mediaType(request) === "multipart/form-data" ? MULTIPART_OVERHEAD : 0)
  )
    return tooLarge();
  const type = mediaType(request);
  if (type !== "multipart/form-data" && !allowed.includes(type)) {
    return apiError(
      415,
      "unsupported_media_type",
      `Content-Type ${type || "(none)"} is not accepted here; send ${allowed.join(", ")} or multipart/form-data.`,
    );
  }
  if (!request.body) return apiError(400, "invalid_body", "The request body is empty.");
  let received: ReceivedFile;
  try {
    received =
      type === "multipart/form-data"
        ? await receiveMultipart(deps.blobs, request.headers.get("content-type") ?? "", request.body, limit)
        : await receiveRaw(deps.blobs, request.body, limit);
  } catch (err) {
    if (!(err instanceof BodyRefused)) throw err;
    if (err.status === 413) return tooLarge();
    return apiError(400, "invalid_body", err.message, err.field);
  }
  if (received.staged.size === 0) {
    await discard(deps.blobs, received.staged);
    return apiError(400, "invalid_body", "The request body is empty.");
  }
  return received;
}

/** Query parameters plus multipart fields, validated together (a name given in both is an error). */
function params<S extends z.ZodType>(
  request: Request,
  fields: Record<string, string>,
  schema: S,
): { value: z.infer<S> } | Response {
  const url = new URL(request.url);
  for (const [name, value] of Object.entries(fields)) {
    if (name === "file") continue;
    if (url.searchParams.has(name))
      return apiError(400, "invalid_query", `Parameter "${name}" is given more than once.`, name);
    url.searchParams.set(name, value);
  }
  return parseQuery(url, schema);
}

async function findConversation(db: Database | Transaction<DB>, id: string) {
  const bySession = await db
    .selectFrom("conversations")
    .select(["id", "channel"])
    .where("session_id", "=", id)
    .executeTakeFirst();
  if (bySession || !isUuid(id)) return bySession;
  return db.selectFrom("conversations").select(["id", "channel"]).where("id", "=", id).executeTakeFirst();
}

const notFound = (id: string) =>
  apiError(404, "not_found", `No conversation has the id or session id "${id.slice(0, 200)}".`);

async function userIdByEmail(db: Database, email: string): Promise<string | undefined> {
  return (
    await db
      .selectFrom("users")
      .select("id")
      .where(sql`lower(email)`, "=", email.toLowerCase())
      .executeTakeFirst()
  )?.id;
}

const unknownUser = (field: string, email: string) =>
  apiError(422, "unknown_user", `${field}: no user has the e-mail "${email}".`, field);

/**
 * Auth, then the conversation (404; a call's file for a chat or e-mail, 422), then the body: a wrong
 * key or session costs no upload.
 */
async function begin(
  db: Database,
  request: Request,
  id: string,
  voiceOnly?: string,
): Promise<{ conversationId: string } | Response> {
  const key = await authenticate(db, request, "write");
  if (key instanceof Response) return key;
  const conversation = id.length <= 200 ? await findConversation(db, id) : undefined;
  if (!conversation) return notFound(id);
  if (voiceOnly && conversation.channel !== "voice") {
    return apiError(
      422,
      "not_a_call",
      `id: ${voiceOnly} are for voice conversations; this conversation is a ${conversation.channel} conversation.`,
      "id",
    );
  }
  return { conversationId: conversation.id };
}

/**
 * What every file upload does around its own handling: the key and the conversation (begin), the
 * body staged (receive), its query parameters and multipart fields validated; the staged file is
 * removed afterwards unless the handler moved it into place.
 */
async function withUpload<S extends z.ZodType>(
  db: Database,
  request: Request,
  id: string,
  deps: UploadDeps,
  spec: {
    contentTypes: string[];
    query: S /** What only a call can have ("SIP captures"). */;
    voiceOnly?: string;
  },
  handle: (upload: { conversationId: string; staged: Staged; query: z.infer<S> }) => Promise<Response>,
): Promise<Response> {
  const start = await begin(db, request, id, spec.voiceOnly);
  if (start instanceof Response) return start;
  const received = await receive(request, deps, spec.contentTypes);
  if (received instanceof Response) return received;
  try {
    const q = params(request, received.fields, spec.query);
    if (q instanceof Response) return q;
    return await handle({ conversationId: start.conversationId, staged: received.staged, query: q.value });
  } finally {
    await discard(deps.blobs, received.staged); // a no-op once promoted
  }
}

const uploadStatus = z.enum(["created", "unchanged", "replaced"]);
const statusCode = (s: z.infer<typeof uploadStatus>) => (s === "created" ? 201 : 200);

// ---- recording legs -----------------------------------------------------------------------------

const legLabel = z.enum(["customer", "agent", "ai_agent"]);

export const recordingLegQuerySchema = z
  .object({
    legIndex: z.coerce.number().int().min(0).max(31).describe("The leg's index within the recording (0–31)."),
    label: legLabel.describe("Whose audio the leg holds."),
    participantEmail: z.email().optional().describe("The user this leg belongs to (agent legs)."),
  })
  .strict();

export const recordingLegSourceSchema = z
  .object({
    legIndex: z.number().int().min(0).max(31),
    label: legLabel,
    sourceUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .describe("Where the recording fetcher downloads it."),
    participantEmail: z.email().optional(),
  })
  .strict()
  .meta({ id: "RecordingLegSource" });

export const recordingLegResultSchema = z
  .object({
    recordingId: z.uuid(),
    legId: z.uuid(),
    legIndex: z.number().int(),
    label: legLabel,
    status: uploadStatus.describe(
      "created; unchanged (same content again: a no-op); replaced (new content).",
    ),
    format: z.string().nullable(),
    sizeBytes: z.number().int().nullable(),
    sha256: z.string().nullable(),
    sampleRate: z.number().int().nullable(),
    channels: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
    sourceUrl: z.string().nullable(),
    recordingState: z.string(),
  })
  .meta({ id: "RecordingLegResult" });

export async function postRecordingLeg(
  db: Database,
  request: Request,
  id: string,
  deps: UploadDeps,
): Promise<Response> {
  if (mediaType(request) === "application/json") return postRecordingLegSource(db, request, id, deps);
  const log = deps.log ?? console.info;
  return withUpload(
    db,
    request,
    id,
    deps,
    { contentTypes: AUDIO_CONTENT_TYPES, query: recordingLegQuerySchema },
    async ({ conversationId, staged, query }) => {
      const format = sniffAudio(staged.head);
      if (!format) {
        return apiError(
          415,
          "unsupported_media_type",
          "The file is not WAV, FLAC, MP3 or Ogg audio (its first bytes match none of them).",
        );
      }
      const { legIndex, label, participantEmail } = query;
      const userId = participantEmail ? await userIdByEmail(db, participantEmail) : null;
      if (userId === undefined) return unknownUser("participantEmail", participantEmail ?? "");
      const result = await storeRecordingLeg(
        db,
        deps.blobs,
        conversationId,
        { legIndex, label, participantUserId: userId, staged, format },
        await deps.boss(),
      );
      if (result.status !== "unchanged") {
        log(
          `[upload] recording leg ${legIndex} of ${conversationId} ${result.status}: ${format}, ${staged.size} bytes`,
        );
      }
      return json(legResult(result.recording, result.leg, result.status), statusCode(result.status));
    },
  );
}

/** A leg's source URL (JSON body) for the recording fetcher, instead of the file. */
async function postRecordingLegSource(
  db: Database,
  request: Request,
  id: string,
  deps: UploadDeps,
): Promise<Response> {
  const log = deps.log ?? console.info;
  const start = await begin(db, request, id);
  if (start instanceof Response) return start;
  const { conversationId } = start;
  const q = parseQuery(new URL(request.url), z.object({}).strict());
  if (q instanceof Response) return q;
  const body = await readJsonBody(request);
  if (body instanceof Response) return body;
  const parsed = recordingLegSourceSchema.safeParse(body.value);
  if (!parsed.success) return invalidBody("invalid_body", parsed.error);
  const { legIndex, label, sourceUrl, participantEmail } = parsed.data;
  const userId = participantEmail ? await userIdByEmail(db, participantEmail) : null;
  if (userId === undefined) return unknownUser("participantEmail", participantEmail ?? "");
  const result = await db.transaction().execute(async (trx) => {
    const { recording, existing } = await lockLeg(trx, conversationId, legIndex);
    let status: z.infer<typeof uploadStatus> = "created";
    if (existing) {
      status =
        existing.source_url === sourceUrl &&
        existing.label === label &&
        existing.participant_user_id === userId
          ? "unchanged"
          : "replaced";
    }
    // A registered URL never drops an uploaded file: the fetcher skips legs that have one.
    const leg = await trx
      .insertInto("recording_legs")
      .values({
        recording_id: recording.id,
        leg_index: legIndex,
        label,
        participant_user_id: userId,
        source_url: sourceUrl,
      })
      .onConflict((oc) =>
        oc.columns(["recording_id", "leg_index"]).doUpdateSet({
          label,
          participant_user_id: userId,
          source_url: sourceUrl,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    const state = await settleRecordingState(trx, recording.id);
    return { recording: { ...recording, state }, leg, status };
  });
  if (result.status !== "unchanged")
    log(`[upload] recording leg ${legIndex} of ${conversationId}: source URL ${result.status}`);
  return json(legResult(result.recording, result.leg, result.status), statusCode(result.status));
}

type LegRow = {
  id: string;
  leg_index: number;
  label: string;
  format: string | null;
  size_bytes: string | null;
  sha256: string | null;
  sample_rate: number | null;
  channels: number | null;
  duration_ms: number | null;
  source_url: string | null;
};

function legResult(
  recording: { id: string; state: string },
  leg: LegRow,
  status: z.infer<typeof uploadStatus>,
): z.infer<typeof recordingLegResultSchema> {
  return {
    recordingId: recording.id,
    legId: leg.id,
    legIndex: leg.leg_index,
    label: leg.label as z.infer<typeof legLabel>,
    status,
    format: leg.format,
    sizeBytes: leg.size_bytes === null ? null : Number(leg.size_bytes),
    sha256: leg.sha256,
    sampleRate: leg.sample_rate,
    channels: leg.channels,
    durationMs: leg.duration_ms,
    sourceUrl: leg.source_url,
    recordingState: recording.state,
  };
}

// ---- screen recordings --------------------------------------------------------------------------

export const screenRecordingQuerySchema = z
  .object({ agentEmail: z.email().describe("The agent whose screen was recorded.") })
  .strict();

export const screenRecordingResultSchema = z
  .object({
    id: z.uuid(),
    agentId: z.uuid(),
    status: uploadStatus,
    state: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
  })
  .meta({ id: "ScreenRecordingResult" });

async function sha256Of(blobs: BlobStore, key: string): Promise<string | null> {
  const stream = await blobs.stream(key).catch((err) => {
    if (isBlobNotFound(err)) return null;
    throw err;
  });
  if (!stream) return null;
  const hash = createHash("sha256");
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export async function postScreenRecording(
  db: Database,
  request: Request,
  id: string,
  deps: UploadDeps,
): Promise<Response> {
  const log = deps.log ?? console.info;
  return withUpload(
    db,
    request,
    id,
    deps,
    { contentTypes: WEBM_CONTENT_TYPES, query: screenRecordingQuerySchema },
    async ({ conversationId, staged, query }) => {
      if (!sniffWebm(staged.head)) {
        return apiError(
          415,
          "unsupported_media_type",
          "The file is not WebM (no EBML header with DocType webm).",
        );
      }
      const agentId = await userIdByEmail(db, query.agentEmail);
      if (!agentId) return unknownUser("agentEmail", query.agentEmail);
      const storageKey = `screen-recordings/${conversationId}/${agentId}.webm`;

      const result = await db.transaction().execute(async (trx) => {
        await lockConversation(trx, conversationId);
        const existing = await trx
          .selectFrom("screen_recordings")
          .select(["id", "state", "storage_key"])
          .where("conversation_id", "=", conversationId)
          .where("agent_id", "=", agentId)
          .where("deleted_at", "is", null)
          .orderBy("created_at", "desc")
          .executeTakeFirst();
        // The table keeps no hash: the stored file is hashed again (once per re-upload).
        if (existing?.storage_key && (await sha256Of(deps.blobs, existing.storage_key)) === staged.sha256) {
          return { id: existing.id, state: existing.state, status: "unchanged" as const };
        }
        await deps.blobs.move(staged.key, storageKey);
        const values = {
          state: "available" as const,
          storage_key: storageKey,
          size_bytes: staged.size,
          available_at: sql<Date>`now()`,
        };
        const row = existing
          ? await trx
              .updateTable("screen_recordings")
              .set(values)
              .where("id", "=", existing.id)
              .returning(["id", "state"])
              .executeTakeFirstOrThrow()
          : await trx
              .insertInto("screen_recordings")
              .values({
                conversation_id: conversationId,
                agent_id: agentId,
                legal_hold: conversationOnHold(conversationId),
                ...values,
              })
              .returning(["id", "state"])
              .executeTakeFirstOrThrow();
        return { ...row, status: existing ? ("replaced" as const) : ("created" as const) };
      });
      if (result.status !== "unchanged")
        log(`[upload] screen recording of ${conversationId} ${result.status}: ${staged.size} bytes`);
      return json(
        {
          id: result.id,
          agentId,
          status: result.status,
          state: result.state,
          sizeBytes: staged.size,
          sha256: staged.sha256,
        } satisfies z.infer<typeof screenRecordingResultSchema>,
        statusCode(result.status),
      );
    },
  );
}

// ---- SIP captures -------------------------------------------------------------------------------

export const captureResultSchema = z
  .object({
    id: z.uuid(),
    status: z
      .enum(["created", "unchanged"])
      .describe("unchanged: this file was uploaded before (its capture)."),
    format: z.enum(["pcap", "pcapng"]),
    state: z.string().describe("pending until the worker has parsed it, then parsed or failed."),
    sizeBytes: z.number().int(),
    sha256: z.string(),
  })
  .meta({ id: "CaptureResult" });

export async function postCapture(
  db: Database,
  request: Request,
  id: string,
  deps: UploadDeps,
): Promise<Response> {
  const log = deps.log ?? console.info;
  return withUpload(
    db,
    request,
    id,
    deps,
    { contentTypes: CAPTURE_CONTENT_TYPES, query: z.object({}).strict(), voiceOnly: "SIP captures" },
    async ({ conversationId, staged }) => {
      const format = sniffCapture(staged.head);
      if (!format) {
        return apiError(
          415,
          "unsupported_media_type",
          "The file is not a pcap or pcapng capture (unknown magic number).",
        );
      }
      const storageKey = captureStorageKey(conversationId, staged.sha256, format);
      const boss = await deps.boss();
      const result = await db.transaction().execute(async (trx) => {
        await lockConversation(trx, conversationId);
        const existing = await trx
          .selectFrom("sip_captures")
          .select(["id", "state"])
          .where("conversation_id", "=", conversationId)
          .where("storage_key", "=", storageKey)
          .executeTakeFirst();
        if (existing) return { ...existing, status: "unchanged" as const };
        await deps.blobs.move(staged.key, storageKey);
        const row = await trx
          .insertInto("sip_captures")
          .values({
            conversation_id: conversationId,
            storage_key: storageKey,
            format,
            size_bytes: staged.size,
          })
          .returning(["id", "state"])
          .executeTakeFirstOrThrow();
        await enqueue(boss, parseCaptureJob, { captureId: row.id }, { trx });
        return { ...row, status: "created" as const };
      });
      if (result.status === "created")
        log(
          `[upload] capture ${result.id} of ${conversationId}: ${format}, ${staged.size} bytes, parse queued`,
        );
      return json(
        {
          id: result.id,
          status: result.status,
          format,
          state: result.state,
          sizeBytes: staged.size,
          sha256: staged.sha256,
        } satisfies z.infer<typeof captureResultSchema>,
        statusCode(result.status),
      );
    },
  );
}
