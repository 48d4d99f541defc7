// npm run bench -- <name> [options] — performance measurements against a scratch database.
//   ingest   events/s through ingestEvents, and accepted event → visible in the list query
//   list     Conversations list server time, first page and page 1000, keyset vs OFFSET + count(*)
//   diagnostics  capture parser and exports on a large capture (MB/s)
//   retention  recording fetch dispatcher query and retention passes over a large recordings table
//   merge    FLAC merge of two call legs: ffmpeg WebAssembly (worker thread) vs native ffmpeg
//   export   Export Transcripts of 25 conversations: request → file ready (live notice), p50/p95
//   search   keyword search, rare and common term, ranked and by date, vs an ILIKE scan
const benches: Record<string, () => Promise<unknown>> = {
  ingest: () => import("./ingest.ts"),
  list: () => import("./list.ts"),
  diagnostics: () => import("./diagnostics.ts"),
  retention: () => import("./retention.ts"),
  merge: () => import("./merge.ts"),
  export: () => import("./export.ts"),
  search: () => import("./search.ts"),
};

const which = process.argv[2];
const bench = which ? benches[which] : undefined;
if (!bench) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join("|")}> [options]`);
  process.exitCode = 2;
} else {
  await bench();
}

export {};
