import { randomBytes, randomUUID } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import type { DB } from "../../db/types.ts";
import { type Actor, type RequestContext, recordAudit } from "../audit/index.ts";
import { deliverWebhookJob } from "../jobs/definitions.ts";
import { enqueue } from "../jobs/enqueue.ts";
import { TEST_EVENT, WEBHOOK_EVENTS } from "./events.ts";

// Outgoing webhooks: an admin registers URLs; Parley POSTs the events each one subscribed to.
// Deliveries are written by database triggers (migration 20261219T170000_outgoing_webhooks) in the
// transaction of the change they report; the worker turns them into one job each
// (dispatchWebhookDeliveries), and lib/webhooks/deliver.ts sends them, signed.

export const webhookEventsSchema = z.array(z.enum(WEBHOOK_EVENTS)).min(1, "Choose at least one event.");

export const webhookEndpointSchema = z.object({
  url: z
    .url({ protocol: /^https?$/, error: "Enter an http:// or https:// URL." })
    .max(2000, "At most 2,000 characters."),
  description: z.string().trim().max(200, "At most 200 characters.").default(""),
  events: webhookEventsSchema,
});
export type WebhookEndpointInput = z.input<typeof webhookEndpointSchema>;

type Db = Kysely<DB> | Transaction<DB>;

/** A new endpoint with its signing secret (shown to admins, who give it to the receiver). */
export async function createWebhookEndpoint(
  db: Kysely<DB>,
  actor: Actor,
  input: WebhookEndpointInput,
  context?: RequestContext,
): Promise<{ id: string; secret: string }> {
  const parsed = webhookEndpointSchema.parse(input);
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("webhook_endpoints")
      .values({
        url: parsed.url,
        description: parsed.description,
        events: [...new Set(parsed.events)],
        secret,
        created_by: actor.kind === "user" ? actor.id : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: "webhook.create",
      target: { type: "webhook", id: row.id },
      detail: { url: parsed.url, events: parsed.events },
      context,
    });
    return { id: row.id, secret };
  });
}

/** Turns an endpoint on or off; false when it does not exist or already is so. */
export async function setWebhookEndpointActive(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  active: boolean,
  context?: RequestContext,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("webhook_endpoints")
      .set({ active, updated_at: new Date() })
      .where("id", "=", id)
      .where("active", "=", !active)
      .returning("url")
      .executeTakeFirst();
    if (!row) return false;
    await recordAudit(trx, {
      actor,
      action: active ? "webhook.enable" : "webhook.disable",
      target: { type: "webhook", id },
      detail: { url: row.url },
      context,
    });
    return true;
  });
}

/** Deletes an endpoint and its delivery log; false when it does not exist. */
export async function deleteWebhookEndpoint(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  context?: RequestContext,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom("webhook_endpoints")
      .where("id", "=", id)
      .returning("url")
      .executeTakeFirst();
    if (!row) return false;
    await recordAudit(trx, {
      actor,
      action: "webhook.delete",
      target: { type: "webhook", id },
      detail: { url: row.url },
      context,
    });
    return true;
  });
}

export async function listWebhookEndpoints(db: Db) {
  return db
    .selectFrom("webhook_endpoints as e")
    .select([
      "e.id",
      "e.url",
      "e.description",
      "e.events",
      "e.active",
      "e.created_at",
      (eb) =>
        eb
          .selectFrom("webhook_deliveries as d")
          .select((d) => d.fn.countAll<string>().as("n"))
          .whereRef("d.endpoint_id", "=", "e.id")
          .where("d.status", "=", "failed")
          .where("d.created_at", ">", sql<Date>`now() - interval '1 day'`)
          .as("failed_last_day"),
    ])
    .orderBy("e.created_at", "desc")
    .execute();
}

/** The newest deliveries (all endpoints, or one), for the admin's delivery log. */
export async function listWebhookDeliveries(db: Db, opts: { endpointId?: string; limit?: number } = {}) {
  let query = db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_endpoints as e", "e.id", "d.endpoint_id")
    .select([
      "d.id",
      "d.endpoint_id",
      "e.url",
      "d.event_type",
      "d.status",
      "d.attempts",
      "d.last_status",
      "d.last_error",
      "d.last_duration_ms",
      "d.created_at",
      "d.last_attempt_at",
      "d.finished_at",
    ])
    .orderBy("d.created_at", "desc")
    .orderBy("d.id")
    .limit(opts.limit ?? 100);
  if (opts.endpointId) query = query.where("d.endpoint_id", "=", opts.endpointId);
  return query.execute();
}

/**
 * "Send test": one `webhook.test` delivery to the endpoint, queued at once (it is written here,
 * not by a trigger, so it takes its job in the same transaction). Null when the endpoint is gone.
 */
export async function sendTestWebhook(
  db: Kysely<DB>,
  boss: PgBoss,
  actor: Actor,
  endpointId: string,
  context?: RequestContext,
): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const endpoint = await trx
      .selectFrom("webhook_endpoints")
      .select(["id", "url"])
      .where("id", "=", endpointId)
      .executeTakeFirst();
    if (!endpoint) return null;
    const delivery = await trx
      .insertInto("webhook_deliveries")
      .values({
        endpoint_id: endpoint.id,
        event_type: TEST_EVENT,
        event_key: `${TEST_EVENT}:${randomUUID()}`,
        payload: JSON.stringify({ message: "A test event sent from Parley's Admin → Webhooks." }),
        status: "queued",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await enqueue(boss, deliverWebhookJob, { deliveryId: delivery.id }, { trx, singletonKey: delivery.id });
    await recordAudit(trx, {
      actor,
      action: "webhook.test",
      target: { type: "webhook", id: endpoint.id },
      detail: { url: endpoint.url, deliveryId: delivery.id },
      context,
    });
    return delivery.id;
  });
}

/** How many new deliveries one dispatch pass turns into jobs per transaction. */
const DISPATCH_BATCH = 200;

/**
 * Turns the deliveries triggers wrote into jobs: each pending row gets its `webhooks.deliver` job
 * and becomes `queued` in one transaction, so a row is queued exactly once even with several
 * workers dispatching (SKIP LOCKED) or one dying mid-pass (its transaction rolls back).
 */
export async function dispatchWebhookDeliveries(db: Kysely<DB>, boss: PgBoss): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("webhook_deliveries")
        .select("id")
        .where("status", "=", "pending")
        .orderBy("created_at")
        .limit(DISPATCH_BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const row of rows) {
        await enqueue(boss, deliverWebhookJob, { deliveryId: row.id }, { trx, singletonKey: row.id });
      }
      if (rows.length > 0) {
        await trx
          .updateTable("webhook_deliveries")
          .set({ status: "queued" })
          .where(
            "id",
            "in",
            rows.map((r) => r.id),
          )
          .execute();
      }
      return rows.length;
    });
    total += n;
    if (n < DISPATCH_BATCH) return total;
  }
}
