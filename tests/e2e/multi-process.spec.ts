import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { sql } from "kysely";
import pg from "pg";
import { PgBoss } from "pg-boss";
import { createDb, type Database } from "../../db/client.ts";
import { startEmbeddedPostgres } from "../../db/embedded.ts";
import { seedScale } from "../../db/seed/index.ts";
import { createApiKey } from "../../lib/api-keys/index.ts";
import { systemActor } from "../../lib/audit/index.ts";
import { readEnv } from "../../lib/config/env.ts";
import { createBoss, startBoss } from "../../lib/jobs/boss.ts";
import { buildRecordingArtifactJob, prepareRecordingMediaJob } from "../../lib/jobs/definitions.ts";
import { artifactStatuses } from "../../lib/recordings/artifacts.ts";
import { getRecordingForViewer } from "../../lib/recordings/queries.ts";
import { type BlobStore, openBlobStore } from "../../lib/storage/index.ts";
import { type ChildServer, freePort, spawnChild, spawnWeb } from "../../scripts/processes.ts";
import { ingestCall } from "../helpers/calls.ts";
import { type S3Server, startS3Server } from "../helpers/s3-server.ts";

// Parley as a production deployment runs it: 2 web processes (`npm run start:web`, on the build the
// e2e run made) and 2 workers (`npm run start:worker`) on one PostgreSQL, files in an S3-compatible
// bucket (s3rver on 127.0.0.1). A browser signed in once (one AUTH_SECRET) works on both webs; an
// export requested on web A is built by a worker and announced live to the same user's page on
// web B (LISTEN/NOTIFY); a FLAC build survives SIGKILL of the worker running it and leaves exactly
// one file; the every-minute schedule ran once per minute across the 4 pg-boss instances.

const BUCKET = "parley-multi";
const SUPERVISOR = "Sam Supervisor";
const METRICS_TOKEN = `metrics-${randomUUID()}`;

let dir: string;
let stopPg: () => Promise<void> = async () => {};
let db: Database;
let s3: S3Server;
let blobs: BlobStore;
let env: Record<string, string>;
const webs: ChildServer[] = [];
const workers: ChildServer[] = [];
let startedAt: Date;

test.describe.configure({ mode: "serial" });
test.setTimeout(300_000);

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dir = mkdtempSync(path.join(os.tmpdir(), "parley-multi-"));
  chmodSync(dir, 0o755); // PostgreSQL runs as the postgres user, which must enter it
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dir, "pg"),
    port: await freePort(),
    database: "parley",
  });
  stopPg = pg.stop;
  s3 = await startS3Server({ buckets: [BUCKET] });
  env = {
    DATABASE_URL: pg.url,
    AUTH_SECRET: randomUUID(),
    PARLEY_DEMO_LOGIN: "1",
    PARLEY_DATA_DIR: path.join(dir, "data"),
    PARLEY_BLOB_URL: `s3://${BUCKET}/run`,
    PARLEY_METRICS_TOKEN: METRICS_TOKEN,
    ...s3.env,
  };
  blobs = openBlobStore(readEnv({ ...process.env, ...env }));
  // The production order: migrations first (npm run db:migrate), then any number of processes.
  execFileSync(process.execPath, ["scripts/db-migrate.ts"], { env: { ...process.env, ...env } });
  db = createDb(pg.url, { max: 4, application: "e2e-multi" });
  await seedScale(db, pg.url, { seed: 5, conversations: 40, blobs });
  startedAt = new Date();
  for (let i = 0; i < 2; i++) workers.push(await spawnChild("worker/index.ts", env));
  for (let i = 0; i < 2; i++) webs.push(await spawnWeb(await freePort(), env));
});

