// The parser's worker thread (started by parse-in-thread.ts): one capture per thread, parsed with
// the thread's own heap limit, the rows posted back. Never loaded by the web process.
import { parentPort } from "node:worker_threads";
import { parseCaptureBytes } from "./parsed.ts";
import { CaptureError } from "./pcap.ts";

parentPort?.once("message", (bytes: Uint8Array) => {
  try {
    parentPort?.postMessage({ ok: true, parsed: parseCaptureBytes(bytes) });
  } catch (err) {
    // CaptureError: not a capture at all. Anything else is a parser bug on these bytes.
    const error =
      err instanceof CaptureError
        ? err.message
        : `Parser error: ${err instanceof Error ? err.message : String(err)}`;
    parentPort?.postMessage({ ok: false, error });
  }
});
