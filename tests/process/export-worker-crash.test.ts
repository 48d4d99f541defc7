import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { UserViewer } from "../../lib/auth/scope.ts";
import { requestExport } from "../../lib/exports/requests.ts";
import { createBoss, startBoss } from "../../lib/jobs/boss.ts";
import { buildExportJob } from "../../lib/jobs/definitions.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { insertConversation, insertUser, readZip } from "../helpers/exports.ts";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process.ts";

// The worker process is killed (SIGKILL: no chance to clean up) in the middle of an export. pg-boss
// notices the job's heartbeat stopped, hands it out again, and a new worker process finishes it:
// exactly one file (no temporary leftovers) and one completion notice.

let t: TestDatabase;
let dataDir: string;
let sender: PgBoss;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "parley-export-crash-"));
  sender = await startBoss(createBoss(t.url));
});

afterAll(async () => {
  for (const w of workers)
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  await sender?.stop({ graceful: false });
  await t?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const exportRow = (id: string) =>
  t.db
    .selectFrom("exports")
    .select(["status", "attempts", "file_name"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();

test("a worker SIGKILLed mid-export: the job is picked up again, one file and one completion notice result", async () => {
  const admin: UserViewer = { id: await insertUser(t.db, "Ada Admin", "admin"), role: "admin" };
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    ids.push(await insertConversation(t.db, { messages: [{ speaker: "customer", body: `Hello ${i}` }] }));
  }

  // Holds the worker inside the export: it marks the row running, then blocks reading transcripts.
  const blocker = new pg.Client({ connectionString: t.url });
  await blocker.connect();
  await blocker.query("begin; lock table messages in access exclusive mode");
  const started = await requestExport(t.db, sender, admin, { kind: "transcripts", selection: { ids } });
  const env = { DATABASE_URL: t.url, PARLEY_DATA_DIR: dataDir };
  const first = await spawnWorker(env);
  workers.push(first);
  await until("the export to start", async () => (await exportRow(started.id)).status === "running");
  await until("the worker to wait on the transcripts", async () => {
    const { rows } = await blocker.query(
      "select 1 from pg_stat_activity where application_name = 'parley-worker' and wait_event_type = 'Lock'",
    );
    return rows.length > 0;
  });

  first.child.kill("SIGKILL");
  await until("the first worker to die", async () => first.child.signalCode === "SIGKILL");
  await blocker.query("rollback");
  await blocker.end();
  expect(await exportRow(started.id)).toMatchObject({ status: "running", attempts: 1 });

  const second = await spawnWorker(env);
  workers.push(second);
  // pg-boss fails a job whose heartbeat (10 s) went stale on its next supervise pass (every 60 s on
  // every instance). An instance that checks every second runs that same pass sooner, so the test
  // does not wait out the interval; the second worker then claims the retry like any job.
  const supervisor = new PgBoss({ connectionString: t.url, supervise: false, monitorIntervalSeconds: 1 });
  supervisor.on("error", () => {});
  await supervisor.start();
  try {
    await until(
      "the export to finish",
      async () => {
        await supervisor.supervise(buildExportJob.name);
        return (await exportRow(started.id)).status === "succeeded";
      },
      60_000,
    );
  } finally {
    await supervisor.stop({ graceful: false });
  }

  const row = await exportRow(started.id);
  expect(row.attempts).toBe(2);
  const folder = path.join(dataDir, "blobs", "exports", started.id);
  expect(await readdir(folder)).toEqual([started.fileName]);
  const entries = await readZip(await readFile(path.join(folder, started.fileName)));
  expect([...entries.keys()].sort()).toEqual(ids.map((id) => `${id}.txt`).sort());
  const notices = await t.db
    .selectFrom("notifications")
    .select("kind")
    .where("user_id", "=", admin.id)
    .where("kind", "=", "export.ready")
    .execute();
  expect(notices).toHaveLength(1);
  expect(second.output()).toContain(`[exports] transcripts ${started.id}`);
}, 120_000);
