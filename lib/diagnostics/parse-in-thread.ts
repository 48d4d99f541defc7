import { Worker } from "node:worker_threads";
import type { ParsedCapture } from "./parsed.ts";

// Captures come from outside: a crafted one must not stall the worker's event loop (heartbeats,
// other jobs) nor take the process down. Each parse runs in its own worker thread with a heap limit
// and a deadline; past either, the thread is ended and the capture fails with the reason.

export type ParseLimits = { timeoutMs: number; memoryMb: number };

export type ThreadResult = { ok: true; parsed: ParsedCapture } | { ok: false; error: string };

export function parseInThread(bytes: Uint8Array, limits: ParseLimits): Promise<ThreadResult> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL("./parse-thread.ts", import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: 64 },
    });
    let settled = false;
    const settle = (r: ThreadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        settle({
          ok: false,
          error: `Parsing took longer than ${Math.round(limits.timeoutMs / 1000)} s (CAPTURE_PARSE_TIMEOUT_SECONDS); the capture was not analysed`,
        }),
      limits.timeoutMs,
    );
    worker.once("message", (r: ThreadResult) => settle(r));
    worker.once("error", (err: Error & { code?: string }) =>
      settle({
        ok: false,
        error:
          err.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? `Parsing needed more than ${limits.memoryMb} MB of memory (CAPTURE_PARSE_MEMORY_MB); the capture was not analysed`
            : `Parser error: ${err.message}`,
      }),
    );
    worker.once("exit", (code) =>
      settle({ ok: false, error: `Parser stopped unexpectedly (exit code ${code})` }),
    );
    // Copied, not transferred: the caller's buffer may be a slice of a larger pooled one.
    worker.postMessage(bytes);
  });
}
