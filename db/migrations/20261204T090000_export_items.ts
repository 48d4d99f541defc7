import { type Kysely, sql } from "kysely";

// Which conversations an export's file holds. A file may only be served to a viewer who may still
// see every conversation in it (checked again at download time, roles and participation change);
// for an export of "everything matching a filter" the file's contents are known only once the worker
// wrote it, so the worker records them here as it goes. The check is one anti-join on this key.
//
// `conversation_count` is what the Exports page shows; `scope` the viewer scope the file was built
// with ("all" or "joined"), so a download by a viewer whose scope is still "all" needs no anti-join.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create table export_items (
  export_id uuid not null references exports(id) on delete cascade,
  conversation_id uuid not null references conversations(id) on delete cascade,
  primary key (export_id, conversation_id)
);
alter table exports add column conversation_count integer;
alter table exports add column scope text check (scope in ('all', 'joined'));
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop table if exists export_items;
alter table exports drop column if exists conversation_count, drop column if exists scope;
`)
    .execute(db);
}
