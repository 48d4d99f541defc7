// The benchmark data set (e.g. 1,000,000 conversations, ~30 rows each): the same generator as
// the demo, loaded with COPY while the next batch is being generated.
// Why not through ingest like the demo: a million conversations are ~50 million events; at ingest's
// rate on this machine (thousands of events/s, `npm run bench -- ingest`) that is hours, where COPY
// takes minutes. The demo seed (index.ts) proves the same stories through ingest.
// No audio: a month of calls would take hundreds of gigabytes, so recent calls keep the honest
// 'media_unavailable' state (recordings.ts) instead of 'available'.
//
// Speed (measured in CPU seconds, the machine being shared): the server's time went to keeping the
// loaded tables' 30-odd secondary indexes up to date row by row (4–12× the COPY itself; the
// conversations table has 15), and to checking each foreign key row by row, locking the referenced
// rows. So the rows load in ONE transaction on one connection: the secondary indexes are dropped
// first and built again from the loaded rows before the commit (a sort each, with parallel
// workers), and where the role may (the embedded server's superuser) session_replication_role =
// replica skips the per-row foreign-key checks, every key being verified afterwards with one
// anti-join each. A failed or killed load rolls back whole: no database is left without its
// indexes. Generating batch k+1 here overlaps with the server copying batch k. For 50,000
// conversations (rows, indexes, foreign-key checks) this took the server from 23.3 to 13.7 CPU
// seconds and this process from 18.9 to 15.3 (wall 366 → 196 s, both under a load average near
// 40). Replica mode also silences ordinary triggers, so it is used only while the loaded tables
// have none it does not cover itself.
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
import { copyPayload, serializeBatch } from "./copy.ts";
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
  // Inside the load's transaction: a refusal must not abort it.
  await client.query("savepoint replica");
  try {
    await client.query("set session_replication_role = replica");
    return null;
  } catch (err) {
    await client.query("rollback to savepoint replica");
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

/**
 * The secondary indexes of the loaded tables (not those behind a primary key or unique constraint,
 * which the foreign keys need): dropped for the load and built again at its end, in the load's own
 * transaction. Maintaining 30-odd indexes row by row cost 4–12× the COPY itself (conversations
 * alone have 15); building each once from the loaded rows is a sort, in parallel workers.
 */
async function dropSecondaryIndexes(client: pg.Client, tables: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
     from pg_index i
     where i.indrelid = any($1::regclass[])
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
    [tables],
  );
  for (const { name } of rows) await client.query(`drop index ${name}`);
  return rows.map((r) => r.definition);
}

