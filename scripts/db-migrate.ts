// npm run db:migrate — applies pending migrations to DATABASE_URL or the embedded server.
import { createDb } from "../db/client.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { openDatabaseServer } from "../db/server.ts";
import { readEnv } from "../lib/config/env.ts";

const server = await openDatabaseServer(readEnv());
const db = createDb(server.url, { max: 2 });
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
} finally {
  await db.destroy();
  await server.stop();
}
