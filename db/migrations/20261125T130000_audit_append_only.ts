import { type Kysely, sql } from "kysely";

// The audit log is evidence: rows can be added, never changed or removed, whatever the caller.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_is_append_only();
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop trigger if exists audit_log_no_truncate on audit_log;
drop trigger if exists audit_log_append_only on audit_log;
drop function if exists audit_log_is_append_only();
`)
    .execute(db);
}
