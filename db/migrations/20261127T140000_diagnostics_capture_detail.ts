import { type Kysely, sql } from "kysely";

// What the capture parser knows that the first model had no place for:
// - frame numbers tie each stored message/report to its frame, for the PCAP export of one call and
//   for "frame N" in warnings;
// - the SIP Call-ID on streams and reports: one capture may hold several calls (consultations), and
//   streams are matched to them through the SDP-announced addresses;
// - payload octets and the extended highest sequence number the capture measured per stream (the
//   RTCP-reported ones live in rtcp_reports);
// - per capture: call setup time and post-dial delay of its first call, and the parser's warnings
//   (a truncated capture is parsed, with a warning, not failed).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table sip_messages add column frame integer;
alter table media_streams
  add column sip_call_id text,
  add column octets bigint,
  add column ext_highest_seq bigint;
alter table rtcp_reports
  add column frame integer,
  add column sip_call_id text;
alter table sip_captures
  add column call_setup_ms double precision,
  add column post_dial_delay_ms double precision,
  add column warnings text[] not null default '{}';
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table sip_captures drop column warnings, drop column post_dial_delay_ms, drop column call_setup_ms;
alter table rtcp_reports drop column sip_call_id, drop column frame;
alter table media_streams drop column ext_highest_seq, drop column octets, drop column sip_call_id;
alter table sip_messages drop column frame;
`)
    .execute(db);
}
