import { type Kysely, sql } from "kysely";

// "Customer speech during hold periods is not recorded or displayed, regardless of who initiated
// the hold" (spec, Call Recording). A platform may still send what the customer said while on hold:
// the message is stored, but no transcript, export, API read or search shows or finds it.
//
// The holds are recordings.paused_spans (reason "hold", or none: the transcript reads a missing
// reason as a hold), the same spans the transcript marks. A span may arrive after the messages it
// covers, so the filter is applied when reading, never at ingest:
// - conversation_holds(id): a call's hold spans as one multirange (null without any); an open span
//   (the call still on hold) has no end. Computed once per conversation and statement;
// - message_heard(speaker, sent_at, holds): false only for the customer speaking inside a hold.
//   Inlined by the planner, so it costs a comparison per message.
// conversation_search_refresh leaves such messages out; ingest refreshes a document when its spans
// change. Documents of calls with spans are rebuilt here.
const REFRESH = (heard: boolean) => `
create or replace function conversation_search_refresh(ids uuid[]) returns void language sql as $$
  insert into conversation_search as cs (conversation_id, document)
  select c.id,
         setweight(to_tsvector('parley', left(coalesce(m.body, ''), 500000)), 'D')
      || setweight(to_tsvector('parley', parley_search_text(coalesce(m.subjects, ''), '[]')), 'C')
      || setweight(to_tsvector('parley', parley_search_text(
           concat_ws(' ', n.body, coalesce(d.note, c.disposition_note)), '[]')), 'B')
  from conversations c${heard ? "\n  cross join lateral (select conversation_holds(c.id) as holds offset 0) h" : ""}
  left join lateral (
    select string_agg(parley_search_text(x.body, x.pii_spans), ' ' order by x.seq) as body,
           string_agg(x.email_subject, ' ' order by x.seq) as subjects
    from messages x where x.conversation_id = c.id${heard ? " and message_heard(x.speaker, x.sent_at, h.holds)" : ""}) m on true
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

select conversation_search_refresh(array(
  select conversation_id from recordings where jsonb_typeof(paused_spans) = 'array' and paused_spans <> '[]'));
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
-- Offsets are ms from the conversation's start; an end before the start (clocks disagreeing) is empty.
create function conversation_holds(conversation uuid) returns tstzmultirange
language sql stable parallel safe as $$
  select range_agg(tstzrange(s.from_at, case when s.until_at is not null then greatest(s.from_at, s.until_at) end))
  from recordings r
  join conversations c on c.id = r.conversation_id
  cross join lateral jsonb_array_elements(
    case jsonb_typeof(r.paused_spans) when 'array' then r.paused_spans else '[]' end) e(span)
  cross join lateral (
    select c.started_at + make_interval(secs => (e.span ->> 'startMs')::float8 / 1000) as from_at,
           case jsonb_typeof(e.span -> 'endMs')
             when 'number' then c.started_at + make_interval(secs => (e.span ->> 'endMs')::float8 / 1000)
           end as until_at) s
  where r.conversation_id = conversation
    and jsonb_typeof(e.span -> 'startMs') = 'number'
    and coalesce(e.span ->> 'reason', 'hold') <> 'pause'
$$;

create function message_heard(speaker speaker, sent_at timestamptz, holds tstzmultirange) returns boolean
language sql immutable parallel safe
return speaker <> 'customer' or not coalesce(holds @> sent_at, false);
${REFRESH(true)}`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`${REFRESH(false)}
drop function if exists message_heard(speaker, timestamptz, tstzmultirange);
drop function if exists conversation_holds(uuid);
`)
    .execute(db);
}
