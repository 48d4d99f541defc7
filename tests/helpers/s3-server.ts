import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";

// An S3-compatible server for tests (the npm s3rver package), on 127.0.0.1 at an ephemeral port,
// keeping its objects in a fresh temp folder. Its handler sits behind our own HTTP server, which
// counts what every response body carried: a test can prove what was read from "S3".

export type S3Request = { method: string; url: string; range: string | undefined; bytes: number };

export type S3Server = {
  /** http://127.0.0.1:<port>, for PARLEY_S3_ENDPOINT. */
  endpoint: string;
  /** s3rver's fixed credentials and this endpoint, as environment variables. */
  env: Record<string, string>;
  /** Every request served so far, with the bytes its response body carried. */
  requests: S3Request[];
  close: () => Promise<void>;
};

export async function startS3Server(opts: { buckets: string[]; port?: number }): Promise<S3Server> {
  const directory = mkdtempSync(path.join(os.tmpdir(), "parley-s3rver-"));
  const s3 = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: opts.buckets.map((name) => ({ name, configs: [] })),
  });
  await s3.configureBuckets();
  const handle = s3.getMiddleware();
  const requests: S3Request[] = [];
  const server = http.createServer((req, res) => {
    const entry: S3Request = {
      method: req.method ?? "",
      url: req.url ?? "",
      range: req.headers.range,
      bytes: 0,
    };
    requests.push(entry);
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
    const count = (chunk: unknown) => {
      if (typeof chunk === "string") entry.bytes += Buffer.byteLength(chunk);
      else if (chunk instanceof Uint8Array) entry.bytes += chunk.byteLength;
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      count(chunk);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== "function") count(chunk);
      return end(chunk, ...rest);
    }) as typeof res.end;
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", resolve);
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    env: {
      PARLEY_S3_ENDPOINT: endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
    },
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
