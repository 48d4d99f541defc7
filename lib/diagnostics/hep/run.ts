import type { PgBoss } from "pg-boss";
import type { Database } from "../../../db/client.ts";
import type { Env } from "../../config/env.ts";
import { parseCaptureJob } from "../../jobs/definitions.ts";
import { enqueue } from "../../jobs/enqueue.ts";
import type { BlobStore } from "../../storage/index.ts";
import { HepCollector, parseHepListen } from "./collector.ts";

// How the worker runs the HEP collector. Several workers may run with the same HEP_LISTEN: each
// tries to bind it; on one host the first one gets it and the others retry every 30 s (so another
// worker takes over when that one stops); on several hosts each binds its own. Appends lock the
// capture row, so collectors on several hosts can feed the same call safely.
const RETRY_BIND_MS = 30_000;

export function runHepCollector(opts: {
  db: Database;
  boss: PgBoss;
  blobs: BlobStore;
  env: Env;
  log: (line: string) => void;
}): { stop: () => Promise<void> } | null {
  if (!opts.env.HEP_LISTEN) return null;
  const listen = parseHepListen(opts.env.HEP_LISTEN);
  let collector: HepCollector | null = null;
  let retry: NodeJS.Timeout | null = null;
  let stopped = false;
  const attempt = async () => {
    const c = new HepCollector({
      db: opts.db,
      blobs: opts.blobs,
      listen,
      secret: opts.env.HEP_SECRET ?? null,
      allow: (opts.env.HEP_ALLOW ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      holdMs: opts.env.HEP_HOLD_SECONDS * 1000,
      log: opts.log,
      onAppended: async (trx, captureId) => {
        await enqueue(opts.boss, parseCaptureJob, { captureId }, { trx });
      },
    });
    try {
      const bound = await c.start();
      if (stopped) return void (await c.stop());
      collector = c;
      opts.log(
        `[hep] collector listening on ${bound.map((b) => `${b.transport}:${b.host}:${b.port}`).join(", ")}`,
      );
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      opts.log(
        e.code === "EADDRINUSE"
          ? `[hep] ${opts.env.HEP_LISTEN} is taken (another worker on this host collects); retrying in 30 s`
          : `[hep] collector could not start: ${e.message}; retrying in 30 s`,
      );
      if (!stopped) retry = setTimeout(() => void attempt(), RETRY_BIND_MS);
    }
  };
  void attempt();
  return {
    stop: async () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      await collector?.stop();
    },
  };
}
