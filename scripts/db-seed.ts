// npm run db:seed — loads deterministic demo data into DATABASE_URL or the embedded server.
//   --seed N            another (still deterministic) data set; default 1
//   --conversations N   how many; default 2000. Above 20,000 the benchmark loader (COPY, no audio) runs.
//   --if-empty          do nothing when users already exist
//   --reset             empty the domain tables first (refused without it when data exists)
import { parseArgs } from "node:util";
import { createDb } from "../db/client.ts";
import { migrateToLatest } from "../db/migrate.ts";
import {
  DEFAULT_CONVERSATIONS,
  isDatabaseEmpty,
  resetDatabase,
  seedDemo,
  seedScale,
} from "../db/seed/index.ts";
import { openDatabaseServer } from "../db/server.ts";
import { recordAudit, systemActor } from "../lib/audit/index.ts";
import { readEnv } from "../lib/config/env.ts";
import { createBoss, startBoss } from "../lib/jobs/boss.ts";
import { openBlobStore } from "../lib/storage/index.ts";

const SCALE_THRESHOLD = 20_000;

const { values: args } = parseArgs({
  options: {
    seed: { type: "string", default: "1" },
    conversations: { type: "string", default: String(DEFAULT_CONVERSATIONS) },
    "if-empty": { type: "boolean", default: false },
    reset: { type: "boolean", default: false },
  },
  strict: true,
});
const seed = Number(args.seed);
const conversations = Number(args.conversations);
if (!Number.isInteger(seed) || !Number.isInteger(conversations) || conversations < 1) {
  console.error("--seed and --conversations take whole numbers (--conversations at least 1)");
  process.exit(2);
}

const log = (line: string) => console.log(`[seed] ${line}`);
const started = Date.now();
const env = readEnv();
const server = await openDatabaseServer(env);
const db = createDb(server.url, { max: 4, application: "parley-seed" });
try {
  const applied = await migrateToLatest(db);
  if (applied.length) log(`migrations applied: ${applied.join(", ")}`);
  const empty = await isDatabaseEmpty(db);
  if (!empty && args["if-empty"]) {
    log("the database already has users; nothing to do (--if-empty)");
  } else if (!empty && !args.reset) {
    console.error(
      "[seed] The database already has data. Re-run with --reset to empty the domain tables and load the " +
        "demo data again (this deletes every conversation, user and setting), or with --if-empty to skip.",
    );
    process.exitCode = 1;
  } else {
    if (!empty) {
      const tables = await resetDatabase(db);
      await recordAudit(db, { actor: systemActor, action: "seed.reset", detail: { tables, seed } });
      log(`emptied ${tables.length} tables`);
    }
    const boss = await startBoss(createBoss(server.url, { application: "parley-seed" }));
    try {
      const blobs = openBlobStore(env);
      const scale = conversations > SCALE_THRESHOLD;
      log(
        `loading ${conversations.toLocaleString("en-US")} conversations (seed ${seed}${scale ? ", COPY loader" : ""})…`,
      );
      const summary = scale
        ? await seedScale(db, server.url, { seed, conversations, blobs, boss, log })
        : await seedDemo(db, { seed, conversations, blobs, boss, log });
      log(
        `done: ${summary.conversations.toLocaleString("en-US")} conversations, ${summary.rows.toLocaleString("en-US")} rows` +
          `${summary.events ? ` + ${summary.events.toLocaleString("en-US")} events through ingest` : ""}, ` +
          `${summary.users} users, ${summary.audioCalls} recordings with audio in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      await boss.stop({ graceful: true });
    }
  }
} finally {
  await db.destroy();
  await server.stop();
}
