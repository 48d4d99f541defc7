import { type Kysely, sql } from "kysely";

// Keyword search (lib/search): one full-text document per conversation, GIN-indexed.
//
// Why per conversation and not per message: a result is a conversation, ranked over everything it
// says; one document per conversation means one GIN posting per conversation (not per message) and,
// when a common term is read in start-time order, one document check per conversation.
//
// Masking: the document never holds a value that "Obscure customer info" hides, whatever the
// setting, so a masked value can never be found by searching it (and the setting can change
// without rebuilding anything):
// - spans the platform marked as personal data (messages.pii_spans) are cut out before indexing;
// - the `parley` configuration (English, stop words dropped) does not index e-mail addresses;
// - runs of 7+ digits (with spaces, dots, dashes or brackets between them) are cut out: they may be
//   phone numbers, marked or not (and card numbers, which are no better to index).
//
// conversation_search_refresh(ids) is the one set-based statement that (re)builds documents from a
// conversation's messages (call transcripts and chats), e-mail subjects, agent notes and disposition
// notes. Ingest calls it for the conversations a batch wrote to, the seeders after loading; no
// trigger, so bulk loads (COPY with triggers off) are covered by calling it once afterwards.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create text search configuration parley (copy = english);
alter text search configuration parley drop mapping for email;

-- pii_spans offsets count UTF-16 code units (they are checked against the JavaScript length at
-- ingest), PostgreSQL's substr counts characters: characters outside the BMP take two units.
create function parley_search_text(body text, pii_spans jsonb) returns text
language plpgsql immutable parallel safe as $$
declare
  span jsonb;
  s int;
  e int;
  out text := body;
  astral boolean := body ~ '[\\U00010000-\\U0010FFFF]';
begin
  if jsonb_typeof(pii_spans) = 'array' and jsonb_array_length(pii_spans) > 0 then
    -- From the last span backwards, so earlier offsets stay valid.
    for span in select value from jsonb_array_elements(pii_spans)
                order by (value ->> 'start')::int desc nulls last loop
      s := (span ->> 'start')::int;
      e := (span ->> 'end')::int;
      continue when s is null or e is null or s < 0 or e <= s;
      if astral then
        s := s - (select count(*) from regexp_matches(left(body, s), '[\\U00010000-\\U0010FFFF]', 'g'));
        e := e - (select count(*) from regexp_matches(left(body, e), '[\\U00010000-\\U0010FFFF]', 'g'));
      end if;
      out := left(out, s) || ' ' || substr(out, e + 1);
    end loop;
  end if;
  return regexp_replace(out, '\\+?\\(?\\d(?:[\\s().-]*\\d){6,}', ' ', 'g');
end $$;

create table conversation_search (
  conversation_id uuid primary key references conversations(id) on delete cascade,
  document tsvector not null
);
create index conversation_search_document_idx on conversation_search using gin (document);

-- A tsvector holds at most 1 MB: an enormous thread is indexed by its first 500,000 characters.
-- Weights: the transcript D, e-mail subjects C, agent and disposition notes B (an agent's summary
-- says more about a conversation than a passing mention), so a term found in more places ranks higher.
create function conversation_search_refresh(ids uuid[]) returns void language sql as $$
  insert into conversation_search as cs (conversation_id, document)
  select c.id,
         setweight(to_tsvector('parley', left(coalesce(m.body, ''), 500000)), 'D')
      || setweight(to_tsvector('parley', parley_search_text(coalesce(m.subjects, ''), '[]')), 'C')
      || setweight(to_tsvector('parley', parley_search_text(
           concat_ws(' ', n.body, coalesce(d.note, c.disposition_note)), '[]')), 'B')
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
  where c.id = any(ids)
  on conflict (conversation_id) do update set document = excluded.document
  where cs.document is distinct from excluded.document
$$;

select conversation_search_refresh(array(select id from conversations));
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop function if exists conversation_search_refresh(uuid[]);
drop table if exists conversation_search;
drop function if exists parley_search_text(text, jsonb);
drop text search configuration if exists parley;
`)
    .execute(db);
}
