// npm run bench -- monitor [--live 2000] [--iterations 30] [--conversations 1000000]
//                          [--pg-port 55712] [--dir /tmp/parley-bench-monitor] [--keep]
// Server time of the Monitor page's reads (lib/conversations/ongoing.ts, what /monitor calls) with
// --live conversations in progress beside the finished ones: the first page, a deep page (walked by
// cursor), a search by customer name, by a word said and by session id, the queue and SmartStatus
// filters, and Supervisor View on the oldest live conversation. Live conversations are added
// through ingest (tests/helpers/live-conversations.ts) until there are --live of them. Runs against
// DATABASE_URL (a copy, never the shared data set itself), or a scratch embedded PostgreSQL.
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { parseMonitorParams } from "../../lib/conversations/monitor-params.ts";
import { getOngoingConversation, listOngoingConversations } from "../../lib/conversations/ongoing.ts";
import { seedLiveConversations } from "../../tests/helpers/live-conversations.ts";
import { datasetOptions, openBenchDatasetFrom } from "./dataset.ts";
import { fmt, printTable, TARGETS_MISSED, time } from "./stats.ts";

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    live: { type: "string", default: "2000" },
    iterations: { type: "string", default: "30" },
    ...datasetOptions("monitor", 55712),
  },
  strict: true,
});
const live = Number(args.live);
const iterations = Number(args.iterations);
const TAG = "bench";
const TARGET_P95_MS = 100;

const log = (line: string) => console.log(`[bench] ${line}`);
const { db, close } = await openBenchDatasetFrom("monitor", args, log);

try {
  const count = async () =>
    Number(
      (
        await db
          .selectFrom("conversations")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .where("session_id", "like", `live-${TAG}-%`)
          .where("status", "=", "in_progress")
          .executeTakeFirstOrThrow()
      ).n,
    );
  if ((await count()) < live) {
    log(`adding ${live.toLocaleString("en-US")} conversations in progress through ingest…`);
    const started = performance.now();
    await seedLiveConversations(db, { count: live, tag: TAG });
    log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await sql`analyze`.execute(db);
  const totals = await db
    .selectFrom("conversations")
    .select((eb) => [
      eb.fn.countAll<string>().as("all"),
      eb.fn.count<string>("id").filterWhere("status", "=", "in_progress").as("live"),
    ])
    .executeTakeFirstOrThrow();
  log(
    `${Number(totals.all).toLocaleString("en-US")} conversations, ${Number(totals.live).toLocaleString("en-US")} in progress; ` +
      `${iterations} timed runs per case`,
  );

  const supervisor = await db
    .selectFrom("users")
    .select(["id", "role"])
    .where("role", "=", "supervisor")
    .orderBy("email")
    .executeTakeFirstOrThrow();
  // Walk to a deep page the way Older would.
  let page = await listOngoingConversations(db, supervisor, {});
  let pages = 1;
  while (page.next && pages < Math.ceil(live / 50) - 1) {
    page = await listOngoingConversations(db, supervisor, { after: page.next });
    pages++;
  }
  const deep = { after: page.prev ?? undefined };
  const oldest = page.items.at(-1)?.id ?? "";
  const n = Math.floor(live * 0.6);
  const cases: [string, () => Promise<unknown>][] = [
    ["first page", () => listOngoingConversations(db, supervisor, {})],
    [`page ${pages} (cursor)`, () => listOngoingConversations(db, supervisor, deep)],
    [
      "search: customer name",
      () => listOngoingConversations(db, supervisor, parseMonitorParams({ q: `Live Caller ${TAG}-${n}` })),
    ],
    [
      "search: word said",
      () => listOngoingConversations(db, supervisor, parseMonitorParams({ q: `${TAG}w${n}` })),
    ],
    [
      "search: session id",
      () => listOngoingConversations(db, supervisor, parseMonitorParams({ q: `live-${TAG}-${n}` })),
    ],
    [
      "queue=Billing",
      () => listOngoingConversations(db, supervisor, parseMonitorParams({ queue: "Billing" })),
    ],
    [
      "SmartStatus=on_hold",
      () => listOngoingConversations(db, supervisor, parseMonitorParams({ smart: "on_hold" })),
    ],
    ["Supervisor View (oldest)", () => getOngoingConversation(db, supervisor, oldest)],
  ];
  const timings = await time(
    iterations,
    cases.map(([, run]) => run),
  );
  printTable(
    ["case", "p50 / p95 ms"],
    cases.map(([name], i) => [name, fmt(timings[i] ?? { p50: Number.NaN, p95: Number.NaN })]),
  );
  const missed = cases.filter((_, i) => (timings[i]?.p95 ?? Number.POSITIVE_INFINITY) > TARGET_P95_MS);
  if (missed.length) {
    log(`targets missed (p95 ≤ ${TARGET_P95_MS} ms): ${missed.map(([name]) => name).join(", ")}`);
    process.exitCode = TARGETS_MISSED;
  } else {
    log(`targets met: every p95 ≤ ${TARGET_P95_MS} ms`);
  }
} finally {
  await close();
}
