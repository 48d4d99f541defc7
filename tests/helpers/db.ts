import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDb, type Database } from "../../db/client.ts";
import { withDatabase } from "./global-setup.ts";

export type TestDatabase = { db: Database; url: string; drop: () => Promise<void> };

/** A fresh, migrated database of its own (cloned from the template the global setup migrated). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = inject("pgBaseUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  await adminQuery(base, `create database ${name} template ${inject("pgTemplate")}`);
  const url = withDatabase(base, name);
  const db = createDb(url, { max: 5 });
  return {
    db,
    url,
    drop: async () => {
      await db.destroy();
      await adminQuery(base, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
