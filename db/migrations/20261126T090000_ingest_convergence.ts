import { type Kysely, sql } from "kysely";

// What ingest needs so that replays are no-ops and out-of-order delivery converges:
// - ingest_clock: per mutable column, the "<occurredAt ISO> <event id>" of the event that last set it;
//   an event only overwrites a column whose clock is older (last writer by occurredAt wins, ties by id).
// - ingested_events keeps each event's time and payload: interval rows (participant joined/left,
//   skill added/removed) are re-derived from all of a conversation's marks, whatever order they came in.
// - source_event_id ties a derived row to the event that created it (upserts, stable row ids).
// - latency_turns.message_seq: a turn may arrive before its message; the id is resolved when both exist.
// - call_control_parameters.set_at: last writer wins per parameter.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table conversations add column ingest_clock jsonb not null default '{}';
alter table customers add column ingest_clock jsonb not null default '{}';

alter table ingested_events
  add column occurred_at timestamptz,
  add column payload jsonb;
create index ingested_events_session_type_idx on ingested_events (session_id, type);

alter table conversation_participants add column source_event_id text unique;
alter table conversation_queues add column source_event_id text unique;
alter table conversation_skills add column source_event_id text unique;
alter table notes add column source_event_id text unique;
alter table disposition_changes add column source_event_id text unique;
alter table conversation_events add column source_event_id text unique;

alter table latency_turns add column message_seq integer;
alter table call_control_parameters add column set_at timestamptz;
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table call_control_parameters drop column set_at;
alter table latency_turns drop column message_seq;
alter table conversation_events drop column source_event_id;
alter table disposition_changes drop column source_event_id;
alter table notes drop column source_event_id;
alter table conversation_skills drop column source_event_id;
alter table conversation_queues drop column source_event_id;
alter table conversation_participants drop column source_event_id;
drop index ingested_events_session_type_idx;
alter table ingested_events drop column payload, drop column occurred_at;
alter table customers drop column ingest_clock;
alter table conversations drop column ingest_clock;
`)
    .execute(db);
}
