// The benchmark data set (e.g. 1,000,000 conversations, ~30 rows each): the same generator as
// the demo, loaded with COPY while the next batch is being generated. Indexes stay in place.
// Why not through ingest like the demo: a million conversations are ~50 million events; at ingest's
// rate on this machine (thousands of events/s, `npm run bench -- ingest`) that is hours, where COPY
// takes minutes. The demo seed (index.ts) proves the same stories through ingest.
// No audio: a month of calls would take hundreds of gigabytes, so recent calls keep the honest
// 'media_unavailable' state (recordings.ts) instead of 'available'.
//
// Speed: most rows reference one of ~30 users/queues/skills. PostgreSQL checks each foreign key
// row by row and locks the referenced row; two loaders locking the same rows turn those locks into
// MultiXacts, which made two connections no faster than one (≈ 9–10 min for 1M here). Where the
// role may (the embedded server's superuser), the load skips those per-row checks with
// session_replication_role = replica on two connections (≈ 4–5 min) and then verifies every
// foreign key of the loaded tables with one anti-join each. Replica mode also silences ordinary
// triggers, so it is used only while the loaded tables have none it does not cover itself.
import type { Kysely } from "kysely";
import pg from "pg";
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
import { createConversationGenerator, storyRows } from "./conversations.ts";
import { type CopyPayload, copyPayload, serializeBatch } from "./copy.ts";
import { batchSize, emptyBatch, TABLE_ORDER } from "./rows.ts";
import { fillSearchDocuments } from "./search.ts";

const BATCH = 5000;
// Hand control back to the event loop this often so the sockets keep draining while we generate.
const YIELD_EVERY = 250;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: "parley-seed" });
  await client.connect();
  // Losing the last commits of a crashed seed is fine (it is rerun); waiting on each flush is not.
  await client.query("set synchronous_commit = off");
  return client;
}

// Triggers that replica mode may silence during the load: the participants' copy of the
// conversation's start and the recordings' start of retention are written by the generator
// itself, and their followers fire on UPDATE only.
const TRIGGERS_THE_LOADER_COVERS = [
  "participants_conversation_started_at",
  "conversations_started_at_to_participants",
  "recordings_retention_from", // the generator writes recordings.retention_from
  "conversations_ended_at_to_recordings",
  // The search documents' copies of the start and the participants: the documents, written after
  // the load (fillSearchDocuments), take them then.
  "conversations_started_at_to_search",
  "participants_to_search_on_insert",
  "participants_to_search_on_delete",
  "participants_to_search_on_update",
  // Outgoing webhooks: the benchmark data set registers no endpoint, so they would raise nothing.
  "recordings_webhook_insert",
  "recordings_webhook_update",
  "exports_webhook",
  "disposition_changes_webhook",
];

/** Turns off per-row foreign-key checks on this connection when that is safe; else says why not. */
async function skipRowChecks(client: pg.Client): Promise<string | null> {
  const { rows } = await client.query<{ name: string }>(
    `select tgrelid::regclass::text || '.' || tgname as name from pg_trigger
     where not tgisinternal and tgrelid = any($1::regclass[]) and tgname <> all($2::text[])`,
    [TABLE_ORDER, TRIGGERS_THE_LOADER_COVERS],
  );
  if (rows.length) return `the loaded tables have triggers (${rows.map((r) => r.name).join(", ")})`;
  try {
    await client.query("set session_replication_role = replica");
    return null;
  } catch (err) {
    return `this role may not set session_replication_role (${(err as Error).message})`;
  }
}

/** Every single-column foreign key of the loaded tables, checked with one anti-join each. */
async function verifyForeignKeys(clients: pg.Client[]): Promise<number> {
  const first = clients[0] as pg.Client;
  const { rows: keys } = await first.query<{ child: string; col: string; parent: string; pcol: string }>(
    `select c.conrelid::regclass::text as child, a.attname as col, c.confrelid::regclass::text as parent,
            pa.attname as pcol
     from pg_constraint c
     join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
     join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
     where c.contype = 'f' and cardinality(c.conkey) = 1 and c.conrelid = any($1::regclass[])`,
    [TABLE_ORDER],
  );
  const broken: string[] = [];
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      for (let k = keys[next++]; k; k = keys[next++]) {
        const { rows } = await client.query<{ n: string }>(
          `select count(*)::text as n from ${k.child} x where x."${k.col}" is not null
           and not exists (select 1 from ${k.parent} p where p."${k.pcol}" = x."${k.col}")`,
        );
        if (rows[0]?.n !== "0") broken.push(`${k.child}.${k.col} → ${k.parent} (${rows[0]?.n} rows)`);
      }
    }),
  );
  if (broken.length) throw new Error(`Foreign keys broken after the load: ${broken.join("; ")}`);
  return keys.length;
}

