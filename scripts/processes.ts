// Spawning Parley's web process (scripts/web.ts, what `npm run start:web` runs) as a child, for the
// HTTP bench and the multi-process tests: its own process with an IPC channel, so it never outlives
// the parent, resolved once it listens.
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export type ChildServer = {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop: (graceMs?: number) => Promise<void>;
};

/**
 * Starts `script` (relative to the project) with `env` on top of this process's environment and
 * waits for its `{ type: "ready" }` IPC message. Output is kept (and echoed when `echo`).
 */
export async function spawnChild(
  script: string,
  env: Record<string, string>,
  opts: { url?: string; timeoutMs?: number; echo?: (line: string) => void } = {},
): Promise<ChildServer> {
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk;
    if (opts.echo) for (const line of String(chunk).trimEnd().split("\n")) opts.echo(line);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const stop = (graceMs = 10_000) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill("SIGTERM");
    });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`not ready within ${opts.timeoutMs ?? 60_000} ms`),
      opts.timeoutMs ?? 60_000,
    );
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${script} ${why}:\n${output}`));
    };
    child.on("message", (m: { type?: string }) => {
      if (m?.type !== "ready") return;
      clearTimeout(timer);
      resolve();
    });
    child.once("exit", (code, signal) => fail(`exited (${signal ?? code})`));
  });
  return { child, url: opts.url ?? "", output: () => output, stop };
}

/** One web process (scripts/web.ts) on 127.0.0.1:`port` against `env.DATABASE_URL`. */
export function spawnWeb(port: number, env: Record<string, string>, echo?: (line: string) => void) {
  const url = `http://127.0.0.1:${port}`;
  return spawnChild(
    "scripts/web.ts",
    { NODE_ENV: "production", NEXTAUTH_URL: url, ...env, PORT: String(port), HOST: "127.0.0.1" },
    { url, echo },
  );
}

/** A free TCP port on 127.0.0.1 (the OS picks one, released again for the caller's server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
