import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:http";
import { sql } from "kysely";
import { expect, test } from "vitest";
import { createDb } from "../../db/client.ts";
import { createTestDatabase } from "./db.ts";

// The unit project's guard (project-guard.ts, its setup file): what would slow the quick run down
// fails at once and says where the test belongs.

test("the test database and any PostgreSQL connection are refused, pointing to the db project", async () => {
  const moveToDb = "This test uses the database: move it to tests/integration/ (the db project)";
  await expect(createTestDatabase()).rejects.toThrow(moveToDb);
  const db = createDb("postgres://127.0.0.1:5432/postgres", { max: 1 });
  await expect(sql`select 1`.execute(db)).rejects.toThrow(moveToDb);
  await db.destroy();
});

test("child processes and listening sockets are refused, pointing to the process project", () => {
  expect(() => execFileSync("true")).toThrow("This test starts a process: move it to tests/process/");
  expect(() => spawn("true")).toThrow("starts a process");
  expect(() => createServer().listen(0, "127.0.0.1")).toThrow(
    "This test listens on a socket: move it to tests/process/",
  );
});
