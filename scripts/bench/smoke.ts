// npm run bench -- smoke [--only list,search] [--pg-port 55810]
// Runs every registered bench (scripts/bench/index.ts) end to end on a tiny data set, one after the
// other, each in its own process (benches start PostgreSQL, workers and threads, and set exit
// codes). A bench fails the smoke run when it exits with an error (a throw: exit code 1), prints no
// figure (a number with a unit: ms, s, MB/s, events/s, ×), prints NaN or Infinity, or runs past
// its time limit. Missed targets (exit code 3) are reported, not failed: on a few thousand rows
// they say nothing. `npm test` runs this, so a bench that no longer matches the code fails CI
// instead of failing the next person who needs its figures.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { freePort } from "../processes.ts";
import type { Bench } from "./index.ts";
import { TARGETS_MISSED } from "./stats.ts";

const LIMIT_MS = 120_000; // per bench: the whole smoke run should stay under 2 minutes
const FIGURE = /\d(?:\.\d+)?\s*(?:ms|s|MB\/s|events\/s|×)(?![\p{L}\d])/u;
const BROKEN = /\bNaN\b|\bInfinity\b/;

type Outcome = { name: string; ok: boolean; ms: number; note: string };

function runOne(
  name: string,
  args: string[],
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.DATABASE_URL; // never a real database: every bench gets its scratch server
    const child = spawn(process.execPath, [path.join(import.meta.dirname, "index.ts"), name, ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const relay = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      for (const line of text.split("\n")) if (line) process.stdout.write(`  ${name} │ ${line}\n`);
    };
    child.stdout.on("data", relay);
    child.stderr.on("data", relay);
    let timedOut = false;
    // SIGTERM, not SIGKILL: the bench's embedded PostgreSQL stops with it (a killed parent orphans it).
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
    }, LIMIT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}

export async function runSmoke(benches: Record<string, Bench>, argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { only: { type: "string" }, "pg-port": { type: "string" } },
    strict: true,
  });
  const only = values.only?.split(",").filter(Boolean);
  const unknown = only?.filter((name) => !benches[name]) ?? [];
  if (unknown.length) throw new Error(`unknown bench: ${unknown.join(", ")}`);
  const names = Object.keys(benches).filter((name) => !only || only.includes(name));
  let nextPort = values["pg-port"] ? Number(values["pg-port"]) : null;
  const dir = mkdtempSync(path.join(os.tmpdir(), "parley-bench-smoke-"));
  chmodSync(dir, 0o755); // PostgreSQL runs as the postgres user, which must enter it
  const began = performance.now();
  const outcomes: Outcome[] = [];
  try {
    for (const name of names) {
      const bench = benches[name] as Bench;
      const port = nextPort ?? (await freePort());
      if (nextPort !== null) nextPort++;
      const args = bench.smoke.map((a) => a.replaceAll("{dir}", dir).replaceAll("{pgPort}", String(port)));
      console.log(`[smoke] ${name} ${args.join(" ")}`);
      const started = performance.now();
      const { code, output, timedOut } = await runOne(name, args);
      const ms = performance.now() - started;
      const figures = output.split("\n").filter((line) => !line.startsWith("[load]") && FIGURE.test(line));
      const problems = [
        timedOut ? `still running after ${LIMIT_MS / 1000} s` : null,
        code !== 0 && code !== TARGETS_MISSED ? `exit code ${code}` : null,
        figures.length === 0 ? "printed no figures" : null,
        BROKEN.test(output) ? "printed NaN or Infinity" : null,
        output.includes("[load] at start:") && output.includes("[load] at end:") ? null : "no load average",
      ].filter((p): p is string => p !== null);
      const note = problems.length
        ? problems.join("; ")
        : `${figures.length} figure lines${code === TARGETS_MISSED ? ", targets missed (not judged here)" : ""}`;
      outcomes.push({ name, ok: problems.length === 0, ms, note });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`[smoke] ${names.length} benches in ${((performance.now() - began) / 1000).toFixed(0)} s:`);
  for (const o of outcomes)
    console.log(
      `[smoke]   ${o.ok ? "ok  " : "FAIL"} ${o.name.padEnd(12)} ${(o.ms / 1000).toFixed(1).padStart(5)} s  ${o.note}`,
    );
  if (outcomes.some((o) => !o.ok)) process.exitCode = 1;
}