export async function seedScale(db: Kysely<DB>, url: string, opts: SeedOptions): Promise<SeedSummary> {
  const log = opts.log ?? (() => {});
  const total = opts.conversations ?? 1_000_000;
  const now = (opts.now ?? new Date()).getTime();
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
  const catalog = buildCatalog(opts.seed, customerCount(total), new Date(now));
  await writeAvatars(opts.blobs, catalog.staff);

  // One connection loads everything in ONE transaction: indexes dropped, every row copied, indexes
  // built again, then one commit. A load that fails or is killed rolls back whole, so no database is
  // ever left without its indexes or with half a data set. Generating the next batch (this process)
  // overlaps with copying the last one (the server), which keeps both cores busy.
  const loader = await connect(url);
  const clients = [loader];
  try {
    await loader.query("begin");
    const refused = await skipRowChecks(loader);
    log(
      refused === null
        ? "COPY without per-row foreign-key checks; every key is verified afterwards"
        : `COPY with per-row foreign-key checks (slower): ${refused}`,
    );
    // Only the tables' owner may drop their indexes: otherwise they stay, and the load is slower.
    await loader.query("savepoint indexes");
    const deferred = await dropSecondaryIndexes(loader, TABLE_ORDER).catch(async (err: Error) => {
      await loader.query("rollback to savepoint indexes");
      log(`indexes kept during the load (slower): ${err.message}`);
      return [];
    });
    if (deferred.length)
      log(`${deferred.length} secondary indexes dropped for the load, built again before the commit`);

    const { rows } = await loader.query<{ max: string }>(
      "select coalesce(max(id), 0)::text as max from messages",
    );
    let nextMessageId = Number(rows[0]?.max) + 1;
    const takeMessageId = () => nextMessageId++;
    const catalogRows = catalogBatch(catalog);
    await copyPayload(loader, serializeBatch(catalogRows, takeMessageId));
    let loaded = batchSize(catalogRows);

    // Generate batch k+1 while the server copies batch k.
    const generator = createConversationGenerator({ seed: opts.seed, now, total, catalog, audio: false });
    let copying: Promise<void> = Promise.resolve();
    let done = 0;
    let reportedAt = 0;
    for (let from = 0; from < total; from += BATCH) {
      const to = Math.min(total, from + BATCH);
      const batch = emptyBatch();
      for (let i = from; i < to; i++) {
        storyRows(generator.generate(i), catalog, batch);
        if ((i + 1) % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
      }
      const payload = serializeBatch(batch, takeMessageId);
      const count = batchSize(batch);
      await copying;
      copying = copyPayload(loader, payload).then(() => {
        done += to - from;
        loaded += count;
        if (Date.now() - reportedAt >= 10_000 || done === total) {
          reportedAt = Date.now();
          const rate = loaded / ((Date.now() - started) / 1000);
          log(
            `${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} conversations, ` +
              `${loaded.toLocaleString("en-US")} rows, ${seconds()} s (${Math.round(rate).toLocaleString("en-US")} rows/s)`,
          );
        }
      });
      // A failed COPY fails the loop at the next await; keep it from being an unhandled rejection meanwhile.
      copying.catch(() => {});
    }
    await copying;

    // COPY wrote message ids itself: move the identity sequence past them.
    await loader.query(
      "select setval(pg_get_serial_sequence('messages', 'id'), (select max(id) from messages))",
    );
    if (deferred.length) {
      // Sorting a table once per index: as much memory as a sort may want, and the parallel workers.
      await loader.query("set local maintenance_work_mem = '512MB'");
      for (const definition of deferred) await loader.query(definition);
      log(`${deferred.length} indexes built, ${seconds()} s`);
    }
    await loader.query("commit");
    await writeSettings(db); // after the commit: its foreign key waits on the load's locks until then

    clients.push(await connect(url));
    if (refused === null) {
      const keys = await verifyForeignKeys(clients);
      log(`verified ${keys} foreign keys, ${seconds()} s`);
    }
    // The documents' GIN index likewise: built once after the fill (a sort in parallel workers)
    // instead of one insertion per document, which was most of the fill's time.
    const searchIndexes = await dropSecondaryIndexes(loader, ["conversation_search"]).catch((err: Error) => {
      log(`search index kept during the fill (slower): ${err.message}`);
      return [];
    });
    await fillSearchDocuments(clients, log);
    log(`search documents written, ${seconds()} s`);
    if (searchIndexes.length) {
      await loader.query("set maintenance_work_mem = '512MB'");
      for (const definition of searchIndexes) await loader.query(definition);
      await loader.query("reset maintenance_work_mem");
      log(`search index built, ${seconds()} s`);
    }
    let nextTable = 0;
    await Promise.all(
      clients.map(async (client) => {
        for (let t = TABLE_ORDER[nextTable++]; t; t = TABLE_ORDER[nextTable++])
          await client.query(`analyze ${t}`);
      }),
    );
    await loader.query("analyze conversation_search");
    log(`analyzed, ${seconds()} s`);
    if (opts.boss) await enqueueAvatarJobs(opts.boss, catalog);
    return { conversations: total, rows: loaded, users: catalog.staff.length, audioCalls: 0, audioBytes: 0 };
  } catch (err) {
    await loader.query("rollback").catch(() => {});
    throw err;
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}
