import { Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";
import { trackPool } from "../lib/observability/metrics.ts";
import type { DB } from "./types.ts";

export type Database = Kysely<DB>;

/**
 * Runs `fn` in a transaction: the caller's when `db` already is one (the demo seeder loads all its
 * data in one, through the same functions the API calls), otherwise a new one.
 */
export function inTransaction<T>(db: Database, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<DB>) : db.transaction().execute(fn);
}

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
  trackPool(opts.application ?? "parley", pool);
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
