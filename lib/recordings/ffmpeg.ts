import { Worker } from "node:worker_threads";
import type { ThreadMessage, ThreadRequest } from "./ffmpeg-thread.ts";

// The ffmpeg WebAssembly engine in one worker thread, loaded once (≈0.6 s) and reused for every
// command. Commands run one at a time: the engine is single-threaded and holds its files in memory.

export type FfmpegRun = {
  args: string[];
  inputs: { name: string; data: Uint8Array }[];
  outputs: string[];
  /** 0–1 as ffmpeg reports it (time written / input duration). */
  onProgress?: (ratio: number) => void;
};
export type FfmpegResult = { code: number; log: string[]; outputs: Record<string, Uint8Array> };

export class FfmpegWasm {
  private worker: Worker | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = new Map<
    number,
    { resolve: (r: FfmpegResult) => void; reject: (e: Error) => void; onProgress?: (r: number) => void }
  >();

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("./ffmpeg-thread.ts", import.meta.url));
    worker.on("message", (m: ThreadMessage) => {
      const call = this.pending.get(m.id);
      if (!call) return;
      if (m.type === "progress") return call.onProgress?.(m.ratio);
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker?.unref();
      if (m.type === "done") call.resolve({ code: m.code, log: m.log, outputs: m.outputs });
      else call.reject(new Error(`ffmpeg.wasm: ${m.message}`));
    });
    const fail = (err: Error) => {
      for (const call of this.pending.values()) call.reject(err);
      this.pending.clear();
      this.worker = null; // the next command starts a fresh engine
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`ffmpeg.wasm thread exited (${code})`)));
    worker.unref(); // an idle engine never keeps the process alive; a running command does (run)
    this.worker = worker;
    return worker;
  }

  /** Runs one ffmpeg command line (without the leading "ffmpeg") on in-memory files. */
  run(cmd: FfmpegRun): Promise<FfmpegResult> {
    const next = this.queue.then(
      () =>
        new Promise<FfmpegResult>((resolve, reject) => {
          const id = this.nextId++;
          this.pending.set(id, { resolve, reject, onProgress: cmd.onProgress });
          const request: ThreadRequest = { id, args: cmd.args, inputs: cmd.inputs, outputs: cmd.outputs };
          const worker = this.start();
          worker.ref();
          worker.postMessage(request);
        }),
    );
    this.queue = next.catch(() => {});
    return next;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
