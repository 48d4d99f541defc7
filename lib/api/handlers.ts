import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { ingestEvents, MAX_BATCH_EVENTS } from "../ingest/index.ts";
import type { IngestResult } from "../ingest/schemas.ts";
import { metrics } from "../observability/metrics.ts";
import { getApiConversation, listApiConversations, listQuerySchema } from "./conversations.ts";
import { apiError, authenticate, invalidBody, json, parseQuery, readJsonBody } from "./http.ts";

// The /api/v1 endpoints as plain functions of (database, Request): the route files only pass
// getDb() in, so tests call exactly what the server runs.

export const ingestQuerySchema = z
  .object({
    atomic: z
      .enum(["true", "false", "1", "0"])
      .optional()
      .describe("true: one invalid event rejects the whole batch and nothing is stored."),
  })
  .strict();

// The envelope is checked first; each event is then validated on its own (lib/ingest/validate.ts).
const envelopeSchema = z.object({ events: z.array(z.unknown()) }).strict();

export async function postEvents(db: Database, request: Request): Promise<Response> {
  const key = await authenticate(db, request, "write");
  if (key instanceof Response) return key;
  const query = parseQuery(new URL(request.url), ingestQuerySchema);
  if (query instanceof Response) return query;
  const body = await readJsonBody(request);
  if (body instanceof Response) return body;

  const envelope = envelopeSchema.safeParse(body.value);
  if (!envelope.success) return invalidBody("invalid_batch", envelope.error);
  const { events } = envelope.data;
  if (events.length === 0) return apiError(422, "invalid_batch", "events: send at least one event", "events");
  if (events.length > MAX_BATCH_EVENTS) {
    return apiError(
      422,
      "batch_too_large",
      `events: at most ${MAX_BATCH_EVENTS} events per request (got ${events.length})`,
      "events",
    );
  }
  const atomic = query.value.atomic === "true" || query.value.atomic === "1";
  const { conversationIds: _, ...result } = await ingestEvents(db, events, { atomic });
  countIngested(result);
  return json(result satisfies IngestResult, ingestStatus(result, events.length));
}

/** Ingest events/s on the metrics (Prometheus takes the rate). */
function countIngested(result: IngestResult) {
  const { ingestEvents: counter } = metrics();
  counter.inc({ outcome: "accepted" }, result.accepted);
  counter.inc({ outcome: "duplicate" }, result.duplicates);
  counter.inc({ outcome: "rejected" }, new Set(result.rejected.map((r) => r.index)).size);
}

/** 200 all stored (or already stored); 207 some rejected, the rest stored; 422 nothing stored. */
function ingestStatus(result: IngestResult, sent: number): number {
  if (result.rejected.length === 0) return 200;
  const rejectedEvents = new Set(result.rejected.map((r) => r.index)).size;
  return result.accepted + result.duplicates > 0 && rejectedEvents < sent ? 207 : 422;
}

/** `readDb`: where the listing itself runs (a replica, see lib/db-read.ts); the key check writes. */
export async function getConversations(db: Database, request: Request, readDb = db): Promise<Response> {
  const key = await authenticate(db, request, "read");
  if (key instanceof Response) return key;
  const query = parseQuery(new URL(request.url), listQuerySchema);
  if (query instanceof Response) return query;
  return json(await listApiConversations(readDb, { apiKeyId: key.id }, query.value));
}

export async function getConversation(db: Database, request: Request, id: string): Promise<Response> {
  const key = await authenticate(db, request, "read");
  if (key instanceof Response) return key;
  // No stored id is longer or holds U+0000 (which PostgreSQL text cannot): such an id names nothing.
  const conversation =
    id.length <= 200 && !id.includes("\u0000")
      ? await getApiConversation(db, { apiKeyId: key.id }, id)
      : null;
  if (!conversation)
    return apiError(404, "not_found", `No conversation has the id or session id "${id.slice(0, 200)}".`);
  return json(conversation);
}

/** Any other method on a key-protected endpoint: authenticate first (401 reveals nothing), then 405. */
export async function methodNotAllowed(
  db: Database,
  request: Request,
  scope: "read" | "write",
  allow: string,
): Promise<Response> {
  const key = await authenticate(db, request, scope);
  if (key instanceof Response) return key;
  return apiError(405, "method_not_allowed", `Use ${allow}.`, undefined, { allow });
}
