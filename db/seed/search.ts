// Search documents (lib/search) for the benchmark set, which the COPY loader writes directly
// rather than through ingest (the demo seeder goes through ingest, which keeps them itself).
import type pg from "pg";
import { REFRESH_SEARCH_DOCUMENTS_SQL } from "../../lib/search/index.ts";

// 5,000 conversations (~150,000 messages) per statement: short transactions, steady progress.
const CHUNK = 5000;

/** COPY loader: every conversation's document, chunk by chunk over all the loader's connections. */
export async function fillSearchDocuments(clients: pg.Client[], log: (line: string) => void): Promise<void> {
  const first = clients[0] as pg.Client;
  const { rows } = await first.query<{ id: string }>("select id from conversations order by id");
  const ids = rows.map((r) => r.id);
  let next = 0;
  let done = 0;
  await Promise.all(
    clients.map(async (client) => {
      for (let from = next; from < ids.length; from = next) {
        next += CHUNK;
        await client.query(REFRESH_SEARCH_DOCUMENTS_SQL, [ids.slice(from, from + CHUNK)]);
        done += Math.min(CHUNK, ids.length - from);
        if (done % 100_000 < CHUNK)
          log(`search documents: ${done.toLocaleString("en-US")} / ${ids.length.toLocaleString("en-US")}`);
      }
    }),
  );
}
