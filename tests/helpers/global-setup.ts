import { createHash } from "node:crypto";
import { chmodSync, mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createDb } from "../../db/client.ts";
import { startEmbeddedPostgres } from "../../db/embedded.ts";
import { migrateToLatest } from "../../db/migrate.ts";

// One real PostgreSQL for the whole run: the embedded server under .data/test, or the server named
// by TEST_DATABASE_URL (which must be local: tests create and drop databases). It is the global
// setup of each project that needs it (vitest.config.ts), so a run of the unit project alone starts
// none; the projects of one run share the server and the template (kept on globalThis, as each
// project loads this file on its own), and the last one's teardown stops it.
export default async function setup(project: TestProject) {
  const shared = globalThis as { [SHARED]?: Promise<TestPostgres> };
  shared[SHARED] ??= startTestPostgres();
  const server = await shared[SHARED];
  server.users++;
  project.provide("pgBaseUrl", server.baseUrl);
  project.provide("pgTemplate", server.template);
  project.provide("s3Endpoint", ""); // the "s3" project provides its own (s3-setup.ts)
  return async () => {
    if (--server.users > 0) return;
    delete shared[SHARED];
    await server.stop();
  };
}

const SHARED = Symbol.for("parley.test-postgres");
type TestPostgres = { baseUrl: string; template: string; users: number; stop: () => Promise<void> };

async function startTestPostgres(): Promise<TestPostgres> {
  let baseUrl = process.env.TEST_DATABASE_URL;
  let stopServer = async () => {};
  if (baseUrl) {
    const host = new URL(baseUrl).hostname;
    if (!["localhost", "127.0.0.1", "::1"].includes(host)) {
      throw new Error(`Refusing to run tests against a non-local database (${host})`);
    }
  } else {
    const dir = path.resolve(".data/test");
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    // One port per checkout, so test runs in two clones on one machine don't collide.
    const port = Number(
      process.env.TEST_PG_PORT ?? 54140 + (createHash("sha1").update(dir).digest().readUInt16BE(0) % 180),
    );
    const server = await startEmbeddedPostgres({ dataDir: dir, port, database: "postgres" });
    baseUrl = server.url;
    stopServer = server.stop;
  }
  // A template of this run's own, so that runs sharing the server don't drop each other's.
  const template = `parley_template_${process.pid}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`drop database if exists ${template} with (force)`);
  await admin(`create database ${template}`);
  const db = createDb(withDatabase(baseUrl, template), { max: 1 });
  await migrateToLatest(db);
  await db.destroy();
  const stop = async () => {
    await admin(`drop database if exists ${template} with (force)`);
    await stopServer();
  };
  return { baseUrl, template, users: 0, stop };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    pgBaseUrl: string;
    pgTemplate: string;
  }
}
