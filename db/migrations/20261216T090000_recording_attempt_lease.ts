import { type Kysely, sql } from "kysely";

// A fetch attempt in flight is written on its recording: its kind and the state it replaced (what
// the outcome is judged by), who runs it (attempt_id) and until when (attempt_lease_until, renewed
// while the legs download). Before, a worker that died between claiming an attempt and storing its
// outcome left the row fetching_in_progress, and after the 24-hour attempt nothing ever looked at
// it again. Now the next job for the recording resumes an attempt whose lease lapsed, and the
// dispatcher finds lapsed ones through the partial index (a handful of rows: only attempts in flight).
// Rows the old code left that way (fetching, nothing booked: only the 24-hour attempt books
// nothing) become a lapsed 24-hour attempt, which the dispatcher's next pass resumes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create type recording_attempt_kind as enum ('initial', 'background', 'manual', 'final');
alter table recordings
  add column attempt_kind recording_attempt_kind,
  add column attempt_state_before recording_state,
  add column attempt_id uuid,
  add column attempt_lease_until timestamptz;
create index recordings_attempt_lease_idx on recordings (attempt_lease_until) where attempt_lease_until is not null;
update recordings r set attempt_kind = 'final', attempt_lease_until = now()
  from conversations c
  where c.id = r.conversation_id and c.ended_at is not null
    and r.state = 'fetching_in_progress' and r.next_attempt_at is null and r.deleted_at is null;
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop index if exists recordings_attempt_lease_idx;
alter table recordings
  drop column if exists attempt_kind,
  drop column if exists attempt_state_before,
  drop column if exists attempt_id,
  drop column if exists attempt_lease_until;
drop type if exists recording_attempt_kind;
`)
    .execute(db);
}
