// Runs inside a worker_threads worker: @ffmpeg/core (FFmpeg compiled to WebAssembly) loaded once,
// then one ffmpeg command per message. `exec` is synchronous and CPU-bound, so it must not run on
// the worker process's main thread (heartbeats and other jobs would stall behind it).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { parentPort } from "node:worker_threads";

export type ThreadRequest = {
  id: number;
  args: string[];
  inputs: { name: string; data: Uint8Array }[];
  outputs: string[];
};
export type ThreadMessage =
  | { id: number; type: "progress"; ratio: number }
  | { id: number; type: "done"; code: number; log: string[]; outputs: Record<string, Uint8Array> }
  | { id: number; type: "error"; message: string };

type Core = {
  FS: {
    writeFile(name: string, data: Uint8Array): void;
    readFile(name: string): Uint8Array;
    unlink(name: string): void;
    analyzePath(name: string): { exists: boolean };
  };
  exec(...args: string[]): number;
  reset(): void;
  setLogger(fn: (e: { type: string; message: string }) => void): void;
  setProgress(fn: (e: { progress: number; time: number }) => void): void;
};

const require = createRequire(import.meta.url);

async function loadCore(): Promise<Core> {
  // The core only checks for a browser-like global; the wasm bytes are handed over directly
  // (NOTES.md: the Emscripten loader cannot fetch a file: URL in Node).
  const g = globalThis as unknown as { self?: { location?: { href: string } } };
  const wasmPath = require.resolve("@ffmpeg/core/wasm");
  // It believes it runs in a Web Worker and reads self.location.href for its own directory.
  g.self ??= Object.assign(globalThis, { location: { href: pathToFileURL(wasmPath).href } });
  const wasmBinary = await readFile(wasmPath);
  const { default: createFFmpegCore } = (await import(require.resolve("@ffmpeg/core"))) as {
    default: (opts: object) => Promise<Core>;
  };
  return createFFmpegCore({ wasmBinary });
}

const port = parentPort;
if (port) {
  const core = loadCore();
  let log: string[] = [];
  let current = -1;
  core.then((c) => {
    c.setLogger(({ message }) => {
      if (log.length < 400) log.push(message);
    });
    c.setProgress(({ progress }) => {
      if (current >= 0 && progress >= 0 && progress <= 1)
        port.postMessage({ id: current, type: "progress", ratio: progress } satisfies ThreadMessage);
    });
  });
  port.on("message", async (req: ThreadRequest) => {
    try {
      const c = await core;
      current = req.id;
      log = [];
      for (const input of req.inputs) c.FS.writeFile(input.name, input.data);
      const code = c.exec(...req.args);
      c.reset();
      const outputs: Record<string, Uint8Array> = {};
      for (const name of req.outputs) {
        if (c.FS.analyzePath(name).exists) {
          outputs[name] = c.FS.readFile(name);
          c.FS.unlink(name);
        }
      }
      for (const input of req.inputs) c.FS.unlink(input.name);
      current = -1;
      const transfer = Object.values(outputs).map((o) => o.buffer as ArrayBuffer);
      port.postMessage({ id: req.id, type: "done", code, log, outputs } satisfies ThreadMessage, transfer);
    } catch (err) {
      port.postMessage({ id: req.id, type: "error", message: String(err) } satisfies ThreadMessage);
    }
  });
}
