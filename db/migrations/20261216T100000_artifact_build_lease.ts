import { type Kysely, sql } from "kysely";

// A running artifact build is held by its worker: build_id names the build, lease_until is renewed
// while it runs (lib/recordings/process.ts). Before, "running" said nothing about a live worker: a
// build killed on its last retry stayed "running", and the player and the download menu showed
// "preparing" for ever. Now a build whose lease lapsed is taken over or queued again, and a second
// build of the same row waits for the lease instead of running beside it. Rows left "running"
// have no lease, so they count as lapsed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table recording_artifacts
  add column build_id uuid,
  add column lease_until timestamptz;
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table recording_artifacts
  drop column if exists build_id,
  drop column if exists lease_until;
`)
    .execute(db);
}
