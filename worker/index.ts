import { randomBytes } from "node:crypto";
import http from "node:http";
import os from "node:os";
import { createDb } from "../db/client.ts";
import { type Env, listenHost, readEnv } from "../lib/config/env.ts";
import { runHepCollector } from "../lib/diagnostics/hep/run.ts";
import { recordHeartbeat, removeHeartbeat, removeStaleHeartbeats } from "../lib/health/heartbeats.ts";
import { createBoss, startBoss } from "../lib/jobs/boss.ts";
import { allJobs, dispatchWebhooksJob } from "../lib/jobs/definitions.ts";
import { enqueue } from "../lib/jobs/enqueue.ts";
import { logger } from "../lib/observability/log.ts";
import { metrics, metricsResponse } from "../lib/observability/metrics.ts";
import { type BlobStore, openBlobStore } from "../lib/storage/index.ts";
import { listenForWebhooks, type Wake } from "../lib/webhooks/wake.ts";
import type { WorkerContext } from "./context.ts";
import { handlers } from "./registry.ts";
import { wakeForRetries } from "./retry-wake.ts";

// getHealth calls a worker alive for 30 s after its last beat, so two beats in a row may be lost.
const HEARTBEAT_INTERVAL_MS = 10_000;
// Running jobs get 8 s to finish on shutdown: inside the 10 s that Docker and Kubernetes wait
// between SIGTERM and SIGKILL. Jobs still running then are failed, and so retried elsewhere.
const STOP_TIMEOUT_MS = 8_000;

export type RunningWorker = { workerId: string; stop: () => Promise<void> };

/**
 * Starts a worker in this process: database pool, pg-boss (creating the queues), one pg-boss worker
 * per job definition, then the heartbeat that /api/health reads. `stop` drains running jobs, removes
 * the heartbeat and closes the pools; it is safe to call more than once.
 */
