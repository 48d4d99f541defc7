// Demo data: a deterministic, realistic month of contact-center conversations (see README:
// `npm run db:seed`). seedDemo loads a demo-sized set with Kysely and real recording audio;
// seedScale (scale.ts) loads the benchmark-sized set with COPY.
import { type Kysely, sql } from "kysely";
import type { DB } from "../types.ts";
import { writeAvatars } from "./avatars.ts";
import { buildCatalog } from "./catalog.ts";
import {
  catalogBatch,
  customerCount,
  enqueueAvatarJobs,
  type SeedOptions,
  type SeedSummary,
  writeSettings,
} from "./common.ts";
import { type AudioCandidate, createConversationGenerator } from "./conversations.ts";
import { seedVoiceDiagnostics } from "./diagnostics.ts";
import { insertBatch } from "./insert.ts";
import { writeRecordingFiles } from "./recording-files.ts";
import { batchSize } from "./rows.ts";

export type { SeedOptions, SeedSummary } from "./common.ts";
export { seedScale } from "./scale.ts";

export const DEFAULT_CONVERSATIONS = 2000;

/** True when no user exists yet: nothing to protect, the demo data may be loaded. */
export async function isDatabaseEmpty(db: Kysely<DB>): Promise<boolean> {
  return (await db.selectFrom("users").select("id").limit(1).executeTakeFirst()) === undefined;
}

// Kept on reset: the migration bookkeeping, the audit log (append-only evidence, it refuses
// TRUNCATE) and the live workers' heartbeats.
const KEEP_ON_RESET = ["kysely_migration", "kysely_migration_lock", "audit_log", "worker_heartbeats"];

/** Empties every domain table (ids restart). Returns the tables emptied. */
export async function resetDatabase(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables
    where schemaname = 'public' and tablename <> all(${KEEP_ON_RESET}) order by tablename`.execute(db);
  const names = rows.map((r) => r.name);
  if (names.length)
    await sql
      .raw(`truncate table ${names.map((n) => `"${n}"`).join(", ")} restart identity cascade`)
      .execute(db);
  return names;
}

/**
 * Loads the demo data set in one transaction (all or nothing, so a failed run leaves the database
 * empty and the next start tries again). Files (avatars, recordings) are written first.
 */
export async function seedDemo(db: Kysely<DB>, opts: SeedOptions): Promise<SeedSummary> {
  const total = opts.conversations ?? DEFAULT_CONVERSATIONS;
  const now = (opts.now ?? new Date()).getTime();
  const catalog = buildCatalog(opts.seed, customerCount(total), new Date(now));
  const batch = catalogBatch(catalog);
  const generator = createConversationGenerator({ seed: opts.seed, now, total, catalog, audio: true });
  const candidates: AudioCandidate[] = [];
  for (let i = 0; i < total; i++) {
    const candidate = generator.generate(i, batch);
    if (candidate) candidates.push(candidate);
  }
  await writeAvatars(opts.blobs, catalog.staff);
  const audio = await writeRecordingFiles(candidates, batch, opts.blobs, opts.seed);
  opts.log?.(`rendered ${audio.calls} recordings (${(audio.bytes / 1e6).toFixed(0)} MB of audio)`);
  await db.transaction().execute(async (trx) => {
    await insertBatch(trx, batch);
    await writeSettings(trx);
  });
  await seedVoiceDiagnostics(db, opts.blobs, { seed: opts.seed, now: new Date(now) });
  if (opts.boss) await enqueueAvatarJobs(opts.boss, catalog);
  return {
    conversations: total,
    rows: batchSize(batch),
    users: catalog.staff.length,
    audioCalls: audio.calls,
    audioBytes: audio.bytes,
  };
}
