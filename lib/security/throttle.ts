import { sql } from "kysely";
import type { Database } from "../../db/client.ts";

// Failed authentications (wrong API keys, refused sign-ins) are counted per client address in fixed
// windows, in PostgreSQL because every web process must see the same count: past the limit, that
// address is answered 429 with Retry-After until its window ends, right or wrong. An unknown
// address (no web server in front, as in tests) shares one bucket.

export const AUTH_FAILURE_LIMIT = 20;
export const AUTH_WINDOW_SECONDS = 10 * 60;

export type ThrottleKind = "api-key" | "sign-in";

const keyOf = (kind: ThrottleKind, address: string | null | undefined) => `${kind}:${address ?? "unknown"}`;

/** Seconds until `address` may try again, or null when it may now. */
export async function retryAfterSeconds(
  db: Database,
  kind: ThrottleKind,
  address: string | null | undefined,
): Promise<number | null> {
  const row = await sql<{ wait: number }>`
    select ceil(extract(epoch from window_started_at + make_interval(secs => ${AUTH_WINDOW_SECONDS}) - now()))::int as wait
    from auth_throttle
    where key = ${keyOf(kind, address)} and failures >= ${AUTH_FAILURE_LIMIT}
      and window_started_at > now() - make_interval(secs => ${AUTH_WINDOW_SECONDS})`.execute(db);
  const wait = row.rows[0]?.wait;
  return wait === undefined ? null : Math.max(1, wait);
}

/** Counts one failure of `address`; a window that has ended starts again at 1. */
export async function recordAuthFailure(
  db: Database,
  kind: ThrottleKind,
  address: string | null | undefined,
): Promise<void> {
  await sql`
    with purged as (
      delete from auth_throttle where window_started_at < now() - make_interval(secs => ${AUTH_WINDOW_SECONDS * 2})
    )
    insert into auth_throttle (key, window_started_at, failures) values (${keyOf(kind, address)}, now(), 1)
    on conflict (key) do update set
      failures = case when auth_throttle.window_started_at <= now() - make_interval(secs => ${AUTH_WINDOW_SECONDS})
                      then 1 else auth_throttle.failures + 1 end,
      window_started_at = case when auth_throttle.window_started_at <= now() - make_interval(secs => ${AUTH_WINDOW_SECONDS})
                               then now() else auth_throttle.window_started_at end`.execute(db);
}

export function tooManyAttempts(retryAfter: number, body: unknown): Response {
  return Response.json(body, {
    status: 429,
    headers: { "retry-after": String(retryAfter), "cache-control": "no-store" },
  });
}
