import { type Kysely, sql } from "kysely";

// The fetch dispatcher (lib/recordings/schedule.ts) runs every minute and asks for the recordings
// whose next attempt is due. Only recordings still being fetched have a next attempt (the state
// machine clears it on every settled state), so a partial index on the time alone holds a handful
// of rows however many recordings exist, and serves the query as a range scan. It replaces the
// (state, next_attempt_at) index, which the "not settled" condition could not use as a range.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create index recordings_next_attempt_idx on recordings (next_attempt_at) where next_attempt_at is not null;
drop index if exists recordings_state_next_attempt_idx;
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create index if not exists recordings_state_next_attempt_idx on recordings (state, next_attempt_at);
drop index if exists recordings_next_attempt_idx;
`)
    .execute(db);
}
