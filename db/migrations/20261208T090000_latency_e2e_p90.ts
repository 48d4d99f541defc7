import { type Kysely, sql } from "kysely";

// The end-to-end latency p90 of each voice conversation, kept on the conversation so the list can
// sort and filter by it through an index (a percentile over latency_turns per row would be read for
// every candidate row). Ingest recomputes it, set-based, for the conversations a batch of latency
// turns touches (lib/conversations/latency-store.ts); null where no turn measured end to end.
// The index serves "slowest/fastest first" in both directions; only measured conversations have a
// place in that order.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table conversations add column e2e_p90_ms double precision;
create index conversations_e2e_p90_idx on conversations (e2e_p90_ms, id) where e2e_p90_ms is not null;

update conversations c set e2e_p90_ms = s.p90
from (
  select conversation_id,
    percentile_cont(0.9) within group (order by
      extract(epoch from date_trunc('milliseconds', first_audio_heard_at)
        - date_trunc('milliseconds', user_stopped_speaking_at)) * 1000) as p90
  from latency_turns
  where first_audio_heard_at is not null and user_stopped_speaking_at is not null
  group by conversation_id
) s
where s.conversation_id = c.id;
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`alter table conversations drop column e2e_p90_ms;`).execute(db);
}
