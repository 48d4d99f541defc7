import { type Kysely, sql } from "kysely";

// Outgoing webhooks: URLs an admin registers to hear about recordings, exports and dispositions.
//
// Events are raised by triggers on the rows whose change they report, not by the code paths that
// make the change: a recording becomes available through a fetch, an upload or a settle after a
// late leg, and is deleted by retention; triggers see all of them, inside the same transaction, so
// an event exists exactly when its change committed. Each trigger writes one delivery per
// subscribed endpoint (nothing at all when no endpoint listens: one probe of a tiny table) and
// NOTIFYs the worker, which turns new deliveries into jobs. A delivery's id is its idempotency key:
// the same on every retry, and inside the signed body.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  url text not null check (url ~ '^https?://' and length(url) <= 2000),
  description text not null default '' check (length(description) <= 200),
  secret text not null,
  events text[] not null check (
    cardinality(events) > 0
    and events <@ array['recording.ready', 'recording.failed', 'recording.deleted', 'export.ready',
                        'disposition.changed']::text[]
  ),
  active boolean not null default true,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
)`.execute(db);

  await sql`
create table webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
  event_type text not null,
  -- What the event is about (one delivery per endpoint and event, however often a trigger fires).
  event_key text not null,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'queued', 'succeeded', 'failed')),
  attempts integer not null default 0,
  last_status integer,
  last_error text,
  last_duration_ms integer,
  created_at timestamptz not null default now(),
  last_attempt_at timestamptz,
  finished_at timestamptz,
  unique (endpoint_id, event_key)
)`.execute(db);
  // The dispatcher's scan (new deliveries to turn into jobs) and the admin's delivery log.
  await sql`create index webhook_deliveries_pending_idx on webhook_deliveries (created_at) where status = 'pending'`.execute(
    db,
  );
  await sql`create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, created_at desc)`.execute(
    db,
  );

  await sql`
create function parley_raise_webhook(kind text, key text, body jsonb) returns void
language plpgsql as $$
begin
  insert into webhook_deliveries (endpoint_id, event_type, event_key, payload)
  select e.id, kind, key, body
    from webhook_endpoints e
   where e.active and kind = any (e.events)
  on conflict (endpoint_id, event_key) do nothing;
  if found then
    perform pg_notify('parley_webhooks', '');
  end if;
end $$`.execute(db);

  // recording.ready / .failed / .deleted when a recording enters available, a terminal fetch
  // failure, or deleted. Keyed by the change, so a recording deleted after being ready sends both.
  await sql`
create function parley_recording_webhook() returns trigger
language plpgsql as $$
declare
  kind text := case new.state
    when 'available' then 'recording.ready'
    when 'failed' then 'recording.failed'
    when '24hr_retry_failed' then 'recording.failed'
    when 'deleted' then 'recording.deleted'
  end;
  c record;
begin
  select id, session_id, call_id, channel into c from conversations where id = new.conversation_id;
  perform parley_raise_webhook(kind, kind || ':' || new.id || ':' || new.updated_at, jsonb_build_object(
    'recording', jsonb_build_object(
      'id', new.id, 'state', new.state, 'durationMs', new.duration_ms, 'format', new.format,
      'error', case when kind = 'recording.failed' then new.last_error end,
      'deletedReason', case when kind = 'recording.deleted' then new.deleted_reason end),
    'conversation', jsonb_build_object('id', c.id, 'sessionId', c.session_id, 'callId', c.call_id)));
  return null;
end $$`.execute(db);
  await sql`
create trigger recordings_webhook_insert after insert on recordings
for each row when (new.state in ('available', 'failed', '24hr_retry_failed', 'deleted'))
execute function parley_recording_webhook()`.execute(db);
  await sql`
create trigger recordings_webhook_update after update of state on recordings
for each row when (old.state is distinct from new.state
                   and new.state in ('available', 'failed', '24hr_retry_failed', 'deleted'))
execute function parley_recording_webhook()`.execute(db);

  await sql`
create function parley_export_webhook() returns trigger
language plpgsql as $$
declare
  requester text;
begin
  select email into requester from users where id = new.requested_by;
  perform parley_raise_webhook('export.ready', 'export.ready:' || new.id || ':' || new.attempts, jsonb_build_object(
    'export', jsonb_build_object(
      'id', new.id, 'kind', new.kind, 'fileName', new.file_name, 'sizeBytes', new.size_bytes,
      'conversationCount', new.conversation_count, 'requestedBy', requester,
      'downloadPath', '/api/exports/' || new.id || '/download')));
  return null;
end $$`.execute(db);
  await sql`
create trigger exports_webhook after update of status on exports
for each row when (new.status = 'succeeded' and old.status is distinct from 'succeeded')
execute function parley_export_webhook()`.execute(db);

  await sql`
create function parley_disposition_webhook() returns trigger
language plpgsql as $$
declare
  c record;
  d_from record;
  d_to record;
  who text;
begin
  select id, session_id, call_id, channel into c from conversations where id = new.conversation_id;
  select code, label into d_from from dispositions where id = new.from_disposition_id;
  select code, label into d_to from dispositions where id = new.to_disposition_id;
  select email into who from users where id = new.changed_by;
  perform parley_raise_webhook('disposition.changed', 'disposition.changed:' || new.id, jsonb_build_object(
    'conversation', jsonb_build_object('id', c.id, 'sessionId', c.session_id, 'callId', c.call_id,
                                       'channel', c.channel),
    'disposition', jsonb_build_object(
      'from', case when d_from.code is null then null
                   else jsonb_build_object('code', d_from.code, 'label', d_from.label) end,
      'to', case when d_to.code is null then null
                 else jsonb_build_object('code', d_to.code, 'label', d_to.label) end,
      'note', new.note, 'changedBy', who, 'changedAt', new.changed_at,
      'source', case when new.changed_by is null then 'platform' else 'parley' end)));
  return null;
end $$`.execute(db);
  await sql`
create trigger disposition_changes_webhook after insert on disposition_changes
for each row execute function parley_disposition_webhook()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger disposition_changes_webhook on disposition_changes`.execute(db);
  await sql`drop trigger exports_webhook on exports`.execute(db);
  await sql`drop trigger recordings_webhook_update on recordings`.execute(db);
  await sql`drop trigger recordings_webhook_insert on recordings`.execute(db);
  await sql`drop function parley_disposition_webhook()`.execute(db);
  await sql`drop function parley_export_webhook()`.execute(db);
  await sql`drop function parley_recording_webhook()`.execute(db);
  await sql`drop function parley_raise_webhook(text, text, jsonb)`.execute(db);
  await sql`drop table webhook_deliveries`.execute(db);
  await sql`drop table webhook_endpoints`.execute(db);
}
