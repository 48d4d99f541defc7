// Demo data: a deterministic, realistic month of contact-center conversations (see README:
// `npm run db:seed`). seedDemo sends the demo-sized set through ingest, as a platform would, with
// real recording audio stored as an upload stores it; seedScale (scale.ts) loads the
// benchmark-sized set with COPY.
import { type Kysely, sql } from "kysely";
import { ingestEvents } from "../../lib/ingest/index.ts";
import type { DB } from "../types.ts";
import { writeAvatars } from "./avatars.ts";
import { buildCatalog } from "./catalog.ts";
import {
  customerCount,
  enqueueAvatarJobs,
  type SeedOptions,
  type SeedSummary,
  writeSettings,
} from "./common.ts";
import { createConversationGenerator, type Story } from "./conversations.ts";
import { seedDemoCaptures, seedVoiceDiagnostics } from "./diagnostics.ts";
import { seedDispositionEdits } from "./dispositions.ts";
import { storyEvents } from "./events.ts";
import { ageStoriesForExports } from "./exports.ts";
import { insertConfiguration } from "./insert.ts";
import { writeMediaStates } from "./media.ts";
import { type AudioCall, writeRecordingFiles } from "./recording-files.ts";
import { seedRecordingMedia } from "./recording-media.ts";

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

// Conversations per ingestEvents call: large set-based batches (the API's 1,000-event cap is an
// HTTP limit; the function itself takes any number).
const STORIES_PER_BATCH = 250;

/**
 * Loads the demo data set in one transaction (all or nothing, so a failed run leaves the database
 * empty and the next start tries again). The staff and the catalogues (queues, skills,
 * dispositions) are configuration and inserted; every conversation arrives as the ingest events a
 * platform would send, through ingestEvents; then Parley's own media state (recording fetches,
 * screen recordings) and the recent calls' audio, stored as uploaded legs. Files are written as it goes.
 */
export async function seedDemo(db: Kysely<DB>, opts: SeedOptions): Promise<SeedSummary> {
  const total = opts.conversations ?? DEFAULT_CONVERSATIONS;
  const now = (opts.now ?? new Date()).getTime();
  const catalog = buildCatalog(opts.seed, customerCount(total), new Date(now));
  // Customers are not configuration: the platform names them in its events.
  const { customers: _, ...configuration } = catalog.rows;
  const generator = createConversationGenerator({ seed: opts.seed, now, total, catalog, audio: true });
  const stories: Story[] = Array.from({ length: total }, (_, i) => generator.generate(i));
  ageStoriesForExports(stories, catalog.staff);
  const emails = new Map(catalog.staff.map((s) => [s.id, s.email]));
  const emailOf = (userId: string) => emails.get(userId) as string;
  await writeAvatars(opts.blobs, catalog.staff);
  const { events, audio } = await db.transaction().execute(async (trx) => {
    await insertConfiguration(trx, configuration);
    let events = 0;
    for (let from = 0; from < stories.length; from += STORIES_PER_BATCH) {
      const batch = stories.slice(from, from + STORIES_PER_BATCH).flatMap((s) => storyEvents(s, emailOf));
      const result = await ingestEvents(trx, batch, { atomic: true });
      if (result.rejected.length) {
        throw new Error(`ingest rejected demo events: ${JSON.stringify(result.rejected.slice(0, 3))}`);
      }
      events += result.accepted;
    }
    const ids = await conversationIds(trx);
    await writeMediaStates(trx, stories, ids);
    const audioCalls: AudioCall[] = stories.flatMap((s) =>
      s.recording?.audio
        ? [
            {
              conversationId: ids.get(s.sessionId) as string,
              startedAt: s.start,
              supportAgentId: s.tl.agentId,
              plan: s.recording.audio,
            },
          ]
        : [],
    );
    const audio = await writeRecordingFiles(trx, audioCalls, opts.blobs, opts.seed);
    await writeSettings(trx);
    return { events, audio };
  });
  opts.log?.(
    `ingested ${events.toLocaleString("en-US")} events; rendered ${audio.calls} recordings ` +
      `(${(audio.bytes / 1e6).toFixed(0)} MB of audio)`,
  );
  await seedVoiceDiagnostics(db, opts.blobs, { seed: opts.seed, now: new Date(now) });
  const captured = await seedDemoCaptures(db, opts.blobs, { seed: opts.seed });
  opts.log?.(`made a capture for each of ${captured.toLocaleString("en-US")} finished voice calls`);
  if (opts.boss) await enqueueAvatarJobs(opts.boss, catalog);
  await seedRecordingMedia(db, { blobs: opts.blobs, boss: opts.boss, now });
  await seedDispositionEdits(db, now);
  return {
    conversations: total,
    rows: Object.values(configuration).reduce((n, rows) => n + rows.length, 0),
    events,
    users: catalog.staff.length,
    audioCalls: audio.calls,
    audioBytes: audio.bytes,
  };
}

/** Session id → conversation id, for what is tied to conversations after ingest. */
async function conversationIds(db: Kysely<DB>): Promise<Map<string, string>> {
  const rows = await db.selectFrom("conversations").select(["id", "session_id"]).execute();
  return new Map(rows.map((r) => [r.session_id, r.id]));
}
