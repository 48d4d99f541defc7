import type { Kysely } from "kysely";
import type { DB } from "../../db/types.ts";
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from "../platform/webhook.ts";
import { type AllowList, OutboundRefused, outboundPost, type Resolver } from "../recordings/outbound.ts";

// Sending one delivery. The signature is the platform webhook's (HMAC-SHA256 over
// "<timestamp>.<body>"), and the idempotency key is the delivery id, which is also the body's `id`:
// it is under the signature, so a replay that changes the header no longer matches the body and a
// receiver refuses it (lib/webhooks/receiver.ts). The body is rebuilt from the stored row, byte for
// byte the same on every retry.

/** A receiver that has not answered within this is treated as failed (and retried). */
const DELIVERY_TIMEOUT_MS = 10_000;
export const FAILED_AFTER_RETRIES = "Parley stopped retrying: the endpoint never accepted the event.";

type DeliveryRow = { id: string; event_type: string; payload: unknown; created_at: Date };

/** The JSON body of a delivery: `{ id, type, createdAt, data }`. */
export function deliveryBody(row: DeliveryRow): string {
  return JSON.stringify({
    id: row.id,
    type: row.event_type,
    createdAt: row.created_at.toISOString(),
    data: row.payload,
  });
}

export type DeliverOptions = {
  allow: AllowList;
  /** The job's last attempt: a failure then ends the delivery instead of throwing for a retry. */
  lastAttempt: boolean;
  now?: () => Date;
  resolve?: Resolver;
};

export class DeliveryFailed extends Error {
  override name = "DeliveryFailed";
}

/**
 * Sends delivery `id` once and records the attempt. Settled deliveries are left alone (a job
 * delivered twice by pg-boss sends once more at most, with the same idempotency key). Throws
 * DeliveryFailed when the attempt failed and another one should follow.
 */
export async function deliverWebhook(db: Kysely<DB>, id: string, opts: DeliverOptions): Promise<void> {
  const now = opts.now ?? (() => new Date());
  const row = await db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_endpoints as e", "e.id", "d.endpoint_id")
    .select([
      "d.id",
      "d.event_type",
      "d.payload",
      "d.created_at",
      "d.status",
      "e.url",
      "e.secret",
      "e.active",
    ])
    .where("d.id", "=", id)
    .executeTakeFirst();
  if (!row || row.status === "succeeded" || row.status === "failed") return;
  if (!row.active) {
    await settle(db, id, { status: "failed", error: "The endpoint was disabled.", at: now() });
    return;
  }

  const body = deliveryBody(row);
  const timestamp = String(Math.floor(now().getTime() / 1000));
  const started = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await outboundPost(row.url, body, {
      headers: {
        "content-type": "application/json",
        "user-agent": "Parley-Webhook/1",
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: sign(row.secret, timestamp, body),
        [IDEMPOTENCY_HEADER]: row.id,
      },
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      allow: opts.allow,
      resolve: opts.resolve,
    });
    status = res.status;
    await res.body?.cancel().catch(() => {});
    if (status < 200 || status > 299) error = `The endpoint answered HTTP ${status}`;
  } catch (err) {
    const e = err as Error & { cause?: { message?: string } };
    error =
      err instanceof OutboundRefused
        ? `Refused: ${e.message}`
        : `The endpoint could not be reached: ${e.cause?.message ?? e.message}`;
  }
  const durationMs = Math.round(performance.now() - started);
  if (!error) {
    await settle(db, id, { status: "succeeded", httpStatus: status, durationMs, at: now() });
    return;
  }
  // A refused address will be refused again: no point retrying it.
  const final = opts.lastAttempt || error.startsWith("Refused:");
  await settle(db, id, {
    status: final ? "failed" : "queued",
    httpStatus: status,
    error,
    durationMs,
    at: now(),
  });
  if (!final) throw new DeliveryFailed(error);
}

async function settle(
  db: Kysely<DB>,
  id: string,
  s: {
    status: "queued" | "succeeded" | "failed";
    at: Date;
    httpStatus?: number | null;
    error?: string | null;
    durationMs?: number;
  },
) {
  const attempted = s.durationMs !== undefined;
  await db
    .updateTable("webhook_deliveries")
    .set((eb) => ({
      status: s.status,
      ...(attempted
        ? {
            attempts: eb("attempts", "+", 1),
            last_attempt_at: s.at,
            last_status: s.httpStatus ?? null,
            last_duration_ms: s.durationMs,
          }
        : {}),
      last_error: s.error ?? null,
      finished_at: s.status === "queued" ? null : s.at,
    }))
    .where("id", "=", id)
    .where("status", "not in", ["succeeded", "failed"])
    .execute();
}

/** The dead letter of a delivery job (its worker died on the last attempt): ends it as failed. */
export async function failWebhookDelivery(db: Kysely<DB>, id: string, now = new Date()): Promise<void> {
  await db
    .updateTable("webhook_deliveries")
    .set({ status: "failed", last_error: FAILED_AFTER_RETRIES, finished_at: now })
    .where("id", "=", id)
    .where("status", "not in", ["succeeded", "failed"])
    .execute();
}
