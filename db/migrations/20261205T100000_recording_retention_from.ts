import { type Kysely, sql } from "kysely";

// Retention counts from the call's end (conversations.ended_at; the recording's creation for a call
// that never reported one). The hourly retention pass asks for recordings whose start of retention
// is before a cutoff; joined to conversations that was a walk over every recording (seconds at
// 200k rows, `npm run bench -- retention`). A copy on the recording, indexed over the rows retention
// can still act on (not deleted, not held), makes it a range scan of the due rows only.
//
// Triggers keep the copy right whoever writes (ingest, uploads, seed, SQL): set on insert, followed
// when ingest moves a call's end. The COPY loader runs with triggers off and writes it itself.
// Nullable only so that typed inserts need not name a column the trigger overwrites anyway.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table recordings add column retention_from timestamptz;
update recordings r set retention_from = coalesce(c.ended_at, r.created_at)
  from conversations c where c.id = r.conversation_id;

create function recordings_set_retention_from() returns trigger language plpgsql as $$
begin
  select coalesce(ended_at, new.created_at) into new.retention_from from conversations where id = new.conversation_id;
  return new;
end $$;
create trigger recordings_retention_from
  before insert or update of conversation_id, retention_from on recordings
  for each row execute function recordings_set_retention_from();

create function conversations_copy_ended_at() returns trigger language plpgsql as $$
begin
  update recordings set retention_from = coalesce(new.ended_at, created_at) where conversation_id = new.id;
  return null;
end $$;
create trigger conversations_ended_at_to_recordings
  after update of ended_at on conversations
  for each row when (old.ended_at is distinct from new.ended_at)
  execute function conversations_copy_ended_at();

create index recordings_retention_due_idx on recordings (retention_from)
  where deleted_at is null and not legal_hold;
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop index if exists recordings_retention_due_idx;
drop trigger if exists conversations_ended_at_to_recordings on conversations;
drop function if exists conversations_copy_ended_at();
drop trigger if exists recordings_retention_from on recordings;
drop function if exists recordings_set_retention_from();
alter table recordings drop column if exists retention_from;
`)
    .execute(db);
}
