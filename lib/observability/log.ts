import { pino } from "pino";
import { currentRequestId } from "./request-id.ts";

// Structured logs: one JSON object per line on stdout (PARLEY_LOG_FORMAT=json, what start:web and
// start:worker print for a log collector), or readable lines (`pretty`, what `npm start` shows).
// Every line written while a request or job is handled carries its requestId.

export type Logger = pino.Logger;

const globalForLog = globalThis as unknown as { parleyLoggers?: Map<string, Logger> };

function prettyLine(line: string): string {
  try {
    const { level, time: _t, pid: _p, hostname: _h, role, msg, err, ...rest } = JSON.parse(line);
    const label = level >= 50 ? " error" : level >= 40 ? " warn" : "";
    const extra = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    const stack = err?.stack ? `\n${err.stack}` : "";
    return `[${role}]${label} ${msg ?? ""}${extra ? ` ${extra}` : ""}${stack}\n`;
  } catch {
    return line;
  }
}

/** The process's logger for `role` (web, worker, …). */
export function logger(role: string): Logger {
  globalForLog.parleyLoggers ??= new Map();
  let log = globalForLog.parleyLoggers.get(role);
  if (!log) {
    const pretty = process.env.PARLEY_LOG_FORMAT === "pretty";
    const destination = pretty
      ? { write: (line: string) => void process.stdout.write(prettyLine(line)) }
      : pino.destination({ dest: 1, sync: true });
    log = pino(
      {
        level: process.env.PARLEY_LOG_LEVEL ?? "info",
        base: { role, pid: process.pid },
        mixin: () => {
          const requestId = currentRequestId();
          return requestId ? { requestId } : {};
        },
      },
      destination,
    );
    globalForLog.parleyLoggers.set(role, log);
  }
  return log;
}
