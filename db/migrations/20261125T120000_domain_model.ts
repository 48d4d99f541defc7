import { type Kysely, sql } from "kysely";

// The whole domain model in one migration so later features add behaviour, not reshape tables.
// Enumerations are PostgreSQL enums: the generated types become string unions and bad values
// are refused by the database itself. Times are timestamptz (UTC) everywhere.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create extension if not exists pg_trgm;
create extension if not exists btree_gin;

create type user_role as enum ('admin', 'supervisor', 'agent');
create type channel as enum ('voice', 'chat', 'email');
create type direction as enum ('inbound', 'outbound');
create type sentiment as enum ('positive', 'neutral', 'negative', 'mixed');
create type conversation_status as enum (
  'in_progress', 'error', 'completed_drop_off', 'completed_user_hangup',
  'completed_ai_agent_hangup', 'completed');
create type smart_status as enum (
  'queued', 'handling', 'on_hold', 'messaging', 'awaiting_customer', 'inactive',
  'disconnected', 'resolved', 'abandoned', 'escalated');
create type participant_role as enum ('agent', 'supervisor', 'consultant');
create type speaker as enum ('customer', 'ai_agent', 'agent', 'supervisor_whisper', 'system');
create type message_kind as enum (
  'text', 'transfer_to_agent', 'transfer_to_automation', 'max_no_input', 'llm_error', 'email');
create type tag_level as enum ('session', 'user');
create type lifecycle_event_type as enum (
  'routing_initiation', 'conversation_acceptance', 'conversation_rejection',
  'conversation_transfer', 'transfer_failure', 'agent_join', 'agent_left',
  'agent_consultation', 'skill_change', 'disposition_update', 'after_call_work',
  'conversation_closure');
create type recording_state as enum (
  'pending', 'call_in_progress', 'fetching_in_progress', 'media_in_progress', 'available',
  'failed', 'media_unavailable', 'partial_download_failed', 'partial_upload_failed',
  'partial_failed', 'initial_fetch_failed', 'retry_failed', '24hr_retry_failed', 'deleted');
create type screen_recording_state as enum (
  'loading', 'generating', 'available', 'agent_app_missing', 'failed', 'deleted');
create type capture_state as enum ('pending', 'parsed', 'failed');
create type export_kind as enum (
  'conversation_data', 'transcripts', 'events', 'chat_transcript', 'latency_report',
  'recording_single', 'recording_legs', 'diagnostics_pcap', 'diagnostics_text');
create type job_status as enum ('queued', 'running', 'succeeded', 'failed');
create type filter_visibility as enum ('private', 'shared');
create type platform_action_kind as enum ('join', 'assign', 'change_queue');
create type platform_action_status as enum ('pending', 'sent', 'confirmed', 'failed');
create type email_status as enum ('pending', 'sent', 'failed');
create type actor_kind as enum ('user', 'api_key', 'system');

create table teams (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  name text not null,
  role user_role not null default 'agent',
  team_id uuid references teams(id) on delete set null,
  sso_subject text unique,
  avatar_source_key text,
  avatar_64_key text,
  avatar_128_key text,
  avatar_updated_at timestamptz,
  notify_disposition_email boolean not null default false,
  default_filter_id uuid,
  deactivated_at timestamptz,
  last_seen_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));
create index users_role_idx on users (role) where deactivated_at is null;

create table customers (
  id uuid primary key default gen_random_uuid(),
  user_ref text not null unique,          -- the internal "User ID" shown when contact info is obscured
  channel_user_id text,
  name text,
  phone text,
  email text,
  created_at timestamptz not null default now()
);
create index customers_channel_user_id_idx on customers (channel_user_id);

create table queues (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  created_at timestamptz not null default now()
);

create table skills (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  created_at timestamptz not null default now()
);

create table dispositions (
  id uuid primary key default gen_random_uuid(),
  code text not null unique,
  label text not null,
  active boolean not null default true
);