export async function startWorker(opts: {
  databaseUrl: string;
  blobs: BlobStore;
  env?: Env;
  log?: (line: string) => void;
}): Promise<RunningWorker> {
  const workerLog = logger("worker");
  const log = opts.log ?? ((line: string) => workerLog.info(line.replace(/^\[worker\] /, "")));
  const db = createDb(opts.databaseUrl, { application: "parley-worker" });
  const boss = createBoss(opts.databaseUrl, { application: "parley-worker-jobs" });
  // pg-boss reports background failures (lost connection, maintenance) as events; an unhandled
  // `error` event would crash the process, and pg-boss keeps retrying on its own.
  boss.on("error", (err) => log(`[worker] pg-boss error: ${err.message}`));
  boss.on("warning", (warning) => log(`[worker] pg-boss warning: ${warning.message}`));

  const identity = {
    workerId: `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    host: os.hostname(),
    pid: process.pid,
    queues: allJobs.map((job) => job.name),
    startedAt: new Date(),
  };
  let heartbeat: NodeJS.Timeout | undefined;
  let webhooks: Wake | undefined;
  let lastBeat: Promise<void> = Promise.resolve();
  let stopping: Promise<void> | undefined;
  let hep: { stop: () => Promise<void> } | null = null;
  // Queue depth on this worker's metrics, read from pg-boss when Prometheus scrapes.
  const queueDepth = async () =>
    (await boss.getQueues()).flatMap((q) => [
      { queue: q.name, state: "queued", count: q.queuedCount },
      { queue: q.name, state: "active", count: q.activeCount },
      { queue: q.name, state: "deferred", count: q.deferredCount },
    ]);
  metrics().queueDepthSources.push(queueDepth);

  const stop = () => {
    stopping ??= (async () => {
      clearInterval(heartbeat);
      const sources = metrics().queueDepthSources;
      sources.splice(sources.indexOf(queueDepth), 1);
      await webhooks?.close();
      try {
        await hep?.stop(); // its last flush still appends and enqueues
        await boss.stop({ graceful: true, timeout: STOP_TIMEOUT_MS });
        await lastBeat; // a beat still in flight would re-insert the row after the delete
        await removeHeartbeat(db, identity.workerId);
      } finally {
        await db.destroy();
      }
      log(`[worker] stopped ${identity.workerId}`);
    })();
    return stopping;
  };

  try {
    await startBoss(boss);
    const ctx: WorkerContext = { db, boss, blobs: opts.blobs, env: opts.env ?? readEnv(), log };
    for (const def of allJobs) {
      let workerId: string | undefined;
      const handler = wakeForRetries(boss, def.name, () => workerId, handlers[def.name](ctx));
      workerId = await boss.work(def.name, def.work, handler);
      // Idempotent: pg-boss keeps one schedule per name, so every worker may (re)declare it.
      if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: "UTC" });
    }
    webhooks = listenForWebhooks(opts.databaseUrl, () => enqueue(boss, dispatchWebhooksJob, {}), log);
    // Live capture over HEP v3, when HEP_LISTEN is set (lib/diagnostics/hep/run.ts).
    hep = runHepCollector({ db, boss, blobs: opts.blobs, env: ctx.env ?? readEnv(), log });
    await removeStaleHeartbeats(db);
    await recordHeartbeat(db, identity);
    heartbeat = setInterval(() => {
      lastBeat = recordHeartbeat(db, identity).catch((err: Error) =>
        log(`[worker] heartbeat failed: ${err.message}`),
      );
    }, HEARTBEAT_INTERVAL_MS);
  } catch (err) {
    await stop().catch(() => {}); // the start-up error is the one worth reporting
    throw err;
  }
  log(
    `[worker] ready: ${identity.queues.length} queue(s) (${identity.queues.join(", ")}), ` +
      `id ${identity.workerId}, blobs in ${opts.blobs.location}`,
  );
  return { workerId: identity.workerId, stop };
}

/** `node worker/index.ts`: runs until SIGTERM/SIGINT, or until the parent that spawned it goes away. */
async function main(): Promise<void> {
  const env = readEnv();
  if (!env.DATABASE_URL) {
    logger("worker").error("DATABASE_URL is not set (npm start sets it for the embedded server)");
    process.exit(1);
  }
  const starting = startWorker({ databaseUrl: env.DATABASE_URL, blobs: openBlobStore(env), env });
  const metricsServer = env.PARLEY_WORKER_METRICS_PORT
    ? serveMetrics(env, env.PARLEY_WORKER_METRICS_PORT)
    : null;
  // Installed before start-up finishes, so an early signal still ends in a clean stop.
  let shuttingDown = false;
  const shutdown = (reason: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger("worker").info(`${reason}: finishing running jobs and stopping`);
    metricsServer?.close();
    starting
      .then((worker) => worker.stop())
      .then(
        () => process.exit(0),
        (err: Error) => {
          logger("worker").error({ err }, `unclean stop: ${err.message}`);
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  // Spawned with an IPC channel (npm start): the channel closes when the parent dies, even by
  // SIGKILL, so this worker never outlives it as an orphan.
  if (process.send) process.on("disconnect", () => shutdown("parent process went away"));
  try {
    const worker = await starting;
    // Same signal the web process gives, for an orchestrator that wants to wait for both.
    if (process.connected) process.send?.({ type: "ready", workerId: worker.workerId });
  } catch (err) {
    logger("worker").error(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

/** The worker's own Prometheus endpoint (it has no web server): GET /metrics, same token as the web's. */
function serveMetrics(env: Env, port: number): http.Server {
  const { host } = listenHost(env);
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url !== "/metrics" && req.url !== "/api/metrics")) {
      res.writeHead(404).end();
      return;
    }
    metricsResponse(req.headers.authorization, env.PARLEY_METRICS_TOKEN).then(
      ({ status, contentType, body }) => res.writeHead(status, { "content-type": contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  server.listen(port, host, () => logger("worker").info(`metrics on ${host}:${port}/metrics`));
  return server;
}

if (import.meta.main) await main();
