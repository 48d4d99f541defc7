import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

// The real worker entry point as `npm start` runs it: its own process, with an IPC channel to the parent.

export type WorkerProcess = { child: ChildProcess; output: () => string; ready: unknown };

/** Spawns worker/index.ts and resolves once it logged, and told its parent over IPC, that it is ready. */
export async function spawnWorker(env: {
  DATABASE_URL: string;
  PARLEY_DATA_DIR: string;
}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["worker/index.ts"], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  let ready: unknown;
  child.on("message", (message) => {
    ready = message;
  });
  const deadline = Date.now() + 20_000;
  while (!ready) {
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) child.kill("SIGKILL");
      throw new Error(`worker did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => output, ready };
}
