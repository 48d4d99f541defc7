// The demo's configuration (staff, teams, queues, skills, dispositions) with Kysely: multi-row
// INSERTs in chunks, tables in foreign-key order. Conversations arrive through ingest (index.ts).
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../types.ts";
import type { Batch } from "./rows.ts";

// PostgreSQL allows 65,535 parameters per statement; stay well below it.
const MAX_PARAMS = 30_000;

function chunks<T extends object>(rows: T[]): T[][] {
  // Kysely inserts the union of the rows' columns (absent ones as DEFAULT), so size by the union.
  const columns = new Set<string>();
  for (const row of rows) for (const key in row) columns.add(key);
  const size = Math.max(1, Math.min(5000, Math.floor(MAX_PARAMS / Math.max(1, columns.size))));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const CONFIGURATION = ["teams", "users", "queues", "skills", "dispositions"] as const;
export type Configuration = Pick<Batch, (typeof CONFIGURATION)[number]>;

export async function insertConfiguration(
  db: Kysely<DB> | Transaction<DB>,
  rows: Configuration,
): Promise<void> {
  for (const table of CONFIGURATION) {
    // biome-ignore lint/suspicious/noExplicitAny: one loop over the tables; each field is that table's Insertable
    for (const chunk of chunks<any>(rows[table])) await db.insertInto(table).values(chunk).execute();
  }
}
