import { type Kysely, sql } from "kysely";

// Sessions are signed JWTs (next-auth), so ending one needs a server-side fact to check them
// against: users.session_version is copied into the token at sign-in and compared on every request;
// sign-out, deactivation and a role change bump it, which ends every session the user has.
//
// auth_throttle counts failed authentications (API keys, sign-ins) per client address and window,
// in the database because any number of web processes share the budget.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table users add column session_version integer not null default 0;
create table auth_throttle (
  key text primary key,
  window_started_at timestamptz not null,
  failures integer not null
);
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw("drop table auth_throttle; alter table users drop column session_version;").execute(db);
}
