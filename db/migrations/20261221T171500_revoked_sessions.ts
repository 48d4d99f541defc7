import { type Kysely, sql } from "kysely";

// Signing out ends that one session (not the user's others, as users.session_version would): its
// id goes here until the token would have expired anyway, and every request checks it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create table revoked_sessions (
  id uuid primary key,
  expires_at timestamptz not null
);
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw("drop table revoked_sessions;").execute(db);
}
