import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, expect, inject, test } from "vitest";
import { createDb } from "../../db/client.ts";
import { shippedMigrations } from "../../lib/health/readiness.ts";
import { withDatabase } from "../helpers/global-setup.ts";

// Several processes starting at once against one empty database (a deploy that starts its web and
// worker processes together, each running `npm run db:migrate` first) apply each migration once:
// Kysely's migrator holds a PostgreSQL advisory lock while it migrates, and the others wait on it.

const root = path.resolve(import.meta.dirname, "../..");
const name = `t_race_${randomBytes(5).toString("hex")}`;
const base = inject("pgBaseUrl");

async function admin(query: string) {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(query).finally(() => client.end());
}

afterAll(() => admin(`drop database if exists ${name} with (force)`));

function migrate(url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["scripts/db-migrate.ts"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

test("three db:migrate processes racing on an empty database apply every migration once", async () => {
  await admin(`create database ${name}`);
  const url = withDatabase(base, name);
  const runs = await Promise.all([migrate(url), migrate(url), migrate(url)]);
  for (const run of runs) expect(run.code, run.output).toBe(0);

  const shipped = await shippedMigrations(path.join(root, "db", "migrations"));
  // One process applied them all; the others found the database up to date.
  const appliers = runs.filter((r) => r.output.includes("Applied:"));
  expect(appliers).toHaveLength(1);
  expect(appliers[0]?.output).toContain(shipped.at(-1));
  expect(runs.filter((r) => r.output.includes("Database is up to date."))).toHaveLength(2);

  const db = createDb(url, { max: 1 });
  try {
    const rows = await sql<{ name: string; n: string }>`
      select name, count(*)::text as n from kysely_migration group by name order by name`.execute(db);
    expect(rows.rows.map((r) => r.name)).toEqual(shipped);
    expect(rows.rows.every((r) => r.n === "1")).toBe(true);
  } finally {
    await db.destroy();
  }
}, 120_000);
