import { type Kysely, sql } from "kysely";

// A rare search term's matches come from the GIN index in no useful order; to show the newest 50 the
// list had to look up every match's conversation for its start (and, for an agent, probe each one's
// participants): thousands of index probes on a large history, most of a search's time. With the
// start and the participants beside each document, the matches are scoped, ordered and cut to a
// page from conversation_search alone, and only that page is joined to the conversations
// (lib/conversations/list.ts).
//
// Triggers keep the copies equal to their sources whoever writes (ingest, seeders, SQL), like the
// participants' copy of the start (20261127T090000):
// - a document written (conversation_search_refresh) takes both copies as they are then; this one
//   fires in replica mode too (ENABLE ALWAYS), so the COPY loader's documents get them as well;
// - a moved start and a participation added, changed or removed are copied to the document.
//
// The table is rebuilt rather than updated in place: every row gets new columns, and an UPDATE of
// each row would double the heap and re-insert every document into the GIN index.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
-- Everyone who joined, once each, sorted: the agent scope ("conversations I joined", lib/auth/scope.ts).
create function conversation_participant_ids(conversation uuid) returns uuid[] language sql stable as $$
  select coalesce(array_agg(distinct p.user_id order by p.user_id), '{}')
  from conversation_participants p where p.conversation_id = conversation
$$;

create table conversation_search_next (
  conversation_id uuid primary key references conversations(id) on delete cascade,
  started_at timestamptz not null,
  participant_ids uuid[] not null,
  document tsvector not null
);
insert into conversation_search_next (conversation_id, started_at, participant_ids, document)
select s.conversation_id, c.started_at, coalesce(p.ids, '{}'), s.document
from conversation_search s
join conversations c on c.id = s.conversation_id
left join (
  select conversation_id, array_agg(distinct user_id order by user_id) as ids
  from conversation_participants group by conversation_id) p on p.conversation_id = s.conversation_id;
drop table conversation_search;
alter table conversation_search_next rename to conversation_search;
alter index conversation_search_next_pkey rename to conversation_search_pkey;
alter table conversation_search
  rename constraint conversation_search_next_conversation_id_fkey to conversation_search_conversation_id_fkey;
create index conversation_search_document_idx on conversation_search using gin (document);

create function conversation_search_take_keys() returns trigger language plpgsql as $$
begin
  select started_at into new.started_at from conversations where id = new.conversation_id;
  new.participant_ids := conversation_participant_ids(new.conversation_id);
  return new;
end $$;
create trigger conversation_search_keys
  before insert or update of conversation_id, document on conversation_search
  for each row execute function conversation_search_take_keys();
alter table conversation_search enable always trigger conversation_search_keys;

create function conversations_copy_started_at_to_search() returns trigger language plpgsql as $$
begin
  update conversation_search set started_at = new.started_at where conversation_id = new.id;
  return null;
end $$;
create trigger conversations_started_at_to_search
  after update of started_at on conversations
  for each row when (old.started_at is distinct from new.started_at)
  execute function conversations_copy_started_at_to_search();

-- Once per statement (ingest writes a batch's participations in one), over the conversations it touched.
create function participants_copy_to_search() returns trigger language plpgsql as $$
declare
  touched uuid[];
begin
  if tg_op = 'INSERT' then
    touched := array(select distinct conversation_id from added);
  elsif tg_op = 'DELETE' then
    touched := array(select distinct conversation_id from removed);
  else
    touched := array(select conversation_id from added union select conversation_id from removed);
  end if;
  update conversation_search s set participant_ids = conversation_participant_ids(s.conversation_id)
    where s.conversation_id = any(touched)
      and s.participant_ids is distinct from conversation_participant_ids(s.conversation_id);
  return null;
end $$;
create trigger participants_to_search_on_insert after insert on conversation_participants
  referencing new table as added for each statement execute function participants_copy_to_search();
create trigger participants_to_search_on_delete after delete on conversation_participants
  referencing old table as removed for each statement execute function participants_copy_to_search();
create trigger participants_to_search_on_update after update on conversation_participants
  referencing new table as added old table as removed
  for each statement execute function participants_copy_to_search();
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop trigger if exists participants_to_search_on_insert on conversation_participants;
drop trigger if exists participants_to_search_on_delete on conversation_participants;
drop trigger if exists participants_to_search_on_update on conversation_participants;
drop function if exists participants_copy_to_search();
drop trigger if exists conversations_started_at_to_search on conversations;
drop function if exists conversations_copy_started_at_to_search();
drop trigger if exists conversation_search_keys on conversation_search;
drop function if exists conversation_search_take_keys();
alter table conversation_search drop column started_at, drop column participant_ids;
drop function if exists conversation_participant_ids(uuid);
`)
    .execute(db);
}
