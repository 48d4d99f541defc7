import { type Kysely, sql } from "kysely";

// Diagnostics that match the wire:
// - rtcp_packets: every RTCP packet of a capture as the Flow shows it (SR, RR, SDES, BYE, APP…,
//   with its compound label and decoded fields), so the page and Export TEXT read the same rows
//   and nothing re-parses the capture on a request; rtcp_reports keeps the report figures;
// - sip_captures.source: "upload" (the API) or "hep" (the live HEP collector, which appends to one
//   capture per call).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create table rtcp_packets (
  id bigint generated always as identity primary key,
  capture_id uuid not null references sip_captures(id) on delete cascade,
  frame integer not null,
  captured_at timestamptz not null,
  src_ip inet not null,
  src_port integer not null,
  dst_ip inet not null,
  dst_port integer not null,
  sip_call_id text,
  label text not null,
  detail text not null default ''
);
create index rtcp_packets_capture_idx on rtcp_packets (capture_id, frame);
alter table sip_captures
  add column source text not null default 'upload' check (source in ('upload', 'hep'));
create unique index sip_captures_one_hep_idx on sip_captures (conversation_id) where source = 'hep';
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop index sip_captures_one_hep_idx;
alter table sip_captures drop column source;
drop table rtcp_packets;
`)
    .execute(db);
}
