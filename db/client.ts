import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { DB } from "./types.ts";

export type Database = Kysely<DB>;

export function createDb(
  connectionString: string,
  opts: { max?: number; application?: string } = {},
): Database {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 10,
    application_name: opts.application ?? "parley",
  });
  // An idle client losing its connection (server restart, failover) must not crash the process.
  pool.on("error", (err) => console.error(`[db] idle connection error: ${err.message}`));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
