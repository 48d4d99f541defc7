import { type Kysely, sql } from "kysely";

// Files retention deletes, listed in the transaction that tombstones their rows and deleted after
// it commits. Deleting them first (as before) meant a worker killed before the commit left rows
// saying "available" over files already gone — for up to an hour, during which a legal hold could
// be placed on a recording with no audio. Now a crash after the commit only leaves the list, which
// the next pass works off. The conversation is kept so that the deletion can check, under the
// conversation's lock as uploads take it, that no file was stored again under the same key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table blob_deletions (
  storage_key text primary key,
  conversation_id uuid not null,
  queued_at timestamptz not null default now()
)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table blob_deletions`.execute(db);
}
