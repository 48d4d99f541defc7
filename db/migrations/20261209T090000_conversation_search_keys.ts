import { type Kysely, sql } from "kysely";

// A rare search term's matches come from the GIN index in no useful order; to show the newest 50 the
// list had to look up every match's conversation for its start (and, for an agent, probe each one's
// participants): thousands of index probes on a large history, most of a search's time. With the
// start and the participants beside each document, the matches are scoped, ordered and cut to a
// page from conversation_search alone, and only that page is joined to the conversations
// (lib/conversations/list.ts).
//
// The copies follow their sources whoever writes them, like the participants' copy of the start
// (20261127T090000): conversation_search_refresh writes both with the document; triggers follow a
// moved start and a participation added or removed. The COPY loader's replica mode silences the
// triggers, and it calls conversation_search_refresh after loading anyway.
//
// The table is rebuilt rather than updated in place: every row gets new columns, and an UPDATE of
// each row would double the heap and re-insert every document into the GIN index.
const DOCUMENT = `
         setweight(to_tsvector('parley', left(coalesce(m.body, ''), 500000)), 'D')
      || setweight(to_tsvector('parley', parley_search_text(coalesce(m.subjects, ''), '[]')), 'C')
      || setweight(to_tsvector('parley', parley_search_text(
           concat_ws(' ', n.body, coalesce(d.note, c.disposition_note)), '[]')), 'B')`;
const SOURCES = `
  from conversations c
  left join lateral (
    select string_agg(parley_search_text(x.body, x.pii_spans), ' ' order by x.seq) as body,
           string_agg(x.email_subject, ' ' order by x.seq) as subjects
    from messages x where x.conversation_id = c.id) m on true
  left join lateral (
    select string_agg(x.body, ' ' order by x.created_at, x.id) as body
    from notes x where x.conversation_id = c.id) n on true
  left join lateral (
    select string_agg(x.note, ' ' order by x.changed_at, x.id) as note
    from disposition_changes x where x.conversation_id = c.id) d on true
  where c.id = any(ids)`;

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

create or replace function conversation_search_refresh(ids uuid[]) returns void language sql as $$
  insert into conversation_search as cs (conversation_id, started_at, participant_ids, document)
  select c.id, c.started_at, conversation_participant_ids(c.id), ${DOCUMENT}
  ${SOURCES}
  on conflict (conversation_id) do update
    set document = excluded.document, started_at = excluded.started_at, participant_ids = excluded.participant_ids
  where (cs.document, cs.started_at, cs.participant_ids)
    is distinct from (excluded.document, excluded.started_at, excluded.participant_ids)
$$;

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
create or replace function conversation_search_refresh(ids uuid[]) returns void language sql as $$
  insert into conversation_search as cs (conversation_id, document)
  select c.id, ${DOCUMENT}
  ${SOURCES}
  on conflict (conversation_id) do update set document = excluded.document
  where cs.document is distinct from excluded.document
$$;
alter table conversation_search drop column started_at, drop column participant_ids;
drop function if exists conversation_participant_ids(uuid);
`)
    .execute(db);
}
