import { type Kysely, sql } from "kysely";

// Who looked at a conversation (its panel, recording, screen recordings, transcript, Diagnostics)
// goes into the audit log beside what was changed on it, and both are read per conversation: the
// panel's Access section and the Admin audit log filtered by conversation. Rows name their
// conversation in `conversation_id` (the target when it is one, else detail.conversationId, as a
// recording's or a screen recording's entries carry it), so one index range serves the read and the
// per-user de-duplication of access entries (lib/audit/access.ts). Existing rows are filled in the
// same way: a derived column, the entries themselves unchanged.
//
// export_items gets the conversation side of its key: "which exports hold this conversation" for
// the Access section (and for the cascade when a conversation is deleted).
const UUID = `'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table audit_log add column conversation_id uuid;
alter table audit_log disable trigger audit_log_append_only;
update audit_log
   set conversation_id = x.id::uuid
  from (select id as row_id,
               case when target_type = 'conversation' then target_id else detail->>'conversationId' end as id
          from audit_log) x
 where x.row_id = audit_log.id and x.id ~ ${UUID};
alter table audit_log enable trigger audit_log_append_only;
create index audit_log_conversation_idx on audit_log (conversation_id, id desc) where conversation_id is not null;
create index export_items_conversation_idx on export_items (conversation_id);
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop index if exists export_items_conversation_idx;
alter table audit_log drop column if exists conversation_id;
`)
    .execute(db);
}
