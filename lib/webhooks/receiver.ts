import { z } from "zod";
import {
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
} from "../platform/webhook.ts";

// The reference receiver of Parley's outgoing webhooks: what an integrator's endpoint should check
// (scripts/webhook-receiver.ts runs it as a small server). A delivery is accepted when
//  1. its signature matches the body and a timestamp within the tolerance (a stale replay fails),
//  2. its Idempotency-Key header equals the signed body's `id` (a replay under another key fails),
//  3. that id was not processed before (a retry or replay within the window is acknowledged, not
//     acted on twice).

const bodySchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  data: z.unknown(),
});
export type WebhookDelivery = z.infer<typeof bodySchema>;

export type ReceiveResult =
  | { ok: true; duplicate: boolean; delivery: WebhookDelivery }
  | { ok: false; status: 400 | 401; error: string };

export type Headers = { get(name: string): string | null };

/** Checks one request; `seen` remembers processed ids (the caller bounds it, e.g. by age). */
export function receiveWebhook(opts: {
  secret: string;
  headers: Headers;
  body: string;
  seen: Set<string>;
  now?: Date;
}): ReceiveResult {
  const signed = verifySignature({
    secret: opts.secret,
    timestamp: opts.headers.get(TIMESTAMP_HEADER),
    signature: opts.headers.get(SIGNATURE_HEADER),
    body: opts.body,
    now: opts.now,
  });
  if (!signed) return { ok: false, status: 401, error: "Bad or stale signature" };
  let parsed: z.ZodSafeParseResult<WebhookDelivery>;
  try {
    parsed = bodySchema.safeParse(JSON.parse(opts.body));
  } catch {
    return { ok: false, status: 400, error: "The body is not JSON" };
  }
  if (!parsed.success) return { ok: false, status: 400, error: "The body is not a Parley event" };
  if (opts.headers.get(IDEMPOTENCY_HEADER) !== parsed.data.id) {
    return { ok: false, status: 400, error: "Idempotency-Key does not match the signed event id" };
  }
  const duplicate = opts.seen.has(parsed.data.id);
  opts.seen.add(parsed.data.id);
  return { ok: true, duplicate, delivery: parsed.data };
}
