import { sql } from "kysely";
import type { Database } from "../../db/client.ts";

/** A few agents ingest events can name; returns their e-mails. */
export async function seedAgents(db: Database, count = 3): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    email: `agent${i}@ingest.test`,
    name: `Agent ${i}`,
    role: "agent" as const,
  }));
  await db
    .insertInto("users")
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute();
  return rows.map((r) => r.email);
}

const DOMAIN_TABLES = [
  "ingested_events",
  "conversations",
  "customers",
  "conversation_participants",
  "conversation_queues",
  "conversation_skills",
  "messages",
  "notes",
  "disposition_changes",
  "dispositions",
  "conversation_tags",
  "conversation_events",
  "latency_turns",
  "call_control_parameters",
  "queues",
  "skills",
] as const;

/** Row counts of every table ingest writes: equal before/after means nothing was written. */
export async function countDomainRows(db: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of DOMAIN_TABLES) {
    const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    counts[table] = Number(r.rows[0]?.n);
  }
  return counts;
}
