import { type Kysely, sql } from "kysely";

// Files the worker derives from a recording's legs: the merged FLAC (all legs, one channel each;
// also what the player streams) and each leg as FLAC. One row per (recording, variant, legs
// content): the same legs never produce a second file, whoever asks and however often
// (idempotent, cached), and new or replaced legs make a new source hash, hence a new row.
// `progress` (0–1) and `status` are what the download menu polls.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create table recording_artifacts (
  id uuid primary key default gen_random_uuid(),
  recording_id uuid not null references recordings(id) on delete cascade,
  variant text not null check (variant ~ '^(merged|leg-[0-9]+)$'),
  source_hash text not null,
  status job_status not null default 'queued',
  progress real not null default 0 check (progress between 0 and 1),
  storage_key text,
  size_bytes bigint,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (recording_id, variant, source_hash)
);
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw("drop table if exists recording_artifacts;").execute(db);
}