create table conversations (
  id uuid primary key default gen_random_uuid(),
  session_id text not null unique,
  call_id text,
  call_conversation_id text,
  agent_conversation_id text,
  external_call_id text,
  customer_id uuid references customers(id) on delete set null,
  campaign_name text,
  campaign_instance_id text,
  direction direction not null,
  language text not null,                 -- BCP 47 tag, e.g. en-US
  channel channel not null,
  mode text,                              -- automation | agent | hybrid (as reported by the platform)
  sentiment sentiment,
  status conversation_status not null default 'in_progress',
  smart_status smart_status,
  started_at timestamptz not null,
  ended_at timestamptz,
  csat_score smallint check (csat_score between 1 and 5),
  csat_comment text,
  csat_triggered boolean not null default false,
  nps_score smallint check (nps_score between 0 and 10),
  nps_triggered boolean not null default false,
  liked boolean,                          -- true = like, false = dislike, null = no response
  like_triggered boolean not null default false,
  snooze_count integer not null default 0 check (snooze_count >= 0),
  snooze_duration_seconds integer not null default 0 check (snooze_duration_seconds >= 0),
  support_agent_id uuid references users(id) on delete set null,
  disposition_id uuid references dispositions(id) on delete set null,
  disposition_note text,
  recording_enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ended_at is null or ended_at >= started_at)
);
-- Keyset pagination on (started_at, id) in both directions, plus the list's common filters.
create index conversations_started_idx on conversations (started_at desc, id desc);
create index conversations_status_started_idx on conversations (status, started_at desc, id desc);
create index conversations_channel_started_idx on conversations (channel, started_at desc, id desc);
create index conversations_csat_started_idx on conversations (csat_score, started_at desc, id desc) where csat_score is not null;
create index conversations_smart_status_idx on conversations (smart_status, started_at desc, id desc) where smart_status is not null;
create index conversations_in_progress_idx on conversations (started_at desc) where status = 'in_progress';
create index conversations_customer_idx on conversations (customer_id);
create index conversations_support_agent_idx on conversations (support_agent_id, started_at desc);
create index conversations_call_id_idx on conversations (call_id);
create index conversations_call_conversation_id_idx on conversations (call_conversation_id);
create index conversations_agent_conversation_id_idx on conversations (agent_conversation_id);
create index conversations_external_call_id_idx on conversations (external_call_id);

create table conversation_participants (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references conversations(id) on delete cascade,
  user_id uuid not null references users(id),
  role participant_role not null default 'agent',
  joined_at timestamptz not null,
  left_at timestamptz,
  exit_reason text,
  exit_description text
);
create index participants_conversation_idx on conversation_participants (conversation_id, joined_at);
-- Serves the agent scope: "conversations this user joined".
create index participants_user_idx on conversation_participants (user_id, conversation_id);

create table conversation_queues (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references conversations(id) on delete cascade,
  queue_id uuid not null references queues(id),
  entered_at timestamptz not null,
  left_at timestamptz
);
create index conversation_queues_conversation_idx on conversation_queues (conversation_id, entered_at);
create index conversation_queues_queue_idx on conversation_queues (queue_id, conversation_id);

create table conversation_skills (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references conversations(id) on delete cascade,
  skill_id uuid not null references skills(id),
  added_at timestamptz not null,
  removed_at timestamptz
);
create index conversation_skills_conversation_idx on conversation_skills (conversation_id, added_at);
create index conversation_skills_skill_idx on conversation_skills (skill_id, conversation_id);

create table messages (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references conversations(id) on delete cascade,
  seq integer not null,
  speaker speaker not null,
  user_id uuid references users(id),      -- the agent or supervisor who spoke, when known
  kind message_kind not null default 'text',
  body text not null default '',
  sent_at timestamptz not null,
  email_subject text,
  email_from text,
  email_to text[],
  email_cc text[],
  email_bcc text[],
  pii_spans jsonb not null default '[]',  -- [{ "start": 0, "end": 12, "type": "phone" }] offsets into body
  unique (conversation_id, seq)
);

create table notes (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references conversations(id) on delete cascade,
  author_id uuid references users(id),
  body text not null,
  created_at timestamptz not null default now()
);
create index notes_conversation_idx on notes (conversation_id, created_at);

create table disposition_changes (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references conversations(id) on delete cascade,
  changed_by uuid references users(id),
  from_disposition_id uuid references dispositions(id),
  to_disposition_id uuid references dispositions(id),
  note text,
  changed_at timestamptz not null default now()
);
create index disposition_changes_conversation_idx on disposition_changes (conversation_id, changed_at);

create table conversation_tags (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references conversations(id) on delete cascade,
  level tag_level not null,
  name text not null,
  value text not null default '',
  unique (conversation_id, level, name, value)
);
-- Custom-tag filter: tag name equality + CONTAINS on the value (trigram).
create index conversation_tags_name_value_idx on conversation_tags using gin (name, value gin_trgm_ops);

