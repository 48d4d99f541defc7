// npm run bench -- ingest [--events 200000] [--batch 1000] [--concurrency 2] [--pg-port 54395] [--keep]
// Ingests a generated, time-interleaved event stream into a scratch embedded PostgreSQL under /tmp
// (never your data) and prints events/s, plus how long after its batch was sent a new conversation
// shows up in the API's list query, polled from a separate connection pool.
import { parseArgs } from "node:util";
import { createDb } from "../../db/client.ts";
import { listApiConversations } from "../../lib/api/conversations.ts";
import { conversationStream, rngFrom } from "../../lib/ingest/generate.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import type { IngestEvent } from "../../lib/ingest/schemas.ts";
import { openScratchDatabase } from "./dataset.ts";

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    events: { type: "string", default: "200000" },
    batch: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "2" },
    "pg-port": { type: "string", default: "54395" },
    keep: { type: "boolean", default: false },
  },
  strict: true,
});
const target = Number(args.events);
const batchSize = Number(args.batch);
const concurrency = Number(args.concurrency);

const scratch = await openScratchDatabase({
  name: "ingest",
  pgPort: Number(args["pg-port"]),
  keep: args.keep,
  max: concurrency + 1,
});
const { db, url, dir } = scratch;
const readDb = createDb(url, { max: 2, application: "parley-bench-read" });
try {
  const agents = Array.from({ length: 20 }, (_, i) => `agent${i}@bench.test`);
  await db
    .insertInto("users")
    .values(agents.map((email, i) => ({ email, name: `Agent ${i}`, role: "agent" as const })))
    .execute();

  // Conversations start a few seconds apart; merging every stream by time interleaves them the way
  // a platform's traffic does, so each batch touches many conversations.
  const rng = rngFrom(42);
  const all: IngestEvent[] = [];
  const start = Date.UTC(2026, 10, 1);
  for (let i = 0; all.length < target; i++) {
    all.push(...conversationStream({ sessionId: `b${i}`, start: new Date(start + i * 5000), agents, rng }));
  }
  all.length = target;
  all.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
  const batches: IngestEvent[][] = [];
  for (let i = 0; i < all.length; i += batchSize) batches.push(all.slice(i, i + batchSize));
  const conversations = new Set(all.map((e) => e.sessionId)).size;
  console.log(
    `[bench] ${all.length.toLocaleString("en-US")} events of ${conversations.toLocaleString("en-US")} conversations, ` +
      `${batches.length} batches of ${batchSize}, ${concurrency} concurrent, PostgreSQL in ${dir}`,
  );

  // Visibility probe: one new conversation per batch is watched until the list query returns it.
  type Probe = { sessionId: string; startedAt: number; sentAt: number; acceptedAt?: number };
  const pending = new Map<string, Probe>();
  const visibleAfterSend: number[] = [];
  const visibleAfterAccept: number[] = [];
  let ingesting = true;
  const poller = (async () => {
    while (ingesting || pending.size > 0) {
      for (const probe of [...pending.values()].slice(0, 8)) {
        const page = await listApiConversations(
          readDb,
          { apiKeyId: "bench" },
          {
            from: new Date(probe.startedAt).toISOString(),
            to: new Date(probe.startedAt + 1).toISOString(),
            limit: 200,
          },
        );
        if (page.data.some((c) => c.sessionId === probe.sessionId)) {
          const now = performance.now();
          pending.delete(probe.sessionId);
          visibleAfterSend.push(now - probe.sentAt);
          if (probe.acceptedAt !== undefined) visibleAfterAccept.push(Math.max(0, now - probe.acceptedAt));
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();

  let next = 0;
  let accepted = 0;
  const batchMs: number[] = [];
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const batch = batches[next++] as IngestEvent[];
        const started = batch.find((e) => e.type === "conversation.started");
        const sentAt = performance.now();
        const probe: Probe | undefined = started
          ? { sessionId: started.sessionId, startedAt: Date.parse(started.occurredAt), sentAt }
          : undefined;
        if (probe) pending.set(probe.sessionId, probe);
        const result = await ingestEvents(db, batch);
        const done = performance.now();
        if (probe) probe.acceptedAt = done;
        if (result.rejected.length) throw new Error(`rejected: ${JSON.stringify(result.rejected[0])}`);
        accepted += result.accepted;
        batchMs.push(done - sentAt);
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  ingesting = false;
  await poller;

  const pct = (xs: number[], p: number) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
  };
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(`[bench] ingested ${accepted.toLocaleString("en-US")} events in ${seconds.toFixed(1)} s`);
  console.log(`[bench] throughput: ${Math.round(accepted / seconds).toLocaleString("en-US")} events/s`);
  console.log(`[bench] batch of ${batchSize}: p50 ${ms(pct(batchMs, 50))}, p99 ${ms(pct(batchMs, 99))}`);
  console.log(
    `[bench] batch sent → visible in list query (${visibleAfterSend.length} probes): ` +
      `p50 ${ms(pct(visibleAfterSend, 50))}, p99 ${ms(pct(visibleAfterSend, 99))}`,
  );
  console.log(
    `[bench] accepted → visible in list query: p50 ${ms(pct(visibleAfterAccept, 50))}, p99 ${ms(pct(visibleAfterAccept, 99))}`,
  );
} finally {
  await readDb.destroy();
  await scratch.close();
}
