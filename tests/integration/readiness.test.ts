import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createDb } from "../../db/client.ts";
import { getReadiness } from "../../lib/health/readiness.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let t: TestDatabase;
const logged: string[] = [];
const log = (line: string) => logged.push(line);
const blobsOk = async () => {};

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

test("ready: database answers, every shipped migration applied, blob store writable", async () => {
  expect(await getReadiness(t.db, blobsOk, log)).toEqual({
    ready: true,
    database: true,
    pendingMigrations: [],
    blobStore: true,
  });
});

test("not ready while a migration this build ships is missing from the database", async () => {
  const { rows } = await sql<{ name: string; timestamp: string }>`
    delete from kysely_migration
    where name = (select max(name) from kysely_migration)
    returning name, timestamp`.execute(t.db);
  const last = rows[0] as { name: string; timestamp: string };
  try {
    const r = await getReadiness(t.db, blobsOk, log);
    expect(r).toMatchObject({ ready: false, database: true, pendingMigrations: [last.name] });
  } finally {
    await sql`insert into kysely_migration (name, timestamp) values (${last.name}, ${last.timestamp})`.execute(
      t.db,
    );
  }
});

test("not ready when the blob store cannot be reached, or the database does not answer", async () => {
  const r = await getReadiness(
    t.db,
    async () => {
      throw new Error("EACCES: permission denied");
    },
    log,
  );
  expect(r).toMatchObject({ ready: false, database: true, blobStore: false });
  expect(logged.join("\n")).toMatch(/blob store: EACCES/);

  // Port 9 (discard): nothing listens there, the connection is refused at once.
  const down = createDb("postgres://parley:parley@127.0.0.1:9/parley", { max: 1 });
  try {
    expect(await getReadiness(down, blobsOk, log)).toMatchObject({
      ready: false,
      database: false,
      pendingMigrations: null,
    });
  } finally {
    await down.destroy();
  }
});