export async function seedScale(db: Kysely<DB>, url: string, opts: SeedOptions): Promise<SeedSummary> {
  const log = opts.log ?? (() => {});
  const total = opts.conversations ?? 1_000_000;
  const now = (opts.now ?? new Date()).getTime();
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
  const catalog = buildCatalog(opts.seed, customerCount(total), new Date(now));
  await writeAvatars(opts.blobs, catalog.staff);

  const clients = [await connect(url)];
  try {
    const first = clients[0] as pg.Client;
    const refused = await skipRowChecks(first);
    if (refused === null) {
      const second = await connect(url);
      clients.push(second);
      await second.query("set session_replication_role = replica");
      log("COPY on 2 connections without per-row foreign-key checks; every key is verified afterwards");
    } else {
      log(`COPY on 1 connection with per-row foreign-key checks (slower): ${refused}`);
    }

    const { rows } = await first.query<{ max: string }>(
      "select coalesce(max(id), 0)::text as max from messages",
    );
    let nextMessageId = Number(rows[0]?.max) + 1;
    const takeMessageId = () => nextMessageId++;
    const catalogRows = catalogBatch(catalog);
    await copyPayload(first, serializeBatch(catalogRows, takeMessageId));
    await writeSettings(db);
    let loaded = batchSize(catalogRows);

    // Generate batch k+1 while the connections copy earlier ones.
    const generator = createConversationGenerator({ seed: opts.seed, now, total, catalog, audio: false });
    const idle = [...clients];
    const running = new Set<Promise<void>>();
    let failure: Error | null = null;
    let done = 0;
    let reportedAt = 0;
    const copy = (client: pg.Client, payload: CopyPayload, conversations: number, count: number) => {
      const job: Promise<void> = copyPayload(client, payload).then(
        () => {
          running.delete(job);
          idle.push(client);
          done += conversations;
          loaded += count;
          if (Date.now() - reportedAt >= 10_000 || done === total) {
            reportedAt = Date.now();
            const rate = loaded / ((Date.now() - started) / 1000);
            log(
              `${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} conversations, ` +
                `${loaded.toLocaleString("en-US")} rows, ${seconds()} s (${Math.round(rate).toLocaleString("en-US")} rows/s)`,
            );
          }
        },
        (err: Error) => {
          running.delete(job);
          failure = err;
        },
      );
      running.add(job);
    };
    for (let from = 0; from < total; from += BATCH) {
      const to = Math.min(total, from + BATCH);
      const batch = emptyBatch();
      for (let i = from; i < to; i++) {
        storyRows(generator.generate(i), catalog, batch);
        if ((i + 1) % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
      }
      const payload = serializeBatch(batch, takeMessageId);
      while (idle.length === 0 && failure === null) await Promise.race(running);
      if (failure) throw failure;
      copy(idle.pop() as pg.Client, payload, to - from, batchSize(batch));
    }
    await Promise.all(running);
    if (failure) throw failure;

    // COPY wrote message ids itself: move the identity sequence past them.
    await first.query(
      "select setval(pg_get_serial_sequence('messages', 'id'), (select max(id) from messages))",
    );
    if (refused === null) {
      const keys = await verifyForeignKeys(clients);
      log(`verified ${keys} foreign keys, ${seconds()} s`);
    }
    await fillSearchDocuments(clients, log);
    log(`search documents written, ${seconds()} s`);
    let nextTable = 0;
    await Promise.all(
      clients.map(async (client) => {
        for (let t = TABLE_ORDER[nextTable++]; t; t = TABLE_ORDER[nextTable++])
          await client.query(`analyze ${t}`);
      }),
    );
    await first.query("analyze conversation_search");
    log(`analyzed, ${seconds()} s`);
    if (opts.boss) await enqueueAvatarJobs(opts.boss, catalog);
    return { conversations: total, rows: loaded, users: catalog.staff.length, audioCalls: 0, audioBytes: 0 };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}
