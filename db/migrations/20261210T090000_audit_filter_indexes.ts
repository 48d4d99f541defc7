import { type Kysely, sql } from "kysely";

// The audit log grows with every privileged action (each retention deletion, each export) and is
// read newest first by id, filtered by action, actor or target type (lib/audit/query.ts). Without
// an index per filter in that order, a rare action or a quiet actor meant walking the log back
// from its newest row; the filter menus' distinct values meant reading all of it. With these, a
// filtered page is one index range, and the menus skip from value to value (admin-audit.test.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create index audit_log_action_idx on audit_log (action, id desc);
create index audit_log_actor_idx on audit_log (actor_id, id desc);
create index audit_log_target_type_idx on audit_log (target_type, id desc);
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop index if exists audit_log_action_idx;
drop index if exists audit_log_actor_idx;
drop index if exists audit_log_target_type_idx;
`)
    .execute(db);
}
