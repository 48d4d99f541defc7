// The benchmark databases: the 1M data set the read benches share (list, search), and the fresh
// scratch database the write benches start from (ingest, export, retention).
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb, type Database } from "../../db/client.ts";
import { startEmbeddedPostgres } from "../../db/embedded.ts";
import { migrateToLatest } from "../../db/migrate.ts";
import { isDatabaseEmpty, seedScale } from "../../db/seed/index.ts";
import { openBlobStoreAt } from "../../lib/storage/index.ts";

export type BenchDataset = { db: Database; url: string; close: () => Promise<void> };

/**
 * DATABASE_URL, or an embedded PostgreSQL under `dir` (never your data); migrated, and loaded with
 * `conversations` by the COPY loader when empty. `close()` stops it and deletes `dir` unless `keep`.
 */
export async function openBenchDataset(opts: {
  dir: string;
  pgPort: number;
  conversations: number;
  keep: boolean;
  application: string;
  log: (line: string) => void;
}): Promise<BenchDataset> {
  const scratch = !process.env.DATABASE_URL;
  const dir = path.resolve(opts.dir);
  let stop = async () => {};
  let url = process.env.DATABASE_URL ?? "";
  if (scratch) {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755); // PostgreSQL runs as the postgres user, which must enter it
    const server = await startEmbeddedPostgres({ dataDir: dir, port: opts.pgPort, database: "parley" });
    url = server.url;
    stop = server.stop;
  }
  const db = createDb(url, { max: 4, application: opts.application });
  const close = async () => {
    await db.destroy();
    await stop();
    if (scratch && !opts.keep) {
      rmSync(dir, { recursive: true, force: true });
      opts.log(`removed ${dir}`);
    }
  };
  try {
    const applied = await migrateToLatest(db);
    if (applied.length) opts.log(`migrations applied: ${applied.join(", ")}`);
    if (await isDatabaseEmpty(db)) {
      const n = opts.conversations.toLocaleString("en-US");
      opts.log(`empty database: loading ${n} conversations (several minutes)…`);
      await seedScale(db, url, {
        seed: 1,
        conversations: opts.conversations,
        blobs: openBlobStoreAt(path.join(scratch ? dir : "/tmp", "parley-bench-blobs")),
        log: (line) => opts.log(`seed: ${line}`),
      });
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { db, url, close };
}

/** The command-line options of a bench on the shared data set (parseArgs), with its defaults. */
export function datasetOptions(bench: string, pgPort: number) {
  return {
    conversations: { type: "string", default: "1000000" },
    "pg-port": { type: "string", default: String(pgPort) },
    dir: { type: "string", default: `/tmp/parley-bench-${bench}` },
    keep: { type: "boolean", default: false },
  } as const;
}

/** openBenchDataset with the values of datasetOptions. */
export function openBenchDatasetFrom(
  bench: string,
  args: { conversations: string; "pg-port": string; dir: string; keep: boolean },
  log: (line: string) => void,
): Promise<BenchDataset> {
  return openBenchDataset({
    dir: args.dir,
    pgPort: Number(args["pg-port"]),
    conversations: Number(args.conversations),
    keep: args.keep,
    application: `parley-bench-${bench}`,
    log,
  });
}

export type ScratchDatabase = { db: Database; url: string; dir: string; close: () => Promise<void> };

/**
 * A fresh, migrated embedded PostgreSQL in a new folder under /tmp (never your data; the bench may
 * keep its own files beside it in `dir`). `close()` stops it and deletes `dir` unless `keep`.
 */
export async function openScratchDatabase(opts: {
  name: string;
  pgPort: number;
  keep: boolean;
  max?: number;
}): Promise<ScratchDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `parley-bench-${opts.name}-`));
  chmodSync(dir, 0o755); // PostgreSQL runs as the postgres user, which must enter it
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, "pg"),
    port: opts.pgPort,
    database: "bench",
  });
  const db = createDb(server.url, { max: opts.max ?? 4, application: `parley-bench-${opts.name}` });
  const close = async () => {
    await db.destroy();
    await server.stop();
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await migrateToLatest(db);
  } catch (err) {
    await close();
    throw err;
  }
  return { db, url: server.url, dir, close };
}