create table conversation_events (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references conversations(id) on delete cascade,
  type lifecycle_event_type not null,
  occurred_at timestamptz not null,
  user_id uuid references users(id),
  queue_id uuid references queues(id),
  detail jsonb not null default '{}'
);
create index conversation_events_conversation_idx on conversation_events (conversation_id, occurred_at);

-- The timestamps the four latency formulas need (ASR, Bot, TTS, End-to-End), one row per turn.
create table latency_turns (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references conversations(id) on delete cascade,
  turn_index integer not null,
  message_id bigint references messages(id) on delete set null,
  user_stopped_speaking_at timestamptz,
  asr_transcript_at timestamptz,
  transcript_sent_at timestamptz,
  bot_response_at timestamptz,
  tts_request_at timestamptz,
  tts_first_byte_at timestamptz,
  first_audio_heard_at timestamptz,
  unique (conversation_id, turn_index)
);

create table call_control_parameters (
  conversation_id uuid not null references conversations(id) on delete cascade,
  name text not null,
  value text not null,
  primary key (conversation_id, name)
);

create table recordings (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null unique references conversations(id) on delete cascade,
  state recording_state not null default 'pending',
  fetch_attempts integer not null default 0,
  last_attempt_at timestamptz,
  next_attempt_at timestamptz,
  manual_retry_at timestamptz,
  last_error text,
  format text,
  duration_ms integer,
  paused_spans jsonb not null default '[]', -- [{ "startMs": 0, "endMs": 0, "reason": "hold" | "pause" }]
  peaks_key text,
  retain_until timestamptz,
  legal_hold boolean not null default false,
  deletion_warning_sent_at timestamptz,
  deleted_at timestamptz,
  deleted_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index recordings_state_next_attempt_idx on recordings (state, next_attempt_at);
create index recordings_retain_until_idx on recordings (retain_until) where deleted_at is null;

create table recording_legs (
  id uuid primary key default gen_random_uuid(),
  recording_id uuid not null references recordings(id) on delete cascade,
  leg_index integer not null,
  label text not null,                    -- customer | agent | ai_agent
  participant_user_id uuid references users(id),
  storage_key text,
  source_url text,
  format text,
  sample_rate integer,
  channels integer,
  duration_ms integer,
  size_bytes bigint,
  sha256 text,
  created_at timestamptz not null default now(),
  unique (recording_id, leg_index)
);

create table screen_recordings (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations(id) on delete cascade,
  agent_id uuid not null references users(id),
  state screen_recording_state not null default 'loading',
  storage_key text,
  duration_ms integer,
  size_bytes bigint,
  available_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now()
);
create index screen_recordings_conversation_idx on screen_recordings (conversation_id);

create table sip_captures (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations(id) on delete cascade,
  storage_key text not null,
  format text not null check (format in ('pcap', 'pcapng')),
  size_bytes bigint not null,
  state capture_state not null default 'pending',
  error text,
  parsed_at timestamptz,
  created_at timestamptz not null default now()
);
create index sip_captures_conversation_idx on sip_captures (conversation_id);

create table sip_messages (
  id bigint generated always as identity primary key,
  capture_id uuid not null references sip_captures(id) on delete cascade,
  seq integer not null,
  captured_at timestamptz not null,
  src_ip inet not null,
  src_port integer not null,
  dst_ip inet not null,
  dst_port integer not null,
  transport text not null,
  method text,
  status_code integer,
  reason text,
  sip_call_id text,
  cseq text,
  is_retransmission boolean not null default false,
  raw text not null,
  unique (capture_id, seq)
);

create table media_streams (
  id bigint generated always as identity primary key,
  capture_id uuid not null references sip_captures(id) on delete cascade,
  participant_id bigint references conversation_participants(id) on delete set null,
  ssrc bigint not null,
  src_ip inet not null,
  src_port integer not null,
  dst_ip inet not null,
  dst_port integer not null,
  payload_type integer,
  codec text,
  clock_rate integer,
  first_at timestamptz,
  last_at timestamptz,
  packets integer,
  expected_packets integer,
  lost_packets integer,
  mean_jitter_ms double precision,
  max_jitter_ms double precision
);
create index media_streams_capture_idx on media_streams (capture_id);

create table rtcp_reports (
  id bigint generated always as identity primary key,
  capture_id uuid not null references sip_captures(id) on delete cascade,
  captured_at timestamptz not null,
  src_ip inet not null,
  src_port integer not null,
  dst_ip inet not null,
  dst_port integer not null,
  packet_type integer not null,            -- 200 SR, 201 RR
  reporter_ssrc bigint not null,
  source_ssrc bigint,
  sender_packets bigint,
  sender_octets bigint,
  highest_seq bigint,
  jitter_units bigint,
  jitter_ms double precision,
  fraction_lost double precision,
  cumulative_lost integer,
  lsr bigint,
  dlsr bigint,
  rtt_ms double precision,
  mos double precision
);
create index rtcp_reports_capture_idx on rtcp_reports (capture_id, captured_at);

create table saved_filters (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references users(id) on delete cascade,
  name text not null,
  definition jsonb not null,
  visibility filter_visibility not null default 'private',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (owner_id, name)
);
alter table users add constraint users_default_filter_fk
  foreign key (default_filter_id) references saved_filters(id) on delete set null;

create table recent_searches (
  user_id uuid not null references users(id) on delete cascade,
  phrase text not null,
  searched_at timestamptz not null default now(),
  primary key (user_id, phrase)
);
create index recent_searches_user_idx on recent_searches (user_id, searched_at desc);

create table exports (
  id uuid primary key default gen_random_uuid(),
  requested_by uuid not null references users(id),
  kind export_kind not null,
  selection jsonb not null,
  status job_status not null default 'queued',
  progress integer not null default 0 check (progress between 0 and 100),
  file_key text,
  file_name text,
  size_bytes bigint,
  error text,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index exports_requested_by_idx on exports (requested_by, created_at desc);

create table settings (
  key text primary key,
  value jsonb not null,
  updated_by uuid references users(id),
  updated_at timestamptz not null default now()
);

create table notifications (
  id bigint generated always as identity primary key,
  user_id uuid not null references users(id) on delete cascade,
  kind text not null,
  title text not null,
  body text not null default '',
  link text,
  data jsonb not null default '{}',
  dedupe_key text unique,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notifications_user_idx on notifications (user_id, created_at desc);

create table outgoing_emails (
  id bigint generated always as identity primary key,
  kind text not null,
  recipients text[] not null,
  subject text not null,
  text_body text not null,
  html_body text,
  dedupe_key text not null unique,
  status email_status not null default 'pending',
  attempts integer not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);

create table platform_actions (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations(id) on delete cascade,
  requested_by uuid not null references users(id),
  kind platform_action_kind not null,
  payload jsonb not null default '{}',
  status platform_action_status not null default 'pending',
  attempts integer not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  confirmed_at timestamptz
);
create index platform_actions_conversation_idx on platform_actions (conversation_id, created_at);

create table api_keys (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  prefix text not null unique,             -- shown to admins to recognise a key
  key_hash text not null unique,           -- sha256 of the secret; the secret itself is never stored
  scopes text[] not null check (scopes <@ array['read', 'write']::text[] and cardinality(scopes) > 0),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- Client-supplied ingest event ids: a replayed id is a no-op.
create table ingested_events (
  event_id text primary key,
  type text not null,
  session_id text,
  received_at timestamptz not null default now()
);

-- One row per running worker process, refreshed on an interval; /api/health reads it.
create table worker_heartbeats (
  worker_id text primary key,
  host text not null,
  pid integer not null,
  queues text[] not null default '{}',
  started_at timestamptz not null,
  beat_at timestamptz not null
);

create table audit_log (
  id bigint generated always as identity primary key,
  actor_kind actor_kind not null,
  actor_id uuid,
  action text not null,
  target_type text,
  target_id text,
  detail jsonb not null default '{}',
  ip inet,
  user_agent text,
  created_at timestamptz not null default now()
);
create index audit_log_created_idx on audit_log (created_at desc);
create index audit_log_target_idx on audit_log (target_type, target_id);
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop table if exists audit_log, worker_heartbeats, ingested_events, api_keys, platform_actions, outgoing_emails,
  notifications, settings, exports, recent_searches, rtcp_reports, media_streams, sip_messages,
  sip_captures, screen_recordings, recording_legs, recordings, call_control_parameters,
  latency_turns, conversation_events, conversation_tags, disposition_changes, notes, messages,
  conversation_skills, conversation_queues, conversation_participants, conversations,
  dispositions, skills, queues, customers cascade;
alter table if exists users drop constraint if exists users_default_filter_fk;
drop table if exists saved_filters, users, teams cascade;
drop type if exists user_role, channel, direction, sentiment, conversation_status, smart_status,
  participant_role, speaker, message_kind, tag_level, lifecycle_event_type, recording_state,
  screen_recording_state, capture_state, export_kind, job_status, filter_visibility,
  platform_action_kind, platform_action_status, email_status, actor_kind;
`)
    .execute(db);
}
