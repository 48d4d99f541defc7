// npm run bench -- <name> [options] — performance measurements against a scratch database.
// npm run bench -- smoke [--only a,b] [--pg-port N] — every bench below, end to end on a tiny data
// set, so none can rot unnoticed (`npm test` runs it): fails when a bench throws, or prints no
// figures (or NaN). See scripts/bench/smoke.ts.
import os from "node:os";
import { TARGETS_MISSED } from "./stats.ts";

export type Bench = {
  /** One line for the usage text. */
  what: string;
  /** The bench itself: a module that runs on import, reading its options from process.argv[3…]. */
  load: () => Promise<unknown>;
  /**
   * Options that make it finish in seconds on a tiny data set, for `smoke`. `{dir}` becomes a
   * scratch folder the smoke run shares between benches and deletes at the end; `{pgPort}` a free
   * port of its own (every bench that starts PostgreSQL must take `--pg-port`).
   */
  smoke: string[];
};

// Adding a bench: one entry here, with its smoke options. Nothing else registers it.
export const benches: Record<string, Bench> = {
  ingest: {
    what: "events/s through ingestEvents, and accepted event → visible in the list query",
    load: () => import("./ingest.ts"),
    smoke: ["--events", "3000", "--batch", "500", "--pg-port", "{pgPort}"],
  },
  list: {
    what: "Conversations list server time, first page and a deep page, keyset vs OFFSET + count(*)",
    load: () => import("./list.ts"),
    // list and search share one tiny data set: list loads it (--keep), search finds it loaded.
    smoke: [
      ...["--conversations", "3000", "--iterations", "2", "--naive-iterations", "2", "--pages", "3"],
      ...["--dir", "{dir}/dataset", "--keep", "--pg-port", "{pgPort}"],
    ],
  },
  search: {
    what: "keyword search, rare and common term, ranked and by date, vs an ILIKE scan",
    load: () => import("./search.ts"),
    smoke: [
      ...["--conversations", "3000", "--iterations", "2", "--ilike-iterations", "1"],
      ...["--dir", "{dir}/dataset", "--keep", "--pg-port", "{pgPort}"],
    ],
  },
  monitor: {
    what: "Monitor with thousands of live conversations: pages, search, filters, Supervisor View",
    load: () => import("./monitor.ts"),
    smoke: ["--conversations", "2000", "--live", "300", "--iterations", "2", "--pg-port", "{pgPort}"],
  },
  export: {
    what: "Export Transcripts of 25 conversations: request → file ready (live notice), p50/p95",
    load: () => import("./export.ts"),
    smoke: ["--runs", "2", "--conversations", "5", "--messages", "10", "--pg-port", "{pgPort}"],
  },
  retention: {
    what: "recording fetch dispatcher query and retention passes over a large recordings table",
    load: () => import("./retention.ts"),
    smoke: ["--recordings", "3000", "--due", "50", "--pg-port", "{pgPort}"],
  },
  diagnostics: {
    what: "capture parser and exports on a large capture (MB/s)",
    load: () => import("./diagnostics.ts"),
    smoke: ["--mb", "1", "--iterations", "2"],
  },
  merge: {
    what: "FLAC merge of two call legs: ffmpeg WebAssembly (worker thread) vs native ffmpeg",
    load: () => import("./merge.ts"),
    smoke: ["--minutes", "0.2", "--runs", "2"],
  },
  http: {
    what: "signed-in users on list, panel, search and read API through 1 and 2 web processes (next build)",
    load: () => import("./http.ts").then((m) => m.main(process.argv.slice(3))),
    // Needs a current production build (npm test's e2e run leaves one); reused, never rebuilt here.
    smoke: [
      ...["--users", "2", "--requests", "6", "--webs", "1", "--conversations", "300"],
      ...["--dir", "{dir}/http", "--pg-port", "{pgPort}"],
    ],
  },
};

/** The 1, 5 and 15 minute load averages beside the core count: a busy machine's figures read differently. */
export function loadAverage(): string {
  const [one, five, fifteen] = os.loadavg().map((x) => x.toFixed(2));
  return `${one} ${five} ${fifteen} (1/5/15 min, ${os.availableParallelism()} cores)`;
}

const which = process.argv[2];
if (which === "smoke") {
  const { runSmoke } = await import("./smoke.ts");
  await runSmoke(benches, process.argv.slice(3));
} else {
  const bench = which ? benches[which] : undefined;
  if (!bench) {
    console.error(
      `usage: npm run bench -- <name> [options]\n${Object.entries(benches)
        .map(([name, b]) => `  ${name.padEnd(12)} ${b.what}`)
        .join("\n")}\n  ${"smoke".padEnd(12)} every bench above on a tiny data set (--only a,b; --pg-port N)`,
    );
    process.exitCode = 2;
  } else {
    console.log(`[load] at start: ${loadAverage()}`);
    try {
      await bench.load();
    } finally {
      console.log(`[load] at end: ${loadAverage()}`);
      if (process.exitCode === TARGETS_MISSED) console.log("[bench] exit code 3: targets missed");
    }
  }
}
