import { type Kysely, sql } from "kysely";

// A legal hold is placed on a conversation: its call recording and its screen recordings. A call
// recorded on screen only has no recording row to carry the hold, so screen recordings get their
// own flag, and the retention index leaves held ones out as recordings_retention_due_idx does. It
// also leaves out rows without a file (the agent app missing, a failed upload): there is nothing
// to delete, so nothing to warn about. Screen recordings of conversations already held take the hold.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table screen_recordings add column legal_hold boolean not null default false;
update screen_recordings s set legal_hold = true
  from recordings r where r.conversation_id = s.conversation_id and r.legal_hold;
drop index screen_recordings_retention_idx;
create index screen_recordings_retention_idx on screen_recordings (created_at)
  where deleted_at is null and not legal_hold and storage_key is not null;
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop index screen_recordings_retention_idx;
create index screen_recordings_retention_idx on screen_recordings (created_at) where deleted_at is null;
alter table screen_recordings drop column legal_hold;
`)
    .execute(db);
}
