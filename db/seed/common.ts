// Pieces both loaders share: options, the non-conversation rows, settings and avatar jobs.
import type { Kysely } from "kysely";
import type { PgBoss } from "pg-boss";
import { processAvatarJob } from "../../lib/jobs/definitions.ts";
import { enqueue } from "../../lib/jobs/enqueue.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import type { DB } from "../types.ts";
import type { Catalog } from "./catalog.ts";
import { RETENTION_DAYS } from "./recordings.ts";
import { type Batch, emptyBatch } from "./rows.ts";

export type SeedOptions = {
  seed: number;
  conversations?: number;
  now?: Date;
  blobs: BlobStore;
  /** When given, avatar jobs are enqueued for every user; without it they wait for a later run. */
  boss?: PgBoss;
  log?: (line: string) => void;
};

export type SeedSummary = {
  conversations: number;
  /** Rows inserted directly (the COPY loader: all of them). */
  rows: number;
  /** Events sent through ingest (the demo). */
  events?: number;
  users: number;
  audioCalls: number;
  audioBytes: number;
};

export function customerCount(conversations: number): number {
  return Math.max(50, Math.min(200_000, Math.round(conversations * 0.35)));
}

export function catalogBatch(catalog: Catalog): Batch {
  return { ...emptyBatch(), ...catalog.rows };
}

/** The settings the demo relies on; an existing value (an admin's choice) is kept. */
export async function writeSettings(db: Kysely<DB>): Promise<void> {
  await db
    .insertInto("settings")
    .values({ key: "recording_retention_days", value: JSON.stringify(RETENTION_DAYS) })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
}

export async function enqueueAvatarJobs(boss: PgBoss, catalog: Catalog): Promise<void> {
  for (const user of catalog.staff) await enqueue(boss, processAvatarJob, { userId: user.id });
}
