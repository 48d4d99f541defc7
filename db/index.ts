import { createDb, type Database } from "./client.ts";

export type { Database } from "./client.ts";

// One pool per process. Next.js dev reloads modules, so the pool is kept on globalThis.
const globalForDb = globalThis as unknown as { parleyDb?: Database };

/** The process-wide database handle for the web server and the worker (DATABASE_URL). */
export function getDb(): Database {
  if (!globalForDb.parleyDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded server)");
    globalForDb.parleyDb = createDb(url, { max: 10 });
  }
  return globalForDb.parleyDb;
}