test.afterAll(async () => {
  await Promise.all([...webs, ...workers].map((p) => p.stop(5000)));
  await db?.destroy();
  await s3?.close();
  await stopPg();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const rows = (page: Page) =>
  page.getByRole("table", { name: "Conversations" }).getByTestId("conversation-row");

test("an export requested on web A is built by a worker and announced live on web B", async ({ browser }) => {
  const [a, b] = webs as [ChildServer, ChildServer];
  const context = await browser.newContext();
  const onA = await context.newPage();
  await onA.goto(`${a.url}/sign-in`);
  await onA.getByRole("button", { name: new RegExp(SUPERVISOR) }).click();
  await expect(onA).toHaveURL(/\/conversations$/, { timeout: 30_000 });

  // Same browser, other process: the session cookie (127.0.0.1, any port) is valid there too.
  const onB = await context.newPage();
  await onB.goto(`${b.url}/exports`);
  await expect(onB.getByRole("heading", { name: "Exports" })).toBeVisible({ timeout: 30_000 });
  // The live stream of web B, read as an SSE client with the same session.
  const cookie = (await context.cookies(b.url)).map((c) => `${c.name}=${c.value}`).join("; ");
  const stream = new AbortController();
  const live = await fetch(`${b.url}/api/live`, { headers: { cookie }, signal: stream.signal });
  expect(live.status).toBe(200);
  const reader = (live.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let heard = "";
  const until = async (pattern: RegExp) => {
    while (!pattern.test(heard)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`web B's live stream ended:\n${heard}`);
      heard += decoder.decode(value, { stream: true });
    }
  };
  await until(/: connected/);

  await expect(rows(onA).first()).toBeVisible({ timeout: 30_000 });
  await expect(onA.getByTestId("live-status")).toHaveAttribute("data-state", "live", { timeout: 30_000 });
  const ids = (
    await rows(onA).evaluateAll((els) => els.map((e) => e.getAttribute("data-conversation-id")))
  ).slice(0, 2);
  for (const id of ids)
    await onA.locator(`[data-conversation-id="${id}"]`).locator("input[data-row-checkbox]").check();
  await onA.getByRole("button", { name: "Export", exact: true }).click();
  const downloading = onA.waitForEvent("download");
  await onA.getByRole("menu").getByRole("menuitem", { name: "Export Transcripts" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^transcripts-.*\.zip$/);
  const row = await db
    .selectFrom("exports")
    .select(["id", "status"])
    .where("file_name", "=", download.suggestedFilename())
    .executeTakeFirstOrThrow();
  expect(row.status).toBe("succeeded");

  // Web B heard it from the database (the worker's NOTIFY), not from web A.
  await until(new RegExp(`event: user\ndata: .*"type":"export","id":"${row.id}","status":"succeeded"`));
  stream.abort();
  const builtBy = workers.filter((w) => /exports\.build-file \S+ started/.test(w.output()));
  expect(builtBy).toHaveLength(1);
  // The file lives in the bucket.
  const files = await blobs.list("exports");
  expect(files.map((f) => path.basename(f.key))).toContain(download.suggestedFilename());
  await context.close();
});

test("a FLAC build survives SIGKILL of the worker running it: one file, built by the other", async () => {
  const legSeconds = 600;
  const conversationId = await ingestCall(db, {
    sessionId: `e2e-multi-${randomUUID().slice(0, 8)}`,
    startedAt: new Date(Date.now() - 2 * 3600_000),
    durationMs: legSeconds * 1000,
    agentEmail: "agent@parley.demo",
  });
  // A real WAV leg (ffmpeg), uploaded through web A's API into the bucket; one leg, so exactly one
  // recordings.prepare-media job builds the merged FLAC the player streams.
  const key = await createApiKey(db, systemActor, { name: "multi", scopes: ["write"] }, {});
  const wav = path.join(dir, "leg-0.wav");
  execFileSync("ffmpeg", [
    ...["-loglevel", "error", "-y", "-f", "lavfi", "-i", `sine=frequency=440:duration=${legSeconds}`],
    ...["-ar", "8000", "-ac", "1", "-c:a", "pcm_s16le", wav],
  ]);
  const res = await fetch(
    `${webs[0]?.url}/api/v1/conversations/${conversationId}/recording-legs?legIndex=0&label=customer`,
    {
      method: "POST",
      headers: { authorization: `Bearer ${key.token}`, "content-type": "audio/wav" },
      body: readFileSync(wav),
    },
  );
  expect(res.status, await res.text()).toBeLessThan(300);
  const admin = await db
    .selectFrom("users")
    .select(["id", "role"])
    .where("role", "=", "admin")
    .executeTakeFirstOrThrow();
  const recording = await getRecordingForViewer(db, admin, conversationId);
  if (!recording?.hash) throw new Error("the leg did not make a recording");
  const artifact = () =>
    db
      .selectFrom("recording_artifacts")
      .select(["status", "storage_key"])
      .where("recording_id", "=", recording.id)
      .where("variant", "=", "merged")
      .where("source_hash", "=", recording.hash)
      .executeTakeFirst();

  // Mid-build: once a worker has claimed the row, hold it, so the build's next write to it (its
  // progress or lease renewal) waits; the connection waiting on that lock names the worker.
  await expect
    .poll(async () => (await artifact())?.status, { timeout: 120_000, intervals: [50] })
    .toBe("running");
  const blocker = new pg.Client({ connectionString: env.DATABASE_URL });
  await blocker.connect();
  await blocker.query("begin");
  const held = await blocker.query(
    "select status from recording_artifacts where recording_id = $1 and variant = 'merged' for update",
    [recording.id],
  );
  expect(held.rows[0]?.status).toBe("running");
  let victim: ChildServer | undefined;
  await expect
    .poll(
      async () => {
        const { rows } = await blocker.query<{ port: number }>(
          "select client_port as port from pg_stat_activity where application_name = 'parley-worker' and wait_event_type = 'Lock'",
        );
        const port = rows[0]?.port;
        if (!port) return undefined;
        // Which process owns that connection: ss (iproute2) names it.
        const owner = /pid=(\d+)/.exec(
          execFileSync("ss", ["-Htnp", `sport = :${port}`], { encoding: "utf8" }),
        )?.[1];
        victim = workers.find((w) => String(w.child.pid) === owner);
        return victim?.child.pid;
      },
      { timeout: 30_000 },
    )
    .toBeDefined();
  const killed = victim as ChildServer;
  killed.child.kill("SIGKILL");
  await expect.poll(() => killed.child.signalCode).toBe("SIGKILL");
  await blocker.query("rollback");
  await blocker.end();
  expect((await artifact())?.status).toBe("running");

  // What brings the build back: pg-boss fails a job whose heartbeat went stale on its supervise
  // pass (every 60 s; one run here every second gets there sooner) and the survivor retries it, and
  // the download menu's poll (artifactStatuses) queues a build whose lease lapsed again.
  const boss = await startBoss(createBoss(env.DATABASE_URL as string, { application: "e2e-multi-jobs" }));
  const supervisor = new PgBoss({ connectionString: env.DATABASE_URL, supervise: false });
  supervisor.on("error", () => {});
  await supervisor.start();
  try {
    await expect
      .poll(
        async () => {
          await supervisor.supervise(prepareRecordingMediaJob.name);
          await supervisor.supervise(buildRecordingArtifactJob.name);
          await artifactStatuses(db, boss, recording, ["merged"]);
          return (await artifact())?.status;
        },
        { timeout: 180_000, intervals: [1000] },
      )
      .toBe("succeeded");
  } finally {
    await supervisor.stop({ graceful: false });
    await boss.stop({ graceful: false });
  }
  const survivor = workers.find((w) => w !== killed) as ChildServer;
  expect(survivor.output()).toMatch(/recordings\.(prepare-media|build-artifact) \S+ started/);
  const flacs = (await blobs.list(`recordings/${conversationId}`)).filter((f) => f.key.includes("merged-"));
  expect(flacs.map((f) => f.key)).toEqual([(await artifact())?.storage_key]);
  // The one file is a valid FLAC (the reference decoder's own test).
  const out = path.join(dir, "merged.flac");
  writeFileSync(out, await blobs.get(flacs[0]?.key as string));
  execFileSync("flac", ["-t", "-s", out]);
  workers.splice(workers.indexOf(killed), 1, await spawnChild("worker/index.ts", env));
});

test("the every-minute schedule ran once per minute across 2 workers and 2 webs", async () => {
  // At least one occurrence since all four pg-boss instances were up (a positive signal) …
  const perMinute = () =>
    sql<{ minute: Date; n: string }>`
      select date_trunc('minute', created_on) as minute, count(*)::text as n
      from pgboss.job where name = 'email.deliver' and created_on >= ${startedAt}
      group by 1 order by 1`.execute(db);
  await expect.poll(async () => (await perMinute()).rows.length, { timeout: 150_000 }).toBeGreaterThan(0);
  // … and never two jobs for one minute.
  expect((await perMinute()).rows.every((r) => r.n === "1")).toBe(true);
});

test("each web process is ready, tags responses with a request id and exposes its own metrics", async () => {
  const web = webs[0] as ChildServer;
  const ready = await fetch(`${web.url}/api/health/ready`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ ready: true, database: true, pendingMigrations: [], blobStore: true });
  // A proxy's request id is kept and answered back.
  const traced = await fetch(`${web.url}/api/health`, { headers: { "x-request-id": "proxy-req-12345678" } });
  expect(traced.headers.get("x-request-id")).toBe("proxy-req-12345678");
  expect((await fetch(`${web.url}/api/metrics`)).status).toBe(401);
  const scrape = await fetch(`${web.url}/api/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(scrape.status).toBe(200);
  const text = await scrape.text();
  expect(text).toMatch(
    /parley_http_request_duration_seconds_count\{route="\/api\/health",method="GET",status="2xx"\} [1-9]/,
  );
  expect(text).toMatch(/parley_db_pool_connections\{pool="parley",state="total"\} \d+/);
});
