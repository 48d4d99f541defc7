import { dataDir, type Env } from "../lib/config/env.ts";
import { startEmbeddedPostgres } from "./embedded.ts";

export type DatabaseServer = { url: string; embedded: boolean; stop: () => Promise<void> };

/**
 * DATABASE_URL wins: nothing embedded is started. Otherwise the embedded server under
 * PARLEY_DATA_DIR is started (and must be stopped by the caller).
 */
export async function openDatabaseServer(env: Env, log?: (line: string) => void): Promise<DatabaseServer> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false, stop: async () => {} };
  const server = await startEmbeddedPostgres({
    dataDir: dataDir(env),
    port: env.PARLEY_PG_PORT,
    database: "parley",
    log,
  });
  return { url: server.url, embedded: true, stop: server.stop };
}
