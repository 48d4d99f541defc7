import { type Kysely, sql } from "kysely";

// Per-user display preferences:
// - time_zone: the IANA zone every time is rendered in on the server, so the first paint is already
//   in the reader's zone. Detected from the browser at the first sign-in, changeable in the user
//   menu; null until then (the server's zone applies). Validated by the app (ICU knows the names).
// - list_columns: the Conversations columns the user chose to see (null: all of them).
// - list_density: row density of the Conversations table (null: comfortable).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `alter table users
         add column time_zone text check (length(time_zone) between 1 and 64),
         add column list_columns text[] check (cardinality(list_columns) <= 32),
         add column list_density text check (list_density in ('compact', 'comfortable'))`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw("alter table users drop column time_zone, drop column list_columns, drop column list_density")
    .execute(db);
}
