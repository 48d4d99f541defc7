import { promises as fs } from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import type { Database } from "../../db/client.ts";

// Readiness, for a load balancer or orchestrator deciding whether to send this process traffic:
// the database answers, its schema has every migration this build ships (a web process started
// ahead of `npm run db:migrate` is not ready), and the blob store can be reached. Liveness stays
// GET /api/health, which answers even while the database is away.

export type Readiness = {
  ready: boolean;
  database: boolean;
  /** Migrations this build ships that the database has not applied (null: could not tell). */
  pendingMigrations: string[] | null;
  blobStore: boolean;
};

const TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The migration names this build ships (file names without extension, as Kysely records them). */
export async function shippedMigrations(folder?: string): Promise<string[]> {
  // Read at run time from the deployed checkout: the bundler must not trace the project for it.
  const files = await fs.readdir(
    /*turbopackIgnore: true*/ folder ?? path.join(process.cwd(), "db", "migrations"),
  );
  return files
    .filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith(".d.ts") && !f.includes(".test."))
    .map((f) => f.replace(/\.(ts|js|mjs)$/, ""))
    .sort();
}

export async function getReadiness(
  db: Database,
  checkBlobs: () => Promise<void>,
  log: (line: string) => void = (line) => console.error(`[ready] ${line}`),
): Promise<Readiness> {
  const failed = (what: string) => (err: unknown) => {
    // Logged, not returned: the route is public and the reason can name hosts.
    log(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  };
  const [applied, blobs] = await Promise.all([
    withTimeout(sql<{ name: string }>`select name from kysely_migration`.execute(db), "database").catch(
      failed("database"),
    ),
    withTimeout(checkBlobs(), "blob store").then(() => true, failed("blob store")),
  ]);
  let pending: string[] | null = null;
  if (applied) {
    const done = new Set(applied.rows.map((r) => r.name));
    pending = await shippedMigrations().then(
      (names) => names.filter((n) => !done.has(n)),
      failed("migrations folder"),
    );
  }
  const database = applied !== null;
  const blobStore = blobs === true;
  return {
    ready: database && pending !== null && pending.length === 0 && blobStore,
    database,
    pendingMigrations: pending,
    blobStore,
  };
}
