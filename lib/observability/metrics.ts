import { createHash, timingSafeEqual } from "node:crypto";
import client from "prom-client";
import { isUuid } from "../db-ranges.ts";

// Prometheus metrics of this process (each web and worker process exposes its own; Prometheus
// scrapes every one and sums). One registry on globalThis: scripts/web.ts and the Next.js bundle
// load separate copies of this module, and a metric counted in a route handler must show up on
// the endpoint the server answers.

type PoolStats = { totalCount: number; idleCount: number; waitingCount: number };

function create() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const pools = new Map<string, PoolStats>();
  const queueDepthSources: (() => Promise<{ queue: string; state: string; count: number }[]>)[] = [];
  const m = {
    registry,
    pools,
    queueDepthSources,
    httpDuration: new client.Histogram({
      name: "parley_http_request_duration_seconds",
      help: "HTTP request duration by route pattern, method and status class",
      labelNames: ["route", "method", "status"] as const,
      // Pages render in tens to hundreds of ms; downloads and SSE streams can take minutes.
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
      registers: [registry],
    }),
    jobsStarted: new client.Counter({
      name: "parley_jobs_started_total",
      help: "Jobs a worker started, by queue",
      labelNames: ["queue"] as const,
      registers: [registry],
    }),
    jobsCompleted: new client.Counter({
      name: "parley_jobs_completed_total",
      help: "Jobs that completed, by queue",
      labelNames: ["queue"] as const,
      registers: [registry],
    }),
    jobsFailed: new client.Counter({
      name: "parley_jobs_failed_total",
      help: "Job attempts that failed (pg-boss retries them per the queue's policy), by queue",
      labelNames: ["queue"] as const,
      registers: [registry],
    }),
    jobsRetried: new client.Counter({
      name: "parley_jobs_retried_total",
      help: "Job attempts that were retries of an earlier failed attempt, by queue",
      labelNames: ["queue"] as const,
      registers: [registry],
    }),
    jobDuration: new client.Histogram({
      name: "parley_job_duration_seconds",
      help: "Job run time by queue and outcome",
      labelNames: ["queue", "outcome"] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
      registers: [registry],
    }),
    ingestEvents: new client.Counter({
      name: "parley_ingest_events_total",
      help: "Events received by POST /api/v1/events, by outcome (accepted, duplicate, rejected)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    blobErrors: new client.Counter({
      name: "parley_blob_store_errors_total",
      help: "Blob store operations that failed, by operation",
      labelNames: ["operation"] as const,
      registers: [registry],
    }),
  };
  new client.Gauge({
    name: "parley_db_pool_connections",
    help: "Database pool connections by pool and state (total, idle, waiting = requests queued for one)",
    labelNames: ["pool", "state"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [pool, s] of pools) {
        this.set({ pool, state: "total" }, s.totalCount);
        this.set({ pool, state: "idle" }, s.idleCount);
        this.set({ pool, state: "waiting" }, s.waitingCount);
      }
    },
  });
  new client.Gauge({
    name: "parley_queue_depth",
    help: "Jobs per queue and state (queued, active, deferred), read from pg-boss at scrape time",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const source of queueDepthSources) {
        for (const row of await source().catch(() => []))
          this.set({ queue: row.queue, state: row.state }, row.count);
      }
    },
  });
  return m;
}

const globalForMetrics = globalThis as unknown as { parleyMetrics?: ReturnType<typeof create> };

/** The process-wide metrics. */
export function metrics() {
  globalForMetrics.parleyMetrics ??= create();
  return globalForMetrics.parleyMetrics;
}

/** Reports a pg pool's connection counts on the metrics (db/client.ts registers every pool). */
export function trackPool(name: string, pool: PoolStats): void {
  metrics().pools.set(name, pool);
}

export function untrackPool(name: string): void {
  metrics().pools.delete(name);
}

/**
 * The route label of a request path: ids become `[id]` and only the first three segments count,
 * so the label set stays small whatever clients request.
 */
export function routeLabel(url: string): string {
  const path = url.split("?")[0] ?? "/";
  if (path.startsWith("/_next/")) return "/_next";
  const segments = path
    .split("/")
    .filter(Boolean)
    .slice(0, 4)
    .map((s) => (isUuid(s) || /^\d+$/.test(s) || s.length > 40 ? "[id]" : s));
  return `/${segments.join("/")}`;
}

function sameToken(given: string, expected: string): boolean {
  // Hashing first makes the comparison constant-time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The answer to a scrape: 404 while PARLEY_METRICS_TOKEN is unset (metrics are off), 401 without
 * `Authorization: Bearer <token>`, else the registry in Prometheus's text format.
 */
export async function metricsResponse(
  authorization: string | undefined,
  token = process.env.PARLEY_METRICS_TOKEN,
): Promise<{ status: number; contentType: string; body: string }> {
  if (!token)
    return { status: 404, contentType: "text/plain", body: "Metrics are off (set PARLEY_METRICS_TOKEN)." };
  const given = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
  if (!given || !sameToken(given, token)) {
    return { status: 401, contentType: "text/plain", body: "A valid metrics token is required." };
  }
  const registry = metrics().registry;
  return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
}
