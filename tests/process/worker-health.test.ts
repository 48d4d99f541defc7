import net from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { createDb } from "../../db/client.ts";
import { recordHeartbeat, removeHeartbeat, removeStaleHeartbeats } from "../../lib/health/heartbeats.ts";
import { getHealth } from "../../lib/health/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

beforeEach(async () => {
  await t.db.deleteFrom("worker_heartbeats").execute();
});

afterAll(async () => {
  await t?.drop();
});

const identity = (workerId: string) => ({
  workerId,
  host: "test-host",
  pid: 4242,
  queues: ["users.process-avatar"],
  startedAt: new Date(),
});

async function insertBeat(workerId: string, ageSeconds: number) {
  await t.db
    .insertInto("worker_heartbeats")
    .values({
      worker_id: workerId,
      host: "test-host",
      pid: 1,
      started_at: new Date(),
      beat_at: sql<Date>`now() - make_interval(secs => ${ageSeconds})`,
    })
    .execute();
}

test("no worker: degraded, with the database reported up", async () => {
  const health = await getHealth(t.db);
  expect(health).toMatchObject({
    status: "degraded",
    database: { ok: true },
    worker: { ok: false, workers: 0, lastBeatAt: null },
  });
  expect(health.database.latencyMs).toBeGreaterThanOrEqual(0);
});

test("a fresh heartbeat makes it ok; removing it makes it degraded again", async () => {
  await recordHeartbeat(t.db, identity("w1"));
  await recordHeartbeat(t.db, identity("w1")); // a beat refreshes the row, it does not add one
  const health = await getHealth(t.db);
  expect(health).toMatchObject({ status: "ok", worker: { ok: true, workers: 1 } });
  expect(health.worker.lastBeatAt).toBeInstanceOf(Date);

  await removeHeartbeat(t.db, "w1");
  expect((await getHealth(t.db)).status).toBe("degraded");
});

test("a heartbeat older than 30 s does not count, but still shows when a worker last beat", async () => {
  await insertBeat("stale", 45);
  const health = await getHealth(t.db);
  expect(health).toMatchObject({ status: "degraded", worker: { ok: false, workers: 0 } });
  expect(health.worker.lastBeatAt).toBeInstanceOf(Date);

  await insertBeat("fresh", 5);
  expect((await getHealth(t.db)).worker).toMatchObject({ ok: true, workers: 1 });
});

test("rows of workers that died more than a day ago are pruned", async () => {
  await insertBeat("dead", 25 * 3600);
  await insertBeat("recent", 3600);
  await removeStaleHeartbeats(t.db);
  const ids = await t.db.selectFrom("worker_heartbeats").select("worker_id").execute();
  expect(ids.map((r) => r.worker_id)).toEqual(["recent"]);
});

test("an unreachable database is down", async () => {
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  const db = createDb("postgres://parley@127.0.0.1:1/parley");
  try {
    expect(await getHealth(db)).toMatchObject({
      status: "down",
      database: { ok: false },
      worker: { ok: false, workers: 0, lastBeatAt: null },
    });
    expect(errors).toHaveBeenCalledOnce();
  } finally {
    await db.destroy();
    errors.mockRestore();
  }
});

test("a database that accepts connections but never answers is down after the timeout", async () => {
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => sockets.push(socket)); // swallows the startup packet
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  const db = createDb(`postgres://parley@127.0.0.1:${port}/parley`);
  try {
    const health = await getHealth(db, { timeoutMs: 200 });
    expect(health.status).toBe("down");
    expect(health.database.latencyMs).toBeGreaterThanOrEqual(190);
    expect(health.database.latencyMs).toBeLessThan(2000);
  } finally {
    for (const socket of sockets) socket.destroy();
    server.close();
    await db.destroy().catch(() => {});
    errors.mockRestore();
  }
});
