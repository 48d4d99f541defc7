import childProcess from "node:child_process";
import dgram from "node:dgram";
import { syncBuiltinESMExports } from "node:module";
import net from "node:net";
import pg from "pg";
import { inject } from "vitest";

// Setup file of the "unit" and "db" projects (vitest.config.ts): a test that does what its folder
// says it doesn't fails at once with where it belongs, so the split between the quick unit run and
// the slower ones can't rot. Vitest never shares a worker between projects, so nothing is restored.
const project = inject("testProject");

function refusal(what: string, where: string): Error {
  return new Error(`This test ${what}: move it to ${where} (see vitest.config.ts).`);
}
const refuse = (what: string) => () => {
  throw refusal(what, "tests/process/ (the process project)");
};

if (project === "unit") {
  pg.Client.prototype.connect = function connect(callback?: (err: Error) => void) {
    const err = refusal("uses the database", "tests/integration/ (the db project)");
    if (!callback) return Promise.reject(err);
    process.nextTick(callback, err);
  } as typeof pg.Client.prototype.connect;
}

for (const name of ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"] as const) {
  Object.assign(childProcess, { [name]: refuse("starts a process") });
}
syncBuiltinESMExports(); // so that named imports (`import { spawn } from "node:child_process"`) see it
net.Server.prototype.listen = refuse("listens on a socket");
dgram.Socket.prototype.bind = refuse("binds a UDP socket");

declare module "vitest" {
  export interface ProvidedContext {
    /** Which guarded project runs the file ("unit" or "db"). */
    testProject: "unit" | "db";
  }
}
