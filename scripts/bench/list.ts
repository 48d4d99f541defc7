// npm run bench -- list [--iterations 50] [--naive-iterations 20] [--pages 1000] [--size 50]
//                       [--conversations 1000000] [--pg-port 54396] [--dir /tmp/parley-bench-list] [--keep]
// Server time of the Conversations list (listConversations, the function the page calls) for the
// first page and for page 1000 (reached by walking the cursor), across filter mixes, next to the
// naive way (OFFSET + exact count(*)) on the same data. Runs against DATABASE_URL, or a scratch
// embedded PostgreSQL under --dir (never your data), loaded with --conversations if empty. The
// scratch folder (~7 GB for 1M) is deleted at the end unless --keep.
import { parseArgs } from "node:util";
import { sql } from "kysely";
import type { Database } from "../../db/client.ts";
import type { ScopeViewer } from "../../lib/auth/scope.ts";
import { type ListConversationsOptions, listConversations, listQuery } from "../../lib/conversations/list.ts";
import { datasetOptions, openBenchDatasetFrom } from "./dataset.ts";
import { fmt, printTable, TARGETS_MISSED, time } from "./stats.ts";

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    iterations: { type: "string", default: "50" },
    // The naive deep page takes seconds: fewer runs of it, still enough for the comparison.
    "naive-iterations": { type: "string", default: "20" },
    pages: { type: "string", default: "1000" },
    size: { type: "string", default: "50" },
    ...datasetOptions("list", 54396),
  },
  strict: true,
});
const iterations = Number(args.iterations);
const naiveIterations = Number(args["naive-iterations"]);
const deepPage = Number(args.pages);
const size = Number(args.size);

const log = (line: string) => console.log(`[bench] ${line}`);
const { db, close } = await openBenchDatasetFrom("list", args, log);

try {
  await sql`analyze`.execute(db);
  const total = await db
    .selectFrom("conversations")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirst();
  log(
    `${Number(total?.n).toLocaleString("en-US")} conversations; ${iterations} timed runs per keyset case ` +
      `(${naiveIterations} per OFFSET + count case), page size ${size}`,
  );

  const user = (email: string) =>
    db.selectFrom("users").select(["id", "role"]).where("email", "=", email).executeTakeFirstOrThrow();
  const supervisor = await user("supervisor@parley.demo");
  const agent = await user("agent@parley.demo");
  const mixes: { name: string; viewer: ScopeViewer; filter: ListConversationsOptions }[] = [
    { name: "none (supervisor)", viewer: supervisor, filter: {} },
    { name: "status=completed", viewer: supervisor, filter: { status: ["completed"] } },
    { name: "channel=voice", viewer: supervisor, filter: { channel: ["voice"] } },
    { name: "agent scope", viewer: agent, filter: {} },
    // The filter panel's shapes (tests/integration/list-explain.test.ts checks their plans).
    {
      name: "status=error,completed_drop_off",
      viewer: supervisor,
      filter: { status: ["error", "completed_drop_off"] },
    },
    { name: "queue=Billing", viewer: supervisor, filter: { queue: ["Billing"] } },
    { name: "agent=agent@parley.demo", viewer: supervisor, filter: { agent: ["agent@parley.demo"] } },
    {
      name: "tag priority CONTAINS urg",
      viewer: supervisor,
      filter: { tags: [{ name: "priority", op: "contains", value: "urg" }] },
    },
    {
      name: "tag tier DOES NOT CONTAIN gold",
      viewer: supervisor,
      filter: { tags: [{ name: "tier", op: "not_contains", value: "gold" }] },
    },
  ];

  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const mix of mixes) {
    const opts = { ...mix.filter, limit: size };
    // Walk the cursor to the deep page, the way a reader clicking Next would get there.
    let page = await listConversations(db, mix.viewer, opts);
    let after: ListConversationsOptions["after"];
    let reached = 1;
    while (reached < deepPage && page.next) {
      after = page.next;
      page = await listConversations(db, mix.viewer, { ...opts, after });
      reached++;
    }
    // Page 1 and the deep page alternate, so load from other processes falls on both alike.
    const [first, deep] = await time(iterations, [
      () => listConversations(db, mix.viewer, opts),
      () => listConversations(db, mix.viewer, { ...opts, after }),
    ]);
    const [naiveFirst, naiveDeep] = await time(naiveIterations, [
      () => naivePage(db, mix.viewer, opts, 0),
      () => naivePage(db, mix.viewer, opts, (reached - 1) * size),
    ]);
    rows.push([
      mix.name,
      fmt(first),
      `${fmt(deep)} (p.${reached})`,
      `${(deep.p50 / first.p50).toFixed(2)}×`,
      fmt(naiveFirst),
      fmt(naiveDeep),
    ]);
    if (first.p95 > 50) verdicts.push(`${mix.name}: first page p95 ${first.p95.toFixed(1)} ms > 50 ms`);
    if (deep.p95 > 50) verdicts.push(`${mix.name}: page ${reached} p95 ${deep.p95.toFixed(1)} ms > 50 ms`);
    if (deep.p50 > 1.2 * first.p50) {
      verdicts.push(
        `${mix.name}: page ${reached} p50 is ${(deep.p50 / first.p50).toFixed(2)}× page 1 (> 1.2×)`,
      );
    }
  }
  printTable(
    [
      "filter mix",
      "keyset page 1",
      "keyset deep page",
      "deep/1 (p50)",
      "OFFSET+count page 1",
      "OFFSET+count deep",
    ],
    rows,
  );
  log("times are p50 / p95 in ms of listConversations (settings + page query, masked rows) on this machine");
  if (verdicts.length) {
    log(`targets missed (p95 ≤ 50 ms; page ${deepPage} ≤ 1.2× page 1):\n  ${verdicts.join("\n  ")}`);
    process.exitCode = TARGETS_MISSED;
  } else {
    log(`targets met: every p95 ≤ 50 ms, page ${deepPage} within 1.2× of page 1`);
  }
} finally {
  await close();
}

/** The naive page: the same rows by OFFSET, plus the exact count "1–50 of 1,000,000" would need. */
async function naivePage(db: Database, viewer: ScopeViewer, opts: ListConversationsOptions, offset: number) {
  // The count of exactly what the list shows (same scope and filters): its query without order and limit.
  const count = db
    .selectFrom(listQuery(db, viewer, opts).clearOrderBy().clearLimit().as("shown"))
    .select((eb) => eb.fn.countAll<string>().as("n"));
  return Promise.all([listQuery(db, viewer, opts).offset(offset).execute(), count.executeTakeFirst()]);
}
