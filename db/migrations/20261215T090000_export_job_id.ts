import { type Kysely, sql } from "kysely";

// The pg-boss job currently building each export. When a job runs out of attempts, its dead-letter
// handler fails the export only if that job is still the export's: a Retry made after a fast
// failure enqueues a new job, and a late dead letter of the old one must not fail the new run.
// Null for exports requested before this column (their jobs carry no dead-letter queue).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw("alter table exports add column job_id uuid").execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw("alter table exports drop column job_id").execute(db);
}
