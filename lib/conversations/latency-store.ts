import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/types.ts";
import { MAX_CLOCK_SKEW_MS, MAX_TURN_MS } from "./latency.ts";

/**
 * Recomputes conversations.e2e_p90_ms — the 90th percentile of End-to-End Latency over the
 * conversation's turns, by the same definition as `percentile` in latency.ts (percentile_cont, ms
 * between the two timestamps) — for the given conversations, or all with "all". One statement for
 * the whole set; a conversation whose turns no longer measure end to end goes back to null.
 */
export async function refreshE2eP90(db: Kysely<DB> | Transaction<DB>, ids: readonly string[] | "all") {
  if (ids !== "all" && ids.length === 0) return;
  const only = ids === "all" ? sql`true` : sql`c.id = any(${[...ids]}::uuid[])`;
  await sql`
    update conversations c set e2e_p90_ms = s.p90
    from (
      select c.id, (
        select percentile_cont(0.9) within group (order by
          extract(epoch from date_trunc('milliseconds', lt.first_audio_heard_at)
            - date_trunc('milliseconds', lt.user_stopped_speaking_at)) * 1000)
        from latency_turns lt
        where lt.conversation_id = c.id
          and lt.first_audio_heard_at is not null and lt.user_stopped_speaking_at is not null
          -- the same plausibility as computeLatencies: a reversed or overlong turn measured nothing
          and lt.first_audio_heard_at - lt.user_stopped_speaking_at
            between ${`${-MAX_CLOCK_SKEW_MS} milliseconds`}::interval and ${`${MAX_TURN_MS} milliseconds`}::interval
      ) as p90
      from conversations c
      where ${only}
    ) s
    where s.id = c.id and c.e2e_p90_ms is distinct from s.p90`.execute(db);
}
