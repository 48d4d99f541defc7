import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { allJobs } from "../../lib/jobs/definitions.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { spawnWorker as spawnWorkerProcess } from "../helpers/worker-process.ts";

// The real entry point as `npm start` runs it (tests/helpers/worker-process.ts).

let t: TestDatabase;
let dataDir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "parley-worker-"));
});

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  child = undefined;
});

afterAll(async () => {
  await t?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Spawns the worker (tests/helpers/worker-process.ts) and checks what it told its parent. */
async function spawnWorker(): Promise<{ child: ChildProcess; output: () => string }> {
  const worker = await spawnWorkerProcess({ DATABASE_URL: t.url, PARLEY_DATA_DIR: dataDir });
  child = worker.child;
  expect(worker.ready).toMatchObject({
    type: "ready",
    workerId: expect.stringContaining(`:${worker.child.pid}:`),
  });
  return worker;
}

/** Resolves with the exit code, or rejects if the process is still running after `ms`. */
async function exitWithin(proc: ChildProcess, ms: number): Promise<number | null> {
  const timeout = AbortSignal.timeout(ms);
  const [code] = await once(proc, "exit", { signal: timeout });
  return code as number | null;
}

async function heartbeats(): Promise<number> {
  const rows = await t.db.selectFrom("worker_heartbeats").select("worker_id").execute();
  return rows.length;
}

test("starts, beats, and exits 0 on SIGTERM after removing its heartbeat", async () => {
  const { child: proc, output } = await spawnWorker();
  // Every defined job gets a queue: the list follows allJobs rather than a count fixed here.
  const queues = allJobs.map((job) => job.name);
  // Structured logs: one JSON object per line, the worker's role on each.
  const lines = output()
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { role: string; msg: string; level: number });
  expect(lines.every((l) => l.role === "worker")).toBe(true);
  expect(lines.map((l) => l.msg)).toContainEqual(
    expect.stringContaining(`ready: ${queues.length} queue(s) (${queues.join(", ")})`),
  );
  expect(await heartbeats()).toBe(1);

  proc.kill("SIGTERM");
  expect(await exitWithin(proc, 10_000)).toBe(0);
  expect(output()).toContain('"msg":"stopped');
  expect(await heartbeats()).toBe(0);
});

test("exits by itself when its parent's IPC channel goes away", async () => {
  const { child: proc, output } = await spawnWorker();
  const started = Date.now();
  proc.disconnect(); // what the OS does to the channel when the parent dies, even by SIGKILL

  expect(await exitWithin(proc, 5_000)).toBe(0);
  expect(output()).toContain("parent process went away");
  console.log(`[worker-process.test] exit after parent disconnect: ${Date.now() - started} ms`);
  expect(await heartbeats()).toBe(0);
});

test("refuses to start without DATABASE_URL", async () => {
  const { DATABASE_URL: _omitted, ...env } = process.env;
  const proc = spawn(process.execPath, ["worker/index.ts"], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: { ...env, PARLEY_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  let stderr = ""; // the log (stdout) and anything Node itself prints (stderr)
  proc.stdout?.on("data", (chunk) => {
    stderr += chunk;
  });
  proc.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  expect(await exitWithin(proc, 10_000)).toBe(1);
  expect(stderr).toContain("DATABASE_URL is not set");
});
