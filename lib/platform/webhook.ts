import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

// The outbound webhook that asks the contact-center platform to carry out a supervisor action.
// Parley is not the telephony/chat engine: it records the request, POSTs it here, and learns the
// outcome from the platform's ingest events (lib/platform/actions.ts settles them).
//
// Signature: HMAC-SHA256 over "<timestamp>.<raw body>" with the shared secret, hex, sent as
// `Parley-Signature: v1=<hex>` next to `Parley-Timestamp` (Unix seconds). Signing the timestamp
// lets a receiver refuse replays older than its tolerance. `Idempotency-Key` is the action id, which
// the signed body carries as `id`: every retry of one action carries the same key and the same body,
// so a receiver that saw it before can answer without acting twice. Receivers must key on the body's
// `id` (or refuse a header that differs from it): the header itself is not signed, and a replay with a
// new header must not pass for a new action.

export const SIGNATURE_HEADER = "parley-signature";
export const TIMESTAMP_HEADER = "parley-timestamp";
export const IDEMPOTENCY_HEADER = "idempotency-key";
/** A receiver refuses a signature whose timestamp is further than this from its clock. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
/** A platform that has not answered within this is treated as failed (and retried). */
const DELIVERY_TIMEOUT_MS = 10_000;

export const platformActionRequestSchema = z
  .object({
    id: z.uuid(),
    type: z.enum(["join", "assign", "change_queue"]),
    createdAt: z.iso.datetime({ offset: true }),
    conversation: z.object({ id: z.uuid(), sessionId: z.string().min(1) }).strict(),
    requestedBy: z.object({ email: z.email(), name: z.string() }).strict(),
    /** assign: the agent who should take the conversation. */
    agent: z.object({ email: z.email(), name: z.string() }).strict().optional(),
    /** change_queue: the queue the conversation should move to. */
    queue: z.string().min(1).optional(),
  })
  .strict();
export type PlatformActionRequest = z.infer<typeof platformActionRequestSchema>;

export function sign(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** True when `signature` is ours for this timestamp and body, and the timestamp is recent enough. */
export function verifySignature(opts: {
  secret: string;
  timestamp: string | null;
  signature: string | null;
  body: string;
  now?: Date;
  toleranceSeconds?: number;
}): boolean {
  const { timestamp, signature } = opts;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const nowSeconds = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return false;
  }
  const expected = Buffer.from(sign(opts.secret, timestamp, opts.body));
  const given = Buffer.from(signature);
  // Constant-time comparison: a byte-by-byte early exit would leak how much of a guess was right.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type Delivery = { ok: true; status: number } | { ok: false; error: string };

/** POSTs one signed request. Never throws: a refusal, a timeout or a network error is a failed delivery. */
export async function deliver(
  target: { url: string; secret: string },
  request: PlatformActionRequest,
  now: Date = new Date(),
): Promise<Delivery> {
  const body = JSON.stringify(request);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  try {
    const res = await fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Parley-Webhook/1",
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: sign(target.secret, timestamp, body),
        [IDEMPOTENCY_HEADER]: request.id,
      },
      body,
      redirect: "error", // a redirect would re-send a signed request somewhere not configured
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (res.ok) return { ok: true, status: res.status };
    return { ok: false, error: `The platform answered HTTP ${res.status}` };
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return { ok: false, error: `The platform could not be reached: ${cause ?? (error as Error).message}` };
  }
}
