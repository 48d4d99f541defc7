import { type Kysely, sql } from "kysely";

// media_streams.participant_id was never set: a capture's RTP streams run between the media server
// and the customer, so per-agent quality is read from the RTCP reports inside each join's window
// (agentSessions, lib/diagnostics/view.ts), not from a stream's owner. The unused column goes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table media_streams drop column participant_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table media_streams
  add column participant_id bigint references conversation_participants(id) on delete set null`.execute(db);
}
