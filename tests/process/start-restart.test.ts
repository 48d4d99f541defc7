import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

// `npm start` killed with SIGKILL (no chance to clean up) must come back on the same data:
// its web server and worker exit with it, and the orphaned PostgreSQL is taken over on restart.
const root = path.resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(path.join(root, ".data", "restart-"));
chmodSync(dataDir, 0o755);
const port = 3200 + Math.floor(Math.random() * 500);
const pgPort = 55000 + Math.floor(Math.random() * 500);
const dbUrl = `postgres://parley:parley@127.0.0.1:${pgPort}/parley`;
const started: ChildProcess[] = [];

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill("SIGKILL");
  await waitFor(async () => !postmasterAlive(), 20_000).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

function startApp(): { child: ChildProcess; output: () => string } {
  let out = "";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    PARLEY_DATA_DIR: dataDir,
    PARLEY_PG_PORT: String(pgPort),
  };
  delete env.DATABASE_URL; // the embedded server is what is under test
  const child = spawn(process.execPath, ["scripts/start.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (b) => {
    out += b;
  });
  child.stderr?.on("data", (b) => {
    out += b;
  });
  started.push(child);
  return { child, output: () => out };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("timed out");
}

async function healthy(): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/api/health`);
  return res.status === 200;
}

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function conversationCount(): Promise<number> {
  const rows = await query<{ count: number }>("select count(*)::int as count from conversations");
  return rows[0]?.count ?? 0;
}

function postmasterAlive(): boolean {
  const pidFile = path.join(dataDir, "pg", "postmaster.pid");
  if (!existsSync(pidFile)) return false;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm start after SIGKILL", () => {
  it("comes back up on the same data and stops cleanly", { timeout: 600_000 }, async () => {
    const first = startApp();
    await waitFor(healthy, 540_000).catch(() => {
      throw new Error(`first start never became healthy:\n${first.output()}`);
    });
    expect(first.output()).toMatch(/Parley is running at http:\/\/localhost:\d+/);
    expect(first.output()).toContain("supervisor@parley.demo");
    const count = await conversationCount();
    expect(count).toBeGreaterThan(1000);
    await query("insert into settings (key, value) values ('restart_marker', '\"before-kill\"')");

    first.child.kill("SIGKILL");
    // The web server and worker notice their parent is gone and exit, freeing the port...
    await waitFor(
      () =>
        healthy().then(
          (ok) => !ok,
          () => true,
        ),
      15_000,
    );
    // ...while PostgreSQL is left running as an orphan holding postmaster.pid.
    expect(postmasterAlive()).toBe(true);

    const second = startApp();
    await waitFor(healthy, 180_000).catch(() => {
      throw new Error(`restart never became healthy:\n${second.output()}`);
    });
    expect(second.output()).not.toContain("loading demo data");
    const marker = await query<{ value: string }>("select value from settings where key = 'restart_marker'");
    expect(marker[0]?.value).toBe("before-kill");
    expect(await conversationCount()).toBe(count);

    const exited = new Promise<number | null>((resolve) =>
      second.child.once("exit", (code) => resolve(code)),
    );
    second.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(second.output()).toContain("[parley] stopped");
    expect(postmasterAlive()).toBe(false);
  });
});
