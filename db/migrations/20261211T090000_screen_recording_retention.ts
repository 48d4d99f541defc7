import { type Kysely, sql } from "kysely";

// Screen recordings follow the call recording retention policy (spec "Screen Recording"). Most are
// deleted with their call's recording (lib/recordings/retention.ts); a call recorded on screen but
// not in audio (call recording off) has no recording row to carry them, so such screen recordings
// are warned and deleted on their own, with the same 7 days' notice: they need their own warning
// time, and an index for the hourly pass to find the due ones without reading them all.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table screen_recordings add column deletion_warning_sent_at timestamptz;
create index screen_recordings_retention_idx on screen_recordings (created_at) where deleted_at is null;
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop index if exists screen_recordings_retention_idx;
alter table screen_recordings drop column if exists deletion_warning_sent_at;
`)
    .execute(db);
}
