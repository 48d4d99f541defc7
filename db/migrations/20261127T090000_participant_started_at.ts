import { type Kysely, sql } from "kysely";

// The agent scope ("conversations I joined") in keyset order. Driven from conversations, it walks
// conversations_started_idx testing each row for the agent's participation: fine for a busy agent,
// a scan of the whole index for one with few conversations (or none). A copy of the conversation's
// start on each participation, indexed per user, lets the list read an agent's page in order
// straight from participants_user_started_idx (tests/integration/list-explain.test.ts).
//
// Triggers keep the copy equal to conversations.started_at whoever writes (ingest, seed, SQL): set on
// insert, followed when ingest moves a start (out-of-order events converge). The COPY loader runs
// with session_replication_role = replica, where triggers are off, so it writes the value itself.
// Nullable only so that typed inserts need not name a column the trigger overwrites anyway.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table conversation_participants add column conversation_started_at timestamptz;
update conversation_participants p set conversation_started_at = c.started_at
  from conversations c where c.id = p.conversation_id;

create function participants_set_conversation_started_at() returns trigger language plpgsql as $$
begin
  select started_at into new.conversation_started_at from conversations where id = new.conversation_id;
  return new;
end $$;
create trigger participants_conversation_started_at
  before insert or update of conversation_id, conversation_started_at on conversation_participants
  for each row execute function participants_set_conversation_started_at();

create function conversations_copy_started_at() returns trigger language plpgsql as $$
begin
  update conversation_participants set conversation_started_at = new.started_at
    where conversation_id = new.id;
  return null;
end $$;
create trigger conversations_started_at_to_participants
  after update of started_at on conversations
  for each row when (old.started_at is distinct from new.started_at)
  execute function conversations_copy_started_at();

create index participants_user_started_idx
  on conversation_participants (user_id, conversation_started_at desc, conversation_id desc);
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop index if exists participants_user_started_idx;
drop trigger if exists conversations_started_at_to_participants on conversations;
drop function if exists conversations_copy_started_at();
drop trigger if exists participants_conversation_started_at on conversation_participants;
drop function if exists participants_set_conversation_started_at();
alter table conversation_participants drop column if exists conversation_started_at;
`)
    .execute(db);
}
